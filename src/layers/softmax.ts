// Keras' Softmax layer: the softmax over an axis of each sample (the last, as the kernels lay rows out).
import { ValueError, describe } from '../errors.js';
import { Activation, activationBackward, biasActivation } from '../ops/activation.js';
import { copyBytes } from '../ops/memory.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized, counting the batch axis (Keras): -1, the default, is the last. */
  axis?: number;
}

/** y = softmax(x) over the last axis; a loss of cross-entropy folds it in as it folds a softmax activation. */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number;
  /** The loss folds this layer into its gradient, as it folds a softmax activation. */
  readonly activation = 'softmax';

  constructor(args: SoftmaxArgs = {}) {
    const o = checkOptions<SoftmaxArgs>(args, [...LAYER_ARGS, 'axis'], 'Softmax');
    super(o, 'Softmax');
    const axis = o.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) throw new ValueError(`Softmax: axis must be a non-zero integer (the batch axis is 0; -1, the last, is the default); received ${describe(o.axis)}`);
    this.axis = axis;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const rank = inputShape.length + 1;
    if (this.axis !== -1 && this.axis !== rank - 1) {
      throw new ValueError(`Softmax ${this.name}: the softmax over axis ${this.axis} of inputs of rank ${rank} is not available; only the last axis (-1 or ${rank - 1}) is`);
    }
    return [...inputShape];
  }

  private rowsAndCols(step: Step): [number, number] {
    const cols = this.inputShape[this.inputShape.length - 1];
    return [(step.batch * shapeSize(this.inputShape)) / cols, cols];
  }

  forward(step: Step, x: number, y: number): void {
    const [rows, cols] = this.rowsAndCols(step);
    copyBytes(step.be, x, y, rows * cols * 4);
    biasActivation(step.be, y, 0, rows, cols, Activation.Softmax);
  }

  backward(step: Step, _x: number, y: number, dy: number, dx: number, _scratch: number, fused: boolean): void {
    if (!dx) return;
    const [rows, cols] = this.rowsAndCols(step);
    if (fused) copyBytes(step.be, dy, dx, rows * cols * 4);
    else activationBackward(step.be, Activation.Softmax, y, dy, dx, rows, cols);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
