// scikit-learn's SimpleImputer: each column's gaps (null, undefined, NaN) filled with a statistic
// learnt by fit — the mean or the median of the column's numbers, its most frequent value (the
// smallest of ties, numbers or strings), or a constant — optionally followed by missing-value
// indicators (scikit-learn's MissingIndicator, features 'missing-only': one 0/1 column for each
// column that had gaps at fit). A column with no value at fit is dropped, as scikit-learn drops it,
// unless the strategy is 'constant'.
import { FormatError, ValueError, describe } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { warn } from '../warnings.js';
import type { Table } from '../tabular/table.js';
import { cells, categoriesOf, type Category } from './categories.js';
import { TabularTransformer, type ColumnsSeen } from './tabular-transformer.js';

export interface SimpleImputerOptions {
  /** 'mean' (default), 'median' (numbers only), 'mostFrequent' or 'constant'. */
  strategy?: 'mean' | 'median' | 'mostFrequent' | 'constant';
  /** The value 'constant' fills with (default 0 for number columns, 'missing_value' for strings). */
  fillValue?: number | string | null;
  /** Append a 0/1 column per column that had gaps at fit (default false). */
  addIndicator?: boolean;
}

interface Fitted extends ColumnsSeen {
  /** Per input column, the value its gaps take (null: the column is dropped, it had no values). */
  statistics: Category[];
  /** Input columns that had gaps at fit (the indicators' columns). */
  indicated: number[];
}

/** Fills each column's gaps with a statistic of the column learnt by fit. */
export class SimpleImputer extends TabularTransformer<SimpleImputerOptions, Fitted> {
  constructor(options?: SimpleImputerOptions) {
    super({
      strategy: rules.oneOf('mean', ['mean', 'median', 'mostFrequent', 'constant'] as const),
      fillValue: rules.custom<number | string | null>(null, 'a finite number, a string or null', (v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))),
      addIndicator: rules.boolean(false),
    } satisfies ParamTable<SimpleImputerOptions>, options, 'SimpleImputer');
  }

  protected learn(table: Table, where: string): Omit<Fitted, keyof ColumnsSeen> {
    const { strategy, fillValue } = this.params;
    const statistics = table.columns.map((column): Category => {
      if (strategy === 'constant') {
        const fill = fillValue ?? (column.kind === 'string' ? 'missing_value' : 0);
        if ((typeof fill === 'string') !== (column.kind === 'string')) {
          throw new ValueError(`${where}: fillValue ${describe(fill)} does not suit column '${column.name}', which holds ${column.kind === 'string' ? 'strings' : 'numbers'}`);
        }
        return fill;
      }
      if (column.kind === 'string' && strategy !== 'mostFrequent') {
        throw new ValueError(`${where}: column '${column.name}' holds strings; strategy '${strategy}' needs numbers (use 'mostFrequent' or 'constant')`);
      }
      const present = cells(column).filter((v) => v !== null);
      if (present.length === 0) return null;
      if (strategy === 'mostFrequent') {
        // The most frequent value, the smallest of ties (categoriesOf sorts them).
        const { categories, counts } = categoriesOf(column);
        let best = -1;
        categories.forEach((c, i) => { if (c !== null && (best < 0 || counts[i] > counts[best])) best = i; });
        return categories[best];
      }
      const numbers = Float64Array.from(present as number[]);
      if (strategy === 'mean') return meanOf(numbers);
      numbers.sort();
      const mid = numbers.length >> 1;
      return numbers.length % 2 ? numbers[mid] : (numbers[mid - 1] + numbers[mid]) / 2;
    });
    const dropped = table.columns.filter((_, j) => statistics[j] === null).map((c) => `'${c.name}'`);
    if (dropped.length) warn('data', `${where}: ${dropped.length > 1 ? 'columns' : 'column'} ${dropped.join(', ')} had no values; dropped from the output, as scikit-learn drops them (strategy 'constant' keeps them)`);
    const indicated = this.params.addIndicator ? table.columns.flatMap((c, j) => (cells(c).some((v) => v === null) ? [j] : [])) : [];
    return { statistics, indicated };
  }

  protected apply(state: Fitted, table: Table, where: string): (number | string)[][] {
    const columns = table.columns.map((c) => cells(c));
    table.columns.forEach((c, j) => {
      const fill = state.statistics[j];
      if (fill !== null && (typeof fill === 'string') !== (c.kind === 'string') && c.values.some((v) => v !== null && !Number.isNaN(v as number))) {
        throw new ValueError(`${where}: column '${c.name}' holds ${c.kind === 'string' ? 'strings' : 'numbers'}, but fit saw ${typeof fill === 'string' ? 'strings' : 'numbers'} there`);
      }
    });
    const kept = state.statistics.flatMap((s, j) => (s === null ? [] : [j]));
    return Array.from({ length: table.rows }, (_, i) => [
      ...kept.map((j) => columns[j][i] ?? (state.statistics[j] as number | string)),
      ...state.indicated.map((j) => (columns[j][i] === null ? 1 : 0)),
    ]);
  }

  protected namesOut(state: Fitted, names: readonly string[]): string[] {
    return [...names.filter((_, j) => state.statistics[j] !== null), ...state.indicated.map((j) => `missingindicator_${names[j]}`)];
  }

  /** Each input column's fill value (null for a column dropped for having no values). */
  get statistics(): (number | string | null)[] {
    return this.fitted('statistics').statistics.slice();
  }

  protected toSaved(state: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    // Finite numbers, strings and null all travel exactly in JSON.
    return { meta: { ...this.seenMeta(state), statistics: state.statistics, indicated: state.indicated }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): SimpleImputer {
    return restoreEstimator((p) => new SimpleImputer(p as SimpleImputerOptions), 'SimpleImputer', source, (meta, _arrays, where) => {
      const bad = (): never => { throw new FormatError(`${where}: the saved imputer is malformed`); };
      const seen = TabularTransformer.seenFrom(meta, bad);
      const statistics = meta.statistics, indicated = meta.indicated;
      if (!Array.isArray(statistics) || statistics.length !== seen.features
        || !statistics.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) bad();
      if (!Array.isArray(indicated) || !indicated.every((j) => Number.isInteger(j) && j >= 0 && j < seen.features)) bad();
      return { ...seen, statistics: statistics as Category[], indicated: indicated as number[] };
    });
  }
}

/** The mean, summed pairwise as NumPy sums (so the last bits agree with scikit-learn's more often). */
function meanOf(values: Float64Array): number {
  const sum = (from: number, to: number): number => {
    if (to - from <= 8) {
      let s = 0;
      for (let i = from; i < to; i++) s += values[i];
      return s;
    }
    const mid = from + ((to - from) >> 1);
    return sum(from, mid) + sum(mid, to);
  };
  return sum(0, values.length) / values.length;
}
