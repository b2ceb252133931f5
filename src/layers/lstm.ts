// Keras' LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): gates i, f, c, o in that order
// in the kernels' columns, c_t = f·c_{t−1} + i·act(z_c), h_t = o·act(c_t), the gates through the
// recurrent activation (Keras' default 'sigmoid'; TF.js' files name their 'hardSigmoid'). With
// unitForgetBias (Keras' default) the forget gate's bias starts at 1.
import { RecurrentCell } from '../ops/recurrent.js';
import { checkBoolean } from '../options.js';
import type { ActivationName } from './activations.js';
import type { WeightSpec } from './layer.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';

export interface LSTMArgs extends RecurrentArgs {
  /** Activation of the gates (default 'sigmoid', as Keras). */
  recurrentActivation?: ActivationName | string | null;
  /** Start the forget gate's bias at 1 (default true, as Keras). */
  unitForgetBias?: boolean | null;
}

/**
 * A long short-term memory layer: [steps, features] → [units] (or [steps, units] with
 * returnSequences).
 * @example layers.lstm({ units: 128, inputShape: [28, 28] })
 */
export class LSTM extends Recurrent {
  readonly className = 'LSTM';
  protected readonly cell = RecurrentCell.Lstm;
  protected readonly gates = 4;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args, 'LSTM', ['recurrentActivation', 'unitForgetBias']);
    this.unitForgetBias = checkBoolean(args.unitForgetBias ?? undefined, 'unitForgetBias', 'LSTM', true);
  }

  /** Keras: the bias starts as [init(units), ones(units), init(2·units)] — as an initializer, so a wrapper holding the weights (Bidirectional) starts them so too. */
  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const specs = super.weightSpecs(inputShape);
    if (this.useBias && this.unitForgetBias) {
      const [name, shape, base, extras] = specs[2];
      specs[2] = [name, shape, { kind: 'unitForgetBias', name: base.name, base, units: this.units }, extras];
    }
    return specs;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
