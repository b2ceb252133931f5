// k-nearest neighbours against scikit-learn 1.2 (tests/fixtures/neighbors.json, made by
// scripts/fixtures/neighbors.py): identical neighbour indices (ties by index), the same distances,
// predictions and probabilities; and the errors a scikit-learn user would expect.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FormatError, KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors, NotFittedError, ShapeError, ValueError, backendInfo, init } from '../dist/index.js';

interface Case {
  name: string;
  estimator: 'KNeighborsClassifier' | 'KNeighborsRegressor' | 'NearestNeighbors';
  params: { n_neighbors: number; weights?: string; metric: string; p: number; algorithm: string };
  X: number[][];
  y: number[] | null;
  X_test: number[][];
  k: number | null;
  distances: number[][];
  indices: number[][];
  self_distances: number[][];
  self_indices: number[][];
  predict?: number[];
  predict_proba?: number[][];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/neighbors.json', import.meta.url), 'utf8')) as { cases: Case[] };
const classes = { KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors };

function make(c: Case) {
  const p = c.params;
  const options: Record<string, unknown> = { nNeighbors: p.n_neighbors, metric: p.metric, p: p.p, algorithm: p.algorithm === 'kd_tree' ? 'kdTree' : p.algorithm };
  if (p.weights) options.weights = p.weights;
  return new (classes[c.estimator] as unknown as new (o: unknown) => KNeighborsClassifier & KNeighborsRegressor)(options);
}

/** The metric in plain f64 loops: an independent reference for a pair of rows. */
function reference(metric: string, p: number, x: number[], y: number[]): number {
  if (metric === 'cosine') {
    let dot = 0, nx = 0, ny = 0;
    x.forEach((v, i) => { dot += v * y[i]; nx += v * v; ny += y[i] * y[i]; });
    return Math.min(Math.max(1 - dot / Math.sqrt(nx * ny), 0), 2);
  }
  const power = metric === 'manhattan' ? 1 : metric === 'minkowski' ? p : 2;
  return x.reduce((s, v, i) => s + Math.abs(v - y[i]) ** power, 0) ** (1 / power);
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/**
 * Our neighbours against scikit-learn's, which orders equal distances as its trees or sorts
 * happen to (not by index): the distances must match position by position; each index must be
 * at the distance reported (recomputed here); equal distances must list lower indices first;
 * and apart from the group tied at the k-th distance, the same samples must be found.
 */
function expectNeighbors(ours: { distances: number[][]; indices: number[][] }, dist: number[][], ind: number[][], X: number[][], Q: number[][] | null, c: Case): void {
  ours.indices.forEach((row, r) => {
    const k = row.length;
    row.forEach((j, t) => {
      expect(same(ours.distances[r][t], dist[r][t]), `distance [${r}][${t}]`).toBe(true);
      expect(same(reference(c.params.metric, c.params.p, (Q ?? X)[r], X[j]), ours.distances[r][t]), `index [${r}][${t}]`).toBe(true);
      if (t > 0 && ours.distances[r][t - 1] === ours.distances[r][t]) expect(row[t - 1]).toBeLessThan(j);
    });
    const boundary = ours.distances[r][k - 1];
    const inner = (list: number[], d: number[]) => list.filter((_, t) => !same(d[t], boundary)).sort((a, b) => a - b);
    expect(inner(row, ours.distances[r])).toEqual(inner(ind[r], dist[r]));
  });
}

function expectClose(a: number[][], b: number[][], what: string): void {
  a.forEach((row, r) => row.forEach((v, j) => expect(Math.abs(v - b[r][j]), `${what}[${r}][${j}]`).toBeLessThan(1e-9 * Math.max(1, Math.abs(b[r][j])))));
}

describe.each(fixtures.cases)('$estimator: $name', (c) => {
  test('the same neighbours, distances and predictions as scikit-learn', async () => {
    const before = backendInfo().arenaBytesInUse;
    const model = make(c);
    expect(await model.fit(c.X, c.y as never)).toBe(model);
    const k = c.k ?? undefined;
    const found = model.kneighbors(c.X_test, k);
    expectNeighbors(found, c.distances, c.indices, c.X, c.X_test, c);
    expectNeighbors(model.kneighbors(null, k), c.self_distances, c.self_indices, c.X, null, c);
    // Where a tie at the k-th distance made the two pick different samples, the prediction may
    // differ too; everywhere else it must be the same.
    const sameSet = (r: number) => [...found.indices[r]].sort((a, b) => a - b).join() === [...c.indices[r]].sort((a, b) => a - b).join();
    const rows = c.X_test.map((_, r) => r).filter(sameSet);
    expect(rows.length).toBeGreaterThan(0.9 * c.X_test.length);
    if (c.estimator === 'KNeighborsClassifier') {
      const predicted = model.predict(c.X_test), proba = model.predictProba(c.X_test);
      for (const r of rows) {
        expect(predicted[r]).toBe(c.predict![r]);
        expectClose([proba[r]], [c.predict_proba![r]], `predictProba[${r}]`);
      }
    } else if (c.estimator === 'KNeighborsRegressor') {
      const predicted = model.predict(c.X_test) as Float64Array;
      for (const r of rows) expect(predicted[r]).toBeCloseTo(c.predict![r], 9);
    }
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

/** The kernel's euclidean distance, in its exact order of operations (two f64x2 accumulators). */
function kernelEuclidean(x: Float64Array, y: Float64Array): number {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  let k = 0;
  for (; k + 4 <= x.length; k += 4) {
    l0 += (x[k] - y[k]) ** 2;
    l1 += (x[k + 1] - y[k + 1]) ** 2;
    l2 += (x[k + 2] - y[k + 2]) ** 2;
    l3 += (x[k + 3] - y[k + 3]) ** 2;
  }
  let sum = (l0 + l2) + (l1 + l3);
  for (; k < x.length; k++) sum += (x[k] - y[k]) ** 2;
  return Math.sqrt(sum);
}

describe('large euclidean searches (GEMM candidates, exact re-rank)', () => {
  // Small integers: the i16 grid path (scale 1); bytes / 255 stored as f32: the grid path with
  // scale 1/255 and f32 residuals; integers plus noise: the f32 GEMM path.
  test.each([
    ['small integers (i16 dot products)', (v: number) => v],
    ['bytes / 255 as f32 (i16 dot products, scale 1/255)', (v: number) => Math.fround((v * 60) / 255)],
    ['off the grid (f32 GEMM)', (v: number, noise: number) => v + noise / 3],
  ])('%s give exactly the exhaustive answer, ties by index included', async (_, value) => {
    const next = (() => { let s = 7; return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32); })();
    const n = 1500, d = 24, m = 300, k = 6;
    // Few distinct values: many exactly equal distances; duplicated rows: ties at distance 0.
    const X = Array.from({ length: n }, (_, i) => (i % 50 === 49 ? null : Array.from({ length: d }, () => value(Math.floor(next() * 4), next()))));
    X.forEach((row, i) => { if (!row) X[i] = [...X[i - 1]!]; });
    const Q = X.slice(0, m) as number[][];
    const model = await new NearestNeighbors({ nNeighbors: k }).fit(X as number[][]);
    const found = model.kneighbors(Q, k);
    const rows = (X as number[][]).map((r) => Float64Array.from(r));
    Q.forEach((q, r) => {
      const qq = Float64Array.from(q);
      const all = rows.map((x, j) => ({ d: kernelEuclidean(qq, x), j })).sort((a, b) => a.d - b.d || a.j - b.j).slice(0, k);
      expect(found.indices[r]).toEqual(all.map((e) => e.j));
      expect(found.distances[r]).toEqual(all.map((e) => e.d));
    });
  });
});

describe('KNN', () => {
  const iris = fixtures.cases[0];

  test('the same neighbours for 1 and 2 threads; save and load', async () => {
    const c = fixtures.cases.find((k) => k.name.startsWith('digits'))!;
    const runs = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      runs.push((await make(c).fit(c.X, c.y as never)).kneighbors(c.X_test, 7));
    }
    await init({ threads: 'auto' });
    expect(runs[1]).toEqual(runs[0]);
    const model = await make(iris).fit(iris.X, iris.y as never);
    const loaded = KNeighborsClassifier.fromBytes(await model.save());
    expect(loaded.predictProba(iris.X_test)).toEqual(model.predictProba(iris.X_test));
    expect(() => KNeighborsRegressor.fromBytes(model.toBytes())).toThrow(FormatError);
  });

  test.each([
    ['k larger than the training set', () => make(iris).fit(iris.X.slice(0, 3), (iris.y as number[]).slice(0, 3)).then((m) => m.kneighbors(iris.X_test, 4)), ValueError, /k = 4 neighbours were asked for, but only 3 training samples are available/],
    ['k = n without X (the sample itself is excluded)', () => make(iris).fit(iris.X.slice(0, 3), (iris.y as number[]).slice(0, 3)).then((m) => m.kneighbors(null, 3)), ValueError, /only 2 training samples/],
    ['unknown metric', async () => new KNeighborsClassifier({ metric: 'chebyshev' as never }), ValueError, /metric must be one of 'euclidean', 'manhattan', 'cosine', 'minkowski'/],
    ['p below 1', async () => new KNeighborsClassifier({ p: 0.5 }), ValueError, /p must be a number ≥ 1; received 0.5/],
    ['NaN in X', () => new KNeighborsClassifier().fit([[1, NaN]], [0]), ValueError, /X must hold finite numbers; element \[0, 1\] is NaN/],
    ['empty X', () => new NearestNeighbors().fit([]), ValueError, /X is empty/],
    ['predict before fit', async () => new KNeighborsClassifier().predict(iris.X_test), NotFittedError, /not available before fit/],
    ['features differ from fit', () => make(iris).fit(iris.X, iris.y as never).then((m) => m.predict([[1, 2]])), ShapeError, /X has 2 features, but the estimator was fitted with 4/],
  ])('%s', async (_name, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

describe('the kd-tree', () => {
  test.each([
    ['euclidean', {}],
    ['manhattan', { metric: 'manhattan' }],
    ['minkowski p = 3', { metric: 'minkowski', p: 3 }],
  ])('gives the exhaustive search\'s neighbours and distances (%s), ties by index, with and without X', async (_, options) => {
    const next = (() => { let s = 11; return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32); })();
    // Clustered small integers in 3 dimensions: many equal distances, duplicates at distance 0.
    const X = Array.from({ length: 900 }, (_, i) => [Math.floor(next() * 5) + (i % 3) * 10, Math.floor(next() * 5), Math.floor(next() * 3)]);
    const Q = Array.from({ length: 120 }, () => [next() * 25, next() * 6, Math.floor(next() * 3)]);
    const kd = await new NearestNeighbors({ nNeighbors: 7, algorithm: 'kdTree', leafSize: 4, ...options } as never).fit(X);
    const brute = await new NearestNeighbors({ nNeighbors: 7, algorithm: 'brute', ...options } as never).fit(X);
    expect(kd.kneighbors(Q)).toEqual(brute.kneighbors(Q));
    expect(kd.kneighbors()).toEqual(brute.kneighbors());
  });

  test('refuses the cosine metric, as scikit-learn', async () => {
    const model = await new NearestNeighbors({ algorithm: 'kdTree', metric: 'cosine' }).fit([[1, 2], [3, 4], [5, 7]]);
    expect(() => model.kneighbors([[1, 1]], 1)).toThrow(/algorithm 'kdTree' does not support metric 'cosine'/);
  });
});
