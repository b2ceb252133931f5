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

/** Bahdanau scores per sample: Σ_c scale[c]·tanh(q[i, c] + k[j, c]) (scale 0: ones), split by samples. */
export function additiveScores(be: Backend, q: number, k: number, scale: number, batch: number, tq: number, tv: number, d: number, scores: number): void {
  be.launch('additiveScores', [q, k, scale, tq, tv, d, scores], batch, 1, batch * tq * tv * d * 20);
}

/** dq, dk (0: not needed) and each sample's dL/dscale (d per sample; 0: not needed) from dL/dscores. */
export function additiveBackward(be: Backend, q: number, k: number, scale: number, batch: number, tq: number, tv: number, d: number, dScores: number,
  dq: number, dk: number, scaleGrads: number): void {
  be.launch('additiveBackward', [q, k, scale, tq, tv, d, dScores, dq, dk, scaleGrads], batch, 1, batch * tq * tv * d * 40);
}
