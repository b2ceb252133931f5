// Layers that rescale or resample their input without weights: Keras' Rescaling (so an exported
// model takes raw pixels) and UpSampling2D (nearest neighbour).
import { ShapeError, ValueError, describe } from '../errors.js';
import { affine, upsample, upsampleBackward, type Interpolation } from '../ops/resampling.js';
import { checkNumber, checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, pair, type LayerArgs, type Step } from './layer.js';

export interface RescalingArgs extends LayerArgs {
  /** Multiplies the input (e.g. 1 / 255). */
  scale: number;
  /** Added after scaling (default 0). */
  offset?: number;
}

/** y = x·scale + offset (Keras' Rescaling): pixels 0…255 to 0…1 inside the model. */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    const o = checkOptions<RescalingArgs>(args, [...LAYER_ARGS, 'scale', 'offset'], 'Rescaling');
    super(o, 'Rescaling');
    if (o.scale === undefined) throw new ValueError('Rescaling: scale is required (e.g. { scale: 1 / 255 })');
    this.scale = checkNumber(o.scale, 'scale', 'Rescaling', 1);
    this.offset = checkNumber(o.offset, 'offset', 'Rescaling', 0);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(step: Step, x: number, y: number): void {
    affine(step.be, x, y, step.batch * shapeSize(this.inputShape), this.scale, this.offset);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    if (dx) affine(step.be, dy, dx, step.batch * shapeSize(this.inputShape), this.scale, 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Factors: n or [rows, cols] (default 2). */
  size?: number | [number, number];
  /** 'nearest' (the default) or 'bilinear' (half-pixel centres, as Keras / TF 2's tf.image.resize). */
  interpolation?: Interpolation;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/**
 * Enlarges images by whole factors, [h, w, c] → [h·sh, w·sw, c]: each pixel repeated ('nearest'),
 * or interpolated between its neighbours ('bilinear', as Keras computes it: TF 2's half-pixel
 * centres; TF.js' layer reads output o from input o·h/outH, without the half-pixel offset, so its
 * bilinear outputs differ from Keras' wherever they interpolate).
 */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: Interpolation;

  constructor(args: UpSampling2DArgs = {}) {
    const o = checkOptions<UpSampling2DArgs>(args, [...LAYER_ARGS, 'size', 'interpolation', 'dataFormat'], 'UpSampling2D');
    super(o, 'UpSampling2D');
    if (o.interpolation !== undefined && o.interpolation !== 'nearest' && o.interpolation !== 'bilinear') {
      throw new ValueError(`UpSampling2D: interpolation must be 'nearest' or 'bilinear'; received ${describe(o.interpolation)}`);
    }
    this.interpolation = o.interpolation ?? 'nearest';
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`UpSampling2D: dataFormat must be 'channelsLast'; received ${describe(o.dataFormat)}`);
    }
    this.size = pair(o.size, 'size', 'UpSampling2D', [2, 2]);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new ShapeError(`UpSampling2D ${this.name}: needs images [height, width, channels]; received [${inputShape.join(', ')}]`);
    return [inputShape[0] * this.size[0], inputShape[1] * this.size[1], inputShape[2]];
  }

  forward(step: Step, x: number, y: number): void {
    const [h, w, c] = this.inputShape;
    upsample(step.be, this.interpolation, x, y, step.batch, h, w, c, ...this.size);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    const [h, w, c] = this.inputShape;
    if (dx) upsampleBackward(step.be, this.interpolation, dy, dx, step.batch, h, w, c, ...this.size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, interpolation: this.interpolation, dataFormat: 'channels_last' };
  }
}
