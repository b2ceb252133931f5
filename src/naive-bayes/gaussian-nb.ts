// scikit-learn's GaussianNB: each feature normal within each class, with the class's (weighted)
// mean θ and variance σ² + ε, where ε = varSmoothing × the largest feature variance of the data
// (which keeps near-constant features from dominating). Batches combine by Chan, Golub & LeVeque's
// update of means and sums of squared deviations, and ε is taken from the variance of all the data
// seen, so partialFit over batches equals one fit (scikit-learn recomputes ε from each batch).
import { log } from '../elementary.js';
import { FormatError, ValueError, describe } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import { classMoments, gaussianSquares } from '../ops/naive-bayes.js';
import { NaiveBayes, classMass, classRows as rows, type NaiveBayesState } from './naive-bayes.js';

export interface GaussianNBOptions {
  /** The classes' prior probabilities (one per class, summing to 1), or null: their weighted frequencies (default). */
  priors?: number[] | null;
  /** ε as a share of the largest feature variance (default 1e-9). */
  varSmoothing?: number;
}

interface State extends NaiveBayesState {
  /** k×d means and variances (without ε). */
  theta: Float64Array;
  variance: Float64Array;
  /** Each class's total weight. */
  count: Float64Array;
  /** Samples seen, and the mean and sum of squared deviations of every feature over all of them (for ε). */
  seen: number;
  mean: Float64Array;
  m2: Float64Array;
}

const OPTIONS: ParamTable<GaussianNBOptions> = {
  priors: rules.custom<number[] | null>(null, 'null or an array of probabilities ≥ 0 summing to 1',
    (v) => v === null || (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0))),
  varSmoothing: rules.nonNegative(1e-9),
};

/** Gaussian naive Bayes (scikit-learn's GaussianNB). */
export class GaussianNB extends NaiveBayes<GaussianNBOptions, State> {
  constructor(options?: GaussianNBOptions) {
    super(OPTIONS, options, 'GaussianNB');
  }

  protected learn(data: Matrix, labels: Int32Array, classes: (number | string)[], weights: Float64Array | undefined, state: State | undefined, where: string): State {
    const { rows: n, cols: d } = data;
    const k = classes.length;
    const priors = this.params.priors;
    if (priors) {
      if (priors.length !== k) throw new ValueError(`${where}: priors has ${priors.length} values but there are ${k} classes`);
      const sum = priors.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-8 + 1e-5) throw new ValueError(`${where}: priors must sum to 1; received ${describe(priors)} (sum ${sum})`);
    }
    const theta = state ? state.theta.slice() : new Float64Array(k * d);
    const variance = state ? state.variance.slice() : new Float64Array(k * d);
    const count = state ? state.count.slice() : new Float64Array(k);
    const mass = classMass(labels, k, weights);
    const batch = classMoments(data.data, n, d, labels, k, mass, weights);
    for (let c = 0; c < k; c++) {
      const nNew = mass[c];
      // A class absent from the batch (or of zero weight) keeps its statistics.
      if (Math.abs(nNew) <= 1e-8) continue;
      const nPast = count[c];
      for (let f = 0; f < d; f++) {
        const at = c * d + f;
        const newMu = batch.means[at], newVar = batch.squares[at] / nNew;
        if (nPast === 0) {
          theta[at] = newMu;
          variance[at] = newVar;
        } else {
          // Chan et al.: the sums of squared deviations add, plus the shift between the two means.
          const total = nPast + nNew;
          const mu = theta[at];
          theta[at] = (nNew * newMu + nPast * mu) / total;
          variance[at] = (nPast * variance[at] + nNew * newVar + ((nNew * nPast) / total) * (mu - newMu) ** 2) / total;
        }
      }
      count[c] += nNew;
    }
    // The variance of every feature over all samples seen (unweighted, as scikit-learn's ε).
    const all = classMoments(data.data, n, d, new Int32Array(n), 1, Float64Array.of(n));
    const mean = state ? state.mean.slice() : new Float64Array(d), m2 = state ? state.m2.slice() : new Float64Array(d);
    const seen = (state?.seen ?? 0) + n;
    for (let f = 0; f < d; f++) {
      if (!state) {
        mean[f] = all.means[f];
        m2[f] = all.squares[f];
      } else {
        const delta = all.means[f] - mean[f];
        m2[f] += all.squares[f] + (delta * delta * state.seen * n) / seen;
        mean[f] = (state.seen * mean[f] + n * all.means[f]) / seen;
      }
    }
    const learnt = { classes, d, theta, variance, count, seen, mean, m2 };
    const e = this.epsilonOf(learnt);
    for (let c = 0; c < k; c++) {
      if (count[c] <= 0) continue;
      const f = variance.subarray(c * d, (c + 1) * d).findIndex((v) => !(v + e > 0));
      if (f >= 0) {
        throw new ValueError(`${where}: feature ${f} of X is constant within class ${describe(classes[c])} and varSmoothing adds nothing (every feature of X is constant, or varSmoothing is 0); a normal of variance 0 has no density`);
      }
    }
    return learnt;
  }

  protected jointLogLikelihood(data: Matrix, s: State): Float64Array {
    const k = s.classes.length, d = s.d;
    const variance = this.smoothed(s);
    const squares = gaussianSquares(data.data, data.rows, d, s.theta, variance, k);
    const prior = this.prior(s);
    const out = new Float64Array(data.rows * k);
    for (let c = 0; c < k; c++) {
      if (s.count[c] <= 0) {
        // A class declared to partialFit but not seen yet: no data describe it.
        for (let i = 0; i < data.rows; i++) out[i * k + c] = -Infinity;
        continue;
      }
      let constant = 0;
      for (let f = 0; f < d; f++) constant += log(2 * Math.PI * variance[c * d + f]);
      const logPrior = log(prior[c]);
      for (let i = 0; i < data.rows; i++) out[i * k + c] = logPrior + (-0.5 * constant - 0.5 * squares[i * k + c]);
    }
    return out;
  }

  /** ε: varSmoothing × the largest feature variance of all the data seen. */
  private epsilonOf(s: State): number {
    let largest = 0;
    for (let f = 0; f < s.d; f++) largest = Math.max(largest, s.m2[f] / s.seen);
    return this.params.varSmoothing * largest;
  }

  private smoothed(s: State): Float64Array {
    const e = this.epsilonOf(s);
    return s.variance.map((v) => v + e);
  }

  private prior(s: State): Float64Array {
    if (this.params.priors) return Float64Array.from(this.params.priors);
    const total = s.count.reduce((a, b) => a + b, 0);
    return s.count.map((v) => v / total);
  }

  /** Each class's feature means (classes × features). */
  get theta(): number[][] {
    const s = this.fitted('theta');
    return rows(s.theta, s.classes.length, s.d);
  }

  /** Each class's feature variances, ε included (classes × features). */
  get var(): number[][] {
    const s = this.fitted('var');
    return rows(this.smoothed(s), s.classes.length, s.d);
  }

  /** ε added to every variance. */
  get epsilon(): number {
    return this.epsilonOf(this.fitted('epsilon'));
  }

  /** Each class's total weight (its sample count without weights). */
  get classCount(): Float64Array {
    return this.fitted('classCount').count.slice();
  }

  /** The classes' priors: the given ones or the weighted class frequencies. */
  get classPrior(): Float64Array {
    return this.prior(this.fitted('classPrior'));
  }

  protected toSaved(s: State): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { classes: s.classes, d: s.d, seen: s.seen }, arrays: { theta: s.theta, variance: s.variance, count: s.count, mean: s.mean, m2: s.m2 } };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): GaussianNB {
    return restoreEstimator((p) => new GaussianNB(p as GaussianNBOptions), 'GaussianNB', source, (meta, a, where) => {
      const { classes, d, seen } = meta as { classes: unknown; d: number; seen: number };
      const k = Array.isArray(classes) ? classes.length : 0;
      const ok = (v: unknown, length: number) => v instanceof Float64Array && v.length === length && v.every(Number.isFinite);
      if (k < 1 || !(classes as unknown[]).every((c) => typeof c === 'number' || typeof c === 'string') || !Number.isInteger(d) || d < 1
        || !Number.isInteger(seen) || seen < 1 || !ok(a.theta, k * d) || !ok(a.variance, k * d) || !ok(a.count, k) || !ok(a.mean, d) || !ok(a.m2, d)) {
        throw new FormatError(`${where}: the saved Gaussian naive Bayes is malformed`);
      }
      return { classes: classes as (number | string)[], d, seen, theta: a.theta as Float64Array, variance: a.variance as Float64Array, count: a.count as Float64Array, mean: a.mean as Float64Array, m2: a.m2 as Float64Array };
    });
  }
}

