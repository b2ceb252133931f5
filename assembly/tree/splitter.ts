// The best splitter (scikit-learn's BestSplitter): over the features in a seeded random order,
// every boundary between a node's distinct values of a feature is scored — from a histogram over
// its bins when the feature is binned (bins.ts), else by sorting — and the best split kept; with a
// helper thread, the two share the features of each node.
import { Criterion, MAX_BINS } from '../codes';
import { beat } from '../heartbeat';
import { randomNextU32 } from '../random';
import { absoluteImpurity, scanAbsolute } from './absolute';
import { impurityOf, moveClass, moveTarget, proxyNow, resetSides, statsOfRange, weightOfStats } from './criterion';
import { partition, sortByFeature } from './partition';
import { absoluteResult, bestDraw, bestFeature, bestProxy, bestThreshold, binCount, binValues, classOf, codes, control, criterion, currentDraw, d, EPSILON, helperGone, FEATURE_THRESHOLD, featureA, fv, hist, impurityA, leftA, leftSt, mAll, mask, maxDepthG, maxFeaturesG, minDecreaseG, minLeaf, minSplitG, nAll, nBins, nodeClass, nodeCodes, nodeValid, nodeW, nodeY, nSamplesA, order, ordered, outputs, regression, rightA, rightSt, rngG, rootWeight, sampleAt, samples, sorted, splitImprovement, splitPos, statBytes, thresholdA, total, treeThread, valueA, W, weightedA, weightOf, xAt, Y } from './state';

/** Records the boundary between values lo < hi of feature f if it beats the best so far. */
// @ts-ignore: decorator
@inline export function consider(proxy: f64, f: i32, lo: f64, hi: f64): void {
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
export function scanSorted(f: i32, start: i32, end: i32): bool {
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

export function scanAbsoluteFeature(f: i32, start: i32, end: i32): void {
  // absolute.ts scores each boundary p (left = start..p−1) and reports the best one beating bestProxy.
  const p = scanAbsolute(sorted, fv, Y, W, start, end, minLeaf, bestProxy);
  if (p < 0) return;
  consider(load<f64>(absoluteResult), f, <f64>load<f32>(fv + (<usize>(p - 1) << 2)), <f64>load<f32>(fv + (<usize>p << 2)));
}

/**
 * Scores every boundary of binned feature f in samples[start, end) from the histogram of the
 * node's samples over its bins; false when f is constant there. Consecutive non-empty bins are
 * consecutive distinct values of the node, so this is the sorted scan's result.
 */
export function scanHistogram(f: i32, start: i32, end: i32): bool {
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
export function loadNode(start: i32, end: i32): void {
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    const w = weightOf(s);
    store<f64>(nodeW + (<usize>t << 3), w);
    if (regression()) store<f64>(nodeY + (<usize>t << 3), w * load<f64>(Y + (<usize>s << 3)));
    else store<i32>(nodeClass + (<usize>t << 2), load<i32>(classOf + (<usize>s << 2)));
  }
  nodeValid = true;
}

/**
 * Fills node's arrays for samples[start, end) at depth and, unless it must be a leaf, finds the
 * best split and partitions the samples by it (splitPos, splitImprovement); the node is written
 * as a leaf, its split (feature, threshold) recorded for the builder to keep or drop.
 */
export function evaluate(node: i32, start: i32, end: i32, depth: i32, roomForChildren: bool): void {
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
export function drawFeature(drawn: i32): i32 {
  const pick = drawn + <i32>(<u64>randomNextU32(rngG) * <u64>(d - drawn) >> 32);
  const fa = load<i32>(order + (<usize>drawn << 2));
  store<i32>(order + (<usize>drawn << 2), load<i32>(order + (<usize>pick << 2)));
  store<i32>(order + (<usize>pick << 2), fa);
  return load<i32>(order + (<usize>drawn << 2));
}

/** Scores feature f (drawn at position drawn); false when it is constant in the node. */
export function scanDrawn(f: i32, drawn: i32, start: i32, end: i32): bool {
  beat(treeThread);
  currentDraw = drawn;
  const binned = nBins != 0 && criterion != Criterion.AbsoluteError && load<i32>(nBins + (<usize>f << 2)) > 0;
  return binned ? scanHistogram(f, start, end) : scanSorted(f, start, end);
}

// Control block: generation (i32; −1 stops the helper), start, end, done (the last generation
// whose odd draws are scored), the helper's best: feature, draw (i32), proxy, threshold (f64),
// and claim (the last generation whose odd draws someone took on).
export const HELPER_GENERATION: usize = 0;
export const HELPER_START: usize = 4;
export const HELPER_END: usize = 8;
export const HELPER_DONE: usize = 12;
export const HELPER_FEATURE: usize = 16;
export const HELPER_DRAW: usize = 20;
export const HELPER_PROXY: usize = 24;
export const HELPER_THRESHOLD: usize = 32;
export const HELPER_CLAIM: usize = 40;
/** Bytes of the helper's control block. */
export const HELPER_CONTROL_BYTES: i32 = 64;
/**
 * Loads of HELPER_DONE the builder makes, once the helper has taken a node on, before it gives
 * up on the helper (a fraction of a second; a node's half takes microseconds to milliseconds) and
 * scores every later node alone: a helper that died, or is descheduled on a crowded machine,
 * never holds the tree back. The tree is the same either way.
 */
const HELPER_PATIENCE: i32 = 1 << 28;

/**
 * Every feature searched at every node (maxFeatures = d), by two threads: the builder draws the
 * whole order, posts the node, scores the features drawn at even positions while the helper
 * scores the odd ones, then keeps the better best (the earlier draw on a tie): the split the
 * single-thread search finds. Whoever claims a node's odd half first scores it, so a helper that
 * is late costs the builder only that half's time.
 */
export function evaluateShared(start: i32, end: i32): void {
  for (let drawn = 0; drawn < d; drawn++) drawFeature(drawn);
  loadNode(start, end);
  if (!ASC_FEATURE_THREADS) return;
  let generation = 0;
  if (!helperGone) {
    store<i32>(control + HELPER_START, start);
    store<i32>(control + HELPER_END, end);
    generation = atomic.load<i32>(control + HELPER_GENERATION) + 1;
    atomic.store<i32>(control + HELPER_GENERATION, generation);
  }
  for (let drawn = 0; drawn < d; drawn += 2) scanDrawn(load<i32>(order + (<usize>drawn << 2)), drawn, start, end);
  const f = bestFeature, proxy = bestProxy, draw = bestDraw, threshold = bestThreshold;
  let alone = helperGone || atomic.cmpxchg<i32>(control + HELPER_CLAIM, generation - 1, generation) == generation - 1;
  if (!alone) {
    let waited = 0;
    while (atomic.load<i32>(control + HELPER_DONE) != generation) {
      if (++waited > HELPER_PATIENCE) {
        helperGone = true;
        alone = true;
        break;
      }
    }
  }
  if (alone) {
    scoreOddDraws(start, end);
  } else {
    bestFeature = load<i32>(control + HELPER_FEATURE);
    bestProxy = load<f64>(control + HELPER_PROXY);
    bestDraw = load<i32>(control + HELPER_DRAW);
    bestThreshold = load<f64>(control + HELPER_THRESHOLD);
  }
  // The odd half's best replaces the even half's if it is better, or as good and drawn earlier.
  if (bestFeature < 0 || (f >= 0 && !(bestProxy > proxy || (bestProxy == proxy && bestDraw < draw)))) {
    bestFeature = f;
    bestProxy = proxy;
    bestDraw = draw;
    bestThreshold = threshold;
  }
}

/** Scores the odd draws of a node: best* is then their best. */
function scoreOddDraws(start: i32, end: i32): void {
  bestFeature = -1;
  bestProxy = -Infinity;
  for (let drawn = 1; drawn < d; drawn += 2) scanDrawn(load<i32>(order + (<usize>drawn << 2)), drawn, start, end);
}

/** The helper's side of evaluateShared: scores the odd draws of each posted node it claims until stopped. */
export function serveBuilder(): void {
  if (!ASC_FEATURE_THREADS) return;
  let seen = 0;
  while (true) {
    let generation = atomic.load<i32>(control + HELPER_GENERATION);
    while (generation == seen) generation = atomic.load<i32>(control + HELPER_GENERATION);
    if (generation < 0) return;
    seen = generation;
    if (atomic.cmpxchg<i32>(control + HELPER_CLAIM, generation - 1, generation) != generation - 1) continue; // the builder took it
    nodeValid = true; // the builder loaded the node
    scoreOddDraws(load<i32>(control + HELPER_START), load<i32>(control + HELPER_END));
    store<i32>(control + HELPER_FEATURE, bestFeature);
    store<i32>(control + HELPER_DRAW, bestDraw);
    store<f64>(control + HELPER_PROXY, bestProxy);
    store<f64>(control + HELPER_THRESHOLD, bestThreshold);
    atomic.store<i32>(control + HELPER_DONE, generation);
  }
}
