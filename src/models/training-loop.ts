// The training loop of a layer stack (Keras' fit): epochs of mini-batches gathered from the data,
// forward, loss and metrics, backward, one optimizer step; validation after each epoch; callbacks
// around every batch and epoch; yielding to the event loop so pages stay responsive and abort
// signals fire. And evaluation in batches, which validation shares.
import type { Callback, Logs } from '../callbacks.js';
import { ValueError, WasmlearnError } from '../errors.js';
import type { Layer, Step, Weight } from '../layers/layer.js';
import { scoreBatch, type LossSettings, type ScoreBuffers } from '../metrics.js';
import { writeI32, type Alloc } from '../ops/memory.js';
import type { Optimizer } from '../optimizers.js';
import { backend, type Backend } from '../runtime/backend.js';
import { shapeSize, type Tensor } from '../tensor.js';
import type { History } from './history.js';
import { applyConstraints, residentData, type PassPlan } from './plan.js';
import type { Targets } from './targets.js';

/** A compiled model's loss, metrics and optimizer. */
export interface Compiled extends LossSettings {
  optimizer: Optimizer;
  /** The metric names as given; resolved against the model's output when it is used. */
  metricNames: unknown;
}

/** What evaluation needs of a model: its output shape, its layers and a pass's buffers. */
export interface PlannedModel {
  readonly layers: readonly Layer[];
  readonly outputShape: readonly number[];
  createPlan(be: Backend, alloc: Alloc, batch: number, training: boolean, targetCols: number): PassPlan;
}

/** What the loop needs of the model: that, its trainable weights, and the stop flag callbacks set. */
export interface TrainableStack extends PlannedModel {
  readonly trainableWeights: Weight[];
  readonly stopTraining: boolean;
}

/** A fit's data and settings, checked by the caller. */
export interface TrainingRun {
  compiled: Compiled;
  /** All of every input's x (validation rows included) and the targets: copied into the module once. */
  Xs: Tensor[];
  allTargets: Targets;
  /** The training rows (the first rows of each x) and their targets. */
  train: { Xs: Tensor[]; targets: Targets };
  validation: { Xs: Tensor[]; targets: Targets } | undefined;
  /** The name of input i in messages ('fit: x'). */
  inputName: (i: number) => string;
  /** Class weights by class index, or undefined. */
  classWeight: Float32Array | undefined;
  batchSize: number;
  epochs: number;
  initialEpoch: number;
  shuffle: boolean;
  seed: number;
  signal: { aborted: boolean; reason?: unknown } | undefined;
  callbacks: Callback[];
  history: History;
  /** The logged names: 'loss', then the metrics'. */
  names: string[];
}

/** Where scoring finds a plan's predictions and targets and writes its results. */
export function scoreBuffers(plan: PassPlan, withGrad: boolean): ScoreBuffers {
  return {
    predictions: plan.output, targets: plan.targets, weights: plan.weights, loss: plan.loss, metric: plan.metric, argmax: plan.argmax,
    gradient: withGrad ? plan.outputGrad : 0,
  };
}

/** The trainable weights of a model (what the penalties are taken of). */
function trainableOf(model: PlannedModel): Weight[] {
  return [...new Set(model.layers.flatMap((l) => [...l.trainableWeights]))];
}

/** Loss and metrics over a dataset, in batches, with buffers from alloc. */
export function evaluateBatches(be: Backend, alloc: Alloc, model: PlannedModel, Xs: readonly Tensor[], targets: Targets, compiled: Compiled, batchSize: number): number[] {
  const n = Xs[0].shape[0];
  const batch = Math.min(batchSize, n);
  const plan = model.createPlan(be, alloc, batch, false, targets.cols);
  const step: Step = { be, batch: 0, training: false, work: plan.work, rng: plan.rng };
  const units = model.outputShape[model.outputShape.length - 1];
  const rowsPer = shapeSize(model.outputShape) / units;
  const sums = new Array<number>(1 + compiled.metrics.length).fill(0);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    (step as { batch: number }).batch = count;
    plan.load(Xs, targets, undefined, start, count);
    plan.forward(step);
    scoreBatch(be, scoreBuffers(plan, false), count, rowsPer, units, compiled, sums, targets.labels, start, undefined, undefined);
    sums[0] += plan.penalty(step, trainableOf(model)) * count * rowsPer;
  }
  return sums.map((s) => s / (n * rowsPer));
}

/** Runs a fit's epochs; the weights keep what they learned when it stops early or throws. */
export async function trainEpochs(model: TrainableStack, run: TrainingRun): Promise<void> {
  const { compiled, Xs, allTargets, train, validation, classWeight, batchSize, epochs, initialEpoch, shuffle, seed, signal, callbacks, history, names, inputName } = run;
  const be = backend();
  const trainable = model.trainableWeights;
  const n = train.Xs[0].shape[0];
  const steps = Math.ceil(n / batchSize);
  const units = model.outputShape[model.outputShape.length - 1];
  const indices = new Int32Array(n).map((_, i) => i);
  let yielded = performance.now();
  await be.scoped(async (alloc) => {
    // x (validation rows included) and y copied in once and x checked there; the training rows come first.
    const resident = residentData(be, alloc, Xs, allTargets, inputName);
    const plan = model.createPlan(be, alloc, Math.min(batchSize, n), true, train.targets.cols);
    for (const w of trainable) w.grad = alloc(w.size * 4);
    plan.rng!.reseed(seed);
    const step: Step = { be, batch: 0, training: true, work: plan.work, rng: plan.rng };
    const rowsPer = shapeSize(model.outputShape) / units;
    const rowWeights = classWeight ? new Float32Array(Math.min(batchSize, n) * rowsPer) : undefined;
    for (const c of callbacks) await c.onTrainBegin?.({});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      for (const c of callbacks) await c.onEpochBegin?.(epoch, {});
      if (shuffle) plan.rng!.shuffle(indices);
      if (resident) writeI32(be, resident.indices, indices);
      const sums = new Array<number>(names.length).fill(0);
      let seen = 0;
      for (let b = 0; b < steps; b++) {
        if (signal?.aborted) throw signal.reason ?? new WasmlearnError('fit: aborted');
        const start = b * batchSize;
        const count = Math.min(batchSize, n - start);
        for (const c of callbacks) await c.onBatchBegin?.(b, { batch: b, size: count });
        (step as { batch: number }).batch = count;
        plan.load(train.Xs, train.targets, indices, start, count, resident);
        if (rowWeights) {
          for (let j = 0; j < count; j++) {
            for (let q = 0; q < rowsPer; q++) rowWeights[j * rowsPer + q] = classWeight![train.targets.labels![indices[start + j] * rowsPer + q]];
          }
        }
        plan.forward(step);
        const before = sums[0];
        scoreBatch(be, scoreBuffers(plan, true), count, rowsPer, units, compiled, sums, train.targets.labels, start, indices, rowWeights);
        sums[0] += plan.penalty(step, trainable) * count * rowsPer;
        if (!Number.isFinite(sums[0] - before)) {
          throw new ValueError(`fit: the loss became ${sums[0] - before} at epoch ${epoch + 1}, batch ${b + 1}; ` +
            'training diverged (try a smaller learning rate, or check the data and labels)');
        }
        plan.backward(step, compiled.fused);
        plan.addPenaltyGradients(trainable);
        compiled.optimizer.apply(be, trainable);
        applyConstraints(be, trainable);
        seen += count * rowsPer;
        const logs = Object.fromEntries(names.map((k, i) => [k, sums[i] / seen]));
        for (const c of callbacks) await c.onBatchEnd?.(b, logs);
        if (model.stopTraining) break;
        if (performance.now() - yielded > 15) {
          await yieldToEventLoop();
          yielded = performance.now();
        }
      }
      const logs: Logs = Object.fromEntries(names.map((k, i) => [k, sums[i] / seen]));
      if (validation) {
        const v = evaluateBatches(be, alloc, model, validation.Xs, validation.targets, compiled, Math.max(batchSize, 256));
        names.forEach((k, i) => (logs[`val_${k}`] = v[i]));
      }
      history.record(epoch, logs);
      for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    }
    for (const c of callbacks) await c.onTrainEnd?.({});
  });
}

/** Lets timers, abort signals and page rendering run between batches. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: unknown };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
