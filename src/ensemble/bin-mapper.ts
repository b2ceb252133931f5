// The bins of a histogram booster (scikit-learn's _BinMapper): a numeric feature with at most
// maxBins distinct values gets one bin per value (thresholds at the midpoints); otherwise its
// thresholds are the maxBins-quantiles of its values, NumPy's percentile with method 'midpoint',
// so both give scikit-learn's thresholds bit for bit. The quantiles come from at most 200 000
// sampled rows. A categorical feature's thresholds are its sorted categories. Missing values
// (NaN) are never a threshold: they get the bin after the last, maxBins.
import { ValueError } from '../errors.js';
import { numericThresholds } from '../ops/boosting.js';
import type { Backend } from '../runtime/backend.js';

/** Rows the quantiles are computed from, at most (scikit-learn's subsample). */
export const BIN_SUBSAMPLE = 200_000;

/** Ascending distinct values of sorted (NaN removed). */
function distinct(sorted: Float64Array): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return Float64Array.from(out);
}

/** Column f of X (n×d row-major) at the given rows, NaN removed, sorted. */
function sortedColumn(X: Float64Array, d: number, f: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  let m = 0;
  for (let t = 0; t < rows.length; t++) {
    const v = X[rows[t] * d + f];
    if (v === v) out[m++] = v;
  }
  return out.subarray(0, m).sort();
}

/**
 * A categorical feature's sorted categories over the given rows: integers in [0, maxBins), at
 * most maxBins of them (scikit-learn's checks); name names the column in messages.
 */
export function categoriesOf(X: Float64Array, d: number, f: number, rows: ArrayLike<number>, maxBins: number, where: string, name: string): Float64Array {
  const categories = distinct(sortedColumn(X, d, f, rows));
  const bad = categories.find((v) => !Number.isInteger(v) || v < 0);
  if (bad !== undefined) throw new ValueError(`${where}: categorical feature ${name} must hold integer category codes ≥ 0 (or missing values); received ${bad}`);
  if (categories.length > maxBins) throw new ValueError(`${where}: categorical feature ${name} has ${categories.length} categories; at most maxBins = ${maxBins} are supported`);
  if (categories.length > 0 && categories[categories.length - 1] >= maxBins) {
    throw new ValueError(`${where}: categorical feature ${name} must be encoded with values < maxBins = ${maxBins}; received ${categories[categories.length - 1]}`);
  }
  return categories;
}

/**
 * Every feature's thresholds from the rows `sample` of X (n×d): quantile thresholds for numeric
 * features (computed in WebAssembly, ops/boosting.ts), the given categories for categorical ones.
 */
export function binThresholds(be: Backend, X: Float64Array, d: number, sample: ArrayLike<number>, maxBins: number, categories: (Float64Array | null)[]): Float64Array[] {
  const numeric = numericThresholds(be, X, d, sample, categories.map((c) => c === null), maxBins);
  return categories.map((c, f) => c ?? numeric[f]!);
}
