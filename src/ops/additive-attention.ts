// Typed wrappers of assembly/additive-attention.ts.
import type { Backend } from '../runtime/backend.js';

/** Bahdanau scores per sample: Σ_c scale[c]·tanh(q[i, c] + k[j, c]) (scale 0: ones), split by samples. */
export function additiveScores(be: Backend, q: number, k: number, scale: number, batch: number, tq: number, tv: number, d: number, scores: number): void {
  be.launch('additiveScores', [q, k, scale, tq, tv, d, scores], batch, 1, batch * tq * tv * d * 20);
}

/** dq, dk (0: not needed) and each sample's dL/dscale (d per sample; 0: not needed) from dL/dscores. */
export function additiveBackward(be: Backend, q: number, k: number, scale: number, batch: number, tq: number, tv: number, d: number, dScores: number,
  dq: number, dk: number, scaleGrads: number): void {
  be.launch('additiveBackward', [q, k, scale, tq, tv, d, dScores, dq, dk, scaleGrads], batch, 1, batch * tq * tv * d * 40);
}
