// Merge layers (Keras' add, subtract, multiply, average, maximum, minimum, concatenate): layers of
// several inputs, applied in functional models. Elementwise merges take inputs of one shape or of
// shapes that broadcast; concatenate joins them along an axis (Keras counts the batch axis: -1, the default, is the last).
import { ShapeError, ValueError, describe } from '../errors.js';
import { broadcastCopy, broadcastOf, broadcastSum, concatBackward, concatForward, Merge, mergeBackward, mergeForward, type Broadcast } from '../ops/merge.js';
import { checkOptions } from '../options.js';
import type { Backend } from '../runtime/backend.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, combinedMask, type LayerArgs, type Step } from './layer.js';
import type { SymbolicTensor } from './node.js';

/** A layer of several inputs. */
export abstract class MergeLayer extends Layer {
  private shapes: (readonly number[])[] | undefined;

  protected constructor(args: LayerArgs, className: string) {
    super(args, className);
  }

  /** The per-sample shapes of the inputs (after build). */
  get inputShapes(): readonly (readonly number[])[] {
    return this.shapes ?? [this.inputShape];
  }

  protected override buildFor(be: Backend, shapes: readonly (readonly number[])[]): void {
    this.buildMany(be, shapes);
  }

  /** Builds the layer for its inputs' per-sample shapes. */
  buildMany(be: Backend, shapes: readonly (readonly number[])[]): void {
    if (shapes.length < 2) throw new ValueError(`${this.className} ${this.name}: needs at least 2 inputs; received ${shapes.length}`);
    if (this.shapes && shapes.map((s) => s.join()).join(';') !== this.shapes.map((s) => s.join()).join(';')) {
      throw new ShapeError(`${this.className} ${this.name}: was built for inputs ${this.shapes.map((s) => `[${s.join(', ')}]`).join(', ')} and cannot take ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}`);
    }
    this.outputShapeOf(shapes);
    this.shapes = shapes.map((s) => [...s]);
    this.build(be, shapes[0]);
  }

  computeOutputShape(first: readonly number[]): number[] {
    return this.outputShapeOf(this.shapes ?? [first]);
  }

  override builtFor(sizes: readonly (readonly number[])[]): boolean {
    return sizes.map((s) => s.join()).join(';') === this.inputShapes.map((s) => s.join()).join(';');
  }

  protected override shapesShown(): string {
    return this.inputShapes.map((s) => `[${s.join(', ')}]`).join(', ');
  }

  protected override outputShapeFor(sizes: readonly (readonly number[])[]): number[] {
    return this.outputShapeOf(sizes);
  }

  /** The output shape for the inputs' shapes (ShapeError when they do not go together). */
  protected abstract outputShapeOf(shapes: readonly (readonly number[])[]): number[];

  forward(): void {
    throw new ValueError(`${this.className} ${this.name}: a merge layer takes several inputs; use it in a functional model`);
  }

  backward(): void {
    throw new ValueError(`${this.className} ${this.name}: a merge layer takes several inputs; use it in a functional model`);
  }

  /** y = merge(xs) for step.batch samples (scratch: scratchBytes of them, kept for backward). */
  abstract forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void;

  /** dxs[i] = dL/dx_i from dy (dxs[i] = 0: not needed). */
  abstract backwardMany(step: Step, xs: readonly number[], y: number, dy: number, dxs: readonly number[], scratch: number): void;
}

/**
 * Elementwise merges: inputs of one shape, or shapes that broadcast as Keras' do (aligned at the
 * right, a size-1 axis stretched, a shorter shape padded with 1s on the left). A stretched input
 * is copied out to the output's shape first, and its gradient summed back over the stretched axes.
 */
abstract class ElementwiseMerge extends MergeLayer {
  /** Keeps the steps: the output keeps the inputs' Keras masks (combined). */
  protected override get keepsMasks(): boolean {
    return true;
  }

  /** broadcasts(), kept: the shapes are fixed once the layer is built. */
  private stretches: (Broadcast | undefined)[] | undefined;

  protected constructor(args: LayerArgs, className: string, protected readonly op: Merge) {
    super(checkOptions<LayerArgs>(args, [...LAYER_ARGS], className), className);
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    if (this.op === Merge.Subtract && shapes.length !== 2) throw new ValueError(`Subtract ${this.name}: takes exactly 2 inputs; received ${shapes.length}`);
    const rank = Math.max(...shapes.map((s) => s.length));
    const out = new Array<number>(rank).fill(1);
    for (const s of shapes) {
      s.forEach((d, i) => {
        const at = rank - s.length + i;
        if (d !== 1 && out[at] !== 1 && d !== out[at]) {
          throw new ShapeError(`${this.className} ${this.name}: inputs must have one shape, or shapes that broadcast (sizes equal or 1, aligned at the right); received ${shapes.map((t) => `[${t.join(', ')}]`).join(' and ')}`);
        }
        if (d !== 1) out[at] = d;
      });
    }
    return out;
  }

  /** Per input: how it stretches to the output, or undefined when it has the output's shape. */
  private broadcasts(): (Broadcast | undefined)[] {
    return (this.stretches ??= this.inputShapes.map((s) => (s.join() === this.outputShape.join() ? undefined : broadcastOf(s, this.outputShape))));
  }

  override scratchBytes(batch: number, training: boolean): number {
    const stretched = this.broadcasts().filter(Boolean).length;
    return stretched * batch * shapeSize(this.outputShape) * 4 * (training ? 2 : 1);
  }

  /** The inputs at the output's shape: stretched copies in scratch (slot k of the k-th stretched input) or the inputs themselves. */
  private operands(step: Step, xs: readonly number[], scratch: number, copy: boolean): { used: number[]; slots: (number | undefined)[] } {
    const bytes = step.batch * shapeSize(this.outputShape) * 4;
    let k = 0;
    const bs = this.broadcasts();
    const slots = bs.map((b) => (b ? scratch + bytes * k++ : undefined));
    const used = xs.map((x, i) => {
      if (!bs[i]) return x;
      if (copy) broadcastCopy(step.be, bs[i]!, x, slots[i]!, step.batch);
      return slots[i]!;
    });
    return { used, slots };
  }

  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    const { used } = this.operands(step, xs, scratch, true);
    mergeForward(step.be, this.op, used, step.batch * shapeSize(this.outputShape), y);
  }

  backwardMany(step: Step, xs: readonly number[], y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const n = step.batch * shapeSize(this.outputShape);
    const { used, slots } = this.operands(step, xs, scratch, false);
    const bs = this.broadcasts();
    const stretchedCount = bs.filter(Boolean).length;
    // A stretched input's gradient at the output's shape goes to its second slot, then is summed back.
    const full = dxs.map((dx, i) => (bs[i] && dx ? slots[i]! + stretchedCount * n * 4 : dx));
    mergeBackward(step.be, this.op, used, n, y, dy, full);
    bs.forEach((b, i) => {
      if (b && dxs[i]) broadcastSum(step.be, b, full[i], dxs[i], step.batch);
    });
  }
}

/** y = Σ x_i. @example layers.add().apply([a, b]) */
export class Add extends ElementwiseMerge {
  readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args, 'Add', Merge.Add);
  }
}

/** y = x_0 − x_1 (two inputs). */
export class Subtract extends ElementwiseMerge {
  readonly className = 'Subtract';
  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract', Merge.Subtract);
  }
}

/** y = Π x_i. */
export class Multiply extends ElementwiseMerge {
  readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply', Merge.Multiply);
  }
}

/** y = Σ x_i / k. */
export class Average extends ElementwiseMerge {
  readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average', Merge.Average);
  }
}

/** y = max_i x_i (the gradient goes to the first input that attains it). */
export class Maximum extends ElementwiseMerge {
  readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum', Merge.Maximum);
  }
}

/** y = min_i x_i (the gradient goes to the first input that attains it). */
export class Minimum extends ElementwiseMerge {
  readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Minimum', Merge.Minimum);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis joined along, counting the batch axis as Keras does (default -1, the last). */
  axis?: number;
}

/** The inputs side by side along an axis. @example layers.concatenate({ axis: -1 }).apply([a, b]) */
export class Concatenate extends MergeLayer {
  readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    const o = checkOptions<ConcatenateArgs>(args, [...LAYER_ARGS, 'axis'], 'Concatenate');
    super(o, 'Concatenate');
    const axis = o.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) throw new ValueError(`Concatenate: axis must be a non-zero integer (the batch axis 0 cannot be joined); received ${describe(o.axis)}`);
    this.axis = axis;
  }

  /** Joined along the features (not the steps), the steps stay: the output keeps the inputs' masks, combined (Keras joins them so). */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    const rank = inputs[0].sizes.length;
    return rank >= 2 && this.sampleAxis(rank) === rank - 1 ? combinedMask(inputs.map((t) => t.mask)) : undefined;
  }

  /** The per-sample axis: Keras' axis less the batch axis. */
  private sampleAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank + 1 : this.axis;
    if (a < 1 || a > rank) throw new ShapeError(`Concatenate ${this.name}: axis ${this.axis} does not exist for inputs of rank ${rank + 1}`);
    return a - 1;
  }

  protected outputShapeOf(shapes: readonly (readonly number[])[]): number[] {
    const rank = shapes[0].length;
    const a = this.sampleAxis(rank);
    for (const s of shapes) {
      if (s.length !== rank || s.some((d, i) => i !== a && d !== shapes[0][i])) {
        throw new ShapeError(`Concatenate ${this.name}: inputs must match except along axis ${this.axis}; received ${shapes.map((t) => `[${t.join(', ')}]`).join(' and ')}`);
      }
    }
    const out = [...shapes[0]];
    out[a] = shapes.reduce((sum, s) => sum + s[a], 0);
    return out;
  }

  private layout(batch: number): { outer: number; widths: number[] } {
    const shapes = this.inputShapes;
    const a = this.sampleAxis(shapes[0].length);
    const inner = shapeSize(shapes[0].slice(a + 1));
    return { outer: batch * shapeSize(shapes[0].slice(0, a)), widths: shapes.map((s) => s[a] * inner) };
  }

  forwardMany(step: Step, xs: readonly number[], y: number): void {
    const { outer, widths } = this.layout(step.batch);
    concatForward(step.be, xs, widths, outer, y);
  }

  backwardMany(step: Step, _xs: readonly number[], _y: number, dy: number, dxs: readonly number[]): void {
    const { outer, widths } = this.layout(step.batch);
    concatBackward(step.be, dy, widths, outer, dxs);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
