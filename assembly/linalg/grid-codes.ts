// Pixel data as integer codes for the exact Gram matrices of gram-grid.ts: k = round(x / scale)
// for every value of X, stored with the rows of each pair of samples interleaved (codes of
// feature c of samples 2p and 2p + 1 side by side: i32x4.dot_i16x8_s then sums both samples'
// products at once), with each feature's sum of codes. A value counts as on the grid when
// |k| ≤ 255 and it is k·scale up to `tolerance` relative (f32 rounding of a byte / 255); the
// first pair of features with a value that is not stops the conversion.

/**
 * t[(p·dPad + c)·2 + (r & 1)] = k (i16) for r = 2p or 2p + 1, from X (f64, n×d, row-major, n
 * even, d even); sums[c] (f64) += Σ_r k. Returns 0 when every value is on the grid of step
 * `scale`, else 1. Two features of both samples of a pair a step, in f64x2 lanes.
 */
export function gridCodes(x: usize, n: i32, d: i32, scale: f64, tolerance: f64, t: usize, dPad: i32, sums: usize): i32 {
  const inverse = f64x2.splat(1 / scale), step = f64x2.splat(scale), limit = f64x2.splat(255), tol = f64x2.splat(tolerance);
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < n; r += 2) {
    const a = x + <usize>r * rowBytes, b = a + rowBytes;
    let o = t + (<usize>(r >> 1) * dPad << 2);
    let ok = v128.not(v128.xor(limit, limit)); // all ones
    for (let c: usize = 0; c < rowBytes; c += 16, o += 8) {
      const va = v128.load(a + c), vb = v128.load(b + c);
      const ka = f64x2.nearest(f64x2.mul(va, inverse)), kb = f64x2.nearest(f64x2.mul(vb, inverse));
      const ga = f64x2.mul(ka, step), gb = f64x2.mul(kb, step);
      ok = v128.and(ok, v128.and(f64x2.le(f64x2.abs(ka), limit), f64x2.le(f64x2.abs(kb), limit)));
      ok = v128.and(ok, v128.and(f64x2.le(f64x2.abs(f64x2.sub(va, ga)), f64x2.mul(tol, f64x2.abs(ga))), f64x2.le(f64x2.abs(f64x2.sub(vb, gb)), f64x2.mul(tol, f64x2.abs(gb)))));
      // [ka₀, kb₀, ka₁, kb₁] as i32, then i16.
      const ia = i32x4.trunc_sat_f64x2_s_zero(ka), ib = i32x4.trunc_sat_f64x2_s_zero(kb);
      const pair = i8x16.shuffle(ia, ib, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
      v128.store64_lane(o, i16x8.narrow_i32x4_s(pair, pair), 0);
      const s = sums + c;
      v128.store(s, f64x2.add(v128.load(s), f64x2.add(ka, kb)));
    }
    if (!v128.all_true<i64>(ok)) return 1;
  }
  return 0;
}
