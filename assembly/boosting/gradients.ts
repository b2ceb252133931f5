// Gradients and hessians of scikit-learn's half losses (sklearn/_loss) with respect to the raw
// prediction, stored as f32 as scikit-learn's booster does (G_H_DTYPE); a sample weight multiplies
// both. Multinomial: p = softmax(raw) with the maximum subtracted, g_k = p_k − [y = k], h_k =
// p_k(1 − p_k).
import { BoostLoss } from '../codes';

/**
 * Samples start ≤ i < end: g[c·n + i] (f32) and, unless h is 0 (a constant hessian), h[c·n + i]
 * for the k columns c of raw (f64, k×n, class-major); y (f64) holds targets or class indices,
 * w (f64) sample weights or 0.
 */
export function boostGradients(loss: i32, quantile: f64, y: usize, raw: usize, w: usize, n: i32, k: i32, g: usize, h: usize, start: i32, end: i32): void {
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
      continue;
    }
    const r = load<f64>(raw + (<usize>i << 3));
    let gradient = 0.0, hessian = 1.0;
    if (loss == BoostLoss.SquaredError) gradient = r - t;
    else if (loss == BoostLoss.AbsoluteError) gradient = r > t ? 1.0 : -1.0;
    else if (loss == BoostLoss.Quantile) gradient = t > r ? -quantile : 1.0 - quantile;
    else if (loss == BoostLoss.Poisson) {
      const e = Math.exp(r);
      gradient = e - t;
      hessian = e;
    } else {
      // Binomial: expit(r) − y and expit(r)(1 − expit(r)), from exp of −|r| (never overflows).
      if (r > 0) {
        const e = Math.exp(-r);
        gradient = ((1.0 - t) - t * e) / (1.0 + e);
        hessian = e / ((1.0 + e) * (1.0 + e));
      } else {
        const e = Math.exp(r);
        gradient = ((1.0 - t) * e - t) / (1.0 + e);
        hessian = e / ((1.0 + e) * (1.0 + e));
      }
    }
    store<f32>(g + (<usize>i << 2), <f32>(weight * gradient));
    if (h != 0) store<f32>(h + (<usize>i << 2), <f32>(weight * hessian));
  }
}
