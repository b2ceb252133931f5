// CART tree induction (Breiman et al. 1984) as scikit-learn's builders and best splitter: at each
// node, over the features in a seeded random order, every boundary between the node's distinct
// values of a feature (more than 1e-7 apart) is scored by the impurity decrease, and the best
// split (strictly better than earlier ones) divides the node. A feature pre-binned to ≤ 256
// values (bins.ts) is scored from a histogram of the node's samples over its bins, one pass and
// no sort, and exactly; other features are sorted. Growth is depth first, or best first (the
// largest impurity decrease first) when the number of leaves is capped.
// Impurity: gini 1 − Σp², entropy −Σp log₂p (weighted class counts), squared error (regression),
// absolute error (regression; medians, absolute.ts). Nodes live in flat arrays; samples go left
// when x[feature] ≤ threshold.
import { Criterion, MAX_BINS, TREE_SLOTS } from '../codes';
import { randomNextU32 } from '../random';
import { absoluteImpurity, absoluteScratchBytes, absoluteSetup, scanAbsolute } from './absolute';

const FEATURE_THRESHOLD: f64 = 1e-7;
const EPSILON: f64 = 2.220446049250313e-16;

// Builder state for one tree (module globals are per instance: one tree per thread at a time).
let X: usize = 0;
let Y: usize = 0;
let W: usize = 0;
let nAll: i32 = 0;
let d: i32 = 0;
let outputs: i32 = 0;
let criterion: i32 = 0;
let minLeaf: i32 = 1;
let samples: usize = 0;
let fv: usize = 0;
let sorted: usize = 0; // a node's samples sorted by one feature (samples itself keeps node order)
let mask: usize = 0; // per position: goes left (u8), for the stable partition
let spare: usize = 0; // partition scratch (n × 4 bytes)
let ordered: bool = false; // binned codes kept in node order (nodeCodes) rather than read through samples
let nodeCodes: usize = 0;
let mAll: i32 = 0; // samples taking part (non-zero weight)
let codes: usize = 0;
let binValues: usize = 0;
let nBins: usize = 0;
let hist: usize = 0;
let binCount: usize = 0;
let classOf: usize = 0;
// The node's samples' class (i32) or target (f64) and weight (f64) in node order, for the
// histogram passes (sequential reads); loaded at the node's first histogram pass.
let nodeClass: usize = 0;
let nodeY: usize = 0;
let nodeW: usize = 0;
let nodeValid: bool = false;
let total: usize = 0;
let leftSt: usize = 0;
let rightSt: usize = 0;
let statBytes: usize = 0;
// The best split found so far at the current node.
let bestProxy: f64 = 0;
let bestFeature: i32 = -1;
let bestThreshold: f64 = 0;
let bestDraw: i32 = 0; // the position in the draw order of bestFeature (ties go to the earlier one)
let currentDraw: i32 = 0;
// Two threads on one tree: the builder posts each node to a helper thread through a control block
// (HELPER_* offsets), and each scores half of the features (see evaluate).
let control: usize = 0;

// @ts-ignore: decorator
@inline function xAt(s: i32, f: i32): f32 { return load<f32>(X + ((<usize>s * d + f) << 2)); }
// @ts-ignore: decorator
@inline function weightOf(s: i32): f64 { return W != 0 ? load<f64>(W + (<usize>s << 3)) : 1; }
// @ts-ignore: decorator
@inline function sampleAt(t: i32): i32 { return load<i32>(samples + (<usize>t << 2)); }
// @ts-ignore: decorator
@inline function regression(): bool { return criterion >= Criterion.SquaredError; }

/** Bytes of per-node statistics: weighted class counts, or [Σw, Σwy, Σwy²] for regression. */
function statsSize(kind: i32, nOutputs: i32): i32 {
  return kind >= Criterion.SquaredError ? 3 : nOutputs;
}

/** Impurity of statistics st (gini, entropy, squared error) with total weight wt. */
function impurityOf(st: usize, wt: f64): f64 {
  if (wt <= 0) return 0;
  if (regression()) {
    const mean = load<f64>(st, 8) / wt;
    return load<f64>(st, 16) / wt - mean * mean;
  }
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) {
    const p = load<f64>(st + (<usize>c << 3)) / wt;
    if (criterion == Criterion.Gini) s += p * p;
    else if (p > 0) s -= p * Math.log2(p);
  }
  return criterion == Criterion.Gini ? 1 - s : s;
}

function weightOfStats(st: usize): f64 {
  if (regression()) return load<f64>(st);
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) s += load<f64>(st + (<usize>c << 3));
  return s;
}

/** Adds sample s's contribution to the statistics at st. */
// @ts-ignore: decorator
@inline function accumulate(st: usize, s: i32): void {
  const w = weightOf(s);
  if (regression()) {
    const y = load<f64>(Y + (<usize>s << 3));
    store<f64>(st, load<f64>(st) + w);
    store<f64>(st, load<f64>(st, 8) + w * y, 8);
    store<f64>(st, load<f64>(st, 16) + w * y * y, 16);
    return;
  }
  const o = st + (<usize>load<i32>(classOf + (<usize>s << 2)) << 3);
  store<f64>(o, load<f64>(o) + w);
}

function statsOfRange(st: usize, start: i32, end: i32): void {
  memory.fill(st, 0, statBytes);
  for (let t = start; t < end; t++) accumulate(st, sampleAt(t));
}

// The two sides of the boundary being scored, updated as samples move from right to left: left
// statistics at leftSt (total − left on the right), their weights, and for classification
// q = Σ n_c² (gini) or Σ n_c log₂ n_c (entropy) on each side, so that moving a class count costs
// O(1) instead of a pass over the classes.
let wLeft: f64 = 0;
let wRight: f64 = 0;
let qLeft: f64 = 0;
let qRight: f64 = 0;

// @ts-ignore: decorator
@inline function term(v: f64): f64 {
  return criterion == Criterion.Gini ? v * v : v > 0 ? v * Math.log2(v) : 0;
}

/** Everything on the right: the start of a scan. */
function resetSides(): void {
  memory.fill(leftSt, 0, statBytes);
  wLeft = 0;
  wRight = weightOfStats(total);
  qLeft = 0;
  qRight = 0;
  if (!regression()) for (let c = 0; c < outputs; c++) qRight += term(load<f64>(total + (<usize>c << 3)));
}

/** Moves weight h of class c from the right side to the left. */
// @ts-ignore: decorator
@inline function moveClass(c: i32, h: f64): void {
  const o = leftSt + (<usize>c << 3);
  const l = load<f64>(o), r = load<f64>(total + (<usize>c << 3)) - l;
  store<f64>(o, l + h);
  qLeft += term(l + h) - term(l);
  qRight += term(r - h) - term(r);
  wLeft += h;
  wRight -= h;
}

/** Moves weight h with Σwy = hy from the right side to the left (regression). */
// @ts-ignore: decorator
@inline function moveTarget(h: f64, hy: f64): void {
  store<f64>(leftSt, load<f64>(leftSt) + h);
  store<f64>(leftSt, load<f64>(leftSt, 8) + hy, 8);
  wLeft += h;
  wRight -= h;
}

/**
 * A quantity ordered as the impurity decrease of the current boundary (scikit-learn's proxy up
 * to a constant of the node): gini Σl²/w_l + Σr²/w_r, entropy Σl log₂l + Σr log₂r − w_l log₂w_l
 * − w_r log₂w_r (−w·H per side), squared error s_l²/w_l + s_r²/w_r.
 */
function proxyNow(): f64 {
  if (regression()) {
    const sl = load<f64>(leftSt, 8), sr = load<f64>(total, 8) - sl;
    return sl * sl / wLeft + sr * sr / wRight;
  }
  if (criterion == Criterion.Gini) return qLeft / wLeft + qRight / wRight;
  return qLeft + qRight - wLeft * Math.log2(wLeft) - wRight * Math.log2(wRight);
}

/** Records the boundary between values lo < hi of feature f if it beats the best so far. */
// @ts-ignore: decorator
@inline function consider(proxy: f64, f: i32, lo: f64, hi: f64): void {
  if (!(proxy > bestProxy)) return;
  bestProxy = proxy;
  bestFeature = f;
  bestDraw = currentDraw;
  // The midpoint, or lo when the midpoint rounds to hi (scikit-learn's rule).
  let t = lo / 2.0 + hi / 2.0;
  if (t == hi || !isFinite(t)) t = lo;
  bestThreshold = t;
}

/** Scores every boundary of feature f in samples[start, end) by sorting; false when f is constant there. */
function scanSorted(f: i32, start: i32, end: i32): bool {
  sortByFeature(f, start, end);
  if (<f64>load<f32>(fv + (<usize>(end - 1) << 2)) <= <f64>load<f32>(fv + (<usize>start << 2)) + FEATURE_THRESHOLD) return false;
  if (criterion == Criterion.AbsoluteError) {
    scanAbsoluteFeature(f, start, end);
    return true;
  }
  resetSides();
  for (let p = start + 1; p < end; p++) {
    const s = load<i32>(sorted + (<usize>(p - 1) << 2));
    if (regression()) {
      const w = weightOf(s);
      moveTarget(w, w * load<f64>(Y + (<usize>s << 3)));
    } else {
      moveClass(load<i32>(classOf + (<usize>s << 2)), weightOf(s));
    }
    const lo = <f64>load<f32>(fv + (<usize>(p - 1) << 2)), hi = <f64>load<f32>(fv + (<usize>p << 2));
    if (hi <= lo + FEATURE_THRESHOLD) continue;
    if (p - start < minLeaf || end - p < minLeaf) continue;
    consider(proxyNow(), f, lo, hi);
  }
  return true;
}

function scanAbsoluteFeature(f: i32, start: i32, end: i32): void {
  // absolute.ts scores each boundary p (left = start..p−1) and reports the best one beating bestProxy.
  const p = scanAbsolute(sorted, fv, Y, W, start, end, minLeaf, bestProxy);
  if (p < 0) return;
  consider(load<f64>(absoluteResult), f, <f64>load<f32>(fv + (<usize>(p - 1) << 2)), <f64>load<f32>(fv + (<usize>p << 2)));
}

let absoluteResult: usize = 0;

/**
 * Scores every boundary of binned feature f in samples[start, end) from the histogram of the
 * node's samples over its bins; false when f is constant there. Consecutive non-empty bins are
 * consecutive distinct values of the node, so this is the sorted scan's result.
 */
function scanHistogram(f: i32, start: i32, end: i32): bool {
  const base = ordered ? nodeCodes + <usize>f * mAll : codes + <usize>f * nAll;
  const vals = binValues + (<usize>f * MAX_BINS << 2);
  let lo = MAX_BINS, hi = -1;
  const stride = statBytes;
  if (!nodeValid) loadNode(start, end);
  if (regression()) {
    for (let t = start; t < end; t++) {
      const b = <i32>load<u8>(base + (ordered ? <usize>t : <usize>sampleAt(t)));
      const h = hist + <usize>b * stride;
      store<f64>(h, load<f64>(h) + load<f64>(nodeW + (<usize>t << 3)));
      store<f64>(h, load<f64>(h, 8) + load<f64>(nodeY + (<usize>t << 3)), 8);
      const c = binCount + (<usize>b << 2);
      store<i32>(c, load<i32>(c) + 1);
      lo = min(lo, b); hi = max(hi, b);
    }
  } else if (W == 0) {
    for (let t = start; t < end; t++) {
      const b = <i32>load<u8>(base + (ordered ? <usize>t : <usize>sampleAt(t)));
      const h = hist + <usize>b * stride + (<usize>load<i32>(nodeClass + (<usize>t << 2)) << 3);
      store<f64>(h, load<f64>(h) + 1.0);
      const c = binCount + (<usize>b << 2);
      store<i32>(c, load<i32>(c) + 1);
      lo = min(lo, b); hi = max(hi, b);
    }
  } else {
    for (let t = start; t < end; t++) {
      const b = <i32>load<u8>(base + (ordered ? <usize>t : <usize>sampleAt(t)));
      const h = hist + <usize>b * stride + (<usize>load<i32>(nodeClass + (<usize>t << 2)) << 3);
      store<f64>(h, load<f64>(h) + load<f64>(nodeW + (<usize>t << 3)));
      const c = binCount + (<usize>b << 2);
      store<i32>(c, load<i32>(c) + 1);
      lo = min(lo, b); hi = max(hi, b);
    }
  }
  const constant = <f64>load<f32>(vals + (<usize>hi << 2)) <= <f64>load<f32>(vals + (<usize>lo << 2)) + FEATURE_THRESHOLD;
  resetSides();
  let count = 0, prev = -1;
  const size = end - start;
  for (let b = lo; b <= hi; b++) {
    const c = binCount + (<usize>b << 2);
    const inBin = load<i32>(c);
    if (inBin == 0) continue;
    const h = hist + <usize>b * stride;
    if (!constant && prev >= 0) {
      const vl = <f64>load<f32>(vals + (<usize>prev << 2)), vh = <f64>load<f32>(vals + (<usize>b << 2));
      if (vh > vl + FEATURE_THRESHOLD && count >= minLeaf && size - count >= minLeaf) consider(proxyNow(), f, vl, vh);
    }
    // The bin joins the left side; its row is cleared for the next feature.
    if (regression()) {
      moveTarget(load<f64>(h), load<f64>(h, 8));
      store<f64>(h, 0); store<f64>(h, 0, 8);
    } else {
      for (let k = 0; k < outputs; k++) {
        const o = h + (<usize>k << 3);
        const v = load<f64>(o);
        if (v == 0) continue;
        moveClass(k, v);
        store<f64>(o, 0);
      }
    }
    store<i32>(c, 0);
    count += inBin;
    prev = b;
  }
  return !constant;
}

/** The node's classes or weighted targets, and weights, in node order. */
function loadNode(start: i32, end: i32): void {
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    const w = weightOf(s);
    store<f64>(nodeW + (<usize>t << 3), w);
    if (regression()) store<f64>(nodeY + (<usize>t << 3), w * load<f64>(Y + (<usize>s << 3)));
    else store<i32>(nodeClass + (<usize>t << 2), load<i32>(classOf + (<usize>s << 2)));
  }
  nodeValid = true;
}

/** sorted[start, end) = samples[start, end) ordered by their value of feature f (fv holds the values, in step). */
function sortByFeature(f: i32, start: i32, end: i32): void {
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    store<i32>(sorted + (<usize>t << 2), s);
    store<f32>(fv + (<usize>t << 2), xAt(s, f));
  }
  // Heapsort on (value, sample) pairs: O(n log n) whatever the data.
  const n = end - start;
  for (let root = n / 2 - 1; root >= 0; root--) siftDown(start, root, n);
  for (let last = n - 1; last > 0; last--) {
    swap(start, start + last);
    siftDown(start, 0, last);
  }
}

function swap(a: i32, b: i32): void {
  const va = load<f32>(fv + (<usize>a << 2)), sa = load<i32>(sorted + (<usize>a << 2));
  store<f32>(fv + (<usize>a << 2), load<f32>(fv + (<usize>b << 2)));
  store<i32>(sorted + (<usize>a << 2), load<i32>(sorted + (<usize>b << 2)));
  store<f32>(fv + (<usize>b << 2), va);
  store<i32>(sorted + (<usize>b << 2), sa);
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
 * Stable partition of samples[start, end) (and, when ordered, of every binned feature's codes in
 * node order) by the mask: the left side first, each side in its previous order, so samples stay
 * ascending and the codes stay aligned with them. Returns the first position of the right side.
 */
function partition(start: i32, end: i32): i32 {
  let l = start, r = 0;
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    const goLeft = <i32>load<u8>(mask + t);
    store<i32>(samples + (<usize>l << 2), s);
    store<i32>(spare + (<usize>r << 2), s);
    l += goLeft;
    r += 1 - goLeft;
  }
  memory.copy(samples + (<usize>l << 2), spare, <usize>r << 2);
  if (ordered) {
    for (let f = 0; f < d; f++) {
      if (load<i32>(nBins + (<usize>f << 2)) <= 0) continue;
      const col = nodeCodes + <usize>f * mAll;
      let a = start, b = 0;
      for (let t = start; t < end; t++) {
        const c = load<u8>(col + t);
        const goLeft = <i32>load<u8>(mask + t);
        store<u8>(col + a, c);
        store<u8>(spare + b, c);
        a += goLeft;
        b += 1 - goLeft;
      }
      memory.copy(col + a, spare, <usize>b);
    }
  }
  return l;
}

// Settings and outputs of the tree being grown.
let maxDepthG: i32 = -1;
let minSplitG: i32 = 2;
let minDecreaseG: f64 = 0;
let maxFeaturesG: i32 = 0;
let rngG: usize = 0;
let order: usize = 0;
let rootWeight: f64 = 0;
let leftA: usize = 0;
let rightA: usize = 0;
let featureA: usize = 0;
let thresholdA: usize = 0;
let impurityA: usize = 0;
let nSamplesA: usize = 0;
let weightedA: usize = 0;
let valueA: usize = 0;
// What evaluate() found: the split position (−1: a leaf) and its impurity decrease.
let splitPos: i32 = -1;
let splitImprovement: f64 = 0;

/**
 * Fills node's arrays for samples[start, end) at depth and, unless it must be a leaf, finds the
 * best split and partitions the samples by it (splitPos, splitImprovement); the node is written
 * as a leaf, its split (feature, threshold) recorded for the builder to keep or drop.
 */
function evaluate(node: i32, start: i32, end: i32, depth: i32, roomForChildren: bool): void {
  splitPos = -1;
  splitImprovement = 0;
  store<i32>(leftA + (<usize>node << 2), -1);
  store<i32>(rightA + (<usize>node << 2), -1);
  store<i32>(featureA + (<usize>node << 2), -2);
  store<f64>(thresholdA + (<usize>node << 3), -2);
  statsOfRange(total, start, end);
  const wNode = weightOfStats(total);
  const imp = criterion == Criterion.AbsoluteError ? absoluteImpurity(samples, Y, W, start, end, valueA + (<usize>node * outputs << 3)) : impurityOf(total, wNode);
  store<f64>(impurityA + (<usize>node << 3), imp);
  store<i32>(nSamplesA + (<usize>node << 2), end - start);
  store<f64>(weightedA + (<usize>node << 3), wNode);
  if (criterion == Criterion.SquaredError) store<f64>(valueA + (<usize>node * outputs << 3), load<f64>(total, 8) / wNode);
  else if (criterion != Criterion.AbsoluteError) memory.copy(valueA + (<usize>node * outputs << 3), total, <usize>outputs << 3);
  const size = end - start;
  if ((maxDepthG >= 0 && depth >= maxDepthG) || size < minSplitG || size < 2 * minLeaf || imp <= EPSILON || !roomForChildren) return;

  // Over the features in a random order (seeded Fisher–Yates, as scikit-learn draws them): at
  // least maxFeatures non-constant ones, more while no valid split was found.
  bestFeature = -1;
  bestProxy = -Infinity;
  bestThreshold = 0;
  nodeValid = false;
  if (control != 0) {
    evaluateShared(start, end);
  } else {
    let visited = 0;
    for (let drawn = 0; drawn < d && (visited < maxFeaturesG || bestFeature < 0); drawn++) {
      if (scanDrawn(drawFeature(drawn), drawn, start, end)) visited++;
    }
  }
  if (bestFeature < 0) return;
  // Partition by the best split, then check the impurity decrease.
  for (let t = start; t < end; t++) store<u8>(mask + t, <u8>(<f64>xAt(sampleAt(t), bestFeature) <= bestThreshold));
  const i = partition(start, end);
  let impL: f64, impR: f64, wl: f64, wr: f64;
  statsOfRange(leftSt, start, i);
  statsOfRange(rightSt, i, end);
  wl = weightOfStats(leftSt);
  wr = weightOfStats(rightSt);
  if (criterion == Criterion.AbsoluteError) {
    impL = absoluteImpurity(samples, Y, W, start, i, 0);
    impR = absoluteImpurity(samples, Y, W, i, end, 0);
  } else {
    impL = impurityOf(leftSt, wl);
    impR = impurityOf(rightSt, wr);
  }
  const improvement = (wNode / rootWeight) * (imp - (wr / wNode) * impR - (wl / wNode) * impL);
  if (improvement + EPSILON < minDecreaseG) return;
  store<i32>(featureA + (<usize>node << 2), bestFeature);
  store<f64>(thresholdA + (<usize>node << 3), bestThreshold);
  splitPos = i;
  splitImprovement = improvement;
}

/** Swaps a random one of the features not yet drawn into position drawn of the order; returns it. */
function drawFeature(drawn: i32): i32 {
  const pick = drawn + <i32>(<u64>randomNextU32(rngG) * <u64>(d - drawn) >> 32);
  const fa = load<i32>(order + (<usize>drawn << 2));
  store<i32>(order + (<usize>drawn << 2), load<i32>(order + (<usize>pick << 2)));
  store<i32>(order + (<usize>pick << 2), fa);
  return load<i32>(order + (<usize>drawn << 2));
}

/** Scores feature f (drawn at position drawn); false when it is constant in the node. */
function scanDrawn(f: i32, drawn: i32, start: i32, end: i32): bool {
  currentDraw = drawn;
  const binned = nBins != 0 && criterion != Criterion.AbsoluteError && load<i32>(nBins + (<usize>f << 2)) > 0;
  return binned ? scanHistogram(f, start, end) : scanSorted(f, start, end);
}

// Control block: generation (i32; −1 stops the helper), start, end, done (the helper's last
// generation), and the helper's best: feature, draw (i32), proxy, threshold (f64).
const HELPER_GENERATION: usize = 0;
const HELPER_START: usize = 4;
const HELPER_END: usize = 8;
const HELPER_DONE: usize = 12;
const HELPER_FEATURE: usize = 16;
const HELPER_DRAW: usize = 20;
const HELPER_PROXY: usize = 24;
const HELPER_THRESHOLD: usize = 32;
/** Bytes of the helper's control block. */
export const HELPER_CONTROL_BYTES: i32 = 64;

/**
 * Every feature searched at every node (maxFeatures = d), by two threads: the builder draws the
 * whole order, posts the node, scores the features drawn at even positions while the helper
 * scores the odd ones, then keeps the better best (the earlier draw on a tie): the split the
 * single-thread search finds.
 */
function evaluateShared(start: i32, end: i32): void {
  for (let drawn = 0; drawn < d; drawn++) drawFeature(drawn);
  loadNode(start, end);
  if (ASC_FEATURE_THREADS) {
    store<i32>(control + HELPER_START, start);
    store<i32>(control + HELPER_END, end);
    const generation = atomic.load<i32>(control + HELPER_GENERATION) + 1;
    atomic.store<i32>(control + HELPER_GENERATION, generation);
    for (let drawn = 0; drawn < d; drawn += 2) scanDrawn(load<i32>(order + (<usize>drawn << 2)), drawn, start, end);
    while (atomic.load<i32>(control + HELPER_DONE) != generation) { /* spin: the helper is a moment away */ }
    const f = load<i32>(control + HELPER_FEATURE);
    const proxy = load<f64>(control + HELPER_PROXY), draw = load<i32>(control + HELPER_DRAW);
    if (f >= 0 && (bestFeature < 0 || proxy > bestProxy || (proxy == bestProxy && draw < bestDraw))) {
      bestFeature = f;
      bestProxy = proxy;
      bestDraw = draw;
      bestThreshold = load<f64>(control + HELPER_THRESHOLD);
    }
  }
}

/** The helper's side of evaluateShared: scores the odd draws of each posted node until stopped. */
function serveBuilder(): void {
  if (!ASC_FEATURE_THREADS) return;
  let seen = 0;
  while (true) {
    let generation = atomic.load<i32>(control + HELPER_GENERATION);
    while (generation == seen) generation = atomic.load<i32>(control + HELPER_GENERATION);
    if (generation < 0) return;
    seen = generation;
    const start = load<i32>(control + HELPER_START), end = load<i32>(control + HELPER_END);
    bestFeature = -1;
    bestProxy = -Infinity;
    nodeValid = true; // the builder loaded the node
    for (let drawn = 1; drawn < d; drawn += 2) scanDrawn(load<i32>(order + (<usize>drawn << 2)), drawn, start, end);
    store<i32>(control + HELPER_FEATURE, bestFeature);
    store<i32>(control + HELPER_DRAW, bestDraw);
    store<f64>(control + HELPER_PROXY, bestProxy);
    store<f64>(control + HELPER_THRESHOLD, bestThreshold);
    atomic.store<i32>(control + HELPER_DONE, generation);
  }
}

/** Bytes of scratch treeBuild needs. */
export function treeScratchBytes(n: i32, features: i32, nOutputs: i32, kind: i32, maxNodes: i32, keepOrdered: i32): usize {
  const ss = <usize>statsSize(kind, nOutputs) << 3;
  return (<usize>n << 2) * 6 + <usize>n + (keepOrdered ? <usize>n * features : 0) + (<usize>n << 4) + helperBytes(n, ss) + (<usize>features << 2) + 4 * ss + <usize>MAX_BINS * (ss + 4) + 32 * <usize>maxNodes
    + (kind == Criterion.AbsoluteError ? absoluteScratchBytes(n) : 0) + 64;
}

/**
 * Grows a tree; returns the number of nodes. keepOrdered: keep the binned codes in node order,
 * partitioned at every split (sequential histogram passes; worth it when most features are
 * searched at each node), rather than reading them through the sample indices. x (f32, n×d), y (f64: class index or target), w
 * (f64 sample weights, or 0 for all 1); codes / binValues / nBins from treeBins (or nBins 0: sort
 * every feature). Node arrays (capacity maxNodes): left, right (−1 for leaves), feature,
 * nSamples (i32); threshold, impurity, weighted (f64); value (f64, outputs per node: weighted
 * class counts, or the mean / median). maxLeafNodes > 0 grows best first; maxDepth < 0 is no
 * limit. scratch: treeScratchBytes.
 */
export function treeBuild(
  x: usize, y: usize, w: usize, n: i32, features: i32, nOutputs: i32, kind: i32,
  maxDepth: i32, minSamplesSplit: i32, minSamplesLeaf: i32, minImpurityDecrease: f64, maxFeatures: i32, maxLeafNodes: i32, rng: usize,
  binCodes: usize, binVals: usize, binCounts: usize, keepOrdered: i32,
  scratch: usize, left: usize, right: usize, feature: usize, threshold: usize, impurity: usize, nSamples: usize,
  weighted: usize, value: usize, maxNodes: i32, helperControl: usize, role: i32,
): i32 {
  X = x; Y = y; W = w; nAll = n; d = features; outputs = nOutputs; criterion = kind; minLeaf = minSamplesLeaf;
  codes = binCodes; binValues = binVals; nBins = binCounts;
  maxDepthG = maxDepth; minSplitG = minSamplesSplit; minDecreaseG = minImpurityDecrease; maxFeaturesG = maxFeatures; rngG = rng;
  leftA = left; rightA = right; featureA = feature; thresholdA = threshold; impurityA = impurity; nSamplesA = nSamples;
  weightedA = weighted; valueA = value;
  statBytes = <usize>statsSize(kind, nOutputs) << 3;
  samples = scratch;
  fv = samples + (<usize>n << 2);
  classOf = fv + (<usize>n << 2);
  order = classOf + (<usize>n << 2);
  nodeW = (order + (<usize>features << 2) + 7) & ~7;
  nodeY = nodeW + (<usize>n << 3);
  nodeClass = nodeY + (<usize>n << 3);
  total = (nodeClass + (<usize>n << 2) + 7) & ~7;
  leftSt = total + statBytes;
  rightSt = leftSt + statBytes;
  absoluteResult = rightSt + statBytes;
  hist = absoluteResult + statBytes;
  binCount = hist + <usize>MAX_BINS * statBytes;
  const stack = binCount + (<usize>MAX_BINS << 2); // 32-byte records × maxNodes
  sorted = stack + 32 * <usize>maxNodes;
  spare = sorted + (<usize>n << 2);
  mask = spare + (<usize>n << 2);
  nodeCodes = mask + <usize>n;
  ordered = keepOrdered != 0 && binCounts != 0;
  const helperArea = nodeCodes + (ordered ? <usize>n * features : 0);
  if (kind == Criterion.AbsoluteError) absoluteSetup(helperArea + helperBytes(n, statBytes), n, absoluteResult);
  control = role == ROLE_BUILDER ? helperControl : 0;
  if (role == ROLE_HELPER) {
    // The helper's own histogram, sides and sort buffers; everything else is the builder's.
    hist = helperArea;
    binCount = hist + <usize>MAX_BINS * statBytes;
    leftSt = binCount + (<usize>MAX_BINS << 2);
    rightSt = leftSt + statBytes;
    fv = rightSt + statBytes;
    sorted = fv + (<usize>n << 2);
    memory.fill(hist, 0, <usize>MAX_BINS * (statBytes + 4));
    let m = 0;
    for (let i = 0; i < n; i++) if (w == 0 || load<f64>(w + (<usize>i << 3)) != 0) m++;
    mAll = m;
    control = helperControl;
    serveBuilder();
    control = 0;
    return 0;
  }
  memory.fill(hist, 0, <usize>MAX_BINS * (statBytes + 4));
  // Samples of weight 0 (not drawn by a bootstrap) take no part, as in scikit-learn's splitter.
  let m = 0;
  rootWeight = 0;
  for (let i = 0; i < n; i++) {
    if (!regression()) store<i32>(classOf + (<usize>i << 2), <i32>load<f64>(y + (<usize>i << 3)));
    rootWeight += weightOf(i);
    if (w != 0 && load<f64>(w + (<usize>i << 3)) == 0) continue;
    store<i32>(samples + (<usize>m << 2), i);
    m++;
  }
  for (let f = 0; f < features; f++) store<i32>(order + (<usize>f << 2), f);
  mAll = m;
  if (ordered) {
    for (let f = 0; f < features; f++) {
      if (load<i32>(nBins + (<usize>f << 2)) <= 0) continue;
      const col = nodeCodes + <usize>f * m, from = codes + <usize>f * n;
      for (let t = 0; t < m; t++) store<u8>(col + t, load<u8>(from + <usize>sampleAt(t)));
    }
  }
  const count = maxLeafNodes > 0 ? growBestFirst(m, maxLeafNodes, stack) : growDepthFirst(m, stack, maxNodes);
  if (ASC_FEATURE_THREADS) if (control != 0) atomic.store<i32>(control + HELPER_GENERATION, -1);
  control = 0;
  return count;
}

/** treeBuild's roles: grow alone, grow with a helper thread, be that helper. */
const ROLE_ALONE: i32 = 0;
const ROLE_BUILDER: i32 = 1;
const ROLE_HELPER: i32 = 2;

function helperBytes(n: i32, stats: usize): usize {
  return <usize>MAX_BINS * (stats + 4) + 2 * stats + (<usize>n << 3) + 16;
}

/** scikit-learn's DepthFirstTreeBuilder: a stack of (start, end, depth, parent, isLeft); left children first. */
function growDepthFirst(m: i32, stack: usize, maxNodes: i32): i32 {
  store<i32>(stack, 0); store<i32>(stack, m, 4); store<i32>(stack, 0, 8); store<i32>(stack, -1, 12); store<i32>(stack, 0, 16);
  let top = 1;
  let count = 0;
  while (top > 0) {
    top--;
    const frame = stack + <usize>top * 32;
    const start = load<i32>(frame), end = load<i32>(frame, 4), depth = load<i32>(frame, 8), parent = load<i32>(frame, 12), isLeft = load<i32>(frame, 16);
    const node = count++;
    if (parent >= 0) store<i32>((isLeft ? leftA : rightA) + (<usize>parent << 2), node);
    evaluate(node, start, end, depth, count + 2 <= maxNodes);
    if (splitPos < 0) continue;
    const pos = splitPos;
    // Right first on the stack, so the left child is built (and numbered) first.
    let fr = stack + <usize>top * 32;
    store<i32>(fr, pos); store<i32>(fr, end, 4); store<i32>(fr, depth + 1, 8); store<i32>(fr, node, 12); store<i32>(fr, 0, 16);
    top++;
    fr = stack + <usize>top * 32;
    store<i32>(fr, start); store<i32>(fr, pos, 4); store<i32>(fr, depth + 1, 8); store<i32>(fr, node, 12); store<i32>(fr, 1, 16);
    top++;
  }
  return count;
}

/**
 * scikit-learn's BestFirstTreeBuilder: every node is evaluated (split found, samples
 * partitioned) when created and waits on a max-heap by impurity decrease (ties: the older node);
 * the best waiting node is split while fewer than maxLeafNodes leaves exist, the rest become
 * leaves. Heap records: node, start, end, pos, depth (i32), improvement (f64 at 24).
 */
function growBestFirst(m: i32, maxLeafNodes: i32, heap: usize): i32 {
  let count = 1;
  evaluate(0, 0, m, 0, maxLeafNodes > 1);
  let size = 0;
  size = heapPush(heap, size, 0, 0, m, splitPos, 0, splitImprovement);
  let splits = maxLeafNodes - 1;
  while (size > 0) {
    const node = load<i32>(heap), start = load<i32>(heap, 4), end = load<i32>(heap, 8), pos = load<i32>(heap, 12), depth = load<i32>(heap, 16);
    size = heapPop(heap, size);
    if (pos < 0 || splits <= 0) {
      // A leaf after all: its split (if any) is dropped.
      store<i32>(featureA + (<usize>node << 2), -2);
      store<f64>(thresholdA + (<usize>node << 3), -2);
      continue;
    }
    splits--;
    const l = count++;
    store<i32>(leftA + (<usize>node << 2), l);
    evaluate(l, start, pos, depth + 1, true);
    size = heapPush(heap, size, l, start, pos, splitPos, depth + 1, splitImprovement);
    const r = count++;
    store<i32>(rightA + (<usize>node << 2), r);
    evaluate(r, pos, end, depth + 1, true);
    size = heapPush(heap, size, r, pos, end, splitPos, depth + 1, splitImprovement);
  }
  return count;
}

// @ts-ignore: decorator
@inline function above(heap: usize, a: i32, b: i32): bool {
  const ia = load<f64>(heap + <usize>a * 32, 24), ib = load<f64>(heap + <usize>b * 32, 24);
  return ia > ib || (ia == ib && load<i32>(heap + <usize>a * 32) < load<i32>(heap + <usize>b * 32));
}

function heapSwap(heap: usize, a: i32, b: i32): void {
  const pa = heap + <usize>a * 32, pb = heap + <usize>b * 32;
  const a0 = v128.load(pa), a1 = v128.load(pa, 16);
  v128.store(pa, v128.load(pb)); v128.store(pa, v128.load(pb, 16), 16);
  v128.store(pb, a0); v128.store(pb, a1, 16);
}

function heapPush(heap: usize, size: i32, node: i32, start: i32, end: i32, pos: i32, depth: i32, improvement: f64): i32 {
  const r = heap + <usize>size * 32;
  store<i32>(r, node); store<i32>(r, start, 4); store<i32>(r, end, 8); store<i32>(r, pos, 12); store<i32>(r, depth, 16);
  store<f64>(r, improvement, 24);
  let at = size;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!above(heap, at, parent)) break;
    heapSwap(heap, at, parent);
    at = parent;
  }
  return size + 1;
}

function heapPop(heap: usize, size: i32): i32 {
  size--;
  if (size == 0) return 0;
  heapSwap(heap, 0, size);
  let at = 0;
  while (true) {
    const l = 2 * at + 1, r = l + 1;
    let best = at;
    if (l < size && above(heap, l, best)) best = l;
    if (r < size && above(heap, r, best)) best = r;
    if (best == at) return size;
    heapSwap(heap, at, best);
    at = best;
  }
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

/**
 * Grows trees start ≤ t < end of a forest, one per call of treeBuild, each described by
 * TREE_SLOTS i32 values [weights, rng, left, right, feature, threshold, impurity, nSamples,
 * weighted, value, nodeCountOut, scratch] over the shared data and bins; the other settings are
 * common. Module globals are per instance, so threads grow different trees side by side, and a
 * tree's nodes depend only on its own descriptor.
 */
export function treeBatch(
  descriptors: usize, x: usize, y: usize, n: i32, features: i32, nOutputs: i32, kind: i32,
  maxDepth: i32, minSamplesSplit: i32, minSamplesLeaf: i32, minImpurityDecrease: f64, maxFeatures: i32, maxLeafNodes: i32, maxNodes: i32,
  binCodes: usize, binVals: usize, binCounts: usize, keepOrdered: i32, helperControl: usize, start: i32, end: i32,
): void {
  const build = treeBuild; // through the table: each tree runs the builder's current (optimised) code
  // With a helper control block, rows 0 and 1 are tree 0's builder and helper; a thread given
  // both grows the tree alone.
  const shared = helperControl != 0 && end - start == 1;
  for (let t = start; t < end; t++) {
    const role = shared ? (t == 0 ? ROLE_BUILDER : ROLE_HELPER) : ROLE_ALONE;
    const dsc = descriptors + <usize>(shared ? 0 : t) * TREE_SLOTS * 4;
    const count = build(x, y, slotOf(dsc, 0), n, features, nOutputs, kind, maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease,
      maxFeatures, maxLeafNodes, slotOf(dsc, 1), binCodes, binVals, binCounts, keepOrdered, slotOf(dsc, 11), slotOf(dsc, 2), slotOf(dsc, 3), slotOf(dsc, 4),
      slotOf(dsc, 5), slotOf(dsc, 6), slotOf(dsc, 7), slotOf(dsc, 8), slotOf(dsc, 9), maxNodes, helperControl, role);
    if (role != ROLE_HELPER) store<i32>(slotOf(dsc, 10), count);
    if (helperControl != 0) break; // one tree
  }
}
