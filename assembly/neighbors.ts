// Brute-force k-nearest-neighbour search in f64: for each query row, the distance to every
// sample, keeping the k smallest in a sorted list (a new candidate enters only when strictly
// closer than the current k-th, so equal distances keep the lower sample index first, as
// scikit-learn's stable sort does). Rows rowStart ≤ i < rowEnd, so the pool splits the queries.
//   euclidean √Σ(x−y)²   manhattan Σ|x−y|   minkowski (Σ|x−y|^p)^(1/p)   cosine 1 − x·y / (‖x‖‖y‖)
// Codes are shared with src/neighbors/metrics.ts.
import { Metric } from './codes';
import { squaredDistance } from './distance';


// @ts-ignore: decorator
@inline
export function distance(metric: i32, x: usize, y: usize, d: i32, p: f64, normX: f64, normY: f64): f64 {
  if (metric == Metric.Euclidean) return Math.sqrt(squaredDistance(x, y, d));
  if (metric == Metric.Cosine) {
    let s: f64 = 0;
    for (let k = 0; k < d; k++) s += load<f64>(x + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
    const denominator = normX * normY;
    // A zero vector has no direction: scikit-learn normalises it to 0, so its cosine is 0.
    const cosine = denominator > 0 ? s / denominator : 0;
    return min(max(1 - cosine, 0), 2);
  }
  let s: f64 = 0;
  for (let k = 0; k < d; k++) {
    const t = Math.abs(load<f64>(x + (<usize>k << 3)) - load<f64>(y + (<usize>k << 3)));
    s += metric == Metric.Manhattan ? t : Math.pow(t, p);
  }
  return metric == Metric.Manhattan ? s : Math.pow(s, 1 / p);
}

/**
 * For queries rowStart ≤ i < rowEnd (m×d, f64) against n samples (n×d, f64): the k nearest
 * samples' indices (i32, m×k) and distances (f64, m×k), closest first. norms (f64, for cosine)
 * hold ‖q_i‖ and ‖x_j‖. With `skipSelf`, query i never returns sample i (neighbours of the
 * training set itself, as scikit-learn's kneighbors() without X).
 */
export function knnSearch(
  metric: i32, p: f64, queries: usize, samples: usize, n: i32, d: i32, k: i32, normsQ: usize, normsX: usize, skipSelf: i32,
  outIndex: usize, outDistance: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const q = queries + (<usize>i * d << 3);
    const idx = outIndex + (<usize>i * k << 2);
    const dist = outDistance + (<usize>i * k << 3);
    const nq = normsQ != 0 ? load<f64>(normsQ + (<usize>i << 3)) : 0;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (skipSelf && j == i) continue;
      const v = distance(metric, q, samples + (<usize>j * d << 3), d, p, nq, normsX != 0 ? load<f64>(normsX + (<usize>j << 3)) : 0);
      if (count == k && !(v < load<f64>(dist + (<usize>(k - 1) << 3)))) continue;
      // Insert after every kept neighbour at distance ≤ v (stable: lower indices first).
      let at = count < k ? count : k - 1;
      while (at > 0 && load<f64>(dist + (<usize>(at - 1) << 3)) > v) {
        store<f64>(dist + (<usize>at << 3), load<f64>(dist + (<usize>(at - 1) << 3)));
        store<i32>(idx + (<usize>at << 2), load<i32>(idx + (<usize>(at - 1) << 2)));
        at--;
      }
      store<f64>(dist + (<usize>at << 3), v);
      store<i32>(idx + (<usize>at << 2), j);
      if (count < k) count++;
    }
  }
}

/**
 * Euclidean k nearest neighbours from approximate squared distances, exactly. dots (f32, rows ×
 * n) are q·x from an f32 GEMM, so a² = ‖q‖² + ‖x‖² − 2q·x is within `bound` of the true squared
 * distance (bound from the f32 rounding of the inputs and of the sums, computed by the caller).
 * The k + extra smallest a² are re-measured exactly (the same f64 sum as knnSearch) and sorted;
 * every sample left out has a² ≥ the last candidate's, so the answer is exact whenever that value
 * minus the bound exceeds the k-th exact squared distance. Otherwise the row is searched
 * exhaustively. Either way the result equals knnSearch's. Rows rowStart ≤ i < rowEnd; queries
 * and samples are the f64 data; candidates is scratch of (k + extra) × 12 bytes per thread.
 */
export function knnFromDots(
  dots: usize, sqQ: usize, sqX: usize, queries: usize, samples: usize, n: i32, d: i32, k: i32, extra: i32, bound: usize,
  scratch: usize, outIndex: usize, outDistance: usize, rowStart: i32, rowEnd: i32, thread: i32,
): void {
  const c = min(k + extra, n);
  const candIdx = scratch + <usize>thread * <usize>c * 12;
  const candVal = candIdx + (<usize>c << 2);
  for (let i = rowStart; i < rowEnd; i++) {
    const dr = dots + (<usize>i * n << 2);
    const sq = load<f64>(sqQ + (<usize>i << 3));
    // The c smallest approximate values (a sorted insertion list).
    let count = 0;
    for (let j = 0; j < n; j++) {
      const a = sq + load<f64>(sqX + (<usize>j << 3)) - 2 * <f64>load<f32>(dr + (<usize>j << 2));
      if (count == c && !(a < load<f64>(candVal + (<usize>(c - 1) << 3)))) continue;
      let at = count < c ? count : c - 1;
      while (at > 0 && load<f64>(candVal + (<usize>(at - 1) << 3)) > a) {
        store<f64>(candVal + (<usize>at << 3), load<f64>(candVal + (<usize>(at - 1) << 3)));
        store<i32>(candIdx + (<usize>at << 2), load<i32>(candIdx + (<usize>(at - 1) << 2)));
        at--;
      }
      store<f64>(candVal + (<usize>at << 3), a);
      store<i32>(candIdx + (<usize>at << 2), j);
      if (count < c) count++;
    }
    const cutoff = load<f64>(candVal + (<usize>(c - 1) << 3));
    // Exact distances of the candidates, into the output list in (distance, index) order.
    const idx = outIndex + (<usize>i * k << 2);
    const dist = outDistance + (<usize>i * k << 3);
    const q = queries + (<usize>i * d << 3);
    let kept = 0;
    for (let t = 0; t < c; t++) {
      const j = load<i32>(candIdx + (<usize>t << 2));
      const v = distance(Metric.Euclidean, q, samples + (<usize>j * d << 3), d, 2, 0, 0);
      if (kept == k && !(v < load<f64>(dist + (<usize>(k - 1) << 3)) || (v == load<f64>(dist + (<usize>(k - 1) << 3)) && j < load<i32>(idx + (<usize>(k - 1) << 2))))) continue;
      let at = kept < k ? kept : k - 1;
      while (at > 0) {
        const pv = load<f64>(dist + (<usize>(at - 1) << 3));
        if (!(pv > v || (pv == v && load<i32>(idx + (<usize>(at - 1) << 2)) > j))) break;
        store<f64>(dist + (<usize>at << 3), pv);
        store<i32>(idx + (<usize>at << 2), load<i32>(idx + (<usize>(at - 1) << 2)));
        at--;
      }
      store<f64>(dist + (<usize>at << 3), v);
      store<i32>(idx + (<usize>at << 2), j);
      if (kept < k) kept++;
    }
    const kth = load<f64>(dist + (<usize>(k - 1) << 3));
    if (c < n && !(cutoff - load<f64>(bound + (<usize>i << 3)) > kth * kth)) {
      // Not provably exact: search this row exhaustively.
      knnSearch(Metric.Euclidean, 2, queries, samples, n, d, k, 0, 0, 0, outIndex, outDistance, i, i + 1);
    }
  }
}

/**
 * Every sample within `radius` (distance ≤ radius) of queries rowStart ≤ i < rowEnd, exhaustively
 * (any metric; norms as knnSearch's for cosine), in two passes as kdRadius: with out = 0,
 * counts[i] = how many; then with out, their indices in ascending order from offsets[i] on.
 */
export function radiusSearch(
  metric: i32, p: f64, queries: usize, samples: usize, n: i32, d: i32, radius: f64, normsQ: usize, normsX: usize,
  counts: usize, offsets: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const q = queries + (<usize>i * d << 3);
    const nq = normsQ != 0 ? load<f64>(normsQ + (<usize>i << 3)) : 0;
    const at = out != 0 ? out + (<usize>load<i32>(offsets + (<usize>i << 2)) << 2) : 0;
    let found = 0;
    for (let j = 0; j < n; j++) {
      if (distance(metric, q, samples + (<usize>j * d << 3), d, p, nq, normsX != 0 ? load<f64>(normsX + (<usize>j << 3)) : 0) <= radius) {
        if (at != 0) store<i32>(at + (<usize>found << 2), j);
        found++;
      }
    }
    if (out == 0) store<i32>(counts + (<usize>i << 2), found);
  }
}
