// f64 linear algebra for the estimators, over the WebAssembly kernels (assembly/linalg/): Gram
// matrices (threaded) and symmetric eigendecompositions; small dense helpers in plain JS.
import { ValueError } from './errors.js';
import { backend } from './runtime/backend.js';

/** XᵀX (d×d) of X (n×d, row-major). */
export function gram(x: Float64Array, n: number, d: number): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const px = alloc(Math.max(8, n * d * 8));
    new Float64Array(be.memory.buffer, px, n * d).set(x);
    const out = alloc(d * d * 8);
    be.launch('gramRows', [px, n, d, out], Math.ceil(d / 4), 1, n * d * d);
    be.call('gramMirror', out, d);
    return new Float64Array(be.memory.buffer, out, d * d).slice();
  });
}

/** Eigenvalues (ascending) and eigenvectors (rows, in the same order) of the symmetric d×d matrix a. */
export function eigh(a: Float64Array, d: number, where: string): { values: Float64Array; vectors: Float64Array } {
  const be = backend();
  return be.scoped((alloc) => {
    const pa = alloc(d * d * 8);
    new Float64Array(be.memory.buffer, pa, d * d).set(a);
    const values = alloc(d * 8), work = alloc(d * 16);
    if (be.exports.symmetricEigen(pa, d, values, work) !== 0) throw new ValueError(`${where}: the eigenvalue iteration did not converge`);
    return { values: new Float64Array(be.memory.buffer, values, d).slice(), vectors: new Float64Array(be.memory.buffer, pa, d * d).slice() };
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
    const px = alloc(Math.max(8, n * d * 8));
    new Float64Array(be.memory.buffer, px, n * d).set(x);
    const pv = alloc(Math.max(8, k * d * 8));
    new Float64Array(be.memory.buffer, pv, k * d).set(v);
    const out = alloc(Math.max(8, n * k * 8));
    be.launch('projectRows', [px, d, pv, k, out], n, 1, n * d * k);
    return new Float64Array(be.memory.buffer, out, n * k).slice();
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
    const pa = alloc(rows * cols * 8), work = alloc((2 * rows * cols + cols) * 8);
    new Float64Array(be.memory.buffer, pa, rows * cols).set(a);
    be.call('orthonormalBasis', pa, rows, cols, work);
    return new Float64Array(be.memory.buffer, pa, rows * cols).slice();
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
    new Int16Array(be.memory.buffer, pt, pairs * dPad * 2).fill(0);
    new Float64Array(be.memory.buffer, ps, dEven).fill(0);
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const rows = Math.min(chunk, n - r0);
      const staged = new Float64Array(be.memory.buffer, px, chunk * dEven);
      if (dEven === d) staged.set(x.subarray(r0 * d, (r0 + rows) * d));
      else for (let r = 0; r < rows; r++) { staged.set(x.subarray((r0 + r) * d, (r0 + r + 1) * d), r * dEven); staged[r * dEven + d] = 0; }
      if (rows & 1) staged.fill(0, rows * dEven, (rows + 1) * dEven);
      if (be.exports.gridCodes(px, rows + (rows & 1), dEven, scale, GRID_TOLERANCE, pt + (r0 / 2) * dPad * 4, dPad, ps) !== 0) return null;
    }
    const sums = new Float64Array(be.memory.buffer, ps, d).slice();
    new Float64Array(be.memory.buffer, out, dPad * dPad).fill(0);
    be.launch('gramGridRows', [pt, pairs, dPad, out], dPad / 4, 1, (n * dPad * dPad) / 4);
    const raw = new Float64Array(be.memory.buffer, out, dPad * dPad);
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
