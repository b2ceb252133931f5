// Checks fit's and evaluate's labels against the loss and the model's output, and puts them in
// the form the loss kernel reads: one row of floats per output row (a class index for the sparse
// loss), plus the true class per row for the accuracy metrics.
import { ShapeError, ValueError, describe } from '../errors.js';
import type { LossKind } from '../losses.js';
import { shapeSize, toTensor } from '../tensor.js';

export interface Targets {
  /** Rows × cols floats (cols = 1 for the sparse loss). */
  readonly values: Float32Array;
  readonly cols: number;
  /** The true class of each output row (categorical and sparse losses), else undefined. */
  readonly labels: Int32Array | undefined;
}

/** `label` names y in messages ('y', or y['cls'] for one output of several). */
export function prepareTargets(y: unknown, n: number, outputShape: readonly number[], loss: LossKind, where: string, label = 'y'): Targets {
  const Y = toTensor(y, `${where}: ${label}`);
  const units = outputShape[outputShape.length - 1];
  const rows = n * (shapeSize(outputShape) / units);
  if (Y.shape[0] !== n) {
    throw new ShapeError(`${where}: x has ${n} samples but ${label} has ${Y.shape[0] ?? 0} (${label} shape [${Y.shape.join(', ')}])`);
  }
  if (loss === 'sparseCategoricalCrossentropy') {
    const expected = [n, ...outputShape.slice(0, -1)];
    const ok = Y.size === rows && (Y.shape.join() === expected.join() || Y.shape.join() === [...expected, 1].join());
    if (!ok) {
      throw new ShapeError(`${where}: sparseCategoricalCrossentropy needs ${label} of class indices with shape [${expected.join(', ')}]; received [${Y.shape.join(', ')}]` +
        (Y.shape.join() === [n, ...outputShape].join() ? ' (one-hot labels: use categoricalCrossentropy)' : ''));
    }
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = Y.data[i];
      if (!Number.isInteger(v) || v < 0 || v >= units) {
        throw new ValueError(`${where}: ${label}[${i}] must be a class index in [0, ${units}) for an output of ${units} units; received ${describe(v)}`);
      }
      labels[i] = v;
    }
    return { values: Y.data, cols: 1, labels };
  }
  const expected = [n, ...outputShape];
  const flatOk = Y.size === n * shapeSize(outputShape) && (Y.shape.join() === expected.join() || (units === 1 && Y.shape.join() === [n].join()));
  if (!flatOk) {
    const hint = loss === 'categoricalCrossentropy' && Y.size === rows
      ? ' (these look like class indices: use sparseCategoricalCrossentropy, or one-hot encode them with toCategorical)'
      : '';
    throw new ShapeError(`${where}: ${loss} needs ${label} with shape [${expected.join(', ')}] like the model's output; received [${Y.shape.join(', ')}]${hint}`);
  }
  if (loss === 'binaryCrossentropy' || loss === 'sigmoidCrossEntropy') {
    const bad = Y.data.findIndex((v) => v < 0 || v > 1);
    if (bad >= 0) throw new ValueError(`${where}: ${loss} needs ${label} in [0, 1]; ${label} element ${bad} is ${Y.data[bad]}`);
  }
  let labels: Int32Array | undefined;
  // The true class of each row, for the accuracy metrics: one-hot targets, or any several-unit output.
  if (loss === 'categoricalCrossentropy' || (loss !== 'binaryCrossentropy' && loss !== 'sigmoidCrossEntropy' && units > 1)) {
    if (loss === 'categoricalCrossentropy') {
      const bad = Y.data.findIndex((v) => v < 0);
      if (bad >= 0) throw new ValueError(`${where}: categoricalCrossentropy needs ${label} of probabilities (one-hot rows); ${label} element ${bad} is ${Y.data[bad]}`);
    }
    labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < units; j++) if (Y.data[r * units + j] > Y.data[r * units + best]) best = j;
      labels[r] = best;
    }
  }
  return { values: Y.data, cols: units, labels };
}
