// The absolute-error criterion (scikit-learn's MAE): a node's value is the weighted median of its
// targets and its impurity Σw|y − median| / Σw. scikit-learn rescans the samples at every
// boundary (O(n²) per feature); here the left and right sides live in Fenwick trees over the
// node's targets in sorted order, holding Σw and Σwy, so each boundary's two medians are found by
// descending a tree and their deviations follow from prefix sums: O(n log n) per feature.
// Weighted median as scikit-learn's WeightedMedianCalculator: with the targets ascending, the
// first k whose weights reach half the total; the k-th target, or the mean of the k-th and the
// next when the first k weigh exactly half.

let ys: usize = 0; // node targets ascending (f64)
let ws: usize = 0; // their weights (f64)
let ids: usize = 0; // their samples (i32)
let rankOf: usize = 0; // sample → rank + 1 in the node's order (i32, indexed by sample)
let leftW: usize = 0; // Fenwick trees (f64, 1-based) of Σw and Σwy, left and right sides
let leftWY: usize = 0;
let rightW: usize = 0;
let rightWY: usize = 0;
let result: usize = 0;
let m: i32 = 0;

export function absoluteScratchBytes(n: i32): usize {
  return <usize>n * 28 + 4 * (<usize>(n + 1) << 3) + 64;
}

/** Places the criterion's arrays in scratch (absoluteScratchBytes(n) bytes); result receives best proxies. */
export function absoluteSetup(scratch: usize, n: i32, resultSlot: usize): void {
  ys = (scratch + 7) & ~7;
  ws = ys + (<usize>n << 3);
  leftW = ws + (<usize>n << 3);
  leftWY = leftW + (<usize>(n + 1) << 3);
  rightW = leftWY + (<usize>(n + 1) << 3);
  rightWY = rightW + (<usize>(n + 1) << 3);
  ids = rightWY + (<usize>(n + 1) << 3);
  rankOf = ids + (<usize>n << 2);
  result = resultSlot;
}

/** Loads samples[start, end)'s targets and weights, sorted by target (heapsort). */
function sortTargets(samples: usize, Y: usize, W: usize, start: i32, end: i32): void {
  m = end - start;
  for (let t = 0; t < m; t++) {
    const s = load<i32>(samples + (<usize>(start + t) << 2));
    store<f64>(ys + (<usize>t << 3), load<f64>(Y + (<usize>s << 3)));
    store<f64>(ws + (<usize>t << 3), W != 0 ? load<f64>(W + (<usize>s << 3)) : 1);
    store<i32>(ids + (<usize>t << 2), s);
  }
  for (let root = m / 2 - 1; root >= 0; root--) siftDown(root, m);
  for (let last = m - 1; last > 0; last--) {
    swap(0, last);
    siftDown(0, last);
  }
}

// @ts-ignore: decorator
@inline function yAt(r: i32): f64 { return load<f64>(ys + (<usize>r << 3)); }
// @ts-ignore: decorator
@inline function wAt(r: i32): f64 { return load<f64>(ws + (<usize>r << 3)); }

function swap(a: i32, b: i32): void {
  const y = yAt(a), w = wAt(a), s = load<i32>(ids + (<usize>a << 2));
  store<f64>(ys + (<usize>a << 3), yAt(b));
  store<f64>(ws + (<usize>a << 3), wAt(b));
  store<i32>(ids + (<usize>a << 2), load<i32>(ids + (<usize>b << 2)));
  store<f64>(ys + (<usize>b << 3), y);
  store<f64>(ws + (<usize>b << 3), w);
  store<i32>(ids + (<usize>b << 2), s);
}

function siftDown(root: i32, n: i32): void {
  while (true) {
    let child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && yAt(child + 1) > yAt(child)) child++;
    if (!(yAt(child) > yAt(root))) return;
    swap(root, child);
    root = child;
  }
}

/**
 * The weighted median and Σw|y − median| / Σw of samples[start, end); the median is stored at
 * valueOut unless that is 0.
 */
export function absoluteImpurity(samples: usize, Y: usize, W: usize, start: i32, end: i32, valueOut: usize): f64 {
  sortTargets(samples, Y, W, start, end);
  let wt: f64 = 0;
  for (let r = 0; r < m; r++) wt += wAt(r);
  const half = wt / 2.0;
  let cum: f64 = 0, k = 0;
  while (k < m) {
    cum += wAt(k);
    k++;
    if (cum >= half) break;
  }
  const median = cum == half && k < m ? (yAt(k) + yAt(k - 1)) / 2.0 : yAt(k - 1);
  if (valueOut != 0) store<f64>(valueOut, median);
  let s: f64 = 0;
  for (let r = 0; r < m; r++) s += Math.abs(yAt(r) - median) * wAt(r);
  return wt > 0 ? s / wt : 0;
}

function fenwickAdd(tree: usize, r: i32, v: f64): void {
  for (let i = r; i <= m; i += i & -i) store<f64>(tree + (<usize>i << 3), load<f64>(tree + (<usize>i << 3)) + v);
}

/** Σw|y − median| over the side held in trees (tw, twy) weighing wt with Σwy = wyt. */
function deviation(tw: usize, twy: usize, wt: f64, wyt: f64): f64 {
  const half = wt / 2.0;
  // Descend to the largest position whose prefix weight is < half; the next rank holds the k-th.
  let pos = 0;
  let accW: f64 = 0, accWY: f64 = 0;
  let step = 1;
  while (step * 2 <= m) step *= 2;
  for (; step > 0; step >>= 1) {
    const next = pos + step;
    if (next <= m && accW + load<f64>(tw + (<usize>next << 3)) < half) {
      pos = next;
      accW += load<f64>(tw + (<usize>next << 3));
      accWY += load<f64>(twy + (<usize>next << 3));
    }
  }
  // rank pos + 1 (0-based pos) holds the k-th target of this side.
  const wk = wAt(pos), yk = yAt(pos);
  const cumW = accW + wk, cumWY = accWY + wk * yk;
  let median = yk;
  if (cumW == half) {
    // The mean with the next target of this side: the first rank whose prefix weight exceeds cumW.
    let q = 0;
    let acc: f64 = 0;
    let s2 = 1;
    while (s2 * 2 <= m) s2 *= 2;
    for (; s2 > 0; s2 >>= 1) {
      const next = q + s2;
      if (next <= m && acc + load<f64>(tw + (<usize>next << 3)) <= cumW) {
        q = next;
        acc += load<f64>(tw + (<usize>next << 3));
      }
    }
    if (q < m) median = (yAt(q) + yk) / 2.0;
  }
  // Targets up to rank pos + 1 are ≤ median, the others ≥ it.
  return median * cumW - cumWY + (wyt - cumWY) - median * (wt - cumW);
}

/**
 * Over the boundaries p of samples[start, end) (sorted by the feature, fv its values), left =
 * start..p−1: the one with the largest proxy −(Σ_left w|y − med_l| + Σ_right w|y − med_r|) above
 * `best`, or −1; its proxy goes to the result slot. Boundaries between values ≤ 1e-7 apart or
 * leaving fewer than minLeaf samples on a side are skipped.
 */
export function scanAbsolute(samples: usize, fv: usize, Y: usize, W: usize, start: i32, end: i32, minLeaf: i32, best: f64): i32 {
  sortTargets(samples, Y, W, start, end);
  let wt: f64 = 0, wyt: f64 = 0;
  memory.fill(leftW, 0, <usize>(m + 1) << 3);
  memory.fill(leftWY, 0, <usize>(m + 1) << 3);
  for (let r = 0; r < m; r++) {
    const w = wAt(r), wy = w * yAt(r);
    wt += w;
    wyt += wy;
    store<i32>(rankOf + (<usize>load<i32>(ids + (<usize>r << 2)) << 2), r + 1);
    store<f64>(rightW + (<usize>(r + 1) << 3), w);
    store<f64>(rightWY + (<usize>(r + 1) << 3), wy);
  }
  // Fenwick build in O(m): each node passes its sum up to its parent.
  for (let i = 1; i <= m; i++) {
    const parent = i + (i & -i);
    if (parent <= m) {
      store<f64>(rightW + (<usize>parent << 3), load<f64>(rightW + (<usize>parent << 3)) + load<f64>(rightW + (<usize>i << 3)));
      store<f64>(rightWY + (<usize>parent << 3), load<f64>(rightWY + (<usize>parent << 3)) + load<f64>(rightWY + (<usize>i << 3)));
    }
  }
  let bestP = -1;
  let wl: f64 = 0, wyl: f64 = 0;
  for (let p = start + 1; p < end; p++) {
    const s = load<i32>(samples + (<usize>(p - 1) << 2));
    const r = load<i32>(rankOf + (<usize>s << 2));
    const w = wAt(r - 1), wy = w * yAt(r - 1);
    fenwickAdd(leftW, r, w); fenwickAdd(leftWY, r, wy);
    fenwickAdd(rightW, r, -w); fenwickAdd(rightWY, r, -wy);
    wl += w;
    wyl += wy;
    if (<f64>load<f32>(fv + (<usize>p << 2)) <= <f64>load<f32>(fv + (<usize>(p - 1) << 2)) + 1e-7) continue;
    if (p - start < minLeaf || end - p < minLeaf) continue;
    const proxy = -(deviation(leftW, leftWY, wl, wyl) + deviation(rightW, rightWY, wt - wl, wyt - wyl));
    if (proxy > best) {
      best = proxy;
      bestP = p;
    }
  }
  store<f64>(result, best);
  return bestP;
}
