// Weight penalties (Keras' L1L2) and constraints (Keras' MaxNorm, MinMaxNorm, UnitNorm, NonNeg),
// over n f32 values.
//   penalty  P(w) = l1 Σ|w| + l2 Σw²   (summed in f64)       gradient  l1 sign(w) + 2 l2 w
//   norm constraints, for each column c of w seen as rows × cols (the norm runs over the leading
//   axes, as Keras' axis 0 of a dense kernel or axes 0–2 of a convolution's): with n_c = ‖w_c‖,
//     max-norm:     w_c ← w_c · min(n_c, max) / (ε + n_c)
//     min-max-norm: w_c ← w_c · (rate · clip(n_c, min, max) + (1 − rate) n_c) / (ε + n_c)
//     unit-norm:    w_c ← w_c / (ε + n_c)
//   non-negativity: w ← max(w, 0).   ε = 1e-7, Keras' epsilon.
import { Constraint } from './codes';

const EPSILON: f32 = 1e-7;

/** l1 Σ|w| + l2 Σw² over n values, in f64. */
export function penalty(w: usize, n: i32, l1: f64, l2: f64): f64 {
  let a: f64 = 0, s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(w + (<usize>i << 2));
    a += Math.abs(v);
    s += v * v;
  }
  return l1 * a + l2 * s;
}

/** grad += l1 sign(w) + 2 l2 w over n values. */
export function penaltyGradient(w: usize, grad: usize, n: i32, l1: f32, l2: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(w + o);
    const sign: f32 = v > 0 ? 1 : v < 0 ? -1 : 0;
    store<f32>(grad + o, load<f32>(grad + o) + l1 * sign + 2 * l2 * v);
  }
}

/** Applies a constraint to w, rows × cols (the norm of each column for the norm constraints). */
export function constrain(kind: i32, w: usize, rows: i32, cols: i32, minValue: f32, maxValue: f32, rate: f32): void {
  if (kind == Constraint.NonNeg) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      const o = w + (<usize>i << 2);
      if (load<f32>(o) < 0) store<f32>(o, 0);
    }
    return;
  }
  for (let c = 0; c < cols; c++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const v = load<f32>(w + ((<usize>r * cols + c) << 2));
      s += v * v;
    }
    const norm = Mathf.sqrt(s);
    let desired: f32;
    if (kind == Constraint.MaxNorm) desired = min(norm, maxValue);
    else if (kind == Constraint.MinMaxNorm) desired = rate * min(max(norm, minValue), maxValue) + (1 - rate) * norm;
    else desired = 1;
    const factor = desired / (EPSILON + norm);
    for (let r = 0; r < rows; r++) {
      const o = w + ((<usize>r * cols + c) << 2);
      store<f32>(o, load<f32>(o) * factor);
    }
  }
}
