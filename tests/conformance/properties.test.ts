// Property tests (fast-check): random shapes and values for matMul, neighbour distances and the
// scalers against plain-JavaScript f64 references; random byte strings for every loader and the
// IDX reader, which must answer with a FormatError and nothing else.
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import * as wl from '../../dist/index.js';
import { ESTIMATORS } from './registry.js';
import { refForward, refLoss, type RefLayer } from '../nn-reference.js';
import { record, writeReport } from './report.js';

afterAll(() => writeReport('properties'));

/** A matrix of rows × cols f32-exact values in [−4, 4]. */
const matrix = (rows: number, cols: number) => fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }).map((v) => v / 250), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
const shape = fc.record({ m: fc.integer({ min: 1, max: 40 }), k: fc.integer({ min: 1, max: 40 }), n: fc.integer({ min: 1, max: 40 }) });

describe('properties', () => {
  test('matMul (and its transposes) within f32 rounding of the f64 product', () => {
    let runs = 0;
    fc.assert(fc.property(shape.chain(({ m, k, n }) => fc.tuple(matrix(m, k), matrix(k, n), fc.boolean(), fc.boolean())), ([a, b, ta, tb]) => {
      const m = a.length, k = b.length, n = b[0].length;
      const T = (x: number[][]): number[][] => x[0].map((_, j) => x.map((row) => row[j]));
      const c = wl.matMul(ta ? T(a) : a, tb ? T(b) : b, { transposeA: ta, transposeB: tb }).toArray() as number[][];
      expect(c.length).toBe(m);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let exact = 0, size = 0;
        for (let p = 0; p < k; p++) { exact += a[i][p] * b[p][j]; size += Math.abs(a[i][p] * b[p][j]); }
        // Higham's γ_k bound for a sum of k products in f32, and the output's own rounding.
        expect(Math.abs(c[i][j] - exact)).toBeLessThanOrEqual((k + 2) * 2 ** -23 * size + 1e-30);
      }
      runs++;
    }), { numRuns: 150, seed: 42 });
    record('matMul', 'property: f64 reference', runs);
  });

  // Smooth activations only: a central difference across relu's kink is not its derivative (relu
  // is in the layer harness, tests/layers.test.ts, at points away from the kink).
  test('layers: random dense stacks, forward against the f64 reference and gradients against its central differences', () => {
    let runs = 0;
    const stack = fc.record({
      input: fc.integer({ min: 1, max: 6 }),
      hidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom('sigmoid', 'tanh', 'elu', 'linear'), useBias: fc.boolean() }), { minLength: 0, maxLength: 2 }),
      output: fc.integer({ min: 2, max: 5 }),
      loss: fc.constantFrom('mse', 'categoricalCrossentropy'),
      seed: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(fc.property(stack, ({ input, hidden, output, loss, seed }) => {
      let state = seed;
      const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
      wl.setRandomSeed(seed);
      const layers = [
        ...hidden.map((h, i) => wl.layers.dense({ ...h, ...(i === 0 ? { inputShape: [input] } : {}) })),
        wl.layers.dense({ units: output, activation: loss === 'mse' ? 'tanh' : 'softmax', ...(hidden.length === 0 ? { inputShape: [input] } : {}) }),
      ];
      wl.setRandomSeed(undefined);
      const model = new wl.Sequential(layers);
      model.compile({ loss, optimizer: 'sgd' });
      const n = 4;
      const x = Float32Array.from({ length: n * input }, next);
      const y = new Float32Array(n * output);
      for (let r = 0; r < n; r++) {
        if (loss === 'mse') for (let j = 0; j < output; j++) y[r * output + j] = next();
        else y[r * output + Math.floor(((next() + 1) / 2) * output) % output] = 1;
      }
      const weights = model.layers.map((l) => l.getWeights().map((t) => Float64Array.from(t.data)));
      const ref = model.layers as unknown as RefLayer[];
      const out = model.predict({ data: x, shape: [n, input] });
      const expected = refForward(ref, Float64Array.from(x), n, weights);
      out.data.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(2e-6 + 2e-6 * Math.abs(expected[i])));
      const { gradients } = model.gradients({ data: x, shape: [n, input] }, { data: y, shape: [n, output] });
      const kind = loss === 'mse' ? 'meanSquaredError' : 'categoricalCrossentropy';
      const lossAt = (): number => refLoss(kind, refForward(ref, Float64Array.from(x), n, weights), y, output);
      let g = 0;
      for (const layer of weights) {
        for (const w of layer) {
          const analytic = gradients[g++].data;
          const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
          for (let i = 0; i < w.length; i++) {
            const keep = w[i], h = 1e-6;
            w[i] = keep + h; const up = lossAt();
            w[i] = keep - h; const down = lossAt();
            w[i] = keep;
            const numeric = (up - down) / (2 * h);
            expect(Math.abs(analytic[i] - numeric)).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(numeric));
          }
        }
      }
      model.dispose();
      runs++;
    }), { numRuns: 40, seed: 5 });
    record('Sequential (dense stacks)', 'property: gradients', runs);
  });

  test('NearestNeighbors: distances and order of an exhaustive f64 search (ties by index)', async () => {
    let runs = 0;
    await fc.assert(fc.asyncProperty(
      fc.record({ n: fc.integer({ min: 2, max: 60 }), d: fc.integer({ min: 1, max: 12 }), metric: fc.constantFrom('euclidean', 'manhattan') })
        .chain(({ n, d, metric }) => fc.tuple(matrix(n, d), matrix(3, d), fc.constant(metric), fc.integer({ min: 1, max: Math.min(n, 5) }))),
      async ([X, Q, metric, k]) => {
        const model = await new wl.NearestNeighbors({ nNeighbors: k, metric }).fit(X);
        const { distances, indices } = model.kneighbors(Q);
        Q.forEach((q, r) => {
          const all = X.map((x, i) => ({ i, d: metric === 'euclidean' ? Math.sqrt(x.reduce((s, v, j) => s + (v - q[j]) ** 2, 0)) : x.reduce((s, v, j) => s + Math.abs(v - q[j]), 0) }));
          all.sort((a, b) => a.d - b.d || a.i - b.i);
          const own = new Map(all.map((a) => [a.i, a.d]));
          for (let j = 0; j < k; j++) {
            // The j-th smallest distance, and the index returned is a sample at that distance.
            expect(Math.abs(distances[r][j] - all[j].d)).toBeLessThanOrEqual(1e-9 * Math.max(1, all[j].d));
            expect(Math.abs((own.get(indices[r][j]) ?? Number.NaN) - all[j].d)).toBeLessThanOrEqual(1e-9 * Math.max(1, all[j].d));
          }
          expect(new Set(indices[r]).size).toBe(k);
        });
        runs++;
      }), { numRuns: 60, seed: 7 });
    record('NearestNeighbors', 'property: f64 reference', runs);
  });

  test('scalers: inverseTransform(transform(X)) = X; standardized columns have mean 0 and unit variance', async () => {
    let runs = 0;
    await fc.assert(fc.asyncProperty(
      fc.record({ n: fc.integer({ min: 2, max: 50 }), d: fc.integer({ min: 1, max: 8 }) }).chain(({ n, d }) => matrix(n, d)),
      async (X) => {
        const standard = await new wl.StandardScaler().fit(X);
        const Z = standard.transform(X);
        const back = standard.inverseTransform(Z);
        X.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(back[i][j] - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)))));
        for (let j = 0; j < X[0].length; j++) {
          const col = Z.map((r) => r[j]);
          const mean = col.reduce((a, b) => a + b, 0) / col.length;
          const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
          const constant = X.every((r) => r[j] === X[0][j]);
          expect(Math.abs(mean)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(variance - (constant ? 0 : 1))).toBeLessThanOrEqual(1e-9);
        }
        const minmax = await new wl.MinMaxScaler().fit(X);
        const M = minmax.transform(X);
        M.flat().forEach((v) => { expect(v).toBeGreaterThanOrEqual(-1e-12); expect(v).toBeLessThanOrEqual(1 + 1e-12); });
        minmax.inverseTransform(M).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - X[i][j])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(X[i][j])))));
        runs++;
      }), { numRuns: 100, seed: 3 });
    record('StandardScaler, MinMaxScaler', 'property: round trip', runs);
  });

  test('random byte strings: every loader and parseIdx refuse them with a FormatError', async () => {
    let runs = 0;
    const loaders: [string, (b: Uint8Array) => unknown][] = [
      ...ESTIMATORS.map((e) => [e.name, (b: Uint8Array) => e.load(b)] as [string, (b: Uint8Array) => unknown]),
      ['loadModel', (b) => wl.loadModel(b)],
      ['parseIdx', (b) => wl.parseIdx(b)],
    ];
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...loaders), async (bytes, [name, load]) => {
      let error: unknown;
      try { await load(bytes); } catch (e) { error = e; }
      // A few short strings are valid IDX files (an empty array); everything else is refused.
      if (!(name === 'parseIdx' && error === undefined)) expect(error).toBeInstanceOf(wl.FormatError);
      runs++;
    }), { numRuns: 2000, seed: 11 });
    record('loaders, parseIdx', 'property: random bytes', runs);
  });
});
