// Random forests (Breiman, "Random forests", Machine Learning 2001; scikit-learn's
// RandomForestClassifier / RandomForestRegressor): trees grown on bootstrap samples (the draw
// counts passed as sample weights, as scikit-learn does) with maxFeatures features drawn at each
// split; probabilities and predictions averaged over the trees. Tree t is seeded from (seed, t),
// so the forest does not depend on how it is computed.
import { Cancellation, type CancelOptions } from '../cancel.js';
import { Generator } from '../ops/generator.js';
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore, regressorScore } from '../estimator.js';
import { encodeLabels, toTargets, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { classWeightRule, classWeights, weighSamples, type ClassWeight } from '../class-weight.js';
import { r2Score } from '../scoring/regression.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, argmaxRows, growTrees, type Fitted as TreeArrays, type TreeOptions } from './decision-tree.js';
import { forestSums, packForest, type PackedForest } from '../ops/tree.js';

export interface ForestOptions extends TreeOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Grow each tree on a bootstrap sample (default true). */
  bootstrap?: boolean;
  /** Bootstrap size: null (n, default), an integer, or a fraction in (0, 1]. */
  maxSamples?: number | null;
  /** Compute the out-of-bag score at fit (default false). */
  oobScore?: boolean;
}

export interface ForestClassifierOptions extends ForestOptions {
  /**
   * Weights per class multiplying the sample weights: 'balanced' (n / (k·n_c) over y),
   * 'balancedSubsample' (the same over each tree's bootstrap sample), an object label → weight,
   * or null (default).
   */
  classWeight?: ClassWeight | 'balancedSubsample';
}

interface Fitted {
  classes: (number | string)[];
  features: number;
  trees: TreeArrays[];
  oobScore?: number;
  oobPrediction?: Float64Array;
}

function table(criteria: string[], criterion: string, maxFeatures: number | 'sqrt' | null): ParamTable<ForestOptions> {
  return {
    nEstimators: rules.integer(100, 1),
    criterion: rules.oneOf(criterion, criteria),
    maxDepth: rules.custom<number | null>(null, 'a positive integer or null', (v) => v === null || (Number.isInteger(v) && (v as number) >= 1)),
    minSamplesSplit: rules.integer(2, 2),
    minSamplesLeaf: rules.integer(1, 1),
    minImpurityDecrease: rules.nonNegative(0),
    maxFeatures: rules.custom<number | 'sqrt' | 'log2' | null>(maxFeatures, "null, 'sqrt', 'log2', a positive integer or a fraction in (0, 1]",
      (v) => v === null || v === 'sqrt' || v === 'log2' || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v <= 1)))),
    bootstrap: rules.boolean(true),
    maxSamples: rules.custom<number | null>(null, 'null, a positive integer or a fraction in (0, 1]', (v) => v === null || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v <= 1)))),
    oobScore: rules.boolean(false),
    maxLeafNodes: rules.custom<number | null>(null, 'an integer ≥ 2 or null', (v) => v === null || (Number.isInteger(v) && (v as number) >= 2)),
    seed: rules.seed(),
  };
}

/** Each fitted forest's trees as the prediction kernel reads them (a forest predicts with one kind of leaf value). */
const packedForests = new WeakMap<object, PackedForest>();

abstract class Forest<P extends ForestOptions = ForestOptions> extends Estimator<P, Fitted> {
  protected abstract makeTree(options: TreeOptions): DecisionTreeClassifier | DecisionTreeRegressor;

  /** perTree, if given, turns a tree's bootstrap counts into its sample weights (balanced subsamples). */
  protected async growForest(data: Matrix, targets: Float64Array, classes: (number | string)[], outputs: number, weights: Float64Array | undefined,
    cancel: Cancellation, oob: (tree: DecisionTreeClassifier | DecisionTreeRegressor, outOfBag: number[]) => void,
    perTree?: (counts: Float64Array) => Float64Array): Promise<TreeArrays[]> {
    const o = this.params as Required<ForestOptions>;
    if (o.oobScore && !o.bootstrap) throw new ValueError(`${this.estimatorName}: oobScore needs bootstrap: true`);
    const n = data.rows;
    const draws = o.maxSamples === null ? n : Number.isInteger(o.maxSamples) && o.maxSamples >= 1 ? o.maxSamples : Math.max(1, Math.round(o.maxSamples * n));
    if (o.bootstrap && draws > n) throw new ValueError(`${this.estimatorName}: maxSamples ${o.maxSamples} exceeds the ${n} samples`);
    const seed = nextSeed(o.seed ?? undefined, `${this.estimatorName}.fit`);
    const be = backend();
    const seeds = Array.from({ length: o.nEstimators }, (_, t) => (seed + t * 0x9e3779b9) % 2 ** 53);
    const counts = be.scoped((alloc) => {
      const random = Generator.seeded(be, alloc, 0);
      return seeds.map((treeSeed) => {
        const c = new Float64Array(n);
        if (!o.bootstrap) return c.fill(1);
        // The bootstrap draw comes from the tree's own seed, before the tree's feature draws.
        random.reseed(treeSeed);
        for (let i = 0; i < draws; i++) c[random.below(n)]++;
        return c;
      });
    });
    const treeSeeds = seeds.map((s) => (s + 1) % 2 ** 53);
    const treeOptions = this.makeTree({ criterion: o.criterion, maxDepth: o.maxDepth, minSamplesSplit: o.minSamplesSplit, minSamplesLeaf: o.minSamplesLeaf,
      minImpurityDecrease: o.minImpurityDecrease, maxFeatures: o.maxFeatures, maxLeafNodes: o.maxLeafNodes }).getParams();
    const treeWeights = counts.map((c) => {
      const w = perTree ? perTree(c) : c;
      return weights ? w.map((v, i) => v * weights[i]) : w;
    });
    const trees = await growTrees(data, targets, classes, outputs, treeWeights, treeSeeds, treeOptions, cancel);
    if (o.oobScore) {
      trees.forEach((arrays, t) => oob(this.makeTree(treeOptions).adopt(arrays), Array.from(counts[t].keys()).filter((i) => counts[t][i] === 0)));
    }
    return trees;
  }

  /**
   * Σ over the trees of each row's leaf values (rows × k), leafValue(tree) giving k per node: the
   * trees walked in one pass over blocks of rows (ops/tree.ts forestSums).
   */
  protected summed(X: MatrixLike, where: string, k: number, leafValue: (tree: TreeArrays, count: number) => Float64Array): { sums: Float64Array; rows: number } {
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`, { view: true, deferCheck: true });
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the forest was fitted with ${f.features}`);
    // The trees are packed once per fitted forest, not at every call.
    let packed = packedForests.get(f);
    if (!packed) packedForests.set(f, packed = packForest(f.trees, (t) => leafValue(f.trees[t], f.trees.length), k));
    return { sums: forestSums(backend(), packed, data), rows: data.rows };
  }

  /** Mean impurity-decrease importance over the trees, summing to 1. */
  get featureImportances(): Float64Array {
    const f = this.fitted('featureImportances');
    const sum = new Float64Array(f.features);
    const proxy = this.makeTree({});
    for (const tree of f.trees) proxy.adopt(tree).featureImportances.forEach((v, i) => (sum[i] += v / f.trees.length));
    const total = sum.reduce((a, b) => a + b, 0);
    return total > 0 ? sum.map((v) => v / total) : sum;
  }

  /** The out-of-bag score (accuracy or R²) computed at fit with oobScore: true. */
  get oobScore(): number {
    const f = this.fitted('oobScore');
    if (f.oobScore === undefined) throw new ValueError(`${this.estimatorName}: oobScore was not computed; fit with oobScore: true`);
    return f.oobScore;
  }

  get nEstimators(): number {
    return this.fitted('nEstimators').trees.length;
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    const arrays: Record<string, Float64Array | Int32Array> = {};
    f.trees.forEach((t, i) => {
      for (const key of ['left', 'right', 'feature', 'nSamples', 'threshold', 'impurity', 'weighted', 'value'] as const) arrays[`${i}.${key}`] = t[key];
    });
    return { meta: { classes: f.classes, features: f.features, trees: f.trees.length, outputs: f.trees[0].outputs, oobScore: f.oobScore ?? null }, arrays };
  }
}

function readForest(meta: Record<string, unknown>, arrays: Record<string, Float64Array | Int32Array>, where: string): Fitted {
  const count = meta.trees as number, features = meta.features as number, outputs = meta.outputs as number;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(features) || !Number.isInteger(outputs) || !Array.isArray(meta.classes)) {
    throw new FormatError(`${where}: the saved forest is malformed`);
  }
  const trees: TreeArrays[] = [];
  for (let i = 0; i < count; i++) {
    const get = (k: string) => arrays[`${i}.${k}`];
    const tree = {
      features, outputs, classes: meta.classes as (number | string)[], left: get('left') as Int32Array, right: get('right') as Int32Array, feature: get('feature') as Int32Array,
      nSamples: get('nSamples') as Int32Array, threshold: get('threshold') as Float64Array, impurity: get('impurity') as Float64Array, weighted: get('weighted') as Float64Array, value: get('value') as Float64Array,
    };
    const m = tree.left?.length ?? 0;
    const ok = m >= 1 && tree.right?.length === m && tree.feature?.length === m && tree.threshold?.length === m && tree.value?.length === m * outputs
      && Array.from({ length: m }, (_, k) => k).every((k) => (tree.left[k] < 0 && tree.right[k] < 0) || (tree.left[k] > k && tree.left[k] < m && tree.right[k] > k && tree.right[k] < m && tree.feature[k] >= 0 && tree.feature[k] < features));
    if (!ok) throw new FormatError(`${where}: tree ${i} is malformed`);
    trees.push(tree);
  }
  return { classes: meta.classes as (number | string)[], features, trees, ...(typeof meta.oobScore === 'number' ? { oobScore: meta.oobScore } : {}) };
}

/**
 * A forest of classification trees; predictProba averages the trees' leaf class fractions.
 * @example const forest = await new RandomForestClassifier({ nEstimators: 100, seed: 0 }).fit(X, y);
 */
export class RandomForestClassifier extends Forest<ForestClassifierOptions> {
  constructor(options?: ForestClassifierOptions) {
    super({ ...table(['gini', 'entropy', 'logLoss'], 'gini', 'sqrt'), classWeight: classWeightRule<ClassWeight | 'balancedSubsample'>(['balancedSubsample']) },
      options, 'RandomForestClassifier');
  }

  protected makeTree(options: TreeOptions): DecisionTreeClassifier {
    return new DecisionTreeClassifier(options);
  }

  /** Learns from X and labels y; `signal` / `timeoutMs` stop the fit between trees (an AbortError; the forest is left as it was). */
  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'RandomForestClassifier.fit');
    const data = this.fitMatrix(X, 'RandomForestClassifier.fit: X');
    const labels = encodeLabels(toVector(y, 'RandomForestClassifier.fit: y', data.rows), 'RandomForestClassifier.fit: y');
    let weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'RandomForestClassifier.fit: sampleWeight', data.rows);
    if (weights?.some((v) => v < 0)) throw new ValueError('RandomForestClassifier.fit: sampleWeight must be ≥ 0');
    const k = labels.classes.length;
    const cw = this.params.classWeight ?? null;
    const where = 'RandomForestClassifier.fit';
    if (cw !== null && cw !== 'balancedSubsample') weights = weighSamples(weights, classWeights(cw, labels.index, labels.classes, where), labels.index);
    // scikit-learn's balanced_subsample: class weights from each bootstrap sample's own counts.
    const perTree = cw === 'balancedSubsample'
      ? (counts: Float64Array) => weighSamples(counts, classWeights('balanced', labels.index, labels.classes, where, counts), labels.index)
      : undefined;
    const oobSum = new Float64Array(data.rows * k);
    const trees = await this.growForest(data, Float64Array.from(labels.index), labels.classes, k, weights, cancel, (tree, outOfBag) => {
      if (outOfBag.length === 0) return;
      const rows = outOfBag.map((i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)));
      (tree as DecisionTreeClassifier).predictProba(rows).forEach((p, j) => p.forEach((v, c) => (oobSum[outOfBag[j] * k + c] += v)));
    }, perTree);
    let oobScore: number | undefined;
    if (this.params.oobScore) {
      let right = 0, counted = 0;
      for (let i = 0; i < data.rows; i++) {
        const p = oobSum.subarray(i * k, (i + 1) * k);
        if (p.every((v) => v === 0)) continue;
        counted++;
        if (p.indexOf(Math.max(...p)) === labels.index[i]) right++;
      }
      oobScore = right / counted;
    }
    this.setFitted({ classes: labels.classes, features: data.cols, trees, ...(oobScore !== undefined ? { oobScore, oobPrediction: oobSum } : {}) });
    return this;
  }

  predictProba(X: MatrixLike): number[][] {
    const k = this.fitted('predictProba').classes.length;
    const { sums, rows } = this.meanProba(X, 'RandomForestClassifier.predictProba');
    return Array.from({ length: rows }, (_, r) => Array.from(sums.subarray(r * k, (r + 1) * k)));
  }

  /** The trees' mean class probabilities (rows × classes) in one array. */
  private meanProba(X: MatrixLike, where: string): { sums: Float64Array; rows: number } {
    const k = this.fitted(where).classes.length;
    // Each leaf's class fractions, divided by the number of trees: the mean is their sum.
    return this.summed(X, where, k, (tree, count) => {
      const out = new Float64Array(tree.left.length * k);
      for (let node = 0; node < tree.left.length; node++) {
        let total = 0;
        for (let c = 0; c < k; c++) total += tree.value[node * k + c];
        for (let c = 0; c < k; c++) out[node * k + c] = tree.value[node * k + c] / total / count;
      }
      return out;
    });
  }

  predict(X: MatrixLike): (number | string)[] {
    const classes = this.fitted('predict').classes;
    const { sums, rows } = this.meanProba(X, 'RandomForestClassifier.predict');
    return argmaxRows(sums, rows, classes.length, classes);
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  /** Per training sample, the mean class probabilities of the trees it was out of bag for (oobScore: true). */
  get oobDecisionFunction(): number[][] {
    const f = this.fitted('oobDecisionFunction');
    if (!f.oobPrediction) throw new ValueError('RandomForestClassifier: oobDecisionFunction needs oobScore: true at fit');
    const k = f.classes.length;
    return Array.from({ length: f.oobPrediction.length / k }, (_, i) => {
      const p = Array.from(f.oobPrediction!.subarray(i * k, (i + 1) * k));
      const total = p.reduce((a, b) => a + b, 0);
      return total > 0 ? p.map((v) => v / total) : p;
    });
  }

  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): RandomForestClassifier {
    return restoreEstimator((p) => new RandomForestClassifier(p as ForestClassifierOptions), 'RandomForestClassifier', source, readForest);
  }
}

/** A forest of regression trees; predictions are the mean of the trees'. */
export class RandomForestRegressor extends Forest {
  constructor(options?: ForestOptions) {
    super(table(['squaredError', 'absoluteError'], 'squaredError', null), options, 'RandomForestRegressor');
  }

  protected makeTree(options: TreeOptions): DecisionTreeRegressor {
    return new DecisionTreeRegressor(options);
  }

  /** Learns from X and targets y; `signal` / `timeoutMs` stop the fit between trees (an AbortError; the forest is left as it was). */
  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'RandomForestRegressor.fit');
    const data = this.fitMatrix(X, 'RandomForestRegressor.fit: X');
    const target = toTargets(y, 'RandomForestRegressor.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'RandomForestRegressor.fit: sampleWeight', data.rows);
    if (weights?.some((v) => v < 0)) throw new ValueError('RandomForestRegressor.fit: sampleWeight must be ≥ 0');
    const sum = new Float64Array(data.rows), hits = new Float64Array(data.rows);
    const trees = await this.growForest(data, target, [], 1, weights, cancel, (tree, outOfBag) => {
      if (outOfBag.length === 0) return;
      const rows = outOfBag.map((i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)));
      (tree as DecisionTreeRegressor).predict(rows).forEach((v, j) => { sum[outOfBag[j]] += v; hits[outOfBag[j]]++; });
    });
    let oobScore: number | undefined;
    if (this.params.oobScore) {
      const idx = Array.from(hits.keys()).filter((i) => hits[i] > 0);
      oobScore = r2Score(Float64Array.from(idx, (i) => target[i]), Float64Array.from(idx, (i) => sum[i] / hits[i])) as number;
    }
    this.setFitted({ classes: [], features: data.cols, trees, ...(oobScore !== undefined ? { oobScore } : {}) });
    return this;
  }

  predict(X: MatrixLike): Float64Array {
    return this.summed(X, 'RandomForestRegressor.predict', 1, (tree, count) => tree.value.map((v) => v / count)).sums;
  }

  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): RandomForestRegressor {
    return restoreEstimator((p) => new RandomForestRegressor(p as ForestOptions), 'RandomForestRegressor', source, readForest);
  }
}
