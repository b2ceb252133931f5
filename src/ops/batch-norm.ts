// Typed wrappers of assembly/batch-norm.ts.
import type { Backend } from '../runtime/backend.js';
import type { RectifierParameters } from './rectifiers.js';

/** The per-column statistics a batch normalization reads (pointers to cols floats each). */
export interface NormStatistics {
  mean: number;
  variance: number;
}

/** mean and (biased) variance of each column of rows × cols values. */
export function columnMoments(be: Backend, x: number, rows: number, cols: number, into: NormStatistics): void {
  be.call('columnMoments', x, rows, cols, into.mean, into.variance);
}

/**
 * y = γ(x − mean)/√(variance + ε) + β (gamma, beta 0: none): each column's scale and shift into
 * `work` (2·cols floats), then one multiply-add per value, split by rows.
 */
export function batchNormForward(be: Backend, x: number, y: number, rows: number, cols: number, s: NormStatistics, gamma: number, beta: number, epsilon: number, work: number,
  rectifier: RectifierParameters = IDENTITY): void {
  be.call('normScaleShift', s.mean, s.variance, gamma, beta, epsilon, cols, work);
  scaleShiftColumns(be, x, y, rows, cols, work, rectifier);
}

/** dx (0: not needed), dγ and dβ (0: not wanted); through the batch statistics when `training`. */
export function batchNormBackward(be: Backend, x: number, dy: number, dx: number, rows: number, cols: number, s: NormStatistics, gamma: number,
  dgamma: number, dbeta: number, epsilon: number, training: boolean): void {
  be.call('batchNormBackward', x, dy, dx, rows, cols, s.mean, s.variance, gamma, dgamma, dbeta, epsilon, training ? 1 : 0);
}

/** moving ← moving − (moving − value)(1 − momentum) over n values. */
export function movingAverage(be: Backend, moving: number, value: number, n: number, momentum: number): void {
  be.call('movingAverage', moving, value, n, momentum);
}

/** Rectifier parameters (maximum, slope, threshold) that change nothing. */
const IDENTITY: RectifierParameters = [Infinity, 0, -Infinity];

/**
 * y = x·scale + shift per column, scaleShift holding cols scales then cols shifts, then (given) a
 * ReLU-family rectifier as assembly/rectifiers.ts applies it; split by rows.
 */
export function scaleShiftColumns(be: Backend, x: number, y: number, rows: number, cols: number, scaleShift: number, rectifier: RectifierParameters = IDENTITY): void {
  be.launch('scaleShiftColumns', [x, y, cols, scaleShift, ...rectifier], rows, 1, rows * cols);
}
