// Keras' global poolings of images (channels last): each image's mean or maximum over its
// positions, per channel. They take images of any size (sizes left to the data included), so a
// convolutional network ends in a dense head whatever the image size.
import { ShapeError, ValueError, describe } from '../errors.js';
import { globalMaxPool, maxPoolBackward, meanPositions, meanPositionsBackward } from '../ops/pooling.js';
import { checkBoolean, checkOptions } from '../options.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the pooled axes as size 1: [1, 1, channels] rather than [channels] (Keras' keepdims). */
  keepDims?: boolean;
  dataFormat?: 'channelsLast' | 'channels_last';
}

abstract class GlobalPooling2D extends Layer {
  readonly keepDims: boolean;

  protected constructor(args: GlobalPooling2DArgs, className: string) {
    const o = checkOptions<GlobalPooling2DArgs>(args, [...LAYER_ARGS, 'keepDims', 'dataFormat'], className);
    super(o, className);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${className}: dataFormat must be 'channelsLast'; received ${describe(o.dataFormat)}`);
    }
    this.keepDims = checkBoolean(o.keepDims, 'keepDims', className, false);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new ShapeError(`${this.className} ${this.name}: needs images [height, width, channels]; received [${inputShape.join(', ')}]`);
    return this.keepDims ? [1, 1, inputShape[2]] : [inputShape[2]];
  }

  /** Positions per image and channels. */
  protected get sizes(): [number, number] {
    const [h, w, c] = this.inputShape;
    return [h * w, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channels_last', ...(this.keepDims ? { keepdims: true } : {}) };
  }
}

/** The mean of each image over its positions, per channel. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalAveragePooling2D');
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
  readonly className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalMaxPooling2D');
  }

  /** The position of each maximum (an i32 per image and channel). */
  override scratchBytes(batch: number): number {
    return batch * this.sizes[1] * 4;
  }

  forward(step: Step, x: number, y: number, indices: number): void {
    const [height, width, channels] = this.inputShape;
    globalMaxPool(step.be, x, y, indices, step.batch, height, width, channels);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, indices: number): void {
    const [positions, channels] = this.sizes;
    if (dx) maxPoolBackward(step.be, dy, indices, dx, step.batch, positions * channels, channels);
  }
}
