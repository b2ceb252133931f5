// Callbacks, in Keras' shape: objects with optional hooks that fit calls at the start and end of
// training, of each epoch and of each batch. Logs hold the running means of loss and metrics.
import { ValueError, describe } from './errors.js';
import { checkBoolean, checkNumber, checkOptions } from './options.js';

export type Logs = Record<string, number>;

/** What a callback may read and change on the model being trained. */
export interface TrainingModel {
  stopTraining: boolean;
  readonly optimizer: { learningRate: number } | undefined;
  getWeights(): { data: Float32Array; shape: readonly number[] }[];
  setWeights(weights: { data: Float32Array; shape: readonly number[] }[]): void;
}

export interface Callback {
  setModel?(model: TrainingModel): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

export interface EarlyStoppingArgs {
  /** The logged quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracies, else 'min'). */
  mode?: 'auto' | 'min' | 'max';
  /** Stop unless the quantity beats this value. */
  baseline?: number;
  /** At the end, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Print a line when stopping (default 0). */
  verbose?: number;
}

/**
 * Stops training when a monitored quantity has stopped improving for `patience` epochs (Keras'
 * EarlyStopping): an epoch improves when the value beats the best so far by more than minDelta.
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly verbose: number;
  /** The epoch training stopped at (0 when it ran to the end). */
  stoppedEpoch = 0;
  /** The best value seen and its epoch. */
  best = Infinity;
  bestEpoch = 0;
  private wait = 0;
  private model: TrainingModel | undefined;
  private bestWeights: { data: Float32Array; shape: readonly number[] }[] | undefined;

  constructor(args: EarlyStoppingArgs = {}) {
    const o = checkOptions<EarlyStoppingArgs>(args, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'verbose'], 'earlyStopping');
    if (o.monitor !== undefined && typeof o.monitor !== 'string') throw new ValueError(`earlyStopping: monitor must be a log name such as 'val_loss'; received ${describe(o.monitor)}`);
    this.monitor = o.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber(o.minDelta, 'minDelta', 'earlyStopping', 0));
    const patience = o.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) throw new ValueError(`earlyStopping: patience must be a whole number ≥ 0; received ${describe(o.patience)}`);
    this.patience = patience;
    const mode = o.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new ValueError(`earlyStopping: mode must be 'auto', 'min' or 'max'; received ${describe(o.mode)}`);
    this.mode = mode === 'auto' ? (/acc/.test(this.monitor) ? 'max' : 'min') : mode;
    this.baseline = o.baseline === undefined ? undefined : checkNumber(o.baseline, 'baseline', 'earlyStopping', 0);
    this.restoreBestWeights = checkBoolean(o.restoreBestWeights, 'restoreBestWeights', 'earlyStopping', false);
    this.verbose = o.verbose ?? 0;
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.bestWeights = undefined;
  }

  private improves(value: number, reference: number): boolean {
    return this.mode === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new ValueError(
        `earlyStopping: monitor '${this.monitor}' is not among the logged values (${Object.keys(logs).join(', ')})` +
          (this.monitor.startsWith('val_') ? '; give fit validationData or validationSplit, or monitor a training value' : ''),
      );
    }
    if (this.restoreBestWeights && this.bestWeights === undefined) this.bestWeights = this.model?.getWeights();
    this.wait++;
    if (this.improves(value, this.best)) {
      this.best = value;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model?.getWeights();
      if (this.baseline === undefined || this.improves(value, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: early stopping (best ${this.monitor} ${this.best.toFixed(4)} at epoch ${this.bestEpoch + 1})`);
    }
  }

  onTrainEnd(): void {
    // As Keras 3: the best epoch's weights come back at the end, whether or not training stopped early.
    if (this.restoreBestWeights && this.bestWeights && this.model) this.model.setWeights(this.bestWeights);
  }
}

/**
 * Sets the optimizer's learning rate at the start of each epoch to schedule(epoch, currentRate)
 * (Keras' LearningRateScheduler).
 */
export class LearningRateScheduler implements Callback {
  private model: TrainingModel | undefined;

  constructor(readonly schedule: (epoch: number, learningRate: number) => number) {
    if (typeof schedule !== 'function') throw new ValueError(`learningRateScheduler: expected a function (epoch, learningRate) => learningRate; received ${describe(schedule)}`);
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer) return;
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new ValueError(`learningRateScheduler: the schedule must return a positive number; it returned ${describe(rate)} for epoch ${epoch}`);
    }
    optimizer.learningRate = rate;
  }
}

export const earlyStopping = (args?: EarlyStoppingArgs): EarlyStopping => new EarlyStopping(args);
export const learningRateScheduler = (schedule: (epoch: number, learningRate: number) => number): LearningRateScheduler =>
  new LearningRateScheduler(schedule);
