// scikit-learn's permutation_importance: how much a fitted estimator's score drops when one
// column's values are shuffled across rows (the link between that feature and the target cut),
// nRepeats times per column; importances = baseline score − shuffled scores.
import { ValueError, describe } from '../errors.js';
import { scorersOf, type Scoring } from '../model-selection/cross-validate.js';
import { countRows } from '../model-selection/splitters.js';
import { withGenerator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import type { Scorable } from '../scoring/scorers.js';
import { nextSeed } from '../seed.js';
import { readTable } from '../tabular/table.js';
import { checkOptions } from '../options.js';

export interface PermutationImportanceOptions {
  /** A scorer (name or function; default the estimator's score) or several. */
  scoring?: Scoring;
  /** Shuffles per column (default 5). */
  nRepeats?: number;
  seed?: number | null;
}

export interface Importances {
  /** Per column, the mean drop over the repeats. */
  importancesMean: Float64Array;
  importancesStd: Float64Array;
  /** Per column, the drop of each repeat. */
  importances: Float64Array[];
}

/** X as columns that can be shuffled one at a time, and X rebuilt in its own form from them. */
function columnsOf(X: unknown, where: string): { columns: unknown[][]; rebuild: (columns: unknown[][]) => unknown } {
  const m = X as { data?: ArrayLike<number>; shape?: readonly number[] };
  if (Array.isArray(X) && X.every((r) => Array.isArray(r))) {
    const width = (X[0] as unknown[]).length;
    return { columns: Array.from({ length: width }, (_, j) => X.map((r) => (r as unknown[])[j])), rebuild: (c) => X.map((_, i) => c.map((col) => col[i])) };
  }
  if (m && typeof m === 'object' && m.data && Array.isArray(m.shape) && m.shape.length === 2) {
    const [rows, cols] = m.shape as number[];
    return {
      columns: Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => m.data![i * cols + j])),
      rebuild: (c) => { const d = new Float64Array(rows * cols); c.forEach((col, j) => col.forEach((v, i) => { d[i * cols + j] = v as number; })); return { data: d, shape: [rows, cols] }; },
    };
  }
  const table = readTable(X, `${where}: X`);
  return { columns: table.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)), rebuild: (c) => Object.fromEntries(table.columns.map((col, j) => [col.name, c[j]])) };
}

/**
 * Permutation importance of each column of X for a fitted estimator: one result, or one per scorer name when several are given.
 * @example const { importancesMean } = await permutationImportance(model, Xtest, yTest, { nRepeats: 10, seed: 0 });
 */
export async function permutationImportance(estimator: unknown, X: unknown, y: ArrayLike<unknown> | null, options: PermutationImportanceOptions = {}): Promise<Importances | Record<string, Importances>> {
  const where = 'permutationImportance';
  const o = checkOptions<Record<string, unknown>>(options, ['scoring', 'nRepeats', 'seed'], where) as PermutationImportanceOptions;
  const e = estimator as Scorable;
  if (!e || typeof e !== 'object' || (typeof e.predict !== 'function' && typeof e.score !== 'function')) throw new ValueError(`${where}: estimator must be a fitted estimator; received ${describe(estimator)}`);
  const nRepeats = o.nRepeats ?? 5;
  if (!Number.isSafeInteger(nRepeats) || nRepeats < 1) throw new ValueError(`${where}: nRepeats must be an integer ≥ 1; received ${describe(o.nRepeats)}`);
  const n = countRows(X, `${where}: X`);
  const labels = y === null || y === undefined ? [] : Array.from(y);
  if (y && labels.length !== n) throw new ValueError(`${where}: y has ${labels.length} values but X has ${n} samples`);
  const { names, scorers, single } = scorersOf(o.scoring, where);
  const score = (data: unknown) => scorers.map((s) => s(e, data, labels));
  const baseline = score(X);
  const { columns, rebuild } = columnsOf(X, where);
  const drops = scorers.map(() => columns.map(() => new Float64Array(nRepeats)));
  withGenerator(backend(), nextSeed(o.seed ?? undefined, where), (random) => {
    columns.forEach((original, j) => {
      const shuffled = columns.slice();
      for (let r = 0; r < nRepeats; r++) {
        const order = random.permutation(n);
        shuffled[j] = Array.from(order, (i) => original[i]);
        score(rebuild(shuffled)).forEach((s, k) => (drops[k][j][r] = baseline[k] - s));
      }
    });
  });
  const summarize = (rows: Float64Array[]): Importances => {
    const mean = Float64Array.from(rows, (r) => r.reduce((a, b) => a + b, 0) / r.length);
    return { importancesMean: mean, importancesStd: Float64Array.from(rows, (r, j) => Math.sqrt(r.reduce((a, b) => a + (b - mean[j]) ** 2, 0) / r.length)), importances: rows };
  };
  return single ? summarize(drops[0]) : Object.fromEntries(names.map((name, k) => [name, summarize(drops[k])]));
}
