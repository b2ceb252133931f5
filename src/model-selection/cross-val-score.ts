// scikit-learn's cross_val_score: a fresh clone of the estimator fitted on each split's training
// rows and scored on its test rows. cv is a number of folds (StratifiedKFold for a classifier, as
// scikit-learn chooses, KFold otherwise) or a splitter; scoring a scorer's name or a function of
// (fitted estimator, X, y), the estimator's own score by default.
import { clone } from '../compose/pipeline.js';
import { ValueError, describe } from '../errors.js';
import { getScorer, type Scorable, type Scorer } from '../scoring/scorers.js';
import { readTable } from '../tabular/table.js';
import { KFold, StratifiedKFold, countRows, type Splitter } from './splitters.js';

type Fittable = Scorable & { fit(X: unknown, y?: unknown): Promise<unknown> };
export type { Scorer };

/** Whether an estimator (a pipeline: its last step) is a classifier: it has classes once fitted. */
export function isClassifier(estimator: unknown): boolean {
  const last = (estimator as { steps?: [string, unknown][] }).steps ? (estimator as { steps: [string, unknown][] }).steps.at(-1)![1] : estimator;
  for (let p = Object.getPrototypeOf(last); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, 'classes')?.get) return true;
  }
  return false;
}

/** The rows `indices` of X in the form estimators take (matrices stay matrices; tabular data becomes a column object). */
export function takeRows(X: unknown, indices: readonly number[], where: string): unknown {
  if (Array.isArray(X)) return indices.map((i) => X[i]);
  const m = X as { data?: ArrayLike<number> & { constructor: new (n: number) => Float64Array }; shape?: readonly number[] };
  if (m && typeof m === 'object' && m.data && Array.isArray(m.shape) && m.shape.length === 2) {
    const cols = m.shape[1], out = new Float64Array(indices.length * cols);
    indices.forEach((r, k) => { for (let j = 0; j < cols; j++) out[k * cols + j] = m.data![r * cols + j]; });
    return { data: out, shape: [indices.length, cols] };
  }
  const table = readTable(X, where);
  return Object.fromEntries(table.columns.map((c) => [c.name, indices.map((i) => c.values[i])]));
}

export interface CrossValScoreOptions {
  /** Folds (default 5) or a splitter (KFold, StratifiedKFold, GroupKFold, …). */
  cv?: number | Splitter;
  /** A scorer's name ('accuracy', 'r2', 'neg_mean_squared_error') or (estimator, X, y) => number; default the estimator's score. */
  scoring?: string | Scorer;
  /** Group labels, for GroupKFold. */
  groups?: ArrayLike<unknown>;
}

/** The splitter cv stands for. */
export function checkCv(cv: unknown, classifier: boolean, where: string): Splitter {
  if (cv === undefined || typeof cv === 'number') {
    const nSplits = cv ?? 5;
    return classifier ? new StratifiedKFold({ nSplits }) : new KFold({ nSplits });
  }
  const s = cv as Partial<Splitter>;
  if (s && typeof s.split === 'function' && typeof s.getNSplits === 'function') return cv as Splitter;
  throw new ValueError(`${where}: cv must be a number of folds or a splitter (KFold, StratifiedKFold, GroupKFold); received ${describe(cv)}`);
}

/** The labels (when given) checked against X's rows: the samples a search or a cross-validation splits. */
export function checkedLabels(X: unknown, y: ArrayLike<unknown> | null, where: string): { n: number; labels: unknown[] | null } {
  const n = countRows(X, `${where}: X`);
  const labels = y === null ? null : Array.from(y);
  if (labels && labels.length !== n) throw new ValueError(`${where}: y has ${labels.length} values but X has ${n} samples`);
  return { n, labels };
}

/**
 * Each split's score of a clone of `estimator` fitted on its training rows.
 * @example const scores = await crossValScore(makePipeline(new StandardScaler(), new SVC()), X, y, { cv: 5 });
 */
export async function crossValScore(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null = null, options: CrossValScoreOptions = {}): Promise<Float64Array> {
  const where = 'crossValScore';
  for (const k of Object.keys(options)) if (!['cv', 'scoring', 'groups'].includes(k)) throw new ValueError(`${where}: unknown option '${k}'; known options are cv, scoring, groups`);
  const { labels } = checkedLabels(X, y, where);
  const splitter = checkCv(options.cv, isClassifier(estimator), where);
  const scorer = getScorer(options.scoring, where);
  const splits = splitter.split(X, labels, options.groups ?? null);
  const scores = new Float64Array(splits.length);
  for (const [k, [train, test]] of splits.entries()) {
    const e = clone(estimator) as Fittable;
    await e.fit(takeRows(X, train, `${where}: X`), labels ? train.map((i) => labels[i]) : undefined);
    scores[k] = scorer(e, takeRows(X, test, `${where}: X`), labels ? test.map((i) => labels[i]) : []);
  }
  return scores;
}
