// Pixel data as integer codes for the exact Gram matrices of gram-grid.ts: k = round(x / scale)
// for every value of X, stored with the rows of each pair of samples interleaved (codes of
// feature c of samples 2p and 2p + 1 side by side: i32x4.dot_i16x8_s then sums both samples'
// products at once), with each feature's sum of codes. A value counts as on the grid when
// |k| ≤ 255 and it is k·scale up to `tolerance` relative (f32 rounding of a byte / 255); the
// first value that is not stops the conversion.

/**
 * t[(p·dPad + c)·2 + (r & 1)] = k (i16) for r = 2p or 2p + 1, from X (f64, n×d, row-major);
 * sums[c] (f64) += Σ_r k. Padding (features d … dPad − 1, the odd sample's partner) is left as
 * the caller zeroed it. Returns 0 when every value is on the grid of step `scale`, else 1.
 */
export function gridCodes(x: usize, n: i32, d: i32, scale: f64, tolerance: f64, t: usize, dPad: i32, sums: usize): i32 {
  const inverse = 1 / scale;
  for (let r = 0; r < n; r++) {
    let p = x + (<usize>r * d << 3);
    let o = t + ((<usize>(r >> 1) * dPad << 2) + (<usize>(r & 1) << 1));
    let s = sums;
    for (let c = 0; c < d; c++, p += 8, o += 4, s += 8) {
      const v = load<f64>(p);
      const k = nearest(v * inverse);
      if (!(abs(k) <= 255 && abs(v - k * scale) <= tolerance * abs(k * scale))) return 1;
      store<i16>(o, <i16><i32>k);
      store<f64>(s, load<f64>(s) + k);
    }
  }
  return 0;
}
