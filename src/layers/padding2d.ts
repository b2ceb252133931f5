// Keras' ZeroPadding2D and Cropping2D (channels last): rows and columns of zeros added around
// each image, or removed from its edges. One block-copy kernel does both ways, forward and back.
import { ShapeError, ValueError, describe } from '../errors.js';
import { copyBlock } from '../ops/blocks.js';
import { checkOptions } from '../options.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

/** [[top, bottom], [left, right]]. */
type Edges = [[number, number], [number, number]];

/** Keras' forms: n (all four), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. */
type EdgesGiven = number | [number, number] | [[number, number], [number, number]];

function readEdges(value: unknown, name: string, where: string, fallback: number): Edges {
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (value === undefined) return [[fallback, fallback], [fallback, fallback]];
  if (count(value)) return [[value as number, value as number], [value as number, value as number]];
  if (Array.isArray(value) && value.length === 2 && value.every(count)) return [[value[0], value[0]], [value[1], value[1]]];
  if (Array.isArray(value) && value.length === 2 && value.every((p) => Array.isArray(p) && p.length === 2 && p.every(count))) return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
  throw new ValueError(`${where}: ${name} must be a count ≥ 0, [rows, cols] or [[top, bottom], [left, right]]; received ${describe(value)}`);
}

abstract class Edges2D extends Layer {
  protected readonly edges: Edges;

  protected constructor(args: LayerArgs, className: string, option: string, fallback: number) {
    const o = checkOptions<LayerArgs & Record<string, unknown>>(args, [...LAYER_ARGS, option, 'dataFormat'], className);
    super(o, className);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${className}: dataFormat must be 'channelsLast'; received ${describe(o.dataFormat)}`);
    }
    this.edges = readEdges(o[option], option, className, fallback);
  }

  protected checkImages(inputShape: readonly number[]): void {
    if (inputShape.length !== 3) throw new ShapeError(`${this.className} ${this.name}: needs images [height, width, channels]; received [${inputShape.join(', ')}]`);
  }
}

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Zeros added: n on every side, [rows, cols], or [[top, bottom], [left, right]] (default 1). */
  padding?: EdgesGiven;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Adds rows and columns of zeros around each image. */
export class ZeroPadding2D extends Edges2D {
  readonly className = 'ZeroPadding2D';

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D', 'padding', 1);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    this.checkImages(inputShape);
    const [[t, b], [l, r]] = this.edges;
    return [inputShape[0] + t + b, inputShape[1] + l + r, inputShape[2]];
  }

  forward(step: Step, x: number, y: number): void {
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [[t], [l]] = this.edges;
    copyBlock(step.be, { ptr: x, height: h, width: w, top: 0, left: 0 }, { ptr: y, height: oh, width: ow, top: t, left: l }, c, h, w, true, step.batch);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    if (!dx) return;
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [[t], [l]] = this.edges;
    copyBlock(step.be, { ptr: dy, height: oh, width: ow, top: t, left: l }, { ptr: dx, height: h, width: w, top: 0, left: 0 }, c, h, w, false, step.batch);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.edges, dataFormat: 'channels_last' };
  }
}

export interface Cropping2DArgs extends LayerArgs {
  /** Rows and columns removed: n from every side, [rows, cols], or [[top, bottom], [left, right]] (default 0). */
  cropping?: EdgesGiven;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Removes rows and columns from the edges of each image. */
export class Cropping2D extends Edges2D {
  readonly className = 'Cropping2D';

  constructor(args: Cropping2DArgs = {}) {
    super(args, 'Cropping2D', 'cropping', 0);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    this.checkImages(inputShape);
    const [[t, b], [l, r]] = this.edges;
    const out = [inputShape[0] - t - b, inputShape[1] - l - r, inputShape[2]];
    if (out[0] < 1 || out[1] < 1) throw new ShapeError(`${this.className} ${this.name}: cropping [[${t}, ${b}], [${l}, ${r}]] leaves nothing of images [${inputShape.join(', ')}]`);
    return out;
  }

  forward(step: Step, x: number, y: number): void {
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [[t], [l]] = this.edges;
    copyBlock(step.be, { ptr: x, height: h, width: w, top: t, left: l }, { ptr: y, height: oh, width: ow, top: 0, left: 0 }, c, oh, ow, false, step.batch);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    if (!dx) return;
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [[t], [l]] = this.edges;
    copyBlock(step.be, { ptr: dy, height: oh, width: ow, top: 0, left: 0 }, { ptr: dx, height: h, width: w, top: t, left: l }, c, oh, ow, true, step.batch);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.edges, dataFormat: 'channels_last' };
  }
}
