// Keras' SeparableConv2D (channels last): a depthwise convolution (each input channel through its
// own depthMultiplier filters) then a pointwise 1×1 convolution to `filters` channels, the bias and
// the activation — the depthwise kernels and one GEMM, the intermediate kept for backward.
import { ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import { depthwiseBackwardInput, depthwiseBackwardKernel, depthwiseForward } from '../ops/depthwise.js';
import { gemm } from '../ops/gemm.js';
import { checkOptions } from '../options.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { ACTIVATIONS, activationConfig, keepsPreActivation } from './activations.js';
import { DEPTHWISE_WINDOW_ARGS, DepthwiseWindow, type DepthwiseWindowArgs } from './depthwise-window.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, type Step, type WeightSpec } from './layer.js';

export interface SeparableConv2DArgs extends DepthwiseWindowArgs {
  /** Output channels (of the pointwise convolution). */
  filters: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

type Part = 'depthwise' | 'pointwise' | 'bias';
const PARTS: Part[] = ['depthwise', 'pointwise', 'bias'];
const OPTIONS = ['filters', ...DEPTHWISE_WINDOW_ARGS,
  ...PARTS.flatMap((p) => [`${p}Initializer`, `${p}Regularizer`, `${p}Constraint`])] as (keyof SeparableConv2DArgs & string)[];

/** Depthwise then pointwise convolution: y = activation(bias + pointwise(depthwise(x))). */
export class SeparableConv2D extends DepthwiseWindow {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  private readonly parts: Record<Part, { init: InitializerSpec; regularizer: Regularizer | undefined; constraint: ConstraintSpec | undefined }>;

  constructor(args: SeparableConv2DArgs) {
    const where = 'SeparableConv2D';
    const o = checkOptions<SeparableConv2DArgs>(args, [...LAYER_ARGS, ...OPTIONS], where) as SeparableConv2DArgs;
    super(o, where);
    if (!Number.isInteger(o.filters) || o.filters < 1) throw new ValueError(`${where}: filters must be a positive integer; received ${describe(o.filters)}`);
    this.filters = o.filters;
    const given = o as unknown as Record<string, unknown>;
    this.parts = Object.fromEntries(PARTS.map((p) => [p, {
      init: initializerSpec(given[`${p}Initializer`] ?? (p === 'bias' ? 'zeros' : 'glorotUniform'), `${where}: ${p}Initializer`),
      regularizer: regularizerOption(given[`${p}Regularizer`], `${where}: ${p}Regularizer`),
      constraint: constraintOption(given[`${p}Constraint`], `${where}: ${p}Constraint`),
    }])) as SeparableConv2D['parts'];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const g = this.geometryOf(inputShape);
    return [g.outHeight, g.outWidth, this.filters];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const c = inputShape[2], p = this.parts;
    const specs: WeightSpec[] = [
      ['depthwise_kernel', [...this.kernelSize, c, this.depthMultiplier], p.depthwise.init, { regularizer: p.depthwise.regularizer, constraint: p.depthwise.constraint }],
      ['pointwise_kernel', [1, 1, c * this.depthMultiplier, this.filters], p.pointwise.init, { regularizer: p.pointwise.regularizer, constraint: p.pointwise.constraint }],
    ];
    if (this.useBias) specs.push(['bias', [this.filters], p.bias.init, { regularizer: p.bias.regularizer, constraint: p.bias.constraint }]);
    return specs;
  }

  /** Rows of the pointwise GEMM and the depthwise output's width. */
  private sizes(batch: number): [number, number] {
    return [batch * this.outputShape[0] * this.outputShape[1], this.inputShape[2] * this.depthMultiplier];
  }

  /** The depthwise output; training, its gradient too, and (gelu, swish, mish) the pre-activation. */
  override scratchBytes(batch: number, training: boolean): number {
    const [rows, mid] = this.sizes(batch);
    return rows * 4 * (mid + (training ? mid : 0) + (training && keepsPreActivation(this.activation) ? this.filters : 0));
  }

  private buffers(step: Step, scratch: number): { mid: number; dmid: number; z: number } {
    const [rows, width] = this.sizes(step.batch);
    const dmid = scratch + rows * width * 4;
    return { mid: scratch, dmid, z: step.training && keepsPreActivation(this.activation) ? dmid + rows * width * 4 : 0 };
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    const [depthwise, pointwise, bias] = this.weights;
    const [rows, width] = this.sizes(step.batch);
    const { mid, z } = this.buffers(step, scratch);
    depthwiseForward(step.be, x, depthwise.ptr, mid, step.batch, this.geometryOf(this.inputShape), this.depthMultiplier);
    gemm(step.be, false, false, rows, this.filters, width, mid, width, pointwise.ptr, this.filters, 0, y, this.filters, step.work);
    biasActivation(step.be, y, bias?.ptr ?? 0, rows, this.filters, ACTIVATIONS[this.activation], z);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number, fused: boolean): void {
    const [depthwise, pointwise, bias] = this.weights;
    const [rows, width] = this.sizes(step.batch);
    const { mid, dmid, z } = this.buffers(step, scratch);
    const g = this.geometryOf(this.inputShape);
    if (!fused && this.activation !== 'linear') activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dy, rows, this.filters, z);
    if (this.trainable) {
      gemm(step.be, true, false, width, this.filters, rows, mid, width, dy, this.filters, 0, pointwise.grad, this.filters, step.work);
      if (bias) sumRows(step.be, dy, rows, this.filters, bias.grad);
    }
    if (!this.trainable && !dx) return;
    // The depthwise output's gradient, then the depthwise kernel's and the input's.
    gemm(step.be, false, true, rows, width, this.filters, dy, this.filters, pointwise.ptr, this.filters, 0, dmid, width, step.work);
    if (this.trainable) depthwiseBackwardKernel(step.be, x, dmid, depthwise.grad, step.batch, g, this.depthMultiplier);
    if (dx) depthwiseBackwardInput(step.be, dmid, depthwise.ptr, dx, step.batch, g, this.depthMultiplier);
  }

  override getConfig(): Record<string, unknown> {
    const p = this.parts;
    return {
      ...super.getConfig(),
      filters: this.filters, ...this.windowConfig(), activation: activationConfig(this.activation),
      ...Object.fromEntries(PARTS.flatMap((part) => [
        [`${part}Initializer`, initializerToKeras(p[part].init)], [`${part}Regularizer`, regularizerToKeras(p[part].regularizer)], [`${part}Constraint`, constraintToKeras(p[part].constraint)],
      ])),
    };
  }
}
