// scikit-learn's discrete naive Bayes models (its _BaseDiscreteNB): per-class (weighted) feature
// counts, smoothed by alpha (Laplace / Lidstone):
//   MultinomialNB  log P(f | c) = log(N_cf + α) − log(Σ_f (N_cf + α)),  log P(x | c) = x · log P(· | c)
//   BernoulliNB    log P(f | c) = log(N_cf + α) − log(N_c + 2α), features binarized at `binarize`,
//                  log P(x | c) = Σ_f x_f log P(f | c) + (1 − x_f) log(1 − P(f | c))
// Counts add up over batches, so partialFit over batches equals one fit.
import { exp, log } from '../elementary.js';
import { FormatError, ValueError } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import { classSums, timesTransposed } from '../ops/naive-bayes.js';
import { warn } from '../warnings.js';
import { NaiveBayes, classMass, classRows as rows, type NaiveBayesState } from './naive-bayes.js';

export interface DiscreteNBOptions {
  /** The additive smoothing α ≥ 0, or one per feature (default 1). */
  alpha?: number | number[];
  /** Keep an α below 1e-10 as given (default false: raised to 1e-10 with a warning, as scikit-learn 1.2). */
  forceAlpha?: boolean;
  /** Learn the class priors from the data (default true); false: uniform. */
  fitPrior?: boolean;
  /** The classes' prior probabilities (one per class), or null (default). */
  classPrior?: number[] | null;
}

export interface BernoulliNBOptions extends DiscreteNBOptions {
  /** Threshold above which a feature counts as 1 (default 0), or null: the data already are 0/1. */
  binarize?: number | null;
}

interface State extends NaiveBayesState {
  /** k×d weighted feature counts and each class's total weight. */
  featureCount: Float64Array;
  classCount: Float64Array;
}

const ALPHA_MIN = 1e-10;

const DISCRETE: ParamTable<DiscreteNBOptions> = {
  alpha: rules.custom<number | number[]>(1, 'a number ≥ 0 or an array of them (one per feature)',
    (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0) || (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'number' && Number.isFinite(a) && a >= 0))),
  forceAlpha: rules.boolean(false),
  fitPrior: rules.boolean(true),
  classPrior: rules.custom<number[] | null>(null, 'null or an array of probabilities ≥ 0 (one per class)',
    (v) => v === null || (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0))),
};

abstract class DiscreteNB<P extends DiscreteNBOptions> extends NaiveBayes<P, State> {
  /** The data as counted: Bernoulli binarizes, Multinomial refuses negative counts. */
  protected abstract counted(data: Matrix, where: string, fitting: boolean): Float64Array;

  /** log P(f | c) (k×d) from the smoothed counts. */
  protected abstract featureLogProbOf(s: State, alpha: Float64Array): Float64Array;

  protected learn(data: Matrix, labels: Int32Array, classes: (number | string)[], weights: Float64Array | undefined, state: State | undefined, where: string): State {
    const k = classes.length, d = data.cols;
    const prior = (this.params as DiscreteNBOptions).classPrior;
    if (prior && prior.length !== k) throw new ValueError(`${where}: classPrior has ${prior.length} values but there are ${k} classes`);
    this.alphaFor(d, where);
    const sums = classSums(this.counted(data, where, true), data.rows, d, labels, k, weights);
    const mass = classMass(labels, k, weights);
    const featureCount = state ? state.featureCount.slice() : new Float64Array(k * d);
    const classCount = state ? state.classCount.slice() : new Float64Array(k);
    for (let i = 0; i < sums.length; i++) featureCount[i] += sums[i];
    for (let c = 0; c < k; c++) classCount[c] += mass[c];
    return { classes, d, featureCount, classCount };
  }

  /** α per feature, raised to 1e-10 unless forceAlpha (scikit-learn 1.2's _check_alpha). */
  private alphaFor(d: number, where: string): Float64Array {
    const o = this.params as DiscreteNBOptions;
    const alpha = typeof o.alpha === 'number' ? new Float64Array(d).fill(o.alpha) : Float64Array.from(o.alpha!);
    if (alpha.length !== d) throw new ValueError(`${where}: alpha has ${alpha.length} values but X has ${d} features`);
    if (!o.forceAlpha && alpha.some((a) => a < ALPHA_MIN)) {
      warn('runtime', `${where}: alpha too small will result in numeric errors, setting alpha = ${ALPHA_MIN} (forceAlpha: true keeps it)`);
      return alpha.map((a) => Math.max(a, ALPHA_MIN));
    }
    return alpha;
  }

  protected logProb(s: State): Float64Array {
    return this.featureLogProbOf(s, this.alphaFor(s.d, this.estimatorName));
  }

  protected classLogPriorOf(s: State): Float64Array {
    const o = this.params as DiscreteNBOptions;
    const k = s.classes.length;
    if (o.classPrior) return Float64Array.from(o.classPrior, log);
    if (o.fitPrior) {
      const total = log(s.classCount.reduce((a, b) => a + b, 0));
      return s.classCount.map((v) => log(v) - total);
    }
    return new Float64Array(k).fill(-log(k));
  }

  /** Weighted feature counts per class (classes × features). */
  get featureCount(): number[][] {
    const s = this.fitted('featureCount');
    return rows(s.featureCount, s.classes.length, s.d);
  }

  /** Each class's total weight. */
  get classCount(): Float64Array {
    return this.fitted('classCount').classCount.slice();
  }

  /** log P(f | c) (classes × features). */
  get featureLogProb(): number[][] {
    const s = this.fitted('featureLogProb');
    return rows(this.logProb(s), s.classes.length, s.d);
  }

  /** log P(c). */
  get classLogPrior(): Float64Array {
    return this.classLogPriorOf(this.fitted('classLogPrior'));
  }

  protected toSaved(s: State): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { classes: s.classes, d: s.d }, arrays: { featureCount: s.featureCount, classCount: s.classCount } };
  }

  protected static readState(meta: Record<string, unknown>, a: Record<string, Float64Array | Int32Array>, where: string): State {
    const { classes, d } = meta as { classes: unknown; d: number };
    const k = Array.isArray(classes) ? classes.length : 0;
    const ok = (v: unknown, length: number) => v instanceof Float64Array && v.length === length && v.every((x) => Number.isFinite(x) && x >= 0);
    if (k < 1 || !(classes as unknown[]).every((c) => typeof c === 'number' || typeof c === 'string') || !Number.isInteger(d) || d < 1
      || !ok(a.featureCount, k * d) || !ok(a.classCount, k)) {
      throw new FormatError(`${where}: the saved naive Bayes is malformed`);
    }
    return { classes: classes as (number | string)[], d, featureCount: a.featureCount as Float64Array, classCount: a.classCount as Float64Array };
  }
}

/** Multinomial naive Bayes (scikit-learn's MultinomialNB): counts (word counts, tf-idf) per class. */
export class MultinomialNB extends DiscreteNB<DiscreteNBOptions> {
  constructor(options?: DiscreteNBOptions) {
    super(DISCRETE, options, 'MultinomialNB');
  }

  protected counted(data: Matrix, where: string, fitting: boolean): Float64Array {
    if (fitting) {
      const bad = data.data.findIndex((v) => v < 0);
      if (bad >= 0) throw new ValueError(`${where}: X[${Math.floor(bad / data.cols)}][${bad % data.cols}] is ${data.data[bad]}; MultinomialNB counts, so X must be ≥ 0`);
    }
    return data.data;
  }

  protected featureLogProbOf(s: State, alpha: Float64Array): Float64Array {
    const { d } = s, k = s.classes.length;
    const out = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      let total = 0;
      for (let f = 0; f < d; f++) total += s.featureCount[c * d + f] + alpha[f];
      const logTotal = log(total);
      for (let f = 0; f < d; f++) out[c * d + f] = log(s.featureCount[c * d + f] + alpha[f]) - logTotal;
    }
    return out;
  }

  protected jointLogLikelihood(data: Matrix, s: State): Float64Array {
    const k = s.classes.length;
    const jll = timesTransposed(data.data, data.rows, s.d, this.logProb(s), k);
    const prior = this.classLogPriorOf(s);
    for (let i = 0; i < jll.length; i++) jll[i] += prior[i % k];
    return jll;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): MultinomialNB {
    return restoreEstimator((p) => new MultinomialNB(p as DiscreteNBOptions), 'MultinomialNB', source, DiscreteNB.readState);
  }
}

const BERNOULLI: ParamTable<BernoulliNBOptions> = {
  ...DISCRETE,
  binarize: rules.custom<number | null>(0, 'a finite number or null', (v) => v === null || (typeof v === 'number' && Number.isFinite(v))),
};

/** Bernoulli naive Bayes (scikit-learn's BernoulliNB): binary features (a word present or not). */
export class BernoulliNB extends DiscreteNB<BernoulliNBOptions> {
  constructor(options?: BernoulliNBOptions) {
    super(BERNOULLI, options, 'BernoulliNB');
  }

  protected counted(data: Matrix): Float64Array {
    const t = this.params.binarize;
    return t === null ? data.data : data.data.map((v) => (v > t ? 1 : 0));
  }

  protected featureLogProbOf(s: State, alpha: Float64Array): Float64Array {
    const { d } = s, k = s.classes.length;
    const out = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      for (let f = 0; f < d; f++) out[c * d + f] = log(s.featureCount[c * d + f] + alpha[f]) - log(s.classCount[c] + alpha[f] * 2);
    }
    return out;
  }

  protected jointLogLikelihood(data: Matrix, s: State): Float64Array {
    const k = s.classes.length, d = s.d;
    const logProb = this.logProb(s);
    // Σ_f x log p + (1 − x) log(1 − p) = x·(log p − log(1 − p)) + Σ_f log(1 − p).
    const neg = logProb.map((v) => log(1 - exp(v)));
    const jll = timesTransposed(this.counted(data), data.rows, d, logProb.map((v, i) => v - neg[i]), k);
    const prior = this.classLogPriorOf(s);
    const offset = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let f = 0; f < d; f++) sum += neg[c * d + f];
      offset[c] = prior[c] + sum;
    }
    for (let i = 0; i < jll.length; i++) jll[i] += offset[i % k];
    return jll;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): BernoulliNB {
    return restoreEstimator((p) => new BernoulliNB(p as BernoulliNBOptions), 'BernoulliNB', source, DiscreteNB.readState);
  }
}


