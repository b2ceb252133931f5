import { ValueError } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { ACTIVATIONS, activationConfig, activationName, type ActivationName } from './activations.js';
import { activationBackward, biasActivation } from '../ops/activation.js';
import { copyBytes } from '../ops/memory.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

export interface ActivationArgs extends LayerArgs {
  /** An activation name: 'relu', 'sigmoid', 'tanh', 'softmax' (over the last axis), 'elu', 'relu6', 'selu', 'softplus', 'softsign', 'swish' ('silu'), 'gelu', 'gelu_new', 'hardSigmoid', 'mish', 'exponential' or 'linear'. */
  activation: ActivationName | string;
}

/** Applies an activation to its input, elementwise (softmax: over the last axis). */
export class Activation extends Layer {
  readonly className: string = 'Activation';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly activation: ActivationName;

  constructor(args: ActivationArgs, className = 'Activation') {
    const o = checkOptions<ActivationArgs>(args, [...LAYER_ARGS, 'activation'], className);
    super(o, className);
    if (o.activation === undefined) throw new ValueError("Activation: the activation option is required (e.g. { activation: 'relu' })");
    this.activation = activationName(o.activation, `${className}: activation`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  /** The activation a loss may fold into its gradient when this layer gives a model's output. */
  get lossActivation(): string | undefined {
    return this.activation;
  }

  private rowsAndCols(step: Step): [number, number] {
    const cols = this.inputShape[this.inputShape.length - 1];
    return [(step.batch * shapeSize(this.inputShape)) / cols, cols];
  }

  forward(step: Step, x: number, y: number): void {
    const [rows, cols] = this.rowsAndCols(step);
    copyBytes(step.be, x, y, rows * cols * 4);
    biasActivation(step.be, y, 0, rows, cols, ACTIVATIONS[this.activation]);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, _scratch: number, fused: boolean): void {
    if (!dx) return;
    const [rows, cols] = this.rowsAndCols(step);
    if (fused) copyBytes(step.be, dy, dx, rows * cols * 4);
    // The input is the pre-activation.
    else activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dx, rows, cols, x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activationConfig(this.activation) };
  }
}
