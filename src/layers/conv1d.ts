// Keras' Conv1D (channels last): a 2-D convolution over images one row high — the same kernels,
// the kernel [k, channels, filters] laid out as [1, k, channels, filters] — plus 'causal' padding
// (all of it before the sequence, so step t sees steps ≤ t only, as WaveNet-style models need).
import { ShapeError, ValueError, describe } from '../errors.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { dilated, type WeightSpec } from './layer.js';

export interface Conv1DArgs extends Omit<Conv2DArgs, 'kernelSize' | 'strides' | 'dilationRate' | 'padding'> {
  /** Window length: n (or [n], as Keras saves it). */
  kernelSize: number | [number];
  strides?: number | [number];
  dilationRate?: number | [number];
  /** 'valid' (default), 'same', or 'causal' (zeros before the sequence only). */
  padding?: 'valid' | 'same' | 'causal';
}

/** One value, or a list of one (as Keras saves 1-D sizes), as the [1, n] of a one-row image. */
function oneRow(value: unknown, name: string): [number, number] | undefined {
  if (value === undefined) return undefined;
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof v !== 'number') throw new ValueError(`Conv1D: ${name} must be a positive integer (or a list of one); received ${describe(value)}`);
  return [1, v];
}

/**
 * 1-D convolution: y[t, f] = activation(bias[f] + Σ_{k,c} x[t·s + k·d − pad, c] · kernel[k, c, f]).
 * @example layers.conv1d({ filters: 16, kernelSize: 3, padding: 'causal', inputShape: [100, 8] })
 */
export class Conv1D extends Conv2D {
  override readonly className = 'Conv1D';
  /** Padding all before the sequence. */
  readonly causal: boolean;

  constructor(args: Conv1DArgs) {
    const given = (args ?? {}) as Conv1DArgs;
    const rows = Object.fromEntries(Object.entries({ kernelSize: oneRow(given.kernelSize, 'kernelSize'), strides: oneRow(given.strides, 'strides'), dilationRate: oneRow(given.dilationRate, 'dilationRate') })
      .filter(([, v]) => v !== undefined));
    super({ ...given, ...rows, ...(given.padding === 'causal' ? { padding: 'valid' } : {}) } as Conv2DArgs, 'Conv1D');
    this.causal = given.padding === 'causal';
  }

  protected override imageOf(inputShape: readonly number[]): [number, number, number] {
    return [1, inputShape[0], inputShape[1]];
  }

  protected override geometry(inputShape: readonly number[]): [number, number, number, number] {
    if (!this.causal) return super.geometry(inputShape);
    // The sequence padded by (k − 1)·d before it: as long as the input at stride 1.
    const extent = dilated(this.kernelSize[1], this.dilationRate[1]);
    return [1, Math.floor((inputShape[0] - 1) / this.strides[1]) + 1, 0, extent - 1];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2) throw new ShapeError(`Conv1D ${this.name}: needs inputs [steps, channels] per sample; received [${inputShape.join(', ')}]`);
    const [, ow] = this.geometry(inputShape);
    if (ow < 1) throw new ShapeError(`Conv1D ${this.name}: a window of ${this.kernelSize[1]} does not fit in ${inputShape[0]} steps with 'valid' padding`);
    return [ow, this.filters];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    // The same memory as [1, k, channels, filters]: Keras' 1-D kernel shape.
    return super.weightSpecs([1, inputShape[0], inputShape[1]]).map(([name, shape, ...rest]) => [name, name === 'kernel' ? shape.slice(1) : shape, ...rest] as WeightSpec);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), kernelSize: [this.kernelSize[1]], strides: [this.strides[1]], dilationRate: [this.dilationRate[1]], padding: this.causal ? 'causal' : this.padding };
  }
}
