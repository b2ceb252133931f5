// scikit-learn's learning_curve and validation_curve: cross-validated training and test scores as
// the training set grows (the first n rows of each split's training rows, optionally shuffled
// once per split), and as one parameter runs over a range of values.
import { ValueError, describe } from '../errors.js';
import { withGenerator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { warn } from '../warnings.js';
import { scorersOf } from './cross-validate.js';
import { checkNJobs, fitAndScore, type FitOutcome } from './fit-and-score.js';
import { checkCv, checkEstimator, isClassifier, samplesOf } from './samples.js';
import type { Splitter } from './splitters.js';
import { CANCEL_OPTIONS, Cancellation, type CancelOptions } from '../cancel.js';
import { checkOptions } from '../options.js';

interface CurveOptions extends CancelOptions {
  cv?: number | Splitter;
  /** One scorer (name or function; default the estimator's score). */
  scoring?: string | ((estimator: never, X: unknown, y: unknown[]) => number);
  groups?: ArrayLike<unknown>;
  /** Fits side by side on this many workers (−1: one per core; default 1). */
  nJobs?: number;
}

/** Scores as rows of folds: one row per size or parameter value. */
const grid = (outcomes: FitOutcome[], rows: number, folds: number, part: 'test' | 'train') =>
  Array.from({ length: rows }, (_, r) => Float64Array.from({ length: folds }, (_, f) => outcomes[f * rows + r][part][0]));

export interface LearningCurveOptions extends CurveOptions {
  /** Training sizes: fractions in (0, 1] of the largest training set, or counts (default [0.1, 0.325, 0.55, 0.775, 1]). */
  trainSizes?: readonly number[];
  /** Shuffle each split's training rows before taking the first n (default false). */
  shuffle?: boolean;
  seed?: number | null;
}

/**
 * Training and test scores at each training size.
 * @example const { trainSizes, trainScores, testScores } = await learningCurve(model, X, y, { cv: 5 });
 */
export async function learningCurve(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null = null, options: LearningCurveOptions = {}):
  Promise<{ trainSizes: number[]; trainScores: Float64Array[]; testScores: Float64Array[] }> {
  const where = 'learningCurve';
  const o = checkOptions<Record<string, unknown>>(options, ['cv', 'scoring', 'groups', 'trainSizes', 'shuffle', 'seed', 'nJobs', ...CANCEL_OPTIONS], where) as LearningCurveOptions;
  const cancel = Cancellation.of(o, where);
  checkEstimator(estimator, where);
  const samples = samplesOf(X, y, where);
  let splits = checkCv(o.cv, isClassifier(estimator), where).split(X, samples.labels, o.groups ?? null);
  const { scorers, single, transferable } = scorersOf(o.scoring, where);
  if (!single) throw new ValueError(`${where}: scoring takes one scorer`);
  const nJobs = checkNJobs(o.nJobs, where);
  const largest = splits[0][0].length;
  const given = o.trainSizes ?? [0.1, 0.325, 0.55, 0.775, 1];
  if (!Array.isArray(given) || given.length === 0) throw new ValueError(`${where}: trainSizes must be a non-empty array; received ${describe(given)}`);
  // All in (0, 1]: fractions of the largest training set (NumPy tells them by dtype; here by range).
  const fractions = given.every((v) => typeof v === 'number' && v > 0 && v <= 1);
  const sizes = given.map((v) => {
    if (fractions) return Math.min(largest, Math.max(1, Math.floor(v * largest)));
    if (!Number.isSafeInteger(v) || v < 1 || v > largest) throw new ValueError(`${where}: trainSizes must be fractions in (0, 1] or counts in [1, ${largest}]; received ${describe(v)}`);
    return v;
  });
  const unique = [...new Set(sizes)].sort((a, b) => a - b);
  if (unique.length !== sizes.length) warn('data', `${where}: some trainSizes give the same number of rows; each size is scored once`);
  if (o.shuffle) {
    if (typeof o.shuffle !== 'boolean') throw new ValueError(`${where}: shuffle must be true or false`);
    splits = withGenerator(backend(), nextSeed(o.seed ?? undefined, where), (random) =>
      splits.map(([train, test]) => [Array.from(random.permutation(train.length), (i) => train[i]), test]));
  }
  const tasks = splits.flatMap(([train, test]) => unique.map((n) => ({ train: train.slice(0, n), test })));
  const outcomes = await fitAndScore(estimator, samples, tasks, scorers, { returnTrainScore: true, nJobs, scoring: transferable, cancel });
  return { trainSizes: unique, trainScores: grid(outcomes, unique.length, splits.length, 'train'), testScores: grid(outcomes, unique.length, splits.length, 'test') };
}

export interface ValidationCurveOptions extends CurveOptions {
  /** The parameter to vary (scikit-learn's name: 'svc__C'). */
  paramName: string;
  paramRange: readonly unknown[];
}

/**
 * Training and test scores for each value of one parameter.
 * @example const { trainScores, testScores } = await validationCurve(new SVC(), X, y, { paramName: 'gamma', paramRange: [0.01, 0.1, 1] });
 */
export async function validationCurve(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null, options: ValidationCurveOptions):
  Promise<{ trainScores: Float64Array[]; testScores: Float64Array[] }> {
  const where = 'validationCurve';
  const o = checkOptions<Record<string, unknown>>(options, ['cv', 'scoring', 'groups', 'paramName', 'paramRange', 'nJobs', ...CANCEL_OPTIONS], where) as unknown as ValidationCurveOptions;
  const cancel = Cancellation.of(o, where);
  checkEstimator(estimator, where);
  if (typeof o.paramName !== 'string' || o.paramName === '') throw new ValueError(`${where}: paramName must be a parameter's name; received ${describe(o.paramName)}`);
  if (!Array.isArray(o.paramRange) || o.paramRange.length === 0) throw new ValueError(`${where}: paramRange must be a non-empty array of values; received ${describe(o.paramRange)}`);
  const samples = samplesOf(X, y, where);
  const splits = checkCv(o.cv, isClassifier(estimator), where).split(X, samples.labels, o.groups ?? null);
  const { scorers, single, transferable } = scorersOf(o.scoring, where);
  if (!single) throw new ValueError(`${where}: scoring takes one scorer`);
  const nJobs = checkNJobs(o.nJobs, where);
  const tasks = splits.flatMap(([train, test]) => o.paramRange.map((v) => ({ params: { [o.paramName]: v }, train, test })));
  const outcomes = await fitAndScore(estimator, samples, tasks, scorers, { returnTrainScore: true, nJobs, scoring: transferable, cancel });
  return { trainScores: grid(outcomes, o.paramRange.length, splits.length, 'train'), testScores: grid(outcomes, o.paramRange.length, splits.length, 'test') };
}
