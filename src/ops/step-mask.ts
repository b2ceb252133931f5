// Typed wrappers of assembly/step-mask.ts: Keras' masks over the steps of sequences ([batch, steps], 1 kept, 0 padding).
import type { Backend } from '../runtime/backend.js';

/** Rows of a step's matrix: the first row's pointer and the floats from one row to the next. */
export interface StepRows {
  ptr: number;
  stride: number;
}

/** Where mask[b, t] = 0: dst[b] (width values) = a[b] + b[b] (either absent: ptr 0). */
export function maskedRows(be: Backend, mask: number, steps: number, t: number, batch: number, width: number, dst: StepRows, a: StepRows, b: StepRows): void {
  be.launch('maskedRows', [mask, steps, t, width, dst.ptr, dst.stride, a.ptr, a.stride, b.ptr, b.stride], batch, 1, batch * width);
}

/** y = x · mask per step, x [batch, steps, width]. */
export function maskSteps(be: Backend, x: number, mask: number, y: number, batch: number, steps: number, width: number): void {
  be.launch('maskSteps', [x, mask, y, steps, width], batch, 1, batch * steps * width);
}

/** mask[b, t] = whether any of the width values of x[b, t] differs from `value` (width 1: the value itself). */
export function computeMask(be: Backend, x: number, mask: number, batch: number, steps: number, width: number, value: number): void {
  be.launch('computeMask', [x, mask, steps, width, value], batch, 1, batch * steps * width);
}

/** The mean over the kept steps, per channel (0 where none is kept). */
export function maskedMean(be: Backend, x: number, mask: number, y: number, batch: number, steps: number, channels: number): void {
  be.launch('maskedMean', [x, mask, y, steps, channels], batch, 1, batch * steps * channels);
}

/** dx of maskedMean. */
export function maskedMeanBackward(be: Backend, dy: number, mask: number, dx: number, batch: number, steps: number, channels: number): void {
  be.launch('maskedMeanBackward', [dy, mask, dx, steps, channels], batch, 1, batch * steps * channels);
}
