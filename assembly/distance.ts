// The squared euclidean distance in f64 shared by the SVM kernels, the neighbour searches and
// k-means: one summation order everywhere (four features a step in two f64x2 lanes, the lanes
// added, then the tail), so the same pair of rows gives the same bits in every family.

/** ‖x − z‖² over d f64 values. */
// @ts-ignore: decorator
@inline
export function squaredDistance(x: usize, z: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= d; k += 4) {
    const o = <usize>k << 3;
    const u = f64x2.sub(v128.load(x + o), v128.load(z + o));
    const v = f64x2.sub(v128.load(x + o, 16), v128.load(z + o, 16));
    a0 = f64x2.add(a0, f64x2.mul(u, u));
    a1 = f64x2.add(a1, f64x2.mul(v, v));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; k < d; k++) {
    const t = load<f64>(x + (<usize>k << 3)) - load<f64>(z + (<usize>k << 3));
    s += t * t;
  }
  return s;
}
