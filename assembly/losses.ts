// Losses per row, with their gradients, in one pass over a batch's predictions. Codes are shared
// with src/losses.ts. p is clipped to [ε, 1 − ε], ε = 1e-7, as Keras does, so log never sees 0.
//
// With `fused` set, the gradient is taken with respect to the pre-activation z of the layer that
// produced p (softmax for the categorical losses, sigmoid for the binary one), where the chain
// rule collapses to (p − t): exact and stable, and the activation's backward pass is skipped.
//   categorical: L = −Σ_j t_j log p_j,  dL/dz_j = p_j Σ_k t_k − t_j
//   binary:      L = −mean_j [t_j log p_j + (1 − t_j) log(1 − p_j)],  dL/dz_j = (p_j − t_j) / cols
//   mse:         L = mean_j (p_j − t_j)²,  dL/dp_j = 2 (p_j − t_j) / cols
//   mae:         L = mean_j |p_j − t_j|,  dL/dp_j = sign(p_j − t_j) / cols
//   mape:        L = 100 mean_j |t_j − p_j| / max(|t_j|, ε),  dL/dp_j = 100 sign(p_j − t_j) / max(|t_j|, ε) / cols  (Keras)
//   huber (δ 1): L = mean_j (½d² if |d| ≤ 1 else |d| − ½), d = p_j − t_j,  dL/dp_j = clamp(d, −1, 1) / cols
//   log loss:    L = −mean_j [t_j log(p_j + ε) + (1 − t_j) log(1 − p_j + ε)]  (tf.losses.logLoss: ε added, not clipped)
//   hinge:       L = mean_j max(0, 1 − t_j p_j)  (TF.js layers' hinge: labels ±1 as given)
//   hinge loss:  the same with labels 0/1 mapped to ∓1 (tf.losses.hingeLoss: t ← 2t − 1)
//   cosine distance: L = 1 − Σ_j t_j p_j  (tf.losses.cosineDistance along the row: unit vectors assumed),  dL/dp_j = −t_j
//   sigmoid cross-entropy on logits z: L = mean_j [max(z, 0) − z t + log(1 + e^−|z|)],  dL/dz_j = (σ(z_j) − t_j) / cols
// Sparse categorical reads the class index of row i from target[i] (an f32 holding an integer).
import { Loss } from './codes';


const EPSILON: f32 = 1e-7;

// @ts-ignore: decorator
@inline
function clip(p: f32): f32 {
  return min(max(p, EPSILON), 1 - EPSILON);
}

// @ts-ignore: decorator
@inline
function sign(v: f32): f32 {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

// @ts-ignore: decorator
@inline
function sigmoidOf(z: f32): f32 {
  return z >= 0 ? 1 / (1 + Mathf.exp(-z)) : Mathf.exp(z) / (1 + Mathf.exp(z));
}

/**
 * loss[i] = w_i · L(p[i, :], t[i, :]); when grad ≠ 0 also grad[i, :] = scale · w_i · dL/d(p or z).
 * w_i = weights[i], or 1 when weights = 0. Rows rowStart ≤ i < rowEnd.
 */
export function lossRows(
  kind: i32, p: usize, target: usize, weights: usize, cols: i32, loss: usize, grad: usize, scale: f32,
  fused: i32, rowStart: i32, rowEnd: i32,
): void {
  const invCols: f32 = 1 / <f32>cols;
  for (let i = rowStart; i < rowEnd; i++) {
    const off = <usize>i * cols << 2;
    const pr = p + off, gr = grad + off;
    const w: f32 = weights != 0 ? load<f32>(weights + (<usize>i << 2)) : 1;
    const gs = scale * w;
    let l: f32 = 0;
    if (kind == Loss.SparseCategoricalCrossentropy) {
      const k = <i32>load<f32>(target + (<usize>i << 2));
      const pk = load<f32>(pr + (<usize>k << 2));
      l = -Mathf.log(clip(pk));
      if (grad != 0) {
        if (fused) {
          for (let j = 0; j < cols; j++) store<f32>(gr + (<usize>j << 2), gs * load<f32>(pr + (<usize>j << 2)));
          store<f32>(gr + (<usize>k << 2), gs * (pk - 1));
        } else {
          memory.fill(gr, 0, <usize>cols << 2);
          store<f32>(gr + (<usize>k << 2), -gs / clip(pk));
        }
      }
    } else {
      const tr = target + off;
      let tsum: f32 = 0;
      if (kind == Loss.CategoricalCrossentropy && fused) {
        for (let j = 0; j < cols; j++) tsum += load<f32>(tr + (<usize>j << 2));
      }
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 2;
        const pj = load<f32>(pr + o), tj = load<f32>(tr + o);
        let g: f32;
        if (kind == Loss.MeanSquaredError) {
          const d = pj - tj;
          l += d * d;
          g = 2 * d * invCols;
        } else if (kind == Loss.CategoricalCrossentropy) {
          const c = clip(pj);
          l -= tj * Mathf.log(c);
          g = fused ? pj * tsum - tj : -tj / c;
        } else if (kind == Loss.BinaryCrossentropy) {
          const c = clip(pj);
          l -= tj * Mathf.log(c) + (1 - tj) * Mathf.log(1 - c);
          g = (fused ? pj - tj : (c - tj) / (c * (1 - c))) * invCols;
        } else if (kind == Loss.MeanAbsoluteError) {
          const d = pj - tj;
          l += Mathf.abs(d);
          g = sign(d) * invCols;
        } else if (kind == Loss.MeanAbsolutePercentageError) {
          const d = pj - tj, denominator = max(Mathf.abs(tj), EPSILON);
          l += 100 * Mathf.abs(d) / denominator;
          g = 100 * sign(d) / denominator * invCols;
        } else if (kind == Loss.Huber) {
          const d = pj - tj, a = Mathf.abs(d);
          l += a <= 1 ? <f32>0.5 * d * d : a - <f32>0.5;
          g = min(max(d, -1), 1) * invCols;
        } else if (kind == Loss.LogLoss) {
          l -= tj * Mathf.log(pj + EPSILON) + (1 - tj) * Mathf.log(1 - pj + EPSILON);
          g = (-tj / (pj + EPSILON) + (1 - tj) / (1 - pj + EPSILON)) * invCols;
        } else if (kind == Loss.Hinge || kind == Loss.HingeLoss) {
          const s: f32 = kind == Loss.HingeLoss ? <f32>2 * tj - 1 : tj;
          const margin: f32 = <f32>1 - s * pj;
          l += max(margin, <f32>0);
          g = margin > 0 ? -s * invCols : 0;
        } else if (kind == Loss.CosineDistance) {
          l -= tj * pj;
          g = -tj;
        } else {
          // Sigmoid cross-entropy on logits, in the form that never overflows.
          l += max(pj, 0) - pj * tj + Mathf.log1p(Mathf.exp(-Mathf.abs(pj)));
          g = (sigmoidOf(pj) - tj) * invCols;
        }
        if (grad != 0) store<f32>(gr + o, gs * g);
      }
      if (kind == Loss.CosineDistance) l += 1;
      else if (kind != Loss.CategoricalCrossentropy) l *= invCols;
    }
    store<f32>(loss + (<usize>i << 2), w * l);
  }
}

/** out[i] = the index of the first largest value of row i (an i32), rows rowStart ≤ i < rowEnd. */
export function argmaxRows(x: usize, cols: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * cols << 2);
    let best: f32 = load<f32>(row);
    let at = 0;
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (v > best) {
        best = v;
        at = j;
      }
    }
    store<i32>(out + (<usize>i << 2), at);
  }
}
