// Decision trees (scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor): CART grown in
// WebAssembly (assembly/tree/grow.ts) on f32 features as scikit-learn does, nodes in flat arrays.
import { Cancellation, type CancelOptions } from '../cancel.js';
import { Criterion, forestSums, growTreeArrays, leavesOf, packForest, type PackedForest } from '../ops/tree.js';
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore, regressorScore } from '../estimator.js';
import { encodeLabels, toTargets, toVector, type Matrix, type MatrixLike, type MatrixView } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { classWeightRule, classWeights, weighSamples, type ClassWeight } from '../class-weight.js';

export interface TreeOptions {
  /** Classifier: 'gini' (default), 'entropy' or 'logLoss'; regressor: 'squaredError' (default). */
  criterion?: string;
  /** Maximum depth, or null (default) to grow until leaves are pure or too small. */
  maxDepth?: number | null;
  /** Fewest samples a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Fewest samples in each child (default 1). */
  minSamplesLeaf?: number;
  /** A split must decrease the weighted impurity by at least this much (default 0). */
  minImpurityDecrease?: number;
  /** Features tried per split: null (all, default), 'sqrt', 'log2', an integer, or a fraction in (0, 1]. */
  maxFeatures?: number | 'sqrt' | 'log2' | null;
  /** Grow best first (largest impurity decrease first) up to this many leaves; null (default): depth first, no cap. */
  maxLeafNodes?: number | null;
  /** Seed of the feature order (default: fresh, or setRandomSeed's sequence). */
  seed?: number | null;
}

export interface TreeClassifierOptions extends TreeOptions {
  /** Weights per class multiplying the sample weights: 'balanced' (n / (k·n_c)), an object label → weight, or null (default). */
  classWeight?: ClassWeight;
}

export interface Fitted {
  features: number;
  classes: (number | string)[];
  outputs: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  impurity: Float64Array;
  nSamples: Int32Array;
  weighted: Float64Array;
  value: Float64Array;
}

const CRITERIA: Record<string, Criterion> = {
  gini: Criterion.Gini, entropy: Criterion.Entropy, logLoss: Criterion.Entropy, squaredError: Criterion.SquaredError, absoluteError: Criterion.AbsoluteError,
};
const common = (criteria: string[], fallback: string): ParamTable<TreeOptions> => ({
  criterion: rules.oneOf(fallback, criteria),
  maxDepth: rules.custom<number | null>(null, 'a positive integer or null', (v) => v === null || (Number.isInteger(v) && (v as number) >= 1)),
  minSamplesSplit: rules.integer(2, 2),
  minSamplesLeaf: rules.integer(1, 1),
  minImpurityDecrease: rules.nonNegative(0),
  maxFeatures: rules.custom<number | 'sqrt' | 'log2' | null>(null, "null, 'sqrt', 'log2', a positive integer or a fraction in (0, 1]",
    (v) => v === null || v === 'sqrt' || v === 'log2' || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v <= 1)))),
  maxLeafNodes: rules.custom<number | null>(null, 'an integer ≥ 2 or null', (v) => v === null || (Number.isInteger(v) && (v as number) >= 2)),
  seed: rules.seed(),
});

/**
 * Grows one tree per (weights, seed) on the same data with the same options: as many at a time
 * as the pool has threads, each tree depending only on its own weights and seed, so the result is
 * the same for any thread count.
 */
export async function growTrees(data: Matrix, targets: Float64Array, classes: (number | string)[], outputs: number,
  weights: (Float64Array | undefined)[], seeds: number[], o: Required<TreeOptions>, cancel: Cancellation): Promise<Fitted[]> {
  const d = data.cols;
  const mf = o.maxFeatures;
  const maxFeatures = mf === null ? d : mf === 'sqrt' ? Math.max(1, Math.floor(Math.sqrt(d))) : mf === 'log2' ? Math.max(1, 31 - Math.clz32(d))
    : Number.isInteger(mf) && mf >= 1 ? Math.min(d, mf) : Math.max(1, Math.floor(mf * d));
  const settings = {
    criterion: CRITERIA[o.criterion!], maxDepth: o.maxDepth ?? -1, minSamplesSplit: o.minSamplesSplit, minSamplesLeaf: o.minSamplesLeaf,
    minImpurityDecrease: o.minImpurityDecrease, maxFeatures, maxLeafNodes: o.maxLeafNodes ?? -1,
  };
  return (await growTreeArrays(backend(), data, targets, outputs, weights, seeds, settings, cancel)).map((arrays) => ({ ...arrays, classes }));
}

/** The leaf each row of data falls in, per tree (the rows copied into the module once for all trees). */
/** classes[the index of the largest of each row's k values] (the first on ties) of sums (rows × k). */
export function argmaxRows(sums: Float64Array, rows: number, k: number, classes: (number | string)[]): (number | string)[] {
  const out = new Array<number | string>(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (sums[r * k + c] > sums[r * k + best]) best = c;
    out[r] = classes[best];
  }
  return out;
}

/** Each fitted tree packed as the prediction kernel reads it, once per kind of leaf value (class fractions, counts, targets). */
const packedTrees = new WeakMap<object, Map<string, PackedForest>>();

export function applyTrees(trees: Fitted[], data: Matrix | MatrixView, where: string, what = 'tree'): Int32Array[] {
  if (data.cols !== trees[0].features) throw new ValueError(`${where}: X has ${data.cols} features, but the ${what} was fitted with ${trees[0].features}`);
  return leavesOf(backend(), trees, data);
}

abstract class DecisionTree<P extends TreeOptions = TreeOptions> extends Estimator<P, Fitted> {
  protected async grow(_X: MatrixLike, targets: Float64Array, classes: (number | string)[], outputs: number, weights: Float64Array | undefined, data: Matrix,
    cancel: Cancellation): Promise<this> {
    const seed = nextSeed(this.params.seed ?? undefined, `${this.estimatorName}.fit`);
    this.setFitted((await growTrees(data, targets, classes, outputs, [weights], [seed], this.params as Required<TreeOptions>, cancel))[0]);
    return this;
  }

  /** @internal The fitted arrays, for forests. */
  get nodes(): Fitted {
    return this.fitted('nodes');
  }

  /** The leaf index each sample of X falls in. */
  apply(X: MatrixLike): Int32Array {
    const f = this.fitted(`${this.estimatorName}.apply`);
    return applyTrees([f], this.queryMatrix(X, `${this.estimatorName}.apply: X`, { view: true, deferCheck: true }), this.estimatorName)[0];
  }

  /** Each row's leaf values (rows × k, k = values per node), the tree walked in WebAssembly (ops/tree.ts forestSums). */
  protected leafSums(X: MatrixLike, where: string, values: () => Float64Array, kind = 'values'): { sums: Float64Array; rows: number } {
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`, { view: true, deferCheck: true });
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the tree was fitted with ${f.features}`);
    const cache = packedTrees.get(f) ?? new Map<string, PackedForest>();
    packedTrees.set(f, cache);
    let packed = cache.get(kind);
    if (!packed) cache.set(kind, packed = packForest([f], values, f.outputs));
    return { sums: forestSums(backend(), packed, data), rows: data.rows };
  }

  /** Impurity decrease contributed by each feature, normalised to sum to 1 (scikit-learn's feature_importances_). */
  get featureImportances(): Float64Array {
    const f = this.fitted('featureImportances');
    const importance = new Float64Array(f.features);
    for (let node = 0; node < f.left.length; node++) {
      const l = f.left[node], r = f.right[node];
      if (l < 0) continue;
      importance[f.feature[node]] += f.weighted[node] * f.impurity[node] - f.weighted[l] * f.impurity[l] - f.weighted[r] * f.impurity[r];
    }
    const total = importance.reduce((a, b) => a + b, 0);
    return total > 0 ? importance.map((v) => v / total) : importance;
  }

  /** The depth of the tree (a single leaf has depth 0). */
  getDepth(): number {
    const f = this.fitted('getDepth');
    const depth = (node: number): number => (f.left[node] < 0 ? 0 : 1 + Math.max(depth(f.left[node]), depth(f.right[node])));
    return depth(0);
  }

  getNLeaves(): number {
    return this.fitted('getNLeaves').left.filter((v) => v < 0).length;
  }

  /** The tree's node arrays (scikit-learn's tree_): children (−1 for leaves), split feature and threshold, impurity, samples, weighted samples, values (nodes × outputs). */
  get tree(): { childrenLeft: Int32Array; childrenRight: Int32Array; feature: Int32Array; threshold: Float64Array; impurity: Float64Array; nNodeSamples: Int32Array; weightedNNodeSamples: Float64Array; value: Float64Array } {
    const f = this.fitted('tree');
    return {
      childrenLeft: f.left.slice(), childrenRight: f.right.slice(), feature: f.feature.slice(), threshold: f.threshold.slice(),
      impurity: f.impurity.slice(), nNodeSamples: f.nSamples.slice(), weightedNNodeSamples: f.weighted.slice(), value: f.value.slice(),
    };
  }

  /** The number of nodes. */
  get nodeCount(): number {
    return this.fitted('nodeCount').left.length;
  }

  /** A readable listing of the rules, like scikit-learn's export_text. */
  exportText(options: { featureNames?: string[]; decimals?: number } = {}): string {
    const f = this.fitted('exportText');
    const names = options.featureNames ?? Array.from({ length: f.features }, (_, i) => `feature_${i}`);
    const digits = options.decimals ?? 2;
    const lines: string[] = [];
    const walk = (node: number, depth: number) => {
      const indent = '|   '.repeat(depth);
      if (f.left[node] < 0) {
        lines.push(`${indent}|--- ${this.leafText(node)}`);
        return;
      }
      const name = names[f.feature[node]], t = f.threshold[node].toFixed(digits);
      lines.push(`${indent}|--- ${name} <= ${t}`);
      walk(f.left[node], depth + 1);
      lines.push(`${indent}|--- ${name} >  ${t}`);
      walk(f.right[node], depth + 1);
    };
    walk(0, 0);
    return lines.join('\n');
  }

  protected abstract leafText(node: number): string;

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return {
      meta: { features: f.features, classes: f.classes, outputs: f.outputs },
      arrays: { left: f.left, right: f.right, feature: f.feature, threshold: f.threshold, impurity: f.impurity, nSamples: f.nSamples, weighted: f.weighted, value: f.value },
    };
  }
}

function readTree(meta: Record<string, unknown>, a: Record<string, Float64Array | Int32Array>, where: string): Fitted {
  const count = a.left?.length ?? 0;
  const features = meta.features as number, outputs = meta.outputs as number;
  const ok = count >= 1 && Number.isInteger(features) && features >= 1 && Number.isInteger(outputs) && outputs >= 1 && Array.isArray(meta.classes)
    && ['left', 'right', 'feature', 'nSamples'].every((k) => a[k] instanceof Int32Array && a[k].length === count)
    && ['threshold', 'impurity', 'weighted'].every((k) => a[k] instanceof Float64Array && a[k].length === count)
    && a.value instanceof Float64Array && a.value.length === count * outputs
    && Array.from({ length: count }, (_, i) => i).every((i) => (a.left[i] < 0 && a.right[i] < 0)
      || (a.left[i] > i && a.left[i] < count && a.right[i] > i && a.right[i] < count && a.feature[i] >= 0 && a.feature[i] < features));
  if (!ok) throw new FormatError(`${where}: the saved tree is malformed`);
  return {
    features, outputs, classes: meta.classes as (number | string)[], left: a.left as Int32Array, right: a.right as Int32Array, feature: a.feature as Int32Array,
    nSamples: a.nSamples as Int32Array, threshold: a.threshold as Float64Array, impurity: a.impurity as Float64Array, weighted: a.weighted as Float64Array, value: a.value as Float64Array,
  };
}

/**
 * A classification tree: each split minimises the weighted gini (or entropy) impurity of its
 * children; a leaf predicts the class with the largest weighted count.
 * @example const tree = await new DecisionTreeClassifier({ maxDepth: 3, seed: 0 }).fit(X, y); tree.exportText();
 */
export class DecisionTreeClassifier extends DecisionTree<TreeClassifierOptions> {
  constructor(options?: TreeClassifierOptions) {
    super({ ...common(['gini', 'entropy', 'logLoss'], 'gini'), classWeight: classWeightRule() }, options, 'DecisionTreeClassifier');
  }

  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'DecisionTreeClassifier.fit');
    const data = this.fitMatrix(X, 'DecisionTreeClassifier.fit: X');
    const labels = encodeLabels(toVector(y, 'DecisionTreeClassifier.fit: y', data.rows), 'DecisionTreeClassifier.fit: y');
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'DecisionTreeClassifier.fit: sampleWeight', data.rows);
    if (weights?.some((v) => v < 0)) throw new ValueError('DecisionTreeClassifier.fit: sampleWeight must be ≥ 0');
    const perClass = classWeights(this.params.classWeight ?? null, labels.index, labels.classes, 'DecisionTreeClassifier.fit');
    const weighed = this.params.classWeight ? weighSamples(weights, perClass, labels.index) : weights;
    return this.grow(X, Float64Array.from(labels.index), labels.classes, labels.classes.length, weighed, data, cancel);
  }

  /** Class probabilities: the weighted class fractions of each sample's leaf. */
  predictProba(X: MatrixLike): number[][] {
    const f = this.fitted('DecisionTreeClassifier.predictProba');
    const k = f.outputs;
    const { sums, rows } = this.leafSums(X, 'DecisionTreeClassifier.predictProba', () => {
      const out = new Float64Array(f.left.length * k);
      for (let node = 0; node < f.left.length; node++) {
        let total = 0;
        for (let c = 0; c < k; c++) total += f.value[node * k + c];
        for (let c = 0; c < k; c++) out[node * k + c] = f.value[node * k + c] / total;
      }
      return out;
    });
    return Array.from({ length: rows }, (_, r) => Array.from(sums.subarray(r * k, (r + 1) * k)));
  }

  predict(X: MatrixLike): (number | string)[] {
    const f = this.fitted('DecisionTreeClassifier.predict');
    // The largest class count of each row's leaf (the first on ties), without building probability rows.
    const { sums, rows } = this.leafSums(X, 'DecisionTreeClassifier.predict', () => f.value, 'counts');
    return argmaxRows(sums, rows, f.outputs, f.classes);
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  protected leafText(node: number): string {
    const f = this.fitted('exportText');
    const counts = Array.from(f.value.subarray(node * f.outputs, (node + 1) * f.outputs));
    return `class: ${f.classes[counts.indexOf(Math.max(...counts))]}`;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): DecisionTreeClassifier {
    return restoreEstimator((p) => new DecisionTreeClassifier(p as TreeClassifierOptions), 'DecisionTreeClassifier', source, readTree);
  }
}

/** A regression tree: each split minimises the weighted squared error of its children; a leaf predicts its mean. */
export class DecisionTreeRegressor extends DecisionTree {
  constructor(options?: TreeOptions) {
    super(common(['squaredError', 'absoluteError'], 'squaredError'), options, 'DecisionTreeRegressor');
  }

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'DecisionTreeRegressor.fit');
    const data = this.fitMatrix(X, 'DecisionTreeRegressor.fit: X');
    const target = toTargets(y, 'DecisionTreeRegressor.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'DecisionTreeRegressor.fit: sampleWeight', data.rows);
    if (weights?.some((v) => v < 0)) throw new ValueError('DecisionTreeRegressor.fit: sampleWeight must be ≥ 0');
    return this.grow(X, target, [], 1, weights, data, cancel);
  }

  predict(X: MatrixLike): Float64Array {
    const f = this.fitted('DecisionTreeRegressor.predict');
    return this.leafSums(X, 'DecisionTreeRegressor.predict', () => f.value).sums;
  }

  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  protected leafText(node: number): string {
    return `value: [${this.fitted('exportText').value[node].toFixed(2)}]`;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): DecisionTreeRegressor {
    return restoreEstimator((p) => new DecisionTreeRegressor(p as TreeOptions), 'DecisionTreeRegressor', source, readTree);
  }
}
