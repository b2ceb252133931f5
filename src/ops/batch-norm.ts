// Typed wrappers of assembly/batch-norm.ts.
import type { Backend } from '../runtime/backend.js';
import type { Activation } from '../runtime/bindings.js';
import type { RectifierParameters } from './rectifiers.js';

/** The per-column statistics a batch normalization reads (pointers to cols floats each). */
export interface NormStatistics {
  mean: number;
  variance: number;
}

/** Values as [rows, cols, inner]: channel c's at (r·cols + c)·inner + i (inner 1 when the channels are the last axis). */
export interface ChannelLayout {
  rows: number;
  cols: number;
  inner: number;
}

/** mean and (biased) variance of each channel. */
export function columnMoments(be: Backend, x: number, { rows, cols, inner }: ChannelLayout, into: NormStatistics): void {
  be.call('columnMoments', x, rows, cols, inner, into.mean, into.variance);
}

/**
 * y = γ(x − mean)/√(variance + ε) + β (gamma, beta 0: none): each column's scale and shift into
 * `work` (2·cols floats), then one multiply-add per value, split by rows.
 */
export function batchNormForward(be: Backend, x: number, y: number, layout: ChannelLayout, s: NormStatistics, gamma: number, beta: number, epsilon: number, work: number,
  rectifier: RectifierParameters = IDENTITY): void {
  normScaleShift(be, s, gamma, beta, epsilon, layout.cols, work);
  scaleShiftColumns(be, x, y, layout.rows, layout.cols, work, rectifier, layout.inner);
}

/** Each channel's scale γ/√(σ² + ε) into work[0, cols) and shift β − μ·scale into work[cols, 2·cols). */
export function normScaleShift(be: Backend, s: NormStatistics, gamma: number, beta: number, epsilon: number, cols: number, work: number): void {
  be.call('normScaleShift', s.mean, s.variance, gamma, beta, epsilon, cols, work);
}

/** dx (0: not needed), dγ and dβ (0: not wanted); through the batch statistics when `training`. */
export function batchNormBackward(be: Backend, x: number, dy: number, dx: number, { rows, cols, inner }: ChannelLayout, s: NormStatistics, gamma: number,
  dgamma: number, dbeta: number, epsilon: number, training: boolean): void {
  be.call('batchNormBackward', x, dy, dx, rows, cols, inner, s.mean, s.variance, gamma, dgamma, dbeta, epsilon, training ? 1 : 0);
}

/** moving ← moving − (moving − value)(1 − momentum) over n values. */
export function movingAverage(be: Backend, moving: number, value: number, n: number, momentum: number): void {
  be.call('movingAverage', moving, value, n, momentum);
}

/** Rectifier parameters (maximum, slope, threshold) that change nothing. */
export const IDENTITY: RectifierParameters = [Infinity, 0, -Infinity];

/**
 * What a kernel applies to its outputs as it writes them: the layer's bias (0: none), batch
 * normalization at inference (per output channel, pointers to the scales and the shifts) and a
 * ReLU-family rectifier.
 */
export interface Normalizing {
  bias: number;
  scale: number;
  shift: number;
  rectifier: RectifierParameters;
  /** An element-wise activation after the rectifier (the GEMM kernels only; not softmax, which needs whole rows). */
  activation?: Activation;
}

/** The kernels' trailing arguments for a Normalizing (zeros: none), its per-channel arrays from `offsetBytes` on. */
export function normalizingArgs(n: Normalizing | undefined, offsetBytes = 0): [number, number, number, number, number, number] {
  const args: number[] = [];
  pushNormalizingArgs(args, n, offsetBytes);
  return args as [number, number, number, number, number, number];
}

/** normalizingArgs appended to `args` (no array of its own: the GEMM's batch-1 launches). */
export function pushNormalizingArgs(args: number[], n: Normalizing | undefined, offsetBytes = 0): void {
  if (n) args.push(n.bias && n.bias + offsetBytes, n.scale + offsetBytes, n.shift + offsetBytes, n.rectifier[0], n.rectifier[1], n.rectifier[2]);
  else args.push(0, 0, 0, 0, 0, 0);
}

/**
 * y = x·scale + shift per channel (of [rows, cols, inner] values), scaleShift holding cols scales
 * then cols shifts, then (given) a ReLU-family rectifier as assembly/rectifiers.ts applies it;
 * split by rows.
 */
export function scaleShiftColumns(be: Backend, x: number, y: number, rows: number, cols: number, scaleShift: number, rectifier: RectifierParameters = IDENTITY, inner = 1): void {
  be.launch('scaleShiftColumns', [x, y, cols, inner, scaleShift, ...rectifier], rows, 1, rows * cols * inner);
}
