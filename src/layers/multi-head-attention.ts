// Keras 3's MultiHeadAttention (Vaswani et al. 2017, "Attention is all you need", §3.2), for
// sequences: inputs query [Tq, dq], value [Tk, dv] and key [Tk, dk] (the value when not given).
// Per head h:
//   Q_h = query·Wq[:, h] + bq[h]      K_h = key·Wk[:, h] + bk[h]      V_h = value·Wv[:, h] + bv[h]
//   P_h = softmax(Q_h·K_hᵀ / √keyDim + masks)      O_h = dropout(P_h)·V_h
//   y   = Σ_h O_h·Wo[h] + bo
// with Keras' weight layout (query/key/value kernels [d, heads, keyDim or valueDim], biases
// [heads, dim], the output kernel [heads, valueDim, outputDim]). The projections are GEMMs over
// every step of the batch; the heads' products are batched GEMMs that read each head where the
// projection wrote it ([batch, steps, heads, dim]), so nothing is permuted.
import { ShapeError, ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import { attentionMaskAdd, masksAny } from '../ops/attention-mask.js';
import { dropoutMask, multiply } from '../ops/dropout.js';
import { zeroBytes } from '../ops/memory.js';
import { addInto, concatBackward, concatForward } from '../ops/merge.js';
import { gemm, gemmBatch, type BatchOperand } from '../ops/gemm.js';
import { checkBoolean, checkOptions } from '../options.js';
import { regularizerToKeras } from '../regularizers.js';
import { Activation } from '../runtime/bindings.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, scratchLayout, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { AttentionLayer, type AttentionCallArgs } from './attention-call.js';
import { SymbolicTensor } from './node.js';
import { packedShape, withParts } from './outputs.js';
import { KERNEL_BIAS_ARGS, kernelBiasConfig, readKernelBias, type KernelBias, type KernelBiasArgs } from './weight-options.js';

export interface MultiHeadAttentionArgs extends LayerArgs, KernelBiasArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head's query and key. */
  keyDim: number;
  /** Size of each head's value (default keyDim). */
  valueDim?: number | null;
  /** Fraction of the attention weights dropped in training (default 0). */
  dropout?: number;
  /** Whether the projections have biases (default true). */
  useBias?: boolean;
  /** Size of the output's last axis (default the query's). */
  outputShape?: number | readonly number[] | null;
  /** The axes attention runs over: the steps (null or [1], Keras' default for sequences) only. */
  attentionAxes?: number | readonly number[] | null;
  /** Initializer of the four kernels (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the biases (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
}

/** What apply takes besides a list: Keras' call arguments by name. */
export interface MultiHeadAttentionInputs extends AttentionCallArgs {
  query: SymbolicTensor;
  value: SymbolicTensor;
  key?: SymbolicTensor;
  /** Per sample [Tq, Tk]: query step i may attend to key step j where it is nonzero. */
  attentionMask?: SymbolicTensor;
}

/**
 * Multi-head scaled dot-product attention, as Keras 3's MultiHeadAttention.
 * @example const y = layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x]);
 * @example layers.multiHeadAttention({ numHeads: 2, keyDim: 8 }).apply({ query: x, value: x, useCausalMask: true });
 */
export class MultiHeadAttention extends AttentionLayer {
  readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  readonly kernelBias: KernelBias;
  private readonly declaredOutput: number | undefined;
  private masked: boolean | undefined;

  constructor(args: MultiHeadAttentionArgs) {
    const o = checkOptions<MultiHeadAttentionArgs>(args, [...LAYER_ARGS, ...KERNEL_BIAS_ARGS, 'numHeads', 'keyDim', 'valueDim', 'dropout', 'useBias', 'outputShape',
      'attentionAxes', 'kernelInitializer', 'biasInitializer'], 'MultiHeadAttention');
    super(o, 'MultiHeadAttention');
    const positive = (v: unknown, name: string): number => {
      if (!Number.isInteger(v) || (v as number) < 1) throw new ValueError(`MultiHeadAttention: ${name} must be a positive integer; received ${describe(v)}`);
      return v as number;
    };
    this.numHeads = positive(o.numHeads, 'numHeads');
    this.keyDim = positive(o.keyDim, 'keyDim');
    this.valueDim = o.valueDim === undefined || o.valueDim === null ? this.keyDim : positive(o.valueDim, 'valueDim');
    const dropout = o.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`MultiHeadAttention: dropout must be a fraction in [0, 1); received ${describe(o.dropout)}`);
    this.dropout = dropout;
    this.useBias = checkBoolean(o.useBias, 'useBias', 'MultiHeadAttention', true);
    const out = o.outputShape;
    if (out === undefined || out === null) this.declaredOutput = undefined;
    else if (Array.isArray(out) && out.length === 1) this.declaredOutput = positive(out[0], 'outputShape[0]');
    else if (!Array.isArray(out)) this.declaredOutput = positive(out, 'outputShape');
    else throw new ValueError(`MultiHeadAttention: outputShape must be a positive integer or [size] (the last axis only); received ${describe(out)}`);
    const axes = o.attentionAxes;
    if (!(axes === undefined || axes === null || axes === 1 || axes === -2 || (Array.isArray(axes) && axes.length === 1 && (axes[0] === 1 || axes[0] === -2)))) {
      throw new ValueError(`MultiHeadAttention: attentionAxes must be null or [1] (attention over the steps of [steps, features] inputs); received ${describe(axes)}`);
    }
    this.kernelInitializer = initializerSpec(o.kernelInitializer ?? 'glorotUniform', 'MultiHeadAttention: kernelInitializer');
    this.biasInitializer = initializerSpec(o.biasInitializer ?? 'zeros', 'MultiHeadAttention: biasInitializer');
    this.kernelBias = readKernelBias(o, 'MultiHeadAttention');
  }

  /**
   * Applies the layer to [query, value], [query, value, key] or [query, value, key, attentionMask],
   * or by name ({ query, value, key?, attentionMask?, useCausalMask?, returnAttentionScores? },
   * Keras' call arguments). The masks are the layer's: every application of one layer uses the same.
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[] | MultiHeadAttentionInputs): SymbolicTensor {
    let list: SymbolicTensor[];
    if (inputs instanceof SymbolicTensor) {
      throw new ValueError(`MultiHeadAttention ${this.name}.apply: takes [query, value] (the same tensor twice for self-attention), [query, value, key], or { query, value, key?, attentionMask?, useCausalMask? }; received one tensor`);
    } else if (Array.isArray(inputs)) {
      list = [...inputs];
      if (list.length < 2 || list.length > 4) {
        throw new ValueError(`MultiHeadAttention ${this.name}.apply: takes [query, value], [query, value, key] or [query, value, key, attentionMask]; received ${list.length} inputs`);
      }
      this.call.take(undefined);
    } else {
      const named = checkOptions<MultiHeadAttentionInputs>(inputs, ['query', 'value', 'key', 'attentionMask', 'useCausalMask', 'returnAttentionScores'], `MultiHeadAttention ${this.name}.apply`);
      if (!named.query || !named.value) throw new ValueError(`MultiHeadAttention ${this.name}.apply: needs query and value; received ${describe(inputs)}`);
      this.call.take(named);
      list = [named.query, named.value, ...(named.key || named.attentionMask ? [named.key ?? named.value] : []), ...(named.attentionMask ? [named.attentionMask] : [])];
    }
    const masked = list.length === 4;
    if (this.masked !== undefined && this.masked !== masked) {
      throw new ValueError(`MultiHeadAttention ${this.name}.apply: was applied ${this.masked ? 'with' : 'without'} an attentionMask; every application of one layer must use the same`);
    }
    this.masked = masked;
    const out = super.apply(list);
    return this.returnAttentionScores ? withParts(out, this.outputShapesOf(list.map((t) => t.sizes))) : out;
  }

  /** The outputs apply gives: [Tq, outputDim], then with returnAttentionScores the scores [heads, Tq, Tk]. */
  private outputShapesOf(shapes: readonly (readonly number[])[]): number[][] {
    const [query, value, key = value] = shapes;
    return [[query[0], this.outputDim(query)], ...(this.returnAttentionScores ? [[this.numHeads, query[0], key[0]]] : [])];
  }

  /** The size of the output's last axis. */
  private outputDim(query: readonly number[] = this.inputShapes[0]): number {
    return this.declaredOutput ?? query[1];
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (shapes.length < 2 || shapes.length > 4) throw new ValueError(`MultiHeadAttention ${this.name}: takes [query, value], [query, value, key] or [query, value, key, attentionMask]; received ${shapes.length} inputs`);
    const [query, value, key = value, mask] = shapes;
    const shown = shapes.map((s) => `[${s.join(', ')}]`).join(', ');
    if ([query, value, key].some((s) => s.length !== 2)) throw new ShapeError(`MultiHeadAttention ${this.name}: query, value and key must be [steps, features] per sample; received ${shown}`);
    if (key[0] !== value[0]) throw new ShapeError(`MultiHeadAttention ${this.name}: the key and the value must have as many steps; received ${shown}`);
    if (mask && (mask.length !== 2 || mask[0] !== query[0] || mask[1] !== key[0])) {
      throw new ShapeError(`MultiHeadAttention ${this.name}: the attentionMask must be [query steps, key steps] = [${query[0]}, ${key[0]}] per sample; received [${mask.join(', ')}]`);
    }
    // With returnAttentionScores, the output and the scores side by side (apply takes them apart).
    return packedShape(this.outputShapesOf(shapes));
  }

  protected override weightSpecs(): WeightSpec[] {
    const [query, value, key = value] = this.inputShapes;
    const h = this.numHeads, k = this.kernelBias, out = this.outputDim(query);
    const kernel = { regularizer: k.kernelRegularizer, constraint: k.kernelConstraint }, bias = { regularizer: k.biasRegularizer, constraint: k.biasConstraint };
    const specs: WeightSpec[] = [];
    const projection = (name: string, d: number, dim: number, biasShape: number[]) => {
      specs.push([`${name}/kernel`, name === 'attention_output' ? [h, this.valueDim, out] : [d, h, dim], this.kernelInitializer, kernel]);
      if (this.useBias) specs.push([`${name}/bias`, biasShape, this.biasInitializer, bias]);
    };
    projection('query', query[1], this.keyDim, [h, this.keyDim]);
    projection('key', key[1], this.keyDim, [h, this.keyDim]);
    projection('value', value[1], this.valueDim, [h, this.valueDim]);
    projection('attention_output', 0, 0, [out]);
    return specs;
  }

  /** The kernels and biases (bias 0 without useBias) of the query, key, value and output projections. */
  private projections(): { kernel: { ptr: number; grad: number }; bias: { ptr: number; grad: number } | undefined }[] {
    const w = this.weights, per = this.useBias ? 2 : 1;
    return [0, 1, 2, 3].map((i) => ({ kernel: w[i * per], bias: this.useBias ? w[i * per + 1] : undefined }));
  }

  private sizes(batch: number) {
    const [query, value] = this.inputShapes;
    const tq = query[0], tk = value[0], h = this.numHeads;
    return { tq, tk, q: batch * tq * h * this.keyDim, k: batch * tk * h * this.keyDim, v: batch * tk * h * this.valueDim, o: batch * tq * h * this.valueDim, p: batch * h * tq * tk, y: batch * tq * this.outputDim() * 4 };
  }

  /** Byte offsets of the scratch blocks: projections, weights (and, with dropout, the mask and dropped weights), the heads' outputs; in training the gradients too. */
  private parts(batch: number, training: boolean) {
    const s = this.sizes(batch), t = training ? 1 : 0, dropped = training && this.dropout > 0 ? 1 : 0, scores = this.returnAttentionScores ? 1 : 0;
    return scratchLayout({
      q: s.q * 4, k: s.k * 4, v: s.v * 4, p: s.p * 4, mask: s.p * 4 * dropped, dropped: s.p * 4 * dropped, o: s.o * 4,
      dO: s.o * 4 * t, dP: s.p * 4 * t, dQ: s.q * 4 * t, dK: s.k * 4 * t, dV: s.v * 4 * t,
      // With returnAttentionScores: the output before it is placed beside the scores, and in training their gradients.
      y: s.y * scores, dY: s.y * scores * t, dS: s.p * 4 * scores * t,
    });
  }

  override scratchBytes(batch: number, training: boolean): number {
    return this.parts(batch, training).total;
  }

  /** The heads of a [batch, steps, heads, dim] tensor as a batch of [steps, dim] matrices. */
  private heads(ptr: number, steps: number, dim: number): BatchOperand {
    return { ptr, ld: this.numHeads * dim, outer: steps * this.numHeads * dim, inner: dim };
  }

  /** The [batch, heads, tq, tk] weights as a batch of [tq, tk] matrices. */
  private scoreBlocks(ptr: number, tq: number, tk: number): BatchOperand {
    return { ptr, ld: tk, outer: this.numHeads * tq * tk, inner: tq * tk };
  }

  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    const [query, value, key = value, mask = 0] = xs;
    const [shapeQ, shapeV, shapeK = shapeV] = this.inputShapes;
    const { be, batch, work } = step, H = this.numHeads, kd = this.keyDim, vd = this.valueDim;
    const { tq, tk, p: n } = this.sizes(batch), at = this.parts(batch, step.training);
    const [wq, wk, wv, wo] = this.projections();
    const Q = scratch + at.q, K = scratch + at.k, V = scratch + at.v, P = scratch + at.p, O = scratch + at.o;
    const project = (x: number, rows: number, d: number, w: (typeof wq), out: number, cols: number) => {
      gemm(be, false, false, rows, cols, d, x, d, w.kernel.ptr, cols, 0, out, cols, work);
      if (w.bias) biasActivation(be, out, w.bias.ptr, rows, cols, Activation.Linear);
    };
    project(query, batch * tq, shapeQ[1], wq, Q, H * kd);
    project(key, batch * tk, shapeK[1], wk, K, H * kd);
    project(value, batch * tk, shapeV[1], wv, V, H * vd);
    // Scores Q_h·K_hᵀ/√keyDim per (sample, head), the masks, the softmax over the key steps.
    gemmBatch(be, false, true, tq, tk, kd, 1 / Math.sqrt(kd), this.heads(Q, tq, kd), this.heads(K, tk, kd), 0, this.scoreBlocks(P, tq, tk), batch * H, H, work);
    const masks = { causal: this.useCausalMask, mask, ...this.inputMasks(step) };
    if (masksAny(masks)) attentionMaskAdd(be, P, masks, batch, H, tq, tk);
    biasActivation(be, P, 0, batch * H * tq, tk, Activation.Softmax);
    let used = P;
    if (step.training && this.dropout > 0) {
      dropoutMask(be, step.rng!, scratch + at.mask, n, this.dropout);
      multiply(be, P, scratch + at.mask, scratch + at.dropped, n);
      used = scratch + at.dropped;
    }
    gemmBatch(be, false, false, tq, vd, tk, 1, this.scoreBlocks(used, tq, tk), this.heads(V, tk, vd), 0, this.heads(O, tq, vd), batch * H, H, work);
    const out = this.outputDim();
    if (!this.returnAttentionScores) return project(O, batch * tq, H * vd, wo, y, out);
    // The output, then the attention weights (before dropout, as Keras returns them), side by side per sample.
    project(O, batch * tq, H * vd, wo, scratch + at.y, out);
    concatForward(be, [scratch + at.y, P], [tq * out, H * tq * tk], batch, y);
  }

  /** Keras' masks of the query and of the key (or the value, when the key is the value) take the padding steps out of the scores. */
  private inputMasks(step: Step): { queryMask: number; keyMask: number } {
    const [queryMask = 0, valueMask = 0, keyMask = 0] = step.masks ?? [];
    return { queryMask, keyMask: this.inputShapes.length >= 3 && keyMask ? keyMask : valueMask };
  }

  backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const [query, value, key = value] = xs;
    const [shapeQ, shapeV, shapeK = shapeV] = this.inputShapes;
    const { be, batch, work } = step, H = this.numHeads, kd = this.keyDim, vd = this.valueDim;
    const { tq, tk, p: n } = this.sizes(batch), at = this.parts(batch, true), dropped = this.dropout > 0;
    const [wq, wk, wv, wo] = this.projections();
    const Q = scratch + at.q, K = scratch + at.k, V = scratch + at.v, P = scratch + at.p, O = scratch + at.o;
    const dO = scratch + at.dO, dP = scratch + at.dP, dQ = scratch + at.dQ, dK = scratch + at.dK, dV = scratch + at.dV;
    /** Through y = x·W + b: W's and b's gradients (when trainable), and dx (0: not needed; added to with `add`). */
    const back = (x: number, rows: number, d: number, w: (typeof wq), dOut: number, cols: number, dx: number, add: boolean) => {
      if (this.trainable) {
        gemm(be, true, false, d, cols, rows, x, d, dOut, cols, 0, w.kernel.grad, cols, work);
        if (w.bias) sumRows(be, dOut, rows, cols, w.bias.grad);
      }
      if (dx) gemm(be, false, true, rows, d, cols, dOut, cols, w.kernel.ptr, cols, add ? 1 : 0, dx, d, work);
    };
    const out = this.outputDim(), scores = this.returnAttentionScores;
    if (scores) concatBackward(be, dy, [tq * out, H * tq * tk], batch, [scratch + at.dY, scratch + at.dS]);
    back(O, batch * tq, H * vd, wo, scores ? scratch + at.dY : dy, out, dO, false);
    const used = dropped ? scratch + at.dropped : P;
    // O_h = P_h·V_h: dP_h = dO_h·V_hᵀ, dV_h = P_hᵀ·dO_h.
    gemmBatch(be, false, true, tq, tk, vd, 1, this.heads(dO, tq, vd), this.heads(V, tk, vd), 0, this.scoreBlocks(dP, tq, tk), batch * H, H, work);
    gemmBatch(be, true, false, tk, vd, tq, 1, this.scoreBlocks(used, tq, tk), this.heads(dO, tq, vd), 0, this.heads(dV, tk, vd), batch * H, H, work);
    if (dropped) multiply(be, dP, scratch + at.mask, dP, n);
    // The scores given as an output add their own gradient.
    if (scores) addInto(be, dP, scratch + at.dS, n);
    // Through the softmax (the masks add constants), then S_h = Q_h·K_hᵀ/√keyDim.
    activationBackward(be, Activation.Softmax, P, dP, dP, batch * H * tq, tk);
    const scale = 1 / Math.sqrt(kd);
    gemmBatch(be, false, false, tq, kd, tk, scale, this.scoreBlocks(dP, tq, tk), this.heads(K, tk, kd), 0, this.heads(dQ, tq, kd), batch * H, H, work);
    gemmBatch(be, true, false, tk, kd, tq, scale, this.scoreBlocks(dP, tq, tk), this.heads(Q, tq, kd), 0, this.heads(dK, tk, kd), batch * H, H, work);
    // The key is the value when not given: both projections' gradients go to the value.
    const keyIsValue = xs.length === 2;
    back(query, batch * tq, shapeQ[1], wq, dQ, H * kd, dxs[0], false);
    back(value, batch * tk, shapeV[1], wv, dV, H * vd, dxs[1], false);
    back(key, batch * tk, shapeK[1], wk, dK, H * kd, keyIsValue ? dxs[1] : dxs[2], keyIsValue);
    // No gradient flows to an attention mask (it only selects).
    if (xs.length === 4 && dxs[3]) zeroBytes(be, dxs[3], batch * tq * tk * 4);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.declaredOutput ?? null,
      attentionAxes: null,
      kernelInitializer: initializerToKeras(this.kernelInitializer),
      biasInitializer: initializerToKeras(this.biasInitializer),
      ...kernelBiasConfig(this.kernelBias),
      activityRegularizer: regularizerToKeras(this.activityRegularizer),
    };
  }
}
