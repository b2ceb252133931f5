// Keras' LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): gates i, f, c, o in that order
// in the kernels' columns, c_t = f·c_{t−1} + i·act(z_c), h_t = o·act(c_t), the gates through the
// recurrent activation (Keras' default 'sigmoid'; TF.js' files name their 'hardSigmoid'). With
// unitForgetBias (Keras' default) the forget gate's bias starts at 1.
import { fillF32 } from '../ops/memory.js';
import { RecurrentCell } from '../ops/recurrent.js';
import { checkBoolean } from '../options.js';
import type { Backend } from '../runtime/backend.js';
import type { ActivationName } from './activations.js';
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

  override build(be: Backend, inputShape: readonly number[]): void {
    const fresh = !this.isBuilt;
    super.build(be, inputShape);
    // Keras: the bias is [init(units), ones(units), init(2·units)]; a loaded model's weights replace it.
    if (fresh && this.useBias && this.unitForgetBias) fillF32(be, this.weights[2].ptr + this.units * 4, this.units, 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
