// Independent references for the tests: plain loops in f64, no WebAssembly.

/** op(A)·op(B) for row-major a ([m,k] or [k,m] if transposed) and b, in f64. */
export function naiveMatMul(
  a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean,
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = transposeA ? a[p * m + i] : a[i * k + p];
        const y = transposeB ? b[j * k + p] : b[p * n + j];
        sum += x * y;
        abs += Math.abs(x * y);
      }
      value[i * n + j] = sum;
      magnitude[i * n + j] = abs;
    }
  }
  return { value, magnitude };
}

/** A small deterministic generator for test data (mulberry32), independent of the library's. */
export function testRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(n: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  return out;
}

// FNV-1a over a Float32Array's bit patterns: the smoke test's, so every runtime hashes alike.
// @ts-expect-error: plain JavaScript module shared with the other runtimes
export { bitsHash } from './runtimes/smoke.js';
