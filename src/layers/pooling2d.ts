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
abstract class Pooling2D extends Layer {
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

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new ShapeError(`${this.className} ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    }
    const [oh] = windowAxis(inputShape[0], this.poolSize[0], this.strides[0], this.padding);
    const [ow] = windowAxis(inputShape[1], this.poolSize[1], this.strides[1], this.padding);
    if (oh < 1 || ow < 1) throw new ShapeError(`${this.className} ${this.name}: a ${this.poolSize.join('×')} window does not fit in [${inputShape.join(', ')}]`);
    return [oh, ow, inputShape[2]];
  }

  protected geometry(): ConvGeometry {
    const [h, w, c] = this.inputShape;
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
  readonly className = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'MaxPooling2D');
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
  readonly className = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 'AveragePooling2D');
  }

  forward(step: Step, x: number, y: number): void {
    avgPool(step.be, x, y, step.batch, this.geometry());
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    if (dx) avgPoolBackward(step.be, dy, dx, step.batch, this.geometry());
  }
}
