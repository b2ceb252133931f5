// What the depthwise convolutions (DepthwiseConv2D, and SeparableConv2D's first half) share: the
// window options Keras gives them, read once, and the geometry of a channels-last image under them.
import { ShapeError, ValueError, describe } from '../errors.js';
import type { ConvGeometry } from '../ops/conv.js';
import { checkBoolean } from '../options.js';
import { activationName, type ActivationName } from './activations.js';
import { Layer, dilated, dilationOption, pair, paddingOption, windowAxis, type LayerArgs } from './layer.js';

export interface DepthwiseWindowArgs extends LayerArgs {
  /** Window size: n or [height, width]. */
  kernelSize: number | [number, number];
  /** Filters per input channel (default 1). */
  depthMultiplier?: number;
  strides?: number | [number, number];
  /** Spacing of the kernel's taps (default 1; above 1 needs strides of 1). */
  dilationRate?: number | [number, number];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast' | 'channels_last';
  activation?: ActivationName | string | null;
  useBias?: boolean;
}

export const DEPTHWISE_WINDOW_ARGS = ['kernelSize', 'depthMultiplier', 'strides', 'dilationRate', 'padding', 'dataFormat', 'activation', 'useBias'] as const;

export abstract class DepthwiseWindow extends Layer {
  static override readonly ownOptions: readonly string[] = ['dilationRate'];
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: 'valid' | 'same';
  readonly activation: ActivationName;
  readonly useBias: boolean;

  /** `o`: options already checked against the subclass's list. */
  protected constructor(o: DepthwiseWindowArgs, where: string) {
    super(o, where);
    if (o.dataFormat !== undefined && o.dataFormat !== 'channelsLast' && o.dataFormat !== 'channels_last') {
      throw new ValueError(`${where}: dataFormat must be 'channelsLast' (the only layout wasmlearn supports); received ${describe(o.dataFormat)}`);
    }
    if (o.kernelSize === undefined) throw new ValueError(`${where}: kernelSize is required (e.g. 3)`);
    this.kernelSize = pair(o.kernelSize, 'kernelSize', where);
    const m = o.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`${where}: depthMultiplier must be a positive integer; received ${describe(o.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.strides = pair(o.strides, 'strides', where, [1, 1]);
    this.dilationRate = dilationOption(o.dilationRate, this.strides, where);
    this.padding = paddingOption(o.padding, where);
    this.activation = activationName(o.activation, `${where}: activation`);
    this.useBias = checkBoolean(o.useBias, 'useBias', where, true);
  }

  /** The depthwise pass over images of this shape; ShapeError when they are not images or the kernel does not fit. */
  protected geometryOf(inputShape: readonly number[]): ConvGeometry {
    if (inputShape.length !== 3) throw new ShapeError(`${this.className} ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    const [height, width, channels] = inputShape;
    const [outHeight, padTop] = windowAxis(height, dilated(this.kernelSize[0], this.dilationRate[0]), this.strides[0], this.padding);
    const [outWidth, padLeft] = windowAxis(width, dilated(this.kernelSize[1], this.dilationRate[1]), this.strides[1], this.padding);
    if (outHeight < 1 || outWidth < 1) {
      throw new ShapeError(`${this.className} ${this.name}: the ${this.kernelSize.join('×')} kernel does not fit in an input of [${inputShape.join(', ')}] with 'valid' padding`);
    }
    return { height, width, channels, kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padTop, padLeft, outHeight, outWidth };
  }

  /** The window options as Keras' config writes them. */
  protected windowConfig(): Record<string, unknown> {
    return { kernelSize: this.kernelSize, depthMultiplier: this.depthMultiplier, strides: this.strides, dilationRate: this.dilationRate, padding: this.padding, dataFormat: 'channels_last', useBias: this.useBias };
  }
}
