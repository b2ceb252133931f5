// TreeEnsembleClassifier and TreeEnsembleRegressor (ai.onnx.ml): the trees as the forests'
// kernel reads them (assembly/tree/apply.ts forestSum: every row walks every tree, four rows at a
// time) when every split is BRANCH_LEQ and missing values take the false branch, as scikit-learn's
// converters write them; other split modes and MIN / MAX aggregation walk the trees in JavaScript.
// Labels and scores follow onnxruntime (tree_ensemble_aggregator.h), binary special cases included.
import { FormatError } from '../../../errors.js';
import { forestSumsAt, packForest, type PackedForest } from '../../../ops/tree.js';
import { backend } from '../../../runtime/backend.js';
import type { Attributes } from '../../attributes.js';
import type { NodeInfo, NodeRun, OperatorTable } from '../../operator.js';
import { Value } from '../../value.js';
import { ClassLabels, featureRows, type Rows } from './rows.js';
import { finishScores, POST_TRANSFORMS, type PostTransform } from './scores.js';

const MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'LEAF'] as const;
const [LEQ, LT, GTE, GT, EQ, , LEAF] = MODES.map((_, k) => k);

/**
 * One tree: nodes by local index (the root 0), children −1 at leaves, split modes as indices into
 * MODES, and leaf k's (output, weight) pairs at [leafStart[k], leafStart[k + 1]) of leafOutput / leafWeight.
 */
interface Tree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  mode: Uint8Array;
  missingTrue: Uint8Array;
  leafStart: Int32Array;
  leafOutput: Int32Array;
  leafWeight: Float64Array;
}

interface Ensemble {
  trees: Tree[];
  outputs: number;
  /** Whether the forest kernel walks these trees (BRANCH_LEQ, missing values false). */
  packable: boolean;
  /** The outputs any leaf gives a weight. */
  scored: Uint8Array;
  /** Whether every leaf weights exactly those outputs (then every row scores them all). */
  uniform: boolean;
  allPositive: boolean;
}

/**
 * A tree's node ids → local indices: an array when the ids are about as many as the nodes (as
 * every converter writes them: 0 … n − 1), a Map otherwise.
 */
class NodeIndex {
  private readonly dense: Int32Array | undefined;
  private readonly sparse: Map<number, number> | undefined;

  constructor(ids: ArrayLike<number>, rows: Int32Array, where: string) {
    let widest = -1, integral = true;
    for (const i of rows) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0) integral = false;
      else widest = Math.max(widest, id);
    }
    if (integral && widest < 2 * rows.length + 64) {
      this.dense = new Int32Array(widest + 1).fill(-1);
      rows.forEach((i, k) => {
        if (this.dense![ids[i]] >= 0) throw new FormatError(`${where} repeats a node id`);
        this.dense![ids[i]] = k;
      });
    } else {
      this.sparse = new Map();
      rows.forEach((i, k) => this.sparse!.set(ids[i], k));
      if (this.sparse.size !== rows.length) throw new FormatError(`${where} repeats a node id`);
    }
  }

  /** The local index of a node id, or −1. */
  get(id: number): number {
    if (this.dense) return Number.isInteger(id) && id >= 0 && id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

/**
 * Reads the nodes_* and (class|target)_* attributes into trees, checking every reference. Typed
 * arrays throughout, no object per node: a 500-tree forest has over a million nodes.
 */
function readEnsemble(a: Attributes, where: string, prefix: 'class' | 'target', outputs: number): Ensemble {
  const treeIds = a.required(a.ints('nodes_treeids'), 'nodes_treeids');
  const nodeIds = a.required(a.ints('nodes_nodeids'), 'nodes_nodeids');
  const featureIds = a.required(a.ints('nodes_featureids'), 'nodes_featureids');
  const modes = a.required(a.choices('nodes_modes', MODES), 'nodes_modes');
  const values = a.floats('nodes_values') ?? a.tensor('nodes_values_as_tensor')?.numbers() ?? [];
  const trueIds = a.required(a.ints('nodes_truenodeids'), 'nodes_truenodeids');
  const falseIds = a.required(a.ints('nodes_falsenodeids'), 'nodes_falsenodeids');
  const missing = a.ints('nodes_missing_value_tracks_true', []);
  const n = treeIds.length;
  if ([nodeIds, featureIds, modes, values, trueIds, falseIds].some((v) => v.length !== n) || (missing.length && missing.length !== n)) {
    throw new FormatError(`${where}: the nodes_* attributes must all have ${n} entries`);
  }
  const leafTrees = a.required(a.ints(`${prefix}_treeids`), `${prefix}_treeids`);
  const leafNodes = a.required(a.ints(`${prefix}_nodeids`), `${prefix}_nodeids`);
  const leafIds = a.required(a.ints(`${prefix}_ids`), `${prefix}_ids`);
  const leafWeights = a.floats(`${prefix}_weights`) ?? a.tensor(`${prefix}_weights_as_tensor`)?.numbers() ?? [];
  if ([leafNodes, leafIds, leafWeights].some((v) => v.length !== leafTrees.length)) throw new FormatError(`${where}: the ${prefix}_* attributes must all have ${leafTrees.length} entries`);

  // Trees in order of first appearance; each tree's node rows in file order (a counting sort).
  const treeOf = new Map<number, number>();
  const order: number[] = [];
  const nodeTree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let t = treeOf.get(treeIds[i]);
    if (t === undefined) {
      treeOf.set(treeIds[i], (t = order.length));
      order.push(treeIds[i]);
    }
    nodeTree[i] = t;
  }
  const start = new Int32Array(order.length + 1);
  for (let i = 0; i < n; i++) start[nodeTree[i] + 1]++;
  for (let t = 0; t < order.length; t++) start[t + 1] += start[t];
  const rowsByTree = new Int32Array(n);
  const fill = start.slice(0, order.length);
  for (let i = 0; i < n; i++) rowsByTree[fill[nodeTree[i]]++] = i;

  const trees: Tree[] = [];
  const localOf: ((nodeId: number) => number)[] = [];
  for (let t = 0; t < order.length; t++) {
    const id = order[t];
    const rows = rowsByTree.subarray(start[t], start[t + 1]);
    const m = rows.length;
    const index = new NodeIndex(nodeIds, rows, `${where}: tree ${id}`);
    const child = (i: number, ids: readonly number[]): number => {
      const k = index.get(ids[i]);
      if (k < 0) throw new FormatError(`${where}: node ${nodeIds[i]} of tree ${id} points to a node the tree does not have`);
      return k;
    };
    // The root first: the node no other node of the tree points to; the others keep their order.
    // Each node has one parent at most (a split's two branches may name the same one): the reachable
    // nodes are then a tree, which the forest kernels lay out depth first.
    const pointedTo = new Uint8Array(m);
    const claim = (k: number): void => {
      if (pointedTo[k]) throw new FormatError(`${where}: tree ${id} is not a tree: node ${nodeIds[rows[k]]} is the child of more than one node`);
      pointedTo[k] = 1;
    };
    for (const i of rows) {
      if (modes[i] === LEAF) continue;
      const yes = child(i, trueIds), no = child(i, falseIds);
      claim(yes);
      if (no !== yes) claim(no);
    }
    const root = pointedTo.indexOf(0);
    if (root < 0) throw new FormatError(`${where}: tree ${id} has no root (its nodes form a cycle)`);
    const local = (k: number): number => (k === root ? 0 : k < root ? k + 1 : k);
    const tree: Tree = {
      left: new Int32Array(m), right: new Int32Array(m), feature: new Int32Array(m), threshold: new Float64Array(m),
      mode: new Uint8Array(m), missingTrue: new Uint8Array(m), leafStart: new Int32Array(m + 1), leafOutput: new Int32Array(0), leafWeight: new Float64Array(0),
    };
    rows.forEach((i, row) => {
      const k = local(row);
      tree.mode[k] = modes[i];
      tree.feature[k] = featureIds[i];
      // Thresholds are float32 in the file (nodes_values), compared with float32 features.
      tree.threshold[k] = Math.fround(values[i]);
      tree.missingTrue[k] = missing[i] ? 1 : 0;
      if (modes[i] === LEAF) {
        tree.left[k] = tree.right[k] = -1;
        return;
      }
      tree.left[k] = local(child(i, trueIds));
      tree.right[k] = local(child(i, falseIds));
    });
    trees.push(tree);
    // Leaf weights name nodes by id: keep the map from id to local index until they are read.
    localOf.push((nodeId) => {
      const k = index.get(nodeId);
      return k < 0 ? -1 : local(k);
    });
  }

  // Each leaf's (output, weight) pairs, in file order (a counting sort by tree and node).
  const scored = new Uint8Array(outputs);
  let allPositive = true;
  const leafTree = new Int32Array(leafTrees.length), leafNode = new Int32Array(leafTrees.length);
  for (let j = 0; j < leafTrees.length; j++) {
    const t = treeOf.get(leafTrees[j]);
    const k = t === undefined ? -1 : localOf[t](leafNodes[j]);
    if (t === undefined || k < 0) throw new FormatError(`${where}: ${prefix} weight ${j} names node ${leafNodes[j]} of tree ${leafTrees[j]}, which does not exist`);
    if (leafIds[j] < 0 || leafIds[j] >= outputs) throw new FormatError(`${where}: ${prefix}_ids has ${leafIds[j]}; there are ${outputs} outputs`);
    leafTree[j] = t;
    leafNode[j] = k;
    trees[t].leafStart[k + 1]++;
    scored[leafIds[j]] = 1;
    if (leafWeights[j] < 0) allPositive = false;
  }
  const next: Int32Array[] = trees.map((tree) => {
    const s = tree.leafStart;
    for (let k = 0; k + 1 < s.length; k++) s[k + 1] += s[k];
    tree.leafOutput = new Int32Array(s[s.length - 1]);
    tree.leafWeight = new Float64Array(s[s.length - 1]);
    return s.slice(0, s.length - 1);
  });
  for (let j = 0; j < leafTrees.length; j++) {
    const tree = trees[leafTree[j]], at = next[leafTree[j]][leafNode[j]]++;
    tree.leafOutput[at] = leafIds[j];
    tree.leafWeight[at] = leafWeights[j];
  }

  // Uniform: every leaf weights each scored output exactly once.
  const count = leafOutputs(scored);
  const seen = new Int32Array(outputs).fill(-1);
  let uniform = true, packable = true, stamp = 0;
  for (const tree of trees) {
    for (let k = 0; k < tree.left.length; k++) {
      if (tree.missingTrue[k] || (tree.mode[k] !== LEQ && tree.mode[k] !== LEAF)) packable = false;
      if (tree.left[k] >= 0 || !uniform) continue;
      let distinct = 0;
      stamp++;
      for (let at = tree.leafStart[k]; at < tree.leafStart[k + 1]; at++) {
        const o = tree.leafOutput[at];
        if (seen[o] !== stamp) { seen[o] = stamp; distinct++; }
      }
      if (distinct !== count) uniform = false;
    }
  }
  return { trees, outputs, packable, scored, uniform, allPositive };
}

const leafOutputs = (scored: Uint8Array): number => scored.reduce((a, b) => a + b, 0);

/** The leaf a row reaches in a tree (onnxruntime's comparisons; NaN follows missing_value_tracks_true). */
function leafOf(t: Tree, x: Float32Array, base: number): number {
  let k = 0;
  while (t.left[k] >= 0) {
    const v = x[base + t.feature[k]], h = t.threshold[k];
    let go: boolean;
    if (Number.isNaN(v) && t.missingTrue[k]) go = true;
    else {
      switch (t.mode[k]) {
        case LEQ: go = v <= h; break;
        case LT: go = v < h; break;
        case GTE: go = v >= h; break;
        case GT: go = v > h; break;
        case EQ: go = v === h; break;
        default: go = v !== h;
      }
    }
    k = go ? t.left[k] : t.right[k];
  }
  return k;
}

/** Each row's combined weights per output and whether any reached leaf weighted that output (onnxruntime's has_score). */
interface Aggregated {
  values: Float64Array;
  has: Uint8Array;
}

/**
 * rows × outputs: each output's weights over the trees, combined by SUM (on the forest kernel
 * when every leaf weights the same outputs, so which outputs a row scores is known), MIN or MAX.
 */
function aggregate(node: NodeInfo, e: Ensemble, x: Rows, how: 'SUM' | 'MIN' | 'MAX', packed: () => PackedForest): Aggregated {
  if (how === 'SUM' && e.packable && e.uniform) {
    // The packed trees stay in memory with the model's weights: only the rows are copied per call.
    const f = packed(), w = node.weights;
    const placed = { roots: w.ptr(f.roots), nodes: w.ptr(f.nodes), leafValues: w.ptr(f.leafValues), trees: f.roots.length, k: f.k };
    const values = forestSumsAt(backend(), placed, { data: x.data as unknown as Float64Array, rows: x.rows, cols: x.cols });
    const has = new Uint8Array(x.rows * e.outputs);
    for (let r = 0; r < x.rows; r++) has.set(e.scored, r * e.outputs);
    return { values, has };
  }
  return walk(e, x, how);
}

function walk(e: Ensemble, x: Rows, how: 'SUM' | 'MIN' | 'MAX'): Aggregated {
  const k = e.outputs;
  const values = new Float64Array(x.rows * k);
  const has = new Uint8Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) {
    for (const t of e.trees) {
      const leaf = leafOf(t, x.data, r * x.cols);
      for (let p = t.leafStart[leaf]; p < t.leafStart[leaf + 1]; p++) {
        const o = t.leafOutput[p], w = t.leafWeight[p];
        const at = r * k + o, cur = values[at];
        values[at] = !has[at] ? w : how === 'SUM' ? cur + w : how === 'MIN' ? Math.min(cur, w) : Math.max(cur, w);
        has[at] = 1;
      }
    }
  }
  return { values, has };
}

function packer(e: Ensemble): () => PackedForest {
  let packed: PackedForest | undefined;
  return () => {
    packed ??= packForest(e.trees, (i) => {
      const t = e.trees[i];
      const v = new Float64Array(t.left.length * e.outputs);
      for (let node = 0; node < t.left.length; node++) {
        for (let p = t.leafStart[node]; p < t.leafStart[node + 1]; p++) v[node * e.outputs + t.leafOutput[p]] += t.leafWeight[p];
      }
      return v;
    }, e.outputs);
    return packed;
  };
}

/** The largest feature index a split reads (checked against X's columns on each call). */
function widestFeature(e: Ensemble): number {
  let widest = -1;
  for (const t of e.trees) for (let k = 0; k < t.feature.length; k++) if (t.left[k] >= 0) widest = Math.max(widest, t.feature[k]);
  return widest;
}

function checkFeatures(node: NodeInfo, widest: number, x: Rows): void {
  if (widest >= x.cols) throw new FormatError(`${node.where}: a split reads feature ${widest}; X has ${x.cols} features`);
}

function treeClassifier(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const labels = new ClassLabels(a, node.where);
  const n = labels.count;
  const e = readEnsemble(a, node.where, 'class', n);
  const base = a.floats('base_values') ?? a.tensor('base_values_as_tensor')?.numbers() ?? [];
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  const binaryCase = n === 2 && e.scored.reduce((s, v) => s + v, 0) === 1;
  const packed = packer(e);
  const widest = widestFeature(e);
  return (inputs) => {
    const x = featureRows(node, inputs);
    checkFeatures(node, widest, x);
    const { values: sums, has } = aggregate(node, e, x, 'SUM', packed);
    const labelIndex = new Array<number>(x.rows);
    if (n > 2) {
      for (let r = 0; r < x.rows; r++) {
        // Base values count as scores; an output no leaf scored (and without a base value) is 0.
        for (let c = 0; c < n; c++) {
          const at = r * n + c;
          if (c < base.length) { sums[at] += base[c]; has[at] = 1; } else if (!has[at]) sums[at] = 0;
        }
        // The first largest among the scored classes.
        let best = -1;
        for (let c = 0; c < n; c++) if (has[r * n + c] && (best < 0 || sums[r * n + c] > sums[r * n + best])) best = c;
        labelIndex[r] = best;
      }
      return [labels.tensor(labelIndex), Value.f32(finishScores(sums, x.rows, n, transform), [x.rows, n])];
    }
    // Two classes: onnxruntime's binary rules (its TreeAggregatorClassifier::FinalizeScores).
    const z = new Float32Array(x.rows * 2);
    const literal: number[] = [];
    let usesLiteral = false;
    for (let r = 0; r < x.rows; r++) {
      let s0 = sums[2 * r], s1 = sums[2 * r + 1];
      const has0 = has[2 * r] === 1;
      let has1 = has[2 * r + 1] === 1;
      let second = -1;
      if (base.length === 2) {
        if (has1) { s1 = base[1] + s0; s0 = -s1; } else { s1 += base[1]; s0 += base[0]; has1 = true; }
      } else if (base.length === 1) {
        s0 += base[0];
      } else {
        second = 3;
      }
      const pos = has1 ? s1 : has0 ? s0 : 0;
      if (binaryCase) {
        if (e.allPositive) second = pos > 0.5 ? 0 : 1;
        else second = pos > 0 ? 2 : 3;
        labelIndex[r] = second === 0 || second === 2 ? 1 : 0;
      } else {
        // onnxruntime gives the literal labels 1 and 0 here (class indices for string labels).
        usesLiteral = labels.ints !== undefined;
        literal[r] = pos > 0 ? 1 : 0;
        labelIndex[r] = pos > 0 ? 1 : 0;
      }
      // A class no leaf scored for this row writes 0, base value or not (onnxruntime's ScoreValue).
      const scores = has1 ? Float64Array.of(has0 ? s0 : 0, s1) : Float64Array.of(has0 ? s0 : 0);
      z.set(finishScores(scores, 1, scores.length, transform, second).subarray(0, 2), 2 * r);
    }
    return [usesLiteral ? labels.literal(literal) : labels.tensor(labelIndex), Value.f32(z, [x.rows, 2])];
  };
}

function treeRegressor(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const targets = a.int('n_targets', 1);
  const e = readEnsemble(a, node.where, 'target', targets);
  const base = a.floats('base_values') ?? a.tensor('base_values_as_tensor')?.numbers() ?? [];
  const how = a.oneOf('aggregate_function', 'SUM', ['SUM', 'AVERAGE', 'MIN', 'MAX']);
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  const packed = packer(e);
  const widest = widestFeature(e);
  return (inputs) => {
    const x = featureRows(node, inputs);
    checkFeatures(node, widest, x);
    const { values: sums, has } = aggregate(node, e, x, how === 'AVERAGE' ? 'SUM' : how, packed);
    const trees = e.trees.length;
    for (let i = 0; i < sums.length; i++) {
      const t = i % targets;
      const offset = base.length === targets ? base[t] : targets === 1 && base.length === 1 ? base[0] : 0;
      // With several targets, one no leaf scored for this row is 0 (onnxruntime); one target always gets its base value.
      sums[i] = targets > 1 && !has[i] ? 0 : (how === 'AVERAGE' ? sums[i] / trees : sums[i]) + offset;
    }
    return [Value.f32(finishScores(sums, x.rows, targets, transform), [x.rows, targets])];
  };
}

export const TREE_ENSEMBLE: OperatorTable = {
  TreeEnsembleClassifier: treeClassifier,
  TreeEnsembleRegressor: treeRegressor,
};
