import { maxPool, maxPoolBackward } from '../ops/pooling.js';
import { ShapeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, pair, paddingOption, windowAxis, type LayerArgs, type Step } from './layer.js';

export interface MaxPooling2DArgs extends LayerArgs {
  /** Window: n or [height, width] (default 2). */
  poolSize?: number | [number, number];
  /** Step between windows (default poolSize). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * 2-D max pooling: y[oy, ox, c] = max over the window at (oy·sh, ox·sw) of x[·, ·, c].
 * Input [batch, height, width, channels] → [batch, outHeight, outWidth, channels]. The argmax of
 * each window is kept, so backward sends each gradient to the input that won.
 * @example layers.maxPooling2d({ poolSize: 2 })
 */
export class MaxPooling2D extends Layer {
  readonly className = 'MaxPooling2D';
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';

  constructor(args: MaxPooling2DArgs = {}) {
    const o = checkOptions<MaxPooling2DArgs>(args, [...LAYER_ARGS, 'poolSize', 'strides', 'padding', 'dataFormat'], 'MaxPooling2D');
    super(o, 'MaxPooling2D');
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ShapeError(`MaxPooling2D: dataFormat must be 'channelsLast'; received ${String(o.dataFormat)}`);
    }
    this.poolSize = pair(o.poolSize, 'poolSize', 'MaxPooling2D', [2, 2]);
    this.strides = pair(o.strides ?? undefined, 'strides', 'MaxPooling2D', this.poolSize);
    this.padding = paddingOption(o.padding, 'MaxPooling2D');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new ShapeError(`MaxPooling2D ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    }
    const [oh] = windowAxis(inputShape[0], this.poolSize[0], this.strides[0], this.padding);
    const [ow] = windowAxis(inputShape[1], this.poolSize[1], this.strides[1], this.padding);
    if (oh < 1 || ow < 1) throw new ShapeError(`MaxPooling2D ${this.name}: a ${this.poolSize.join('×')} window does not fit in [${inputShape.join(', ')}]`);
    return [oh, ow, inputShape[2]];
  }

  override scratchBytes(batch: number): number {
    return batch * shapeSize(this.outputShape) * 4;
  }

  forward(step: Step, x: number, y: number, indices: number): void {
    const [h, w, c] = this.inputShape;
    const [oh, pt] = windowAxis(h, this.poolSize[0], this.strides[0], this.padding);
    const [ow, pl] = windowAxis(w, this.poolSize[1], this.strides[1], this.padding);
    maxPool(step.be, x, y, indices, step.batch, {
      height: h, width: w, channels: c, kernel: this.poolSize, strides: this.strides, padTop: pt, padLeft: pl, outHeight: oh, outWidth: ow,
    });
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, indices: number): void {
    if (!dx) return;
    const inSize = shapeSize(this.inputShape), outSize = shapeSize(this.outputShape);
    maxPoolBackward(step.be, dy, indices, dx, step.batch, inSize, outSize);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: 'channels_last' };
  }
}
