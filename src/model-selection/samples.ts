// What every cross-validation routine does first: X and y checked against each other once, and
// the rows of any split taken from X in the form estimators take (a matrix stays a matrix; tabular
// data is read once and its rows handed on as a column object, names and gaps kept).
import { clone } from '../compose/clone.js';
import { finalEstimator } from '../compose/composite.js';
import { ValueError, describe } from '../errors.js';
import { readTable } from '../tabular/table.js';
import { KFold, StratifiedKFold, countRows, type Splitter } from './splitters.js';

/** X and y as the fits of a cross-validation take them. */
export interface Samples {
  n: number;
  labels: unknown[] | null;
  /** The rows `indices` of X. */
  rows(indices: readonly number[]): unknown;
  /** The labels of `indices` (undefined without y). */
  targets(indices: readonly number[]): unknown[] | undefined;
}

/** Checks X and y once and prepares taking rows of X. */
export function samplesOf(X: unknown, y: ArrayLike<unknown> | null | undefined, where: string): Samples {
  const n = countRows(X, `${where}: X`);
  if (n === 0) throw new ValueError(`${where}: X is empty; it needs samples to split`);
  const labels = y === null || y === undefined ? null : Array.from(y);
  if (labels && labels.length !== n) throw new ValueError(`${where}: y has ${labels.length} values but X has ${n} samples`);
  let rows: (indices: readonly number[]) => unknown;
  const m = X as { data?: ArrayLike<number>; shape?: readonly number[] };
  if (Array.isArray(X)) {
    rows = (indices) => indices.map((i) => X[i]);
  } else if (m && typeof m === 'object' && m.data && Array.isArray(m.shape) && m.shape.length === 2) {
    const cols = m.shape[1], data = m.data;
    rows = (indices) => {
      const out = new Float64Array(indices.length * cols);
      indices.forEach((r, k) => { for (let j = 0; j < cols; j++) out[k * cols + j] = data[r * cols + j]; });
      return { data: out, shape: [indices.length, cols] };
    };
  } else {
    const table = readTable(X, `${where}: X`);
    rows = (indices) => Object.fromEntries(table.columns.map((c) => [c.name, indices.map((i) => c.values[i])]));
  }
  return { n, labels, rows, targets: (indices) => (labels ? indices.map((i) => labels[i]) : undefined) };
}

/** Whether an estimator (a pipeline: its last step; a search: its estimator) is a classifier: it has classes once fitted. */
export function isClassifier(estimator: unknown): boolean {
  const last = finalEstimator(estimator);
  for (let p = Object.getPrototypeOf(last); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, 'classes')?.get) return true;
  }
  return false;
}

/** The splitter cv stands for: a number of folds (StratifiedKFold for a classifier, as scikit-learn chooses, KFold otherwise) or a splitter. */
export function checkCv(cv: unknown, classifier: boolean, where: string): Splitter {
  if (cv === undefined || cv === null || typeof cv === 'number') {
    const nSplits = cv ?? 5;
    return classifier ? new StratifiedKFold({ nSplits }) : new KFold({ nSplits });
  }
  const s = cv as Partial<Splitter>;
  if (s && typeof s.split === 'function' && typeof s.getNSplits === 'function') return cv as Splitter;
  throw new ValueError(`${where}: cv must be a number of folds or a splitter (KFold, StratifiedKFold, GroupKFold, ShuffleSplit, …); received ${describe(cv)}`);
}

/** The estimator checked as something cross-validation can clone and fit. */
export function checkEstimator(estimator: unknown, where: string): void {
  const e = estimator as { fit?: unknown; getParams?: unknown };
  if (!e || typeof e !== 'object' || typeof e.fit !== 'function' || typeof e.getParams !== 'function') {
    throw new ValueError(`${where}: estimator must be an estimator (with fit and getParams); received ${describe(estimator)}`);
  }
  clone(estimator);
}
