// Elementwise and row kernels for the layers: the sigmoid, tanh and row softmax that
// activation.ts fuses after a GEMM, the bias gradient (sum over rows) and the finite check of
// inputs. All f32, row-major, pure functions over memory.
//
// The transcendental functions are our own expf4 and AssemblyScript's Mathf, compiled into the
// module, not the host's, so every runtime computes the same bits.
import { expf4, loadPartial, storePartial } from './expf';

/**
 * y = 1 / (1 + e^−x), four lanes at a time with expf4 (e^−x is clamped finite, so no overflow
 * for any x). y may alias x.
 */
export function sigmoid(x: usize, y: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.div(one, f32x4.add(one, expf4(f32x4.neg(v128.load(x + o))))));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storePartial(y + o, f32x4.div(one, f32x4.add(one, expf4(f32x4.neg(loadPartial(x + o, n - i))))), n - i);
  }
}

/** y = tanh(x). y may alias x. */
export function tanh(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, Mathf.tanh(load<f32>(x + o)));
  }
}

/**
 * Row softmax, stable: y[i, j] = e^(x[i, j] − m_i) / Σ_j e^(x[i, j] − m_i) with m_i = max_j x[i, j],
 * so no exponent overflows. Rows rowStart ≤ i < rowEnd. y may alias x.
 */
export function softmaxRows(x: usize, y: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const xr = x + (<usize>i * cols << 2);
    const yr = y + (<usize>i * cols << 2);
    let m = -Infinity as f32;
    for (let j = 0; j < cols; j++) m = max(m, load<f32>(xr + (<usize>j << 2)));
    const vm = f32x4.splat(m);
    // Exponentials four at a time; the sum runs left to right over the stored values.
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, expf4(f32x4.sub(v128.load(xr + o), vm)));
    }
    if (j < cols) storePartial(yr + (<usize>j << 2), expf4(f32x4.sub(loadPartial(xr + (<usize>j << 2), cols - j), vm)), cols - j);
    let sum: f32 = 0;
    for (let k = 0; k < cols; k++) sum += load<f32>(yr + (<usize>k << 2));
    const inv: f32 = 1 / sum;
    for (let k = 0; k < cols; k++) {
      const o = yr + (<usize>k << 2);
      store<f32>(o, load<f32>(o) * inv);
    }
  }
}

/** out[j] = Σ_i x[i, j] over a rows×cols matrix (sum over rows: a bias gradient). */
export function sumRows(x: usize, rows: i32, cols: i32, out: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let acc = f32x4.splat(0);
    for (let i = 0; i < rows; i++) acc = f32x4.add(acc, v128.load(x + ((<usize>i * cols + j) << 2)));
    v128.store(out + (<usize>j << 2), acc);
  }
  for (; j < cols; j++) {
    let acc: f32 = 0;
    for (let i = 0; i < rows; i++) acc += load<f32>(x + ((<usize>i * cols + j) << 2));
    store<f32>(out + (<usize>j << 2), acc);
  }
}

/**
 * Index of the first NaN or ±Infinity among n floats, or −1: input validation at memory speed.
 * x − x is 0 for finite x and NaN otherwise, and NaN is the only value not equal to itself.
 */
export function firstNonFinite(x: usize, n: i32): i32 {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const d0 = f32x4.sub(v128.load(p), v128.load(p));
    const d1 = f32x4.sub(v128.load(p, 16), v128.load(p, 16));
    const d2 = f32x4.sub(v128.load(p, 32), v128.load(p, 32));
    const d3 = f32x4.sub(v128.load(p, 48), v128.load(p, 48));
    const bad = v128.or(v128.or(f32x4.ne(d0, d0), f32x4.ne(d1, d1)), v128.or(f32x4.ne(d2, d2), f32x4.ne(d3, d3)));
    if (v128.any_true(bad)) break;
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    const d = v - v;
    if (d != d) return i;
  }
  return -1;
}
