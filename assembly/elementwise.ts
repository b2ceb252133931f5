// Elementwise and row kernels for the layers: bias add, activations and their derivatives,
// stable row softmax, row/column sums, axpy and scaling. All f32, row-major, pure functions over
// memory. Kernels whose work splits by rows take (rowStart, rowEnd) like gemm, so the worker pool
// can share them out; the others take a length.
//
// The transcendental functions are our own expf4 and AssemblyScript's Mathf, compiled into the
// module, not the host's, so every runtime computes the same bits.
import { expf4, loadPartial, storePartial } from './expf';

/** x[i, j] += bias[j] for rows rowStart ≤ i < rowEnd of a rows×cols matrix. */
export function biasAdd(x: usize, bias: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

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

/** dx = dy · y · (1 − y), where y = sigmoid(x) from the forward pass. dx may alias dy. */
export function sigmoidBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const s = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.mul(s, f32x4.sub(one, s))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const s = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (s * (1 - s)));
  }
}

/** y = max(x, 0). y may alias x. */
export function relu(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.pmax(v128.load(x + o), zero));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : 0);
  }
}

/** dx = dy where x > 0, else 0 (the subgradient at 0 is taken as 0, as Keras and TF.js do). */
export function reluBackward(x: usize, dy: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const mask = f32x4.gt(v128.load(x + o), zero);
    v128.store(dx + o, v128.and(v128.load(dy + o), mask));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(x + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** y = tanh(x). y may alias x. */
export function tanh(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, Mathf.tanh(load<f32>(x + o)));
  }
}

/** dx = dy · (1 − y²), where y = tanh(x) from the forward pass. dx may alias dy. */
export function tanhBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const t = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.sub(one, f32x4.mul(t, t))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const t = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (1 - t * t));
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

/** out[i] = Σ_j x[i, j] for rows rowStart ≤ i < rowEnd (sum over columns), summed left to right. */
export function sumCols(x: usize, cols: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * cols << 2);
    let acc: f32 = 0;
    for (let j = 0; j < cols; j++) acc += load<f32>(row + (<usize>j << 2));
    store<f32>(out + (<usize>i << 2), acc);
  }
}

/** y += alpha · x over n elements. */
export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

/** x *= alpha over n elements. */
export function scale(n: i32, alpha: f32, x: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(va, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, alpha * load<f32>(x + o));
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
