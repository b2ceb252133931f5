// e^x on four f32 lanes at once, for the activations and softmax. Range reduction
// x = n·ln2 + r, |r| ≤ ln2/2, with ln2 split in two parts so n·ln2 is exact enough; e^r by the
// degree-6 minimax polynomial of Cephes' expf (S. Moshier), error about 1 ulp; 2^n built
// directly in the exponent bits. Below x = −87 the result is 0 (e^x would be subnormal or 0:
// flushing keeps softmax's and sigmoid's tails exact zeros, as Keras gives them), above 88.72
// it is +∞ (e^x overflows f32). Written once, so every runtime computes the same bits.

// @ts-ignore: decorator
@inline
export function expf4(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const e = f32x4.mul(y, scale);
  const under = f32x4.lt(x, f32x4.splat(-87.0));
  const over = f32x4.gt(x, f32x4.splat(88.72283));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(e, under), over);
}

/** Loads up to four floats (the rest 0) as one vector: the tail of a row takes the lane path too. */
// @ts-ignore: decorator
@inline
export function loadPartial(p: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  if (count > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first `count` (< 4) lanes of v. */
// @ts-ignore: decorator
@inline
export function storePartial(p: usize, v: v128, count: i32): void {
  if (count > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
