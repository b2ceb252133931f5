// Keras' masks as nodes of the graph: an embedding with maskZero or a masking layer gives its
// output a mask, computed by an internal node from the same input; layers that keep the steps
// pass it on, layers that read it (recurrent layers, attention, average pooling over steps) get
// its buffer in their pass (Step.masks). The internal layers are never saved or listed: applying
// the model's layers again (a loaded file, a copy) makes them again.
import { ValueError } from '../errors.js';
import { maskSteps, computeMask } from '../ops/step-mask.js';
import { copyBytes } from '../ops/memory.js';
import { setMaskCombiner, Layer, type Step } from './layer.js';
import { MergeLayer } from './merge.js';
import type { SymbolicTensor } from './node.js';

/** The mask of a sequence: per step, whether (any feature of) it differs from `value`. */
class ComputeMask extends Layer {
  readonly className = 'ComputeMask';

  constructor(private readonly value: number) {
    super({}, 'ComputeMask');
  }

  override get internal(): boolean {
    return true;
  }

  override get differentiable(): boolean {
    return false;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1 || inputShape.length > 2) throw new ValueError(`a mask needs sequences of shape [steps] or [steps, features]; received [${inputShape.join(', ')}]`);
    return [inputShape[0]];
  }

  forward(step: Step, x: number, y: number): void {
    const [steps, width = 1] = this.inputShape;
    computeMask(step.be, x, y, step.batch, steps, width, this.value);
  }

  backward(): void {
    // No gradient flows through a mask (the graph never asks for one).
  }
}

/** The product of several masks of one shape (Keras' logical and of merged inputs' masks). */
class CombineMasks extends MergeLayer {
  readonly className = 'CombineMasks';

  constructor() {
    super({}, 'CombineMasks');
  }

  override get internal(): boolean {
    return true;
  }

  override get differentiable(): boolean {
    return false;
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (shapes.some((s) => s.join() !== shapes[0].join())) throw new ValueError(`inputs with masks over different steps cannot be merged: [${shapes.map((s) => s.join(', ')).join('], [')}]`);
    return [...shapes[0]];
  }

  forwardMany(step: Step, xs: readonly number[], y: number): void {
    const [steps] = this.inputShapes[0];
    copyBytes(step.be, xs[0], y, step.batch * steps * 4);
    for (const m of xs.slice(1)) maskSteps(step.be, y, m, y, step.batch, steps, 1);
  }

  backwardMany(): void {}
}

/** The mask of `x`'s steps: where (any feature of) a step differs from `value`. */
export function maskOf(x: SymbolicTensor, value: number): SymbolicTensor {
  return new ComputeMask(value).apply(x);
}

setMaskCombiner((masks) => new CombineMasks().apply(masks));
