import { ValueError } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { ACTIVATIONS, activationName, type ActivationName } from './activations.js';
import { LAYER_ARGS, Layer, copyFloats, launchRows, type LayerArgs, type Step } from './layer.js';

export interface ActivationArgs extends LayerArgs {
  /** 'sigmoid', 'relu', 'tanh', 'softmax' (over the last axis), 'elu' or 'linear'. */
  activation: ActivationName | string;
}

/** Applies an activation to its input, elementwise (softmax: over the last axis). */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationName;

  constructor(args: ActivationArgs) {
    const o = checkOptions<ActivationArgs>(args, [...LAYER_ARGS, 'activation'], 'Activation');
    super(o, 'Activation');
    if (o.activation === undefined) throw new ValueError("Activation: the activation option is required (e.g. { activation: 'relu' })");
    this.activation = activationName(o.activation, 'Activation: activation');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  private rowsAndCols(step: Step): [number, number] {
    const cols = this.inputShape[this.inputShape.length - 1];
    return [(step.batch * shapeSize(this.inputShape)) / cols, cols];
  }

  forward(step: Step, x: number, y: number): void {
    const [rows, cols] = this.rowsAndCols(step);
    copyFloats(step.be, x, y, rows * cols);
    launchRows(step, 'biasActivation', [y, 0, cols, ACTIVATIONS[this.activation]], rows, cols, 16);
  }

  backward(step: Step, _x: number, y: number, dy: number, dx: number, _scratch: number, fused: boolean): void {
    if (!dx) return;
    const [rows, cols] = this.rowsAndCols(step);
    if (fused) copyFloats(step.be, dy, dx, rows * cols);
    else launchRows(step, 'activationBackward', [ACTIVATIONS[this.activation], y, dy, dx, cols], rows, cols, 2);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}
