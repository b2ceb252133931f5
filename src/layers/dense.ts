import { ShapeError, ValueError, describe } from '../errors.js';
import { checkBoolean, checkOptions } from '../options.js';
import type { Normalizing } from '../ops/batch-norm.js';
import { gemm } from '../ops/gemm.js';
import { shapeSize } from '../tensor.js';
import { ACTIVATIONS, activationConfig, activationName, keepsPreActivation, type ActivationName } from './activations.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { KERNEL_BIAS_ARGS, kernelBiasConfig, readKernelBias, type KernelBias, type KernelBiasArgs } from './weight-options.js';
import { regularizerToKeras } from '../regularizers.js';

export interface DenseArgs extends LayerArgs, KernelBiasArgs {
  /** Output size (positive integer). */
  units: number;
  /** Activation applied to the output (default 'linear'). */
  activation?: ActivationName | string | null;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** Initializer of the kernel (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  /** Keras' shorthand for inputShape: [inputDim]. */
  inputDim?: number;
}

/**
 * A fully connected layer: y = activation(x · kernel + bias), with kernel [inputSize, units].
 * Input [batch, ..., inputSize] → output [batch, ..., units] (applied to the last axis, as Keras).
 * Runs as one GEMM and one fused bias + activation pass; backward as two GEMMs and a column sum.
 * @example layers.dense({ units: 500, inputShape: [784], activation: 'sigmoid' })
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  /** The kernel's and bias's penalties and constraints. */
  readonly kernelBias: KernelBias;

  constructor(args: DenseArgs) {
    const o = checkOptions<DenseArgs>(args, [...LAYER_ARGS, ...KERNEL_BIAS_ARGS, 'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'inputDim'], 'Dense');
    const inputDim = o.inputDim;
    if (inputDim !== undefined && (!Number.isInteger(inputDim) || inputDim < 1)) {
      throw new ValueError(`Dense: inputDim must be a positive integer; received ${describe(inputDim)}`);
    }
    super(inputDim !== undefined && o.inputShape === undefined ? { ...o, inputShape: [inputDim] } : o, 'Dense');
    if (!Number.isInteger(o.units) || (o.units as number) < 1) {
      throw new ValueError(`Dense: units must be a positive integer; received ${describe(o.units)}`);
    }
    this.units = o.units as number;
    this.activation = activationName(o.activation, 'Dense: activation');
    this.useBias = checkBoolean(o.useBias, 'useBias', 'Dense', true);
    this.kernelInitializer = initializerSpec(o.kernelInitializer ?? 'glorotUniform', 'Dense: kernelInitializer');
    this.biasInitializer = initializerSpec(o.biasInitializer ?? 'zeros', 'Dense: biasInitializer');
    this.kernelBias = readKernelBias(o, 'Dense');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1) throw new ShapeError(`Dense ${this.name}: needs inputs of rank ≥ 1 per sample; received []`);
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const k = this.kernelBias;
    const specs: WeightSpec[] = [['kernel', [inputShape[inputShape.length - 1], this.units], this.kernelInitializer, { regularizer: k.kernelRegularizer, constraint: k.kernelConstraint }]];
    if (this.useBias) specs.push(['bias', [this.units], this.biasInitializer, { regularizer: k.biasRegularizer, constraint: k.biasConstraint }]);
    return specs;
  }

  /** Rows the GEMM sees: every leading axis folded into the batch. */
  private rows(step: Step): number {
    return step.batch * shapeSize(this.inputShape.slice(0, -1));
  }

  /** Training with an activation whose derivative needs it (gelu, swish, mish): the pre-activation, kept. */
  override scratchBytes(batch: number, training: boolean): number {
    return training && keepsPreActivation(this.activation) ? batch * shapeSize(this.inputShape.slice(0, -1)) * this.units * 4 : 0;
  }

  forward(step: Step, x: number, y: number, z: number): void {
    const inputs = this.inputShape[this.inputShape.length - 1];
    const rows = this.rows(step);
    const [kernel, bias] = this.weights;
    gemm(step.be, false, false, rows, this.units, inputs, x, inputs, kernel.ptr, this.units, 0, y, this.units, step.work);
    biasActivation(step.be, y, bias?.ptr ?? 0, rows, this.units, ACTIVATIONS[this.activation], z);
  }

  /** Without an activation, inference can apply its bias, a batch normalization and a rectifier as the GEMM writes its output. */
  get normalizable(): boolean {
    return this.activation === 'linear';
  }

  /** forward with the bias and `normalizing` applied to the output as it is written (only when normalizable). */
  forwardNormalized(step: Step, x: number, y: number, _z: number, normalizing: Normalizing): void {
    const inputs = this.inputShape[this.inputShape.length - 1];
    const [kernel, bias] = this.weights;
    gemm(step.be, false, false, this.rows(step), this.units, inputs, x, inputs, kernel.ptr, this.units, 0, y, this.units, step.work, { ...normalizing, bias: bias?.ptr ?? 0 });
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, z: number, fused: boolean): void {
    const inputs = this.inputShape[this.inputShape.length - 1];
    const rows = this.rows(step);
    const [kernel, bias] = this.weights;
    if (!fused && this.activation !== 'linear') {
      activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dy, rows, this.units, z);
    }
    if (this.trainable) {
      // dW = xᵀ·dz, db = Σ_rows dz
      gemm(step.be, true, false, inputs, this.units, rows, x, inputs, dy, this.units, 0, kernel.grad, this.units, step.work);
      if (bias) sumRows(step.be, dy, rows, this.units, bias.grad);
    }
    // dx = dz·Wᵀ
    if (dx) gemm(step.be, false, true, rows, inputs, this.units, dy, this.units, kernel.ptr, this.units, 0, dx, inputs, step.work);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerToKeras(this.kernelInitializer),
      biasInitializer: initializerToKeras(this.biasInitializer),
      ...kernelBiasConfig(this.kernelBias),
      activityRegularizer: regularizerToKeras(this.activityRegularizer),
    };
  }
}
