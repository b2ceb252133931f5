// Keras' DepthwiseConv2D (channels last): every input channel convolved with its own
// depthMultiplier filters, as MobileNets do between their 1×1 convolutions. Direct kernels
// (assembly/depthwise.ts), then the bias and activation in one pass as the other layers.
import { ShapeError, ValueError, describe } from '../errors.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import type { ConvGeometry } from '../ops/conv.js';
import { depthwiseBackwardInput, depthwiseBackwardKernel, depthwiseForward } from '../ops/depthwise.js';
import { checkBoolean, checkOptions } from '../options.js';
import { constraintToKeras, type ConstraintIdentifier } from '../constraints.js';
import { regularizerToKeras, type RegularizerIdentifier } from '../regularizers.js';
import { ACTIVATIONS, activationConfig, activationName, keepsPreActivation, type ActivationName } from './activations.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, dilated, dilationOption, pair, paddingOption, windowAxis, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { readKernelBias, type KernelBias } from './weight-options.js';

export interface DepthwiseConv2DArgs extends LayerArgs {
  /** Window size: n or [height, width]. */
  kernelSize: number | [number, number];
  /** Filters per input channel (default 1). */
  depthMultiplier?: number;
  strides?: number | [number, number];
  /** Spacing of the kernel's taps (default 1; above 1 needs strides of 1). */
  dilationRate?: number | [number, number];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast' | 'channels_last';
  activation?: ActivationName | string | null;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

const OPTIONS = ['kernelSize', 'depthMultiplier', 'strides', 'dilationRate', 'padding', 'dataFormat', 'activation', 'useBias', 'depthwiseInitializer', 'biasInitializer',
  'depthwiseRegularizer', 'biasRegularizer', 'depthwiseConstraint', 'biasConstraint'] as const;

/**
 * y[oy, ox, c·M + m] = activation(bias + Σ_{ky,kx} x[oy·sh + ky − padTop, ox·sw + kx − padLeft, c] · kernel[ky, kx, c, m]);
 * kernel [kernelH, kernelW, channels, depthMultiplier].
 * @example layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false })
 */
export class DepthwiseConv2D extends Layer {
  readonly className = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: 'valid' | 'same';
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly depthwiseInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  /** The kernel's (depthwise) and bias's penalties and constraints. */
  readonly kernelBias: KernelBias;

  constructor(args: DepthwiseConv2DArgs) {
    const o = checkOptions<DepthwiseConv2DArgs>(args, [...LAYER_ARGS, ...OPTIONS], 'DepthwiseConv2D');
    super(o, 'DepthwiseConv2D');
    const where = 'DepthwiseConv2D';
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${where}: dataFormat must be 'channelsLast' (the only layout wasmlearn supports); received ${describe(o.dataFormat)}`);
    }
    if (o.kernelSize === undefined) throw new ValueError(`${where}: kernelSize is required (e.g. 3)`);
    this.kernelSize = pair(o.kernelSize, 'kernelSize', where);
    const m = o.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`${where}: depthMultiplier must be a positive integer; received ${describe(o.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.strides = pair(o.strides, 'strides', where, [1, 1]);
    this.dilationRate = dilationOption(o.dilationRate, this.strides, where);
    this.padding = paddingOption(o.padding, where);
    this.activation = activationName(o.activation, `${where}: activation`);
    this.useBias = checkBoolean(o.useBias, 'useBias', where, true);
    this.depthwiseInitializer = initializerSpec(o.depthwiseInitializer ?? 'glorotUniform', `${where}: depthwiseInitializer`);
    this.biasInitializer = initializerSpec(o.biasInitializer ?? 'zeros', `${where}: biasInitializer`);
    this.kernelBias = readKernelBias({ kernelRegularizer: o.depthwiseRegularizer, biasRegularizer: o.biasRegularizer, kernelConstraint: o.depthwiseConstraint, biasConstraint: o.biasConstraint }, where);
  }

  private geometryOf(inputShape: readonly number[]): ConvGeometry {
    const [height, width, channels] = inputShape;
    const [outHeight, padTop] = windowAxis(height, dilated(this.kernelSize[0], this.dilationRate[0]), this.strides[0], this.padding);
    const [outWidth, padLeft] = windowAxis(width, dilated(this.kernelSize[1], this.dilationRate[1]), this.strides[1], this.padding);
    return { height, width, channels, kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padTop, padLeft, outHeight, outWidth };
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new ShapeError(`DepthwiseConv2D ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    const g = this.geometryOf(inputShape);
    if (g.outHeight < 1 || g.outWidth < 1) {
      throw new ShapeError(`DepthwiseConv2D ${this.name}: the ${this.kernelSize.join('×')} kernel does not fit in an input of [${inputShape.join(', ')}] with 'valid' padding`);
    }
    return [g.outHeight, g.outWidth, inputShape[2] * this.depthMultiplier];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const k = this.kernelBias;
    const specs: WeightSpec[] = [['depthwise_kernel', [...this.kernelSize, inputShape[2], this.depthMultiplier], this.depthwiseInitializer, { regularizer: k.kernelRegularizer, constraint: k.kernelConstraint }]];
    if (this.useBias) specs.push(['bias', [inputShape[2] * this.depthMultiplier], this.biasInitializer, { regularizer: k.biasRegularizer, constraint: k.biasConstraint }]);
    return specs;
  }

  /** Training with an activation whose derivative needs it (gelu, swish, mish): the pre-activation, kept. */
  override scratchBytes(batch: number, training: boolean): number {
    return training && keepsPreActivation(this.activation) ? batch * this.outputShape.reduce((a, b) => a * b, 1) * 4 : 0;
  }

  private rows(step: Step): number {
    return step.batch * this.outputShape[0] * this.outputShape[1];
  }

  forward(step: Step, x: number, y: number, z: number): void {
    const [kernel, bias] = this.weights;
    depthwiseForward(step.be, x, kernel.ptr, y, step.batch, this.geometryOf(this.inputShape), this.depthMultiplier);
    biasActivation(step.be, y, bias?.ptr ?? 0, this.rows(step), this.outputShape[2], ACTIVATIONS[this.activation], z);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, z: number, fused: boolean): void {
    const [kernel, bias] = this.weights;
    const rows = this.rows(step), cols = this.outputShape[2];
    const g = this.geometryOf(this.inputShape);
    if (!fused && this.activation !== 'linear') activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dy, rows, cols, z);
    if (this.trainable) {
      depthwiseBackwardKernel(step.be, x, dy, kernel.grad, step.batch, g, this.depthMultiplier);
      if (bias) sumRows(step.be, dy, rows, cols, bias.grad);
    }
    if (dx) depthwiseBackwardInput(step.be, dy, kernel.ptr, dx, step.batch, g, this.depthMultiplier);
  }

  override getConfig(): Record<string, unknown> {
    const k = this.kernelBias;
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize, depthMultiplier: this.depthMultiplier, strides: this.strides, dilationRate: this.dilationRate, padding: this.padding, dataFormat: 'channels_last',
      activation: activationConfig(this.activation), useBias: this.useBias,
      depthwiseInitializer: initializerToKeras(this.depthwiseInitializer), biasInitializer: initializerToKeras(this.biasInitializer),
      depthwiseRegularizer: regularizerToKeras(k.kernelRegularizer), biasRegularizer: regularizerToKeras(k.biasRegularizer),
      depthwiseConstraint: constraintToKeras(k.kernelConstraint), biasConstraint: constraintToKeras(k.biasConstraint),
    };
  }
}
