// Keras' 1-D poolings over [steps, channels]: the 2-D poolings over one-row images (the same
// kernels), and the global ones over the steps.
import { ShapeError, ValueError, describe } from '../errors.js';
import { maskedMean, maskedMeanBackward } from '../ops/step-mask.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';
import type { Step } from './layer.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling2d.js';

export interface Pooling1DArgs extends Omit<Pooling2DArgs, 'poolSize' | 'strides'> {
  /** Window length (default 2), or [n] as Keras saves it. */
  poolSize?: number | [number];
  /** Step between windows (default poolSize). */
  strides?: number | [number];
}

/** 1-D sizes as the [1, n] of one-row images. */
function oneRow(args: Pooling1DArgs | undefined, where: string): Pooling2DArgs {
  const given = (args ?? {}) as Pooling1DArgs;
  const row = (value: unknown, name: string) => {
    if (value === undefined || value === null) return undefined;
    const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (typeof v !== 'number') throw new ValueError(`${where}: ${name} must be a positive integer (or a list of one); received ${describe(value)}`);
    return [1, v] as [number, number];
  };
  const poolSize = row(given.poolSize, 'poolSize') ?? [1, 2];
  return { ...given, poolSize, strides: row(given.strides, 'strides') ?? poolSize };
}

function sequence(inputShape: readonly number[], layer: { className: string; name: string }): [number, number, number] {
  if (inputShape.length !== 2) throw new ShapeError(`${layer.className} ${layer.name}: needs sequences [steps, channels] per sample; received [${inputShape.join(', ')}]`);
  return [1, inputShape[0], inputShape[1]];
}

const config1d = (c: Record<string, unknown>) => ({ ...c, poolSize: [(c.poolSize as number[])[1]], strides: [(c.strides as number[])[1]] });

/** The maximum of each window of steps. */
export class MaxPooling1D extends MaxPooling2D {
  override readonly className = 'MaxPooling1D';
  constructor(args?: Pooling1DArgs) {
    super(oneRow(args, 'MaxPooling1D'), 'MaxPooling1D');
  }
  protected override imageOf(inputShape: readonly number[]): [number, number, number] {
    return sequence(inputShape, this);
  }
  protected override shapeOf(_outH: number, outW: number, channels: number): number[] {
    return [outW, channels];
  }
  override getConfig(): Record<string, unknown> {
    return config1d(super.getConfig());
  }
}

/** The mean of each window of steps (padding not counted). */
export class AveragePooling1D extends AveragePooling2D {
  override readonly className = 'AveragePooling1D';
  constructor(args?: Pooling1DArgs) {
    super(oneRow(args, 'AveragePooling1D'), 'AveragePooling1D');
  }
  protected override imageOf(inputShape: readonly number[]): [number, number, number] {
    return sequence(inputShape, this);
  }
  protected override shapeOf(_outH: number, outW: number, channels: number): number[] {
    return [outW, channels];
  }
  override getConfig(): Record<string, unknown> {
    return config1d(super.getConfig());
  }
}

/** The mean over the steps, per channel. */
export class GlobalAveragePooling1D extends GlobalAveragePooling2D {
  override readonly className = 'GlobalAveragePooling1D';
  constructor(args?: GlobalPooling2DArgs) {
    super(args, 'GlobalAveragePooling1D');
  }
  protected override get rank(): number {
    return 1;
  }

  /** With a Keras mask, the mean is over the kept steps (Keras 3's GlobalAveragePooling1D). */
  protected override get readsMasks(): boolean {
    return true;
  }

  override forward(step: Step, x: number, y: number): void {
    const mask = step.masks?.[0] ?? 0;
    if (!mask) return super.forward(step, x, y);
    const [steps, channels] = this.inputShape;
    maskedMean(step.be, x, mask, y, step.batch, steps, channels);
  }

  override backward(step: Step, x: number, y: number, dy: number, dx: number): void {
    const mask = step.masks?.[0] ?? 0;
    if (!mask) return super.backward(step, x, y, dy, dx);
    const [steps, channels] = this.inputShape;
    if (dx) maskedMeanBackward(step.be, dy, mask, dx, step.batch, steps, channels);
  }
}

/** The maximum over the steps, per channel. */
export class GlobalMaxPooling1D extends GlobalMaxPooling2D {
  override readonly className = 'GlobalMaxPooling1D';
  constructor(args?: GlobalPooling2DArgs) {
    super(args, 'GlobalMaxPooling1D');
  }
  protected override get rank(): number {
    return 1;
  }
}
