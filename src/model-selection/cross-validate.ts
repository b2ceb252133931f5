// scikit-learn's cross_validate and cross_val_score: a fresh clone of the estimator fitted on each
// split's training rows and scored on its test rows, by one scorer or several, with fit and score
// times, training scores and the fitted clones if asked. cv is a number of folds (StratifiedKFold
// for a classifier, KFold otherwise) or a splitter; a scorer is a name or (estimator, X, y) =>
// number, the estimator's own score by default.
import { ValueError, describe } from '../errors.js';
import { getScorer, type Scorer } from '../scoring/scorers.js';
import { checkNJobs, fitAndScore } from './fit-and-score.js';
import { checkCv, checkEstimator, isClassifier, samplesOf } from './samples.js';
import type { Splitter } from './splitters.js';
import { CANCEL_OPTIONS, Cancellation, type CancelOptions } from '../cancel.js';
import { checkOptions } from '../options.js';

export type { Scorer };

/** One scorer, several by name, or several keyed by the name their results take. */
export type Scoring = string | Scorer | string[] | Record<string, string | Scorer>;

/** camelCase of a scorer's name for result keys: 'test_f1_macro' → 'testF1Macro'. */
export const camelKey = (s: string) => s.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

/** The scorers of `scoring`, named, and whether it was one (results then use 'score' as its name). */
export function scorersOf(scoring: unknown, where: string): { names: string[]; scorers: Scorer[]; single: boolean; transferable: (string | null)[] | null } {
  const named = scorerNames(scoring, where);
  // Scorers a worker can rebuild: names (null: the estimator's own score); none when one is a function.
  const given = Array.isArray(scoring) ? scoring : scoring && typeof scoring === 'object' ? Object.values(scoring) : [scoring ?? null];
  const transferable = given.every((s) => s === null || typeof s === 'string') ? given as (string | null)[] : null;
  return { ...named, transferable };
}

function scorerNames(scoring: unknown, where: string): { names: string[]; scorers: Scorer[]; single: boolean } {
  if (Array.isArray(scoring)) {
    if (scoring.length === 0 || new Set(scoring).size !== scoring.length || scoring.some((s) => typeof s !== 'string')) {
      throw new ValueError(`${where}: scoring as a list must hold distinct scorer names; received ${describe(scoring)}`);
    }
    return { names: scoring as string[], scorers: scoring.map((s) => getScorer(s, where)), single: false };
  }
  if (scoring && typeof scoring === 'object') {
    const entries = Object.entries(scoring as Record<string, unknown>);
    if (entries.length === 0) throw new ValueError(`${where}: scoring as an object must name at least one scorer`);
    return { names: entries.map(([k]) => k), scorers: entries.map(([, s]) => getScorer(s, where)), single: false };
  }
  return { names: ['score'], scorers: [getScorer(scoring, where)], single: true };
}

export interface CrossValidateOptions extends CancelOptions {
  /** Folds (default 5) or a splitter (KFold, StratifiedKFold, GroupKFold, ShuffleSplit, …). */
  cv?: number | Splitter;
  /** A scorer (name or function; default the estimator's score), or several (names, or { name: scorer }). */
  scoring?: Scoring;
  /** Group labels, for GroupKFold. */
  groups?: ArrayLike<unknown>;
  /** Score the training rows too (default false). */
  returnTrainScore?: boolean;
  /** Keep each split's fitted estimator (default false). */
  returnEstimator?: boolean;
  /** Fit the splits side by side on this many workers (−1: one per core; default 1). */
  nJobs?: number;
}

/** scikit-learn's cv_results of cross_validate in camelCase: fitTime, scoreTime, testScore (or test<Name> per scorer), trainScore…, estimator. */
export type CrossValidateResult = Record<string, Float64Array> & { fitTime: Float64Array; scoreTime: Float64Array; estimator?: unknown[] };

const CROSS_VALIDATE = ['cv', 'scoring', 'groups', 'returnTrainScore', 'returnEstimator', 'nJobs', ...CANCEL_OPTIONS] as const;

/**
 * Scores of a clone of `estimator` fitted on each split, with times.
 * @example const r = await crossValidate(pipe, X, y, { cv: 5, scoring: ['accuracy', 'f1_macro'] }); r.testAccuracy;
 */
export async function crossValidate(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null = null, options: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  return validate(estimator, X, y, checkOptions<Record<string, unknown>>(options, CROSS_VALIDATE, 'crossValidate') as CrossValidateOptions, 'crossValidate');
}

async function validate(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null, o: CrossValidateOptions, where: string): Promise<CrossValidateResult> {
  const cancel = Cancellation.of(o, where);
  checkEstimator(estimator, where);
  for (const k of ['returnTrainScore', 'returnEstimator'] as const) if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new ValueError(`${where}: ${k} must be true or false; received ${describe(o[k])}`);
  const samples = samplesOf(X, y, where);
  const splitter = checkCv(o.cv, isClassifier(estimator), where);
  const { names, scorers, transferable } = scorersOf(o.scoring, where);
  const nJobs = checkNJobs(o.nJobs, where);
  const splits = splitter.split(X, samples.labels, o.groups ?? null);
  const outcomes = await fitAndScore(estimator, samples, splits.map(([train, test]) => ({ train, test })), scorers,
    { returnTrainScore: o.returnTrainScore, keep: o.returnEstimator, nJobs, scoring: transferable, cancel });
  const result: Record<string, unknown> = {
    fitTime: Float64Array.from(outcomes, (r) => r.fitTime),
    scoreTime: Float64Array.from(outcomes, (r) => r.scoreTime),
  };
  names.forEach((name, s) => {
    result[camelKey(`test_${name}`)] = Float64Array.from(outcomes, (r) => r.test[s]);
    if (o.returnTrainScore) result[camelKey(`train_${name}`)] = Float64Array.from(outcomes, (r) => r.train[s]);
  });
  if (o.returnEstimator) result.estimator = outcomes.map((r) => r.estimator);
  return result as CrossValidateResult;
}

export interface CrossValScoreOptions extends CancelOptions {
  cv?: number | Splitter;
  /** A scorer's name or (estimator, X, y) => number; default the estimator's score. */
  scoring?: string | Scorer;
  groups?: ArrayLike<unknown>;
  /** Fit the splits side by side on this many workers (−1: one per core; default 1). */
  nJobs?: number;
}

/**
 * Each split's score of a clone of `estimator` fitted on its training rows.
 * @example const scores = await crossValScore(makePipeline(new StandardScaler(), new SVC()), X, y, { cv: 5 });
 */
export async function crossValScore(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null = null, options: CrossValScoreOptions = {}): Promise<Float64Array> {
  const o = checkOptions<Record<string, unknown>>(options, ['cv', 'scoring', 'groups', 'nJobs', ...CANCEL_OPTIONS], 'crossValScore') as CrossValScoreOptions;
  if (Array.isArray(o.scoring) || (o.scoring && typeof o.scoring === 'object')) throw new ValueError('crossValScore: scoring takes one scorer; crossValidate takes several');
  return (await validate(estimator, X, y, o, 'crossValScore')).testScore;
}
