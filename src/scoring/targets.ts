// What scikit-learn's metrics read before they score: the kind of target (type_of_target), the
// sorted labels of both arrays (unique_labels), score matrices, and the one check that two arrays
// pair up. Every metric goes through these, so its refusals name the argument and say what came.
import { ShapeError, ValueError, describe } from '../errors.js';
import { firstNonFinite, nonFiniteError } from '../finite.js';
import { sortLabels } from '../matrix.js';

export type Label = number | string | boolean;

/** A class-label array, or an indicator matrix (rows of 0/1) for several labels per sample. */
export type Labels = ArrayLike<Label> | ArrayLike<ArrayLike<number>>;

/** Scores or probabilities: one per sample, or a row per sample ({ data, shape } or nested arrays). */
export type ScoreArray = ArrayLike<number> | ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly number[] };

/** The kinds of target scikit-learn's type_of_target tells apart (those the metrics take). */
export type TargetType = 'binary' | 'multiclass' | 'multilabel-indicator' | 'continuous';

export function paired(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, where: string, names = ['yTrue', 'yPred']): void {
  for (const [y, name] of [[yTrue, names[0]], [yPred, names[1]]] as const) {
    if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number') throw new ValueError(`${where}: ${name} must be an array; received ${describe(y)}`);
  }
  if (yTrue.length !== yPred.length) throw new ShapeError(`${where}: ${names[0]} has ${yTrue.length} values but ${names[1]} has ${yPred.length}`);
  if (yTrue.length === 0) throw new ValueError(`${where}: ${names[0]} is empty`);
}

/** Refuses anything but finite numbers, naming the first other value. */
export function numbers(y: ArrayLike<unknown>, name: string, where: string): Float64Array {
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== 'number') {
      if (y[i] !== null && typeof y[i] === 'object') throw new ShapeError(`${where}: ${name} must be a 1-D array of numbers; element ${i} is ${describe(y[i])}`);
      throw nonFiniteError(`${where}: ${name}`, `${i}`, y[i]);
    }
  }
  const values = Float64Array.from(y as ArrayLike<number>);
  const bad = firstNonFinite(values);
  if (bad >= 0) throw nonFiniteError(`${where}: ${name}`, `${bad}`, values[bad]);
  return values;
}


/** The distinct labels of the arrays, sorted; a mix of strings and numbers is refused (unique_labels). */
export function uniqueLabels(where: string, ...ys: ArrayLike<Label>[]): Label[] {
  const all = new Set<Label>();
  for (const y of ys) for (let i = 0; i < y.length; i++) all.add(y[i]);
  const list = [...all];
  const kinds = new Set(list.map((v) => typeof v));
  if (kinds.size > 1) throw new ValueError(`${where}: labels mix ${[...kinds].join(' and ')} values (${list.slice(0, 6).map(String).join(', ')}); use one kind`);
  for (const v of list) if (typeof v === 'number' && Number.isNaN(v)) throw new ValueError(`${where}: a label is NaN; labels must be numbers, strings or booleans`);
  return sortLabels(list);
}

const isRow = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || ArrayBuffer.isView(v);

/** The target's kind, as scikit-learn's type_of_target for the kinds metrics take. */
export function targetType(y: Labels, name: string, where: string): TargetType {
  if (y.length > 0 && isRow(y[0])) {
    const rows = y as ArrayLike<ArrayLike<number>>;
    const width = rows[0].length;
    for (let i = 0; i < rows.length; i++) {
      if (!isRow(rows[i]) || rows[i].length !== width) throw new ShapeError(`${where}: ${name} is ragged or mixed: row ${i} is ${describe(rows[i])}, row 0 has ${width} values`);
      for (let j = 0; j < width; j++) {
        const v = rows[i][j];
        if (v !== 0 && v !== 1) throw new ValueError(`${where}: ${name} as a matrix must be a label indicator (0 or 1 per label); element [${i}, ${j}] is ${describe(v)}`);
      }
    }
    if (width < 2) throw new ShapeError(`${where}: ${name} has rows of ${width} value; give one label per sample as a 1-D array`);
    return 'multilabel-indicator';
  }
  const values = y as ArrayLike<Label>;
  let continuous = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw nonFiniteError(`${where}: ${name}`, `${i}`, v);
      if (!Number.isInteger(v)) continuous = true;
    } else if (typeof v !== 'string' && typeof v !== 'boolean') {
      throw new ValueError(`${where}: ${name}[${i}] must be a label (a number, string or boolean); received ${describe(v)}`);
    }
  }
  if (continuous) return 'continuous';
  return new Set(Array.from(values)).size <= 2 ? 'binary' : 'multiclass';
}

/** The kind both arrays share (binary and multiclass together are multiclass), as _check_targets. */
export function classificationTargets(yTrue: Labels, yPred: Labels, where: string): TargetType {
  paired(yTrue, yPred, where);
  const a = targetType(yTrue, 'yTrue', where), b = targetType(yPred, 'yPred', where);
  for (const [t, name] of [[a, 'yTrue'], [b, 'yPred']] as const) {
    if (t === 'continuous') throw new ValueError(`${where}: ${name} holds non-integer numbers; classification metrics take class labels (round or threshold scores first)`);
  }
  if (a !== 'multilabel-indicator' && b !== 'multilabel-indicator') {
    // One kind of label across both (unique_labels refuses a mix).
    uniqueLabels(where, yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>);
    return a === b ? a : 'multiclass';
  }
  if (a === b) return a;
  throw new ValueError(`${where}: yTrue is ${a} but yPred is ${b}; give both as label arrays or both as indicator matrices`);
}

/** A score array as rows × cols (a 1-D array is one column), finite-checked. */
export function scoreMatrix(scores: ScoreArray, name: string, where: string): { data: Float64Array; rows: number; cols: number; oneD: boolean } {
  const s = scores as { data?: ArrayLike<number>; shape?: readonly number[] };
  if (s && typeof s === 'object' && !isRow(s) && s.data && Array.isArray(s.shape)) {
    const [rows, cols = 1] = s.shape as number[];
    if (s.shape.length > 2 || s.data.length !== rows * cols) throw new ShapeError(`${where}: ${name} has shape [${s.shape.join(', ')}] for ${s.data.length} values`);
    return { data: numbers(s.data, name, where), rows, cols, oneD: s.shape.length === 1 };
  }
  if (!isRow(scores)) throw new ValueError(`${where}: ${name} must be an array of scores or a matrix of them; received ${describe(scores)}`);
  const list = scores as ArrayLike<unknown>;
  if (list.length > 0 && isRow(list[0])) {
    const rows = list.length, cols = (list[0] as ArrayLike<number>).length, data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = list[i] as ArrayLike<number>;
      if (!isRow(row) || row.length !== cols) throw new ShapeError(`${where}: ${name} is ragged: row ${i} is ${describe(row)}, row 0 has ${cols} values`);
      data.set(numbers(row, `${name}[${i}]`, where), i * cols);
    }
    return { data, rows, cols, oneD: false };
  }
  return { data: numbers(list, name, where), rows: list.length, cols: 1, oneD: true };
}

/** The indicator matrix as rows of 0/1 (targetType has checked it). */
export function indicatorRows(y: Labels): ArrayLike<number>[] {
  return Array.from(y as ArrayLike<ArrayLike<number>>);
}

/** Booleans as 0/1 (NumPy compares True with 1). */
export const plainLabel = (v: Label): Label => (typeof v === 'boolean' ? Number(v) : v);

/** The positive label of a binary target: the one given, or 1 when the labels are {0, 1}, {−1, 1} or one of them (_check_pos_label_consistency). */
export function positiveLabel(posLabel: Label | undefined, yTrue: ArrayLike<Label>, where: string): Label {
  if (posLabel !== undefined) return plainLabel(posLabel);
  const classes = uniqueLabels(where, Array.from(yTrue, plainLabel));
  if (!['0,1', '-1,1', '0', '-1', '1'].includes(classes.join(','))) {
    throw new ValueError(`${where}: yTrue takes the values {${classes.map(String).join(', ')}} and posLabel is not given: give posLabel, or labels in {0, 1} or {−1, 1}`);
  }
  return 1;
}

/** Per-sample weights checked (finite, ≥ 0, one per sample), or null when none are given. */
export function weightsOf(sampleWeight: unknown, n: number, where: string): Float64Array | null {
  if (sampleWeight === undefined || sampleWeight === null) return null;
  if (typeof (sampleWeight as ArrayLike<unknown>).length !== 'number' || typeof sampleWeight === 'string') throw new ValueError(`${where}: sampleWeight must be an array of numbers; received ${describe(sampleWeight)}`);
  const w = numbers(sampleWeight as ArrayLike<unknown>, 'sampleWeight', where);
  if (w.length !== n) throw new ShapeError(`${where}: sampleWeight has ${w.length} values but there are ${n} samples`);
  const bad = w.findIndex((v) => v < 0);
  if (bad >= 0) throw new ValueError(`${where}: sampleWeight must not be negative; element ${bad} is ${w[bad]}`);
  return w;
}
