// Property tests (fast-check): random shapes and values for matMul, neighbour distances and the
// scalers against plain-JavaScript f64 references; random byte strings for every loader and the
// IDX reader, which must answer with a FormatError and nothing else.
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import * as wl from '../../dist/index.js';
import { ESTIMATORS } from './registry.js';
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
