// Keras' rectifier layers with parameters (ReLU with maxValue, negativeSlope and threshold;
// LeakyReLU; ELU with α; ThresholdedReLU), applied elementwise by one kernel (assembly/rectifiers.ts);
// their gradients come from the layer's input.
import { ValueError, describe } from '../errors.js';
import { rectify, rectifyBackward, Rectifier, type RectifierParameters } from '../ops/rectifiers.js';
import { checkNumber, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

/** A layer y = f(x) elementwise, f one of the rectifiers with this layer's parameters. */
abstract class RectifierLayer extends Layer {
  protected abstract readonly kind: Rectifier;
  protected abstract get parameters(): RectifierParameters;

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
