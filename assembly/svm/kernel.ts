// Kernel functions of the SVMs, in f64 over row-major f64 samples (as libsvm computes them):
//   linear  K(x, z) = x·z            poly  (γ x·z + r)^degree
//   rbf     exp(−γ‖x − z‖²), with ‖x − z‖² = ‖x‖² + ‖z‖² − 2 x·z from precomputed squared norms
//   sigmoid tanh(γ x·z + r)          precomputed  K(x, z) read from the Gram matrix
// Codes are shared with src/svm/kernels.ts.
import { Kernel } from '../codes';
import { squaredDistance } from '../distance';


/** x·z over d f64 values, two lanes at a time, pairwise within lanes then summed. */
// @ts-ignore: decorator
@inline
export function dot(x: usize, z: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = <usize>k << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(z + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(z + o, 16)));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; k < d; k++) s += load<f64>(x + (<usize>k << 3)) * load<f64>(z + (<usize>k << 3));
  return s;
}

/** (γ·t + r)^degree for an integer degree ≥ 0, by repeated squaring as libsvm's powi. */
// @ts-ignore: decorator
@inline
function powi(base: f64, degree: i32): f64 {
  let result: f64 = 1;
  let b = base;
  for (let t = degree; t > 0; t >>= 1) {
    if (t & 1) result *= b;
    b *= b;
  }
  return result;
}

/** K(a_i, b_j) for row i of A and row j of B (d features); sqA/sqB hold squared norms for Kernel.Rbf. */
// @ts-ignore: decorator
@inline
export function kernelValue(
  kind: i32, a: usize, i: i32, b: usize, j: i32, d: i32, gamma: f64, coef0: f64, degree: i32, sqA: usize, sqB: usize,
): f64 {
  const x = a + (<usize>i * d << 3), z = b + (<usize>j * d << 3);
  if (kind == Kernel.Rbf) {
    const dist = load<f64>(sqA + (<usize>i << 3)) + load<f64>(sqB + (<usize>j << 3)) - 2 * dot(x, z, d);
    return Math.exp(-gamma * max(dist, 0));
  }
  const t = dot(x, z, d);
  if (kind == Kernel.Linear) return t;
  if (kind == Kernel.Poly) return powi(gamma * t + coef0, degree);
  return Math.tanh(gamma * t + coef0);
}

/** out[i] = ‖x_i‖² for rows of a row-major n×d matrix. */
export function squaredNorms(x: usize, n: i32, d: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * d << 3);
    store<f64>(out + (<usize>i << 3), dot(row, row, d));
  }
}

/**
 * out[i, j] = K(a_i, b_j) for rows rowStart ≤ i < rowEnd of A (m×d) against all nB rows of B:
 * the prediction kernel matrix, split across threads by rows. With Kernel.Precomputed, A already is the
 * kernel matrix and is copied.
 */
export function kernelMatrix(
  kind: i32, a: usize, b: usize, nB: i32, d: i32, gamma: f64, coef0: f64, degree: i32, sqA: usize, sqB: usize,
  out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const o = out + (<usize>i * nB << 3);
    if (kind == Kernel.Precomputed) {
      memory.copy(o, a + (<usize>i * nB << 3), <usize>nB << 3);
      continue;
    }
    if (kind == Kernel.Rbf) {
      // ‖x − z‖² summed directly (as scikit-learn predicts): no cancellation between the norms.
      const x = a + (<usize>i * d << 3);
      for (let j = 0; j < nB; j++) store<f64>(o + (<usize>j << 3), Math.exp(-gamma * squaredDistance(x, b + (<usize>j * d << 3), d)));
      continue;
    }
    for (let j = 0; j < nB; j++) store<f64>(o + (<usize>j << 3), kernelValue(kind, a, i, b, j, d, gamma, coef0, degree, sqA, sqB));
  }
}

/**
 * out[i, j] = K from the dot products dots[i, j] = x_i·s_j (f32, from the GEMM) and the f64
 * squared norms: rbf exp(−γ max(‖x‖² + ‖s‖² − 2x·s, 0)), poly, sigmoid, linear. Rows
 * rowStart ≤ i < rowEnd: the prediction kernel matrix, one GEMM plus this pass.
 */
export function kernelFromDots(
  kind: i32, dots: usize, sqA: usize, sqB: usize, nB: i32, gamma: f64, coef0: f64, degree: i32, out: usize,
  rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const dr = dots + (<usize>i * nB << 2);
    const o = out + (<usize>i * nB << 3);
    const sa = load<f64>(sqA + (<usize>i << 3));
    for (let j = 0; j < nB; j++) {
      const t = <f64>load<f32>(dr + (<usize>j << 2));
      let v: f64;
      if (kind == Kernel.Rbf) v = Math.exp(-gamma * max(sa + load<f64>(sqB + (<usize>j << 3)) - 2 * t, 0));
      else if (kind == Kernel.Linear) v = t;
      else if (kind == Kernel.Poly) v = powi(gamma * t + coef0, degree);
      else v = Math.tanh(gamma * t + coef0);
      store<f64>(o + (<usize>j << 3), v);
    }
  }
}
