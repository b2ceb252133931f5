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

type Mode = 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT' | 'BRANCH_EQ' | 'BRANCH_NEQ' | 'LEAF';
const MODES: readonly Mode[] = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'LEAF'];

/** One tree: nodes by local index, children −1 at leaves, and each leaf's (output, weight) pairs. */
interface Tree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  mode: Mode[];
  missingTrue: Uint8Array;
  leaves: Map<number, [number, number][]>;
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

/** Reads the nodes_* and (class|target)_* attributes into trees, checking every reference. */
function readEnsemble(a: Attributes, where: string, prefix: 'class' | 'target', outputs: number): Ensemble {
  const treeIds = a.required(a.ints('nodes_treeids'), 'nodes_treeids');
  const nodeIds = a.required(a.ints('nodes_nodeids'), 'nodes_nodeids');
  const featureIds = a.required(a.ints('nodes_featureids'), 'nodes_featureids');
  const modes = a.required(a.strings('nodes_modes'), 'nodes_modes');
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

  const order: number[] = [];
  const byTree = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!MODES.includes(modes[i] as Mode)) throw new FormatError(`${where}: node mode '${modes[i]}' is not one of ${MODES.join(', ')}`);
    let list = byTree.get(treeIds[i]);
    if (!list) {
      byTree.set(treeIds[i], (list = []));
      order.push(treeIds[i]);
    }
    list.push(i);
  }
  const trees = new Map<number, Tree & { local: Map<number, number> }>();
  for (const id of order) {
    const rows = byTree.get(id)!;
    // The root first: the node no other node of the tree points to.
    const children = new Set<number>();
    for (const i of rows) if (modes[i] !== 'LEAF') { children.add(trueIds[i]); children.add(falseIds[i]); }
    const root = rows.find((i) => !children.has(nodeIds[i]));
    if (root === undefined) throw new FormatError(`${where}: tree ${id} has no root (its nodes form a cycle)`);
    const sorted = [root, ...rows.filter((i) => i !== root)];
    const local = new Map<number, number>(sorted.map((i, k) => [nodeIds[i], k]));
    if (local.size !== sorted.length) throw new FormatError(`${where}: tree ${id} repeats a node id`);
    const m = sorted.length;
    const t: Tree & { local: Map<number, number> } = {
      left: new Int32Array(m), right: new Int32Array(m), feature: new Int32Array(m), threshold: new Float64Array(m),
      mode: new Array<Mode>(m), missingTrue: new Uint8Array(m), leaves: new Map(), local,
    };
    sorted.forEach((i, k) => {
      t.mode[k] = modes[i] as Mode;
      t.feature[k] = featureIds[i];
      // Thresholds are float32 in the file (nodes_values), compared with float32 features.
      t.threshold[k] = Math.fround(values[i]);
      t.missingTrue[k] = missing[i] ? 1 : 0;
      if (modes[i] === 'LEAF') {
        t.left[k] = t.right[k] = -1;
        return;
      }
      const l = local.get(trueIds[i]), r = local.get(falseIds[i]);
      if (l === undefined || r === undefined) throw new FormatError(`${where}: node ${nodeIds[i]} of tree ${id} points to a node the tree does not have`);
      t.left[k] = l;
      t.right[k] = r;
    });
    trees.set(id, t);
  }
  const scored = new Uint8Array(outputs);
  let allPositive = true;
  for (let j = 0; j < leafTrees.length; j++) {
    const t = trees.get(leafTrees[j]);
    const k = t?.local.get(leafNodes[j]);
    if (!t || k === undefined) throw new FormatError(`${where}: ${prefix} weight ${j} names node ${leafNodes[j]} of tree ${leafTrees[j]}, which does not exist`);
    if (leafIds[j] < 0 || leafIds[j] >= outputs) throw new FormatError(`${where}: ${prefix}_ids has ${leafIds[j]}; there are ${outputs} outputs`);
    let list = t.leaves.get(k);
    if (!list) t.leaves.set(k, (list = []));
    list.push([leafIds[j], leafWeights[j]]);
    scored[leafIds[j]] = 1;
    if (leafWeights[j] < 0) allPositive = false;
  }
  const list = order.map((id) => trees.get(id)!);
  const count = leafOutputs(scored);
  const uniform = list.every((t) => t.left.every((l, k) => l >= 0 || new Set((t.leaves.get(k) ?? []).map(([o]) => o)).size === count));
  const packable = list.every((t) => t.mode.every((m) => m === 'BRANCH_LEQ' || m === 'LEAF') && t.missingTrue.every((v) => v === 0));
  return { trees: list, outputs, packable, scored, uniform, allPositive };
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
        case 'BRANCH_LEQ': go = v <= h; break;
        case 'BRANCH_LT': go = v < h; break;
        case 'BRANCH_GTE': go = v >= h; break;
        case 'BRANCH_GT': go = v > h; break;
        case 'BRANCH_EQ': go = v === h; break;
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
    const placed = { roots: w.ptr(f.roots), left: w.ptr(f.left), right: w.ptr(f.right), feature: w.ptr(f.feature), threshold: w.ptr(f.threshold),
      leafValues: w.ptr(f.leafValues), trees: f.roots.length, k: f.k };
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
      for (const [o, w] of t.leaves.get(leafOf(t, x.data, r * x.cols)) ?? []) {
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
      for (const [node, list] of t.leaves) for (const [o, w] of list) v[node * e.outputs + o] += w;
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
