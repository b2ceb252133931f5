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
