// scikit-learn's half losses (sklearn/_loss): their mean, which early stopping watches, and their
// gradients and hessians with respect to the raw prediction, stored as f32 as scikit-learn's booster does (G_H_DTYPE); a sample weight multiplies
// both. Multinomial: p = softmax(raw) with the maximum subtracted, g_k = p_k − [y = k], h_k =
// p_k(1 − p_k).
import { BoostLoss } from '../codes';

/**
 * Samples start ≤ i < end: g[c·n + i] (f32) and, unless h is 0 (a constant hessian), h[c·n + i]
 * for the k columns c of raw (f64, k×n, class-major); y (f64) holds targets or class indices,
 * w (f64) sample weights or 0. Unless losses is 0, losses[i] (f64) = the sample's (unweighted)
 * loss at the same raw predictions, from the same exponentials.
 */
export function boostGradients(loss: i32, quantile: f64, y: usize, raw: usize, w: usize, n: i32, k: i32, g: usize, h: usize, losses: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const t = load<f64>(y + (<usize>i << 3));
    const weight = w != 0 ? load<f64>(w + (<usize>i << 3)) : 1.0;
    if (loss == BoostLoss.Multinomial) {
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = max(top, load<f64>(raw + ((<usize>c * n + i) << 3)));
      let sum = 0.0;
      for (let c = 0; c < k; c++) sum += Math.exp(load<f64>(raw + ((<usize>c * n + i) << 3)) - top);
      for (let c = 0; c < k; c++) {
        const p = Math.exp(load<f64>(raw + ((<usize>c * n + i) << 3)) - top) / sum;
        const at = <usize>c * n + i;
        store<f32>(g + (at << 2), <f32>(weight * (p - (<i32>t == c ? 1.0 : 0.0))));
        store<f32>(h + (at << 2), <f32>(weight * p * (1.0 - p)));
      }
      if (losses != 0) store<f64>(losses + (<usize>i << 3), top + Math.log(sum) - load<f64>(raw + ((<usize>(<i32>t) * n + i) << 3)));
      continue;
    }
    const r = load<f64>(raw + (<usize>i << 3));
    let gradient = 0.0, hessian = 1.0, value = 0.0;
    if (loss == BoostLoss.SquaredError) {
      gradient = r - t;
      value = 0.5 * gradient * gradient;
    } else if (loss == BoostLoss.AbsoluteError) {
      gradient = r > t ? 1.0 : -1.0;
      value = Math.abs(t - r);
    } else if (loss == BoostLoss.Quantile) {
      gradient = t > r ? -quantile : 1.0 - quantile;
      value = t >= r ? quantile * (t - r) : (1.0 - quantile) * (r - t);
    } else if (loss == BoostLoss.Poisson) {
      const e = Math.exp(r);
      gradient = e - t;
      hessian = e;
      value = e - t * r;
    } else {
      // Binomial: expit(r) − y and expit(r)(1 − expit(r)) from e = exp(−|r|) (never overflows);
      // the loss log(1 + exp(r)) − y·r as max(r, 0) + log1p(e) − y·r.
      const e = Math.exp(-Math.abs(r));
      if (r > 0) gradient = ((1.0 - t) - t * e) / (1.0 + e);
      else gradient = ((1.0 - t) * e - t) / (1.0 + e);
      hessian = e / ((1.0 + e) * (1.0 + e));
      if (losses != 0) value = max(r, 0.0) + Math.log1p(e) - t * r;
    }
    if (losses != 0) store<f64>(losses + (<usize>i << 3), value);
    store<f32>(g + (<usize>i << 2), <f32>(weight * gradient));
    if (h != 0) store<f32>(h + (<usize>i << 2), <f32>(weight * hessian));
  }
}

/** log(1 + e^x) without overflow (scikit-learn's log1pexp). */
function log1pExp(x: f64): f64 {
  if (x <= -37) return Math.exp(x);
  if (x <= -2) return Math.log1p(Math.exp(x));
  if (x <= 18) return Math.log(1 + Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/** out[i] = the loss of sample i's raw predictions (f64, k×n, class-major) against y[i], start ≤ i < end. */
export function boostLosses(loss: i32, quantile: f64, y: usize, raw: usize, n: i32, k: i32, out: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const t = load<f64>(y + (<usize>i << 3));
    const r = load<f64>(raw + (<usize>i << 3));
    let l = 0.0;
    if (loss == BoostLoss.SquaredError) l = 0.5 * (r - t) * (r - t);
    else if (loss == BoostLoss.AbsoluteError) l = Math.abs(t - r);
    else if (loss == BoostLoss.Quantile) l = t >= r ? quantile * (t - r) : (1.0 - quantile) * (r - t);
    else if (loss == BoostLoss.Poisson) l = Math.exp(r) - t * r;
    else if (loss == BoostLoss.Binomial) l = log1pExp(r) - t * r;
    else {
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = max(top, load<f64>(raw + ((<usize>c * n + i) << 3)));
      let s = 0.0;
      for (let c = 0; c < k; c++) s += Math.exp(load<f64>(raw + ((<usize>c * n + i) << 3)) - top);
      l = top + Math.log(s) - load<f64>(raw + ((<usize>(<i32>t) * n + i) << 3));
    }
    store<f64>(out + (<usize>i << 3), l);
  }
}

/** Σ w[i]·values[i] / Σ w[i] in order (w 0: the plain mean): the mean loss from boostLosses' values. */
export function boostWeightedMean(values: usize, w: usize, n: i32): f64 {
  let sum = 0.0, total = 0.0;
  for (let i = 0; i < n; i++) {
    const weight = w != 0 ? load<f64>(w + (<usize>i << 3)) : 1.0;
    sum += weight * load<f64>(values + (<usize>i << 3));
    total += weight;
  }
  return sum / total;
}
