import { dropoutMask, multiply } from '../ops/dropout.js';
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step } from './layer.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1) (as Keras: rate 0.25 keeps 75 %). */
  rate: number;
  /** Accepted for Keras compatibility: masks come from fit's seed. */
  seed?: number | null;
}

/**
 * Dropout (inverted, as Keras): while training, each value is zeroed with probability `rate` and
 * the others are scaled by 1 / (1 − rate); at inference the layer is the identity and costs
 * nothing. Masks come from fit's seeded generator.
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  /** Keeps the steps: the output keeps the input's Keras mask. */
  protected override get keepsMasks(): boolean {
    return true;
  }

  readonly rate: number;

  constructor(args: DropoutArgs) {
    const o = checkOptions<DropoutArgs>(args, [...LAYER_ARGS, 'rate', 'seed', 'noiseShape' as keyof DropoutArgs & string], 'Dropout');
    super(o, 'Dropout');
    if (typeof o.rate !== 'number' || !(o.rate >= 0 && o.rate < 1)) {
      throw new ValueError(`Dropout: rate must be a number in [0, 1) (the fraction dropped); received ${describe(o.rate)}`);
    }
    if ((o as { noiseShape?: unknown }).noiseShape != null) throw new ValueError('Dropout: noiseShape is not supported');
    this.rate = o.rate;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  override aliases(training: boolean): boolean {
    return !training || this.rate === 0;
  }

  override scratchBytes(batch: number, training: boolean): number {
    return training && this.rate > 0 ? batch * shapeSize(this.inputShape) * 4 : 0;
  }

  forward(step: Step, x: number, y: number, mask: number): void {
    if (this.aliases(step.training)) return;
    const n = step.batch * shapeSize(this.inputShape);
    dropoutMask(step.be, step.rng!, mask, n, this.rate);
    multiply(step.be, x, mask, y, n);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, mask: number): void {
    if (!dx || this.aliases(step.training)) return;
    multiply(step.be, dy, mask, dx, step.batch * shapeSize(this.inputShape));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}
