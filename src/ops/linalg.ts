// f64 linear algebra for the estimators, over the WebAssembly kernels (assembly/linalg/): Gram
// matrices (threaded), symmetric eigendecompositions, orthonormal bases, products and the
// staging of data through the module in chunks; small dense helpers in plain JS.
import { ValueError } from '../errors.js';
import { backend, type Backend } from '../runtime/backend.js';
import { addF64Into, fillF64, fillI16, putF64, readF64, writeF64, type Alloc } from './memory.js';

/** XᵀX (d×d) of X (n×d, row-major). */
export function gram(x: Float64Array, n: number, d: number): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const px = putF64(be, alloc, x.subarray(0, n * d));
    const out = alloc(d * d * 8);
    be.launch('gramRows', [px, n, d, out], Math.ceil(d / 4), 1, n * d * d);
    be.call('gramMirror', out, d);
    return readF64(be, out, d * d);
  });
}

/** Eigenvalues (ascending) and eigenvectors (rows, in the same order) of the symmetric d×d matrix a. */
export function eigh(a: Float64Array, d: number, where: string): { values: Float64Array; vectors: Float64Array } {
  const be = backend();
  return be.scoped((alloc) => {
    const pa = putF64(be, alloc, a.subarray(0, d * d));
    const values = alloc(d * 8), work = alloc(d * 16);
    if (be.call('symmetricEigen', pa, d, values, work) !== 0) throw new ValueError(`${where}: the eigenvalue iteration did not converge`);
    return { values: readF64(be, values, d), vectors: readF64(be, pa, d * d) };
  });
}

/** The lower Cholesky factor L of the symmetric positive definite d×d matrix a (a = LLᵀ), or null if a is not. */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** X·Vᵀ (n×k) for X (n×d) and the k rows of V (k×d), threaded by rows. */
export function project(x: Float64Array, n: number, d: number, v: Float64Array, k: number): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const px = putF64(be, alloc, x.subarray(0, n * d));
    const pv = putF64(be, alloc, v.subarray(0, k * d));
    const out = alloc(Math.max(8, n * k * 8));
    be.launch('projectRows', [px, d, pv, k, out], n, 1, n * d * k);
    return readF64(be, out, n * k);
  });
}

/**
 * An orthonormal basis Q (rows×cols, row-major, rows ≥ cols) of the columns of a (rows×cols,
 * row-major) by Householder QR in WebAssembly (assembly/linalg/householder.ts); its columns are
 * orthonormal even when a is rank-deficient.
 */
export function orthonormalColumns(a: Float64Array, rows: number, cols: number): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const pa = putF64(be, alloc, a.subarray(0, rows * cols)), work = alloc((2 * rows * cols + cols) * 8);
    be.call('orthonormalBasis', pa, rows, cols, work);
    return readF64(be, pa, rows * cols);
  });
}

/** The column means of X (n×d, row-major), summed in f64. */
export function columnMeans(x: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0, i = 0; r < n; r++) for (let c = 0; c < d; c++, i++) mean[c] += x[i];
  for (let c = 0; c < d; c++) mean[c] /= n;
  return mean;
}

/** Values of X converted to grid codes at a time (4 MB of f64). */
const GRID_CHUNK_VALUES = 1 << 19;

/** Largest |error| a value may have from k·scale and still count as on the grid: f32 rounding of the code's value. */
const GRID_TOLERANCE = 2 ** -22;

/**
 * The centred Gram matrix Σ_s (x_s − μ)(x_s − μ)ᵀ (d×d) of X (n×d, row-major), μ the column means.
 * Pixel data (every value a byte, or a byte / 255 up to f32 rounding) is summed exactly as integer
 * codes in WebAssembly (assembly/linalg/gram-grid.ts) and centred exactly: with column sums c and
 * raw sums R = BᵀB, n·R − ccᵀ is an exact integer below 2^53 for n ≤ 300 000, divided once by n.
 * Other data are centred in f64 and go through gram().
 */
export function centredGram(x: Float64Array, n: number, d: number, mean: Float64Array): Float64Array {
  const grid = gridGram(x, n, d);
  if (grid) return grid;
  const centred = new Float64Array(n * d);
  for (let r = 0, i = 0; r < n; r++) for (let c = 0; c < d; c++, i++) centred[i] = x[i] - mean[c];
  return gram(centred, n, d);
}

/** centredGram for data on a byte grid (scale 1 or 1/255), or null when X is not on one (or n > 300 000). */
export function gridGram(x: Float64Array, n: number, d: number): Float64Array | null {
  if (n > 300_000) return null;
  const scale = [1, 1 / 255].find((s) => x.subarray(0, Math.min(x.length, 4096)).every((v) => onGrid(v, s))) ?? 0;
  if (scale === 0) return null;
  const dPad = Math.ceil(d / 8) * 8, pairs = Math.ceil(n / 2);
  const be = backend();
  return be.scoped((alloc) => {
    // The f64 rows go through the module in chunks of whole pairs, padded to an even count of
    // rows and of features with zeros (codes 0: they add nothing).
    const dEven = d + (d & 1);
    const chunk = Math.min(pairs, Math.max(1, Math.floor(GRID_CHUNK_VALUES / (2 * dEven)))) * 2;
    const px = alloc(chunk * dEven * 8), pt = alloc(pairs * dPad * 4), ps = alloc(dEven * 8), out = alloc(dPad * dPad * 8);
    fillI16(be, pt, pairs * dPad * 2, 0);
    fillF64(be, ps, dEven, 0);
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const rows = Math.min(chunk, n - r0);
      stageRows(be, px, x, r0, rows, d, dEven);
      if (rows & 1) fillF64(be, px + rows * dEven * 8, dEven, 0);
      if (be.call('gridCodes', px, rows + (rows & 1), dEven, scale, GRID_TOLERANCE, pt + (r0 / 2) * dPad * 4, dPad, ps) !== 0) return null;
    }
    const sums = readF64(be, ps, d);
    fillF64(be, out, dPad * dPad, 0);
    be.launch('gramGridRows', [pt, pairs, dPad, out], dPad / 4, 1, (n * dPad * dPad) / 4);
    const raw = readF64(be, out, dPad * dPad);
    const g = new Float64Array(d * d), s2 = scale * scale;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = (s2 * (n * raw[i * dPad + j] - sums[i] * sums[j])) / n;
        g[i * d + j] = v;
        g[j * d + i] = v;
      }
    }
    return g;
  });
}

function onGrid(v: number, scale: number): boolean {
  const k = Math.round(v / scale);
  return Math.abs(k) <= 255 && Math.abs(v - k * scale) <= GRID_TOLERANCE * Math.abs(k * scale);
}

/** Copies rows first … first + rows − 1 of data (n×d) into the module at ptr as rows of w ≥ d f64 values (the rest 0). */
export function stageRows(be: Backend, ptr: number, data: Float64Array, first: number, rows: number, d: number, w: number): void {
  if (w === d) {
    writeF64(be, ptr, data.subarray(first * d, (first + rows) * d));
    return;
  }
  for (let r = 0; r < rows; r++) {
    writeF64(be, ptr, data.subarray((first + r) * d, (first + r + 1) * d), r * w);
    fillF64(be, ptr + (r * w + d) * 8, w - d, 0);
  }
}

/** Values of the f64 data staged in the module at once (4 MB). */
const CHUNK_VALUES = 1 << 19;

/**
 * X − mean as an f32 matrix (n rows of w = d rounded up to even values, the padding 0) in a block of
 * `alloc`, and ‖x_r − μ‖ of every row in f64: the data staged through the module in chunks.
 */
export function centredF32(be: Backend, alloc: Alloc, x: Float64Array, n: number, d: number, mean: Float64Array): { matrix: number; width: number; norms: Float64Array } {
  // Rows padded to an even length (a zero feature) for the two-lane conversion kernel.
  const w = d + (d & 1);
  const chunk = Math.max(1, Math.min(n, Math.floor(CHUNK_VALUES / w)));
  const matrix = alloc(n * w * 4), px = alloc(chunk * w * 8), pn = alloc(chunk * 8);
  const pmean = alloc(w * 8);
  fillF64(be, pmean, w, 0);
  writeF64(be, pmean, mean);
  const norms = new Float64Array(n);
  for (let first = 0; first < n; first += chunk) {
    const rows = Math.min(chunk, n - first);
    stageRows(be, px, x, first, rows, d, w);
    be.call('centreRowsF32', px, rows, w, pmean, matrix + first * w * 4, pn);
    norms.set(readF64(be, pn, rows), first);
  }
  return { matrix, width: w, norms };
}

/**
 * With M = X − mean (n×d, f64) and Q (d×l): Y = MQ (n×l) and Z = MᵀY (d×l), both in f64, the data
 * streamed through the module in chunks (centred by a SIMD kernel, Y in 4×4 tiles, Z summed over chunks).
 */
export function centredProducts(x: Float64Array, n: number, d: number, mean: Float64Array, q: Float64Array, l: number): { y: Float64Array; z: Float64Array } {
  const be = backend();
  // Chunks as centredF32's (rows of d rounded up to even), so Z sums its parts in the same order.
  const chunk = Math.max(1, Math.min(n, Math.floor(CHUNK_VALUES / (d + (d & 1)))));
  const y = new Float64Array(n * l), z = new Float64Array(d * l);
  be.scoped((alloc) => {
    const px = alloc(chunk * d * 8), pq = putF64(be, alloc, q), py = alloc(chunk * l * 8), pz = alloc(d * l * 8), pmean = putF64(be, alloc, mean);
    for (let first = 0; first < n; first += chunk) {
      const rows = Math.min(chunk, n - first);
      stageRows(be, px, x, first, rows, d, d);
      be.call('centreRows', px, rows, d, pmean);
      be.launch('rowsTimes', [px, d, pq, l, py], rows, 4, rows * d * l);
      be.launch('gramCross', [px, rows, d, py, l, pz], d, 4, rows * d * l);
      y.set(readF64(be, py, rows * l), first * l);
      addF64Into(be, pz, z);
    }
  });
  return { y, z };
}
