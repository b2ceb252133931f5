// Keras' 2-D poolings (channels last): the window options and output shape they share, and the
// maximum (its argmax kept, so backward sends each gradient to the input that won) and the mean
// (padding positions not counted, as TensorFlow's 'same' average pooling).
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from '../ops/pooling.js';
import type { ConvGeometry } from '../ops/conv.js';
import { ShapeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, pair, paddingOption, windowAxis, type LayerArgs, type Step } from './layer.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window: n or [height, width] (default 2). */
  poolSize?: number | [number, number];
  /** Step between windows (default poolSize). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast' | 'channels_last';
}
export type MaxPooling2DArgs = Pooling2DArgs;

/** A pooling's window options and geometry. */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';

  protected constructor(args: Pooling2DArgs, className: string) {
    const o = checkOptions<Pooling2DArgs>(args, [...LAYER_ARGS, 'poolSize', 'strides', 'padding', 'dataFormat'], className);
    super(o, className);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ShapeError(`${className}: dataFormat must be 'channelsLast'; received ${String(o.dataFormat)}`);
    }
    this.poolSize = pair(o.poolSize, 'poolSize', className, [2, 2]);
    this.strides = pair(o.strides ?? undefined, 'strides', className, this.poolSize);
    this.padding = paddingOption(o.padding, className);
  }

  /** An input shape as the image the kernels see: [height, width, channels] (the 1-D poolings see one row). */
  protected imageOf(inputShape: readonly number[]): [number, number, number] {
    if (inputShape.length !== 3) {
      throw new ShapeError(`${this.className} ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    }
    return [inputShape[0], inputShape[1], inputShape[2]];
  }

  /** The output's shape from its image's [outH, outW, channels]. */
  protected shapeOf(outH: number, outW: number, channels: number): number[] {
    return [outH, outW, channels];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const [h, w, c] = this.imageOf(inputShape);
    const [oh] = windowAxis(h, this.poolSize[0], this.strides[0], this.padding);
    const [ow] = windowAxis(w, this.poolSize[1], this.strides[1], this.padding);
    if (oh < 1 || ow < 1) throw new ShapeError(`${this.className} ${this.name}: a ${this.poolSize.join('×')} window does not fit in [${inputShape.join(', ')}]`);
    return this.shapeOf(oh, ow, c);
  }

  protected geometry(): ConvGeometry {
    const [h, w, c] = this.imageOf(this.inputShape);
    const [oh, pt] = windowAxis(h, this.poolSize[0], this.strides[0], this.padding);
    const [ow, pl] = windowAxis(w, this.poolSize[1], this.strides[1], this.padding);
    return { height: h, width: w, channels: c, kernel: this.poolSize, strides: this.strides, padTop: pt, padLeft: pl, outHeight: oh, outWidth: ow };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: 'channels_last' };
  }
}

/**
 * 2-D max pooling: y[oy, ox, c] = max over the window at (oy·sh, ox·sw) of x[·, ·, c].
 * Input [batch, height, width, channels] → [batch, outHeight, outWidth, channels].
 * @example layers.maxPooling2d({ poolSize: 2 })
 */
export class MaxPooling2D extends Pooling2D {
  readonly className: string = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'MaxPooling2D') {
    super(args, className);
  }

  override scratchBytes(batch: number): number {
    return batch * shapeSize(this.outputShape) * 4;
  }

  forward(step: Step, x: number, y: number, indices: number): void {
    maxPool(step.be, x, y, indices, step.batch, this.geometry());
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, indices: number): void {
    if (!dx) return;
    const inSize = shapeSize(this.inputShape), outSize = shapeSize(this.outputShape);
    maxPoolBackward(step.be, dy, indices, dx, step.batch, inSize, outSize);
  }
}

/**
 * 2-D average pooling: y[oy, ox, c] = the mean of the window at (oy·sh, ox·sw) inside the image.
 * @example layers.averagePooling2d({ poolSize: 2 })
 */
export class AveragePooling2D extends Pooling2D {
  readonly className: string = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}, className = 'AveragePooling2D') {
    super(args, className);
  }

  forward(step: Step, x: number, y: number): void {
    avgPool(step.be, x, y, step.batch, this.geometry());
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    if (dx) avgPoolBackward(step.be, dy, dx, step.batch, this.geometry());
  }
}
