// Keras' parametric rectifier layers, elementwise over [start, end) so the pool splits them:
//   ReLU:            f(x) = maxValue if x ≥ maxValue; x if threshold ≤ x < maxValue; slope·(x − threshold) below
//                    (LeakyReLU is slope α, threshold 0, no maximum)
//   ELU:             f(x) = x if x > 0, α(eˣ − 1) otherwise
//   ThresholdedReLU: f(x) = x if x > θ, 0 otherwise
// Backward multiplies dy by f′(x), from the layer's input x.
import { Rectifier } from './codes';

export function rectify(kind: i32, x: usize, y: usize, a: f32, b: f32, c: f32, start: i32, end: i32): void {
  let i = start;
  if (kind == Rectifier.Relu) {
    // Four at a time: the slope below the threshold, the identity above it, the maximum above that.
    const va = f32x4.splat(a), vb = f32x4.splat(b), vc = f32x4.splat(c);
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      const below = f32x4.mul(vb, f32x4.sub(v, vc));
      v128.store(y + o, v128.bitselect(va, v128.bitselect(v, below, f32x4.ge(v, vc)), f32x4.ge(v, va)));
    }
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    let r: f32;
    if (kind == Rectifier.Relu) r = v >= a ? a : v >= c ? v : b * (v - c);
    else if (kind == Rectifier.Elu) r = v > 0 ? v : a * Mathf.expm1(v);
    else r = v > a ? v : 0;
    store<f32>(y + o, r);
  }
}

/** dx = dy · f′(x); for ReLU a = maxValue, b = slope, c = threshold; for ELU a = α; for ThresholdedReLU a = θ. dx may alias dy. */
export function rectifyBackward(kind: i32, x: usize, dy: usize, dx: usize, a: f32, b: f32, c: f32, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    let d: f32;
    if (kind == Rectifier.Relu) d = v >= a ? 0 : v >= c ? 1 : b;
    else if (kind == Rectifier.Elu) d = v > 0 ? 1 : a * Mathf.exp(v);
    else d = v > a ? 1 : 0;
    store<f32>(dx + o, load<f32>(dy + o) * d);
  }
}
