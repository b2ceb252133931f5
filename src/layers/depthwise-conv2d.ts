// Keras' DepthwiseConv2D (channels last): every input channel convolved with its own
// depthMultiplier filters, as MobileNets do between their 1×1 convolutions. Direct kernels
// (assembly/depthwise.ts), then the bias and activation in one pass as the other layers.
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import type { Normalizing } from '../ops/batch-norm.js';
import { depthwiseBackwardInput, depthwiseBackwardKernel, depthwiseForward } from '../ops/depthwise.js';
import { checkOptions } from '../options.js';
import { constraintToKeras, type ConstraintIdentifier } from '../constraints.js';
import { regularizerToKeras, type RegularizerIdentifier } from '../regularizers.js';
import { ACTIVATIONS, activationConfig, keepsPreActivation } from './activations.js';
import { DEPTHWISE_WINDOW_ARGS, DepthwiseWindow, type DepthwiseWindowArgs } from './depthwise-window.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, type Step, type WeightSpec } from './layer.js';
import { readKernelBias, type KernelBias } from './weight-options.js';

export interface DepthwiseConv2DArgs extends DepthwiseWindowArgs {
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

const OPTIONS = [...DEPTHWISE_WINDOW_ARGS, 'depthwiseInitializer', 'biasInitializer', 'depthwiseRegularizer', 'biasRegularizer', 'depthwiseConstraint', 'biasConstraint'] as const;

/**
 * y[oy, ox, c·M + m] = activation(bias + Σ_{ky,kx} x[oy·sh + ky − padTop, ox·sw + kx − padLeft, c] · kernel[ky, kx, c, m]);
 * kernel [kernelH, kernelW, channels, depthMultiplier].
 * @example layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false })
 */
export class DepthwiseConv2D extends DepthwiseWindow {
  readonly className = 'DepthwiseConv2D';
  readonly depthwiseInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  /** The kernel's (depthwise) and bias's penalties and constraints. */
  readonly kernelBias: KernelBias;

  constructor(args: DepthwiseConv2DArgs) {
    const where = 'DepthwiseConv2D';
    super(checkOptions<DepthwiseConv2DArgs>(args, [...LAYER_ARGS, ...OPTIONS], where) as DepthwiseConv2DArgs, where);
    const o = args;
    this.depthwiseInitializer = initializerSpec(o.depthwiseInitializer ?? 'glorotUniform', `${where}: depthwiseInitializer`);
    this.biasInitializer = initializerSpec(o.biasInitializer ?? 'zeros', `${where}: biasInitializer`);
    this.kernelBias = readKernelBias({ kernelRegularizer: o.depthwiseRegularizer, biasRegularizer: o.biasRegularizer, kernelConstraint: o.depthwiseConstraint, biasConstraint: o.biasConstraint }, where);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const g = this.geometryOf(inputShape);
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

  /** Without an activation, inference can apply its bias, a batch normalization and a rectifier as each output pixel is written. */
  get normalizable(): boolean {
    return this.activation === 'linear';
  }

  /** forward with the bias and `normalizing` applied to the output as it is written (only when normalizable). */
  forwardNormalized(step: Step, x: number, y: number, _scratch: number, normalizing: Normalizing): void {
    const [kernel, bias] = this.weights;
    depthwiseForward(step.be, x, kernel.ptr, y, step.batch, this.geometryOf(this.inputShape), this.depthMultiplier, { ...normalizing, bias: bias?.ptr ?? 0 });
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
      ...this.windowConfig(), activation: activationConfig(this.activation),
      depthwiseInitializer: initializerToKeras(this.depthwiseInitializer), biasInitializer: initializerToKeras(this.biasInitializer),
      depthwiseRegularizer: regularizerToKeras(k.kernelRegularizer), biasRegularizer: regularizerToKeras(k.biasRegularizer),
      depthwiseConstraint: constraintToKeras(k.kernelConstraint), biasConstraint: constraintToKeras(k.biasConstraint),
    };
  }
}
