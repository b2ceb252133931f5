// Keras' SeparableConv2D (channels last): a depthwise convolution (each input channel through its
// own depthMultiplier filters) then a pointwise 1×1 convolution to `filters` channels, the bias and
// the activation — the depthwise kernels and one GEMM, the intermediate kept for backward.
import { ShapeError, ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import type { ConvGeometry } from '../ops/conv.js';
import { depthwiseBackwardInput, depthwiseBackwardKernel, depthwiseForward } from '../ops/depthwise.js';
import { gemm } from '../ops/gemm.js';
import { checkBoolean, checkOptions } from '../options.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { ACTIVATIONS, activationConfig, activationName, keepsPreActivation, type ActivationName } from './activations.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, dilated, dilationOption, pair, paddingOption, windowAxis, type LayerArgs, type Step, type WeightSpec } from './layer.js';

export interface SeparableConv2DArgs extends LayerArgs {
  /** Output channels (of the pointwise convolution). */
  filters: number;
  kernelSize: number | [number, number];
  depthMultiplier?: number;
  strides?: number | [number, number];
  /** Spacing of the kernel's taps (default 1; above 1 needs strides of 1). */
  dilationRate?: number | [number, number];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast' | 'channels_last';
  activation?: ActivationName | string | null;
  useBias?: boolean;
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
const OPTIONS = ['filters', 'kernelSize', 'depthMultiplier', 'strides', 'dilationRate', 'padding', 'dataFormat', 'activation', 'useBias',
  ...PARTS.flatMap((p) => [`${p}Initializer`, `${p}Regularizer`, `${p}Constraint`])] as (keyof SeparableConv2DArgs & string)[];

/** Depthwise then pointwise convolution: y = activation(bias + pointwise(depthwise(x))). */
export class SeparableConv2D extends Layer {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: 'valid' | 'same';
  readonly activation: ActivationName;
  readonly useBias: boolean;
  private readonly parts: Record<Part, { init: InitializerSpec; regularizer: Regularizer | undefined; constraint: ConstraintSpec | undefined }>;

  constructor(args: SeparableConv2DArgs) {
    const o = checkOptions<SeparableConv2DArgs>(args, [...LAYER_ARGS, ...OPTIONS], 'SeparableConv2D');
    super(o, 'SeparableConv2D');
    const where = 'SeparableConv2D';
    if (!Number.isInteger(o.filters) || (o.filters as number) < 1) throw new ValueError(`${where}: filters must be a positive integer; received ${describe(o.filters)}`);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${where}: dataFormat must be 'channelsLast' (the only layout wasmlearn supports); received ${describe(o.dataFormat)}`);
    }
    if (o.kernelSize === undefined) throw new ValueError(`${where}: kernelSize is required (e.g. 3)`);
    this.filters = o.filters as number;
    this.kernelSize = pair(o.kernelSize, 'kernelSize', where);
    const m = o.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`${where}: depthMultiplier must be a positive integer; received ${describe(o.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.strides = pair(o.strides, 'strides', where, [1, 1]);
    this.dilationRate = dilationOption(o.dilationRate, this.strides, where);
    this.padding = paddingOption(o.padding, where);
    this.activation = activationName(o.activation, `${where}: activation`);
    this.useBias = checkBoolean(o.useBias, 'useBias', where, true);
    const given = o as Record<string, unknown>;
    this.parts = Object.fromEntries(PARTS.map((p) => [p, {
      init: initializerSpec(given[`${p}Initializer`] ?? (p === 'bias' ? 'zeros' : 'glorotUniform'), `${where}: ${p}Initializer`),
      regularizer: regularizerOption(given[`${p}Regularizer`], `${where}: ${p}Regularizer`),
      constraint: constraintOption(given[`${p}Constraint`], `${where}: ${p}Constraint`),
    }])) as SeparableConv2D['parts'];
  }

  private geometryOf(inputShape: readonly number[]): ConvGeometry {
    const [height, width, channels] = inputShape;
    const [outHeight, padTop] = windowAxis(height, dilated(this.kernelSize[0], this.dilationRate[0]), this.strides[0], this.padding);
    const [outWidth, padLeft] = windowAxis(width, dilated(this.kernelSize[1], this.dilationRate[1]), this.strides[1], this.padding);
    return { height, width, channels, kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padTop, padLeft, outHeight, outWidth };
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new ShapeError(`SeparableConv2D ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    const g = this.geometryOf(inputShape);
    if (g.outHeight < 1 || g.outWidth < 1) {
      throw new ShapeError(`SeparableConv2D ${this.name}: the ${this.kernelSize.join('×')} kernel does not fit in an input of [${inputShape.join(', ')}] with 'valid' padding`);
    }
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
      filters: this.filters, kernelSize: this.kernelSize, depthMultiplier: this.depthMultiplier, strides: this.strides, dilationRate: this.dilationRate, padding: this.padding, dataFormat: 'channels_last',
      activation: activationConfig(this.activation), useBias: this.useBias,
      ...Object.fromEntries(PARTS.flatMap((part) => [
        [`${part}Initializer`, initializerToKeras(p[part].init)], [`${part}Regularizer`, regularizerToKeras(p[part].regularizer)], [`${part}Constraint`, constraintToKeras(p[part].constraint)],
      ])),
    };
  }
}
