// Growing one tree of a histogram booster (scikit-learn's TreeGrower): best-first — the
// splittable leaf with the largest gain splits next — until maxLeafNodes leaves, maxDepth, or no
// split gains. The smaller child's histograms are built from its samples and the larger's by
// subtraction; monotonic constraints bound the children's values by the midpoint of their
// parent's split; interaction constraints restrict a node's features to the groups holding every
// feature split on above it. Leaf values are shrunk by the learning rate at the end.
import { BOOST_SPLIT_SLOTS, BoostSplit, CATEGORICAL, MISSING_LEFT, type BoostData, type BoostTree, type NodeStats, type SplitRules } from '../ops/boosting.js';

export interface GrowOptions extends SplitRules {
  maxLeafNodes: number | null;
  maxDepth: number | null;
  learningRate: number;
  /** Per feature: 1 increasing, −1 decreasing, 0 none. */
  monotonic: Int8Array;
  /** Groups of features allowed to interact, or null. */
  interactions: number[][] | null;
  /** Per feature: its bins' upper thresholds (numeric) or its sorted categories (categorical). */
  thresholds: Float64Array[];
  nonMissing: Int32Array;
  hasMissing: Uint8Array;
  categorical: Uint8Array;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gradientLeft: number;
  hessianLeft: number;
  countLeft: number;
  valueLeft: number;
  valueRight: number;
  bitset: Uint32Array | null;
}

interface Node extends NodeStats {
  depth: number;
  /** The buffer (0 or 1) that holds the node's samples at [start, start + count). */
  side: number;
  start: number;
  histogram: number;
  split: Split | null;
  leaf: boolean;
  left: Node | null;
  right: Node | null;
  /** Interaction groups still open, and the features they allow (null: no constraints). */
  groups: number[] | null;
  allowed: Uint8Array | null;
}

/** The best split among the allowed features of one record block (the first feature wins ties, as scikit-learn's scan). */
function bestSplit(records: Float64Array, d: number, categorical: Uint8Array, allowed: Uint8Array | null): Split | null {
  let best = -1;
  for (let f = 0; f < d; f++) {
    if (allowed && !allowed[f]) continue;
    if (best < 0 || records[f * BOOST_SPLIT_SLOTS + BoostSplit.Gain] > records[best * BOOST_SPLIT_SLOTS + BoostSplit.Gain]) best = f;
  }
  if (best < 0) return null;
  const r = records.subarray(best * BOOST_SPLIT_SLOTS, (best + 1) * BOOST_SPLIT_SLOTS);
  if (!(r[BoostSplit.Gain] > 0)) return null;
  const words = new Uint32Array(r.slice(BoostSplit.Bitset, BoostSplit.Bitset + 4).buffer);
  return {
    gain: r[BoostSplit.Gain], feature: best, bin: r[BoostSplit.Bin], missingLeft: r[BoostSplit.MissingLeft] !== 0,
    gradientLeft: r[BoostSplit.GradientLeft], hessianLeft: r[BoostSplit.HessianLeft], countLeft: r[BoostSplit.CountLeft],
    valueLeft: r[BoostSplit.ValueLeft], valueRight: r[BoostSplit.ValueRight], bitset: categorical[best] ? words : null,
  };
}

/** A max-heap of nodes by gain (ties: the one pushed first). */
class Splittable {
  private readonly items: { node: Node; order: number }[] = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  private before(a: { node: Node; order: number }, b: { node: Node; order: number }): boolean {
    return a.node.split!.gain > b.node.split!.gain || (a.node.split!.gain === b.node.split!.gain && a.order < b.order);
  }

  push(node: Node): void {
    const items = this.items;
    items.push({ node, order: this.pushed++ });
    for (let i = items.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.before(items[i], items[p])) break;
      [items[i], items[p]] = [items[p], items[i]];
      i = p;
    }
  }

  pop(): Node {
    const items = this.items, top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l], items[m])) m = l;
        if (r < items.length && this.before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top.node;
  }

  drain(): Node[] {
    const out = this.items.map((i) => i.node);
    this.items.length = 0;
    return out;
  }
}

/**
 * Grows the tree of output c on the gradients in `data` (every sample at the root) and adds its
 * leaves' values to the raw predictions of their samples. leafValue, if given, replaces each
 * leaf's value (before shrinkage) from its samples (absolute and quantile losses).
 */
export function growTree(data: BoostData, c: number, o: GrowOptions, leafValue?: (samples: Int32Array) => number): BoostTree {
  const d = data.d, n = data.n;
  data.resetRows();
  const { sumG, sumH } = data.sums(c);
  const leaves: Node[] = [];
  const heap = new Splittable();
  const withMonotonic = o.monotonic.some((v) => v !== 0);
  const rootAllowed = o.interactions ? new Uint8Array(d) : null;
  if (rootAllowed) for (const g of o.interactions!) for (const f of g) rootAllowed[f] = 1;
  const root: Node = {
    sumG, sumH, count: n, value: 0, lower: -Infinity, upper: Infinity, depth: 0, side: 0,
    start: 0, histogram: 0, split: null, leaf: false, left: null, right: null,
    groups: o.interactions ? o.interactions.map((_, i) => i) : null, allowed: rootAllowed,
  };
  let nodes = 1;
  const finalize = (node: Node): void => {
    node.leaf = true;
    leaves.push(node);
    if (node.histogram) data.giveHistogram(node.histogram);
    node.histogram = 0;
  };
  const consider = (node: Node, records: Float64Array): void => {
    node.split = bestSplit(records, d, o.categorical, node.allowed);
    if (node.split) heap.push(node);
    else finalize(node);
  };
  if (n < 2 * o.minSamplesLeaf || sumH < o.minHessian) finalize(root);
  else {
    root.histogram = data.takeHistogram();
    const [records] = data.step(c, 0, 0, n, root.histogram, 0, 0, [true, false], [root, null], o, root.allowed);
    consider(root, records!);
  }
  while (heap.size > 0) {
    const node = heap.pop();
    const s = node.split!;
    const leftCount = s.countLeft;
    data.partition(node.side, node.start, node.count, leftCount, s.feature, s.bin, s.missingLeft, s.bitset);
    const depth = node.depth + 1;
    const child = (start: number, count: number, g: number, h: number, value: number): Node => ({
      sumG: g, sumH: h, count, value, lower: node.lower, upper: node.upper, depth, side: 1 - node.side, start, histogram: 0, split: null, leaf: false, left: null, right: null,
      groups: node.groups, allowed: node.allowed,
    });
    const left = child(node.start, leftCount, s.gradientLeft, s.hessianLeft, s.valueLeft);
    const right = child(node.start + leftCount, node.count - leftCount, node.sumG - s.gradientLeft, node.sumH - s.hessianLeft, s.valueRight);
    node.left = left;
    node.right = right;
    nodes += 2;
    if (o.interactions) {
      // The groups holding the split feature stay open; their union is what the children may use.
      const groups = node.groups!.filter((i) => o.interactions![i].includes(s.feature));
      const allowed = new Uint8Array(d);
      for (const i of groups) for (const f of o.interactions[i]) allowed[f] = 1;
      left.groups = right.groups = groups;
      left.allowed = right.allowed = allowed;
    }
    // Without missing values at fit, a missing value at predict goes to the child with more samples.
    if (!o.hasMissing[s.feature]) s.missingLeft = left.count > right.count;
    const leafCount = leaves.length + heap.size + 2;
    const parentHistogram = node.histogram;
    node.histogram = 0;
    if (o.maxLeafNodes !== null && leafCount === o.maxLeafNodes) {
      finalize(left);
      finalize(right);
      for (const rest of heap.drain()) finalize(rest);
      data.giveHistogram(parentHistogram);
      break;
    }
    if (o.maxDepth !== null && depth === o.maxDepth) {
      finalize(left);
      finalize(right);
      data.giveHistogram(parentHistogram);
      continue;
    }
    if (left.count < 2 * o.minSamplesLeaf) finalize(left);
    if (right.count < 2 * o.minSamplesLeaf) finalize(right);
    if (withMonotonic) {
      const m = o.monotonic[s.feature];
      if (m !== 0) {
        const mid = (left.value + right.value) / 2;
        if (m > 0) {
          left.upper = mid;
          right.lower = mid;
        } else {
          left.lower = mid;
          right.upper = mid;
        }
      }
    }
    if (!left.leaf || !right.leaf) {
      const [small, large] = left.count < right.count ? [left, right] : [right, left];
      small.histogram = data.takeHistogram();
      large.histogram = data.takeHistogram();
      const [rs, rl] = data.step(c, small.side, small.start, small.count, small.histogram, parentHistogram, large.histogram, [!small.leaf, !large.leaf],
        [small, large], o, left.allowed);
      if (!small.leaf) consider(small, rs!);
      else data.giveHistogram(small.histogram), small.histogram = 0;
      if (!large.leaf) consider(large, rl!);
      else data.giveHistogram(large.histogram), large.histogram = 0;
    }
    data.giveHistogram(parentHistogram);
  }
  for (const leaf of leaves) {
    if (leafValue) leaf.value = leafValue(data.rowsOf(leaf.side, leaf.start, leaf.count));
    leaf.value *= o.learningRate;
    data.addLeaf(c, leaf.side, leaf.start, leaf.count, leaf.value);
  }
  return toArrays(root, nodes, o);
}

/** The tree's nodes in preorder (a node, its left subtree, its right subtree), as scikit-learn's predictor stores them. */
function toArrays(root: Node, nodes: number, o: GrowOptions): BoostTree {
  const feature = new Int32Array(nodes).fill(-1), left = new Int32Array(nodes).fill(-1), right = new Int32Array(nodes).fill(-1);
  const threshold = new Float64Array(nodes), bin = new Int32Array(nodes), flags = new Int32Array(nodes), bitsetIndex = new Int32Array(nodes).fill(-1);
  const value = new Float64Array(nodes), count = new Int32Array(nodes);
  const raw: number[] = [], binned: number[] = [];
  let next = 0;
  const visit = (node: Node): number => {
    const at = next++;
    value[at] = node.value;
    count[at] = node.count;
    if (node.leaf || !node.left) return at;
    const s = node.split!;
    feature[at] = s.feature;
    bin[at] = s.bin;
    flags[at] = s.missingLeft ? MISSING_LEFT : 0;
    if (s.bitset) {
      flags[at] |= CATEGORICAL;
      bitsetIndex[at] = raw.length / 8;
      const rawWords = new Uint32Array(8), categories = o.thresholds[s.feature];
      for (let b = 0; b < categories.length; b++) {
        if (s.bitset[b >> 5] & (1 << (b & 31))) rawWords[categories[b] >> 5] |= 1 << (categories[b] & 31);
      }
      raw.push(...rawWords);
      binned.push(...s.bitset);
    } else {
      // A split on the last non-missing bin sends every value left (scikit-learn's +inf; the largest
      // double here, as saved files hold finite values and X never holds ±Infinity).
      threshold[at] = s.bin === o.nonMissing[s.feature] - 1 ? Number.MAX_VALUE : o.thresholds[s.feature][s.bin];
    }
    left[at] = visit(node.left);
    right[at] = visit(node.right!);
    return at;
  };
  visit(root);
  return { feature, left, right, threshold, bin, flags, bitsetIndex, value, count, rawBitsets: Uint32Array.from(raw), binnedBitsets: Uint32Array.from(binned) };
}
