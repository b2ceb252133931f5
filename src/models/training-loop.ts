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
        plan.forward(step);
        const loss = scorePass(be, plan, step, heads, sums, count, trainable, train.targets, start, indices, rowWeights);
        if (!Number.isFinite(loss)) {
          throw new ValueError(`fit: the loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1}; ` +
            'training diverged (try a smaller learning rate, or check the data and labels)');
        }
        plan.backward(step, fused);
        plan.addPenaltyGradients(trainable);
        compiled.optimizer.apply(be, trainable);
        applyConstraints(be, trainable);
        const values = sums.values();
        const logs = Object.fromEntries(names.map((k, i) => [k, values[i]]));
        for (const c of callbacks) await c.onBatchEnd?.(b, logs);
        if (model.stopTraining) break;
        await tick();
      }
      const values = sums.values();
      const logs: Logs = Object.fromEntries(names.map((k, i) => [k, values[i]]));
      if (validation) {
        const v = evaluateBatches(be, alloc, validation.model, validation.Xs, validation.targets, heads, Math.max(batchSize, 256));
        names.forEach((k, i) => (logs[`val_${k}`] = v[i]));
      }
      history.record(epoch, logs);
      for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    }
    for (const c of callbacks) await c.onTrainEnd?.({});
  });
}
