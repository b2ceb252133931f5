// Keras' TimeDistributed wrapper: one layer applied to every step of a sequence, the same weights
// at each — [steps, ...shape] → [steps, ...layer's output]. The steps are folded into the batch,
// so the layer runs once over batch × steps samples. The wrapper holds the layer's weights under
// its own name (time_distributed/kernel, as Keras 2 and TF.js save them).
import { ShapeError, ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import type { Backend } from '../runtime/backend.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type Weight, type WeightSpec } from './layer.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to each step (a new one: dense, conv2d, …). */
  layer: Layer;
}

/**
 * A layer applied to each step of a sequence with the same weights.
 * @example layers.timeDistributed({ layer: layers.dense({ units: 8 }), inputShape: [10, 16] })
 */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    const o = checkOptions<TimeDistributedArgs>(args, [...LAYER_ARGS, 'layer'], 'TimeDistributed');
    super(o, 'TimeDistributed');
    if (!(o.layer instanceof Layer)) throw new ValueError(`TimeDistributed: layer must be a layer (e.g. layers.dense({ units: 8 })); received ${describe(o.layer)}`);
    if (o.layer.isBuilt) throw new ValueError('TimeDistributed: layer must be a new layer, not one already built or used');
    this.layer = o.layer;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new ShapeError(`TimeDistributed ${this.name}: needs inputs of shape [steps, ...] per sample (rank ≥ 2); received [${inputShape.join(', ')}]`);
    return [inputShape[0], ...this.layer.computeOutputShape(inputShape.slice(1))];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    return this.layer.weightSpecsFor(inputShape.slice(1));
  }

  override build(be: Backend, inputShape: readonly number[]): void {
    const fresh = !this.isBuilt;
    super.build(be, inputShape);
    if (!fresh) return;
    this.layer.build(be, inputShape.slice(1));
    this.layer.useWeights(this.weights, `${this.name}'s weights`);
  }

  /** Another's weights for the wrapper (a functional model running other sizes) are its layer's too. */
  override useWeights(weights: readonly Weight[], whose?: string): void {
    super.useWeights(weights, whose);
    this.layer.useWeights(this.weights, `${this.name}'s weights`);
  }

  /** The pass as the wrapped layer sees it: every step a sample. */
  private inner(step: Step): Step {
    return { ...step, batch: step.batch * this.inputShape[0] };
  }

  /** A wrapped flatten or reshape passes its input buffer on, so the wrapper does. */
  override aliases(training: boolean): boolean {
    return this.layer.aliases(training);
  }

  override scratchBytes(batch: number, training: boolean): number {
    return this.layer.scratchBytes(batch * this.inputShape[0], training);
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    this.layer.forward(this.inner(step), x, y, scratch);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number, fused: boolean): void {
    this.layer.trainable = this.trainable;
    this.layer.backward(this.inner(step), x, y, dy, dx, scratch, fused);
  }

  override getConfig(): Record<string, unknown> {
    const { batchInputShape: _shape, ...inner } = this.layer.getConfig();
    return { ...super.getConfig(), layer: { class_name: this.layer.className, config: inner } };
  }
}
