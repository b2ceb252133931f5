// Keras' rectifier layers with parameters (ReLU with maxValue, negativeSlope and threshold;
// LeakyReLU; ELU with α; ThresholdedReLU), applied elementwise by one kernel (assembly/rectifiers.ts),
// their gradients from the layer's input; and PReLU, whose α is learned.
import { ValueError, describe } from '../errors.js';
import { prelu, preluBackward, rectify, rectifyBackward, Rectifier, type RectifierParameters } from '../ops/rectifiers.js';
import { broadcastCopy, broadcastOf, broadcastSum } from '../ops/merge.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { checkNumber, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type WeightSpec } from './layer.js';

/** A layer y = f(x) elementwise, f one of the rectifiers with this layer's parameters. */
export abstract class RectifierLayer extends Layer {
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  protected abstract readonly kind: Rectifier;
  protected abstract get parameters(): RectifierParameters;

  /** (maximum, slope, threshold) when this is a ReLU-family rectifier (ReLU, LeakyReLU), which another kernel can apply on its way out. */
  get reluParameters(): RectifierParameters | undefined {
    return this.kind === Rectifier.Relu ? this.parameters : undefined;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(step: Step, x: number, y: number): void {
    rectify(step.be, this.kind, x, y, step.batch * shapeSize(this.inputShape), this.parameters);
  }

  backward(step: Step, x: number, _y: number, dy: number, dx: number): void {
    if (dx) rectifyBackward(step.be, this.kind, x, dy, dx, step.batch * shapeSize(this.inputShape), this.parameters);
  }
}

/** A finite number ≥ 0 (or the fallback), for the rectifiers' parameters. */
function nonNegative(value: unknown, name: string, where: string, fallback: number): number {
  const v = checkNumber(value, name, where, fallback);
  if (v < 0) throw new ValueError(`${where}: ${name} must be a finite number ≥ 0; received ${describe(value)}`);
  return v;
}

export interface ReLUArgs extends LayerArgs {
  /** The largest output (none by default; 6 gives ReLU6). */
  maxValue?: number | null;
  /** The slope below the threshold (Keras; default 0). */
  negativeSlope?: number;
  /** Where the identity starts (Keras; default 0). */
  threshold?: number;
}

/** Keras' ReLU layer: maxValue if x ≥ maxValue, x if threshold ≤ x < maxValue, negativeSlope·(x − threshold) below. */
export class ReLU extends RectifierLayer {
  readonly className = 'ReLU';
  protected readonly kind = Rectifier.Relu;
  readonly maxValue: number | undefined;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    const o = checkOptions<ReLUArgs>(args, [...LAYER_ARGS, 'maxValue', 'negativeSlope', 'threshold'], 'ReLU');
    super(o, 'ReLU');
    this.maxValue = o.maxValue === null || o.maxValue === undefined ? undefined : nonNegative(o.maxValue, 'maxValue', 'ReLU', 0);
    this.negativeSlope = nonNegative(o.negativeSlope, 'negativeSlope', 'ReLU', 0);
    this.threshold = checkNumber(o.threshold, 'threshold', 'ReLU', 0);
  }

  protected get parameters(): RectifierParameters {
    return [this.maxValue ?? Infinity, this.negativeSlope, this.threshold];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue ?? null, ...(this.negativeSlope !== 0 ? { negativeSlope: this.negativeSlope } : {}), ...(this.threshold !== 0 ? { threshold: this.threshold } : {}) };
  }
}

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope below 0 (default 0.3, as TF.js and Keras; Keras 3 calls it negativeSlope). */
  alpha?: number;
  negativeSlope?: number;
}

/** Keras' LeakyReLU: x if x ≥ 0, α·x below. */
export class LeakyReLU extends RectifierLayer {
  readonly className = 'LeakyReLU';
  protected readonly kind = Rectifier.Relu;
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    const o = checkOptions<LeakyReLUArgs>(args, [...LAYER_ARGS, 'alpha', 'negativeSlope'], 'LeakyReLU');
    super(o, 'LeakyReLU');
    this.alpha = nonNegative(o.alpha ?? o.negativeSlope, o.alpha !== undefined ? 'alpha' : 'negativeSlope', 'LeakyReLU', 0.3);
  }

  protected get parameters(): RectifierParameters {
    return [Infinity, this.alpha, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Keras' ELU layer: x if x > 0, α(eˣ − 1) otherwise. */
export class ELU extends RectifierLayer {
  readonly className = 'ELU';
  protected readonly kind = Rectifier.Elu;
  readonly alpha: number;

  constructor(args: LayerArgs & { alpha?: number } = {}) {
    const o = checkOptions<LayerArgs & { alpha: number }>(args, [...LAYER_ARGS, 'alpha'], 'ELU');
    super(o, 'ELU');
    this.alpha = nonNegative(o.alpha, 'alpha', 'ELU', 1);
  }

  protected get parameters(): RectifierParameters {
    return [this.alpha, 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Keras' ThresholdedReLU: x if x > θ, 0 otherwise. */
export class ThresholdedReLU extends RectifierLayer {
  readonly className = 'ThresholdedReLU';
  protected readonly kind = Rectifier.Thresholded;
  readonly theta: number;

  constructor(args: LayerArgs & { theta?: number } = {}) {
    const o = checkOptions<LayerArgs & { theta: number }>(args, [...LAYER_ARGS, 'theta'], 'ThresholdedReLU');
    super(o, 'ThresholdedReLU');
    this.theta = nonNegative(o.theta, 'theta', 'ThresholdedReLU', 1);
  }

  protected get parameters(): RectifierParameters {
    return [this.theta, 0, 0];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}

export interface PReLUArgs extends LayerArgs {
  /** Initializer of α (default 'zeros'). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  alphaConstraint?: ConstraintIdentifier | null;
  /** Axes (counting the batch axis, 1-based) that share one α, e.g. [1, 2] for one α per channel of images. */
  sharedAxes?: number | number[] | null;
}

/** Keras' PReLU: x where x > 0, α·x otherwise, α learned per position (or per channel with sharedAxes). */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly sharedAxes: number[];
  private readonly alphaInitializer: InitializerSpec;
  private readonly alphaRegularizer: Regularizer | undefined;
  private readonly alphaConstraint: ConstraintSpec | undefined;

  constructor(args: PReLUArgs = {}) {
    const o = checkOptions<PReLUArgs>(args, [...LAYER_ARGS, 'alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes'], 'PReLU');
    super(o, 'PReLU');
    const shared = o.sharedAxes === undefined || o.sharedAxes === null ? [] : Array.isArray(o.sharedAxes) ? o.sharedAxes : [o.sharedAxes];
    if (!shared.every((a) => Number.isInteger(a) && a >= 1)) throw new ValueError(`PReLU: sharedAxes must be axes ≥ 1 (the batch axis is 0); received ${describe(o.sharedAxes)}`);
    this.sharedAxes = shared;
    this.alphaInitializer = initializerSpec(o.alphaInitializer ?? 'zeros', 'PReLU: alphaInitializer');
    this.alphaRegularizer = regularizerOption(o.alphaRegularizer, 'PReLU: alphaRegularizer');
    this.alphaConstraint = constraintOption(o.alphaConstraint, 'PReLU: alphaConstraint');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const bad = this.sharedAxes.find((a) => a > inputShape.length);
    if (bad !== undefined) throw new ValueError(`PReLU ${this.name}: shared axis ${bad} does not exist in inputs of rank ${inputShape.length + 1}`);
    return [...inputShape];
  }

  /** α's shape: the sample's, 1 on the shared axes. */
  private alphaShape(inputShape: readonly number[]): number[] {
    return inputShape.map((d, i) => (this.sharedAxes.includes(i + 1) ? 1 : d));
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    return [['alpha', this.alphaShape(inputShape), this.alphaInitializer, { regularizer: this.alphaRegularizer, constraint: this.alphaConstraint }]];
  }

  /** α stretched to every position of a sample; training, its per-position gradient too. */
  override scratchBytes(_batch: number, training: boolean): number {
    return shapeSize(this.inputShape) * 4 * (training ? 2 : 1);
  }

  private stretch(step: Step, full: number): void {
    broadcastCopy(step.be, broadcastOf(this.alphaShape(this.inputShape), this.inputShape), this.weights[0].ptr, full, 1);
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    this.stretch(step, scratch);
    prelu(step.be, x, y, scratch, shapeSize(this.inputShape), step.batch);
  }

  backward(step: Step, x: number, _y: number, dy: number, dx: number, scratch: number): void {
    const size = shapeSize(this.inputShape);
    const [alpha] = this.weights;
    const dfull = this.trainable ? scratch + size * 4 : 0;
    preluBackward(step.be, x, dy, dx, scratch, dfull, size, step.batch);
    if (dfull) broadcastSum(step.be, broadcastOf(this.alphaShape(this.inputShape), this.inputShape), dfull, alpha.grad, 1);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), alphaInitializer: initializerToKeras(this.alphaInitializer), alphaRegularizer: regularizerToKeras(this.alphaRegularizer),
      alphaConstraint: constraintToKeras(this.alphaConstraint), sharedAxes: this.sharedAxes.length > 0 ? this.sharedAxes : null,
    };
  }
}
