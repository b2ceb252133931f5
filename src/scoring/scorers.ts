// Scorers by scikit-learn's names: a metric applied to a fitted estimator's predictions on X
// (predict, predictProba or decisionFunction as scikit-learn's make_scorer decides), higher is
// better (losses negated: 'neg_…'). Names may be written in camelCase too ('f1Macro').
import { finalEstimator } from '../compose/composite.js';
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { accuracyScore, balancedAccuracyScore, f1Score, matthewsCorrcoef, precisionScore, recallScore, type Average } from './classification.js';
import { adjustedMutualInfoScore, adjustedRandScore, mutualInfoScore, normalizedMutualInfoScore, randScore } from './clustering.js';
import { brierScoreLoss, logLoss } from './probabilistic.js';
import { averagePrecisionScore, rocAucScore } from './ranking.js';
import { explainedVarianceScore, maxError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, medianAbsoluteError, r2Score } from './regression.js';
import { targetType, type Label } from './targets.js';

type Method = (X: unknown) => unknown;
/** What scorers call: a fitted estimator (or pipeline). */
export interface Scorable { predict?: Method; predictProba?: Method; decisionFunction?: Method; score?(X: unknown, y: unknown): unknown; classes?: readonly Label[]; steps?: [string, unknown][] }
/** A scorer: (fitted estimator, X, y) → a number, higher is better. */
export type Scorer = (estimator: Scorable, X: unknown, y: unknown[]) => number;

/** Whether the estimator (a pipeline: its last step; a search: its estimator) has this method. */
function responds(e: Scorable, method: keyof Scorable): boolean {
  const last = finalEstimator(e) as Scorable;
  return !!last && typeof last[method] === 'function';
}

const predicted = (e: Scorable, X: unknown, _y?: unknown[]) => {
  if (!responds(e, 'predict')) throw new ValueError(`scoring: the estimator has no predict`);
  return e.predict!(X) as Label[];
};

/** Probabilities; for a binary target the greater class's column alone (scikit-learn's _ProbaScorer). */
function probabilities(e: Scorable, X: unknown, y: unknown[]): number[] | number[][] {
  if (!responds(e, 'predictProba')) throw new ValueError('scoring: this scorer needs predictProba, which the estimator does not have (SVC needs probability: true)');
  const p = e.predictProba!(X) as number[][];
  return targetType(y as Label[], 'y', 'scoring') === 'binary' && p[0]?.length <= 2 ? p.map((r) => r[r.length - 1]) : p;
}

/** Decision values where the estimator has them, else probabilities (scikit-learn's _ThresholdScorer). */
function thresholds(e: Scorable, X: unknown, y: unknown[]): number[] | number[][] {
  if (responds(e, 'decisionFunction') && targetType(y as Label[], 'y', 'scoring') !== 'multiclass') {
    const d = e.decisionFunction!(X) as ArrayLike<number> | number[][];
    const rows = Array.from(d as ArrayLike<number | number[]>);
    return rows.every((r) => Array.isArray(r) && r.length === 1) ? rows.map((r) => (r as number[])[0]) : rows as number[] | number[][];
  }
  return probabilities(e, X, y);
}

const labels = (f: (t: Label[], p: Label[]) => number): Scorer => (e, X, y) => f(y as Label[], predicted(e, X));
const values = (f: (t: number[], p: number[]) => number, sign = 1): Scorer => (e, X, y) => sign * f(y as number[], predicted(e, X) as number[]);
const averaged = (f: typeof f1Score, average: Average): Scorer => labels((t, p) => f(t, p, { average }) as number);

/** The scorers by name, made on first use (no work at import, so bundles that never score drop them). */
let table: Record<string, Scorer> | undefined;
function scorerTable(): Record<string, Scorer> {
  if (table) return table;
  const named: Record<string, Scorer> = {
    accuracy: labels((t, p) => accuracyScore(t, p)),
    balanced_accuracy: labels((t, p) => balancedAccuracyScore(t, p)),
    matthews_corrcoef: labels(matthewsCorrcoef),
    neg_log_loss: (e, X, y) => -logLoss(y as Label[], probabilities(e, X, y), { labels: e.classes as Label[] | undefined }),
    neg_brier_score: (e, X, y) => -brierScoreLoss(y as Label[], probabilities(e, X, y) as number[], { posLabel: e.classes?.at(-1) }),
    roc_auc: (e, X, y) => rocAucScore(y as Label[], thresholds(e, X, y)) as number,
    roc_auc_ovr: (e, X, y) => rocAucScore(y as Label[], probabilities(e, X, y), { multiClass: 'ovr' }) as number,
    roc_auc_ovo: (e, X, y) => rocAucScore(y as Label[], probabilities(e, X, y), { multiClass: 'ovo' }) as number,
    roc_auc_ovr_weighted: (e, X, y) => rocAucScore(y as Label[], probabilities(e, X, y), { multiClass: 'ovr', average: 'weighted' }) as number,
    roc_auc_ovo_weighted: (e, X, y) => rocAucScore(y as Label[], probabilities(e, X, y), { multiClass: 'ovo', average: 'weighted' }) as number,
    average_precision: (e, X, y) => averagePrecisionScore(y as Label[], thresholds(e, X, y)) as number,
    r2: values((t, p) => r2Score(t, p) as number),
    explained_variance: values((t, p) => explainedVarianceScore(t, p) as number),
    max_error: values(maxError, -1),
    neg_mean_squared_error: values((t, p) => meanSquaredError(t, p) as number, -1),
    neg_root_mean_squared_error: values((t, p) => meanSquaredError(t, p, { squared: false }) as number, -1),
    neg_mean_absolute_error: values((t, p) => meanAbsoluteError(t, p) as number, -1),
    neg_median_absolute_error: values((t, p) => medianAbsoluteError(t, p) as number, -1),
    neg_mean_absolute_percentage_error: values((t, p) => meanAbsolutePercentageError(t, p) as number, -1),
    adjusted_rand_score: labels(adjustedRandScore),
    rand_score: labels(randScore),
    mutual_info_score: labels(mutualInfoScore),
    normalized_mutual_info_score: labels((t, p) => normalizedMutualInfoScore(t, p)),
    adjusted_mutual_info_score: labels((t, p) => adjustedMutualInfoScore(t, p)),
  };
  for (const [name, f] of [['precision', precisionScore], ['recall', recallScore], ['f1', f1Score]] as const) {
    named[name] = averaged(f, 'binary');
    for (const average of ['micro', 'macro', 'weighted', 'samples'] as const) named[`${name}_${average}`] = averaged(f, average);
  }
  return (table = named);
}

export interface MakeScorerOptions {
  /** Higher is better (default true); false negates the metric, as scikit-learn's neg_… scorers. */
  greaterIsBetter?: boolean;
  /** What the metric reads: 'predict' (default), 'predictProba' (a binary target: the greater class's column) or 'decisionFunction' (probabilities where there is none). */
  responseMethod?: 'predict' | 'predictProba' | 'decisionFunction';
  /** Extra options passed to the metric as its third argument (e.g. { beta: 2, average: 'macro' }). */
  metricOptions?: Record<string, unknown>;
}

/**
 * scikit-learn's make_scorer: a scorer from a metric of (yTrue, yPred, options).
 * @example const f2 = makeScorer(fbetaScore, { metricOptions: { beta: 2, average: 'macro' } });
 */
export function makeScorer(metric: (yTrue: never, yPred: never, options?: never) => unknown, options: MakeScorerOptions = {}): Scorer {
  if (typeof metric !== 'function') throw new ValueError(`makeScorer: metric must be a function (yTrue, yPred, options) => number; received ${describe(metric)}`);
  checkOptions<MakeScorerOptions>(options, ['greaterIsBetter', 'responseMethod', 'metricOptions'], 'makeScorer');
  const sign = options.greaterIsBetter === false ? -1 : 1;
  const method = options.responseMethod ?? 'predict';
  if (!['predict', 'predictProba', 'decisionFunction'].includes(method)) throw new ValueError(`makeScorer: responseMethod must be 'predict', 'predictProba' or 'decisionFunction'; received ${describe(method)}`);
  const answers = method === 'predict' ? predicted : method === 'predictProba' ? probabilities : thresholds;
  return (e, X, y) => {
    const value = metric(y as never, answers(e, X, y) as never, options.metricOptions as never);
    if (typeof value !== 'number') throw new ValueError(`makeScorer: the metric must give one number; it gave ${describe(value)} (choose an average)`);
    return sign * value;
  };
}

/** The estimator's own score (accuracy for a classifier, R² for a regressor). */
const ownScore: Scorer = (e, X, y) => Number(e.score!(X, y));

/** scikit-learn's scorer names, sorted. */
export function getScorerNames(): string[] {
  return Object.keys(scorerTable()).sort();
}

/** A scorer from a name or a function; the estimator's own score when none is given. */
export function getScorer(scoring: unknown, where: string): Scorer {
  if (scoring === undefined || scoring === null) return ownScore;
  if (typeof scoring === 'function') return scoring as Scorer;
  if (typeof scoring === 'string') {
    const scorer = scorerTable()[scoring.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    if (scorer) return scorer;
  }
  throw new ValueError(`${where}: scoring must be a function (estimator, X, y) => number or a scorer's name (${getScorerNames().map((k) => `'${k}'`).join(', ')}); received ${describe(scoring)}`);
}
