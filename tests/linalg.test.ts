// The f64 linear algebra under PCA, LDA and least squares (src/linalg.ts over assembly/linalg/),
// against plain-JavaScript references: Gram matrices on generic and pixel data (the exact integer
// path) and the Householder orthonormal basis. (Their bits on one and two threads: through PCA, in
// decomposition.test.ts.)
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../src/runtime/backend.js';
import { centredGram, columnMeans, gram, orthonormalColumns } from '../src/ops/linalg.js';

beforeAll(async () => {
  await init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
});

let state = 12345;
const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function referenceCentredGram(x: Float64Array, n: number, d: number): Float64Array {
  const mean = columnMeans(x, n, d), g = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += (x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j]);
    g[i * d + j] = s;
  }
  return g;
}

function expectClose(a: Float64Array, b: Float64Array, tolerance: number): void {
  const scale = Math.max(...Array.from(b, Math.abs));
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tolerance * scale));
}

describe('Gram matrices', () => {
  test.each([[1, 1], [5, 3], [70, 13], [129, 64], [300, 37]])('XᵀX of %i × %i generic data: the reference to 1e-13', (n, d) => {
    const x = Float64Array.from({ length: n * d }, () => random() * 4 - 2);
    const runs = [gram(x, n, d)];
    expectClose(centredGram(x, n, d, columnMeans(x, n, d)), referenceCentredGram(x, n, d), 1e-13);
    const plain = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let r = 0; r < n; r++) plain[i * d + j] += x[r * d + i] * x[r * d + j];
    expectClose(runs[0], plain, 1e-13);
  });

  test.each([[1, 1, 1], [7, 3, 1], [301, 37, 1], [1201, 21, 1 / 255], [64, 17, 1 / 255]])('pixel data (%i × %i, step %f) through integer codes: the exact centred Gram', (n, d, step) => {
    const codes = Float64Array.from({ length: n * d }, (_, i) => (i % 7 === 0 ? -1 : 1) * Math.floor(random() * 256));
    // Values as a user has them: bytes, or bytes / 255 rounded to f32.
    const x = step === 1 ? codes : Float64Array.from(codes, (k) => Math.fround(k / 255));
    const exact = referenceCentredGram(codes, n, d).map((v) => v * step * step);
    const runs = [centredGram(x, n, d, columnMeans(x, n, d))];
    // Bytes: exact up to the final division; f32 pixels: the grid values' Gram, not the f32 ones'.
    expectClose(runs[0], exact, step === 1 ? 1e-14 : 1e-12);
  });

  test('values off the grid (a byte + 0.25, or beyond ±255) take the f64 path', () => {
    for (const x of [Float64Array.from({ length: 60 }, (_, i) => (i % 9) + (i === 59 ? 0.25 : 0)), Float64Array.from({ length: 60 }, (_, i) => (i === 30 ? 256 : i % 5))]) {
      expectClose(centredGram(x, 20, 3, columnMeans(x, 20, 3)), referenceCentredGram(x, 20, 3), 1e-13);
    }
  });
});

describe('orthonormalColumns', () => {
  test.each([[10, 3, 3], [50, 8, 8], [20, 6, 3]])('%i × %i of rank %i: QᵀQ = I and A in the span of Q', (rows, cols, rank) => {
    // A = F·G with F (rows × rank) and G (rank × cols): rank-deficient when rank < cols.
    const f = Float64Array.from({ length: rows * rank }, () => random() - 0.5), g = Float64Array.from({ length: rank * cols }, () => random() - 0.5);
    const a = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let t = 0; t < rank; t++) a[i * cols + j] += f[i * rank + t] * g[t * cols + j];
    const q = orthonormalColumns(a, rows, cols);
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += q[r * cols + i] * q[r * cols + j];
      expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-13);
    }
    // A − Q(QᵀA) = 0.
    for (let j = 0; j < cols; j++) {
      const coef = Array.from({ length: cols }, (_, i) => { let s = 0; for (let r = 0; r < rows; r++) s += q[r * cols + i] * a[r * cols + j]; return s; });
      for (let r = 0; r < rows; r++) {
        let s = a[r * cols + j];
        for (let i = 0; i < cols; i++) s -= q[r * cols + i] * coef[i];
        expect(Math.abs(s)).toBeLessThan(1e-13);
      }
    }
  });
});
