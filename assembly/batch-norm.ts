// Batch normalization over the last axis of rows × cols values (Ioffe & Szegedy 2015, as Keras
// computes it): y = γ (x − μ) / √(σ² + ε) + β per column. Training uses the batch's mean and
// (biased) variance, summed in f64; inference the moving ones. Backward in training mode
// (x̂ = (x − μ)/σ, N rows):
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = (γ/σ)(dy − dβ/N − x̂·dγ/N)
// and in inference mode dx = dy·γ/σ (the statistics are constants).
// The channel axis need not be the last: the values are [rows, cols, inner], channel c's values
// at (r·cols + c)·inner + i (inner = 1 for the last axis, Keras' default).

/** mean[c], variance[c] of each channel of [rows, cols, inner] values (two passes: the mean, then the squared deviations). */
export function columnMoments(x: usize, rows: i32, cols: i32, inner: i32, mean: usize, variance: usize): void {
  const count = <f64>rows * <f64>inner;
  for (let c = 0; c < cols; c++) {
    let s: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const run = x + (<usize>(r * cols + c) * inner << 2);
      for (let i = 0; i < inner; i++) s += <f64>load<f32>(run + (<usize>i << 2));
    }
    const m = s / count;
    let q: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const run = x + (<usize>(r * cols + c) * inner << 2);
      for (let i = 0; i < inner; i++) {
        const d = <f64>load<f32>(run + (<usize>i << 2)) - m;
        q += d * d;
      }
    }
    store<f32>(mean + (<usize>c << 2), <f32>m);
    store<f32>(variance + (<usize>c << 2), <f32>(q / count));
  }
}

/** Each column's scale γ/√(σ² + ε) into out[0, cols) and shift β − mean·scale into out[cols, 2·cols) (gamma, beta 0: γ = 1, β = 0). */
export function normScaleShift(mean: usize, variance: usize, gamma: usize, beta: usize, epsilon: f32, cols: i32, out: usize): void {
  for (let c = 0; c < cols; c++) {
    const o = <usize>c << 2;
    const s: f32 = (gamma != 0 ? load<f32>(gamma + o) : 1) / Mathf.sqrt(load<f32>(variance + o) + epsilon);
    store<f32>(out + o, s);
    store<f32>(out + (<usize>cols << 2) + o, (beta != 0 ? load<f32>(beta + o) : 0) - load<f32>(mean + o) * s);
  }
}

/**
 * y = r(x·scale + shift) per column (scaleShift as normScaleShift writes it) over rows [rowStart,
 * rowEnd), four columns at a time; r is the ReLU family's rectifier (assembly/rectifiers.ts: a the
 * maximum, b the slope below the threshold c), so a ReLU layer after batch normalization costs no
 * pass of its own. a = +∞, c = −∞ leaves v as it is.
 */
export function scaleShiftColumns(x: usize, y: usize, cols: i32, inner: i32, scaleShift: usize, a: f32, b: f32, c: f32, rowStart: i32, rowEnd: i32): void {
  const shift = scaleShift + (<usize>cols << 2);
  const va = f32x4.splat(a), vb = f32x4.splat(b), vc = f32x4.splat(c);
  if (inner > 1) {
    // A channel axis before others: each channel's values are runs of `inner`, one scale and shift a run.
    for (let r = rowStart; r < rowEnd; r++) {
      for (let ch = 0; ch < cols; ch++) {
        const run = <usize>(r * cols + ch) * inner << 2;
        const sc = load<f32>(scaleShift + (<usize>ch << 2)), sh = load<f32>(shift + (<usize>ch << 2));
        const vs = f32x4.splat(sc), vt = f32x4.splat(sh);
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const o = run + (<usize>i << 2);
          v128.store(y + o, rectify4(f32x4.add(f32x4.mul(v128.load(x + o), vs), vt), va, vb, vc));
        }
        for (; i < inner; i++) {
          const o = run + (<usize>i << 2);
          store<f32>(y + o, rectify1(load<f32>(x + o) * sc + sh, a, b, c));
        }
      }
    }
    return;
  }
  for (let r = rowStart; r < rowEnd; r++) {
    const row = <usize>r * cols << 2;
    scaleShiftRun(x + row, y + row, cols, 0, scaleShift, shift, a, b, c);
  }
}

/** The ReLU family's rectifier of four values: a at or above a, v from c up, b·(v − c) below c (assembly/rectifiers.ts). */
// @ts-ignore: decorator
@inline
function rectify4(v: v128, va: v128, vb: v128, vc: v128): v128 {
  return v128.bitselect(va, v128.bitselect(v, f32x4.mul(vb, f32x4.sub(v, vc)), f32x4.ge(v, vc)), f32x4.ge(v, va));
}

/** The same of one value. */
// @ts-ignore: decorator
@inline
function rectify1(v: f32, a: f32, b: f32, c: f32): f32 {
  return v >= a ? a : v >= c ? v : b * (v - c);
}

/**
 * y[j] = r((x[j] + bias[j])·scale[j] + shift[j]) for j < count (bias 0: none), r the ReLU family's
 * rectifier (y may be x): scaleShiftColumns' row, and what a convolution or dense layer applies as
 * it writes (its bias, then a batch normalization at inference, then a ReLU layer).
 */
// @ts-ignore: decorator
@inline
export function scaleShiftRun(x: usize, y: usize, count: i32, bias: usize, scale: usize, shift: usize, a: f32, b: f32, c: f32): void {
  const va = f32x4.splat(a), vb = f32x4.splat(b), vc = f32x4.splat(c);
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const o = <usize>j << 2;
    const v = bias != 0 ? f32x4.add(v128.load(x + o), v128.load(bias + o)) : v128.load(x + o);
    v128.store(y + o, rectify4(f32x4.add(f32x4.mul(v, v128.load(scale + o)), v128.load(shift + o)), va, vb, vc));
  }
  for (; j < count; j++) {
    const o = <usize>j << 2;
    const v = bias != 0 ? load<f32>(x + o) + load<f32>(bias + o) : load<f32>(x + o);
    store<f32>(y + o, rectify1(v * load<f32>(scale + o) + load<f32>(shift + o), a, b, c));
  }
}

/**
 * The backward pass. `training`: through the batch statistics (dgamma, dbeta written when ≠ 0);
 * otherwise the statistics are constants. dx may be 0 (not needed).
 */
export function batchNormBackward(
  x: usize, dy: usize, dx: usize, rows: i32, cols: i32, inner: i32, mean: usize, variance: usize, gamma: usize,
  dgamma: usize, dbeta: usize, epsilon: f32, training: i32,
): void {
  const n = <f64>rows * <f64>inner;
  for (let c = 0; c < cols; c++) {
    const o = <usize>c << 2;
    const sigma = Math.sqrt(<f64>load<f32>(variance + o) + <f64>epsilon);
    const m = <f64>load<f32>(mean + o);
    const g: f64 = gamma != 0 ? <f64>load<f32>(gamma + o) : 1;
    let sumDy: f64 = 0, sumDyXhat: f64 = 0;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < inner; i++) {
        const at = <usize>((r * cols + c) * inner + i) << 2;
        const d = <f64>load<f32>(dy + at);
        sumDy += d;
        sumDyXhat += d * ((<f64>load<f32>(x + at) - m) / sigma);
      }
    }
    if (dbeta != 0) store<f32>(dbeta + o, <f32>sumDy);
    if (dgamma != 0) store<f32>(dgamma + o, <f32>sumDyXhat);
    if (dx == 0) continue;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < inner; i++) {
        const at = <usize>((r * cols + c) * inner + i) << 2;
        const d = <f64>load<f32>(dy + at);
        const v = training != 0 ? d - sumDy / n - ((<f64>load<f32>(x + at) - m) / sigma) * (sumDyXhat / n) : d;
        store<f32>(dx + at, <f32>((g / sigma) * v));
      }
    }
  }
}

/** moving ← moving − (moving − value)(1 − momentum), over n values (Keras' and TF.js' update). */
export function movingAverage(moving: usize, value: usize, n: i32, momentum: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const m = load<f32>(moving + o);
    store<f32>(moving + o, m - (m - load<f32>(value + o)) * (1 - momentum));
  }
}
