// Tabular data as JavaScript holds it (DESIGN.md §7): arrays of row objects (JSON), objects of
// columns, Apache Arrow tables (read through their public interface — schema.fields, getChild,
// numRows — with no dependency on the package), and the matrices every estimator takes (columns
// named x0, x1, … as scikit-learn names a NumPy array's). Each column is numbers (booleans as 0
// and 1) or strings; a gap — null, undefined or NaN — is NaN in a number column and null in a
// string column. What a column holds is checked here, once, with messages naming it.
import { ShapeError, ValueError, describe } from '../errors.js';
import { Tensor, fromTfjsTensor } from '../tensor.js';

/** One column: numbers (gaps NaN) or strings (gaps null). */
export type TableColumn =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'string'; values: (string | null)[] };

export interface Table {
  rows: number;
  columns: TableColumn[];
  /** Whether the names came with the data (row or column objects, Arrow) rather than x0, x1, …. */
  named: boolean;
}

/** Tabular data as JavaScript holds it: row objects, an object of columns, or an Apache Arrow table. */
export type TabularData = readonly Readonly<Record<string, unknown>>[] | Readonly<Record<string, ArrayLike<unknown>>> | ArrowLike;

/** The shape of an Apache Arrow table that is read: its fields' names, a column by name, its length. */
export interface ArrowLike {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): { get(i: number): unknown; length: number } | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

function isArrow(v: unknown): v is ArrowLike {
  const t = v as Partial<ArrowLike> | null;
  return t !== null && typeof t === 'object' && typeof t.numRows === 'number' && typeof t.getChild === 'function' && Array.isArray(t.schema?.fields);
}

/** Row objects ([{ age: 31 }, …]), column objects ({ age: [31, …] }) or an Arrow table: data with named columns. */
export function isTabular(input: unknown): boolean {
  if (isArrow(input)) return true;
  if (Array.isArray(input)) return input.length > 0 && isPlainObject(input[0]);
  return isPlainObject(input) && !('data' in input && 'shape' in input) && Object.values(input).every((c) => Array.isArray(c) || ArrayBuffer.isView(c));
}

/** Whether a cell is a gap. */
export const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

/** A column from its cells: numbers (booleans as 0/1, bigints as numbers) or strings; gaps kept as gaps. */
function columnOf(name: string, cells: ArrayLike<unknown>, where: string): TableColumn {
  let strings = false, numbers = false;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (isMissing(v)) continue;
    if (typeof v === 'string') strings = true;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') numbers = true;
    else throw new ValueError(`${where}: column '${name}', row ${i}, must be a number, a string or a gap (null, undefined, NaN); received ${describe(v)}`);
    if (strings && numbers) {
      const first = Array.from(cells).findIndex((c) => !isMissing(c) && typeof c !== typeof v);
      throw new ValueError(`${where}: column '${name}' mixes numbers and strings (row ${first}: ${describe(cells[first])}, row ${i}: ${describe(v)}); a column holds one or the other`);
    }
  }
  if (strings) return { name, kind: 'string', values: Array.from(cells, (v) => (isMissing(v) ? null : (v as string))) };
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    values[i] = isMissing(v) ? Number.NaN : Number(v);
    if (values[i] === Infinity || values[i] === -Infinity) throw new ValueError(`${where}: column '${name}', row ${i}, is ${values[i]}; numbers must be finite (a gap is null, undefined or NaN)`);
  }
  return { name, kind: 'number', values };
}

function fromRows(rows: Record<string, unknown>[], where: string): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) throw new ValueError(`${where}: row ${i} must be an object of the columns' values, as row 0 is; received ${describe(row)}`);
    for (const key of Object.keys(row)) if (!seen.has(key)) { seen.add(key); names.push(key); }
  });
  if (names.length === 0) throw new ValueError(`${where}: the rows have no columns`);
  return { rows: rows.length, named: true, columns: names.map((n) => columnOf(n, rows.map((r) => r[n]), where)) };
}

function fromColumns(columns: Record<string, unknown>, where: string): Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new ValueError(`${where}: the object has no columns`);
  const rows = (columns[names[0]] as ArrayLike<unknown>).length;
  for (const n of names) {
    const length = (columns[n] as ArrayLike<unknown>).length;
    if (length !== rows) throw new ShapeError(`${where}: column '${n}' has ${length} values but column '${names[0]}' has ${rows}; columns must be as long as each other`);
  }
  return { rows, named: true, columns: names.map((n) => columnOf(n, columns[n] as ArrayLike<unknown>, where)) };
}

function fromArrow(table: ArrowLike, where: string): Table {
  const names = table.schema.fields.map((f) => f.name);
  if (names.length === 0) throw new ValueError(`${where}: the Arrow table has no columns`);
  const columns = names.map((n) => {
    const child = table.getChild(n);
    if (!child) throw new ValueError(`${where}: the Arrow table lists column '${n}' but has no such child`);
    return columnOf(n, Array.from({ length: table.numRows }, (_, i) => child.get(i)), where);
  });
  return { rows: table.numRows, named: true, columns };
}

/** A matrix (nested arrays, possibly with strings; or { data, shape }; or a Tensor) as columns x0, x1, …. */
function fromMatrix(input: unknown, where: string): Table {
  if (Array.isArray(input)) {
    if (!input.every((r) => Array.isArray(r))) throw new ShapeError(`${where} must be a matrix (an array of rows), row objects, column objects or an Arrow table; received ${describe(input[0])} as row 0`);
    const cols = (input[0] as unknown[] | undefined)?.length ?? 0;
    input.forEach((r, i) => {
      if ((r as unknown[]).length !== cols) throw new ShapeError(`${where} is ragged: row ${i} has ${(r as unknown[]).length} features, row 0 has ${cols}`);
    });
    const rows = input as unknown[][];
    return { rows: rows.length, named: false, columns: Array.from({ length: cols }, (_, j) => columnOf(`x${j}`, rows.map((r) => r[j]), where)) };
  }
  if (input instanceof Tensor || (input !== null && typeof input === 'object' && 'data' in input && 'shape' in input)) {
    const { data, shape } = input as { data: ArrayLike<unknown>; shape: readonly number[] };
    if (!Array.isArray(shape) || shape.length !== 2) throw new ShapeError(`${where} must be a matrix [samples, features]; received shape ${describe(shape)}`);
    if (data.length !== shape[0] * shape[1]) throw new ShapeError(`${where}: data has ${data.length} values but shape [${shape.join(', ')}] needs ${shape[0] * shape[1]}`);
    const [rows, cols] = shape;
    return { rows, named: false, columns: Array.from({ length: cols }, (_, j) => columnOf(`x${j}`, Array.from({ length: rows }, (_, i) => data[i * cols + j]), where)) };
  }
  throw new ValueError(`${where} must be a matrix, row objects, column objects or an Arrow table; received ${describe(input)}`);
}

/** Any input an estimator takes, as a table (not empty). `where` names it in messages ("SimpleImputer.fit: X"). */
export function readTable(input: unknown, where: string): Table {
  input = fromTfjsTensor(input);
  let table: Table;
  if (isArrow(input)) table = fromArrow(input, where);
  else if (Array.isArray(input) && input.length > 0 && isPlainObject(input[0])) table = fromRows(input as Record<string, unknown>[], where);
  else if (isTabular(input)) table = fromColumns(input as Record<string, unknown>, where);
  else table = fromMatrix(input, where);
  if (table.rows === 0 || table.columns.length === 0) throw new ValueError(`${where} is empty; it needs at least one sample and one feature`);
  return table;
}

/** Column names as a fitted estimator keeps them (featureNamesIn): the data's own, or none for a matrix. */
export function namesOf(table: Table): string[] | undefined {
  return table.named ? table.columns.map((c) => c.name) : undefined;
}

/** The one check (and message) that columns named after fit are those fit saw, in the same order. */
export function checkNames(names: readonly string[], namesIn: readonly string[], where: string): void {
  if (names.join('\u0000') === namesIn.join('\u0000')) return;
  const missing = namesIn.filter((n) => !names.includes(n)), extra = names.filter((n) => !namesIn.includes(n));
  const what = missing.length || extra.length
    ? [missing.length ? `missing ${missing.map((n) => `'${n}'`).join(', ')}` : '', extra.length ? `unseen ${extra.map((n) => `'${n}'`).join(', ')}` : ''].filter(Boolean).join('; ')
    : 'the same names in another order';
  throw new ValueError(`${where} has other columns than fit saw (${what}); fit saw ${namesIn.map((n) => `'${n}'`).join(', ')}`);
}

/**
 * Checks that data given after fit has the columns fit saw: the same names in the same order when
 * fit had names (scikit-learn's check), else the same count.
 */
export function checkColumns(table: Table, namesIn: readonly string[] | undefined, features: number, where: string): void {
  if (namesIn && table.named) return checkNames(table.columns.map((c) => c.name), namesIn, where);
  if (table.columns.length !== features) throw new ValueError(`${where} has ${table.columns.length} features, but the estimator was fitted with ${features}`);
}
