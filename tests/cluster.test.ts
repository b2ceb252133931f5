// KMeans against scikit-learn 1.2 (tests/fixtures/cluster.json, made by scripts/fixtures/cluster.py):
// from given centres the same labels, centres and inertia to 1e-9 and the same iterations, Lloyd
// and Elkan; k-means++ within 1 % of scikit-learn's best of 10. The GEMM path of large problems
// against plain f64 Lloyd iterations written here; threads, seeds, saving and the errors.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { DBSCAN, FormatError, KMeans, MiniBatchKMeans, NotFittedError, ShapeError, ValueError, init, load, warnings } from '../dist/index.js';

interface Given {
  name: string; X: number[][]; init: number[][]; algorithm: 'lloyd' | 'elkan'; max_iter: number; tol: number; weights: number[] | null;
  labels: number[]; centers: number[][]; inertia: number; n_iter: number;
  X_test?: number[][]; predict?: number[]; transform?: number[][]; score?: number;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/cluster.json', import.meta.url), 'utf8')) as {
  given: Given[]; plusplus: { name: string; X: number[][]; k: number; best_of_10_inertia: number }[];
  dbscan: { name: string; X: number[][]; options: Record<string, unknown>; weights: number[] | null; labels: number[]; core: number[] }[];
  minibatch: { name: string; X: number[][]; init: number[][]; batches: number[][]; weights: number[] | null; steps: { centers: number[][]; labels: number[]; inertia: number }[] }[];
};

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
function expectRows(actual: number[][], expected: number[][], rel = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(close(v, expected[i][j], rel), `[${i}][${j}] ${v} vs ${expected[i][j]}`).toBe(true)));
}

describe('KMeans from given centres equals scikit-learn', () => {
  for (const c of fixtures.given) {
    test(c.name, async () => {
      const km = await new KMeans({ nClusters: c.init.length, init: c.init, algorithm: c.algorithm, maxIter: c.max_iter, tol: c.tol })
        .fit(c.X, undefined, c.weights ? { sampleWeight: c.weights } : {});
      expect(Array.from(km.labels)).toEqual(c.labels);
      expectRows(km.clusterCenters, c.centers);
      expect(close(km.inertia, c.inertia)).toBe(true);
      expect(km.nIter).toBe(c.n_iter);
      if (c.X_test) {
        expect(Array.from(km.predict(c.X_test))).toEqual(c.predict);
        expectRows(km.transform(c.X_test), c.transform!);
        expect(close(km.score(c.X_test), c.score!)).toBe(true);
      }
    });
  }
});

describe('k-means++', () => {
  for (const c of fixtures.plusplus) {
    test(`${c.name}: the best of 10 seeded runs within 1 % of scikit-learn's best of 10`, async () => {
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const km = await new KMeans({ nClusters: c.k, nInit: 10, seed: 5, algorithm }).fit(c.X);
        expect(km.inertia).toBeLessThanOrEqual(c.best_of_10_inertia * 1.01);
      }
    });
  }

  test('seeded runs repeat, and different seeds start differently', async () => {
    const X = fixtures.plusplus[0].X;
    const a = await new KMeans({ nClusters: 5, seed: 11 }).fit(X);
    const b = await new KMeans({ nClusters: 5, seed: 11 }).fit(X);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.clusterCenters).toEqual(b.clusterCenters);
    const inertias = await Promise.all([1, 2, 3, 4].map(async (seed) => (await new KMeans({ nClusters: 5, seed, init: 'random', nInit: 1 }).fit(X)).inertia));
    const spread = await Promise.all([1, 2, 3, 4].map(async (seed) => (await new KMeans({ nClusters: 5, seed }).fit(X)).inertia));
    expect(new Set(spread.map((v) => v.toPrecision(12))).size + new Set(inertias.map((v) => v.toPrecision(12))).size).toBeGreaterThan(2);
  });
});

/** Fashion-MNIST training images as rows of pixels / 255 (f64). */
function fashion(n: number): number[][] {
  const bytes = gunzipSync(readFileSync(new URL('../data/fashion-mnist/train-images-idx3-ubyte.gz', import.meta.url)));
  return Array.from({ length: n }, (_, i) => Array.from(bytes.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255));
}

/** Lloyd's iterations in plain f64 loops (scikit-learn's stopping rules): an independent reference. */
function referenceLloyd(X: number[][], start: number[][], maxIter: number, tolRelative: number): { labels: number[]; centres: number[][]; nIter: number } {
  const n = X.length, d = X[0].length, k = start.length;
  const mean = Array.from({ length: d }, (_, f) => X.reduce((s, r) => s + r[f], 0) / n);
  const C = X.map((r) => r.map((v, f) => v - mean[f]));
  let variance = 0;
  for (let f = 0; f < d; f++) variance += C.reduce((s, r) => s + r[f] ** 2, 0) / n;
  const tol = (variance / d) * tolRelative;
  const nearest = (centres: number[][]) => C.map((r) => {
    let best = 0, min = Infinity;
    centres.forEach((c, j) => { const v = r.reduce((s, x, f) => s + (x - c[f]) ** 2, 0); if (v < min) { min = v; best = j; } });
    return best;
  });
  let centres = start.map((r) => r.map((v, f) => v - mean[f]));
  let old = new Array(n).fill(-1), labels = old, strict = false, iter = 0;
  for (; iter < maxIter; iter++) {
    labels = nearest(centres);
    const sums = centres.map(() => new Array(d).fill(0)), counts = new Array(k).fill(0);
    labels.forEach((l, i) => { counts[l]++; C[i].forEach((v, f) => { sums[l][f] += v; }); });
    const next = sums.map((s, j) => (counts[j] ? s.map((v) => v / counts[j]) : centres[j]));
    const shift = next.reduce((s, c, j) => s + c.reduce((t, v, f) => t + (v - centres[j][f]) ** 2, 0), 0);
    centres = next;
    if (labels.every((l, i) => l === old[i])) { strict = true; break; }
    if (shift <= tol) break;
    old = labels;
  }
  if (!strict) labels = nearest(centres);
  return { labels, centres: centres.map((r) => r.map((v, f) => v + mean[f])), nIter: Math.min(iter + 1, maxIter) };
}

describe('large problems (assignment through the f32 GEMM, re-measured exactly)', () => {
  const X = fashion(1500);
  const start = X.slice(0, 10);
  const reference = referenceLloyd(X, start, 30, 1e-4);

  test('Lloyd and Elkan equal plain f64 Lloyd iterations on 1 500 Fashion-MNIST images', async () => {
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const km = await new KMeans({ nClusters: 10, init: start, maxIter: 30, algorithm }).fit(X);
      expect(Array.from(km.labels), algorithm).toEqual(reference.labels);
      expect(km.nIter, algorithm).toBe(reference.nIter);
      expectRows(km.clusterCenters, reference.centres, 1e-9);
    }
  });

  test('the same bits on one and two threads', async () => {
    const fits = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      fits.push(await new KMeans({ nClusters: 10, seed: 3, maxIter: 20 }).fit(X));
    }
    await init({ threads: 1 });
    expect(fits[1].clusterCenters).toEqual(fits[0].clusterCenters);
    expect(fits[1].inertia).toBe(fits[0].inertia);
    expect(Array.from(fits[1].predict(X))).toEqual(Array.from(fits[0].labels));
  });
});

describe('KMeans API', () => {
  const X = fixtures.given[0].X;

  test('saves and loads; tabular input keeps its column names; fitPredict and fitTransform', async () => {
    const rows = X.map(([a, b, c, d]) => ({ sepalLength: a, sepalWidth: b, petalLength: c, petalWidth: d }));
    const km = new KMeans({ nClusters: 3, seed: 2 });
    const labels = await km.fitPredict(rows);
    expect(km.featureNamesIn).toEqual(['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth']);
    expect(Array.from(labels)).toEqual(Array.from(km.labels));
    const back = (await load(km.toBytes())) as KMeans;
    expect(back.clusterCenters).toEqual(km.clusterCenters);
    expect(Array.from(back.predict(rows))).toEqual(Array.from(labels));
    expect(back.inertia).toBe(km.inertia);
    expect(km.getFeatureNamesOut()).toEqual(['kmeans0', 'kmeans1', 'kmeans2']);
    const t = await new KMeans({ nClusters: 3, seed: 2 }).fitTransform(X);
    expect(t.length).toBe(X.length);
    expect(t[0].length).toBe(3);
    expect(() => back.predict([{ a: 1, b: 2, c: 3, d: 4 }])).toThrow(/column|name/i);
  });

  test('sampleWeight: integer weights equal repeated samples', async () => {
    const small = X.slice(0, 40);
    const weights = small.map((_, i) => 1 + (i % 3));
    const repeated = small.flatMap((r, i) => Array.from({ length: weights[i] }, () => r));
    const initC = [small[0], small[20], small[39]];
    const a = await new KMeans({ nClusters: 3, init: initC }).fit(small, undefined, { sampleWeight: weights });
    const b = await new KMeans({ nClusters: 3, init: initC }).fit(repeated);
    expectRows(a.clusterCenters, b.clusterCenters, 1e-12);
    expect(close(a.inertia, b.inertia, 1e-12)).toBe(true);
  });

  test('clear errors, and the user data untouched', async () => {
    expect(() => new KMeans({ nClusters: 0 })).toThrow(/nClusters must be an integer ≥ 1; received 0/);
    expect(() => new KMeans({ init: 'kmeans++' as never })).toThrow(/init must be/);
    expect(() => new KMeans({ nInit: 0 })).toThrow(/nInit/);
    expect(() => new KMeans({ algorithm: 'full' as never })).toThrow(/algorithm must be one of 'lloyd', 'elkan'/);
    expect(() => new KMeans({ tol: -1 })).toThrow(/tol/);
    await expect(new KMeans({ nClusters: 5 }).fit([[1, 2], [3, 4]])).rejects.toThrow(ValueError);
    await expect(new KMeans({ nClusters: 2, init: [[1, 2, 3], [4, 5, 6]] }).fit([[1, 2], [3, 4], [5, 6]])).rejects.toThrow(ShapeError);
    await expect(new KMeans({ nClusters: 2 }).fit([[1, 2], [3, 4]], undefined, { sampleWeight: [1, -1] })).rejects.toThrow(/sampleWeight\[1\] must be ≥ 0/);
    await expect(new KMeans({ nClusters: 2 }).fit([[1, Number.NaN], [3, 4]])).rejects.toThrow(/SimpleImputer/);
    expect(() => new KMeans().predict([[1, 2]])).toThrow(NotFittedError);
    const km = await new KMeans({ nClusters: 2, seed: 1 }).fit([[1, 2], [3, 4], [9, 9]]);
    expect(() => km.predict([[1, 2, 3]])).toThrow(/3 features, but KMeans was fitted with 2/);
    const bytes = km.toBytes();
    bytes[bytes.length - 3] ^= 0xff;
    expect(() => KMeans.fromBytes(bytes)).toThrow(FormatError);
    const data = [[1, 2], [3, 4], [9, 9], [8, 8]];
    const copy = JSON.stringify(data);
    const given = [[0, 0], [10, 10]];
    await new KMeans({ nClusters: 2, init: given }).fit(data);
    expect(JSON.stringify(data)).toBe(copy);
    expect(given).toEqual([[0, 0], [10, 10]]);
  });

  test('duplicate samples: fewer distinct clusters is a convergence warning', async () => {
    warnings.filter('error', 'convergence');
    try {
      await expect(new KMeans({ nClusters: 3, seed: 0 }).fit([[1, 1], [1, 1], [1, 1], [2, 2]])).rejects.toThrow(/distinct clusters/);
    } finally {
      warnings.reset();
    }
  });
});

describe('DBSCAN equals scikit-learn', () => {
  for (const c of fixtures.dbscan) {
    test(c.name, async () => {
      const db = await new DBSCAN(c.options).fit(c.X, undefined, c.weights ? { sampleWeight: c.weights } : {});
      expect(Array.from(db.labels)).toEqual(c.labels);
      expect(Array.from(db.coreSampleIndices)).toEqual(c.core);
      expect(db.components).toEqual(c.core.map((i) => c.X[i]));
    });
  }

  test('the kd-tree and the exhaustive search give the same clusters', async () => {
    for (const c of fixtures.dbscan.filter((x) => x.options.metric !== 'cosine')) {
      const a = await new DBSCAN({ ...c.options, algorithm: 'kdTree', leafSize: 3 }).fitPredict(c.X);
      const b = await new DBSCAN({ ...c.options, algorithm: 'brute' }).fitPredict(c.X);
      expect(Array.from(a), c.name).toEqual(Array.from(b));
    }
  });

  test('saves and loads; one sample; clear errors', async () => {
    const c = fixtures.dbscan[0];
    const db = await new DBSCAN(c.options).fit(c.X);
    const back = (await load(db.toBytes())) as DBSCAN;
    expect(Array.from(back.labels)).toEqual(Array.from(db.labels));
    expect(back.components).toEqual(db.components);
    expect(Array.from(await new DBSCAN({ minSamples: 1 }).fitPredict([[1, 2]]))).toEqual([0]);
    expect(Array.from(await new DBSCAN({ minSamples: 2 }).fitPredict([[1, 2]]))).toEqual([-1]);
    expect(() => new DBSCAN({ eps: 0 })).toThrow(/eps must be a positive number; received 0/);
    expect(() => new DBSCAN({ minSamples: 0 })).toThrow(/minSamples/);
    expect(() => new DBSCAN({ metric: 'chebyshev' as never })).toThrow(/metric must be one of/);
    await expect(new DBSCAN({ metric: 'cosine', algorithm: 'kdTree' }).fit([[1, 2], [2, 1]])).rejects.toThrow(/kdTree.*cosine/);
    await expect(new DBSCAN().fit([[1, Number.NaN]])).rejects.toThrow(/SimpleImputer/);
    await expect(new DBSCAN().fit([[1, 2]], undefined, { sampleWeight: [-1] })).rejects.toThrow(/sampleWeight\[0\] must be ≥ 0/);
    expect(() => new DBSCAN().labels).toThrow(NotFittedError);
  });
});

describe('MiniBatchKMeans', () => {
  for (const c of fixtures.minibatch) {
    test(`${c.name}: partialFit from given centres equals scikit-learn step by step`, async () => {
      const mb = new MiniBatchKMeans({ nClusters: c.init.length, init: c.init, reassignmentRatio: 0 });
      for (const [t, batch] of c.batches.entries()) {
        const rows = batch.map((i) => c.X[i]);
        await mb.partialFit(rows, undefined, c.weights ? { sampleWeight: batch.map((i) => c.weights![i]) } : {});
        expectRows(mb.clusterCenters, c.steps[t].centers);
        expect(Array.from(mb.labels)).toEqual(c.steps[t].labels);
        expect(close(mb.inertia, c.steps[t].inertia)).toBe(true);
      }
      expect(mb.nSteps).toBe(c.batches.length);
      // Saved between batches, it goes on as if never saved.
      const back = MiniBatchKMeans.fromBytes(mb.toBytes());
      expect(back.clusterCenters).toEqual(mb.clusterCenters);
      expect(Array.from(back.counts)).toEqual(Array.from(mb.counts));
    });
  }

  test('fit finds the blobs: inertia within 3 % of the best of 10 k-means runs of scikit-learn; seeded runs repeat; threads give the same bits', async () => {
    const c = fixtures.plusplus[0];
    const a = await new MiniBatchKMeans({ nClusters: c.k, batchSize: 64, seed: 3 }).fit(c.X);
    expect(a.inertia).toBeLessThanOrEqual(c.best_of_10_inertia * 1.03);
    expect(a.nSteps).toBeGreaterThan(1);
    const b = await new MiniBatchKMeans({ nClusters: c.k, batchSize: 64, seed: 3 }).fit(c.X);
    expect(b.clusterCenters).toEqual(a.clusterCenters);
    await init({ threads: 2 });
    const t = await new MiniBatchKMeans({ nClusters: c.k, batchSize: 64, seed: 3 }).fit(c.X);
    await init({ threads: 1 });
    expect(t.clusterCenters).toEqual(a.clusterCenters);
    // A tolerance stops it earlier; a starved centre is moved (reassignment) without breaking anything.
    const early = await new MiniBatchKMeans({ nClusters: c.k, batchSize: 64, seed: 3, tol: 1e-2, maxNoImprovement: null }).fit(c.X);
    expect(early.nSteps).toBeLessThan(Math.floor((100 * c.X.length) / 64));
    const far = [...c.X.slice(0, c.k - 1), c.X[0].map(() => 1e3)];
    const moved = await new MiniBatchKMeans({ nClusters: c.k, init: far, batchSize: 50, seed: 1, reassignmentRatio: 0.05 }).fit(c.X);
    expect(Math.max(...moved.clusterCenters.flat())).toBeLessThan(1e3);
  });

  test('clear errors', async () => {
    expect(() => new MiniBatchKMeans({ batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1/);
    expect(() => new MiniBatchKMeans({ reassignmentRatio: -1 })).toThrow(/reassignmentRatio/);
    expect(() => new MiniBatchKMeans({ maxNoImprovement: 0 })).toThrow(/maxNoImprovement/);
    await expect(new MiniBatchKMeans({ nClusters: 5 }).fit([[1, 2]])).rejects.toThrow(ValueError);
    const mb = await new MiniBatchKMeans({ nClusters: 2, seed: 0 }).partialFit([[1, 2], [3, 4], [5, 6]]);
    await expect(mb.partialFit([[1, 2, 3]])).rejects.toThrow(/3 features, but MiniBatchKMeans was fitted with 2/);
    expect(() => new MiniBatchKMeans().predict([[1]])).toThrow(NotFittedError);
  });
});
