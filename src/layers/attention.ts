// Keras' Attention (Luong et al. 2015, dot-product scores): for each query step, a softmax over
// the value steps of query·key, then the weighted sum of the values — inputs [query, value] or
// [query, value, key] (the key is the value when not given), [Tq, dim], [Tv, dimV], [Tv, dim] →
// [Tq, dimV]. With useScale the scores are multiplied by a learned scalar (initially 1). Built
// from the batched dot products (ops/dot.ts) and the softmax of the activations.
import { ShapeError, ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation } from '../ops/activation.js';
import { dotBackward, dotForward, dotLayout, type DotLayout } from '../ops/dot.js';
import { copyBytes, readF32 } from '../ops/memory.js';
import { addInto } from '../ops/merge.js';
import { affine } from '../ops/resampling.js';
import { attentionMaskAdd } from '../ops/attention-mask.js';
import { maskSteps } from '../ops/step-mask.js';
import { checkBoolean, checkOptions } from '../options.js';
import { Activation } from '../runtime/bindings.js';
import { LAYER_ARGS, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { MergeLayer } from './merge.js';
import type { SymbolicTensor } from './node.js';

export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that multiplies the scores (default false). */
  useScale?: boolean;
  /** How query and key make a score: 'dot' only for now (Keras' default). */
  scoreMode?: 'dot';
  /** Fraction of the attention weights dropped in training: a model with it predicts (where it changes nothing), training it is not supported yet. */
  dropout?: number;
}

/**
 * Dot-product attention of a query sequence over a value sequence.
 * @example layers.attention().apply([query, value])
 */
export class Attention extends MergeLayer {
  readonly className: string = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot';
  readonly dropout: number;
  private layouts: { scores: DotLayout; output: DotLayout } | undefined;

  constructor(args: AttentionArgs = {}, className = 'Attention', useScaleByDefault = false) {
    const options = className === 'Attention' ? ['useScale', 'scoreMode', 'dropout'] as const : ['useScale', 'dropout'] as const;
    const o = checkOptions<AttentionArgs>(args, [...LAYER_ARGS, ...options], className);
    super(o, className);
    this.useScale = checkBoolean(o.useScale, 'useScale', className, useScaleByDefault);
    if ((o.scoreMode ?? 'dot') !== 'dot') throw new ValueError(`${className}: scoreMode must be 'dot' ('concat' is not supported yet); received ${describe(o.scoreMode)}`);
    this.scoreMode = 'dot';
    const dropout = o.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`${className}: dropout must be a fraction in [0, 1); received ${describe(o.dropout)}`);
    this.dropout = dropout;
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (shapes.length < 2 || shapes.length > 3) throw new ValueError(`Attention ${this.name}: takes [query, value] or [query, value, key]; received ${shapes.length} inputs`);
    const [query, value, key = value] = shapes;
    const shown = shapes.map((s) => `[${s.join(', ')}]`).join(', ');
    if (shapes.some((s) => s.length !== 2)) throw new ShapeError(`Attention ${this.name}: inputs must be [steps, dim] per sample; received ${shown}`);
    if (query[1] !== key[1]) throw new ShapeError(`Attention ${this.name}: the query's and the key's last sizes must agree; received ${shown}`);
    if (key[0] !== value[0]) throw new ShapeError(`Attention ${this.name}: the key and the value must have as many steps; received ${shown}`);
    return [query[0], value[1]];
  }

  protected override weightSpecs(): WeightSpec[] {
    return this.useScale ? [['scale', [], { kind: 'constant', name: 'ones', value: 1 }]] : [];
  }

  protected layout(): { scores: DotLayout; output: DotLayout } {
    if (!this.layouts) {
      const [query, value, key = value] = this.inputShapes;
      this.layouts = { scores: dotLayout(query, key, 1, 1), output: dotLayout([query[0], key[0]], value, 1, 0) };
    }
    return this.layouts;
  }

  /** Byte offsets: the raw scores, the attention weights, and in training their gradient, the key's, and the score's own (extra). */
  protected parts(batch: number): { raw: number; weights: number; dw: number; dk: number; extra: number; end: number; predict: number } {
    const [query, value, key = value] = this.inputShapes;
    const block = batch * query[0] * key[0] * 4;
    const raw = 0, weights = block, dw = 2 * block, dk = 3 * block, extra = dk + batch * key[0] * key[1] * 4;
    return { raw, weights, dw, dk, extra, end: extra + batch * key[1] * 4, predict: 2 * block };
  }

  override scratchBytes(batch: number, training: boolean): number {
    const p = this.parts(batch);
    return training ? p.end : p.predict;
  }

  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    if (step.training && this.dropout > 0) {
      throw new ValueError(`Attention ${this.name}: training with dropout ${this.dropout} is not supported yet (predict and evaluate are); set it to 0`);
    }
    const [query, value, key = value] = xs;
    const [shapeQ] = this.inputShapes, steps = this.inputShapes[2]?.[0] ?? this.inputShapes[1][0];
    const l = this.layout(), p = this.parts(step.batch), rows = step.batch * shapeQ[0], n = rows * steps;
    this.scores(step, query, key, scratch, n);
    // Keras' masks: padding value steps get −1e9 before the softmax; padding query steps a zero output.
    const [queryMask = 0, valueMask = 0] = step.masks ?? [];
    if (valueMask) attentionMaskAdd(step.be, scratch + p.weights, { keyMask: valueMask }, step.batch, 1, shapeQ[0], steps);
    biasActivation(step.be, scratch + p.weights, 0, rows, steps, Activation.Softmax);
    dotForward(step.be, l.output, scratch + p.weights, value, y, step.batch);
    if (queryMask) maskSteps(step.be, y, queryMask, y, step.batch, shapeQ[0], this.outputShape[1]);
  }

  /** Reads the query's and the value's Keras masks. */
  protected override get readsMasks(): boolean {
    return true;
  }

  /** The output has the query's steps, and keeps its mask. */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return inputs[0].mask;
  }

  backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const [query, value, key = value] = xs;
    const [shapeQ, shapeV] = this.inputShapes, shapeK = this.inputShapes[2] ?? shapeV, steps = shapeK[0];
    const l = this.layout(), p = this.parts(step.batch), rows = step.batch * shapeQ[0], n = rows * steps;
    const w = scratch + p.weights, dw = scratch + p.dw;
    // A padding query step's output was zeroed: no gradient flows from it.
    const queryMask = step.masks?.[0] ?? 0;
    if (queryMask) maskSteps(step.be, dy, queryMask, dy, step.batch, shapeQ[0], this.outputShape[1]);
    // Through the weighted sum: dL/d(weights) and the value's gradient.
    dotBackward(step.be, l.output, w, value, dy, dw, dxs[1], step.batch);
    // Through the softmax, then the scores.
    activationBackward(step.be, Activation.Softmax, w, dw, dw, rows, steps);
    // The key is the value when not given: its gradient adds to the value's.
    const keyIsValue = xs.length === 2;
    const dk = keyIsValue ? (dxs[1] ? scratch + p.dk : 0) : dxs[2];
    this.scoresBackward(step, query, key, scratch, n, dxs[0], dk);
    if (keyIsValue && dxs[1]) addInto(step.be, dxs[1], scratch + p.dk, step.batch * shapeK[0] * shapeK[1]);
  }

  /** The scores before the softmax, into the weights' block (their raw dot products kept for the scale's gradient). */
  protected scores(step: Step, query: number, key: number, scratch: number, n: number): void {
    const p = this.parts(step.batch);
    dotForward(step.be, this.layout().scores, query, key, scratch + p.raw, step.batch);
    if (this.useScale) affine(step.be, scratch + p.raw, scratch + p.weights, n, this.scale(step), 0);
    else copyBytes(step.be, scratch + p.raw, scratch + p.weights, n * 4);
  }

  /** From dL/dscores (in the dw block, overwritten): the query's and key's gradients (0: not needed) and the scale's. */
  protected scoresBackward(step: Step, query: number, key: number, scratch: number, n: number, dq: number, dk: number): void {
    const p = this.parts(step.batch), dw = scratch + p.dw;
    if (this.useScale) {
      const [scale] = this.weights;
      // d(scale) = Σ dL/d(scaled scores) · raw scores; the raw scores' gradient is scale times theirs.
      if (this.trainable) dotForward(step.be, dotLayout([n], [n], 0, 0), dw, scratch + p.raw, scale.grad, 1);
      affine(step.be, dw, dw, n, this.scale(step), 0);
    }
    dotBackward(step.be, this.layout().scores, query, key, dw, dq, dk, step.batch);
  }

  /** The learned scale's value. */
  private scale(step: Step): number {
    return readF32(step.be, this.weights[0].ptr, 1)[0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode, dropout: this.dropout };
  }
}
