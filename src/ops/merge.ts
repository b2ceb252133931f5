// Typed wrappers of assembly/merge.ts: merges of several inputs, concatenation, and adding one
// gradient into another.
import type { Backend } from '../runtime/backend.js';
import { Merge } from '../runtime/bindings.js';
import { putI32 } from './memory.js';

export { Merge };

/** y = op(x_0, …) elementwise over n values. */
export function mergeForward(be: Backend, op: Merge, xs: readonly number[], n: number, y: number): void {
  be.scoped((alloc) => be.call('mergeForward', op, putI32(be, alloc, xs), xs.length, n, y));
}

/** dx_i from dy for each input whose dxs[i] is not 0. */
export function mergeBackward(be: Backend, op: Merge, xs: readonly number[], n: number, y: number, dy: number, dxs: readonly number[]): void {
  be.scoped((alloc) => be.call('mergeBackward', op, putI32(be, alloc, xs), xs.length, n, y, dy, putI32(be, alloc, dxs)));
}

/** y row r = the inputs' rows r side by side (input i: outer × widths[i]). */
export function concatForward(be: Backend, xs: readonly number[], widths: readonly number[], outer: number, y: number): void {
  be.scoped((alloc) => be.call('concatForward', putI32(be, alloc, xs), putI32(be, alloc, widths), xs.length, outer, y));
}

/** dx_i = input i's columns of dy, for each input whose dxs[i] is not 0. */
export function concatBackward(be: Backend, dy: number, widths: readonly number[], outer: number, dxs: readonly number[]): void {
  be.scoped((alloc) => be.call('concatBackward', dy, putI32(be, alloc, widths), widths.length, outer, putI32(be, alloc, dxs)));
}

/** y += x over n values. */
export function addInto(be: Backend, y: number, x: number, n: number): void {
  be.call('addInto', y, x, n);
}

/** How one input stretches to the output: per-sample output shape and the input's strides (0 where stretched). */
export interface Broadcast {
  shape: readonly number[];
  strides: readonly number[];
  size: number;
  inSize: number;
}

/** The strides of a per-sample input shape right-aligned against the output shape (size-1 axes stretched). */
export function broadcastOf(input: readonly number[], output: readonly number[]): Broadcast {
  const padded = [...new Array<number>(output.length - input.length).fill(1), ...input];
  const strides = new Array<number>(output.length).fill(0);
  let stride = 1;
  for (let d = output.length - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : stride;
    stride *= padded[d];
  }
  return { shape: output, strides, size: output.reduce((a, b) => a * b, 1), inSize: stride };
}

/** y (batch × the output size) = x stretched to the output shape. */
export function broadcastCopy(be: Backend, b: Broadcast, x: number, y: number, batch: number): void {
  be.scoped((alloc) => be.call('broadcastCopy', x, y, batch, b.shape.length, putI32(be, alloc, b.shape), putI32(be, alloc, b.strides), b.size, b.inSize));
}

/** dx = dy summed over the stretched axes. */
export function broadcastSum(be: Backend, b: Broadcast, dy: number, dx: number, batch: number): void {
  be.scoped((alloc) => be.call('broadcastSum', dy, dx, batch, b.shape.length, putI32(be, alloc, b.shape), putI32(be, alloc, b.strides), b.size, b.inSize));
}
