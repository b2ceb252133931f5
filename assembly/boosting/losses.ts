// scikit-learn's half losses (sklearn/_loss): their mean, which early stopping watches, and their
// gradients and hessians with respect to the raw prediction, stored as f32 as scikit-learn's booster does (G_H_DTYPE); a sample weight multiplies
// both. Multinomial: p = softmax(raw) with the maximum subtracted, g_k = p_k − [y = k], h_k =
// p_k(1 − p_k).
import { BOOST_LOSS_CHUNK, BoostLoss } from '../codes';

// A sample's loss is split as linear + log(factor) (factor 1 when the loss has no logarithm:
// binomial max(r, 0) − y·r + log(1 + e^−|r|), multinomial max − raw_y + log Σ e^(raw − max)). A
// chunk's unweighted sum takes one logarithm of the product of its factors, not one per sample:
// each factor lies in [1, k], the product is flushed into a logarithm before it passes 2^600, and
// its rounding (a relative 2^−53 per factor) moves the sum by at most about 1e−16 per sample, as
// a logarithm per sample would. Weighted sums take the logarithm per sample. Wasm globals are
// each thread's own, so the kernels keep a chunk's state in them.
let termLinear = 0.0, termFactor = 1.0;
let chunkSum = 0.0, chunkLogs = 0.0, chunkProduct = 1.0;
const FLUSH: f64 = 4.149515568880993e180; // 2^600

// @ts-ignore: decorator
@inline function addTerm(weight: f64, weighted: bool): void {
  if (weighted) {
    chunkSum += weight * (termFactor != 1.0 ? termLinear + Math.log(termFactor) : termLinear);
    return;
  }
  chunkSum += termLinear;
  chunkProduct *= termFactor;
  if (chunkProduct > FLUSH) {
    chunkLogs += Math.log(chunkProduct);
    chunkProduct = 1.0;
  }
}

/** Stores the chunk of sample i when i closes it (or the range), and starts the next. */
// @ts-ignore: decorator
@inline function closeChunk(out: usize, i: i32, end: i32): void {
  if ((i + 1) % BOOST_LOSS_CHUNK != 0 && i + 1 != end) return;
  store<f64>(out + (<usize>(i / BOOST_LOSS_CHUNK) << 3), chunkSum + (chunkLogs + Math.log(chunkProduct)));
  chunkSum = 0.0;
  chunkLogs = 0.0;
  chunkProduct = 1.0;
}

/** Sets termLinear and termFactor for the single-output losses at target t and raw prediction r (binomial: e = e^−|r| given). */
// @ts-ignore: decorator
@inline function singleTerms(loss: i32, quantile: f64, t: f64, r: f64, e: f64): void {
  termFactor = 1.0;
  if (loss == BoostLoss.SquaredError) termLinear = 0.5 * (r - t) * (r - t);
  else if (loss == BoostLoss.AbsoluteError) termLinear = Math.abs(t - r);
  else if (loss == BoostLoss.Quantile) termLinear = t >= r ? quantile * (t - r) : (1.0 - quantile) * (r - t);
  else if (loss == BoostLoss.Poisson) termLinear = e - t * r;
  else {
    termLinear = max(r, 0.0) - t * r;
    termFactor = 1.0 + e;
  }
}

/** Sets the multinomial terms of sample i: top = the largest raw value, sum = Σ e^(raw − top). */
// @ts-ignore: decorator
@inline function multinomialTerms(raw: usize, n: i32, i: i32, t: f64, top: f64, sum: f64): void {
  termLinear = top - load<f64>(raw + ((<usize>(<i32>t) * n + i) << 3));
  termFactor = sum;
}

/**
 * Samples start ≤ i < end: g[c·n + i] (f32) and, unless h is 0 (a constant hessian), h[c·n + i]
 * for the k columns c of raw (f64, k×n, class-major); y (f64) holds targets or class indices,
 * w (f64) sample weights or 0. Unless losses is 0, losses[j] (f64) = the (weighted) loss summed
 * over chunk j's samples (BOOST_LOSS_CHUNK of them; start is a multiple of it) at the same raw
 * predictions, from the same exponentials.
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
      if (losses != 0) {
        multinomialTerms(raw, n, i, t, top, sum);
        addTerm(weight, w != 0);
        closeChunk(losses, i, end);
      }
      continue;
    }
    const r = load<f64>(raw + (<usize>i << 3));
    let gradient = 0.0, hessian = 1.0, e = 0.0;
    if (loss == BoostLoss.SquaredError) gradient = r - t;
    else if (loss == BoostLoss.AbsoluteError) gradient = r > t ? 1.0 : -1.0;
    else if (loss == BoostLoss.Quantile) gradient = t > r ? -quantile : 1.0 - quantile;
    else if (loss == BoostLoss.Poisson) {
      e = Math.exp(r);
      gradient = e - t;
      hessian = e;
    } else {
      // Binomial: expit(r) − y and expit(r)(1 − expit(r)) from e = exp(−|r|) (never overflows).
      e = Math.exp(-Math.abs(r));
      if (r > 0) gradient = ((1.0 - t) - t * e) / (1.0 + e);
      else gradient = ((1.0 - t) * e - t) / (1.0 + e);
      hessian = e / ((1.0 + e) * (1.0 + e));
    }
    if (losses != 0) {
      singleTerms(loss, quantile, t, r, e);
      addTerm(weight, w != 0);
      closeChunk(losses, i, end);
    }
    store<f32>(g + (<usize>i << 2), <f32>(weight * gradient));
    if (h != 0) store<f32>(h + (<usize>i << 2), <f32>(weight * hessian));
  }
}

/** out[j] = the (weighted: w ≠ 0) loss summed over chunk j of the raw predictions (f64, k×n, class-major) against y, for samples start ≤ i < end (start a multiple of BOOST_LOSS_CHUNK). */
export function boostLosses(loss: i32, quantile: f64, y: usize, raw: usize, w: usize, n: i32, k: i32, out: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const t = load<f64>(y + (<usize>i << 3));
    if (loss == BoostLoss.Multinomial) {
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = max(top, load<f64>(raw + ((<usize>c * n + i) << 3)));
      let s = 0.0;
      for (let c = 0; c < k; c++) s += Math.exp(load<f64>(raw + ((<usize>c * n + i) << 3)) - top);
      multinomialTerms(raw, n, i, t, top, s);
    } else {
      const r = load<f64>(raw + (<usize>i << 3));
      singleTerms(loss, quantile, t, r, loss == BoostLoss.Poisson ? Math.exp(r) : loss == BoostLoss.Binomial ? Math.exp(-Math.abs(r)) : 0.0);
    }
    addTerm(w != 0 ? load<f64>(w + (<usize>i << 3)) : 1.0, w != 0);
    closeChunk(out, i, end);
  }
}

/** The mean loss: Σ chunks[j] in order over total (Σ w in order, or the sample count: the caller's, once per fit). */
export function boostLossMean(chunks: usize, count: i32, total: f64): f64 {
  let sum = 0.0;
  for (let j = 0; j < count; j++) sum += load<f64>(chunks + (<usize>j << 3));
  return sum / total;
}
