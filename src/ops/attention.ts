// Small elementwise helpers of the attention layers over f32 blocks in the arena.
import type { Backend } from '../runtime/backend.js';
import { readF32, writeF32 } from './memory.js';

/** target = source · factor over n floats (target may be source). */
export function scaleInto(be: Backend, source: number, target: number, n: number, factor: number): void {
  const v = readF32(be, source, n);
  for (let i = 0; i < n; i++) v[i] *= factor;
  writeF32(be, target, v);
}

/** Σ a[i]·b[i] over n floats, in f64, in order. */
export function sumOfProducts(be: Backend, a: number, b: number, n: number): number {
  const x = readF32(be, a, n), y = readF32(be, b, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * y[i];
  return sum;
}
