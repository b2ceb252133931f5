// Scores of numeric predictions (scikit-learn 1.2's regression metrics): R², explained variance,
// mean squared / absolute / absolute percentage error, median absolute error and max error. y is
// one value per sample or a row of outputs per sample; several outputs are averaged uniformly, by
// the given weights, or returned per output ('rawValues'), as scikit-learn's multioutput.
import { ShapeError, ValueError, describe } from '../errors.js';
import { median } from '../quantiles.js';
import { warn } from '../warnings.js';
import { scoreMatrix, weightsOf, type ScoreArray } from './targets.js';

export type Multioutput = 'uniformAverage' | 'rawValues' | 'varianceWeighted' | ArrayLike<number>;

export interface RegressionOptions {
  /** How the scores of several outputs combine (default 'uniformAverage'). */
  multioutput?: Multioutput;
  /** A weight per sample (means become weighted means). */
  sampleWeight?: ArrayLike<number>;
}

/** yTrue and yPred as columns of equal shape. */
function columnsOf(yTrue: ScoreArray, yPred: ScoreArray, where: string): { t: Float64Array[]; p: Float64Array[]; n: number } {
  const a = scoreMatrix(yTrue, 'yTrue', where), b = scoreMatrix(yPred, 'yPred', where);
  if (a.rows === 0) throw new ValueError(`${where}: yTrue is empty`);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    const size = (m: typeof a) => (m.oneD ? `${m.rows}` : `${m.rows}×${m.cols}`);
    throw new ShapeError(`${where}: yTrue has ${size(a)} values but yPred has ${size(b)}`);
  }
  const column = (m: { data: Float64Array; rows: number; cols: number }, j: number) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
  return { t: Array.from({ length: a.cols }, (_, j) => column(a, j)), p: Array.from({ length: a.cols }, (_, j) => column(b, j)), n: a.rows };
}

/** Per-output scores combined as multioutput asks. */
function combine(scores: number[], multioutput: Multioutput | undefined, where: string, variances?: number[]): number | Float64Array {
  const m = multioutput ?? 'uniformAverage';
  if (m === 'rawValues') return Float64Array.from(scores);
  let weights: ArrayLike<number>;
  if (m === 'uniformAverage') weights = scores.map(() => 1);
  else if (m === 'varianceWeighted') {
    if (!variances) throw new ValueError(`${where}: multioutput 'varianceWeighted' applies to r2Score and explainedVarianceScore only`);
    weights = variances;
    // All outputs constant: scikit-learn falls back to the uniform average.
    if (variances.every((v) => v === 0)) weights = scores.map(() => 1);
  } else if (typeof m === 'object' && m !== null && typeof m.length === 'number') {
    if (m.length !== scores.length) throw new ValueError(`${where}: multioutput has ${m.length} weights for ${scores.length} outputs`);
    weights = m;
  } else throw new ValueError(`${where}: multioutput must be 'uniformAverage', 'rawValues', 'varianceWeighted' or an array of weights; received ${describe(m)}`);
  let s = 0, w = 0;
  for (let j = 0; j < scores.length; j++) { s += scores[j] * weights[j]; w += weights[j]; }
  return s / w;
}

/** NumPy's average: Σ w·v / Σ w (the plain mean without weights). */
const meanOf = (v: ArrayLike<number>, w: Float64Array | null = null) => {
  let s = 0, total = 0;
  for (let i = 0; i < v.length; i++) { const wi = w ? w[i] : 1; s += v[i] * wi; total += wi; }
  return s / total;
};

/** 1 − residual / total, with scikit-learn's finite rule: a constant yTrue scores 1 if predicted exactly, else 0. */
function ratioScore(residual: number, total: number, forceFinite: boolean): number {
  if (total !== 0) return 1 - residual / total;
  if (!forceFinite) return residual === 0 ? NaN : -Infinity;
  return residual === 0 ? 1 : 0;
}

/** Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)². */
export function r2Score(yTrue: ScoreArray, yPred: ScoreArray, options: RegressionOptions & { forceFinite?: boolean } = {}): number | Float64Array {
  const where = 'r2Score';
  const { t, p, n } = columnsOf(yTrue, yPred, where);
  if (n < 2) {
    warn('data', `${where}: R² is not defined for fewer than two samples`);
    return NaN;
  }
  const w = weightsOf(options.sampleWeight, n, where);
  const totals: number[] = [];
  const scores = t.map((tj, j) => {
    const mean = meanOf(tj, w);
    let residual = 0, total = 0;
    for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; residual += wi * (tj[i] - p[j][i]) ** 2; total += wi * (tj[i] - mean) ** 2; }
    totals.push(total);
    return ratioScore(residual, total, options.forceFinite ?? true);
  });
  return combine(scores, options.multioutput, where, totals);
}

/** 1 − Var(y − ŷ) / Var(y). */
export function explainedVarianceScore(yTrue: ScoreArray, yPred: ScoreArray, options: RegressionOptions & { forceFinite?: boolean } = {}): number | Float64Array {
  const where = 'explainedVarianceScore';
  const { t, p, n } = columnsOf(yTrue, yPred, where);
  const w = weightsOf(options.sampleWeight, n, where);
  const variances: number[] = [];
  const scores = t.map((tj, j) => {
    const diff = tj.map((v, i) => v - p[j][i]);
    const dm = meanOf(diff, w), tm = meanOf(tj, w);
    const num = meanOf(diff.map((d) => (d - dm) ** 2), w), den = meanOf(tj.map((v) => (v - tm) ** 2), w);
    variances.push(den);
    return ratioScore(num, den, options.forceFinite ?? true);
  });
  return combine(scores, options.multioutput, where, variances);
}

/** A per-output mean of f(y, ŷ) over the samples. */
function meanError(where: string, f: (t: number, p: number) => number) {
  return (yTrue: ScoreArray, yPred: ScoreArray, options: RegressionOptions = {}): number | Float64Array => {
    const { t, p, n } = columnsOf(yTrue, yPred, where);
    const w = weightsOf(options.sampleWeight, n, where);
    return combine(t.map((tj, j) => meanOf(tj.map((v, i) => f(v, p[j][i])), w)), options.multioutput, where);
  };
}

const squared = meanError('meanSquaredError', (t, p) => (t - p) ** 2);

/** Mean of (y − ŷ)²; squared: false gives its root (per output, then combined). */
export function meanSquaredError(yTrue: ScoreArray, yPred: ScoreArray, options: RegressionOptions & { squared?: boolean } = {}): number | Float64Array {
  if (options.squared === false) {
    const raw = squared(yTrue, yPred, { multioutput: 'rawValues', sampleWeight: options.sampleWeight }) as Float64Array;
    return combine(Array.from(raw, Math.sqrt), options.multioutput, 'meanSquaredError');
  }
  return squared(yTrue, yPred, options);
}

/** Mean of |y − ŷ|. */
export const meanAbsoluteError = meanError('meanAbsoluteError', (t, p) => Math.abs(t - p));

/** Mean of |y − ŷ| / max(|y|, ε) (a fraction, not a percent; ε is f64's machine epsilon, as scikit-learn). */
export const meanAbsolutePercentageError = meanError('meanAbsolutePercentageError', (t, p) => Math.abs(p - t) / Math.max(Math.abs(t), Number.EPSILON));

/** The median of |y − ŷ| (per output). */
export function medianAbsoluteError(yTrue: ScoreArray, yPred: ScoreArray, options: Omit<RegressionOptions, 'sampleWeight'> = {}): number | Float64Array {
  if ((options as RegressionOptions).sampleWeight !== undefined) throw new ValueError('medianAbsoluteError: sampleWeight is not supported (a weighted median is not built yet)');
  const { t, p } = columnsOf(yTrue, yPred, 'medianAbsoluteError');
  return combine(t.map((tj, j) => median(tj.map((v, i) => Math.abs(v - p[j][i])))), options.multioutput, 'medianAbsoluteError');
}

/** The largest |y − ŷ| (one output only, as scikit-learn). */
export function maxError(yTrue: ScoreArray, yPred: ScoreArray): number {
  const { t, p, n } = columnsOf(yTrue, yPred, 'maxError');
  if (t.length > 1) throw new ShapeError('maxError: takes one output per sample; yTrue has several');
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(t[0][i] - p[0][i]));
  return m;
}
