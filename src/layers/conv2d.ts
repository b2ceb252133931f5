import { ShapeError, ValueError, describe } from '../errors.js';
import { checkBoolean, checkOptions } from '../options.js';
import type { Normalizing } from '../ops/batch-norm.js';
import { gemm } from '../ops/gemm.js';
import { ACTIVATIONS, activationConfig, activationName, keepsPreActivation, type ActivationName } from './activations.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import { col2im, im2col, type ConvGeometry } from '../ops/conv.js';
import { LAYER_ARGS, Layer, dilated, dilationOption, pair, paddingOption, windowAxis, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { KERNEL_BIAS_ARGS, kernelBiasConfig, readKernelBias, type KernelBias, type KernelBiasArgs } from './weight-options.js';
import { regularizerToKeras } from '../regularizers.js';

export interface Conv2DArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output channels. */
  filters: number;
  /** Window size: n or [height, width]. */
  kernelSize: number | [number, number];
  /** Step between windows: n or [height, width] (default 1). */
  strides?: number | [number, number];
  /** Spacing of the kernel's taps: n or [height, width] (default 1; above 1 needs strides of 1). */
  dilationRate?: number | [number, number];
  /** Channel groups (Keras): input and output channels split into this many groups, each group's filters see only its own inputs (default 1). */
  groups?: number;
  /** 'valid' (no padding, default) or 'same' (zero padding so that out = ceil(in / stride)). */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast' ([height, width, channels], Keras' default) is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
  activation?: ActivationName | string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/**
 * 2-D convolution (cross-correlation, as Keras): y[oy, ox, f] = activation(bias[f] +
 * Σ_{ky,kx,c} x[oy·sh + ky − padTop, ox·sw + kx − padLeft, c] · kernel[ky, kx, c, f]).
 * Input [batch, height, width, channels] → [batch, outHeight, outWidth, filters]; kernel
 * [kernelH, kernelW, channels, filters]. Computed as im2col + one GEMM; backward as two GEMMs
 * and col2im. With `groups` (Keras), channels and filters split into that many groups and group g's
 * filters sum only over its channels: kernel [kernelH, kernelW, channels / groups, filters], one
 * im2col and GEMM per group on strided slices of the same buffers.
 * @example layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] })
 */
export class Conv2D extends Layer {
  static override readonly ownOptions: readonly string[] = ['dilationRate', 'groups'];
  readonly className: string = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly groups: number;
  readonly padding: 'valid' | 'same';
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  /** The kernel's and bias's penalties and constraints. */
  readonly kernelBias: KernelBias;

  constructor(args: Conv2DArgs, className = 'Conv2D') {
    const o = checkOptions<Conv2DArgs>(
      args, [...LAYER_ARGS, ...KERNEL_BIAS_ARGS, 'filters', 'kernelSize', 'strides', 'dilationRate', 'groups', 'padding', 'dataFormat', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'], className,
    );
    super(o, className);
    if (!Number.isInteger(o.filters) || (o.filters as number) < 1) throw new ValueError(`${className}: filters must be a positive integer; received ${describe(o.filters)}`);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${className}: dataFormat must be 'channelsLast' (the only layout wasmlearn supports); received ${describe(o.dataFormat)}`);
    }
    this.filters = o.filters as number;
    this.kernelSize = pair(o.kernelSize, 'kernelSize', className);
    this.strides = pair(o.strides, 'strides', className, [1, 1]);
    this.dilationRate = dilationOption(o.dilationRate, this.strides, className);
    this.groups = o.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || this.filters % this.groups !== 0) {
      throw new ValueError(`${className}: groups must be a positive integer that divides filters (${this.filters}); received ${describe(o.groups)}`);
    }
    this.padding = paddingOption(o.padding, className);
    this.activation = activationName(o.activation, `${className}: activation`);
    this.useBias = checkBoolean(o.useBias, 'useBias', className, true);
    this.kernelInitializer = initializerSpec(o.kernelInitializer ?? 'glorotUniform', `${className}: kernelInitializer`);
    this.biasInitializer = initializerSpec(o.biasInitializer ?? 'zeros', `${className}: biasInitializer`);
    this.kernelBias = readKernelBias(o, className);
  }

  /** An input shape as the image the kernels see: [height, width, channels]. */
  protected imageOf(inputShape: readonly number[]): [number, number, number] {
    return [inputShape[0], inputShape[1], inputShape[2]];
  }

  /** [outH, outW, padTop, padLeft] for an input shape. */
  protected geometry(inputShape: readonly number[]): [number, number, number, number] {
    const [h, w] = this.imageOf(inputShape);
    const [oh, pt] = windowAxis(h, dilated(this.kernelSize[0], this.dilationRate[0]), this.strides[0], this.padding as 'valid' | 'same');
    const [ow, pl] = windowAxis(w, dilated(this.kernelSize[1], this.dilationRate[1]), this.strides[1], this.padding as 'valid' | 'same');
    return [oh, ow, pt, pl];
  }

  /** Output positions per sample (the GEMM's rows per sample). */
  private get positions(): number {
    const [oh, ow] = this.geometry(this.inputShape);
    return oh * ow;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new ShapeError(`Conv2D ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    }
    const [oh, ow] = this.geometry(inputShape);
    if (oh < 1 || ow < 1) {
      throw new ShapeError(`Conv2D ${this.name}: the ${this.kernelSize.join('×')} kernel does not fit in an input of [${inputShape.join(', ')}] with 'valid' padding`);
    }
    if (inputShape[2] % this.groups !== 0) {
      throw new ShapeError(`${this.className} ${this.name}: the input's ${inputShape[2]} channels do not split into groups = ${this.groups}; groups must divide the channels`);
    }
    return [oh, ow, this.filters];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const k = this.kernelBias;
    const specs: WeightSpec[] = [['kernel', [...this.kernelSize, inputShape[2] / this.groups, this.filters], this.kernelInitializer, { regularizer: k.kernelRegularizer, constraint: k.kernelConstraint }]];
    if (this.useBias) specs.push(['bias', [this.filters], this.biasInitializer, { regularizer: k.biasRegularizer, constraint: k.biasConstraint }]);
    return specs;
  }

  /** Columns of one group's patch matrix: kh · kw · its channels. */
  private get patch(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.inputShape[this.inputShape.length - 1] / this.groups;
  }

  /**
   * A 1×1 kernel at stride 1 reads each pixel's channels as they lie: the input is already the
   * patch matrix, so the GEMMs run on it directly (MobileNets spend most of their time there).
   */
  private get pointwise(): boolean {
    return this.kernelSize[0] === 1 && this.kernelSize[1] === 1 && this.strides[0] === 1 && this.strides[1] === 1;
  }

  /** Floats of the patch matrices (every group's) per output position (none for a pointwise kernel). */
  private get patchScratch(): number {
    return this.pointwise ? 0 : this.patch * this.groups;
  }

  /** The patch matrix; training with an activation whose derivative needs it (gelu, swish, mish), the pre-activation after it. */
  override scratchBytes(batch: number, training: boolean): number {
    return batch * this.positions * (this.patchScratch + (training && keepsPreActivation(this.activation) ? this.filters : 0)) * 4;
  }

  /** Where the pre-activation is kept in the scratch (0: not kept). */
  private preActivation(step: Step, col: number): number {
    return step.training && keepsPreActivation(this.activation) ? col + step.batch * this.positions * this.patchScratch * 4 : 0;
  }

  /** The image geometry; of group g's channels when there are groups. */
  private image(group = 0): ConvGeometry {
    const [height, width, channels] = this.imageOf(this.inputShape);
    const [outHeight, outWidth, padTop, padLeft] = this.geometry(this.inputShape);
    const count = channels / this.groups;
    return { height, width, channels, kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padTop, padLeft, outHeight, outWidth, channelStart: group * count, channelCount: count };
  }

  /**
   * Group g's slices (bytes from the buffers' starts): its patch matrix (for a pointwise kernel,
   * its channels of x, read with x's row stride), its filters' columns of the kernel and of y.
   */
  private slices(rows: number, g: number): { patches: number; stride: number; filters: number } {
    const channels = this.inputShape[this.inputShape.length - 1];
    return this.pointwise
      ? { patches: g * (channels / this.groups) * 4, stride: channels, filters: g * (this.filters / this.groups) * 4 }
      : { patches: g * rows * this.patch * 4, stride: this.patch, filters: g * (this.filters / this.groups) * 4 };
  }

  forward(step: Step, x: number, y: number, col: number): void {
    this.products(step, x, y, col);
    const [, bias] = this.weights;
    biasActivation(step.be, y, bias?.ptr ?? 0, step.batch * this.positions, this.filters, ACTIVATIONS[this.activation], this.preActivation(step, col));
  }

  /** Without an activation, inference can apply its bias, a batch normalization and a rectifier as the GEMM writes its output. */
  get normalizable(): boolean {
    return this.activation === 'linear';
  }

  /** forward with the bias and `normalizing` applied to the output as it is written (only when normalizable). */
  forwardNormalized(step: Step, x: number, y: number, col: number, normalizing: Normalizing): void {
    this.products(step, x, y, col, { ...normalizing, bias: this.weights[1]?.ptr ?? 0 });
  }

  /** y = the patches times the kernel, group by group (normalizing, if given, as each block is written). */
  private products(step: Step, x: number, y: number, col: number, normalizing?: Normalizing): void {
    const rows = step.batch * this.positions;
    const [kernel] = this.weights;
    const fg = this.filters / this.groups;
    for (let g = 0; g < this.groups; g++) {
      const s = this.slices(rows, g);
      const patches = (this.pointwise ? x : col) + s.patches;
      if (!this.pointwise) im2col(step.be, x, patches, step.batch, this.image(g));
      const groupNormalizing = normalizing && { ...normalizing, bias: normalizing.bias && normalizing.bias + s.filters, scale: normalizing.scale + s.filters, shift: normalizing.shift + s.filters };
      gemm(step.be, false, false, rows, fg, this.patch, patches, s.stride, kernel.ptr + s.filters, this.filters, 0, y + s.filters, this.filters, step.work, groupNormalizing);
    }
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, col: number, fused: boolean): void {
    const rows = step.batch * this.positions;
    const [kernel, bias] = this.weights;
    if (!fused && this.activation !== 'linear') {
      activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dy, rows, this.filters, this.preActivation(step, col));
    }
    if (bias && this.trainable) sumRows(step.be, dy, rows, this.filters, bias.grad);
    const fg = this.filters / this.groups, channels = this.inputShape[this.inputShape.length - 1];
    for (let g = 0; g < this.groups; g++) {
      const s = this.slices(rows, g);
      const patches = (this.pointwise ? x : col) + s.patches;
      if (this.trainable) gemm(step.be, true, false, this.patch, fg, rows, patches, s.stride, dy + s.filters, this.filters, 0, kernel.grad + s.filters, this.filters, step.work);
      if (dx && this.pointwise) {
        gemm(step.be, false, true, rows, this.patch, fg, dy + s.filters, this.filters, kernel.ptr + s.filters, this.filters, 0, dx + s.patches, channels, step.work);
      } else if (dx) {
        // This group's patch matrix is no longer needed: it takes the patch gradients dz·Wᵀ, then col2im.
        gemm(step.be, false, true, rows, this.patch, fg, dy + s.filters, this.filters, kernel.ptr + s.filters, this.filters, 0, patches, this.patch, step.work);
        col2im(step.be, patches, dx, step.batch, this.image(g));
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
      // Written only when set: TF.js has no groups, and reads files that do not name them.
      ...(this.groups !== 1 ? { groups: this.groups } : {}),
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerToKeras(this.kernelInitializer),
      biasInitializer: initializerToKeras(this.biasInitializer),
      ...kernelBiasConfig(this.kernelBias),
      activityRegularizer: regularizerToKeras(this.activityRegularizer),
    };
  }
}
