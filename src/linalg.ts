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
    be.launch('gramRows', [px, n, d, out], d, 4, n * d * d);
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
