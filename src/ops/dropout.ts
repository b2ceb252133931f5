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
