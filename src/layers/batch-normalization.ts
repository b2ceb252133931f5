// Keras' BatchNormalization over the channel axis (the last by default, any other with `axis`: each
// channel's values are then runs along the later axes): training normalizes with the batch's
// statistics and moves the moving ones towards them (moving ← moving − (moving − batch)(1 −
// momentum), as Keras and TF.js); inference uses the moving statistics. A frozen layer
// (trainable false) runs in inference mode even in fit, as Keras 3 does, so fine-tuning a
// pretrained network keeps its statistics.
import { ValueError, describe } from '../errors.js';
import { IDENTITY, batchNormBackward, batchNormForward, columnMoments, movingAverage, normScaleShift, type ChannelLayout, type Normalizing, type NormStatistics } from '../ops/batch-norm.js';
import type { RectifierParameters } from '../ops/rectifiers.js';
import { checkNumber, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type Weight, type WeightSpec } from './layer.js';
import { SCALE_SHIFT_ARGS, readScaleShift, scaleShiftConfig, scaleShiftSpecs, type ScaleShift, type ScaleShiftArgs } from './scale-shift-options.js';

export interface BatchNormalizationArgs extends LayerArgs, ScaleShiftArgs {
  /** The normalized (channel) axis, counting the batch axis: -1, the default, is the last (e.g. 1 for channels-first images). */
  axis?: number;
  /** Weight of the old moving statistics in each update (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 0.001). */
  epsilon?: number;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

const OPTIONS = ['axis', 'momentum', 'epsilon', 'movingMeanInitializer', 'movingVarianceInitializer', ...SCALE_SHIFT_ARGS] as const;

/** Normalizes each channel: γ(x − μ)/√(σ² + ε) + β, with the batch's statistics in training and the moving ones otherwise. */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  /** γ and β: whether learned, and their initializers, penalties and constraints. */
  readonly scaleShift: ScaleShift;
  private readonly initializers: Record<'movingMean' | 'movingVariance', InitializerSpec>;

  /** Whether β is learned (Keras' center). */
  get center(): boolean {
    return this.scaleShift.center;
  }

  /** Whether γ is learned (Keras' scale). */
  get scale(): boolean {
    return this.scaleShift.scale;
  }

  constructor(args: BatchNormalizationArgs = {}) {
    const o = checkOptions<BatchNormalizationArgs>(args, [...LAYER_ARGS, ...OPTIONS], 'BatchNormalization');
    super(o, 'BatchNormalization');
    const where = 'BatchNormalization';
    this.axis = o.axis ?? -1;
    if (!Number.isInteger(this.axis) || this.axis === 0) throw new ValueError(`${where}: axis must be a non-zero integer (-1, the default, is the channel axis); received ${describe(o.axis)}`);
    this.momentum = checkNumber(o.momentum, 'momentum', where, 0.99);
    if (this.momentum < 0 || this.momentum > 1) throw new ValueError(`${where}: momentum must be in [0, 1]; received ${describe(o.momentum)}`);
    this.epsilon = checkNumber(o.epsilon, 'epsilon', where, 1e-3);
    if (!(this.epsilon > 0)) throw new ValueError(`${where}: epsilon must be > 0; received ${describe(o.epsilon)}`);
    this.scaleShift = readScaleShift(o, where);
    this.initializers = {
      movingMean: initializerSpec(o.movingMeanInitializer ?? 'zeros', `${where}: movingMeanInitializer`),
      movingVariance: initializerSpec(o.movingVarianceInitializer ?? 'ones', `${where}: movingVarianceInitializer`),
    };
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const rank = inputShape.length + 1;
    if (this.axis >= rank || this.axis < -(rank - 1)) {
      throw new ValueError(`BatchNormalization ${this.name}: axis ${this.axis} is outside inputs of rank ${rank} (with the batch axis); it must be 1 to ${rank - 1}, or -1 to -${rank - 1}`);
    }
    return [...inputShape];
  }

  /** Whether the channels are the last axis (as a convolution's output has them). */
  get overLastAxis(): boolean {
    return this.channelAxis(this.inputShape) === this.inputShape.length - 1;
  }

  /** Where the channel axis is in a sample's shape. */
  private channelAxis(inputShape: readonly number[]): number {
    return (this.axis < 0 ? inputShape.length + 1 + this.axis : this.axis) - 1;
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const c = [inputShape[this.channelAxis(inputShape)]];
    return [
      ...scaleShiftSpecs(this.scaleShift, c),
      ['moving_mean', c, this.initializers.movingMean],
      ['moving_variance', c, this.initializers.movingVariance],
    ];
  }

  /** γ and β; the moving statistics are never trained by gradients. */
  override get trainableWeights(): readonly Weight[] {
    return this.trainable ? this.weights.filter((w) => !/\/moving_(mean|variance)$/.test(w.name)) : [];
  }

  private parts(): { gamma: Weight | undefined; beta: Weight | undefined; moving: NormStatistics } {
    const w = this.weights;
    const gamma = this.scale ? w[0] : undefined, beta = this.center ? w[this.scale ? 1 : 0] : undefined;
    return { gamma, beta, moving: { mean: w[w.length - 2].ptr, variance: w[w.length - 1].ptr } };
  }

  /** Each channel's scale and shift; training, the batch's mean and variance after them, kept for backward. */
  override scratchBytes(_batch: number, training: boolean): number {
    return (training ? 4 : 2) * this.inputShape[this.channelAxis(this.inputShape)] * 4;
  }

  private geometry(step: Step, scratch: number): { layout: ChannelLayout; work: number; batchStats: NormStatistics; training: boolean } {
    const dims = this.inputShape, at = this.channelAxis(dims), cols = dims[at];
    const layout = { rows: step.batch * shapeSize(dims.slice(0, at)), cols, inner: shapeSize(dims.slice(at + 1)) };
    const stats = scratch + 2 * cols * 4;
    return { layout, work: scratch, batchStats: { mean: stats, variance: stats + cols * 4 }, training: step.training && this.trainable };
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    this.forwardRectified(step, x, y, scratch);
  }

  /**
   * forward, then (given) a ReLU-family rectifier in the same pass: how inference runs a
   * BatchNormalization followed by a ReLU layer (the same bits as the two one after the other).
   */
  forwardRectified(step: Step, x: number, y: number, scratch: number, rectifier?: RectifierParameters): void {
    const { layout, work, batchStats, training } = this.geometry(step, scratch);
    const { gamma, beta, moving } = this.parts();
    if (training) {
      columnMoments(step.be, x, layout, batchStats);
      movingAverage(step.be, moving.mean, batchStats.mean, layout.cols, this.momentum);
      movingAverage(step.be, moving.variance, batchStats.variance, layout.cols, this.momentum);
    }
    batchNormForward(step.be, x, y, layout, training ? batchStats : moving, gamma?.ptr ?? 0, beta?.ptr ?? 0, this.epsilon, work, rectifier);
  }

  /**
   * At inference, over the last axis: each channel's scale and shift written to the scratch, for a
   * convolution to apply as it writes its output (with a rectifier after, if given); else undefined.
   */
  inferenceNormalizing(step: Step, scratch: number, rectifier: RectifierParameters = IDENTITY): Normalizing | undefined {
    const { layout, work, training } = this.geometry(step, scratch);
    if (training || layout.inner !== 1) return undefined;
    const { gamma, beta, moving } = this.parts();
    normScaleShift(step.be, moving, gamma?.ptr ?? 0, beta?.ptr ?? 0, this.epsilon, layout.cols, work);
    return { bias: 0, scale: work, shift: work + layout.cols * 4, rectifier };
  }

  backward(step: Step, x: number, _y: number, dy: number, dx: number, scratch: number): void {
    const { layout, batchStats, training } = this.geometry(step, scratch);
    const { gamma, beta, moving } = this.parts();
    batchNormBackward(step.be, x, dy, dx, layout, training ? batchStats : moving, gamma?.ptr ?? 0,
      training && gamma ? gamma.grad : 0, training && beta ? beta.grad : 0, this.epsilon, training);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, ...scaleShiftConfig(this.scaleShift),
      movingMeanInitializer: initializerToKeras(this.initializers.movingMean), movingVarianceInitializer: initializerToKeras(this.initializers.movingVariance),
    };
  }
}
