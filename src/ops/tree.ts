// Typed wrappers of the tree kernels (assembly/tree/): binning features once, growing a batch of
// trees on the pool, and finding the leaf of each row.
import { WasmlearnError } from '../errors.js';
import type { Matrix, MatrixView } from '../matrix.js';
import type { Cancellation } from '../cancel.js';
import type { Backend } from '../runtime/backend.js';
import { Criterion, MAX_BINS, TREE_SLOTS } from '../runtime/bindings.js';
import { Generator } from './generator.js';
import { fillI32, firstNonFinite, loadI32, putF32, putF64, putI32, readF64, readI32, type Alloc } from './memory.js';

export { Criterion };

/** A grown tree as arrays over its nodes (scikit-learn's tree_ attributes). */
export interface TreeArrays {
  features: number;
  outputs: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  nSamples: Int32Array;
  threshold: Float64Array;
  impurity: Float64Array;
  weighted: Float64Array;
  /** outputs values per node. */
  value: Float64Array;
}

/** How every tree of a batch grows (−1: no limit). */
export interface GrowSettings {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  /** Features drawn at each node (d: all). */
  maxFeatures: number;
  maxLeafNodes: number;
}

/** Bytes of the control block a helper thread shares with a tree's builder. */
const HELPER_CONTROL_BYTES = 64;

/**
 * Grows one tree per (weights, seed) on the same data (f32 features, f64 targets) as many at a time
 * as the pool has threads (treeBatch), each tree depending only on its own weights and seed;
 * `cancel` yields to the event loop and checks for an abort between waves of trees.
 */
export async function growTreeArrays(be: Backend, data: Matrix, targets: Float64Array, outputs: number,
  weights: (Float64Array | undefined)[], seeds: number[], o: GrowSettings, cancel: Cancellation): Promise<TreeArrays[]> {
  const n = data.rows, d = data.cols;
  const kind = o.criterion;
  const maxNodes = o.maxLeafNodes === -1 ? 2 * n + 1 : Math.min(2 * n + 1, 2 * o.maxLeafNodes - 1);
  const trees: TreeArrays[] = [];
  await be.scoped(async (shared) => {
    const x = putF32(be, shared, data.data);
    const y = putF64(be, shared, targets);
    // Features with ≤ 256 distinct values are binned once for every tree (histogram search);
    // the absolute error needs the samples in order and sorts every feature.
    const binned = kind !== Criterion.AbsoluteError;
    const codes = binned ? shared(n * d) : 0, binValues = binned ? shared(d * MAX_BINS * 4) : 0, nBins = binned ? shared(d * 4) : 0;
    if (binned) be.scoped((alloc) => be.launch('treeBins', [x, n, d, codes, binValues, nBins, alloc(be.call('treeBinsScratchBytes', d))], d, 1, n * d * 16));
    // Trees that search most features at every node keep the codes in node order (sequential
    // passes, a partition per split); forests drawing a few features read them in place.
    const keepOrdered = binned && o.maxFeatures * 4 >= d ? 1 : 0;
    const scratchBytes = be.call('treeScratchBytes', n, d, outputs, kind, maxNodes, keepOrdered);
    for (let first = 0; first < seeds.length;) {
      const wave = Math.min(Math.max(1, be.threadsRequested), seeds.length - first);
      be.scoped((alloc) => {
        const descriptors = new Int32Array(wave * TREE_SLOTS);
        const outs = Array.from({ length: wave }, (_, t) => {
          const weight = weights[first + t];
          const w = weight ? putF64(be, alloc, weight) : 0;
          const rng = Generator.seeded(be, alloc, seeds[first + t]).state;
          const ptr = {
            left: alloc(maxNodes * 4), right: alloc(maxNodes * 4), feature: alloc(maxNodes * 4), threshold: alloc(maxNodes * 8),
            impurity: alloc(maxNodes * 8), nSamples: alloc(maxNodes * 4), weighted: alloc(maxNodes * 8), value: alloc(maxNodes * 8 * outputs),
            count: alloc(8), scratch: alloc(scratchBytes),
          };
          descriptors.set([w, rng, ptr.left, ptr.right, ptr.feature, ptr.threshold, ptr.impurity, ptr.nSamples, ptr.weighted, ptr.value, ptr.count, ptr.scratch], t * TREE_SLOTS);
          return ptr;
        });
        const table = putI32(be, alloc, descriptors);
        // A lone tree searching every feature at each node shares the search with a helper thread
        // (rows 0 and 1: builder and helper; one thread given both grows it alone, the same tree).
        const helped = wave === 1 && be.threadsRequested > 1 && o.maxFeatures === d && binned;
        const control = helped ? alloc(HELPER_CONTROL_BYTES) : 0;
        if (helped) fillI32(be, control, HELPER_CONTROL_BYTES / 4, 0);
        const rows = helped ? 2 : wave;
        be.launch('treeBatch', [table, x, y, n, d, outputs, kind, o.maxDepth, o.minSamplesSplit, o.minSamplesLeaf,
          o.minImpurityDecrease, o.maxFeatures, o.maxLeafNodes, maxNodes, codes, binValues, nBins, keepOrdered, control], rows, 1, rows > 1 ? 2 ** 40 : 0);
        for (const ptr of outs) {
          const count = loadI32(be, ptr.count);
          const I = (p: number) => readI32(be, p, count);
          const F = (p: number, k = 1) => readF64(be, p, count * k);
          trees.push({
            features: d, outputs, left: I(ptr.left), right: I(ptr.right), feature: I(ptr.feature), nSamples: I(ptr.nSamples),
            threshold: F(ptr.threshold), impurity: F(ptr.impurity), weighted: F(ptr.weighted), value: F(ptr.value, outputs),
          });
        }
      });
      first += wave;
      if (first < seeds.length) await cancel.tick();
    }
  });
  return trees;
}

/** The rows as f32 in the module, checked there (SIMD) when the caller deferred the finite check to this copy. */
function putChecked(be: Backend, alloc: Alloc, data: Matrix | MatrixView): number {
  const x = putF32(be, alloc, data.data);
  if ('refuse' in data && data.refuse) {
    const bad = firstNonFinite(be, x, data.rows * data.cols);
    if (bad >= 0) throw data.refuse(bad);
  }
  return x;
}

/** The leaf each row of data falls in, per tree (the rows copied into the module once for all trees). */
export function leavesOf(be: Backend, trees: Pick<TreeArrays, 'left' | 'right' | 'feature' | 'threshold'>[], data: Matrix | MatrixView): Int32Array[] {
  return be.scoped((alloc) => {
    const x = putChecked(be, alloc, data);
    const out = alloc(data.rows * 4);
    return trees.map((f) => be.scoped((local) => {
      be.launch('treeApply', [x, data.cols, putI32(be, local, f.left), putI32(be, local, f.right), putI32(be, local, f.feature), putF64(be, local, f.threshold), out],
        data.rows, 1, data.rows * 64);
      return readI32(be, out, data.rows);
    }));
  });
}

/**
 * Trees as the forest kernels read them (assembly/tree/apply.ts): 16-byte records per node — the
 * right child (an index into all the trees' nodes; -1 for a leaf), the split feature (for a leaf,
 * its row of leafValues) and the threshold (f64) — each tree depth first from its root, so that a
 * node's left child is the next record.
 */
export interface PackedForest {
  roots: Int32Array;
  /** Four i32 slots per node: right, feature, then the threshold's f64 in the last two. */
  nodes: Int32Array;
  /** k values per leaf. */
  leafValues: Float64Array;
  k: number;
}

/** Packs trees once for forestSums: values(t) gives tree t's k values per node, of which the leaves' are kept. */
export function packForest(trees: Pick<TreeArrays, 'left' | 'right' | 'feature' | 'threshold'>[], values: (t: number) => Float64Array, k: number): PackedForest {
  // Each tree's nodes in depth-first order from its root, left before right (a node's left child
  // follows it): order[p] is the old index of the node at position p.
  const orders = trees.map((t) => depthFirst(t.left, t.right));
  const total = orders.reduce((s, o) => s + o.length, 0);
  const roots = new Int32Array(trees.length);
  const nodes = new Int32Array(total * 4);
  const thresholds = new Float64Array(nodes.buffer);
  let leafTotal = 0;
  orders.forEach((order, i) => {
    for (const j of order) if (trees[i].left[j] < 0) leafTotal++;
  });
  const leafValues = new Float64Array(leafTotal * k);
  let at = 0, leaf = 0;
  trees.forEach((t, i) => {
    const order = orders[i];
    const position = new Int32Array(t.left.length);
    order.forEach((j, p) => (position[j] = at + p));
    roots[i] = at;
    const v = values(i);
    for (let p = 0; p < order.length; p++) {
      const j = order[p], o = (at + p) * 4;
      if (t.left[j] < 0) {
        nodes[o] = -1;
        nodes[o + 1] = leaf;
        leafValues.set(v.subarray(j * k, (j + 1) * k), leaf * k);
        leaf++;
      } else {
        nodes[o] = position[t.right[j]];
        nodes[o + 1] = t.feature[j];
        thresholds[(o >> 1) + 1] = t.threshold[j];
      }
    }
    at += order.length;
  });
  return { roots, nodes, leafValues, k };
}

/** A tree's nodes reachable from node 0, depth first, each node before its left subtree and that before its right. */
function depthFirst(left: ArrayLike<number>, right: ArrayLike<number>): Int32Array {
  const order = new Int32Array(left.length);
  const stack = new Int32Array(left.length + 1);
  let top = 0, n = 0;
  stack[top++] = 0;
  while (top > 0) {
    const j = stack[--top];
    // A node reached twice would make the tree a graph (checked where trees are read: ONNX files).
    if (n === left.length) throw new WasmlearnError(`internal: a tree's nodes are reached more than once (${left.length} nodes)`);
    order[n++] = j;
    if (left[j] >= 0) {
      if (!(left[j] < left.length && right[j] >= 0 && right[j] < left.length)) throw new WasmlearnError(`internal: node ${j}'s children (${left[j]}, ${right[j]}) are not among the tree's ${left.length} nodes`);
      // A split whose two branches lead to the same node walks into it either way: it is laid out once.
      if (right[j] !== left[j]) stack[top++] = right[j];
      stack[top++] = left[j];
    }
  }
  return order.subarray(0, n);
}

/**
 * Σ over the packed trees, in order, of each row's leaf values (rows × k). The rows are copied in
 * once and walk every tree block by block (assembly/tree/apply.ts forestSum).
 */
export function forestSums(be: Backend, forest: PackedForest, data: Matrix | MatrixView): Float64Array {
  return be.scoped((alloc) => forestSumsAt(be, {
    roots: putI32(be, alloc, forest.roots), nodes: putI32(be, alloc, forest.nodes), leafValues: putF64(be, alloc, forest.leafValues),
    trees: forest.roots.length, k: forest.k,
  }, data));
}

/** A packed forest's arrays in memory (pointers), for callers that keep it there between calls (ONNX tree ensembles). */
export interface PlacedForest {
  roots: number;
  nodes: number;
  leafValues: number;
  trees: number;
  k: number;
}

/** A tree walk's cost in multiply-adds, for the pool's split (a dozen dependent loads from a forest larger than the caches). */
const TREE_WALK_WORK = 2048;

/** forestSums on a forest already in memory: only the rows are copied in. */
export function forestSumsAt(be: Backend, forest: PlacedForest, data: Matrix | MatrixView): Float64Array {
  const k = forest.k;
  return be.scoped((alloc) => {
    const out = alloc(data.rows * k * 8);
    const x = putChecked(be, alloc, data);
    if (data.rows === 1) {
      // One row: its walks are split by tree (each thread finds its trees' leaves and copies their
      // values side by side), then summed in tree order: forestSum's bits, with the threads a single
      // prediction would otherwise leave idle.
      const rows = alloc(forest.trees * k * 8);
      be.launch('forestLeaves', [x, forest.roots, forest.nodes, forest.leafValues, k, rows],
        forest.trees, 4, forest.trees * TREE_WALK_WORK);
      be.call('forestAddLeaves', rows, forest.trees, k, out);
      return readF64(be, out, k);
    }
    be.launch('forestSum', [x, data.cols, forest.trees, forest.roots, forest.nodes, forest.leafValues, k, out],
      data.rows, 1, data.rows * forest.trees * 32);
    return readF64(be, out, data.rows * k);
  });
}
