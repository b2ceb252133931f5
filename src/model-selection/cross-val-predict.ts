// scikit-learn's cross_val_predict: each sample's prediction from the clone fitted without it —
// the splits must form a partition (each sample in exactly one test fold). Probabilities and
// decision values keep the classes of all of y: a class a fold's training rows lack gets
// probability 0 there (scikit-learn's rule).
import { ValueError, describe } from '../errors.js';
import { sortLabels } from '../matrix.js';
import type { Label } from '../scoring/targets.js';
import { checkNJobs, fitAndScore, type PredictMethod } from './fit-and-score.js';
import { checkCv, checkEstimator, isClassifier, samplesOf } from './samples.js';
import type { Splitter } from './splitters.js';
import { CANCEL_OPTIONS, Cancellation, type CancelOptions } from '../cancel.js';
import { checkOptions } from '../options.js';

export interface CrossValPredictOptions extends CancelOptions {
  cv?: number | Splitter;
  groups?: ArrayLike<unknown>;
  /** The method that predicts (default 'predict'). */
  method?: PredictMethod;
  /** Fit the splits side by side on this many workers (−1: one per core; default 1). */
  nJobs?: number;
}

/**
 * Out-of-fold predictions, in the order of X's rows.
 * @example const yHat = await crossValPredict(model, X, y, { cv: 5 }); confusionMatrix(y, yHat);
 */
export async function crossValPredict(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null = null, options: CrossValPredictOptions = {}): Promise<unknown[]> {
  const where = 'crossValPredict';
  const o = checkOptions<Record<string, unknown>>(options, ['cv', 'groups', 'method', 'nJobs', ...CANCEL_OPTIONS], where) as CrossValPredictOptions;
  const cancel = Cancellation.of(o, where);
  const method = o.method ?? 'predict';
  if (!['predict', 'predictProba', 'decisionFunction'].includes(method)) throw new ValueError(`${where}: method must be 'predict', 'predictProba' or 'decisionFunction'; received ${describe(method)}`);
  checkEstimator(estimator, where);
  const samples = samplesOf(X, y, where);
  const splits = checkCv(o.cv, isClassifier(estimator), where).split(X, samples.labels, o.groups ?? null);
  const seen = new Int32Array(samples.n);
  for (const [, test] of splits) for (const i of test) seen[i]++;
  if (seen.some((c) => c !== 1)) throw new ValueError(`${where}: the splits must put each sample in exactly one test fold (KFold, StratifiedKFold, GroupKFold); sample ${seen.findIndex((c) => c !== 1)} is in ${seen[seen.findIndex((c) => c !== 1)]}`);
  // The classes of all of y, for columns of probabilities or decision values.
  const classes = method !== 'predict' && samples.labels ? sortLabels([...new Set(samples.labels as Label[])]) : null;
  const out = new Array<unknown>(samples.n);
  const outcomes = await fitAndScore(estimator, samples, splits.map(([train, test]) => ({ train, test })), [], { predict: method, nJobs: checkNJobs(o.nJobs, where), scoring: [], cancel });
  outcomes.forEach(({ predictions, classes: own }, k) => {
    splits[k][1].forEach((row, i) => {
      let v = predictions![i];
      if (classes && own && Array.isArray(v) && own.length !== classes.length && v.length === own.length) {
        // Spread the fold's columns over all classes; the missing ones 0 (probabilities) or the lowest float (decisions), as scikit-learn.
        const full = new Array<number>(classes.length).fill(method === 'predictProba' ? 0 : -Number.MAX_VALUE);
        own.forEach((c, j) => { full[classes.indexOf(c as Label)] = (v as number[])[j]; });
        v = full;
      }
      out[row] = v;
    });
  });
  return out;
}
