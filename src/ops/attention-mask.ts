// Typed wrapper of assembly/attention-mask.ts.
import type { Backend } from '../runtime/backend.js';

/** Which positions of attention's scores are kept: causality, a per-sample [tq, tk] mask, the query's [tq] and the key's [tk] masks (pointers; 0: none). */
export interface ScoreMasks {
  causal?: boolean;
  mask?: number;
  queryMask?: number;
  keyMask?: number;
}

/** Whether any position is masked out. */
export function masksAny(m: ScoreMasks): boolean {
  return !!(m.causal || m.mask || m.queryMask || m.keyMask);
}

/** Adds −1e9 to the scores ([batch, heads, tq, tk]) the masks take out. */
export function attentionMaskAdd(be: Backend, scores: number, m: ScoreMasks, batch: number, heads: number, tq: number, tk: number): void {
  be.launch('attentionMaskAdd', [scores, m.mask ?? 0, m.queryMask ?? 0, m.keyMask ?? 0, +(m.causal ?? false), heads, tq, tk], batch * heads, 1, batch * heads * tq * tk);
}
