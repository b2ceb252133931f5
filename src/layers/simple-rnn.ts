// Keras' SimpleRNN: h_t = act(x_t·W + h_{t−1}·R + b) (Elman 1990), on the recurrent base.
import { RecurrentCell } from '../ops/recurrent.js';
import { Recurrent, type RecurrentArgs } from './recurrent.js';

export type SimpleRNNArgs = RecurrentArgs;

/**
 * A fully connected recurrent layer: [steps, features] → [units] (or [steps, units] with
 * returnSequences).
 * @example layers.simpleRNN({ units: 32, inputShape: [28, 28] })
 */
export class SimpleRNN extends Recurrent {
  readonly className = 'SimpleRNN';
  protected readonly cell = RecurrentCell.Simple;
  protected readonly gates = 1;

  constructor(args: SimpleRNNArgs) {
    super(args, 'SimpleRNN', []);
  }
}
