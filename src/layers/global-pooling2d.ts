// Keras' global poolings of images (channels last): each image's mean or maximum over its
// positions, per channel. They take images of any size (sizes left to the data included), so a
// convolutional network ends in a dense head whatever the image size.
import { ShapeError, ValueError, describe } from '../errors.js';
import { globalMaxPool, maxPoolBackward, meanPositions, meanPositionsBackward } from '../ops/pooling.js';
import { checkBoolean, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the pooled axes as size 1: [1, 1, channels] rather than [channels] (Keras' keepdims). */
  keepDims?: boolean;
  dataFormat?: 'channelsLast' | 'channels_last';
}

export abstract class GlobalPooling2D extends Layer {
  readonly keepDims: boolean;

  protected constructor(args: GlobalPooling2DArgs, className: string) {
    const o = checkOptions<GlobalPooling2DArgs>(args, [...LAYER_ARGS, 'keepDims', 'dataFormat'], className);
    super(o, className);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${className}: dataFormat must be 'channelsLast'; received ${describe(o.dataFormat)}`);
    }
    this.keepDims = checkBoolean(o.keepDims, 'keepDims', className, false);
  }

  /** The spatial axes it pools (2 for images, 1 for sequences). */
  protected get rank(): number {
    return 2;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== this.rank + 1) {
      throw new ShapeError(`${this.className} ${this.name}: needs ${this.rank === 2 ? 'images [height, width, channels]' : 'sequences [steps, channels]'}; received [${inputShape.join(', ')}]`);
    }
    const c = inputShape[this.rank];
    return this.keepDims ? [...new Array<number>(this.rank).fill(1), c] : [c];
  }

  /** Positions per sample and channels. */
  protected get sizes(): [number, number] {
    const c = this.inputShape[this.rank];
    return [shapeSize(this.inputShape) / c, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channels_last', ...(this.keepDims ? { keepdims: true } : {}) };
  }
}

/** The mean of each image over its positions, per channel. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className: string = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}, className = 'GlobalAveragePooling2D') {
    super(args, className);
  }

  forward(step: Step, x: number, y: number): void {
    const [positions, channels] = this.sizes;
    meanPositions(step.be, x, y, step.batch, positions, channels);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    const [positions, channels] = this.sizes;
    if (dx) meanPositionsBackward(step.be, dy, dx, step.batch, positions, channels);
  }
}

/** The maximum of each image over its positions, per channel (the gradient goes to the first largest). */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className: string = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}, className = 'GlobalMaxPooling2D') {
    super(args, className);
  }

  /** The position of each maximum (an i32 per image and channel). */
  override scratchBytes(batch: number): number {
    return batch * this.sizes[1] * 4;
  }

  forward(step: Step, x: number, y: number, indices: number): void {
    const [positions, channels] = this.sizes;
    // The positions as one row of an image.
    globalMaxPool(step.be, x, y, indices, step.batch, 1, positions, channels);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, indices: number): void {
    const [positions, channels] = this.sizes;
    if (dx) maxPoolBackward(step.be, dy, indices, dx, step.batch, positions * channels, channels);
  }
}
