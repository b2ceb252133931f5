// Keras' Attention (Luong et al. 2015): for each query step, a softmax over the value steps of
// the scores of query and key, then the weighted sum of the values — inputs [query, value] or
// [query, value, key] (the key is the value when not given), [Tq, dim], [Tv, dimV], [Tv, dim] →
// [Tq, dimV]. Scores (Keras 3's score_mode):
//   'dot'     s = scale · q·k                         (scale learned with useScale, else 1)
//   'concat'  s = w · Σ_c tanh(scale · (q_c + k_c))   (w learned, initially 1)
// Padding value steps (a Keras mask) and, with useCausalMask, later steps get −1e9 before the
// softmax; dropout drops attention weights in training; padding query steps get a zero output.
// Built from the batched dot products (ops/dot.ts), the additive scores' kernels and the softmax.
import { ShapeError, ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation } from '../ops/activation.js';
import { additiveBackward, additiveScores } from '../ops/additive-attention.js';
import { attentionMaskAdd, masksAny } from '../ops/attention-mask.js';
import { dotBackward, dotForward, dotLayout, type DotLayout } from '../ops/dot.js';
import { dropoutMask, multiply } from '../ops/dropout.js';
import { copyBytes, readF32 } from '../ops/memory.js';
import { addInto, concatBackward, concatForward } from '../ops/merge.js';
import { affine } from '../ops/resampling.js';
import { maskSteps } from '../ops/step-mask.js';
import { checkBoolean, checkOptions } from '../options.js';
import { Activation } from '../runtime/bindings.js';
import { AttentionLayer, type AttentionCallArgs } from './attention-call.js';
import { LAYER_ARGS, scratchLayout, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { SymbolicTensor } from './node.js';
import { packedShape, withParts } from './outputs.js';

export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that scales the scores (default false). */
  useScale?: boolean;
  /** How query and key make a score: 'dot' (Keras' default) or 'concat'. */
  scoreMode?: 'dot' | 'concat';
  /** Fraction of the attention weights dropped in training (default 0). */
  dropout?: number;
}

/** What apply takes besides a list: Keras' call arguments by name. */
export interface AttentionInputs extends AttentionCallArgs {
  query: SymbolicTensor;
  value: SymbolicTensor;
  key?: SymbolicTensor;
}

/**
 * Dot-product (or concat) attention of a query sequence over a value sequence.
 * @example layers.attention().apply([query, value])
 * @example layers.attention({ useScale: true }).apply({ query: x, value: x, useCausalMask: true })
 */
export class Attention extends AttentionLayer {
  readonly className: string = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  readonly dropout: number;
  private layouts: { scores: DotLayout; output: DotLayout } | undefined;

  constructor(args: AttentionArgs = {}, className = 'Attention', useScaleByDefault = false) {
    const options = className === 'Attention' ? ['useScale', 'scoreMode', 'dropout'] as const : ['useScale', 'dropout'] as const;
    const o = checkOptions<AttentionArgs>(args, [...LAYER_ARGS, ...options], className);
    super(o, className);
    this.useScale = checkBoolean(o.useScale, 'useScale', className, useScaleByDefault);
    const mode = o.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') throw new ValueError(`${className}: scoreMode must be 'dot' or 'concat'; received ${describe(o.scoreMode)}`);
    this.scoreMode = mode;
    const dropout = o.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`${className}: dropout must be a fraction in [0, 1); received ${describe(o.dropout)}`);
    this.dropout = dropout;
  }

  /**
   * Applies the layer to [query, value] or [query, value, key], or by name ({ query, value, key?,
   * useCausalMask?, returnAttentionScores? }, Keras' call arguments; then [output, scores [Tq, Tv]]).
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[] | AttentionInputs): SymbolicTensor {
    let list: SymbolicTensor[];
    if (inputs instanceof SymbolicTensor || Array.isArray(inputs)) {
      list = inputs instanceof SymbolicTensor ? [inputs] : [...inputs];
      this.call.take(undefined);
    } else {
      const named = checkOptions<AttentionInputs>(inputs, ['query', 'value', 'key', 'useCausalMask', 'returnAttentionScores'], `${this.className} ${this.name}.apply`);
      if (!named.query || !named.value) throw new ValueError(`${this.className} ${this.name}.apply: needs query and value; received ${describe(inputs)}`);
      this.call.take(named);
      list = [named.query, named.value, ...(named.key ? [named.key] : [])];
    }
    const out = super.apply(list);
    return this.returnAttentionScores ? withParts(out, this.outputShapesOf(list.map((t) => t.sizes))) : out;
  }

  /** The outputs apply gives: [Tq, dimV], then with returnAttentionScores the scores [Tq, Tv]. */
  private outputShapesOf(shapes: readonly (readonly number[])[]): number[][] {
    const [query, value, key = value] = shapes;
    return [[query[0], value[1]], ...(this.returnAttentionScores ? [[query[0], key[0]]] : [])];
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (shapes.length < 2 || shapes.length > 3) throw new ValueError(`${this.className} ${this.name}: takes [query, value] or [query, value, key]; received ${shapes.length} inputs`);
    const [query, value, key = value] = shapes;
    const shown = shapes.map((s) => `[${s.join(', ')}]`).join(', ');
    if (shapes.some((s) => s.length !== 2)) throw new ShapeError(`${this.className} ${this.name}: inputs must be [steps, dim] per sample; received ${shown}`);
    if (query[1] !== key[1]) throw new ShapeError(`${this.className} ${this.name}: the query's and the key's last sizes must agree; received ${shown}`);
    if (key[0] !== value[0]) throw new ShapeError(`${this.className} ${this.name}: the key and the value must have as many steps; received ${shown}`);
    // With returnAttentionScores, the output and the scores side by side (apply takes them apart).
    return packedShape(this.outputShapesOf(shapes));
  }

  protected override weightSpecs(): WeightSpec[] {
    const ones = { kind: 'constant', name: 'ones', value: 1 } as const;
    return [...(this.useScale ? [['scale', [], ones] as WeightSpec] : []), ...(this.scoreMode === 'concat' ? [['concat_score_weight', [], ones] as WeightSpec] : [])];
  }

  protected layout(): { scores: DotLayout; output: DotLayout } {
    if (!this.layouts) {
      const [query, value, key = value] = this.inputShapes;
      this.layouts = { scores: dotLayout(query, key, 1, 1), output: dotLayout([query[0], key[0]], value, 1, 0) };
    }
    return this.layouts;
  }

  /** [query steps, key steps, query/key features, value features]. */
  protected dims(): [number, number, number, number] {
    const [query, value, key = value] = this.inputShapes;
    return [query[0], key[0], query[1], value[1]];
  }

  /**
   * Byte offsets of the scratch blocks: the raw scores, the attention weights (and with dropout in
   * training its mask and the dropped weights), the concat mode's scaled query and key, the
   * output before it is placed beside the scores; in training the weights' gradient (dw), the
   * key's, the additive scale's per sample (extra), the concat mode's scaled inputs' and the two
   * outputs' gradients.
   */
  protected parts(batch: number, training = true): Record<'raw' | 'weights' | 'mask' | 'dropped' | 'qs' | 'ks' | 'y' | 'dw' | 'dk' | 'extra' | 'dqs' | 'dks' | 'dY' | 'dS' | 'total', number> {
    const [tq, tk, d, dv] = this.dims(), n = batch * tq * tk * 4, t = training ? 1 : 0;
    const dropped = training && this.dropout > 0 ? 1 : 0, concat = this.scoreMode === 'concat' ? 1 : 0, scores = this.returnAttentionScores ? 1 : 0;
    return scratchLayout({
      raw: n, weights: n, mask: dropped * n, dropped: dropped * n, qs: concat * batch * tq * d * 4, ks: concat * batch * tk * d * 4, y: scores * batch * tq * dv * 4,
      dw: t * n, dk: t * batch * tk * d * 4, extra: t * batch * d * 4, dqs: t * concat * batch * tq * d * 4, dks: t * concat * batch * tk * d * 4,
      dY: t * scores * batch * tq * dv * 4, dS: t * scores * n,
    });
  }

  override scratchBytes(batch: number, training: boolean): number {
    return this.parts(batch, training).total;
  }

  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    const [query, value, key = value] = xs;
    const [tq, tk, , dv] = this.dims(), batch = step.batch;
    const l = this.layout(), p = this.parts(batch, step.training), rows = batch * tq, n = rows * tk;
    this.scores(step, query, key, scratch, n);
    // Keras' masks: padding value steps (and later steps, causal) get −1e9 before the softmax.
    const [queryMask = 0, valueMask = 0] = step.masks ?? [];
    const masks = { keyMask: valueMask, causal: this.useCausalMask };
    if (masksAny(masks)) attentionMaskAdd(step.be, scratch + p.weights, masks, batch, 1, tq, tk);
    biasActivation(step.be, scratch + p.weights, 0, rows, tk, Activation.Softmax);
    let used = scratch + p.weights;
    if (step.training && this.dropout > 0) {
      dropoutMask(step.be, step.rng!, scratch + p.mask, n, this.dropout);
      multiply(step.be, used, scratch + p.mask, scratch + p.dropped, n);
      used = scratch + p.dropped;
    }
    const out = this.returnAttentionScores ? scratch + p.y : y;
    dotForward(step.be, l.output, used, value, out, batch);
    // Padding query steps: a zero output.
    if (queryMask) maskSteps(step.be, out, queryMask, out, batch, tq, dv);
    // The output, then the attention weights (as used, dropout included, as Keras returns them), side by side per sample.
    if (this.returnAttentionScores) concatForward(step.be, [out, used], [tq * dv, tq * tk], batch, y);
  }

  backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const [query, value, key = value] = xs;
    const [tq, tk, d, dv] = this.dims(), batch = step.batch;
    const l = this.layout(), p = this.parts(batch), rows = batch * tq, n = rows * tk;
    const w = scratch + p.weights, dw = scratch + p.dw, dropped = this.dropout > 0, used = dropped ? scratch + p.dropped : w;
    let dOut = dy;
    if (this.returnAttentionScores) {
      concatBackward(step.be, dy, [tq * dv, tq * tk], batch, [scratch + p.dY, scratch + p.dS]);
      dOut = scratch + p.dY;
    }
    // A padding query step's output was zeroed: no gradient flows from it.
    const queryMask = step.masks?.[0] ?? 0;
    if (queryMask) maskSteps(step.be, dOut, queryMask, dOut, batch, tq, dv);
    // Through the weighted sum: dL/d(weights as used) and the value's gradient.
    dotBackward(step.be, l.output, used, value, dOut, dw, dxs[1], batch);
    if (this.returnAttentionScores) addInto(step.be, dw, scratch + p.dS, n);
    if (dropped) multiply(step.be, dw, scratch + p.mask, dw, n);
    // Through the softmax, then the scores.
    activationBackward(step.be, Activation.Softmax, w, dw, dw, rows, tk);
    // The key is the value when not given: its gradient adds to the value's.
    const keyIsValue = xs.length === 2;
    const dk = keyIsValue ? (dxs[1] ? scratch + p.dk : 0) : dxs[2];
    this.scoresBackward(step, query, key, scratch, n, dxs[0], dk);
    if (keyIsValue && dxs[1]) addInto(step.be, dxs[1], scratch + p.dk, batch * tk * d);
  }

  /** The scores before the softmax, into the weights' block (the raw ones kept for the learned scalars' gradients). */
  protected scores(step: Step, query: number, key: number, scratch: number, n: number): void {
    const p = this.parts(step.batch, step.training), [tq, tk, d] = this.dims(), batch = step.batch;
    if (this.scoreMode === 'dot') {
      dotForward(step.be, this.layout().scores, query, key, scratch + p.raw, batch);
      if (this.useScale) affine(step.be, scratch + p.raw, scratch + p.weights, n, this.scalar(step, 'scale'), 0);
      else copyBytes(step.be, scratch + p.raw, scratch + p.weights, n * 4);
      return;
    }
    // concat: Σ_c tanh(scale·q_c + scale·k_c), the additive scores of the scaled query and key, times w.
    let q = query, k = key;
    if (this.useScale) {
      const scale = this.scalar(step, 'scale');
      affine(step.be, query, scratch + p.qs, batch * tq * d, scale, 0);
      affine(step.be, key, scratch + p.ks, batch * tk * d, scale, 0);
      q = scratch + p.qs;
      k = scratch + p.ks;
    }
    additiveScores(step.be, q, k, 0, batch, tq, tk, d, scratch + p.raw);
    affine(step.be, scratch + p.raw, scratch + p.weights, n, this.scalar(step, 'concat_score_weight'), 0);
  }

  /** From dL/dscores (in the dw block, overwritten): the query's and key's gradients (0: not needed) and the learned scalars'. */
  protected scoresBackward(step: Step, query: number, key: number, scratch: number, n: number, dq: number, dk: number): void {
    const p = this.parts(step.batch), dw = scratch + p.dw, [tq, tk, d] = this.dims(), batch = step.batch;
    const sum = (a: number, b: number, size: number, out: number) => dotForward(step.be, dotLayout([size], [size], 0, 0), a, b, out, 1);
    const scalar = this.scoreMode === 'dot' ? 'scale' : 'concat_score_weight';
    if (this.scoreMode === 'dot' ? this.useScale : true) {
      // d(scalar) = Σ dL/d(scaled scores) · raw scores; the raw scores' gradient is the scalar times theirs.
      if (this.trainable) sum(dw, scratch + p.raw, n, this.weight(scalar).grad);
      affine(step.be, dw, dw, n, this.scalar(step, scalar), 0);
    }
    if (this.scoreMode === 'dot') return dotBackward(step.be, this.layout().scores, query, key, dw, dq, dk, batch);
    if (!this.useScale) return additiveBackward(step.be, query, key, 0, batch, tq, tk, d, dw, dq, dk, 0);
    // Through the scaled query and key: d(scale) = Σ dq'·q + Σ dk'·k, dq = scale·dq'.
    const dqs = scratch + p.dqs, dks = scratch + p.dks, scale = this.scalar(step, 'scale');
    additiveBackward(step.be, scratch + p.qs, scratch + p.ks, 0, batch, tq, tk, d, dw, dqs, dks, 0);
    if (this.trainable) {
      const grad = this.weight('scale').grad;
      sum(dqs, query, batch * tq * d, grad);
      sum(dks, key, batch * tk * d, scratch + p.extra);
      addInto(step.be, grad, scratch + p.extra, 1);
    }
    if (dq) affine(step.be, dqs, dq, batch * tq * d, scale, 0);
    if (dk) affine(step.be, dks, dk, batch * tk * d, scale, 0);
  }

  /** A learned scalar, by its name. */
  private weight(name: string): { ptr: number; grad: number } {
    return this.weights.find((w) => w.name.endsWith(`/${name}`))!;
  }

  /** A learned scalar's value. */
  private scalar(step: Step, name: string): number {
    return readF32(step.be, this.weight(name).ptr, 1)[0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode, dropout: this.dropout };
  }
}
