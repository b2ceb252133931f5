// Keras' Softmax layer: the softmax over an axis of each sample (the last, as the kernels lay rows
// out) — the Activation layer with 'softmax', written to files with its axis.
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { Activation } from './activation.js';
import { LAYER_ARGS, type LayerArgs } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized, counting the batch axis (Keras): -1, the default, is the last. */
  axis?: number;
}

/** y = softmax(x) over the last axis; a loss of cross-entropy folds it in as it folds a softmax activation. */
export class Softmax extends Activation {
  override readonly className = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    const { axis = -1, ...rest } = checkOptions<SoftmaxArgs>(args, [...LAYER_ARGS, 'axis'], 'Softmax');
    if (!Number.isInteger(axis) || axis === 0) throw new ValueError(`Softmax: axis must be a non-zero integer (the batch axis is 0; -1, the last, is the default); received ${describe(axis)}`);
    super({ ...rest, activation: 'softmax' }, 'Softmax');
    this.axis = axis;
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    const rank = inputShape.length + 1;
    if (this.axis !== -1 && this.axis !== rank - 1) {
      throw new ValueError(`Softmax ${this.name}: the softmax over axis ${this.axis} of inputs of rank ${rank} is not available; only the last axis (-1 or ${rank - 1}) is`);
    }
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    const { activation: _activation, ...config } = super.getConfig();
    return { ...config, axis: this.axis };
  }
}
