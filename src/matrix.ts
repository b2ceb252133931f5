// f64 matrices for the classical estimators (scikit-learn computes in f64, DESIGN.md §6): the
// user's nested arrays, typed arrays with a shape, Tensors, or tabular data (row objects, column
// objects, Arrow tables: tabular/table.ts) of number columns, copied to a Float64Array and checked
// (rank 2, not empty, finite) with messages that name the argument. A gap (NaN, or null in tabular
// data) is refused with a pointer to SimpleImputer: only imputers and encoders take gaps.
import { ShapeError, ValueError, describe } from './errors.js';
import { firstNonFinite, nonFiniteError } from './finite.js';
import { isTabular, readTable, type TabularData } from './tabular/table.js';
import { Tensor, fromTfjsTensor } from './tensor.js';
import type { TensorLike } from './tensor.js';

export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
  /** The columns' names when the data had them (tabular input). */
  names?: string[];
}

/** What estimators take as X: a matrix (nested arrays, { data, shape }, a Tensor) or tabular data of number columns. */
export type MatrixLike = TensorLike | { data: ArrayLike<number>; shape: readonly number[] } | TabularData;

/** The words added to a refusal of NaN: it is a gap, which an imputer fills. */
export const GAP_HINT = '(a gap: fill gaps with SimpleImputer first)';

/** A missing value in nested arrays: null or undefined. */
const isGap = (v: unknown): boolean => v === null || v === undefined;

/** The index of the first ±Infinity, or −1. */
function firstInfinite(data: Float64Array | Float32Array): number {
  for (let i = 0; i < data.length; i++) if (data[i] === Infinity || data[i] === -Infinity) return i;
  return -1;
}

/** Refuses the first value that is not finite, naming its [row, column] (a NaN as a gap); with gaps, NaN passes. */
function finite(data: Float64Array | Float32Array, name: string, cols: number, gaps = false): void {
  const bad = gaps ? firstInfinite(data) : firstNonFinite(data);
  if (bad >= 0) throw refusal(data, name, cols, bad);
}

/** The error for data[bad], a value that is not finite (a NaN named as a gap). */
function refusal(data: Float64Array | Float32Array, name: string, cols: number, bad: number): Error {
  const error = nonFiniteError(name, `[${Math.floor(bad / cols)}, ${bad % cols}]`, data[bad]);
  if (Number.isNaN(data[bad])) error.message += ` ${GAP_HINT}`;
  return error;
}

/** Tabular data of number columns as a matrix with their names; strings and gaps are refused by column. */
function tabularMatrix(input: unknown, name: string, gaps: boolean): Matrix {
  const table = readTable(input, name);
  const text = table.columns.find((c) => c.kind === 'string');
  if (text) throw new ValueError(`${name}: column '${text.name}' holds strings; encode it into numbers first (OneHotEncoder, OrdinalEncoder)`);
  const rows = table.rows, cols = table.columns.length, data = new Float64Array(rows * cols);
  table.columns.forEach((c, j) => {
    const values = c.values as Float64Array;
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (Number.isNaN(v) && !gaps) throw new ValueError(`${name}: column '${c.name}', row ${i}, is missing (null, undefined or NaN) ${GAP_HINT}`);
      if (!Number.isFinite(v) && !Number.isNaN(v)) throw nonFiniteError(name, `[${i}, '${c.name}']`, v);
      data[i * cols + j] = v;
    }
  });
  return { data, rows, cols, names: table.columns.map((c) => c.name) };
}

/** The values as f64, refusing any that is not finite (the first, by position). */
function copyFinite(source: ArrayLike<number>, name: string, cols: number, gaps: boolean): Float64Array {
  // null in a plain array is a gap, never 0 (Float64Array.from would make it 0): refused as one unless gaps are data.
  const data = source instanceof Float64Array ? source.slice()
    : Array.isArray(source) ? Float64Array.from(source, (v) => (isGap(v) ? NaN : v)) : Float64Array.from(source);
  finite(data, name, cols, gaps);
  return data;
}

/** How toMatrix reads its input. */
export interface MatrixOptions {
  /** NaN, and null in nested arrays or tabular data, pass as NaN (estimators that handle missing values natively). */
  gaps?: boolean;
  /** The caller only reads the result: a Float64Array given with a shape is used as it is, not copied. */
  view?: boolean;
  /**
   * With view, a Float32Array given with a shape is not checked here: the caller checks it where
   * it copies it (a SIMD pass in WebAssembly) and throws `refuse(index)` for a value that is not finite.
   */
  deferCheck?: boolean;
}

/** A matrix that is only read: a typed array the user gave with a shape may be used as it is (f32 or f64). */
export interface MatrixView extends Omit<Matrix, 'data'> {
  data: Float64Array | Float32Array;
  /** Present when the finite check was deferred (deferCheck): the error for the value at this index. */
  refuse?: (index: number) => Error;
}

/** X as an n×d f64 matrix (rows are samples); with `view`, possibly the user's own f32 or f64 array. */
export function toMatrix(input: unknown, name: string, options: MatrixOptions & { view: true }): MatrixView;
export function toMatrix(input: unknown, name: string, options?: MatrixOptions): Matrix;
export function toMatrix(input: unknown, name: string, options: MatrixOptions = {}): Matrix | MatrixView {
  const gaps = options.gaps ?? false;
  input = fromTfjsTensor(input);
  if (isTabular(input)) return tabularMatrix(input, name, gaps);
  let data: Float64Array | Float32Array;
  let shape: readonly number[];
  if (Array.isArray(input)) {
    const rows = input.length;
    if (rows === 0) throw new ValueError(`${name} is empty; it needs at least one sample`);
    if (!input.every((r) => Array.isArray(r))) {
      throw new ShapeError(`${name} must be a matrix: an array of rows (samples), each an array of features; received ${describe(input[0])} as row 0`);
    }
    const cols = (input[0] as unknown[]).length;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = input[i] as unknown[];
      if (row.length !== cols) throw new ShapeError(`${name} is ragged: row ${i} has ${row.length} features, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) {
        const v = gaps && isGap(row[j]) ? NaN : row[j];
        if (typeof v !== 'number') throw new ValueError(`${name}[${i}][${j}] must be a number; received ${describe(v)}`);
        data[i * cols + j] = v;
      }
    }
    shape = [rows, cols];
  } else if (input instanceof Tensor || (input !== null && typeof input === 'object' && 'data' in input && 'shape' in input)) {
    const like = input as { data: ArrayLike<number>; shape: readonly number[] };
    shape = like.shape;
    if (!Array.isArray(shape) || shape.length !== 2) throw new ShapeError(`${name} must be a matrix [samples, features]; received shape ${describe(shape)}${Array.isArray(shape) ? ` [${shape.join(', ')}]` : ''}`);
    if (!ArrayBuffer.isView(like.data) && !Array.isArray(like.data)) throw new ValueError(`${name}.data must be a typed array or an array of numbers; received ${describe(like.data)}`);
    if (like.data.length !== shape[0] * shape[1]) throw new ShapeError(`${name}: data has ${like.data.length} values but shape [${shape.join(', ')}] needs ${shape[0] * shape[1]}`);
    // Copied and checked in one pass (non-numbers become NaN, refused as such); read in place when the caller only reads.
    if (options.view && (like.data instanceof Float64Array || like.data instanceof Float32Array)) {
      const view = like.data, cols = shape[1];
      if (shape[0] === 0 || cols === 0) throw new ValueError(`${name} is empty (shape [${shape.join(', ')}])`);
      // f32 values only: their f32 copy holds exactly them (an f64 beyond f32's range would become Infinity there).
      if (options.deferCheck && !gaps && view instanceof Float32Array) return { data: view, rows: shape[0], cols, refuse: (bad) => refusal(view, name, cols, bad) };
      data = view;
      finite(data, name, cols, gaps);
    } else data = copyFinite(like.data as ArrayLike<number>, name, shape[1], gaps);
    if (shape[0] === 0 || shape[1] === 0) throw new ValueError(`${name} is empty (shape [${shape.join(', ')}])`);
    return { data, rows: shape[0], cols: shape[1] };
  } else {
    throw new ValueError(`${name} must be an array of rows or { data, shape }; received ${describe(input)}`);
  }
  if (shape[0] === 0 || shape[1] === 0) throw new ValueError(`${name} is empty (shape [${shape.join(', ')}])`);
  finite(data, name, shape[1], gaps);
  return { data, rows: shape[0], cols: shape[1] };
}

/** y as a list of n values (numbers or strings), for labels and targets. */
export function toVector(input: unknown, name: string, n: number): (number | string)[] {
  input = fromTfjsTensor(input);
  let values: (number | string)[];
  if (Array.isArray(input)) values = input as (number | string)[];
  else if (ArrayBuffer.isView(input) && !(input instanceof DataView)) values = Array.from(input as unknown as ArrayLike<number>);
  else if (input instanceof Tensor || (input !== null && typeof input === 'object' && 'data' in input && 'shape' in input)) {
    const like = input as { data: ArrayLike<number>; shape: readonly number[] };
    if (like.shape.length !== 1 && !(like.shape.length === 2 && like.shape[1] === 1)) throw new ShapeError(`${name} must be a vector; received shape [${like.shape.join(', ')}]`);
    values = Array.from(like.data);
  } else throw new ValueError(`${name} must be an array of labels or numbers; received ${describe(input)}`);
  if (values.length !== n) throw new ShapeError(`${name} has ${values.length} values but X has ${n} samples; they must match`);
  values.forEach((v, i) => {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new ValueError(`${name}[${i}] must be a finite number or a string; received ${describe(v)}`);
  });
  return values;
}

/** Numeric targets (regression): finite numbers. */
export function toTargets(input: unknown, name: string, n: number): Float64Array {
  const values = toVector(input, name, n);
  const bad = values.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new ValueError(`${name}[${bad}] must be a number (a regression target); received ${describe(values[bad])}`);
  return Float64Array.from(values as number[]);
}

/** Refuses a negative sample weight, naming its position. */
export function checkNoNegativeWeights(w: Float64Array | undefined, where: string): void {
  if (!w) return;
  const bad = w.findIndex((v) => v < 0);
  if (bad >= 0) throw new ValueError(`${where}: sampleWeight[${bad}] must be ≥ 0; received ${w[bad]}`);
}

/** Sample weights: n finite numbers ≥ 0 (undefined: none given). */
export function toSampleWeight(input: unknown, where: string, n: number): Float64Array | undefined {
  if (input === undefined || input === null) return undefined;
  const w = toTargets(input, `${where}: sampleWeight`, n);
  checkNoNegativeWeights(w, where);
  return w;
}

/** Labels of one kind in NumPy's order: numbers ascending, anything else as strings ascending (in place). */
export function sortLabels<T>(labels: T[]): T[] {
  return labels.every((v) => typeof v === 'number') ? labels.sort((a, b) => (a as number) - (b as number))
    : labels.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/** Class labels: the sorted distinct classes and each sample's class index. */
export function encodeLabels(values: (number | string)[], name: string): { classes: (number | string)[]; index: Int32Array } {
  // One pass numbering the labels as first seen (one Map lookup per sample), then the numbers mapped to sorted order.
  const n = values.length, seen = new Map<number | string, number>(), distinct: (number | string)[] = [];
  const first = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let j = seen.get(v);
    if (j === undefined) {
      if (distinct.length > 0 && typeof v !== typeof distinct[0]) throw new ValueError(`${name} mixes numbers and strings; labels must be all numbers or all strings`);
      j = distinct.length;
      seen.set(v, j);
      distinct.push(v);
    }
    first[i] = j;
  }
  const classes = sortLabels(distinct.slice());
  const position = new Map(classes.map((c, i) => [c, i]));
  const sorted = Int32Array.from(distinct, (v) => position.get(v)!);
  for (let i = 0; i < n; i++) first[i] = sorted[first[i]];
  return { classes, index: first };
}
