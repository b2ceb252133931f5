// scikit-learn's OneHotEncoder (dense output): one 0/1 column per category of each column
// (tabular/categories order, a gap seen at fit a category of its own). Infrequent categories
// (fewer than minFrequency rows, or beyond the maxCategories − 1 most frequent) share one column,
// placed last and named '<column>_infrequent_sklearn', as scikit-learn's 1.2 does (its rule: sort
// the counts, stably, and mark the smallest). drop 'first' / 'ifBinary' leaves out a column's first
// category (every column's, or those of two categories); an unseen category is an error, all zeros
// ('ignore'), or the infrequent column where there is one ('infrequentIfExist').
import { FormatError, ValueError, describe } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { Table } from '../tabular/table.js';
import { categoriesOf, categoryName, cells, indexOfCategories, isIntegerColumn, type Category } from './categories.js';
import { savedCategories } from './ordinal-encoder.js';
import { TabularTransformer, type ColumnsSeen } from './tabular-transformer.js';

export interface OneHotEncoderOptions {
  /** 'first', 'ifBinary' (columns of two categories) or null (default: keep every category). */
  drop?: 'first' | 'ifBinary' | null;
  /** 'error' (default), 'ignore' (all zeros) or 'infrequentIfExist' (the infrequent column, where there is one). */
  handleUnknown?: 'error' | 'ignore' | 'infrequentIfExist';
  /** Categories seen fewer times are infrequent: a count (integer ≥ 1) or a fraction of the rows (in (0, 1)). */
  minFrequency?: number | null;
  /** At most this many output columns per input column, the infrequent one included (integer ≥ 1). */
  maxCategories?: number | null;
}

interface Fitted extends ColumnsSeen {
  categories: Category[][];
  /** Per column, the indices of its infrequent categories (empty: none). */
  infrequent: number[][];
  /** Per column, the output column each category goes to (−1: dropped), and how many output columns it has. */
  outputOf: number[][];
  widths: number[];
  /** Per column, the output column of the infrequent categories (−1: none or dropped). */
  infrequentOutput: number[];
  /** Whether each column was integers without gaps (feature names as pandas' int64). */
  integer: boolean[];
}

/** One 0/1 column per category of each column. */
export class OneHotEncoder extends TabularTransformer<OneHotEncoderOptions, Fitted> {
  constructor(options?: OneHotEncoderOptions) {
    super({
      drop: rules.custom<'first' | 'ifBinary' | null>(null, "'first', 'ifBinary' or null", (v) => v === null || v === 'first' || v === 'ifBinary'),
      handleUnknown: rules.oneOf('error', ['error', 'ignore', 'infrequentIfExist'] as const),
      minFrequency: rules.custom<number | null>(null, 'an integer ≥ 1, a fraction in (0, 1), or null',
        (v) => v === null || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v < 1)))),
      maxCategories: rules.custom<number | null>(null, 'an integer ≥ 1 or null', (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 1)),
    } satisfies ParamTable<OneHotEncoderOptions>, options, 'OneHotEncoder');
  }

  protected learn(table: Table): Omit<Fitted, keyof ColumnsSeen> {
    const { minFrequency, maxCategories, drop } = this.params;
    const categories: Category[][] = [], infrequent: number[][] = [], outputOf: number[][] = [], widths: number[] = [], infrequentOutput: number[] = [];
    for (const column of table.columns) {
      const found = categoriesOf(column);
      categories.push(found.categories);
      infrequent.push(infrequentOf(found.counts, table.rows, minFrequency, maxCategories));
      const layout = layoutOf(found.categories.length, infrequent[infrequent.length - 1], drop);
      outputOf.push(layout.outputOf);
      widths.push(layout.width);
      infrequentOutput.push(layout.infrequentOutput);
    }
    return { categories, infrequent, outputOf, widths, infrequentOutput, integer: table.columns.map(isIntegerColumn) };
  }

  protected apply(state: Fitted, table: Table, where: string): number[][] {
    const { handleUnknown } = this.params;
    const total = state.widths.reduce((a, b) => a + b, 0);
    const out = Array.from({ length: table.rows }, () => new Array<number>(total).fill(0));
    let offset = 0;
    table.columns.forEach((column, j) => {
      const index = indexOfCategories(state.categories[j]);
      cells(column).forEach((v, i) => {
        const k = index.get(v);
        let target: number;
        if (k !== undefined) target = state.outputOf[j][k];
        else if (handleUnknown === 'error') {
          throw new ValueError(`${where}: column '${column.name}', row ${i}, holds ${v === null ? 'a gap' : describe(v)}, a category fit did not see (handleUnknown 'ignore' encodes them as zeros)`);
        } else target = handleUnknown === 'infrequentIfExist' ? state.infrequentOutput[j] : -1;
        if (target >= 0) out[i][offset + target] = 1;
      });
      offset += state.widths[j];
    });
    return out;
  }

  protected namesOut(state: Fitted, names: readonly string[]): string[] {
    return names.flatMap((name, j) => {
      const list = new Array<string>(state.widths[j]);
      state.categories[j].forEach((c, k) => {
        const at = state.outputOf[j][k];
        if (at >= 0 && !state.infrequent[j].includes(k)) list[at] = `${name}_${categoryName(c, state.integer[j])}`;
      });
      if (state.infrequentOutput[j] >= 0) list[state.infrequentOutput[j]] = `${name}_infrequent_sklearn`;
      return list;
    });
  }

  /** Each column's categories (a gap, null, last when fit saw one). */
  get categories(): (number | string | null)[][] {
    return this.fitted('categories').categories.map((c) => c.slice());
  }

  /** Each column's infrequent categories (null for a column without any), as scikit-learn's infrequent_categories_. */
  get infrequentCategories(): ((number | string | null)[] | null)[] {
    const f = this.fitted('infrequentCategories');
    return f.infrequent.map((list, j) => (list.length ? list.map((k) => f.categories[j][k]) : null));
  }

  protected toSaved(state: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return { meta: { ...this.seenMeta(state), categories: state.categories, infrequent: state.infrequent, integer: state.integer, drop: this.params.drop }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): OneHotEncoder {
    return restoreEstimator((p) => new OneHotEncoder(p as OneHotEncoderOptions), 'OneHotEncoder', source, (meta, _arrays, where) => {
      const bad = (): never => { throw new FormatError(`${where}: the saved encoder is malformed`); };
      const seen = TabularTransformer.seenFrom(meta, bad);
      const categories = savedCategories(meta.categories, seen.features, bad);
      const infrequent = meta.infrequent, integer = meta.integer;
      if (!Array.isArray(infrequent) || infrequent.length !== seen.features || !Array.isArray(integer) || integer.length !== seen.features || !integer.every((b) => typeof b === 'boolean')) bad();
      (infrequent as unknown[]).forEach((list, j) => {
        if (!Array.isArray(list) || !list.every((k, i) => Number.isInteger(k) && k >= 0 && k < categories[j].length && (i === 0 || k > list[i - 1]))) bad();
      });
      const drop = meta.drop;
      if (drop !== null && drop !== 'first' && drop !== 'ifBinary') bad();
      const layouts = categories.map((c, j) => layoutOf(c.length, (infrequent as number[][])[j], drop as 'first' | 'ifBinary' | null));
      return {
        ...seen, categories, infrequent: infrequent as number[][], integer: integer as boolean[],
        outputOf: layouts.map((l) => l.outputOf), widths: layouts.map((l) => l.width), infrequentOutput: layouts.map((l) => l.infrequentOutput),
      };
    });
  }
}

/** scikit-learn 1.2's infrequent categories of one column, from its categories' counts (in category order). */
function infrequentOf(counts: readonly number[], rows: number, minFrequency: number | null, maxCategories: number | null): number[] {
  const mask = counts.map((c) => (minFrequency === null ? false : minFrequency >= 1 ? c < minFrequency : c < minFrequency * rows));
  const current = counts.length - mask.filter(Boolean).length + 1;
  if (maxCategories !== null && maxCategories < current) {
    // The smallest counts, a stable sort (ties in category order), all but the maxCategories − 1 largest.
    const order = counts.map((c, i) => [c, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((p) => p[1]);
    for (const i of order.slice(0, Math.max(0, counts.length - maxCategories + 1))) mask[i] = true;
  }
  return mask.flatMap((m, i) => (m ? [i] : []));
}

/**
 * Where each category of a column goes: frequent categories in order, then the infrequent column;
 * the dropped one (the first category, or the infrequent column when the first category is
 * infrequent, as scikit-learn maps it) goes nowhere (−1).
 */
function layoutOf(count: number, infrequent: readonly number[], drop: 'first' | 'ifBinary' | null): { outputOf: number[]; width: number; infrequentOutput: number } {
  const frequent = Array.from({ length: count }, (_, k) => k).filter((k) => !infrequent.includes(k));
  const slots = frequent.length + (infrequent.length ? 1 : 0);
  const dropFirst = drop === 'first' || (drop === 'ifBinary' && slots === 2);
  // The slot dropped: the first category's (the infrequent slot when it is infrequent).
  const droppedSlot = !dropFirst ? -1 : infrequent.includes(0) ? frequent.length : 0;
  const slotOf = (slot: number) => (slot === droppedSlot ? -1 : droppedSlot >= 0 && slot > droppedSlot ? slot - 1 : slot);
  const outputOf = new Array<number>(count);
  frequent.forEach((k, s) => (outputOf[k] = slotOf(s)));
  const infrequentOutput = infrequent.length ? slotOf(frequent.length) : -1;
  for (const k of infrequent) outputOf[k] = infrequentOutput;
  return { outputOf, width: slots - (droppedSlot >= 0 ? 1 : 0), infrequentOutput };
}
