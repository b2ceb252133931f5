// scikit-learn's svd_flip (u-based): each component's sign is chosen so that, of the projections
// u = (x − μ)·v of the samples, the one of largest magnitude (the first of equals) is positive.
//
// All n·k projections come from the f32 GEMM; each is within b_r = (d + 4)·2⁻²³·‖x_r − μ‖ of the
// exact one (Higham, Accuracy and Stability of Numerical Algorithms, §3.1, with the f32 rounding
// of both inputs; ‖v‖ = 1). Every sample whose interval could hold the largest |u| is then
// projected again in f64, so the choice is the f64 one at a fraction of its cost.
import { backend } from '../runtime/backend.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';
import { centredF32 } from '../ops/linalg.js';
import { putF32, readF32 } from '../ops/memory.js';

/** Flips the rows of `components` (k×d, unit length) in place, as svd_flip with the left vectors of X − mean. */
export function flipByProjections(x: Float64Array, n: number, d: number, mean: Float64Array, components: Float64Array, k: number): void {
  const be = backend();
  let norms: Float64Array = new Float64Array(0);
  const projections = be.scoped((alloc) => {
    const centred = centredF32(be, alloc, x, n, d, mean);
    const w = centred.width;
    norms = centred.norms;
    const v = new Float32Array(k * w);
    for (let i = 0; i < k; i++) for (let c = 0; c < d; c++) v[i * w + c] = components[i * d + c];
    const pv = putF32(be, alloc, v), pu = alloc(n * k * 4);
    gemm(be, false, true, n, k, w, centred.matrix, w, pv, w, 0, pu, k, alloc(gemmWorkspace(be)));
    return readF32(be, pu, n * k);
  });
  const unit = (d + 4) * 2 ** -23;
  for (let i = 0; i < k; i++) {
    let lower = 0;
    for (let r = 0; r < n; r++) lower = Math.max(lower, Math.abs(projections[r * k + i]) - unit * norms[r]);
    let best = -1, at = 0;
    for (let r = 0; r < n; r++) {
      if (Math.abs(projections[r * k + i]) + unit * norms[r] < lower) continue;
      let s = 0;
      for (let c = 0, o = r * d; c < d; c++, o++) s += (x[o] - mean[c]) * components[i * d + c];
      if (Math.abs(s) > best) { best = Math.abs(s); at = s; }
    }
    if (at < 0) for (let c = 0; c < d; c++) components[i * d + c] = -components[i * d + c];
  }
}
