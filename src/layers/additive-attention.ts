// Keras' AdditiveAttention (Bahdanau et al. 2015): the attention of attention.ts with additive
// scores, score[i, j] = Σ_c scale[c]·tanh(q[i, c] + k[j, c]), scale a learned vector (useScale,
// the default; Keras' glorot-uniform start) or ones (assembly/additive-attention.ts).
import { sumRows } from '../ops/activation.js';
import { additiveBackward, additiveScores } from '../ops/additive-attention.js';
import { Attention, type AttentionArgs } from './attention.js';
import type { Step, WeightSpec } from './layer.js';

export type AdditiveAttentionArgs = Omit<AttentionArgs, 'scoreMode'>;

/**
 * Additive attention of a query sequence over a value sequence.
 * @example layers.additiveAttention().apply([query, value])
 */
export class AdditiveAttention extends Attention {
  override readonly className: string = 'AdditiveAttention';

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args, 'AdditiveAttention', true);
  }

  protected override weightSpecs(): WeightSpec[] {
    const [query] = this.inputShapes;
    return this.useScale ? [['scale', [query[1]], { kind: 'varianceScaling', name: 'glorotUniform', scale: 1, mode: 'fanAvg', distribution: 'uniform' }]] : [];
  }

  protected override scores(step: Step, query: number, key: number, scratch: number): void {
    const [tq, tv, d] = this.dims(), batch = step.batch;
    additiveScores(step.be, query, key, this.useScale ? this.weights[0].ptr : 0, batch, tq, tv, d, scratch + this.parts(batch, step.training).weights);
  }

  protected override scoresBackward(step: Step, query: number, key: number, scratch: number, _n: number, dq: number, dk: number): void {
    const [tq, tv, d] = this.dims(), batch = step.batch, p = this.parts(batch);
    const learn = this.useScale && this.trainable;
    additiveBackward(step.be, query, key, this.useScale ? this.weights[0].ptr : 0, batch, tq, tv, d, scratch + p.dw, dq, dk, learn ? scratch + p.extra : 0);
    // The scale's gradient: the samples' parts summed in order.
    if (learn) sumRows(step.be, scratch + p.extra, batch, d, this.weights[0].grad);
  }

  override getConfig(): Record<string, unknown> {
    const { scoreMode: _mode, ...config } = super.getConfig();
    return config;
  }
}
