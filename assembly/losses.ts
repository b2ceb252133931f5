// Losses per row, with their gradients, in one pass over a batch's predictions. Codes are shared
// with src/losses.ts. p is clipped to [ε, 1 − ε], ε = 1e-7, as Keras does, so log never sees 0.
//
// With `fused` set, the gradient is taken with respect to the pre-activation z of the layer that
// produced p (softmax for the categorical losses, sigmoid for the binary one), where the chain
// rule collapses to (p − t): exact and stable, and the activation's backward pass is skipped.
//   categorical: L = −Σ_j t_j log p_j,  dL/dz_j = p_j Σ_k t_k − t_j
//   binary:      L = −mean_j [t_j log p_j + (1 − t_j) log(1 − p_j)],  dL/dz_j = (p_j − t_j) / cols
//   mse:         L = mean_j (p_j − t_j)²,  dL/dp_j = 2 (p_j − t_j) / cols
// Sparse categorical reads the class index of row i from target[i] (an f32 holding an integer).
import { Loss } from './codes';


const EPSILON: f32 = 1e-7;

// @ts-ignore: decorator
@inline
function clip(p: f32): f32 {
  return min(max(p, EPSILON), 1 - EPSILON);
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
        } else {
          const c = clip(pj);
          l -= tj * Mathf.log(c) + (1 - tj) * Mathf.log(1 - c);
          g = (fused ? pj - tj : (c - tj) / (c * (1 - c))) * invCols;
        }
        if (grad != 0) store<f32>(gr + o, gs * g);
      }
      if (kind != Loss.CategoricalCrossentropy) l *= invCols;
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
