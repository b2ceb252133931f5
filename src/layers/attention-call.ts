// Keras' call arguments of the attention layers that change what a layer computes or gives —
// use_causal_mask and return_attention_scores — held by the layer: every application of one layer
// uses the same (the first apply sets them; a file's inbound node records them, and loading sets
// them again before the layer is applied). AttentionLayer is the attention layers' base with them.
import { ValueError } from '../errors.js';
import { checkBoolean } from '../options.js';
import type { LayerArgs } from './layer.js';
import { MergeLayer } from './merge.js';
import type { SymbolicTensor } from './node.js';

export interface AttentionCallArgs {
  /** Query step i attends to key steps j ≤ i only (a decoder's mask). */
  useCausalMask?: boolean;
  /** Also give the attention weights: apply returns [output, scores]. */
  returnAttentionScores?: boolean;
}

export class AttentionCall {
  private causal: boolean | undefined;
  private scores: boolean | undefined;

  constructor(private readonly where: () => string) {}

  get useCausalMask(): boolean {
    return this.causal ?? false;
  }

  get returnAttentionScores(): boolean {
    return this.scores ?? false;
  }

  /** The arguments of an apply by name (a list: undefined, which keeps the layer's), checked against earlier applications. */
  take(named: AttentionCallArgs | undefined): void {
    if (!named) {
      this.causal ??= false;
      this.scores ??= false;
      return;
    }
    const causal = checkBoolean(named.useCausalMask, 'useCausalMask', `${this.where()}.apply`, false);
    const scores = checkBoolean(named.returnAttentionScores, 'returnAttentionScores', `${this.where()}.apply`, false);
    for (const [name, before, now] of [['useCausalMask', this.causal, causal], ['returnAttentionScores', this.scores, scores]] as const) {
      if (before !== undefined && before !== now) throw new ValueError(`${this.where()}.apply: was applied with ${name} ${before}; every application of one layer must use the same`);
    }
    this.causal = causal;
    this.scores = scores;
  }

  /** From a file's call arguments (Keras' snake_case names). */
  fromFile(kwargs: Record<string, unknown>): void {
    if (typeof kwargs.use_causal_mask === 'boolean') this.causal = kwargs.use_causal_mask;
    if (typeof kwargs.return_attention_scores === 'boolean') this.scores = kwargs.return_attention_scores;
  }

  /** What a file records with each application. */
  toFile(): Record<string, unknown> {
    return { ...(this.useCausalMask ? { use_causal_mask: true } : {}), ...(this.returnAttentionScores ? { return_attention_scores: true } : {}) };
  }
}

/** The attention layers (Attention, AdditiveAttention, MultiHeadAttention): merges with Keras' call arguments. */
export abstract class AttentionLayer extends MergeLayer {
  /** Keras' call arguments, fixed by the first apply (every application shares them). */
  protected readonly call = new AttentionCall(() => `${this.className} ${this.name}`);

  protected constructor(args: LayerArgs, className: string) {
    super(args, className);
  }

  /** Whether query steps see only earlier key steps (set by the first apply). */
  get useCausalMask(): boolean {
    return this.call.useCausalMask;
  }

  /** Whether apply gives [output, attention scores] (set by the first apply). */
  get returnAttentionScores(): boolean {
    return this.call.returnAttentionScores;
  }

  /** Sets the causal mask and the scores output from a file's call arguments before the layer is applied. */
  override takeCallArguments(kwargs: Record<string, unknown>): void {
    this.call.fromFile(kwargs);
  }

  /** The call arguments a file records for each application. */
  override callArguments(): Record<string, unknown> {
    return this.call.toFile();
  }

  /** Reads the inputs' Keras masks (padding query and key steps). */
  protected override get readsMasks(): boolean {
    return true;
  }

  /** The output has the query's steps, and keeps its mask. */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return inputs[0].mask;
  }
}
