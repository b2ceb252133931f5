// Keras' Dot merge: the dot product of two inputs along an axis of each (per sample; Keras'
// batch_dot), optionally of their L2-normalized forms (normalize: cosine similarity). Inputs have
// per-sample rank 1 or 2; the output keeps x's other axis, then y's ([1] when neither has one).
import { ShapeError, ValueError, describe } from '../errors.js';
import { dotBackward, dotForward, dotLayout, l2NormalizeBackward, l2NormalizeForward, type DotLayout } from '../ops/dot.js';
import { checkBoolean, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, type LayerArgs, type Step } from './layer.js';
import { MergeLayer } from './merge.js';

export interface DotArgs extends LayerArgs {
  /** The axis of each input summed over, counting the batch axis (not 0): one for both, or [x's, y's]; negative from the end. */
  axes: number | [number, number];
  /** Normalize both inputs along their axes first (the output is then the cosine similarity). Default false. */
  normalize?: boolean;
}

/** The dot product of two inputs along an axis each. @example layers.dot({ axes: 1 }).apply([a, b]) */
export class Dot extends MergeLayer {
  readonly className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  private strides: DotLayout | undefined;

  constructor(args: DotArgs) {
    const o = checkOptions<DotArgs>(args, [...LAYER_ARGS, 'axes', 'normalize'], 'Dot');
    super(o, 'Dot');
    const axes = o.axes;
    const valid = (a: unknown) => Number.isInteger(a) && a !== 0;
    if (!(valid(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(valid)))) {
      throw new ValueError(`Dot: axes must be a non-zero integer or two of them ([x's axis, y's axis]; the batch axis 0 cannot be summed); received ${describe(axes)}`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : (axes as number);
    this.normalize = checkBoolean(o.normalize, 'normalize', 'Dot', false);
  }

  /** Per-sample axes of x and y (Keras' axes less the batch axis). */
  private sampleAxes(shapes: readonly (readonly number[])[]): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return given.map((a, i) => {
      const rank = shapes[i].length;
      const axis = a < 0 ? a + rank + 1 : a;
      if (axis < 1 || axis > rank) throw new ShapeError(`Dot ${this.name}: axis ${a} does not exist for input ${i} of rank ${rank + 1}`);
      return axis - 1;
    }) as [number, number];
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (shapes.length !== 2) throw new ValueError(`Dot ${this.name}: takes exactly 2 inputs; received ${shapes.length}`);
    const [x, y] = shapes;
    if (x.length > 2 || y.length > 2) throw new ShapeError(`Dot ${this.name}: inputs must have 1 or 2 axes besides the batch; received [${x.join(', ')}] and [${y.join(', ')}]`);
    const [ax, ay] = this.sampleAxes(shapes);
    if (x[ax] !== y[ay]) throw new ShapeError(`Dot ${this.name}: the summed axes must have one size; received ${x[ax]} (input 0, axis ${ax + 1}) and ${y[ay]} (input 1, axis ${ay + 1})`);
    const out = [...x.filter((_, i) => i !== ax), ...y.filter((_, i) => i !== ay)];
    return out.length === 0 ? [1] : out;
  }

  /** How the kernels read a sample of each input (kept: the shapes are fixed once the layer is built). */
  private layout(): DotLayout {
    if (!this.strides) {
      const [ax, ay] = this.sampleAxes(this.inputShapes);
      this.strides = dotLayout(this.inputShapes[0], this.inputShapes[1], ax, ay);
    }
    return this.strides;
  }

  /** x viewed as outer × n × inner, normalized over n (its summed axis). */
  private normalizeView(i: 0 | 1, batch: number): { outer: number; n: number; inner: number } {
    const shape = this.inputShapes[i];
    const axis = this.sampleAxes(this.inputShapes)[i];
    return { outer: batch * shapeSize(shape.slice(0, axis)), n: shape[axis], inner: shapeSize(shape.slice(axis + 1)) };
  }

  /**
   * normalize's scratch: the normalized inputs (ux, uy), their norms (nx, ny) and, training, their
   * gradients (dux, duy), as byte offsets; the bytes up to dux (predict) and in all; and each
   * input's view for the normalization.
   */
  private parts(batch: number) {
    const l = this.layout();
    const vx = this.normalizeView(0, batch), vy = this.normalizeView(1, batch);
    const ux = 0, uy = ux + batch * l.xSize * 4, nx = uy + batch * l.ySize * 4, ny = nx + vx.outer * vx.inner * 4, dux = ny + vy.outer * vy.inner * 4;
    const duy = dux + batch * l.xSize * 4;
    return { ux, uy, nx, ny, dux, duy, end: duy + batch * l.ySize * 4, vx, vy };
  }

  override scratchBytes(batch: number, training: boolean): number {
    if (!this.normalize) return 0;
    const p = this.parts(batch);
    return training ? p.end : p.dux;
  }

  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    let [a, b] = xs;
    if (this.normalize) {
      const { ux, uy, nx, ny, vx, vy } = this.parts(step.batch);
      l2NormalizeForward(step.be, a, scratch + ux, scratch + nx, vx.outer, vx.n, vx.inner);
      l2NormalizeForward(step.be, b, scratch + uy, scratch + ny, vy.outer, vy.n, vy.inner);
      [a, b] = [scratch + ux, scratch + uy];
    }
    dotForward(step.be, this.layout(), a, b, y, step.batch);
  }

  backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    if (!this.normalize) {
      dotBackward(step.be, this.layout(), xs[0], xs[1], dy, dxs[0], dxs[1], step.batch);
      return;
    }
    const { ux, uy, nx, ny, dux, duy, vx, vy } = this.parts(step.batch);
    dotBackward(step.be, this.layout(), scratch + ux, scratch + uy, dy, dxs[0] ? scratch + dux : 0, dxs[1] ? scratch + duy : 0, step.batch);
    if (dxs[0]) l2NormalizeBackward(step.be, scratch + ux, scratch + nx, scratch + dux, dxs[0], vx.outer, vx.n, vx.inner);
    if (dxs[1]) l2NormalizeBackward(step.be, scratch + uy, scratch + ny, scratch + duy, dxs[1], vy.outer, vy.n, vy.inner);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
