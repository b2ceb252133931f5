// Test helpers: buffers and random data for the kernel tests. Tests (unlike kernels) may
// allocate: they run on as-pect's full runtime, one thread.
import { randomNextU32, randomSeed, randomUniform } from '../random';

export const rngState: usize = heap.alloc(16);

export function seedTests(seed: u32): void {
  randomSeed(rngState, seed, 0);
}

/** A uniform integer in [low, high]. */
export function randomInt(low: i32, high: i32): i32 {
  return low + <i32>(randomNextU32(rngState) % <u32>(high - low + 1));
}

/** A fresh buffer of n floats filled with uniform values in [-1, 1). */
export function randomBuffer(n: i32): usize {
  const p = heap.alloc(<usize>max(n, 1) << 2);
  randomUniform(rngState, p, n, -1, 1);
  return p;
}

export function copyBuffer(src: usize, n: i32): usize {
  const p = heap.alloc(<usize>max(n, 1) << 2);
  memory.copy(p, src, <usize>n << 2);
  return p;
}

export function at(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

export function set(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

/** |x − y| ≤ atol + rtol·|y|, or both NaN. */
export function close(x: f64, y: f64, rtol: f64, atol: f64): bool {
  if (isNaN(x) && isNaN(y)) return true;
  return Math.abs(x - y) <= atol + rtol * Math.abs(y);
}
