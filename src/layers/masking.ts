// Keras' Masking: the steps of a sequence whose features all equal maskValue are padding. They
// are zeroed in the output, and the output's mask marks them for the layers after it (recurrent
// layers skip them, attention ignores them, average pooling leaves them out).
import { ShapeError, ValueError, describe } from '../errors.js';
import { computeMask, maskSteps } from '../ops/step-mask.js';
import { checkOptions } from '../options.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';
import { maskOf } from './masks.js';
import type { SymbolicTensor } from './node.js';

export interface MaskingArgs extends LayerArgs {
  /** The value that marks a padding step (all its features equal to it; default 0). */
  maskValue?: number;
}

/**
 * Marks the padding steps of sequences ([steps, features] per sample) for the layers after it.
 * @example layers.masking({ maskValue: 0, inputShape: [null, 8] })
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    const o = checkOptions<MaskingArgs>(args, [...LAYER_ARGS, 'maskValue'], 'Masking');
    super(o, 'Masking');
    const value = o.maskValue ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`Masking: maskValue must be a finite number; received ${describe(o.maskValue)}`);
    this.maskValue = value;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2) throw new ShapeError(`Masking ${this.name}: needs sequences of shape [steps, features] per sample; received [${inputShape.join(', ')}]`);
    return [...inputShape];
  }

  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return maskOf(inputs[0], this.maskValue);
  }

  /** The mask of the batch, [batch, steps], kept for backward. */
  override scratchBytes(batch: number): number {
    return batch * this.inputShape[0] * 4;
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    const [steps, features] = this.inputShape;
    computeMask(step.be, x, scratch, step.batch, steps, features, this.maskValue);
    maskSteps(step.be, x, scratch, y, step.batch, steps, features);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, scratch: number): void {
    const [steps, features] = this.inputShape;
    if (dx) maskSteps(step.be, dy, scratch, dx, step.batch, steps, features);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
