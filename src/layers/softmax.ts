// Keras' Softmax layer: the softmax over an axis of each sample — over the last, the Activation
// layer with 'softmax' (rows as the kernels lay them out, a cross-entropy loss folding it in);
// over another, each line along that axis normalized in place (assembly/softmax-axis.ts).
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { softmaxAxis, softmaxAxisBackward } from '../ops/softmax-axis.js';
import { shapeSize } from '../tensor.js';
import { Activation } from './activation.js';
import { LAYER_ARGS, type LayerArgs, type Step } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized, counting the batch axis (Keras): -1, the default, is the last. */
  axis?: number;
}

/** y = softmax(x) over an axis of each sample (the last by default, which a cross-entropy loss folds in as it folds a softmax activation). */
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
    if (this.axis >= rank || this.axis < -(rank - 1)) {
      throw new ValueError(`Softmax ${this.name}: axis ${this.axis} is outside inputs of rank ${rank} (with the batch axis); it must be 1 to ${rank - 1}, or -1 to -${rank - 1}`);
    }
    return [...inputShape];
  }

  /** [values per sample before the axis, its length, values after it]; undefined for the last axis. */
  private get lines(): [number, number, number] | undefined {
    const dims = this.inputShape, at = (this.axis < 0 ? dims.length + 1 + this.axis : this.axis) - 1;
    if (at === dims.length - 1) return undefined;
    return [shapeSize(dims.slice(0, at)), dims[at], shapeSize(dims.slice(at + 1))];
  }

  /** Over another axis than the last, no loss can fold this softmax in. */
  override get lossActivation(): string | undefined {
    return this.lines ? undefined : this.activation;
  }

  override forward(step: Step, x: number, y: number): void {
    const lines = this.lines;
    if (!lines) return super.forward(step, x, y);
    softmaxAxis(step.be, x, y, step.batch * lines[0], lines[1], lines[2]);
  }

  override backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number, fused: boolean): void {
    const lines = this.lines;
    if (!lines) return super.backward(step, x, y, dy, dx, scratch, fused);
    if (dx) softmaxAxisBackward(step.be, y, dy, dx, step.batch * lines[0], lines[1], lines[2]);
  }

  override getConfig(): Record<string, unknown> {
    const { activation: _activation, ...config } = super.getConfig();
    return { ...config, axis: this.axis };
  }
}
