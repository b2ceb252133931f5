// Typed wrapper of assembly/attention-mask.ts.
import type { Backend } from '../runtime/backend.js';

/** Adds −1e9 to the scores ([batch, heads, tq, tk]) masked out by causality and/or a per-sample [tq, tk] mask (0: none). */
export function attentionMaskAdd(be: Backend, scores: number, mask: number, causal: boolean, batch: number, heads: number, tq: number, tk: number): void {
  be.launch('attentionMaskAdd', [scores, mask, +causal, heads, tq, tk], batch * heads, 1, batch * heads * tq * tk);
}
