// scikit-learn's svd_flip (u-based): each component's sign is chosen so that, of the projections
// u = (x − μ)·v of the samples, the one of largest magnitude (the first of equals) is positive.
//
// All n·k projections come from the f32 GEMM; each is within b_r = (d + 4)·2⁻²³·‖x_r − μ‖ of the
// exact one (Higham, Accuracy and Stability of Numerical Algorithms, §3.1, with the f32 rounding
// of both inputs; ‖v‖ = 1). Every sample whose interval could hold the largest |u| is then
// projected again in f64, so the choice is the f64 one at a fraction of its cost.
import { backend } from '../runtime/backend.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';

/** Flips the rows of `components` (k×d, unit length) in place, as svd_flip with the left vectors of X − mean. */
export function flipByProjections(x: Float64Array, n: number, d: number, mean: Float64Array, components: Float64Array, k: number): void {
  const be = backend();
  const norms = new Float64Array(n);
  const projections = be.scoped((alloc) => {
    const pm = alloc(n * d * 4), pv = alloc(k * d * 4), pu = alloc(n * k * 4), work = alloc(gemmWorkspace(be));
    const m = new Float32Array(be.memory.buffer, pm, n * d);
    for (let r = 0, i = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < d; c++, i++) { const v = x[i] - mean[c]; m[i] = v; s += v * v; }
      norms[r] = Math.sqrt(s);
    }
    new Float32Array(be.memory.buffer, pv, k * d).set(components);
    gemm(be, false, true, n, k, d, pm, d, pv, d, 0, pu, k, work);
    return new Float32Array(be.memory.buffer, pu, n * k).slice();
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
