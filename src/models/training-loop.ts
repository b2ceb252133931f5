// The training loop of a layer stack (Keras' fit): epochs of mini-batches gathered from the data,
// forward, loss and metrics, backward, one optimizer step; validation after each epoch; callbacks
// around every batch and epoch; yielding to the event loop so pages stay responsive and abort
// signals fire. And evaluation in batches, which validation shares.
import type { Callback, Logs } from '../callbacks.js';
import { ValueError, WasmlearnError } from '../errors.js';
import type { Layer, Step, Weight } from '../layers/layer.js';
import { scoreBatch } from '../metrics.js';
import { writeI32, type Alloc } from '../ops/memory.js';
import type { Optimizer } from '../optimizers.js';
import { backend, type Backend } from '../runtime/backend.js';
import type { Tensor } from '../tensor.js';
import { ScoreSums, logNames, type Head, type HeadSpec } from './heads.js';
import type { History } from './history.js';
import { applyConstraints, residentData, type PassPlan } from './plan.js';
import type { Targets } from './targets.js';
import { yieldEvery } from '../yield.js';
import { warn } from '../warnings.js';

/** A compiled model's optimizer and what compile decided per output. */
export interface Compiled {
  optimizer: Optimizer;
  specs: HeadSpec[];
}

/** What evaluation needs of a model: its layers and a pass's buffers. */
export interface PlannedModel {
  readonly layers: readonly Layer[];
  createPlan(be: Backend, alloc: Alloc, batch: number, training: boolean, targetCols: readonly number[] | undefined): PassPlan;
}

/** What the loop needs of the model: that, its trainable weights, and the stop flag callbacks set. */
export interface TrainableStack extends PlannedModel {
  readonly trainableWeights: Weight[];
  readonly stopTraining: boolean;
}

/** A fit's data and settings, checked by the caller. */
export interface TrainingRun {
  compiled: Compiled;
  /** The outputs' losses and metrics, resolved against the model. */
  heads: Head[];
  /** All of every input's x (validation rows included) and every output's targets: copied into the module once. */
  Xs: Tensor[];
  allTargets: Targets[];
  /** The training rows (the first rows of each x) and their targets. */
  train: { Xs: Tensor[]; targets: Targets[] };
  /** Validation data, and the model its passes run on (a functional model's copy for its sizes). */
  validation: { Xs: Tensor[]; targets: Targets[]; model: PlannedModel } | undefined;
  /** The name of input i in messages ('fit: x'). */
  inputName: (i: number) => string;
  /** Class weights by class index (a model of one output), or undefined. */
  classWeight: Float32Array | undefined;
  batchSize: number;
  epochs: number;
  initialEpoch: number;
  shuffle: boolean;
  seed: number;
  signal: { aborted: boolean; reason?: unknown } | undefined;
  callbacks: Callback[];
  history: History;
}

/** The trainable weights of a model (what the penalties are taken of). */
function trainableOf(model: PlannedModel): Weight[] {
  return [...new Set(model.layers.flatMap((l) => [...l.trainableWeights]))];
}

/**
 * Scores a pass's batch of `count` samples on every output (their losses' gradients written into
 * the plan when it trains) and adds them and the penalty to `sums`; returns the batch's total loss.
 */
export function scorePass(be: Backend, plan: PassPlan, step: Step, heads: readonly Head[], sums: ScoreSums, count: number, trainable: readonly Weight[],
  targets: readonly Targets[], start: number, indices: Int32Array | undefined, rowWeights: Float32Array | undefined): number {
  let total = 0;
  heads.forEach((head, h) => {
    const before = sums.sums[h][0];
    const counted = scoreBatch(be, plan.heads[h], count, head.rowsPer, head.units, head, sums.sums[h], targets[h].labels, start, indices, rowWeights);
    sums.rows[h] += counted;
    if (counted > 0) total += (head.weight * (sums.sums[h][0] - before)) / counted;
  });
  const penalty = plan.penalty(step, trainable);
  sums.add(count, penalty);
  return total + penalty;
}

/** Loss and metrics over a dataset, in batches, with buffers from alloc: the values logNames names. */
export function evaluateBatches(be: Backend, alloc: Alloc, model: PlannedModel, Xs: readonly Tensor[], targets: readonly Targets[], heads: readonly Head[], batchSize: number): number[] {
  const n = Xs[0].shape[0];
  const batch = Math.min(batchSize, n);
  const plan = model.createPlan(be, alloc, batch, false, targets.map((t) => t.cols));
  const step: Step = { be, batch: 0, training: false, work: plan.work, rng: plan.rng };
  const sums = new ScoreSums(heads);
  const trainable = trainableOf(model);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    (step as { batch: number }).batch = count;
    plan.load(Xs, targets, undefined, start, count);
    plan.forward(step);
    scorePass(be, plan, step, heads, sums, count, trainable, targets, start, undefined, undefined);
  }
  return sums.values();
}

/**
 * One gradient step on the batch the plan holds: forward, loss and metrics (added to `sums`),
 * backward, the penalties' gradients, the optimizer and the constraints. A loss that is not
 * finite stops training with an error naming `at` (epoch and batch).
 */
function trainStep(be: Backend, plan: PassPlan, step: Step, compiled: Compiled, heads: readonly Head[], sums: ScoreSums, trainable: Weight[],
  fused: readonly boolean[], targets: readonly Targets[], count: number, start: number, indices: Int32Array | undefined,
  rowWeights: Float32Array | undefined, at: string, where: string): void {
  plan.forward(step);
  const loss = scorePass(be, plan, step, heads, sums, count, trainable, targets, start, indices, rowWeights);
  if (!Number.isFinite(loss)) {
    throw new ValueError(`${where}: the loss became ${loss} at ${at}; training diverged (try a smaller learning rate, or check the data and labels)`);
  }
  plan.backward(step, fused);
  plan.addPenaltyGradients(trainable);
  compiled.optimizer.apply(be, trainable);
  applyConstraints(be, trainable);
}

/** After a batch: the running loss and metrics to the callbacks. */
async function batchEnd(callbacks: Callback[], names: string[], sums: ScoreSums, batch: number): Promise<void> {
  const values = sums.values();
  const logs = Object.fromEntries(names.map((k, i) => [k, values[i]]));
  for (const c of callbacks) await c.onBatchEnd?.(batch, logs);
}

/** After an epoch: its loss and metrics and the validation's (val_…), recorded and told to the callbacks. */
async function epochEnd(callbacks: Callback[], names: string[], sums: ScoreSums, epoch: number, history: History,
  validate: (() => number[] | Promise<number[]>) | undefined): Promise<void> {
  const values = sums.values();
  const logs: Logs = Object.fromEntries(names.map((k, i) => [k, values[i]]));
  if (validate) {
    const v = await validate();
    names.forEach((k, i) => (logs[`val_${k}`] = v[i]));
  }
  history.record(epoch, logs);
  for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
}

/** Runs a fit's epochs; the weights keep what they learned when it stops early or throws. */
export async function trainEpochs(model: TrainableStack, run: TrainingRun): Promise<void> {
  const { compiled, heads, Xs, allTargets, train, validation, classWeight, batchSize, epochs, initialEpoch, shuffle, seed, signal, callbacks, history, inputName } = run;
  const be = backend();
  const trainable = model.trainableWeights;
  const n = train.Xs[0].shape[0];
  const steps = Math.ceil(n / batchSize);
  const names = logNames(heads);
  const fused = heads.map((h) => h.fused);
  const indices = new Int32Array(n).map((_, i) => i);
  const tick = yieldEvery(15);
  await be.scoped(async (alloc) => {
    // x (validation rows included) and y copied in once and x checked there; the training rows come first.
    const resident = residentData(be, alloc, Xs, allTargets, inputName);
    const plan = model.createPlan(be, alloc, Math.min(batchSize, n), true, train.targets.map((t) => t.cols));
    for (const w of trainable) w.grad = alloc(w.size * 4);
    plan.rng!.reseed(seed);
    const step: Step = { be, batch: 0, training: true, work: plan.work, rng: plan.rng };
    const rowsPer = heads[0].rowsPer;
    const rowWeights = classWeight ? new Float32Array(Math.min(batchSize, n) * rowsPer) : undefined;
    for (const c of callbacks) await c.onTrainBegin?.({});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      for (const c of callbacks) await c.onEpochBegin?.(epoch, {});
      if (shuffle) plan.rng!.shuffle(indices);
      if (resident) writeI32(be, resident.indices, indices);
      const sums = new ScoreSums(heads);
      for (let b = 0; b < steps; b++) {
        if (signal?.aborted) throw signal.reason ?? new WasmlearnError('fit: aborted');
        const start = b * batchSize;
        const count = Math.min(batchSize, n - start);
        for (const c of callbacks) await c.onBatchBegin?.(b, { batch: b, size: count });
        (step as { batch: number }).batch = count;
        plan.load(train.Xs, train.targets, indices, start, count, resident);
        if (rowWeights) {
          for (let j = 0; j < count; j++) {
            for (let q = 0; q < rowsPer; q++) rowWeights[j * rowsPer + q] = classWeight![train.targets[0].labels![indices[start + j] * rowsPer + q]];
          }
        }
        trainStep(be, plan, step, compiled, heads, sums, trainable, fused, train.targets, count, start, indices, rowWeights, `epoch ${epoch + 1}, batch ${b + 1}`, 'fit');
        await batchEnd(callbacks, names, sums, b);
        if (model.stopTraining) break;
        await tick();
      }
      await epochEnd(callbacks, names, sums, epoch, history,
        validation && (() => evaluateBatches(be, alloc, validation.model, validation.Xs, validation.targets, heads, Math.max(batchSize, 256))));
    }
    for (const c of callbacks) await c.onTrainEnd?.({});
  });
}

/** A batch of a dataset as the model takes it: its inputs and each output's targets, checked. */
export interface PreparedBatch {
  Xs: Tensor[];
  targets: Targets[];
}

/** What trainStream needs beside the model: a dataset's batches and fit's settings, checked by the caller. */
export interface StreamRun {
  compiled: Compiled;
  heads: Head[];
  /** The first batch, already read (it chose the model's runner and heads). */
  first: PreparedBatch;
  /** Starts reading an epoch's batches (or goes on, with batchesPerEpoch); each read gives a prepared batch or undefined at the end. */
  epochReader(epoch: number): Promise<() => Promise<PreparedBatch | undefined>>;
  batchesPerEpoch: number | undefined;
  epochs: number;
  initialEpoch: number;
  seed: number;
  classWeight: Float32Array | undefined;
  signal: { aborted: boolean; reason?: unknown } | undefined;
  callbacks: Callback[];
  history: History;
  /** Loss and metrics on the validation data after each epoch (undefined: none). */
  validate: ((alloc: Alloc) => Promise<number[]>) | undefined;
  inputName: (i: number) => string;
  where: string;
}

/**
 * fitDataset's loop: batch by batch from a dataset, each copied in (and checked) as it comes, into
 * one pass's buffers sized for the largest batch so far — so the data never needs to fit in memory
 * at once. Each epoch reads the dataset until it ends, or batchesPerEpoch batches; a dataset that
 * runs dry before then ends training (TF.js warns; here the history says how far it got).
 */
export async function trainStream(model: TrainableStack, run: StreamRun): Promise<void> {
  const { compiled, heads, epochs, initialEpoch, seed, signal, callbacks, history, classWeight, where } = run;
  const be = backend();
  const trainable = model.trainableWeights;
  const names = logNames(heads);
  const fused = heads.map((h) => h.fused);
  const tick = yieldEvery(15);
  const rowsPer = heads[0].rowsPer;
  await be.scoped(async (alloc) => {
    let plan: PassPlan | undefined;
    let capacity = 0, planned = 0;
    for (const w of trainable) w.grad = alloc(w.size * 4);
    let rowWeights: Float32Array | undefined;
    let pending: PreparedBatch | undefined = run.first;
    let dry = false;
    for (const c of callbacks) await c.onTrainBegin?.({});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining && !dry; epoch++) {
      for (const c of callbacks) await c.onEpochBegin?.(epoch, {});
      const read = await run.epochReader(epoch);
      const sums = new ScoreSums(heads);
      let b = 0;
      for (; run.batchesPerEpoch === undefined || b < run.batchesPerEpoch; b++) {
        if (signal?.aborted) throw signal.reason ?? new WasmlearnError(`${where}: aborted`);
        const batch = pending ?? await read();
        pending = undefined;
        if (!batch) break;
        const count = batch.Xs[0].shape[0];
        if (count > capacity) {
          // A pass sized for this batch (the first, or a larger one than before); its dropout stream seeded anew.
          plan = model.createPlan(be, alloc, count, true, batch.targets.map((t) => t.cols));
          plan.rng!.reseed(planned++ === 0 ? seed : (seed + planned * 0x9e3779b9) % 2 ** 53);
          capacity = count;
          rowWeights = classWeight ? new Float32Array(count * rowsPer) : undefined;
        }
        const step: Step = { be, batch: count, training: true, work: plan!.work, rng: plan!.rng };
        // Copied in once and checked there, before the callbacks hear of the batch.
        plan!.load(batch.Xs, batch.targets, undefined, 0, count);
        plan!.checkLoaded(batch.Xs, run.inputName);
        for (const c of callbacks) await c.onBatchBegin?.(b, { batch: b, size: count });
        if (rowWeights) {
          for (let j = 0; j < count * rowsPer; j++) rowWeights[j] = classWeight![batch.targets[0].labels![j]];
        }
        trainStep(be, plan!, step, compiled, heads, sums, trainable, fused, batch.targets, count, 0, undefined, rowWeights, `epoch ${epoch + 1}, batch ${b + 1}`, where);
        await batchEnd(callbacks, names, sums, b);
        if (model.stopTraining) break;
        await tick();
      }
      if (b === 0) {
        if (epoch === initialEpoch) throw new ValueError(`${where}: the dataset gave no batches`);
        // A one-pass source (a generator) read to its end: training stops, as TF.js stops.
        warn('data', `${where}: the dataset ran out of batches at epoch ${epoch + 1} of ${epochs}, so training stopped (a generator is read once: ` +
          'give batchesPerEpoch, or a dataset whose iterator() starts it again, such as TF.js\' tf.data.generator)');
        break;
      }
      if (run.batchesPerEpoch !== undefined && b < run.batchesPerEpoch) {
        warn('data', `${where}: the dataset ran out of batches during epoch ${epoch + 1} (${b} of batchesPerEpoch ${run.batchesPerEpoch}), so training stops after it`);
        dry = true;
      }
      await epochEnd(callbacks, names, sums, epoch, history, run.validate && (() => run.validate!(alloc)));
    }
    for (const c of callbacks) await c.onTrainEnd?.({});
  });
}

/** Loss and metrics over a dataset's batches (up to `batches`), each copied in as it comes: the values logNames names. */
export async function evaluateStream(be: Backend, alloc: Alloc, model: PlannedModel, heads: readonly Head[], read: () => Promise<PreparedBatch | undefined>,
  batches: number | undefined, inputName: (i: number) => string, where: string): Promise<number[]> {
  const sums = new ScoreSums(heads);
  const trainable = trainableOf(model);
  let plan: PassPlan | undefined;
  let capacity = 0, b = 0;
  for (; batches === undefined || b < batches; b++) {
    const batch = await read();
    if (!batch) break;
    const count = batch.Xs[0].shape[0];
    if (count > capacity) {
      plan = model.createPlan(be, alloc, count, false, batch.targets.map((t) => t.cols));
      capacity = count;
    }
    const step: Step = { be, batch: count, training: false, work: plan!.work, rng: plan!.rng };
    plan!.load(batch.Xs, batch.targets, undefined, 0, count);
    plan!.checkLoaded(batch.Xs, inputName);
    plan!.forward(step);
    scorePass(be, plan!, step, heads, sums, count, trainable, batch.targets, 0, undefined, undefined);
  }
  if (b === 0) throw new ValueError(`${where}: the dataset gave no batches`);
  return sums.values();
}
