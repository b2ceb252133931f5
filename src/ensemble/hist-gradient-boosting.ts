// Histogram gradient boosting (scikit-learn 1.2's HistGradientBoostingClassifier / Regressor,
// after LightGBM: Ke et al., NeurIPS 2017): features binned once (ensemble/bin-mapper.ts), then
// per iteration the loss's gradients and hessians and one tree per output grown best-first on
// their histograms (ensemble/tree-grower.ts), its leaves shrunk by the learning rate. Missing
// values are routed to the side each split chose in training; categorical features split on
// sets of categories. Early stopping watches the loss (or a scorer) on a held-out part.
import { FormatError, ValueError, describe } from '../errors.js';
import { Estimator, classifierScore, regressorScore, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { classWeightRule, classWeights, weighSamples, type ClassWeight } from '../class-weight.js';
import { encodeLabels, toMatrix, toSampleWeight, toTargets, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { splitIndices } from '../model-selection/train-test-split.js';
import { Generator } from '../ops/generator.js';
import { BoostData, binRows, expOf, meanLoss, weightTotal, missingFeatures, probabilitiesOf, selectRows, predictTrees, predictTreesBinned, rawPredict, type BoostTree } from '../ops/boosting.js';
import { fillF64, putF64, readF64 } from '../ops/memory.js';
import { backend } from '../runtime/backend.js';
import { getScorer, type Scorable, type Scorer } from '../scoring/scorers.js';
import { accuracyScore } from '../scoring/classification.js';
import { r2Score } from '../scoring/regression.js';
import { nextSeed } from '../seed.js';
import { Cancellation, type CancelOptions } from '../cancel.js';
import { BIN_SUBSAMPLE, binThresholds, categoriesOf } from './bin-mapper.js';
import { boostingLoss, type BoostingLoss } from './boosting-loss.js';
import { growTree } from './tree-grower.js';

/** Rows above which earlyStopping 'auto' turns early stopping on (scikit-learn's rule). */
const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** Training rows a scorer other than the loss is evaluated on (scikit-learn's small train set). */
const SMALL_TRAIN_ROWS = 10_000;

export type MonotonicConstraints = ArrayLike<number> | Record<string, number> | null;
export type InteractionConstraints = 'pairwise' | 'noInteractions' | number[][] | null;

export interface HistGradientBoostingOptions {
  learningRate?: number;
  /** Boosting iterations (trees per output), at most (default 100). */
  maxIter?: number;
  /** Leaves per tree, at most (default 31; null: no limit). */
  maxLeafNodes?: number | null;
  /** Depth of a tree, at most (default null: no limit). */
  maxDepth?: number | null;
  minSamplesLeaf?: number;
  l2Regularization?: number;
  /** Bins for non-missing values per feature, 2–255 (default 255); missing values get one more. */
  maxBins?: number;
  /** Categorical features: indices, a boolean mask over the features, or column names (tabular data). Values are category codes in [0, maxBins). */
  categoricalFeatures?: number[] | boolean[] | string[] | null;
  /** Per feature 1 (increasing), −1 (decreasing) or 0, or an object feature index/name → constraint. */
  monotonicCst?: MonotonicConstraints;
  /** Groups of feature indices that may interact, 'pairwise' or 'noInteractions'. */
  interactionCst?: InteractionConstraints;
  /** Keep the fitted trees and add iterations up to maxIter at the next fit (default false). */
  warmStart?: boolean;
  /** 'auto' (on above 10 000 samples), true or false. */
  earlyStopping?: 'auto' | boolean;
  /** What early stopping watches: 'loss' (default), a scorer's name or function, or null (the estimator's score). */
  scoring?: string | Scorer | null;
  /** The part held out for early stopping: a fraction in (0, 1), a number of samples, or null (watch the training data). */
  validationFraction?: number | null;
  nIterNoChange?: number;
  tol?: number;
  seed?: number | null;
}

export interface HistGradientBoostingClassifierOptions extends HistGradientBoostingOptions {
  loss?: 'logLoss';
  classWeight?: ClassWeight;
}

export interface HistGradientBoostingRegressorOptions extends HistGradientBoostingOptions {
  loss?: 'squaredError' | 'absoluteError' | 'poisson' | 'quantile';
  /** The quantile predicted with loss 'quantile', in (0, 1). */
  quantile?: number | null;
}

/** fit's options; `signal` / `timeoutMs` stop the fit between iterations (an AbortError; the model is left as it was). */
export interface BoostingFitOptions extends CancelOptions {
  sampleWeight?: ArrayLike<number> | null;
  /** Data early stopping watches instead of a held-out part of X: [X, y] or [X, y, sampleWeight]. */
  validationData?: [MatrixLike, ArrayLike<number | string>] | [MatrixLike, ArrayLike<number | string>, ArrayLike<number>] | null;
}

interface Fitted {
  features: number;
  classes: (number | string)[];
  /** Outputs per iteration (trees per iteration). */
  k: number;
  baseline: Float64Array;
  trees: BoostTree[];
  categorical: Uint8Array;
  trainScore: number[];
  validationScore: number[];
  earlyStopping: boolean;
  seed: number;
}

const optionalInteger = (d: number | null, min: number) => rules.custom<number | null>(d, `an integer ≥ ${min} or null`, (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= min));

function table(losses: string[], loss: string): ParamTable<HistGradientBoostingOptions & { loss: string }> {
  return {
    loss: rules.oneOf(loss, losses),
    learningRate: rules.positive(0.1),
    maxIter: rules.integer(100, 1),
    maxLeafNodes: optionalInteger(31, 2),
    maxDepth: optionalInteger(null, 1),
    minSamplesLeaf: rules.integer(20, 1),
    l2Regularization: rules.nonNegative(0),
    maxBins: rules.custom(255, 'an integer in [2, 255]', (v) => Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 255),
    categoricalFeatures: rules.custom<number[] | boolean[] | string[] | null>(null, 'null or an array of feature indices, booleans (a mask) or column names',
      (v) => v === null || (Array.isArray(v) && (v.every((x) => Number.isInteger(x)) || v.every((x) => typeof x === 'boolean') || v.every((x) => typeof x === 'string')))),
    monotonicCst: rules.custom<MonotonicConstraints>(null, 'null, an array of −1, 0 and 1, or an object feature → −1, 0 or 1',
      (v) => v === null || (typeof v === 'object' && Object.values(v as object).every((x) => x === -1 || x === 0 || x === 1))),
    interactionCst: rules.custom<InteractionConstraints>(null, "null, 'pairwise', 'noInteractions' or an array of arrays of feature indices",
      (v) => v === null || v === 'pairwise' || v === 'noInteractions' || (Array.isArray(v) && v.every((g) => Array.isArray(g) && g.every((f) => Number.isInteger(f) && f >= 0)))),
    warmStart: rules.boolean(false),
    earlyStopping: rules.custom<'auto' | boolean>('auto', "'auto', true or false", (v) => v === 'auto' || typeof v === 'boolean'),
    scoring: rules.custom<string | Scorer | null>('loss', "'loss', a scorer's name or function, or null", (v) => v === null || typeof v === 'string' || typeof v === 'function'),
    validationFraction: rules.custom<number | null>(0.1, 'a fraction in (0, 1), a whole number of samples ≥ 1, or null',
      (v) => v === null || (typeof v === 'number' && ((v > 0 && v < 1) || (Number.isInteger(v) && v >= 1)))),
    nIterNoChange: rules.integer(10, 1),
    tol: rules.nonNegative(1e-7),
    seed: rules.seed(),
  };
}

/** 0, 1, …, n − 1. */
function iota(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** values[rows[t]] for each t (values itself when `all`: rows is every index in order). */
function pick(values: Float64Array, rows: Int32Array, all: boolean): Float64Array {
  if (all) return values;
  const out = new Float64Array(rows.length);
  for (let t = 0; t < rows.length; t++) out[t] = values[rows[t]];
  return out;
}

/** scikit-learn's _should_stop: none of the last nIterNoChange scores beats the one before them by more than tol. */
function shouldStop(scores: number[], nIterNoChange: number, tol: number): boolean {
  const reference = scores.length - 1 - nIterNoChange;
  if (reference < 0) return false;
  const bar = scores[reference] + tol;
  return !scores.slice(reference + 1).some((s) => s > bar);
}

/** The training view early stopping scores through a scorer: raw predictions already computed for a fixed set of rows. */
interface ScoredSet {
  y: (number | string)[];
  raw: () => Float64Array;
  m: number;
}

/** What the two boosters share: options, the fit loop, prediction, saving. */
abstract class HistGradientBoosting<P extends HistGradientBoostingOptions & { loss?: string }> extends Estimator<P, Fitted> {
  /** The loss for this fit's targets (k: classes of a classifier, else 1). */
  protected abstract lossFor(k: number, weighted: boolean): BoostingLoss;
  /** Predictions of raw values (k×m, class-major), for a scorer: labels or numbers. */
  protected abstract fromRaw(raw: Float64Array, m: number, f: Fitted): (number | string)[] | Float64Array;

  /** The options, defaults filled in (the two boosters' shared ones). */
  private options(): Required<HistGradientBoostingOptions> {
    return this.params as Required<HistGradientBoostingOptions>;
  }

  /** The features a categorical option names, as a mask. */
  private categoricalMask(d: number, names: string[] | undefined, where: string): Uint8Array {
    const spec = this.options().categoricalFeatures;
    const mask = new Uint8Array(d);
    if (spec === null || spec.length === 0) return mask;
    if (typeof spec[0] === 'boolean') {
      if (spec.length !== d) throw new ValueError(`${where}: categoricalFeatures as a boolean mask must have one entry per feature (${d}); received ${spec.length}`);
      (spec as boolean[]).forEach((b, f) => { mask[f] = b ? 1 : 0; });
    } else if (typeof spec[0] === 'string') {
      if (!names) throw new ValueError(`${where}: categoricalFeatures names columns, but X has no column names; pass indices or a boolean mask, or tabular data`);
      for (const name of spec as string[]) {
        const f = names.indexOf(name);
        if (f < 0) throw new ValueError(`${where}: categoricalFeatures names '${name}', which is not a column of X (${names.join(', ')})`);
        mask[f] = 1;
      }
    } else {
      for (const f of spec as number[]) {
        if (f < 0 || f >= d) throw new ValueError(`${where}: categoricalFeatures index ${f} is out of range for ${d} features`);
        mask[f] = 1;
      }
    }
    return mask;
  }

  private monotonic(d: number, k: number, names: string[] | undefined, categorical: Uint8Array, where: string): Int8Array {
    const spec = this.options().monotonicCst;
    const out = new Int8Array(d);
    if (spec === null) return out;
    if (ArrayBuffer.isView(spec) || Array.isArray(spec)) {
      const a = spec as ArrayLike<number>;
      if (a.length !== d) throw new ValueError(`${where}: monotonicCst has ${a.length} entries but X has ${d} features`);
      for (let f = 0; f < d; f++) out[f] = a[f];
    } else {
      for (const [key, v] of Object.entries(spec)) {
        const f = names ? names.indexOf(key) : -1;
        const index = f >= 0 ? f : /^\d+$/.test(key) ? Number(key) : -1;
        if (index < 0 || index >= d) throw new ValueError(`${where}: monotonicCst names '${key}', which is not a feature of X`);
        out[index] = v;
      }
    }
    if (k > 1 && out.some((v) => v !== 0)) throw new ValueError(`${where}: monotonicCst is not supported for multiclass classification`);
    const both = out.findIndex((v, f) => v !== 0 && categorical[f] === 1);
    if (both >= 0) throw new ValueError(`${where}: feature ${names?.[both] ?? both} is categorical and cannot have a monotonic constraint`);
    return out;
  }

  private interactions(d: number, where: string): number[][] | null {
    const spec = this.options().interactionCst;
    if (spec === null) return null;
    let groups: number[][];
    if (spec === 'noInteractions') groups = Array.from({ length: d }, (_, f) => [f]);
    else if (spec === 'pairwise') {
      groups = [];
      for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) groups.push([a, b]);
    } else groups = spec.map((g) => [...new Set(g)]);
    const bad = groups.flat().find((f) => f >= d);
    if (bad !== undefined) throw new ValueError(`${where}: interactionCst holds feature ${bad}, out of range for ${d} features`);
    // Features in no group form a group of their own (scikit-learn's rule).
    const listed = new Set(groups.flat());
    const rest = Array.from({ length: d }, (_, f) => f).filter((f) => !listed.has(f));
    if (rest.length > 0) groups.push(rest);
    return groups;
  }

  /**
   * The fit loop shared by both boosters: y as numbers (class indices or targets), labels for
   * stratification and scorers.
   */
  protected async boost(data: Matrix, y: Float64Array, labels: (number | string)[], classes: (number | string)[], weights: Float64Array | undefined,
    validation: { data: Matrix; y: Float64Array; labels: (number | string)[]; weights: Float64Array | undefined } | null, where: string,
    cancel: Cancellation): Promise<void> {
    const o = this.options();
    const n = data.rows, d = data.cols;
    const previous = o.warmStart && this.isFitted ? this.fitted('fit') : undefined;
    if (previous && previous.features !== d) throw new ValueError(`${where}: X has ${d} features, but the warm-started model was fitted with ${previous.features}`);
    if (previous && o.maxIter < previous.trees.length / previous.k) {
      throw new ValueError(`${where}: maxIter ${o.maxIter} must be ≥ the ${previous.trees.length / previous.k} iterations already fitted when warmStart is true`);
    }
    const seed = previous ? previous.seed : nextSeed(o.seed ?? undefined, where);
    const loss = this.lossFor(classes.length, weights !== undefined);
    const k = loss.outputs;
    const earlyStopping = o.earlyStopping === 'auto' ? n > AUTO_EARLY_STOPPING_ROWS : o.earlyStopping;
    const be = backend();
    const names = data.names;
    const categorical = this.categoricalMask(d, names, where);
    const monotonic = this.monotonic(d, k, names, categorical, where);
    const interactions = this.interactions(d, where);
    await be.scoped(async (alloc) => {
      const random = Generator.seeded(be, alloc, seed);
      const shuffled = (indices: Int32Array): Int32Array => random.shuffle(indices);
      const everyRow = iota(n);
      // The rows trained on and the rows watched (held out of X, or given).
      let train: Int32Array, held: Int32Array | null = null;
      if (earlyStopping && !validation && o.validationFraction !== null) {
        const nHeld = o.validationFraction < 1 ? Math.ceil(o.validationFraction * n) : o.validationFraction;
        if (nHeld >= n) throw new ValueError(`${where}: validationFraction ${o.validationFraction} leaves no training samples out of ${n}`);
        [train, held] = splitIndices(n, nHeld, true, classes.length > 0 ? labels : null, shuffled, where);
      } else train = everyRow;
      const watchGiven = earlyStopping && validation !== null;
      const nTrain = train.length;
      // Categories over all of X (and the given validation data); thresholds from (a sample of) the training rows.
      const categories = Array.from({ length: d }, (_, f) => {
        if (!categorical[f]) return null;
        const name = names ? `'${names[f]}'` : `at index ${f}`;
        const own = categoriesOf(data.data, d, f, everyRow, o.maxBins, where, name);
        if (!watchGiven) return own;
        const other = categoriesOf(validation!.data.data, d, f, iota(validation!.data.rows), o.maxBins, where, name);
        return Float64Array.from(new Set([...own, ...other])).sort();
      });
      let sample: ArrayLike<number> = train;
      if (nTrain > BIN_SUBSAMPLE) {
        const picked = random.shuffle(Int32Array.from(train)).subarray(0, BIN_SUBSAMPLE);
        sample = picked.sort();
      }
      const thresholds = binThresholds(be, data.data, d, sample, o.maxBins, categories);
      const nonMissing = Int32Array.from(thresholds, (t, f) => (categorical[f] ? t.length : t.length + 1));
      const missingBin = o.maxBins;
      // Every row of X binned once; the training and held-out rows selected from them.
      let codes: number, heldCodes = 0;
      if (held) {
        be.scoped((inner) => {
          const all = binRows(be, inner, data.data, n, d, thresholds, missingBin);
          codes = selectRows(be, alloc, all, n, d, train);
          heldCodes = selectRows(be, alloc, all, n, d, held!);
        });
      } else codes = binRows(be, alloc, data.data, n, d, thresholds, missingBin);
      const hasMissing = missingFeatures(be, codes!, nTrain, d, missingBin);
      const yTrain = pick(y, train, nTrain === n);
      const wTrain = weights ? pick(weights, train, nTrain === n) : undefined;
      const boost = new BoostData(be, alloc, codes!, nTrain, d, k, yTrain, wTrain, loss.constantHessian, { nonMissing, hasMissing, monotonic, categorical }, missingBin);
      // The watched rows: binned, with raw predictions kept up to date.
      let watched: { codes: number; m: number; raw: number; y: Float64Array; labels: (number | string)[]; w: Float64Array | undefined } | null = null;
      if (watchGiven) {
        const v = validation!;
        watched = { codes: binRows(be, alloc, v.data.data, v.data.rows, d, thresholds, missingBin), m: v.data.rows, raw: alloc(k * v.data.rows * 8), y: v.y, labels: v.labels, w: v.weights };
      } else if (held) {
        watched = {
          codes: heldCodes, m: held.length, raw: alloc(k * held.length * 8),
          y: pick(y, held, false), labels: Array.from(held, (i) => labels[i]), w: weights ? pick(weights, held, false) : undefined,
        };
      }
      // The held-out targets and weights in the arena once, for every iteration's loss.
      const watchedY = watched ? putF64(be, alloc, watched.y) : 0, watchedW = watched?.w ? putF64(be, alloc, watched.w) : 0;
      const watchedTotal = watched ? (watched.w ? weightTotal(watched.w) : watched.m) : 0;
      const baseline = previous ? previous.baseline : loss.baseline(yTrain, wTrain);
      const trees: BoostTree[] = previous ? previous.trees.slice() : [];
      const trainScore = previous ? previous.trainScore.slice() : [];
      const validationScore = previous ? previous.validationScore.slice() : [];
      boost.setRaw(baseline);
      if (watched) for (let c = 0; c < k; c++) fillF64(be, watched.raw + c * watched.m * 8, watched.m, baseline[c]);
      if (previous && trees.length > 0) {
        // Resume from the existing trees' predictions.
        be.scoped((inner) => {
          const rows = new Float64Array(nTrain * d);
          for (let t = 0; t < nTrain; t++) rows.set(data.data.subarray(train[t] * d, (train[t] + 1) * d), t * d);
          const x = putF64(be, inner, rows);
          predictTrees(be, trees, k, x, nTrain, d, boost.raw);
        });
        if (watched) predictTreesBinned(be, trees, k, watched.codes, watched.m, missingBin, watched.raw);
      }
      const scoring = o.scoring;
      const byLoss = scoring === 'loss';
      const scorer = byLoss ? null : getScorer(scoring, where);
      // A scorer sees at most SMALL_TRAIN_ROWS training rows (stratified for a classifier).
      let small: Int32Array | null = null;
      if (earlyStopping && !byLoss) {
        if (nTrain > SMALL_TRAIN_ROWS) {
          const trainLabels = Array.from(train, (i) => labels[i]);
          small = splitIndices(nTrain, SMALL_TRAIN_ROWS, true, classes.length > 0 ? trainLabels : null, shuffled, where)[1];
        } else small = Int32Array.from({ length: nTrain }, (_, i) => i);
      }
      const fitted = (): Fitted => ({ features: d, classes, k, baseline, trees, categorical, trainScore, validationScore, earlyStopping, seed });
      const score = (set: ScoredSet): number => scorer!(this.scorable(set, fitted()), null, set.y);
      let fresh = false; // the gradients are those of the current raw predictions
      const check = (): boolean => {
        if (byLoss) {
          // The gradients of the next iteration come from the same pass.
          trainScore.push(-boost.gradients(loss.code, loss.quantile, true));
          fresh = true;
          if (watched) validationScore.push(-meanLoss(be, loss.code, loss.quantile, watchedY, watched.raw, watchedW, watchedTotal, watched.m, k));
        } else {
          const rows = small!;
          trainScore.push(score({
            y: Array.from(rows, (i) => labels[train[i]]), m: rows.length,
            raw: () => {
              const all = boost.readRaw();
              return Float64Array.from({ length: k * rows.length }, (_, j) => all[Math.floor(j / rows.length) * nTrain + rows[j % rows.length]]);
            },
          }));
          if (watched) validationScore.push(score({ y: watched.labels, m: watched.m, raw: () => readF64(be, watched!.raw, k * watched!.m) }));
        }
        return shouldStop(watched ? validationScore : trainScore, o.nIterNoChange, o.tol);
      };
      if (earlyStopping && trees.length === 0) check();
      const growOptions = {
        maxLeafNodes: o.maxLeafNodes, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, l2: o.l2Regularization, minHessian: 1e-3,
        learningRate: o.learningRate, monotonic, interactions, thresholds, nonMissing, hasMissing, categorical,
      };
      for (let iteration = trees.length / k; iteration < o.maxIter; iteration++) {
        if (!fresh) boost.gradients(loss.code, loss.quantile);
        fresh = false;
        const added: BoostTree[] = [];
        for (let c = 0; c < k; c++) {
          let leafValue: ((rows: Int32Array) => number) | undefined;
          if (loss.leafValue) {
            const raw = boost.readRaw();
            leafValue = (rows) => loss.leafValue!(Float64Array.from(rows, (i) => yTrain[i] - raw[c * nTrain + i]), wTrain ? Float64Array.from(rows, (i) => wTrain[i]) : undefined);
          }
          added.push(growTree(boost, c, growOptions, leafValue));
        }
        trees.push(...added);
        if (watched) predictTreesBinned(be, added, k, watched.codes, watched.m, missingBin, watched.raw);
        if (earlyStopping && check()) break;
        // Let timers, other work and an abort run between iterations.
        await cancel.tick();
      }
      this.setFitted(fitted());
    });
  }

  /** The estimator as a scorer sees it, predicting from a set's raw predictions whatever X it is given. */
  private scorable(set: ScoredSet, f: Fitted): Scorable {
    const predict = () => this.fromRaw(set.raw(), set.m, f);
    const proba = () => (f.classes.length > 0 ? probabilitiesOf(backend(), set.raw(), f.k, set.m) : undefined);
    return {
      predict, classes: f.classes,
      ...(f.classes.length > 0 ? { predictProba: proba, decisionFunction: () => decision(set.raw(), f.k, set.m) } : {}),
      // The estimator's own score: accuracy, or R² (scikit-learn's default scorer).
      score: (_X: unknown, y: unknown) => (f.classes.length > 0
        ? accuracyScore(y as (number | string)[], predict() as (number | string)[])
        : r2Score(Float64Array.from(y as number[]), predict() as Float64Array) as number),
    } as Scorable;
  }

  /** Raw predictions (k×m, class-major) of X; stages receives them after each iteration. */
  protected raw(X: MatrixLike, where: string, stages?: (raw: Float64Array, iteration: number) => void): { raw: Float64Array; m: number; f: Fitted } {
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`, { gaps: true, view: true });
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the model was fitted with ${f.features}`);
    return { raw: rawPredict(backend(), f.trees, f.k, f.baseline, data.data, data.rows, data.cols, stages), m: data.rows, f };
  }

  /** Boosting iterations fitted (fewer than maxIter when early stopping stopped). */
  get nIter(): number {
    const f = this.fitted('nIter');
    return f.trees.length / f.k;
  }

  /** Trees per iteration: the classes of a multiclass classifier, else 1. */
  get nTreesPerIteration(): number {
    return this.fitted('nTreesPerIteration').k;
  }

  /** Scores on the training data at each iteration (the first before any tree), with early stopping; empty without. */
  get trainScore(): Float64Array {
    return Float64Array.from(this.fitted('trainScore').trainScore);
  }

  /** Scores on the held-out data at each iteration, with early stopping on held-out data; empty otherwise. */
  get validationScore(): Float64Array {
    return Float64Array.from(this.fitted('validationScore').validationScore);
  }

  /** Whether early stopping was on in the last fit. */
  get doEarlyStopping(): boolean {
    return this.fitted('doEarlyStopping').earlyStopping;
  }

  /** Which features were treated as categorical (undefined: none). */
  get isCategorical(): boolean[] | undefined {
    const c = this.fitted('isCategorical').categorical;
    return c.some((v) => v) ? Array.from(c, (v) => v === 1) : undefined;
  }

  get nFeaturesIn(): number {
    return this.fitted('nFeaturesIn').features;
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    const arrays: Record<string, Float64Array | Int32Array> = { baseline: f.baseline, categorical: Int32Array.from(f.categorical) };
    f.trees.forEach((t, i) => {
      for (const key of ['feature', 'left', 'right', 'threshold', 'bin', 'flags', 'bitsetIndex', 'value', 'count'] as const) arrays[`${i}.${key}`] = t[key];
      arrays[`${i}.rawBitsets`] = new Int32Array(t.rawBitsets.buffer, t.rawBitsets.byteOffset, t.rawBitsets.length);
      arrays[`${i}.binnedBitsets`] = new Int32Array(t.binnedBitsets.buffer, t.binnedBitsets.byteOffset, t.binnedBitsets.length);
    });
    return {
      meta: { features: f.features, classes: f.classes, k: f.k, trees: f.trees.length, trainScore: f.trainScore, validationScore: f.validationScore, earlyStopping: f.earlyStopping, seed: f.seed },
      arrays,
    };
  }
}

/** Rows × k decision values (k > 1) or one per row. */
function decision(raw: Float64Array, k: number, m: number): number[][] | Float64Array {
  if (k === 1) return raw.slice(0, m);
  return Array.from({ length: m }, (_, i) => Array.from({ length: k }, (_, c) => raw[c * m + i]));
}

/** A saved booster, checked so that no walk can leave a tree or read past its arrays. */
function readBooster(meta: Record<string, unknown>, arrays: Record<string, Float64Array | Int32Array>, where: string): Fitted {
  const features = meta.features as number, k = meta.k as number, count = meta.trees as number;
  const scores = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number');
  if (!Number.isInteger(features) || features < 1 || !Number.isInteger(k) || k < 1 || !Number.isInteger(count) || count < 0 || count % k !== 0
    || !Array.isArray(meta.classes) || !scores(meta.trainScore) || !scores(meta.validationScore) || typeof meta.earlyStopping !== 'boolean' || !Number.isSafeInteger(meta.seed)) {
    throw new FormatError(`${where}: the saved booster is malformed`);
  }
  const baseline = arrays.baseline, categorical = arrays.categorical;
  if (!(baseline instanceof Float64Array) || baseline.length !== k || !(categorical instanceof Int32Array) || categorical.length !== features) {
    throw new FormatError(`${where}: the saved booster's baseline or categorical features are malformed`);
  }
  const trees: BoostTree[] = [];
  for (let t = 0; t < count; t++) {
    const get = (key: string) => arrays[`${t}.${key}`];
    const i32 = (key: string) => (get(key) instanceof Int32Array ? get(key) as Int32Array : null);
    const f64 = (key: string) => (get(key) instanceof Float64Array ? get(key) as Float64Array : null);
    const feature = i32('feature'), left = i32('left'), right = i32('right'), bin = i32('bin'), flags = i32('flags'), bitsetIndex = i32('bitsetIndex'), nodes = i32('count');
    const threshold = f64('threshold'), value = f64('value'), raw = i32('rawBitsets'), binned = i32('binnedBitsets');
    const m = feature?.length ?? 0;
    const ok = m >= 1 && [left, right, bin, flags, bitsetIndex, nodes].every((a) => a?.length === m) && threshold?.length === m && value?.length === m
      && raw !== null && binned !== null && raw.length === binned.length && raw.length % 8 === 0
      && Array.from({ length: m }, (_, j) => j).every((j) => feature![j] < 0
        || (feature![j] < features && left![j] > j && left![j] < m && right![j] > j && right![j] < m
          && ((flags![j] & 2) === 0 || (bitsetIndex![j] >= 0 && bitsetIndex![j] < raw!.length / 8))));
    if (!ok) throw new FormatError(`${where}: tree ${t} is malformed`);
    trees.push({
      feature: feature!, left: left!, right: right!, threshold: threshold!, bin: bin!, flags: flags!, bitsetIndex: bitsetIndex!, value: value!, count: nodes!,
      rawBitsets: new Uint32Array(raw!.buffer, raw!.byteOffset, raw!.length), binnedBitsets: new Uint32Array(binned!.buffer, binned!.byteOffset, binned!.length),
    });
  }
  return {
    features, classes: meta.classes as (number | string)[], k, baseline, trees, categorical: Uint8Array.from(categorical),
    trainScore: meta.trainScore as number[], validationScore: meta.validationScore as number[], earlyStopping: meta.earlyStopping as boolean, seed: meta.seed as number,
  };
}

/**
 * Gradient-boosted trees for classification: log loss (binomial, or multinomial with one tree
 * per class and iteration).
 * @example const model = await new HistGradientBoostingClassifier({ maxIter: 100, seed: 0 }).fit(X, y);
 */
export class HistGradientBoostingClassifier extends HistGradientBoosting<HistGradientBoostingClassifierOptions> {
  constructor(options?: HistGradientBoostingClassifierOptions) {
    super({ ...table(['logLoss'], 'logLoss'), classWeight: classWeightRule() } as ParamTable<HistGradientBoostingClassifierOptions>, options, 'HistGradientBoostingClassifier');
  }

  protected lossFor(k: number, weighted: boolean): BoostingLoss {
    return boostingLoss('logLoss', k, 0, weighted);
  }

  protected fromRaw(raw: Float64Array, m: number, f: Fitted): (number | string)[] {
    return labelsOf(raw, f.k, m, f.classes);
  }

  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike, options: BoostingFitOptions = {}): Promise<this> {
    const where = 'HistGradientBoostingClassifier.fit';
    const cancel = Cancellation.of(options, where);
    const data = this.fitMatrix(X, `${where}: X`, { gaps: true });
    const values = toVector(y, `${where}: y`, data.rows);
    const labels = encodeLabels(values, `${where}: y`);
    if (labels.classes.length < 2) throw new ValueError(`${where}: y has a single class (${String(labels.classes[0])}); a classifier needs at least 2`);
    const previous = this.params.warmStart && this.isFitted ? this.fitted(where).classes : null;
    if (previous && (previous.length !== labels.classes.length || previous.some((c, i) => c !== labels.classes[i]))) {
      throw new ValueError(`${where}: y's classes differ from those of the warm-started model`);
    }
    let weights = toSampleWeight(options.sampleWeight, where, data.rows);
    if (this.params.classWeight !== null) weights = weighSamples(weights, classWeights(this.params.classWeight, labels.index, labels.classes, where), labels.index);
    const validation = readValidation(options.validationData, data.cols, where, (yv, n) => {
      const v = toVector(yv, `${where}: validationData y`, n);
      const position = new Map(labels.classes.map((c, i) => [c, i]));
      const unknown = v.find((c) => !position.has(c));
      if (unknown !== undefined) throw new ValueError(`${where}: validationData y holds ${describe(unknown)}, not a class of y`);
      return { y: Float64Array.from(v, (c) => position.get(c)!), labels: v };
    });
    if (validation && this.params.classWeight !== null) {
      validation.weights = weighSamples(validation.weights, classWeights(this.params.classWeight, labels.index, labels.classes, where), validation.y);
    }
    await this.boost(data, Float64Array.from(labels.index), values, labels.classes, weights, validation, where, cancel);
    return this;
  }

  /** Raw values: one per row for two classes, rows × classes for more. */
  decisionFunction(X: MatrixLike): number[][] | Float64Array {
    const { raw, m, f } = this.raw(X, 'HistGradientBoostingClassifier.decisionFunction');
    return decision(raw, f.k, m);
  }

  predictProba(X: MatrixLike): number[][] {
    const { raw, m, f } = this.raw(X, 'HistGradientBoostingClassifier.predictProba');
    return probabilitiesOf(backend(), raw, f.k, m);
  }

  predict(X: MatrixLike): (number | string)[] {
    const { raw, m, f } = this.raw(X, 'HistGradientBoostingClassifier.predict');
    return labelsOf(raw, f.k, m, f.classes);
  }

  /** Predictions after each iteration. */
  stagedPredict(X: MatrixLike): IterableIterator<(number | string)[]> {
    const out: (number | string)[][] = [];
    const { k, classes } = this.fitted('stagedPredict');
    this.raw(X, 'HistGradientBoostingClassifier.stagedPredict', (raw) => out.push(labelsOf(raw, k, raw.length / k, classes)));
    return out[Symbol.iterator]();
  }

  /** Class probabilities after each iteration. */
  stagedPredictProba(X: MatrixLike): IterableIterator<number[][]> {
    const out: number[][][] = [];
    const k = this.fitted('stagedPredictProba').k;
    this.raw(X, 'HistGradientBoostingClassifier.stagedPredictProba', (raw) => out.push(probabilitiesOf(backend(), raw, k, raw.length / k)));
    return out[Symbol.iterator]();
  }

  /** Decision values after each iteration. */
  stagedDecisionFunction(X: MatrixLike): IterableIterator<number[][] | Float64Array> {
    const out: (number[][] | Float64Array)[] = [];
    const k = this.fitted('stagedDecisionFunction').k;
    this.raw(X, 'HistGradientBoostingClassifier.stagedDecisionFunction', (raw) => out.push(decision(raw, k, raw.length / k)));
    return out[Symbol.iterator]();
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): HistGradientBoostingClassifier {
    return restoreEstimator((p) => new HistGradientBoostingClassifier(p as HistGradientBoostingClassifierOptions), 'HistGradientBoostingClassifier', source, readBooster);
  }
}

/** The class of each row: the largest raw value, or for one output a positive one (ties to the first class, as argmax of the probabilities). */
function labelsOf(raw: Float64Array, k: number, m: number, classes: (number | string)[]): (number | string)[] {
  if (k === 1) return Array.from({ length: m }, (_, i) => classes[raw[i] > 0 ? 1 : 0]);
  return Array.from({ length: m }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (raw[c * m + i] > raw[best * m + i]) best = c;
    return classes[best];
  });
}

/** validationData checked: its X with X's features (gaps allowed), y through `targets`, weights. */
function readValidation(given: BoostingFitOptions['validationData'], d: number, where: string,
  targets: (y: ArrayLike<number | string>, n: number) => { y: Float64Array; labels: (number | string)[] }): { data: Matrix; y: Float64Array; labels: (number | string)[]; weights: Float64Array | undefined } | null {
  if (given === undefined || given === null) return null;
  if (!Array.isArray(given) || given.length < 2 || given.length > 3) throw new ValueError(`${where}: validationData must be [X, y] or [X, y, sampleWeight]; received ${describe(given)}`);
  const data = toMatrix(given[0], `${where}: validationData X`, { gaps: true });
  if (data.cols !== d) throw new ValueError(`${where}: validationData X has ${data.cols} features, but X has ${d}`);
  const t = targets(given[1], data.rows);
  return { data, ...t, weights: toSampleWeight(given[2], `${where}: validationData`, data.rows) };
}

/**
 * Gradient-boosted trees for regression: squared error, absolute error (leaf values the median of
 * their residuals), Poisson (a log link) or a quantile (pinball loss).
 * @example const model = await new HistGradientBoostingRegressor({ loss: 'absoluteError', seed: 0 }).fit(X, y);
 */
export class HistGradientBoostingRegressor extends HistGradientBoosting<HistGradientBoostingRegressorOptions> {
  constructor(options?: HistGradientBoostingRegressorOptions) {
    super({
      ...table(['squaredError', 'absoluteError', 'poisson', 'quantile'], 'squaredError'),
      quantile: rules.custom<number | null>(null, 'a number in (0, 1) or null', (v) => v === null || (typeof v === 'number' && v > 0 && v < 1)),
    } as ParamTable<HistGradientBoostingRegressorOptions>, options, 'HistGradientBoostingRegressor');
  }

  protected lossFor(_k: number, weighted: boolean): BoostingLoss {
    return boostingLoss(this.params.loss, 1, this.params.quantile ?? 0.5, weighted);
  }

  protected fromRaw(raw: Float64Array, m: number): Float64Array {
    const out = raw.slice(0, m);
    return this.params.loss === 'poisson' ? expOf(backend(), out) : out;
  }

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: BoostingFitOptions = {}): Promise<this> {
    const where = 'HistGradientBoostingRegressor.fit';
    const cancel = Cancellation.of(options, where);
    const data = this.fitMatrix(X, `${where}: X`, { gaps: true });
    const target = toTargets(y, `${where}: y`, data.rows);
    const weights = toSampleWeight(options.sampleWeight, where, data.rows);
    if (this.params.loss === 'quantile' && this.params.quantile === null) throw new ValueError(`${where}: loss 'quantile' needs the quantile option, a number in (0, 1)`);
    if (this.params.loss === 'poisson') {
      const bad = target.findIndex((v) => v < 0);
      if (bad >= 0) throw new ValueError(`${where}: loss 'poisson' needs y ≥ 0; y[${bad}] is ${target[bad]}`);
      if (!target.some((v) => v > 0)) throw new ValueError(`${where}: loss 'poisson' needs some y > 0; every y is 0`);
    }
    const validation = readValidation(options.validationData, data.cols, where, (yv, n) => {
      const t = toTargets(yv, `${where}: validationData y`, n);
      return { y: t, labels: Array.from(t) };
    });
    await this.boost(data, target, Array.from(target), [], weights, validation, where, cancel);
    return this;
  }

  predict(X: MatrixLike): Float64Array {
    const { raw, m } = this.raw(X, 'HistGradientBoostingRegressor.predict');
    return this.fromRaw(raw, m);
  }

  /** Predictions after each iteration. */
  stagedPredict(X: MatrixLike): IterableIterator<Float64Array> {
    const out: Float64Array[] = [];
    this.raw(X, 'HistGradientBoostingRegressor.stagedPredict', (raw) => out.push(this.fromRaw(raw, raw.length)));
    return out[Symbol.iterator]();
  }

  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): HistGradientBoostingRegressor {
    return restoreEstimator((p) => new HistGradientBoostingRegressor(p as HistGradientBoostingRegressorOptions), 'HistGradientBoostingRegressor', source, readBooster);
  }
}
