// CART tree induction (Breiman et al. 1984) as scikit-learn's depth-first builder and best
// splitter: at each node, over the features in a seeded random order, the samples are sorted by
// the feature and every boundary between distinct values (more than 1e-7 apart) is scored by the
// impurity decrease; the best split (strictly better than earlier ones) divides the node.
// Impurity: gini 1 − Σp², entropy −Σp log₂p (classes, weighted counts), squared error (regression).
// Nodes live in flat arrays; samples go left when x[feature] ≤ threshold.
import { randomNextU32 } from '../random';

export const GINI: i32 = 0;
export const ENTROPY: i32 = 1;
export const SQUARED_ERROR: i32 = 2;
const FEATURE_THRESHOLD: f32 = 1e-7;
const EPSILON: f64 = 2.220446049250313e-16;

// Builder state for one call (single thread).
let X: usize = 0;
let Y: usize = 0;
let W: usize = 0;
let d: i32 = 0;
let outputs: i32 = 0;
let criterion: i32 = 0;
let samples: usize = 0;
let fv: usize = 0;
let stats: usize = 0;

// @ts-ignore: decorator
@inline function xAt(s: i32, f: i32): f32 { return load<f32>(X + ((<usize>s * d + f) << 2)); }
// @ts-ignore: decorator
@inline function weightOf(s: i32): f64 { return W != 0 ? load<f64>(W + (<usize>s << 3)) : 1; }
// @ts-ignore: decorator
@inline function sampleAt(t: i32): i32 { return load<i32>(samples + (<usize>t << 2)); }

/** Impurity of per-class weighted counts (or [Σw, Σwy, Σwy²] for regression) with total weight wt. */
function impurityOf(st: usize, wt: f64): f64 {
  if (wt <= 0) return 0;
  if (criterion == SQUARED_ERROR) {
    const mean = load<f64>(st, 8) / wt;
    return load<f64>(st, 16) / wt - mean * mean;
  }
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) {
    const p = load<f64>(st + (<usize>c << 3)) / wt;
    if (criterion == GINI) s += p * p;
    else if (p > 0) s -= p * Math.log2(p);
  }
  return criterion == GINI ? 1 - s : s;
}

/** Adds sample s's contribution (times sign) to the statistics at st. */
function accumulate(st: usize, s: i32, sign: f64): void {
  const w = weightOf(s) * sign;
  const y = load<f64>(Y + (<usize>s << 3));
  if (criterion == SQUARED_ERROR) {
    store<f64>(st, load<f64>(st) + w);
    store<f64>(st, load<f64>(st, 8) + w * y, 8);
    store<f64>(st, load<f64>(st, 16) + w * y * y, 16);
    return;
  }
  const o = st + (<usize><i32>y << 3);
  store<f64>(o, load<f64>(o) + w);
}

function statsSize(): i32 {
  return criterion == SQUARED_ERROR ? 3 : outputs;
}

function clearStats(st: usize): void {
  memory.fill(st, 0, <usize>statsSize() << 3);
}

/** Sorts samples[start, end) by their value of feature f (fv holds the values, in step). */
function sortByFeature(f: i32, start: i32, end: i32): void {
  for (let t = start; t < end; t++) store<f32>(fv + (<usize>t << 2), xAt(sampleAt(t), f));
  // Heapsort on (value, sample) pairs: O(n log n) whatever the data.
  const n = end - start;
  for (let root = n / 2 - 1; root >= 0; root--) siftDown(start, root, n);
  for (let last = n - 1; last > 0; last--) {
    swap(start, start + last);
    siftDown(start, 0, last);
  }
}

function swap(a: i32, b: i32): void {
  const va = load<f32>(fv + (<usize>a << 2)), sa = sampleAt(a);
  store<f32>(fv + (<usize>a << 2), load<f32>(fv + (<usize>b << 2)));
  store<i32>(samples + (<usize>a << 2), sampleAt(b));
  store<f32>(fv + (<usize>b << 2), va);
  store<i32>(samples + (<usize>b << 2), sa);
}

function siftDown(base: i32, root: i32, n: i32): void {
  while (true) {
    let child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && load<f32>(fv + (<usize>(base + child + 1) << 2)) > load<f32>(fv + (<usize>(base + child) << 2))) child++;
    if (!(load<f32>(fv + (<usize>(base + child) << 2)) > load<f32>(fv + (<usize>(base + root) << 2)))) return;
    swap(base + root, base + child);
    root = child;
  }
}

/**
 * Grows a tree; returns the number of nodes. Node arrays (capacity maxNodes): left, right (−1
 * for leaves), feature, nSamples (i32); threshold, impurity, weighted (f64); value (f64,
 * outputs per node: weighted class counts, or the mean). scratch needs 12n + 8·3·(outputs + 3)
 * + 12·maxNodes + 4d bytes.
 */
export function treeBuild(
  x: usize, y: usize, w: usize, n: i32, features: i32, nOutputs: i32, kind: i32,
  maxDepth: i32, minSamplesSplit: i32, minSamplesLeaf: i32, minImpurityDecrease: f64, maxFeatures: i32, rng: usize,
  scratch: usize, left: usize, right: usize, feature: usize, threshold: usize, impurity: usize, nSamples: usize,
  weighted: usize, value: usize, maxNodes: i32,
): i32 {
  X = x; Y = y; W = w; d = features; outputs = nOutputs; criterion = kind;
  samples = scratch;
  fv = samples + (<usize>n << 2);
  const order = fv + (<usize>n << 2); // the feature permutation, i32 × d
  stats = (order + (<usize>features << 2) + 7) & ~7;
  const ss = <usize>(kind == SQUARED_ERROR ? 3 : nOutputs) << 3;
  const total = stats, leftSt = stats + ss, rightSt = stats + 2 * ss, bestLeft = stats + 3 * ss;
  const stack = bestLeft + ss; // (start, end, depth, parent, isLeft) × maxNodes
  // Samples of weight 0 (not drawn by a bootstrap) take no part, as in scikit-learn's splitter.
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (w != 0 && load<f64>(w + (<usize>i << 3)) == 0) continue;
    store<i32>(samples + (<usize>m << 2), i);
    m++;
  }
  for (let f = 0; f < features; f++) store<i32>(order + (<usize>f << 2), f);
  let rootWeight: f64 = 0;
  for (let i = 0; i < n; i++) rootWeight += weightOf(i);

  let top = 0;
  store<i32>(stack, 0); store<i32>(stack, m, 4); store<i32>(stack, 0, 8); store<i32>(stack, -1, 12); store<i32>(stack, 0, 16);
  top = 1;
  let count = 0;
  while (top > 0) {
    top--;
    const frame = stack + <usize>top * 20;
    const start = load<i32>(frame), end = load<i32>(frame, 4), depth = load<i32>(frame, 8), parent = load<i32>(frame, 12), isLeft = load<i32>(frame, 16);
    const node = count++;
    if (parent >= 0) store<i32>((isLeft ? left : right) + (<usize>parent << 2), node);
    store<i32>(left + (<usize>node << 2), -1);
    store<i32>(right + (<usize>node << 2), -1);
    store<i32>(feature + (<usize>node << 2), -2);
    store<f64>(threshold + (<usize>node << 3), -2);
    clearStats(total);
    for (let t = start; t < end; t++) accumulate(total, sampleAt(t), 1);
    const wNode = criterion == SQUARED_ERROR ? load<f64>(total) : sumOf(total);
    const imp = impurityOf(total, wNode);
    store<f64>(impurity + (<usize>node << 3), imp);
    store<i32>(nSamples + (<usize>node << 2), end - start);
    store<f64>(weighted + (<usize>node << 3), wNode);
    if (criterion == SQUARED_ERROR) store<f64>(value + (<usize>node * nOutputs << 3), load<f64>(total, 8) / wNode);
    else memory.copy(value + (<usize>node * nOutputs << 3), total, <usize>nOutputs << 3);
    const size = end - start;
    let leaf = (maxDepth >= 0 && depth >= maxDepth) || size < minSamplesSplit || size < 2 * minSamplesLeaf || imp <= EPSILON;
    // Room for two children is needed too.
    if (count + 2 > maxNodes) leaf = true;
    if (leaf) continue;

    // Best split over the features in a random order (seeded Fisher–Yates, as scikit-learn draws
    // them), at least maxFeatures non-constant ones, more while no valid split was found.
    let bestFeature = -1, bestPos = -1;
    let bestProxy = -Infinity;
    let bestThreshold: f64 = 0;
    let visited = 0;
    for (let drawn = 0; drawn < features && (visited < maxFeatures || bestFeature < 0); drawn++) {
      const pick = drawn + <i32>(<u64>randomNextU32(rng) * <u64>(features - drawn) >> 32);
      const fa = load<i32>(order + (<usize>drawn << 2));
      store<i32>(order + (<usize>drawn << 2), load<i32>(order + (<usize>pick << 2)));
      store<i32>(order + (<usize>pick << 2), fa);
      const f = load<i32>(order + (<usize>drawn << 2));
      sortByFeature(f, start, end);
      if (load<f32>(fv + (<usize>(end - 1) << 2)) <= load<f32>(fv + (<usize>start << 2)) + FEATURE_THRESHOLD) continue; // constant here
      visited++;
      clearStats(leftSt);
      memory.copy(rightSt, total, ss);
      for (let p = start + 1; p < end; p++) {
        const s = sampleAt(p - 1);
        accumulate(leftSt, s, 1);
        accumulate(rightSt, s, -1);
        if (load<f32>(fv + (<usize>p << 2)) <= load<f32>(fv + (<usize>(p - 1) << 2)) + FEATURE_THRESHOLD) continue;
        if (p - start < minSamplesLeaf || end - p < minSamplesLeaf) continue;
        const proxy = proxyImprovement(leftSt, rightSt);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          bestPos = p;
          const lo = <f64>load<f32>(fv + (<usize>(p - 1) << 2)), hi = <f64>load<f32>(fv + (<usize>p << 2));
          let t = lo / 2.0 + hi / 2.0;
          if (t == hi || !isFinite(t)) t = lo;
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) continue;
    // Partition by the best split and check the impurity decrease.
    let i = start, j = end;
    while (i < j) {
      if (<f64>xAt(sampleAt(i), bestFeature) <= bestThreshold) i++;
      else {
        j--;
        const t = sampleAt(i);
        store<i32>(samples + (<usize>i << 2), sampleAt(j));
        store<i32>(samples + (<usize>j << 2), t);
      }
    }
    clearStats(leftSt);
    for (let t = start; t < i; t++) accumulate(leftSt, sampleAt(t), 1);
    clearStats(rightSt);
    for (let t = i; t < end; t++) accumulate(rightSt, sampleAt(t), 1);
    const wl = criterion == SQUARED_ERROR ? load<f64>(leftSt) : sumOf(leftSt);
    const wr = criterion == SQUARED_ERROR ? load<f64>(rightSt) : sumOf(rightSt);
    const improvement = (wNode / rootWeight) * (imp - (wr / wNode) * impurityOf(rightSt, wr) - (wl / wNode) * impurityOf(leftSt, wl));
    if (improvement + EPSILON < minImpurityDecrease) continue;
    store<i32>(feature + (<usize>node << 2), bestFeature);
    store<f64>(threshold + (<usize>node << 3), bestThreshold);
    // Right first on the stack, so the left child is built (and numbered) first.
    let fr = stack + <usize>top * 20;
    store<i32>(fr, i); store<i32>(fr, end, 4); store<i32>(fr, depth + 1, 8); store<i32>(fr, node, 12); store<i32>(fr, 0, 16);
    top++;
    fr = stack + <usize>top * 20;
    store<i32>(fr, start); store<i32>(fr, i, 4); store<i32>(fr, depth + 1, 8); store<i32>(fr, node, 12); store<i32>(fr, 1, 16);
    top++;
  }
  return count;
}

function sumOf(st: usize): f64 {
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) s += load<f64>(st + (<usize>c << 3));
  return s;
}

/** A quantity whose order matches the impurity decrease of a split (scikit-learn's proxy). */
function proxyImprovement(l: usize, r: usize): f64 {
  if (criterion == SQUARED_ERROR) {
    const wl = load<f64>(l), wr = load<f64>(r);
    return load<f64>(l, 8) * load<f64>(l, 8) / wl + load<f64>(r, 8) * load<f64>(r, 8) / wr;
  }
  const wl = sumOf(l), wr = sumOf(r);
  return -wr * impurityOf(r, wr) - wl * impurityOf(l, wl);
}

/** out[i] = the leaf that row i of x (f32, m×d) falls in, rows rowStart ≤ i < rowEnd. */
export function treeApply(
  x: usize, features: i32, left: usize, right: usize, feature: usize, threshold: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    let node = 0;
    while (load<i32>(left + (<usize>node << 2)) >= 0) {
      const f = load<i32>(feature + (<usize>node << 2));
      const v = <f64>load<f32>(x + ((<usize>i * features + f) << 2));
      node = v <= load<f64>(threshold + (<usize>node << 3)) ? load<i32>(left + (<usize>node << 2)) : load<i32>(right + (<usize>node << 2));
    }
    store<i32>(out + (<usize>i << 2), node);
  }
}

// @ts-ignore: decorator
@inline function slotOf(descriptor: usize, k: i32): usize { return <usize>load<i32>(descriptor + (<usize>k << 2)); }

/** i32 slots of one tree's descriptor for treeBatch. */
export const TREE_SLOTS: i32 = 12;

/**
 * Grows trees start ≤ t < end of a forest, one per call of treeBuild, each described by
 * TREE_SLOTS i32 values [weights, rng, left, right, feature, threshold, impurity, nSamples,
 * weighted, value, nodeCountOut, scratch] over the shared data; the other settings are common.
 * Module globals are per instance, so threads grow different trees side by side, and a tree's
 * nodes depend only on its own descriptor.
 */
export function treeBatch(
  descriptors: usize, x: usize, y: usize, n: i32, features: i32, nOutputs: i32, kind: i32,
  maxDepth: i32, minSamplesSplit: i32, minSamplesLeaf: i32, minImpurityDecrease: f64, maxFeatures: i32, maxNodes: i32,
  start: i32, end: i32,
): void {
  const build = treeBuild; // through the table: each tree runs the builder's current (optimised) code
  for (let t = start; t < end; t++) {
    const dsc = descriptors + <usize>t * TREE_SLOTS * 4;
    const count = build(x, y, slotOf(dsc, 0), n, features, nOutputs, kind, maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease,
      maxFeatures, slotOf(dsc, 1), slotOf(dsc, 11), slotOf(dsc, 2), slotOf(dsc, 3), slotOf(dsc, 4), slotOf(dsc, 5), slotOf(dsc, 6),
      slotOf(dsc, 7), slotOf(dsc, 8), slotOf(dsc, 9), maxNodes);
    store<i32>(slotOf(dsc, 10), count);
  }
}
