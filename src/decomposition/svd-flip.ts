// scikit-learn's svd_flip (u-based): each component's sign is chosen so that, of the projections
// u = (x − μ)·v of the samples, the one of largest magnitude (the first of equals) is positive.
//
// All n·k projections come from the f32 GEMM; each is within b_r = (d + 4)·2⁻²³·‖x_r − μ‖ of the
// exact one (Higham, Accuracy and Stability of Numerical Algorithms, §3.1, with the f32 rounding
// of both inputs; ‖v‖ = 1). Every sample whose interval could hold the largest |u| is then
// projected again in f64, so the choice is the f64 one at a fraction of its cost.
import { backend } from '../runtime/backend.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';

/** Values of X staged in the module at a time (4 MB of f64). */
const CHUNK_VALUES = 1 << 19;

/** Flips the rows of `components` (k×d, unit length) in place, as svd_flip with the left vectors of X − mean. */
export function flipByProjections(x: Float64Array, n: number, d: number, mean: Float64Array, components: Float64Array, k: number): void {
  const be = backend();
  // Rows padded to an even length (a zero feature) for the two-lane conversion kernel.
  const w = d + (d & 1);
  const norms = new Float64Array(n);
  const projections = be.scoped((alloc) => {
    const chunk = Math.max(1, Math.min(n, Math.floor(CHUNK_VALUES / w)));
    const pm = alloc(n * w * 4), pv = alloc(k * w * 4), pu = alloc(n * k * 4), work = alloc(gemmWorkspace(be));
    const px = alloc(chunk * w * 8), pmean = alloc(w * 8), pn = alloc(chunk * 8);
    const centre = new Float64Array(be.memory.buffer, pmean, w);
    centre.fill(0);
    centre.set(mean);
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const rows = Math.min(chunk, n - r0);
      const staged = new Float64Array(be.memory.buffer, px, rows * w);
      if (w === d) staged.set(x.subarray(r0 * d, (r0 + rows) * d));
      else for (let r = 0; r < rows; r++) { staged.set(x.subarray((r0 + r) * d, (r0 + r + 1) * d), r * w); staged[r * w + d] = 0; }
      be.call('centreRowsF32', px, rows, w, pmean, pm + r0 * w * 4, pn);
      norms.set(new Float64Array(be.memory.buffer, pn, rows), r0);
    }
    const v = new Float32Array(be.memory.buffer, pv, k * w);
    v.fill(0);
    for (let i = 0; i < k; i++) for (let c = 0; c < d; c++) v[i * w + c] = components[i * d + c];
    gemm(be, false, true, n, k, w, pm, w, pv, w, 0, pu, k, work);
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
