// scikit-learn's ColumnTransformer: each named transformer fitted on the columns it selects (by
// name, index, boolean mask, or a selector such as makeColumnSelector's), their outputs side by
// side in order, then the columns no transformer took (remainder: dropped, passed through, or given
// to a transformer of their own). Each transformer receives its columns as a column object, so
// names and gaps reach it as they were. Output names are '<transformer>__<name>'
// (verboseFeatureNamesOut), the remainder's 'remainder__<column>'.
import { residentBytes } from '../resident-bytes.js';
import { FormatError, NotFittedError, ValueError, describe } from '../errors.js';
import { estimatorToBytes } from '../io/estimator-bytes.js';
import { checkColumns, namesOf, readTable, type Table, type TableColumn } from '../tabular/table.js';
import { className, has, namesFor, nestedParams, packParts, readComposite, saveComposite, setNestedParams, unpackParts, type StepEstimator } from './composite.js';

/** Which columns: a name, names, indices, a boolean mask, or a function of the table's columns giving names or indices. */
export type ColumnSelection = string | number | readonly string[] | readonly number[] | readonly boolean[] | ColumnSelector;

/** A selector as makeColumnSelector makes it: from the columns (name and kind), the names it takes. */
export type ColumnSelector = (columns: readonly { name: string; kind: 'number' | 'string' }[]) => string[];

export type Transformer = StepEstimator | 'drop' | 'passthrough';

export interface ColumnTransformerOptions {
  /** [name, transformer ('drop', 'passthrough' or an estimator with transform), columns] triples. */
  transformers: [string, Transformer, ColumnSelection][];
  /** The columns no transformer takes: 'drop' (default), 'passthrough', or a transformer. */
  remainder?: Transformer;
  /** Prefix output names with the transformer's name (default true). */
  verboseFeatureNamesOut?: boolean;
}

interface Fitted {
  /** Per transformer (the remainder last, when it takes columns), the indices of its columns. */
  columns: number[][];
  /** The transformers as fitted (null for 'drop' and 'passthrough'). */
  parts: (StepEstimator | null)[];
  namesIn?: string[];
  features: number;
  /** Output names per part (for getFeatureNamesOut), computed at fit. */
}

function checkTransformer(t: unknown, name: string, where: string): Transformer {
  if (t === 'drop' || t === 'passthrough') return t;
  if (!has(t, 'fit') || !has(t, 'transform')) throw new ValueError(`${where}: '${name}' must be a transformer (with fit and transform), 'drop' or 'passthrough'; received ${describe(t)}`);
  return t as StepEstimator;
}

/** The column indices a selection takes from a table. */
function resolve(selection: ColumnSelection, table: Table, name: string, where: string): number[] {
  const names = table.columns.map((c) => c.name);
  const byName = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new ValueError(`${where}: '${name}' selects column '${n}', which X does not have (its columns: ${names.join(', ')})`);
    return i;
  };
  const byIndex = (i: number) => {
    const k = i < 0 ? names.length + i : i;
    if (!Number.isInteger(i) || k < 0 || k >= names.length) throw new ValueError(`${where}: '${name}' selects column ${i}, outside X's ${names.length} columns`);
    return k;
  };
  if (typeof selection === 'function') {
    const picked = selection(table.columns.map((c) => ({ name: c.name, kind: c.kind })));
    if (!Array.isArray(picked)) throw new ValueError(`${where}: the selector of '${name}' must return column names; it returned ${describe(picked)}`);
    return picked.map((p) => (typeof p === 'number' ? byIndex(p) : byName(p)));
  }
  if (typeof selection === 'string') return [byName(selection)];
  if (typeof selection === 'number') return [byIndex(selection)];
  if (!Array.isArray(selection)) throw new ValueError(`${where}: the columns of '${name}' must be names, indices, a boolean mask or a selector; received ${describe(selection)}`);
  if (selection.every((s) => typeof s === 'boolean')) {
    if (selection.length !== names.length) throw new ValueError(`${where}: the boolean mask of '${name}' has ${selection.length} values; X has ${names.length} columns`);
    return (selection as boolean[]).flatMap((b, i) => (b ? [i] : []));
  }
  if (selection.every((s) => typeof s === 'string')) return (selection as string[]).map(byName);
  if (selection.every((s) => typeof s === 'number')) return (selection as number[]).map(byIndex);
  throw new ValueError(`${where}: the columns of '${name}' mix kinds; give names, indices or a boolean mask; received ${describe(selection)}`);
}

/** The chosen columns as a column object (names and gaps kept). */
function subTable(table: Table, columns: readonly number[]): Record<string, Float64Array | (string | null)[]> {
  return Object.fromEntries(columns.map((j) => [table.columns[j].name, table.columns[j].values]));
}

/** A column's values as output cells (gaps as NaN, or null in a string column). */
const cellsOf = (c: TableColumn, i: number): number | string => (c.kind === 'string' ? (c.values[i] ?? Number.NaN) : c.values[i]);

/** Applies transformers to chosen columns and puts their outputs side by side. */
export class ColumnTransformer {
  private options: Required<ColumnTransformerOptions>;
  private state: Fitted | undefined;

  /** Bytes the fitted transformers keep; 0 before fit. */
  get memoryBytes(): number {
    return residentBytes(this.state);
  }

  constructor(options: ColumnTransformerOptions) {
    this.options = ColumnTransformer.checked(options, 'ColumnTransformer');
  }

  private static checked(options: unknown, where: string): Required<ColumnTransformerOptions> {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(`${where}: options must be { transformers, remainder?, verboseFeatureNamesOut? }; received ${describe(options)}`);
    const o = options as Partial<ColumnTransformerOptions>;
    const unknown = Object.keys(o).filter((k) => !['transformers', 'remainder', 'verboseFeatureNamesOut'].includes(k));
    if (unknown.length) throw new ValueError(`${where}: unknown option '${unknown[0]}'; known options are transformers, remainder, verboseFeatureNamesOut`);
    if (!Array.isArray(o.transformers)) throw new ValueError(`${where}: transformers must be an array of [name, transformer, columns] triples; received ${describe(o.transformers)}`);
    const seen = new Set<string>();
    const transformers = o.transformers.map((t, i): [string, Transformer, ColumnSelection] => {
      if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string' || t[0] === '') throw new ValueError(`${where}: transformers[${i}] must be a [name, transformer, columns] triple; received ${describe(t)}`);
      const [name, transformer, columns] = t;
      if (name.includes('__')) throw new ValueError(`${where}: transformer name '${name}' contains '__', which separates a name from its parameters`);
      if (name === 'remainder' || seen.has(name)) throw new ValueError(`${where}: ${name === 'remainder' ? "'remainder' is reserved for the remainder" : `two transformers are named '${name}'`}`);
      seen.add(name);
      return [name, checkTransformer(transformer, name, where), columns];
    });
    const remainder = checkTransformer(o.remainder ?? 'drop', 'remainder', where);
    const verbose = o.verboseFeatureNamesOut ?? true;
    if (typeof verbose !== 'boolean') throw new ValueError(`${where}: verboseFeatureNamesOut must be true or false; received ${describe(verbose)}`);
    return { transformers, remainder, verboseFeatureNamesOut: verbose };
  }

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  private fitted(what: string): Fitted {
    if (!this.state) throw new NotFittedError(`ColumnTransformer.${what} is not available before fit; call fit(X) first`);
    return this.state;
  }

  /** The transformers and the remainder as [name, transformer, column indices] (the remainder only when it takes columns). */
  private plan(table: Table, where: string): { name: string; transformer: Transformer; columns: number[] }[] {
    const taken = new Set<number>();
    const list = this.options.transformers.map(([name, transformer, selection]) => {
      const columns = resolve(selection, table, name, where);
      columns.forEach((c) => taken.add(c));
      return { name, transformer, columns };
    });
    const rest = table.columns.map((_, j) => j).filter((j) => !taken.has(j));
    if (rest.length && this.options.remainder !== 'drop') list.push({ name: 'remainder', transformer: this.options.remainder, columns: rest });
    return list;
  }

  async fit(X: unknown, y?: unknown): Promise<this> {
    await this.fitTransform(X, y);
    return this;
  }

  async fitTransform(X: unknown, y?: unknown): Promise<(number | string)[][]> {
    const where = 'ColumnTransformer.fit: X';
    const table = readTable(X, where);
    const plan = this.plan(table, where);
    const parts: (StepEstimator | null)[] = [];
    const outputs: (number | string)[][][] = [];
    for (const { transformer, columns } of plan) {
      if (transformer === 'drop' || transformer === 'passthrough' || columns.length === 0) {
        parts.push(null);
        outputs.push(transformer === 'passthrough' ? this.passed(table, columns) : []);
        continue;
      }
      const t = transformer as StepEstimator & { fitTransform?: (x: unknown, y?: unknown) => Promise<unknown>; transform(x: unknown): unknown };
      const sub = subTable(table, columns);
      const out = has(t, 'fitTransform') ? await t.fitTransform!(sub, y) : (await t.fit(sub, y), t.transform(sub));
      parts.push(t);
      outputs.push(out as (number | string)[][]);
    }
    this.state = { columns: plan.map((p) => p.columns), parts, namesIn: namesOf(table), features: table.columns.length };
    this.planNames = plan.map((p) => [p.name, p.transformer]);
    return this.stack(outputs, table.rows);
  }

  /** Names and transformers of the fitted plan (the remainder included when it took columns). */
  private planNames: [string, Transformer][] = [];

  transform(X: unknown): (number | string)[][] {
    const where = 'ColumnTransformer.transform: X';
    const f = this.fitted('transform');
    const table = readTable(X, where);
    checkColumns(table, f.namesIn, f.features, where);
    // A matrix after named data is taken by position: its columns take fit's names, which the transformers saw.
    if (!table.named && f.namesIn) table.columns.forEach((c, j) => (c.name = f.namesIn![j]));
    const outputs = this.planNames.map(([, transformer], k) => {
      const part = f.parts[k];
      if (part) return (part as unknown as { transform(x: unknown): (number | string)[][] }).transform(subTable(table, f.columns[k]));
      return transformer === 'passthrough' ? this.passed(table, f.columns[k]) : [];
    });
    return this.stack(outputs, table.rows);
  }

  private passed(table: Table, columns: readonly number[]): (number | string)[][] {
    return Array.from({ length: table.rows }, (_, i) => columns.map((j) => cellsOf(table.columns[j], i)));
  }

  private stack(outputs: (number | string)[][][], rows: number): (number | string)[][] {
    return Array.from({ length: rows }, (_, i) => outputs.flatMap((o) => o[i] ?? []));
  }

  get featureNamesIn(): string[] | undefined {
    return this.fitted('featureNamesIn').namesIn?.slice();
  }

  /** The output columns' names: '<transformer>__<name>' (or the names alone without verboseFeatureNamesOut). */
  getFeatureNamesOut(): string[] {
    const f = this.fitted('getFeatureNamesOut');
    const inputNames = f.namesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
    return this.planNames.flatMap(([name, transformer], k) => {
      const cols = f.columns[k].map((j) => inputNames[j]);
      let names: string[];
      const part = f.parts[k];
      if (part) {
        if (!has(part, 'getFeatureNamesOut')) throw new ValueError(`ColumnTransformer.getFeatureNamesOut: '${name}' (${className(part)}) does not name its outputs`);
        names = (part as unknown as { getFeatureNamesOut(n?: string[]): string[] }).getFeatureNamesOut(cols);
      } else names = transformer === 'passthrough' ? cols : [];
      return this.options.verboseFeatureNamesOut ? names.map((n) => `${name}__${n}`) : names;
    });
  }

  /** The fitted transformers by name (scikit-learn's named_transformers_). */
  get namedTransformers(): Record<string, StepEstimator | 'drop' | 'passthrough'> {
    const f = this.fitted('namedTransformers');
    return Object.fromEntries(this.planNames.map(([name, t], k) => [name, f.parts[k] ?? (t as 'drop' | 'passthrough')]));
  }

  getParams(options: { deep?: boolean } = {}): Record<string, unknown> {
    const own = { transformers: this.options.transformers.map((t) => [...t]), remainder: this.options.remainder, verboseFeatureNamesOut: this.options.verboseFeatureNamesOut };
    return options.deep === false ? own : { ...own, ...nestedParams(this.options.transformers.map(([n, t]) => [n, t])) };
  }

  setParams(params: Record<string, unknown>): this {
    const own = ['transformers', 'remainder', 'verboseFeatureNamesOut'];
    if (params !== null && typeof params === 'object' && own.some((k) => k in params)) {
      this.options = ColumnTransformer.checked({ ...this.options, ...Object.fromEntries(own.filter((k) => k in params).map((k) => [k, params[k]])) }, 'ColumnTransformer.setParams');
    }
    const names = this.options.transformers.map(([n]) => n);
    setNestedParams(params, names, (name) => this.options.transformers.find(([n]) => n === name)![1],
      (name, value) => {
        this.options = ColumnTransformer.checked({ ...this.options, transformers: this.options.transformers.map(([n, t, c]) => [n, n === name ? value : t, c]) }, 'ColumnTransformer.setParams');
      }, 'ColumnTransformer.setParams', own);
    return this;
  }

  toBytes(): Uint8Array {
    const f = this.fitted('toBytes');
    const names = this.planNames.map(([n]) => n);
    const { lengths, arrays } = packParts(f.parts, names, 'ColumnTransformer.toBytes');
    const kinds = this.planNames.map(([, t]) => (t === 'drop' || t === 'passthrough' ? t : 'fitted'));
    return estimatorToBytes({
      className: 'ColumnTransformer', params: { verboseFeatureNamesOut: this.options.verboseFeatureNamesOut },
      meta: { names, kinds, lengths, columns: f.columns, namesIn: f.namesIn ?? null, features: f.features }, arrays,
    });
  }

  async save(path?: string): Promise<Uint8Array> {
    return saveComposite(this.toBytes(), path, 'ColumnTransformer');
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): ColumnTransformer {
    const saved = readComposite(source, 'ColumnTransformer');
    const where = 'ColumnTransformer.fromBytes';
    const bad = (): never => { throw new FormatError(`${where}: the saved column transformer is malformed`); };
    const { names, kinds, lengths, columns, namesIn, features } = saved.meta as Record<string, unknown>;
    if (!Number.isInteger(features) || (features as number) < 1) bad();
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string') || !Array.isArray(kinds) || kinds.length !== names.length) bad();
    if (!Array.isArray(columns) || columns.length !== (names as string[]).length || !columns.every((c: unknown) => Array.isArray(c) && c.every((j) => Number.isInteger(j) && j >= 0 && j < (features as number)))) bad();
    if (namesIn !== null && !(Array.isArray(namesIn) && namesIn.length === features && namesIn.every((n) => typeof n === 'string'))) bad();
    const parts = unpackParts(lengths, names as string[], saved.arrays, where);
    const plan = (names as string[]).map((n, k): [string, Transformer] => {
      const kind = (kinds as unknown[])[k];
      if (kind === 'drop' || kind === 'passthrough') return parts[k] === null ? [n, kind] : bad();
      return kind === 'fitted' && parts[k] ? [n, parts[k]!] : bad();
    });
    const verbose = saved.params.verboseFeatureNamesOut;
    if (typeof verbose !== 'boolean') bad();
    // The options it was made with are not needed to transform: the fitted plan is.
    const ct = new ColumnTransformer({ transformers: plan.filter(([n]) => n !== 'remainder').map(([n, t], k) => [n, t, (columns as number[][])[k]]), verboseFeatureNamesOut: verbose as boolean });
    ct.state = { columns: columns as number[][], parts, namesIn: (namesIn as string[] | null) ?? undefined, features: features as number };
    ct.planNames = plan;
    return ct;
  }
}

/** scikit-learn's make_column_transformer: [transformer, columns] pairs, named after their classes. */
export function makeColumnTransformer(...args: ([Transformer, ColumnSelection] | { remainder?: Transformer; verboseFeatureNamesOut?: boolean })[]): ColumnTransformer {
  const last = args[args.length - 1];
  const options = last && !Array.isArray(last) ? (args.pop() as { remainder?: Transformer; verboseFeatureNamesOut?: boolean }) : {};
  const pairs = args as [Transformer, ColumnSelection][];
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) throw new ValueError(`makeColumnTransformer: argument ${i} must be a [transformer, columns] pair; received ${describe(p)}`);
  });
  const names = namesFor(pairs.map(([t]) => t));
  return new ColumnTransformer({ transformers: pairs.map(([t, c], i) => [names[i], t, c]), ...options });
}

export interface ColumnSelectorOptions {
  /** Take columns of these kinds: 'number' / 'string' (scikit-learn's dtype_include; 'object' and 'category' mean 'string'). */
  dtypeInclude?: string | string[];
  /** Leave out columns of these kinds. */
  dtypeExclude?: string | string[];
  /** Take columns whose name matches this regular expression (searched, as scikit-learn's pattern). */
  pattern?: string | RegExp;
}

/** scikit-learn's make_column_selector: columns chosen by kind and name pattern when the data arrives. */
export function makeColumnSelector(options: ColumnSelectorOptions = {}): ColumnSelector {
  const known = ['dtypeInclude', 'dtypeExclude', 'pattern'];
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new ValueError(`makeColumnSelector: unknown option '${k}'; known options are ${known.join(', ')}`);
  const kinds = (v: string | string[] | undefined, name: string): Set<string> | undefined => {
    if (v === undefined) return undefined;
    const list = Array.isArray(v) ? v : [v];
    return new Set(list.map((k) => {
      const kind = k === 'number' || k === 'numeric' || k === 'float' || k === 'float64' || k === 'int' || k === 'int64' ? 'number' : k === 'string' || k === 'object' || k === 'category' ? 'string' : undefined;
      if (!kind) throw new ValueError(`makeColumnSelector: ${name} must name 'number' or 'string' (or scikit-learn's 'object', 'category', 'float64', …); received ${describe(k)}`);
      return kind;
    }));
  };
  const include = kinds(options.dtypeInclude, 'dtypeInclude'), exclude = kinds(options.dtypeExclude, 'dtypeExclude');
  const pattern = options.pattern === undefined ? undefined : new RegExp(options.pattern);
  return (columns) => columns.filter((c) => (!include || include.has(c.kind)) && (!exclude || !exclude.has(c.kind)) && (!pattern || pattern.test(c.name))).map((c) => c.name);
}
