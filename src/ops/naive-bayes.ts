// Typed wrappers for naive Bayes: per-class weighted totals, means and squared deviations of the
// features (assembly/group-sums.ts), Gaussian NB's data term (assembly/naive-bayes.ts) and the
// discrete models' X·Wᵀ (assembly/linalg/product.ts rowsTimes). All in f64.
import { backend } from '../runtime/backend.js';
import { putF64, putI32, readF64 } from './memory.js';

/**
 * Per class (labels: each sample's class in [0, k)): Σ w·x (k×d) and, about those totals divided
 * by the class weights (the means), Σ w·(x − mean)² (k×d). mass: each class's total weight.
 */
export function classMoments(X: Float64Array, n: number, d: number, labels: Int32Array, k: number, mass: Float64Array, weights?: Float64Array): { sums: Float64Array; means: Float64Array; squares: Float64Array } {
  const be = backend();
  return be.scoped((alloc) => {
    const x = putF64(be, alloc, X.subarray(0, n * d)), pl = putI32(be, alloc, labels), pw = weights ? putF64(be, alloc, weights) : 0;
    const out = alloc(k * d * 8);
    be.launch('groupSums', [x, n, d, pl, pw, k, out], d, 1, n * d);
    const sums = readF64(be, out, k * d);
    const means = sums.map((v, i) => (mass[Math.floor(i / d)] > 0 ? v / mass[Math.floor(i / d)] : 0));
    be.launch('groupSquares', [x, n, d, pl, pw, k, putF64(be, alloc, means), out], d, 1, n * d);
    return { sums, means, squares: readF64(be, out, k * d) };
  });
}

/** Per class: Σ w·x (k×d), samples in order. */
export function classSums(X: Float64Array, n: number, d: number, labels: Int32Array, k: number, weights?: Float64Array): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const out = alloc(k * d * 8);
    be.launch('groupSums', [putF64(be, alloc, X.subarray(0, n * d)), n, d, putI32(be, alloc, labels), weights ? putF64(be, alloc, weights) : 0, k, out], d, 1, n * d);
    return readF64(be, out, k * d);
  });
}

/** out[i, c] = Σ_f (x_if − θ_cf)² / σ²_cf (n×k). */
export function gaussianSquares(X: Float64Array, n: number, d: number, theta: Float64Array, variance: Float64Array, k: number): Float64Array {
  const be = backend();
  return be.scoped((alloc) => {
    const out = alloc(n * k * 8);
    be.launch('gaussianSquares', [putF64(be, alloc, X.subarray(0, n * d)), d, putF64(be, alloc, theta), putF64(be, alloc, variance), k, out], n, 1, n * k * d);
    return readF64(be, out, n * k);
  });
}

/** X·Wᵀ (n×k) for W (k×d). */
export function timesTransposed(X: Float64Array, n: number, d: number, W: Float64Array, k: number): Float64Array {
  const be = backend();
  const q = new Float64Array(d * k);
  for (let c = 0; c < k; c++) for (let f = 0; f < d; f++) q[f * k + c] = W[c * d + f];
  return be.scoped((alloc) => {
    const out = alloc(n * k * 8);
    be.launch('rowsTimes', [putF64(be, alloc, X.subarray(0, n * d)), d, putF64(be, alloc, q), k, out], n, 4, n * d * k);
    return readF64(be, out, n * k);
  });
}
