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
import { absoluteScratchBytes, absoluteSetup } from './absolute';
import { statsSize } from './criterion';
import { evaluate, HELPER_GENERATION, serveBuilder } from './splitter';
import { absoluteResult, helperGone, treeThread, binCount, binValues, classOf, codes, control, criterion, d, featureA, fv, hist, impurityA, leftA, leftSt, mAll, mask, maxDepthG, maxFeaturesG, minDecreaseG, minLeaf, minSplitG, nAll, nBins, nodeClass, nodeCodes, nodeW, nodeY, nSamplesA, order, ordered, outputs, regression, rightA, rightSt, rngG, rootWeight, sampleAt, samples, sorted, spare, splitImprovement, splitPos, statBytes, thresholdA, total, valueA, W, weightedA, weightOf, X, Y } from './state';

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
  helperGone = false;
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
export const ROLE_ALONE: i32 = 0;
export const ROLE_BUILDER: i32 = 1;
export const ROLE_HELPER: i32 = 2;

export function helperBytes(n: i32, stats: usize): usize {
  return <usize>MAX_BINS * (stats + 4) + 2 * stats + (<usize>n << 3) + 16;
}

/** scikit-learn's DepthFirstTreeBuilder: a stack of (start, end, depth, parent, isLeft); left children first. */
export function growDepthFirst(m: i32, stack: usize, maxNodes: i32): i32 {
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
export function growBestFirst(m: i32, maxLeafNodes: i32, heap: usize): i32 {
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
@inline export function above(heap: usize, a: i32, b: i32): bool {
  const ia = load<f64>(heap + <usize>a * 32, 24), ib = load<f64>(heap + <usize>b * 32, 24);
  return ia > ib || (ia == ib && load<i32>(heap + <usize>a * 32) < load<i32>(heap + <usize>b * 32));
}

export function heapSwap(heap: usize, a: i32, b: i32): void {
  const pa = heap + <usize>a * 32, pb = heap + <usize>b * 32;
  const a0 = v128.load(pa), a1 = v128.load(pa, 16);
  v128.store(pa, v128.load(pb)); v128.store(pa, v128.load(pb, 16), 16);
  v128.store(pb, a0); v128.store(pb, a1, 16);
}

export function heapPush(heap: usize, size: i32, node: i32, start: i32, end: i32, pos: i32, depth: i32, improvement: f64): i32 {
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

export function heapPop(heap: usize, size: i32): i32 {
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

// @ts-ignore: decorator
@inline export function slotOf(descriptor: usize, k: i32): usize { return <usize>load<i32>(descriptor + (<usize>k << 2)); }

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
  binCodes: usize, binVals: usize, binCounts: usize, keepOrdered: i32, helperControl: usize, start: i32, end: i32, thread: i32,
): void {
  treeThread = thread;
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
