// Softmax over an axis that is not the last (Keras' Softmax layer with axis): the tensor seen as
// [outer, len, inner], each line (o, ·, i) normalized over its len values, which lie inner floats
// apart. Stable (the line's maximum subtracted first), the exponentials as the row softmax takes
// them (expf4) and the sum left to right, so with inner = 1 these are the row softmax's bits.
// Backward is the softmax's Jacobian times dy: dx_k = y_k (dy_k − Σ_j dy_j y_j).
import { expf4 } from './expf';

/** Lines lineStart ≤ l < lineEnd (l = o · inner + i) of y = softmax(x); y may alias x. */
export function softmaxAxis(x: usize, y: usize, len: i32, inner: i32, lineStart: i32, lineEnd: i32): void {
  const step = <usize>inner << 2;
  for (let l = lineStart; l < lineEnd; l++) {
    const base = <usize>((l / inner) * len * inner + l % inner) << 2;
    let m = -Infinity as f32;
    for (let k = 0; k < len; k++) m = max(m, load<f32>(x + base + <usize>k * step));
    let sum: f32 = 0;
    for (let k = 0; k < len; k++) {
      const at = base + <usize>k * step;
      const e = f32x4.extract_lane(expf4(f32x4.splat(load<f32>(x + at) - m)), 0);
      store<f32>(y + at, e);
      sum += e;
    }
    const inv: f32 = 1 / sum;
    for (let k = 0; k < len; k++) {
      const at = y + base + <usize>k * step;
      store<f32>(at, load<f32>(at) * inv);
    }
  }
}

/** dx over lines lineStart ≤ l < lineEnd from the forward output y and dy; dx may alias dy. */
export function softmaxAxisBackward(y: usize, dy: usize, dx: usize, len: i32, inner: i32, lineStart: i32, lineEnd: i32): void {
  const step = <usize>inner << 2;
  for (let l = lineStart; l < lineEnd; l++) {
    const base = <usize>((l / inner) * len * inner + l % inner) << 2;
    let s: f32 = 0;
    for (let k = 0; k < len; k++) {
      const at = base + <usize>k * step;
      s += load<f32>(dy + at) * load<f32>(y + at);
    }
    for (let k = 0; k < len; k++) {
      const at = base + <usize>k * step;
      store<f32>(dx + at, load<f32>(y + at) * (load<f32>(dy + at) - s));
    }
  }
}
