// k-means (Lloyd's and Elkan's iterations, as scikit-learn's KMeans): assignment of samples to
// their nearest centre by the exact f64 squared distance (ties to the lower centre), the
// per-cluster sums of the update step, and Elkan's bounds (Elkan, "Using the triangle
// inequality to accelerate k-means", ICML 2003). Every kernel's rows are independent, so the
// pool may split them anyhow and the bits stay the same.
import { squaredDistance } from './distance';

/**
 * labels[i] = argmin_j ‖x_i − c_j‖² and best[i] = that squared distance, exactly, for rows
 * rowStart ≤ i < rowEnd of x (n×d f64) against the k centres c (k×d f64).
 */
export function kmeansAssign(x: usize, c: usize, k: i32, d: i32, labels: usize, best: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * d << 3);
    let label = 0;
    let min = squaredDistance(row, c, d);
    for (let j = 1; j < k; j++) {
      const v = squaredDistance(row, c + (<usize>j * d << 3), d);
      if (v < min) { min = v; label = j; }
    }
    store<i32>(labels + (<usize>i << 2), label);
    store<f64>(best + (<usize>i << 3), min);
  }
}

/**
 * kmeansAssign's answer from approximate squared distances: dots (f32, rows × k) hold x·c from
 * an f32 GEMM, so a_j = ‖x‖² + ‖c_j‖² − 2x·c_j is within bound[i] of the exact value. Only the
 * centres whose a_j is within 2·bound of the smallest can be nearest; those are measured exactly
 * (kmeansAssign's sum) and the smallest exact one, lowest index first, wins — kmeansAssign's
 * label and distance at the cost of the dot products. Without `exact`, a row with a single
 * candidate gets its label and NaN as its distance. Rows rowStart ≤ i < rowEnd of the block.
 */
export function kmeansAssignFromDots(
  dots: usize, sqX: usize, sqC: usize, bound: usize, x: usize, c: usize, k: i32, d: i32, exact: i32, labels: usize, best: usize,
  rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const dr = dots + (<usize>i * k << 2);
    const sq = load<f64>(sqX + (<usize>i << 3));
    let smallest = Infinity;
    for (let j = 0; j < k; j++) {
      const a = sq + load<f64>(sqC + (<usize>j << 3)) - 2 * <f64>load<f32>(dr + (<usize>j << 2));
      if (a < smallest) smallest = a;
    }
    const cutoff = smallest + 2 * load<f64>(bound + (<usize>i << 3));
    const row = x + (<usize>i * d << 3);
    let candidates = 0, only = 0;
    for (let j = 0; j < k; j++) {
      const a = sq + load<f64>(sqC + (<usize>j << 3)) - 2 * <f64>load<f32>(dr + (<usize>j << 2));
      if (a <= cutoff) { candidates++; only = j; }
    }
    let label = -1;
    let min = Infinity;
    if (candidates == 1 && !exact) {
      // One centre is provably nearest; its distance is not wanted (the iterations need labels only).
      label = only;
      min = NaN;
    } else {
      for (let j = 0; j < k; j++) {
        const a = sq + load<f64>(sqC + (<usize>j << 3)) - 2 * <f64>load<f32>(dr + (<usize>j << 2));
        if (a > cutoff) continue;
        const v = squaredDistance(row, c + (<usize>j * d << 3), d);
        if (label < 0 || v < min) { min = v; label = j; }
      }
    }
    store<i32>(labels + (<usize>i << 2), label);
    store<f64>(best + (<usize>i << 3), min);
  }
}

/**
 * out[i, j] = x_i·c_j in f32 (x: rows × d f32, c: k × d f32, out: rows × k f32) for rows
 * rowStart ≤ i < rowEnd, four rows at a time against each centre, which stays in cache: the
 * candidates' dot products without packing the samples for a GEMM (k is small). Any f32 order
 * keeps |fl(x·c) − x·c| ≤ (d + 2)·2⁻²⁴·‖x‖‖c‖, the bound kmeansAssignFromDots relies on.
 */
export function kmeansDots(x: usize, d: i32, c: usize, k: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  const rowBytes = <usize>d << 2;
  let i = rowStart;
  for (; i + 4 <= rowEnd; i += 4) {
    const r0 = x + <usize>i * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
    for (let j = 0; j < k; j++) {
      const cj = c + <usize>j * rowBytes;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let f = 0;
      for (; f + 4 <= d; f += 4) {
        const o = <usize>f << 2;
        const v = v128.load(cj + o);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(r0 + o), v));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(r1 + o), v));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(r2 + o), v));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(r3 + o), v));
      }
      let s0 = lanes(a0), s1 = lanes(a1), s2 = lanes(a2), s3 = lanes(a3);
      for (; f < d; f++) {
        const o = <usize>f << 2;
        const v = load<f32>(cj + o);
        s0 += load<f32>(r0 + o) * v;
        s1 += load<f32>(r1 + o) * v;
        s2 += load<f32>(r2 + o) * v;
        s3 += load<f32>(r3 + o) * v;
      }
      const o = out + ((<usize>i * k + j) << 2), step = <usize>k << 2;
      store<f32>(o, s0);
      store<f32>(o + step, s1);
      store<f32>(o + 2 * step, s2);
      store<f32>(o + 3 * step, s3);
    }
  }
  for (; i < rowEnd; i++) {
    const r = x + <usize>i * rowBytes;
    for (let j = 0; j < k; j++) {
      const cj = c + <usize>j * rowBytes;
      let a = f32x4.splat(0);
      let f = 0;
      for (; f + 4 <= d; f += 4) a = f32x4.add(a, f32x4.mul(v128.load(r + (<usize>f << 2)), v128.load(cj + (<usize>f << 2))));
      let s = lanes(a);
      for (; f < d; f++) s += load<f32>(r + (<usize>f << 2)) * load<f32>(cj + (<usize>f << 2));
      store<f32>(out + ((<usize>i * k + j) << 2), s);
    }
  }
}

// @ts-ignore: decorator
@inline function lanes(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/**
 * Elkan's starting bounds (scikit-learn's init_bounds): the nearest centre of each row, measuring
 * only centres the triangle inequality cannot rule out (half the distance between centres,
 * half: k×k f64), the exact distance to each measured centre as its lower bound (lower: n×k f64)
 * and the nearest's as the upper bound. Rows rowStart ≤ i < rowEnd.
 */
export function elkanStart(
  x: usize, c: usize, k: i32, d: i32, half: usize, labels: usize, upper: usize, lower: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * d << 3);
    const lo = lower + (<usize>i * k << 3);
    for (let j = 0; j < k; j++) store<f64>(lo + (<usize>j << 3), 0);
    let label = 0;
    let min = Math.sqrt(squaredDistance(row, c, d));
    store<f64>(lo, min);
    for (let j = 1; j < k; j++) {
      if (min > load<f64>(half + ((<usize>label * k + j) << 3))) {
        const v = Math.sqrt(squaredDistance(row, c + (<usize>j * d << 3), d));
        store<f64>(lo + (<usize>j << 3), v);
        if (v < min) { min = v; label = j; }
      }
    }
    store<i32>(labels + (<usize>i << 2), label);
    store<f64>(upper + (<usize>i << 3), min);
  }
}

/**
 * One Elkan assignment (scikit-learn's elkan_iter, before the update): a row keeps its centre
 * unless its upper bound passes half the distance to the nearest other centre (next: k f64);
 * then each centre j that neither its lower bound nor half the centre distance rules out is
 * measured, the upper bound first made tight. Rows rowStart ≤ i < rowEnd.
 */
export function elkanAssign(
  x: usize, c: usize, k: i32, d: i32, half: usize, next: usize, labels: usize, upper: usize, lower: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    let label = load<i32>(labels + (<usize>i << 2));
    let ub = load<f64>(upper + (<usize>i << 3));
    if (!(load<f64>(next + (<usize>label << 3)) < ub)) continue;
    const row = x + (<usize>i * d << 3);
    const lo = lower + (<usize>i * k << 3);
    let tight = false;
    for (let j = 0; j < k; j++) {
      if (j == label) continue;
      const hj = load<f64>(half + ((<usize>label * k + j) << 3));
      if (!(ub > load<f64>(lo + (<usize>j << 3)) && ub > hj)) continue;
      if (!tight) {
        ub = Math.sqrt(squaredDistance(row, c + (<usize>label * d << 3), d));
        store<f64>(lo + (<usize>label << 3), ub);
        tight = true;
      }
      if (ub > load<f64>(lo + (<usize>j << 3)) || ub > load<f64>(half + ((<usize>label * k + j) << 3))) {
        const v = Math.sqrt(squaredDistance(row, c + (<usize>j * d << 3), d));
        store<f64>(lo + (<usize>j << 3), v);
        if (v < ub) { label = j; ub = v; }
      }
    }
    store<i32>(labels + (<usize>i << 2), label);
    store<f64>(upper + (<usize>i << 3), ub);
  }
}

/**
 * Elkan's bounds after the centres moved by shift (k f64): the upper bound grows by its
 * centre's move, each lower bound shrinks by its centre's (not below 0). Rows rowStart ≤ i < rowEnd.
 */
export function elkanShift(k: i32, shift: usize, labels: usize, upper: usize, lower: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const u = upper + (<usize>i << 3);
    store<f64>(u, load<f64>(u) + load<f64>(shift + (<usize>load<i32>(labels + (<usize>i << 2)) << 3)));
    const lo = lower + (<usize>i * k << 3);
    for (let j = 0; j < k; j++) {
      const v = load<f64>(lo + (<usize>j << 3)) - load<f64>(shift + (<usize>j << 3));
      store<f64>(lo + (<usize>j << 3), v > 0 ? v : 0);
    }
  }
}

/**
 * out[t, i] = ‖x_i − p_t‖² for the m points p (m×d f64; k-means++ candidates, or the centres for
 * transform) and rows rowStart ≤ i < rowEnd of x (n×d). out: m×n f64.
 */
export function squaredDistancesTo(x: usize, n: i32, d: i32, points: usize, m: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * d << 3);
    for (let t = 0; t < m; t++) store<f64>(out + ((<usize>t * n + i) << 3), squaredDistance(row, points + (<usize>t * d << 3), d));
  }
}

/** best[i] = ‖x_i − c_{labels[i]}‖² for rows rowStart ≤ i < rowEnd (the inertia's terms). */
export function kmeansLabelDistances(x: usize, c: usize, d: i32, labels: usize, best: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    store<f64>(best + (<usize>i << 3), squaredDistance(x + (<usize>i * d << 3), c + (<usize>load<i32>(labels + (<usize>i << 2)) * d << 3), d));
  }
}

/** out[i] = f32(x[i]) for i in [start, end): the samples for kmeansDots. */
export function kmeansNarrow(x: usize, out: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
}
