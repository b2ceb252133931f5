// A kd-tree for exact k-nearest-neighbour search in low dimensions (Bentley 1975; the layout of
// scikit-learn's KDTree): a balanced binary tree over the samples, node i's children 2i+1 and
// 2i+2, each internal node split at the median of its widest dimension, leaves of at most
// leafSize samples, each node with the bounding box of its samples. A query descends nearer child
// first and skips a node only when the distance to its box exceeds the current k-th distance.
// That distance is computed by the same function as the samples' (neighbors.ts distance), on the
// point of the box nearest the query: each coordinate of it is at most as far from the query as
// any sample's, rounding is monotone, so it never exceeds a sample's computed distance and no
// sample that could enter the answer is skipped; the answer is the exhaustive search's exactly,
// ties between equal distances going to the lower sample index.
import { distance } from './neighbors';

/** Levels below the root for n samples in leaves of at most leafSize. */
export function kdLevels(n: i32, leafSize: i32): i32 {
  let levels = 0;
  while (levels < 30 && (n >> levels) > leafSize) levels++;
  return levels;
}

/**
 * Builds the tree over samples (f64, n×d): order (i32, n) the samples by node, start and end
 * (i32 per node) each node's range of order, lo and hi (f64, d per node) its box. Nodes:
 * 2^(levels+1) − 1.
 */
export function kdBuild(samples: usize, n: i32, d: i32, levels: i32, order: usize, start: usize, end: usize, lo: usize, hi: usize): void {
  for (let i = 0; i < n; i++) store<i32>(order + (<usize>i << 2), i);
  const nodes = (1 << (levels + 1)) - 1, internal = (1 << levels) - 1;
  store<i32>(start, 0);
  store<i32>(end, n);
  for (let node = 0; node < nodes; node++) {
    const s = load<i32>(start + (<usize>node << 2)), e = load<i32>(end + (<usize>node << 2));
    const l = lo + (<usize>node * d << 3), h = hi + (<usize>node * d << 3);
    for (let k = 0; k < d; k++) {
      store<f64>(l + (<usize>k << 3), Infinity);
      store<f64>(h + (<usize>k << 3), -Infinity);
    }
    for (let t = s; t < e; t++) {
      const row = samples + (<usize>load<i32>(order + (<usize>t << 2)) * d << 3);
      for (let k = 0; k < d; k++) {
        const v = load<f64>(row + (<usize>k << 3));
        if (v < load<f64>(l + (<usize>k << 3))) store<f64>(l + (<usize>k << 3), v);
        if (v > load<f64>(h + (<usize>k << 3))) store<f64>(h + (<usize>k << 3), v);
      }
    }
    if (node >= internal) continue;
    let dim = 0, spread: f64 = -1;
    for (let k = 0; k < d; k++) {
      const w = load<f64>(h + (<usize>k << 3)) - load<f64>(l + (<usize>k << 3));
      if (w > spread) { spread = w; dim = k; }
    }
    const mid = s + ((e - s) >> 1);
    select(samples, d, dim, order, s, e, mid);
    store<i32>(start + (<usize>(2 * node + 1) << 2), s);
    store<i32>(end + (<usize>(2 * node + 1) << 2), mid);
    store<i32>(start + (<usize>(2 * node + 2) << 2), mid);
    store<i32>(end + (<usize>(2 * node + 2) << 2), e);
  }
}

// @ts-ignore: decorator
@inline function valueAt(samples: usize, d: i32, dim: i32, order: usize, t: i32): f64 {
  return load<f64>(samples + ((<usize>load<i32>(order + (<usize>t << 2)) * d + dim) << 3));
}

/** Quickselect (Hoare): order[s, e) rearranged so position mid holds its median by dimension dim. */
function select(samples: usize, d: i32, dim: i32, order: usize, s: i32, e: i32, mid: i32): void {
  let left = s, right = e - 1;
  while (left < right) {
    const pivot = valueAt(samples, d, dim, order, left + ((right - left) >> 1));
    let i = left, j = right;
    while (i <= j) {
      while (valueAt(samples, d, dim, order, i) < pivot) i++;
      while (valueAt(samples, d, dim, order, j) > pivot) j--;
      if (i <= j) {
        const t = load<i32>(order + (<usize>i << 2));
        store<i32>(order + (<usize>i << 2), load<i32>(order + (<usize>j << 2)));
        store<i32>(order + (<usize>j << 2), t);
        i++;
        j--;
      }
    }
    if (mid <= j) right = j;
    else if (mid >= i) left = i;
    else return;
  }
}

/**
 * For queries rowStart ≤ i < rowEnd (f64, m×d): the k nearest samples (indices i32 and distances
 * f64, m×k, closest first, ties by index), by the tree from kdBuild. metric and p as knnSearch
 * (not cosine); skipSelf: query i never returns sample i. scratch: kdScratchBytes(d, levels) per thread.
 */
export function kdQuery(
  metric: i32, p: f64, queries: usize, samples: usize, d: i32, k: i32, skipSelf: i32, levels: i32, order: usize, start: usize, end: usize,
  lo: usize, hi: usize, scratch: usize, outIndex: usize, outDistance: usize, rowStart: i32, rowEnd: i32, thread: i32,
): void {
  const own = scratch + <usize>thread * kdScratchBytes(d, levels);
  const nearest = own; // f64 × d: the box point nearest the query
  const stack = own + (<usize>d << 3); // (node i32, pad, bound f64) × (2·levels + 2)
  const internal = (1 << levels) - 1;
  for (let i = rowStart; i < rowEnd; i++) {
    const q = queries + (<usize>i * d << 3);
    const idx = outIndex + (<usize>i * k << 2);
    const dist = outDistance + (<usize>i * k << 3);
    let kept = 0;
    let top = 0;
    store<i32>(stack, 0);
    store<f64>(stack, 0, 8);
    top = 1;
    while (top > 0) {
      top--;
      const frame = stack + <usize>top * 16;
      const node = load<i32>(frame);
      const bound = load<f64>(frame, 8);
      if (kept == k && bound > load<f64>(dist + (<usize>(k - 1) << 3))) continue;
      if (node >= internal) {
        for (let t = load<i32>(start + (<usize>node << 2)); t < load<i32>(end + (<usize>node << 2)); t++) {
          const j = load<i32>(order + (<usize>t << 2));
          if (skipSelf && j == i) continue;
          const v = distance(metric, q, samples + (<usize>j * d << 3), d, p, 0, 0);
          kept = insert(idx, dist, k, kept, v, j);
        }
        continue;
      }
      const a = 2 * node + 1, b = a + 1;
      const ba = boxDistance(metric, p, q, d, lo + (<usize>a * d << 3), hi + (<usize>a * d << 3), nearest);
      const bb = boxDistance(metric, p, q, d, lo + (<usize>b * d << 3), hi + (<usize>b * d << 3), nearest);
      // Far child first on the stack: the near one is searched first.
      const farFirst = ba <= bb;
      let f = stack + <usize>top * 16;
      store<i32>(f, farFirst ? b : a); store<f64>(f, farFirst ? bb : ba, 8);
      top++;
      f = stack + <usize>top * 16;
      store<i32>(f, farFirst ? a : b); store<f64>(f, farFirst ? ba : bb, 8);
      top++;
    }
  }
}

export function kdScratchBytes(d: i32, levels: i32): usize {
  return (<usize>d << 3) + <usize>(2 * levels + 4) * 16;
}

/** The distance from q to the box [lo, hi]: the metric at the box's point nearest q. */
function boxDistance(metric: i32, p: f64, q: usize, d: i32, lo: usize, hi: usize, nearest: usize): f64 {
  for (let k = 0; k < d; k++) {
    const v = load<f64>(q + (<usize>k << 3));
    store<f64>(nearest + (<usize>k << 3), min(max(v, load<f64>(lo + (<usize>k << 3))), load<f64>(hi + (<usize>k << 3))));
  }
  return distance(metric, q, nearest, d, p, 0, 0);
}

/** Inserts (v, j) into the sorted list of kept ≤ k neighbours by (distance, index); returns the new count. */
function insert(idx: usize, dist: usize, k: i32, kept: i32, v: f64, j: i32): i32 {
  if (kept == k) {
    const last = load<f64>(dist + (<usize>(k - 1) << 3));
    if (!(v < last || (v == last && j < load<i32>(idx + (<usize>(k - 1) << 2))))) return kept;
  }
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
  return kept < k ? kept + 1 : kept;
}

/**
 * Every sample within `radius` (distance ≤ radius, as scikit-learn's query_radius) of queries
 * rowStart ≤ i < rowEnd, by the tree from kdBuild, in two passes: with out = 0, counts[i] = how
 * many; then with out, their indices written from offsets[i] on (the tree's order). A node is
 * skipped only when the distance to its box exceeds the radius, so none is missed (see kdQuery).
 */
export function kdRadius(
  metric: i32, p: f64, queries: usize, samples: usize, d: i32, radius: f64, levels: i32, order: usize, start: usize, end: usize,
  lo: usize, hi: usize, scratch: usize, counts: usize, offsets: usize, out: usize, rowStart: i32, rowEnd: i32, thread: i32,
): void {
  const own = scratch + <usize>thread * kdScratchBytes(d, levels);
  const nearest = own;
  const stack = own + (<usize>d << 3);
  const internal = (1 << levels) - 1;
  for (let i = rowStart; i < rowEnd; i++) {
    const q = queries + (<usize>i * d << 3);
    let found = 0;
    const at = out != 0 ? out + (<usize>load<i32>(offsets + (<usize>i << 2)) << 2) : 0;
    store<i32>(stack, 0);
    let top = 1;
    while (top > 0) {
      top--;
      const node = load<i32>(stack + <usize>top * 16);
      if (node >= internal) {
        for (let t = load<i32>(start + (<usize>node << 2)); t < load<i32>(end + (<usize>node << 2)); t++) {
          const j = load<i32>(order + (<usize>t << 2));
          if (distance(metric, q, samples + (<usize>j * d << 3), d, p, 0, 0) <= radius) {
            if (at != 0) store<i32>(at + (<usize>found << 2), j);
            found++;
          }
        }
        continue;
      }
      for (let child = 2 * node + 1; child <= 2 * node + 2; child++) {
        if (boxDistance(metric, p, q, d, lo + (<usize>child * d << 3), hi + (<usize>child * d << 3), nearest) <= radius) {
          store<i32>(stack + <usize>top * 16, child);
          top++;
        }
      }
    }
    if (out == 0) store<i32>(counts + (<usize>i << 2), found);
  }
}
