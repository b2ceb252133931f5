// The buffers of one pass of a layer stack over a batch, in WebAssembly memory, and the passes
// through them: loading a batch (gathered by index inside the module from a copy made once per
// fit, or copied from JavaScript), forward through the layers, backward to every weight.
import { OutOfMemoryError } from '../errors.js';
import type { Layer, Step, Weight } from '../layers/layer.js';
import { constraintView } from '../constraints.js';
import { constrain, penalty, penaltyGradient } from '../ops/regularizers.js';
import { gemmWorkspace } from '../ops/gemm.js';
import { Generator } from '../ops/generator.js';
import { checkFinite, gatherRows, gatherRowsF32, refuseNonFinite, writeF32, writeFinite, type Alloc } from '../ops/memory.js';
import type { Backend } from '../runtime/backend.js';
import type { ScoreBuffers } from '../metrics.js';
import type { Regularizer } from '../regularizers.js';
import { shapeSize, type Tensor } from '../tensor.js';
import { fusionOf, type Fusion } from './inference-fusion.js';
import type { Targets } from './targets.js';

/** What the passes need of a model: its layers in order and the per-sample input and output shapes. */
export interface LayerStack {
  readonly layers: readonly Layer[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

/** A fit's data in the module: each input's x and each output's y (all rows), and the epoch's sample order. */
export interface Resident {
  xs: number[];
  ys: number[];
  indices: number;
}

/**
 * The buffers of one pass over a batch and the passes through them: what the training loop,
 * evaluation and prediction need of a model (a stack of layers or a graph).
 */
export interface PassPlan {
  readonly batch: number;
  readonly work: number;
  readonly rng: Generator | undefined;
  /** Per output of the model: its values, dL/d them when training (else 0), and the buffers scoring uses. */
  readonly heads: readonly ScoreBuffers[];
  load(Xs: readonly Tensor[], targets: readonly Targets[] | undefined, indices: Int32Array | undefined, start: number, count: number, resident?: Resident): void;
  /** Checks, where load put them, that the inputs of a whole batch (all of Xs' rows, loaded from row 0) are finite. */
  checkLoaded(Xs: readonly Tensor[], name: (i: number) => string): void;
  forward(step: Step): void;
  /** From dL/d each output (written by scoring): every trainable weight's gradient. `fused[h]`: the loss folded output h's activation in. */
  backward(step: Step, fused: readonly boolean[]): void;
  penalty(step: Step, trainable: readonly Weight[]): number;
  addPenaltyGradients(trainable: readonly Weight[]): void;
}

/**
 * x and its targets copied into the module once for a whole fit, x checked there (SIMD), so that
 * every batch is gathered inside WebAssembly by index (DESIGN.md §1). Undefined when they do not
 * fit the memory: x is then checked in chunks and batches stream from JavaScript.
 */
export function residentData(be: Backend, alloc: Alloc, Xs: readonly Tensor[], targets: readonly Targets[], where: (i: number) => string): Resident | undefined {
  let xs: number[], ys: number[];
  try {
    xs = Xs.map((X) => alloc(X.size * 4));
    ys = targets.map((t) => alloc(Math.max(1, t.values.length) * 4));
  } catch (error) {
    if (!(error instanceof OutOfMemoryError)) throw error;
    Xs.forEach((X, i) => checkFinite(be, X, where(i)));
    return undefined;
  }
  Xs.forEach((X, i) => writeFinite(be, xs[i], X, where(i)));
  targets.forEach((t, i) => writeF32(be, ys[i], t.values));
  return { xs, ys, indices: alloc(Xs[0].shape[0] * 4) };
}

/**
 * Copies samples (by index, or the range [start, start + count)) of each input and each output's
 * targets (`widths[h]` floats per sample) into a pass's buffers: inside the module from the
 * resident copy when there is one (its index array in step with `indices`), else from JavaScript.
 */
function loadBatch(be: Backend, into: { inputs: readonly number[]; targets: readonly number[] }, Xs: readonly Tensor[], widths: readonly number[],
  targets: readonly Targets[] | undefined, indices: Int32Array | undefined, start: number, count: number, resident?: Resident): void {
  Xs.forEach((X, i) => {
    const size = X.size / X.shape[0];
    if (resident) gatherRows(be, resident.xs[i], size, resident.indices, start, count, into.inputs[i]);
    else gatherRowsF32(be, into.inputs[i], X.data, size, count, start, indices);
  });
  targets?.forEach((t, h) => {
    if (resident) gatherRows(be, resident.ys[h], widths[h], resident.indices, start, count, into.targets[h]);
    else gatherRowsF32(be, into.targets[h], t.values, widths[h], count, start, indices);
  });
}

/** needs[i]: layer i must produce dL/dx (some earlier layer has weights to train). */
function needsInputGradient(layers: readonly Layer[]): boolean[] {
  let trainableBefore = false;
  return layers.map((layer) => {
    const need = trainableBefore;
    if (layer.trainableWeights.length > 0) trainableBefore = true;
    return need;
  });
}

/**
 * What every pass plan holds besides its layers' buffers: per output, the targets and the per-row
 * weights, losses, metric values and argmaxes scoring uses (none for predict: no targetCols); a
 * GEMM workspace; the pass's generator (none for predict). Loads batches into the inputs' buffers.
 */
export abstract class PassBuffers {
  readonly heads: ScoreBuffers[] = [];
  /** A GEMM workspace for every thread. */
  readonly work: number;
  /** The generator of this pass (dropout masks, shuffles); none for predict. */
  readonly rng: Generator | undefined;
  /** Per output: target floats per sample. */
  private readonly widths: number[] = [];

  protected constructor(protected readonly be: Backend, alloc: Alloc, scoring: boolean) {
    this.work = alloc(gemmWorkspace(be));
    this.rng = scoring ? Generator.seeded(be, alloc, 0) : undefined;
  }

  /** The inputs' buffers, in the model's order. */
  protected abstract get inputBuffers(): readonly number[];

  /** Adds an output of this shape, at `output` (dL/d it at `gradient`, or 0), with `targetCols` target floats per row (undefined: not scored), and its Keras mask (one value per row; 0: none). */
  protected addHead(alloc: Alloc, batch: number, shape: readonly number[], targetCols: number | undefined, output: number, gradient: number, mask = 0): void {
    const rowsPer = shapeSize(shape) / shape[shape.length - 1];
    const perRow = (floats: number) => (targetCols !== undefined ? alloc(batch * rowsPer * floats * 4) : 0);
    this.heads.push({ predictions: output, gradient, targets: perRow(targetCols ?? 0), weights: perRow(1), loss: perRow(1), metric: perRow(1), argmax: perRow(1), mask });
    this.widths.push((targetCols ?? 0) * rowsPer);
  }

  /** The outputs of layers with an activity regularizer in a pass over `batch` samples. */
  protected abstract activityOutputs(batch: number): { ptr: number; size: number; regularizer: Regularizer }[];

  /**
   * The penalties of this pass (Keras' regularization losses): l1 Σ|w| + l2 Σw² of every trainable
   * weight with a regularizer, and of every output of a layer with an activity regularizer.
   */
  penalty(step: Step, trainable: readonly Weight[]): number {
    let total = 0;
    for (const w of trainable) if (w.regularizer) total += penalty(this.be, w.ptr, w.size, w.regularizer.l1, w.regularizer.l2);
    for (const { ptr, size, regularizer: r } of this.activityOutputs(step.batch)) total += penalty(this.be, ptr, size, r.l1, r.l2);
    return total;
  }

  /** Adds the weight penalties' gradients to the trainable weights' gradients (the activity penalties join the backward pass). */
  addPenaltyGradients(trainable: readonly Weight[]): void {
    for (const w of trainable) if (w.regularizer) penaltyGradient(this.be, w.ptr, w.grad, w.size, w.regularizer.l1, w.regularizer.l2);
  }

  load(Xs: readonly Tensor[], targets: readonly Targets[] | undefined, indices: Int32Array | undefined, start: number, count: number, resident?: Resident): void {
    loadBatch(this.be, { inputs: this.inputBuffers, targets: this.heads.map((h) => h.targets) }, Xs, this.widths, targets, indices, start, count, resident);
  }

  checkLoaded(Xs: readonly Tensor[], name: (i: number) => string): void {
    Xs.forEach((X, i) => refuseNonFinite(this.be, this.inputBuffers[i], X, name(i)));
  }
}

/** The buffers of one pass over a batch of up to `batch` samples (all from the caller's scope). */
export class Plan extends PassBuffers implements PassPlan {
  readonly batch: number;
  /** outs[0] is the input; outs[i + 1] layer i's output (the same buffer when the layer aliases). */
  readonly outs: number[];
  /** grads[i] = dL/d outs[i] (training), 0 where nothing needs it. */
  readonly grads: number[];
  readonly scratch: number[];
  private readonly fused: (Fusion | undefined)[];
  /** Per fused run, its layers' scratch buffers (made once, not per pass). */
  private readonly fusedScratch: number[][];

  constructor(be: Backend, private readonly stack: LayerStack, alloc: Alloc, batch: number, training: boolean, targetCols: readonly number[] | undefined) {
    super(be, alloc, targetCols !== undefined);
    const { layers, inputShape, outputShape } = stack;
    const n = layers.length;
    this.batch = batch;
    this.outs = [alloc(batch * shapeSize(inputShape) * 4)];
    this.scratch = [];
    for (const layer of layers) {
      this.outs.push(layer.aliases(training) ? this.outs[this.outs.length - 1] : alloc(batch * shapeSize(layer.outputShape) * 4));
      const bytes = layer.scratchBytes(batch, training);
      this.scratch.push(bytes > 0 ? alloc(bytes) : 0);
    }
    // Inference runs some runs of layers as one pass (fused[i]: those starting at layer i).
    this.fused = layers.map((_, i) => (training ? undefined : fusionOf(layers.slice(i, i + 3))));
    this.fusedScratch = this.fused.map((f, i) => (f ? this.scratch.slice(i, i + f.length) : []));
    this.grads = new Array<number>(n + 1).fill(0);
    if (training) {
      const needDx = needsInputGradient(layers);
      this.grads[n] = alloc(batch * shapeSize(outputShape) * 4);
      for (let i = n - 1; i >= 1; i--) {
        this.grads[i] = layers[i].aliases(true) ? this.grads[i + 1] : needDx[i] ? alloc(batch * shapeSize(layers[i].inputShape) * 4) : 0;
      }
    }
    this.addHead(alloc, batch, outputShape, targetCols?.[0], this.outs[n], this.grads[n]);
  }

  protected get inputBuffers(): readonly number[] {
    return [this.outs[0]];
  }

  forward(step: Step): void {
    const layers = this.stack.layers;
    for (let i = 0; i < layers.length; i++) {
      const fusion = this.fused[i];
      if (!fusion) {
        layers[i].forward(step, this.outs[i], this.outs[i + 1], this.scratch[i]);
        continue;
      }
      fusion.run(step, this.outs[i], this.outs[i + fusion.length], this.fusedScratch[i]);
      i += fusion.length - 1;
    }
  }

  protected activityOutputs(batch: number): { ptr: number; size: number; regularizer: Regularizer }[] {
    return this.stack.layers.flatMap((layer, i) => {
      const r = layer.activityRegularizer;
      return r ? [{ ptr: this.outs[i + 1], size: batch * shapeSize(layer.outputShape), regularizer: r }] : [];
    });
  }

  /** From dL/d output in grads[n]: every trainable weight's gradient (`fused[0]`: the loss folded the last activation in). */
  backward(step: Step, fused: readonly boolean[]): void {
    const layers = this.stack.layers;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      const r = layer.activityRegularizer;
      // The output's penalty joins the gradient that reaches it.
      if (r && this.grads[i + 1] !== 0) penaltyGradient(this.be, this.outs[i + 1], this.grads[i + 1], step.batch * shapeSize(layer.outputShape), r.l1, r.l2);
      // No gradient reaches layers before the first trainable one (grads is 0 there): skip them.
      if (layer.aliases(true) || this.grads[i + 1] === 0) continue;
      layer.backward(step, this.outs[i], this.outs[i + 1], this.grads[i + 1], i > 0 ? this.grads[i] : 0, this.scratch[i], fused[0] && i === layers.length - 1);
    }
  }
}

/** Applies every constrained weight's constraint (after an update), as Keras does. */
export function applyConstraints(be: Backend, weights: readonly Weight[]): void {
  for (const w of weights) {
    const c = w.constraint;
    if (!c) continue;
    const [rows, cols] = constraintView(c, w.shape);
    constrain(be, c.kind, w.ptr, rows, cols, c.minValue, c.maxValue, c.rate);
  }
}
