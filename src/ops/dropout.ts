// Typed wrappers of assembly/dropout.ts.
import type { Backend } from '../runtime/backend.js';
import type { Generator } from './generator.js';

/** mask[i] = 0 with probability `rate`, else 1 / (1 − rate), from the generator's stream. */
export function dropoutMask(be: Backend, generator: Generator, mask: number, n: number, rate: number): void {
  be.call('dropoutMask', generator.state, mask, n, rate);
}

/** out = a ⊙ b over n f32 values. */
export function multiply(be: Backend, a: number, b: number, out: number, n: number): void {
  be.call('multiply', a, b, out, n);
}

/** y[b, t, :] = x[b, t, :] ⊙ mask[b, :]: one dropout mask per sequence, the same at every step. */
export function dropSequence(be: Backend, x: number, mask: number, y: number, batch: number, steps: number, width: number): void {
  be.launch('dropSequence', [x, mask, y, steps, width], batch, 1, batch * steps * width);
}

/** Rows of a matrix times rows of a mask, each with its own row stride (in floats): y[b] = x[b] ⊙ mask[b]. */
export function multiplyRows(be: Backend, batch: number, width: number, x: { ptr: number; stride: number }, mask: { ptr: number; stride: number }, y: { ptr: number; stride: number }): void {
  be.launch('multiplyRows', [x.ptr, x.stride, mask.ptr, mask.stride, y.ptr, y.stride, width], batch, 1, batch * width);
}
