// Keras' LayerNormalization (Ba, Kiros & Hinton 2016): each sample's values over the normalized
// axes (the last by default) centred and scaled by their own mean and variance — the same in
// training and inference, no moving statistics — then γ and β of the normalized axes' shape.
// The axes must be the trailing ones (every use in Keras' and TF.js' models: the features of a
// sequence step, or a whole image); each sample's leading positions are then rows of one kernel.
import { ValueError, describe } from '../errors.js';
import { layerNormBackward, layerNormForward } from '../ops/layer-norm.js';
import { checkNumber, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type Weight, type WeightSpec } from './layer.js';
import { SCALE_SHIFT_ARGS, readScaleShift, scaleShiftConfig, scaleShiftSpecs, type ScaleShift, type ScaleShiftArgs } from './scale-shift-options.js';

export interface LayerNormalizationArgs extends LayerArgs, ScaleShiftArgs {
  /** The normalized axis or axes, counting the batch axis: -1, the default, is the last; they must be the trailing axes. */
  axis?: number | number[];
  /** Added to the variance (default 0.001). */
  epsilon?: number;
}

/** Normalizes each sample over its last axes: γ(x − μ)/√(σ² + ε) + β, μ and σ² of the sample's own values there. */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly axis: number | number[];
  readonly epsilon: number;
  /** γ and β: whether learned, and their initializers, penalties and constraints. */
  readonly scaleShift: ScaleShift;

  /** Whether β is learned (Keras' center). */
  get center(): boolean {
    return this.scaleShift.center;
  }

  /** Whether γ is learned (Keras' scale). */
  get scale(): boolean {
    return this.scaleShift.scale;
  }

  constructor(args: LayerNormalizationArgs = {}) {
    const o = checkOptions<LayerNormalizationArgs>(args, [...LAYER_ARGS, 'axis', 'epsilon', ...SCALE_SHIFT_ARGS], 'LayerNormalization');
    super(o, 'LayerNormalization');
    const where = 'LayerNormalization';
    const axis = o.axis ?? -1;
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.length === 0 || list.some((a) => !Number.isInteger(a) || a === 0) || new Set(list).size !== list.length) {
      throw new ValueError(`${where}: axis must be a non-zero integer or a list of distinct ones (the batch axis is 0; -1, the last, is the default); received ${describe(o.axis)}`);
    }
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = checkNumber(o.epsilon, 'epsilon', where, 1e-3);
    if (!(this.epsilon > 0)) throw new ValueError(`${where}: epsilon must be > 0; received ${describe(o.epsilon)}`);
    this.scaleShift = readScaleShift(o, where);
  }

  /** Where the normalized axes start in a sample's shape (they run to its end). */
  private firstAxis(inputShape: readonly number[]): number {
    const rank = inputShape.length + 1;
    const list = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => {
      if (a >= rank || a < -(rank - 1)) {
        throw new ValueError(`LayerNormalization ${this.name}: axis ${a} is outside inputs of rank ${rank} (with the batch axis); it must be 1 to ${rank - 1}, or -1 to -${rank - 1}`);
      }
      return (a < 0 ? rank + a : a) - 1;
    }).sort((a, b) => a - b);
    if (list.some((a, i) => a !== inputShape.length - list.length + i)) {
      throw new ValueError(`LayerNormalization ${this.name}: axis ${JSON.stringify(this.axis)} must name the last axes of inputs of rank ${rank} (e.g. -1, or [${Array.from({ length: list.length }, (_, i) => i - list.length).join(', ')}]); other axes are not supported`);
    }
    return list[0];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    this.firstAxis(inputShape);
    return [...inputShape];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    return scaleShiftSpecs(this.scaleShift, inputShape.slice(this.firstAxis(inputShape)));
  }

  private parts(): { gamma: Weight | undefined; beta: Weight | undefined } {
    const w = this.weights;
    const { scale, center } = this.scaleShift;
    return { gamma: scale ? w[0] : undefined, beta: center ? w[scale ? 1 : 0] : undefined };
  }

  /** [rows, cols] of one pass: every leading position of every sample a row of the normalized values. */
  private layout(batch: number): [rows: number, cols: number] {
    const at = this.firstAxis(this.inputShape);
    return [batch * shapeSize(this.inputShape.slice(0, at)), shapeSize(this.inputShape.slice(at))];
  }

  /** Training: each row's mean and 1/√(σ² + ε), kept from forward to backward. */
  override scratchBytes(batch: number, training: boolean): number {
    return training ? this.layout(batch)[0] * 16 : 0;
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    const [rows, cols] = this.layout(step.batch);
    const { gamma, beta } = this.parts();
    layerNormForward(step.be, x, y, rows, cols, gamma?.ptr ?? 0, beta?.ptr ?? 0, this.epsilon, step.training ? scratch : 0);
  }

  backward(step: Step, x: number, _y: number, dy: number, dx: number, scratch: number): void {
    const [rows, cols] = this.layout(step.batch);
    const { gamma, beta } = this.parts();
    const train = this.trainable;
    layerNormBackward(step.be, x, dy, dx, rows, cols, gamma?.ptr ?? 0, scratch, train && gamma ? gamma.grad : 0, train && beta ? beta.grad : 0);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis, epsilon: this.epsilon, ...scaleShiftConfig(this.scaleShift),
    };
  }
}
