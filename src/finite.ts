// The one finite check of inputs held in JavaScript, and the one message for a value that fails
// it. Data already copied into WebAssembly memory is checked there by its SIMD twin
// (ops/memory.ts firstNonFinite, assembly/elementwise.ts).
import { ValueError } from './errors.js';

/** Index of the first NaN or ±Infinity of values at or after `from`, or −1. */
export function firstNonFinite(values: ArrayLike<number>, from = 0): number {
  for (let i = from; i < values.length; i++) {
    const v = values[i];
    // v − v is 0 for every finite number and NaN for NaN and ±Infinity.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** `NAME must hold finite numbers; element AT is VALUE`, AT as the caller locates it ("3", "[3, 1]", "7 (at [3, 1])"). */
export function nonFiniteError(name: string, at: string, value: unknown): ValueError {
  return new ValueError(`${name} must hold finite numbers; element ${at} is ${String(value)}`);
}
