// scikit-learn's OrdinalEncoder: each column's categories (tabular/categories order) numbered 0, 1,
// …; a gap seen at fit is a category of its own (listed last) encoded as encodedMissingValue (NaN by
// default); a category fit did not see is an error, or unknownValue with handleUnknown
// 'useEncodedValue'.
import { FormatError, ValueError, describe } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { Table } from '../tabular/table.js';
import { categoriesOf, cells, compareCategories, indexOfCategories, type Category } from './categories.js';
import { TabularTransformer, type ColumnsSeen } from './tabular-transformer.js';

export interface OrdinalEncoderOptions {
  /** 'auto' (the categories fit finds, the default) or each column's categories. */
  categories?: 'auto' | (number | string)[][];
  /** 'error' (default) or 'useEncodedValue': an unseen category becomes unknownValue. */
  handleUnknown?: 'error' | 'useEncodedValue';
  /** The code of an unseen category with handleUnknown 'useEncodedValue' (an integer or NaN). */
  unknownValue?: number | null;
  /** The code of a gap (default NaN). */
  encodedMissingValue?: number;
}

interface Fitted extends ColumnsSeen {
  /** Per column, its categories in order (the gap, null, last when fit saw one). */
  categories: Category[][];
}

const codeRule = (v: unknown) => typeof v === 'number' && (Number.isInteger(v) || Number.isNaN(v));

/** Encodes each column's categories as 0, 1, …. */
export class OrdinalEncoder extends TabularTransformer<OrdinalEncoderOptions, Fitted> {
  constructor(options?: OrdinalEncoderOptions) {
    super({
      categories: rules.custom<'auto' | (number | string)[][]>('auto', "'auto' or an array of each column's categories",
        (v) => v === 'auto' || (Array.isArray(v) && v.every((c) => Array.isArray(c) && c.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))))),
      handleUnknown: rules.oneOf('error', ['error', 'useEncodedValue'] as const),
      unknownValue: rules.custom<number | null>(null, 'an integer or NaN', (v) => v === null || codeRule(v)),
      encodedMissingValue: rules.custom(Number.NaN, 'an integer or NaN', codeRule),
    } satisfies ParamTable<OrdinalEncoderOptions>, options, 'OrdinalEncoder');
  }

  protected learn(table: Table, where: string): Omit<Fitted, keyof ColumnsSeen> {
    const { handleUnknown, unknownValue, categories: given } = this.params;
    const fit = `${this.estimatorName}.fit`;
    if (handleUnknown === 'useEncodedValue' && unknownValue === null) {
      throw new ValueError(`${fit}: unknownValue must be set (an integer or NaN) when handleUnknown is 'useEncodedValue'`);
    }
    if (given !== 'auto' && given.length !== table.columns.length) {
      throw new ValueError(`${fit}: categories lists ${given.length} columns' categories; X has ${table.columns.length} columns`);
    }
    const categories = table.columns.map((column, j) => {
      const found = categoriesOf(column).categories;
      if (given === 'auto') return found;
      const listed: Category[] = [...given[j]].sort(compareCategories);
      const unseen = found.filter((c) => c !== null && !listed.includes(c));
      if (unseen.length) throw new ValueError(`${where}: column '${column.name}' holds ${describe(unseen[0])}, which is not among the given categories`);
      return found.includes(null) ? [...listed, null] : listed;
    });
    if (handleUnknown === 'useEncodedValue' && Number.isInteger(unknownValue)) {
      const clash = categories.findIndex((c) => (unknownValue as number) >= 0 && (unknownValue as number) < c.filter((x) => x !== null).length);
      if (clash >= 0) throw new ValueError(`${fit}: unknownValue ${unknownValue} is also the code of a category of column ${clash}; use a value outside [0, ${categories[clash].length})`);
    }
    return { categories };
  }

  protected apply(state: Fitted, table: Table, where: string): number[][] {
    const { handleUnknown, unknownValue, encodedMissingValue } = this.params;
    const codes = table.columns.map((column, j) => {
      const index = indexOfCategories(state.categories[j]);
      return cells(column).map((v, i) => {
        if (v === null && index.has(null)) return encodedMissingValue;
        const code = index.get(v);
        if (code !== undefined) return code;
        if (handleUnknown === 'useEncodedValue') return unknownValue as number;
        throw new ValueError(`${where}: column '${column.name}', row ${i}, holds ${v === null ? 'a gap' : describe(v)}, a category fit did not see (handleUnknown 'useEncodedValue' codes them as unknownValue)`);
      });
    });
    return Array.from({ length: table.rows }, (_, i) => codes.map((c) => c[i]));
  }

  protected namesOut(_state: Fitted, names: readonly string[]): string[] {
    return [...names];
  }

  /** Each column's categories, in code order (a gap, null, last when fit saw one). */
  get categories(): (number | string | null)[][] {
    return this.fitted('categories').categories.map((c) => c.slice());
  }

  protected toSaved(state: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return { meta: { ...this.seenMeta(state), categories: state.categories }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): OrdinalEncoder {
    // JSON keeps NaN as null: the codes that were NaN come back as NaN (a fitted 'useEncodedValue' always had an unknownValue).
    const make = (p: Record<string, unknown>) => new OrdinalEncoder({
      ...p, encodedMissingValue: p.encodedMissingValue ?? Number.NaN, unknownValue: p.unknownValue ?? (p.handleUnknown === 'useEncodedValue' ? Number.NaN : null),
    } as OrdinalEncoderOptions);
    return restoreEstimator(make, 'OrdinalEncoder', source, (meta, _arrays, where) => {
      const bad = (): never => { throw new FormatError(`${where}: the saved encoder is malformed`); };
      const seen = TabularTransformer.seenFrom(meta, bad);
      return { ...seen, categories: savedCategories(meta.categories, seen.features, bad) };
    });
  }
}

/** Saved categories checked: per column, distinct numbers or strings, null at most once and last. */
export function savedCategories(value: unknown, features: number, bad: () => never): Category[][] {
  if (!Array.isArray(value) || value.length !== features) bad();
  return (value as unknown[]).map((list) => {
    if (!Array.isArray(list) || list.length === 0) bad();
    const l = list as unknown[];
    if (!l.every((c, i) => (c === null ? i === l.length - 1 : typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c))))) bad();
    if (new Set(l).size !== l.length) bad();
    return l as Category[];
  });
}
