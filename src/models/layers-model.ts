// What every Keras-like model has (Keras' Model, TF.js' LayersModel): compile, fit, evaluate,
// predict, gradients, weights, summary and saving. Sequential and functional models plan their
// passes (models/plan.ts, models/graph-plan.ts); the training loop is models/training-loop.ts's,
// batch scoring metrics.ts's, and the file formats io/'s.
import type { Callback, TrainingModel } from '../callbacks.js';
import { ShapeError, ValueError, WasmlearnError, describe } from '../errors.js';
import { isDirectory, writeFileBytes } from '../io/files.js';
import { artifactsToBytes, modelArtifacts, writeTfjsFiles, type ModelArtifacts, type SaveHandler, type TrainingConfig } from '../io/save.js';
import { Layer, type Step, type Weight } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/node.js';
import type { LossFunction, LossKind } from '../losses.js';
import { checkFinite, readF32 } from '../ops/memory.js';
import { checkBoolean, checkNumber, checkOptions } from '../options.js';
import { getOptimizer, type Optimizer } from '../optimizers.js';
import { backend, type Backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { Tensor, shapeSize, toTensor, type TensorLike } from '../tensor.js';
import { ScoreSums, compileHeads, logNames, perEndpoint, resolveHeads, type Head, type OutputEnd } from './heads.js';
import { History } from './history.js';
import type { PassPlan } from './plan.js';
import { ProgressLogger } from './progress.js';
import { prepareTargets, type Targets } from './targets.js';
import { evaluateBatches, evaluateStream, scorePass, trainEpochs, trainStream, type Compiled, type PlannedModel, type PreparedBatch } from './training-loop.js';
import { DatasetSource, type DatasetBatch, type DatasetLike } from './dataset-source.js';
import { checkSignal } from '../cancel.js';
import type { Alloc } from '../ops/memory.js';

export interface CompileArgs {
  /**
   * A loss name — 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy',
   * 'meanSquaredError' / 'mse', 'meanAbsoluteError' / 'mae', 'meanAbsolutePercentageError' / 'mape',
   * 'huberLoss', 'logLoss', 'hinge', 'hingeLoss', 'cosineDistance', 'sigmoidCrossEntropy' (Keras'
   * snake_case too) — or a loss function: losses.meanSquaredError, losses.binaryCrossentropy({
   * fromLogits: true }), or TF.js' own tf.losses.* (recognised by name). A model of several
   * outputs takes one loss for all of them, an array of one per output, or an object keyed by
   * output name (model.outputNames).
   */
  loss: LossGiven | LossGiven[] | Record<string, LossGiven>;
  /** An optimizer (optimizers.sgd({ learningRate: 0.1 })) or a name with Keras' defaults. */
  optimizer: Optimizer | string;
  /**
   * 'accuracy' (the kind that fits the loss), 'categoricalAccuracy', 'sparseCategoricalAccuracy',
   * 'binaryAccuracy', 'mse', 'mae', 'precision', 'recall' (Keras' snake_case too), or TF.js'
   * tf.metrics.* functions of those names. With several outputs a flat list applies to each; an
   * array of lists or an object keyed by output name gives each output its own.
   */
  metrics?: (string | ((...args: never[]) => unknown))[] | Record<string, MetricGiven | MetricGiven[]> | (MetricGiven | MetricGiven[])[];
  /**
   * The weight of each output's loss in the total (Keras' loss_weights): an array of one number per
   * output, or an object keyed by output name (missing outputs weigh 1). Default 1 each.
   */
  lossWeights?: number[] | Record<string, number>;
}

type MetricGiven = string | ((...args: never[]) => unknown);
type LossGiven = string | LossFunction | ((...args: never[]) => unknown);

/** What fit and fitDataset share. */
export interface TrainingArgs {
  /** Epochs to train (default 1). */
  epochs?: number;
  /** Callbacks (callbacks.earlyStopping(...), or objects with onEpochEnd and the like). */
  callbacks?: Callback | Callback[];
  /** 0 silent, 1 a progress bar per epoch (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Seed of the shuffling and the dropout masks: the same seed trains the same model in every runtime. */
  seed?: number;
  /** Weight of each class in the loss (class index → weight). */
  classWeight?: Record<number, number> | number[];
  /** The epoch to start counting from (to resume training; default 0). */
  initialEpoch?: number;
  /** Stops training between two batches when aborted; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface FitArgs extends TrainingArgs {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling, kept for validation (default 0). */
  validationSplit?: number;
  /** [x, y] to evaluate after each epoch (takes precedence over validationSplit). */
  validationData?: [ModelData, ModelData];
}

/** fitDataset's arguments (TF.js' ModelFitDatasetArgs). */
export interface FitDatasetArgs extends TrainingArgs {
  /** Batches per epoch, read on from where the last epoch stopped (default: the dataset to its end, from its start). */
  batchesPerEpoch?: number;
  /** [x, y], or a dataset of { xs, ys } batches, evaluated after each epoch. */
  validationData?: [ModelData, ModelData] | DatasetLike;
  /** Batches of a validation dataset to read (default: all). */
  validationBatches?: number;
}

export interface EvaluateArgs {
  /** Samples per pass (default 256; the result does not depend on it beyond rounding). */
  batchSize?: number;
}

export interface PredictArgs {
  /** Samples per pass (default: as many as keep the pass's buffers under 64 MB, at most 1024). */
  batchSize?: number;
}

const PREDICT_BYTES = 64 << 20;

/** A model's data: one tensor (or array) for one input or output; one per endpoint, as an array or an object keyed by name, for several. */
export type ModelData = TensorLike | readonly TensorLike[] | Record<string, TensorLike>;

/**
 * What Sequential and functional models share (Keras' Model): compile, fit, evaluate, predict,
 * gradients, weights, summary and saving, over the passes a subclass plans for its layers.
 */
export abstract class LayersModel implements TrainingModel {
  abstract readonly className: string;
  readonly name: string;
  /** Set to true (e.g. from a callback) to end fit after the current batch. */
  stopTraining = false;
  protected compiled: Compiled | undefined;
  private fitting = false;

  protected constructor(name: string) {
    this.name = name;
  }

  /** The layers, each once, in order (a model used inside a functional one is one of them, as in Keras). */
  abstract get layers(): (Layer | LayersModel)[];
  /** Every layer, those of nested models included, each once in order: what passes run and files list. */
  abstract get flatLayers(): Layer[];
  /** Whether every layer is built (the input shapes are known). */
  abstract get isBuilt(): boolean;
  /** The model's outputs: names, per-sample shapes and the layers that make them. */
  protected abstract get outputEnds(): OutputEnd[];
  /** The model a pass over data of these shapes runs on: this one (a functional model may run a copy built for the data's sizes). */
  protected runner(_Xs: readonly Tensor[]): LayersModel {
    return this;
  }

  /** The inputs' tensors, checked against the model (building it if needed); finite unless `checked` is false. */
  protected abstract inputTensors(x: unknown, where: string, checked: boolean): Tensor[];
  /** The buffers of a pass over up to `batch` samples; targetCols per output (undefined: predict, nothing scored). */
  abstract createPlan(be: Backend, alloc: (bytes: number) => number, batch: number, training: boolean, targetCols: readonly number[] | undefined): PassPlan;
  /** Keras' topology of the model, for saving. */
  protected abstract topology(): Record<string, unknown>;
  /**
   * Applies the model to symbolic tensors, as a layer of another model (Keras: a model is a layer).
   * Its layers join the other model's graph, their weights shared with this model: training either
   * trains both. The other model lists them among its own layers.
   * @example const features = mobilenet.apply(input({ shape: [224, 224, 3] }));
   */
  abstract apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor | SymbolicTensor[];

  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /**
   * The weights of every layer in layer order, frozen or not (Keras' order, which getWeights and
   * setWeights follow; TF.js lists the trainable ones first, so its order changes with freezing).
   */
  get weights(): Weight[] {
    return this.layers.flatMap((l) => [...l.weights]);
  }

  get trainableWeights(): Weight[] {
    return this.layers.flatMap((l) => [...l.trainableWeights]);
  }

  /** Whether fit updates the model's weights (Keras' model.trainable): false unless some layer is trainable. */
  get trainable(): boolean {
    return this.layers.some((l) => l.trainable);
  }

  /**
   * Freezes (false) or unfreezes (true) every layer, as Keras' model.trainable = … does: freeze a
   * pretrained model applied inside another, then fit the other. A model compiled before takes
   * the change at its next fit.
   */
  set trainable(value: boolean) {
    if (typeof value !== 'boolean') throw new ValueError(`${this.name}.trainable must be true or false; received ${describe(value)}`);
    for (const l of this.layers) l.trainable = value;
  }

  countParams(): number {
    return this.layers.reduce((sum, l) => sum + l.countParams(), 0);
  }

  /** A layer (or a nested model) by name or by index in layers; a nested model's layers by their names too (TF.js' getLayer). */
  getLayer(nameOrIndex: string | number): Layer | LayersModel {
    const layers = this.layers;
    const layer = typeof nameOrIndex === 'number' ? layers[nameOrIndex]
      : layers.find((l) => l.name === nameOrIndex) ?? this.flatLayers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new ValueError(`getLayer: no layer ${describe(nameOrIndex)}; the model's layers are ${layers.map((l) => l.name).join(', ')}`);
    return layer;
  }

  /** The names of the outputs (their layers' names): what keyed losses, metrics, lossWeights and y use. */
  get outputNames(): string[] {
    return this.outputEnds.map((o) => o.name);
  }

  /** The names fit logs and evaluate returns values for, in order (TF.js' metricsNames); empty before compile. */
  get metricsNames(): string[] {
    return this.compiled && this.isBuilt ? logNames(this.heads(this.compiled, 'metricsNames')) : [];
  }

  /** Sets the loss, optimizer and metrics (per output when there are several) for fit and evaluate. */
  compile(args: CompileArgs): void {
    const o = checkOptions<CompileArgs>(args, ['loss', 'optimizer', 'metrics', 'lossWeights'], 'compile');
    if (o.loss === undefined) throw new ValueError("compile: loss is required (e.g. 'categoricalCrossentropy')");
    if (o.optimizer === undefined) throw new ValueError("compile: optimizer is required (e.g. optimizers.sgd({ learningRate: 0.1 }) or 'adam')");
    const specs = compileHeads({ loss: o.loss, metrics: o.metrics, lossWeights: o.lossWeights }, this.isBuilt ? this.outputNames : [this.layers[this.layers.length - 1]?.name ?? 'output'], 'compile');
    const optimizer = getOptimizer(o.optimizer, 'compile');
    const compiled = { optimizer, specs };
    if (this.isBuilt) this.heads(compiled, 'compile');
    this.compiled = compiled;
  }

  protected requireCompiled(where: string): Compiled {
    if (!this.compiled) throw new ValueError(`${where}: compile the model first (model.compile({ loss, optimizer }))`);
    return this.compiled;
  }

  /**
   * The compile settings resolved against the model as it is now (built, and with whatever
   * layers were added since compile): per output, which accuracy 'accuracy' means, and whether
   * the loss folds the output layer's activation into its gradient.
   */
  protected heads(compiled: Compiled, where: string, run: LayersModel = this): Head[] {
    return resolveHeads(compiled.specs, run.outputEnds, where);
  }

  /** Each output's targets from y (one output: y itself; several: an array of one per output, or an object keyed by output name). */
  private targetsOf(y: unknown, n: number, heads: readonly Head[], where: string): Targets[] {
    const names = heads.map((h) => h.name);
    return perEndpoint(y, names, 'outputs', 'y', where).map((v, h) =>
      prepareTargets(v, n, heads[h].shape, heads[h].loss, where, heads.length > 1 ? `y['${names[h]}']` : 'y'));
  }

  /**
   * Trains the model for a number of epochs (Keras' fit): mini-batch gradient descent with the
   * compiled optimizer, optional validation after each epoch, callbacks and progress output.
   * Resolves to the History of losses and metrics per epoch. The model keeps what it learned
   * even when training stops early (callbacks, stopTraining, an AbortSignal or an error).
   */
  async fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    const o = checkOptions<FitArgs>(args, ['batchSize', 'epochs', 'shuffle', 'validationSplit', 'validationData', 'callbacks', 'verbose', 'seed', 'classWeight', 'initialEpoch', 'signal'], 'fit');
    const compiled = this.requireCompiled('fit');
    if (this.fitting) throw new WasmlearnError('fit: this model is already training; wait for the running fit to finish');
    const batchSize = positiveInteger(o.batchSize, 'batchSize', 'fit', 32);
    const epochs = positiveInteger(o.epochs, 'epochs', 'fit', 1);
    const { initialEpoch, verbose, signal, callbackList } = trainingSettings(o, 'fit');
    const shuffle = checkBoolean(o.shuffle, 'shuffle', 'fit', true);
    const split = checkNumber(o.validationSplit, 'validationSplit', 'fit', 0);
    if (!(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1); received ${split}`);
    const seed = nextSeed(o.seed, 'fit');

    const Xs = this.inputTensors(x, 'fit', false);
    const run = this.runner(Xs);
    const heads = this.heads(compiled, 'fit', run);
    const allTargets = this.targetsOf(y, Xs[0].shape[0], heads, 'fit');
    heads.forEach((head, h) => {
      if (head.metrics.some((m) => m.kind === 'categoricalAccuracy' || m.kind === 'sparseCategoricalAccuracy') && !allTargets[h].labels) {
        throw new ValueError(`fit: an accuracy metric needs class labels, which ${head.loss} targets of ${head.shape.join('×')} values do not give`);
      }
    });
    let train = { Xs, targets: allTargets };
    let validation: { Xs: Tensor[]; targets: Targets[]; model: PlannedModel } | undefined;
    if (o.validationData !== undefined) {
      if (!Array.isArray(o.validationData) || o.validationData.length !== 2) {
        throw new ValueError(`fit: validationData must be [x, y]; received ${describe(o.validationData)}`);
      }
      const vx = this.inputTensors(o.validationData[0], 'fit: validationData', true);
      const vrun = this.runner(vx);
      validation = { Xs: vx, targets: this.targetsOf(o.validationData[1], vx[0].shape[0], this.heads(compiled, 'fit: validationData', vrun), 'fit: validationData'), model: planned(vrun) };
    } else if (split > 0) {
      const n = Xs[0].shape[0];
      const keep = Math.floor(n * (1 - split));
      if (keep < 1 || keep === n) throw new ValueError(`fit: validationSplit ${split} of ${n} samples leaves ${keep} for training and ${n - keep} for validation; both must be ≥ 1`);
      train = { Xs: Xs.map((X) => sliceRows(X, 0, keep)), targets: allTargets.map((t) => sliceTargets(t, n, 0, keep)) };
      validation = { Xs: Xs.map((X) => sliceRows(X, keep, n)), targets: allTargets.map((t) => sliceTargets(t, n, keep, n)), model: planned(run) };
    }
    if (o.classWeight !== undefined && heads.length > 1) {
      throw new ValueError(`fit: classWeight applies to a model of one output (as in Keras); this one has ${heads.length} (${this.outputNames.join(', ')}): weigh the outputs with compile's lossWeights`);
    }
    const classWeight = readClassWeight(o.classWeight, heads[0].units, allTargets[0], heads[0].loss);

    const n = train.Xs[0].shape[0];
    const steps = Math.ceil(n / batchSize);
    const history = new History({ epochs, steps, samples: n, batchSize });
    const { all, trained } = this.beginTraining(compiled, run, callbackList, verbose, epochs, steps);
    try {
      await trainEpochs(trained, {
        compiled, heads, Xs, allTargets, train, validation, classWeight, batchSize, epochs, initialEpoch, shuffle, seed, signal, callbacks: all, history,
        inputName: (i) => this.inputName(i, 'fit'),
      });
    } finally {
      this.endTraining(trained);
    }
    return history;
  }

  /**
   * What fit and fitDataset do before their loop: the callbacks (the progress logger first) told
   * of the model, the optimizer's slots built, the model marked as training; and the stack the
   * loop trains — its passes on `run`, the weights and the flag callbacks set this model's.
   */
  private beginTraining(compiled: Compiled, run: LayersModel, callbackList: Callback[], verbose: number, epochs: number, steps: number) {
    const all: Callback[] = [...(verbose > 0 ? [new ProgressLogger(verbose, epochs, steps)] : []), ...callbackList];
    for (const c of all) c.setModel?.(this);
    const trainable = this.trainableWeights;
    compiled.optimizer.build(backend(), trainable);
    this.fitting = true;
    this.stopTraining = false;
    const self = this;
    const trained = { ...planned(run), trainableWeights: trainable, get stopTraining() { return self.stopTraining; } };
    return { all, trained };
  }

  /** After the loop, however it ended: the gradient buffers (the loop's) forgotten, the model free to train again. */
  private endTraining(trained: { trainableWeights: Weight[] }): void {
    for (const w of trained.trainableWeights) w.grad = 0;
    this.fitting = false;
  }

  /**
   * The loss on (x, y) as one batch, in training mode, and its gradient with respect to every
   * trainable weight (in the order of trainableWeights), without changing the weights: what one
   * step of fit computes before the optimizer applies it.
   */
  gradients(x: ModelData, y: ModelData, args: { seed?: number } = {}): { loss: number; gradients: Tensor[] } {
    const o = checkOptions<{ seed: number }>(args, ['seed'], 'gradients');
    const Xs = this.inputTensors(x, 'gradients', true);
    const run = this.runner(Xs);
    const heads = this.heads(this.requireCompiled('gradients'), 'gradients', run);
    const targets = this.targetsOf(y, Xs[0].shape[0], heads, 'gradients');
    const seed = nextSeed(o.seed, 'gradients');
    const be = backend();
    const n = Xs[0].shape[0];
    const trainable = this.trainableWeights;
    try {
      return be.scoped((alloc) => {
        const plan = run.createPlan(be, alloc, n, true, targets.map((t) => t.cols));
        for (const w of trainable) w.grad = alloc(w.size * 4);
        plan.rng!.reseed(seed);
        const step: Step = { be, batch: n, training: true, work: plan.work, rng: plan.rng };
        plan.load(Xs, targets, undefined, 0, n);
        plan.forward(step);
        const sums = new ScoreSums(heads);
        scorePass(be, plan, step, heads, sums, n, trainable, targets, 0, undefined, undefined);
        plan.backward(step, heads.map((h) => h.fused));
        plan.addPenaltyGradients(trainable);
        return { loss: sums.values()[0], gradients: trainable.map((w) => new Tensor(readF32(be, w.grad, w.size), w.shape)) };
      });
    } finally {
      for (const w of trainable) w.grad = 0;
    }
  }

  /** The loss and metrics on (x, y), as metricsNames names them: [loss, (each output's loss,) ...metrics]. */
  async evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Promise<number[]> {
    const o = checkOptions<EvaluateArgs>(args, ['batchSize'], 'evaluate');
    const compiled = this.requireCompiled('evaluate');
    const batchSize = positiveInteger(o.batchSize, 'batchSize', 'evaluate', 256);
    const Xs = this.inputTensors(x, 'evaluate', true);
    const run = this.runner(Xs);
    const heads = this.heads(compiled, 'evaluate', run);
    const targets = this.targetsOf(y, Xs[0].shape[0], heads, 'evaluate');
    const be = backend();
    return be.scoped((alloc) => evaluateBatches(be, alloc, planned(run), Xs, targets, heads, batchSize));
  }

  /**
   * Trains from a dataset of `{ xs, ys }` batches (TF.js' fitDataset): a TF.js Dataset, an async
   * iterable or generator (files read from disk, a database cursor, a fetch stream), or an
   * iterable. Each batch is copied in as it comes, so data larger than memory trains in bounded
   * memory. Each epoch reads the dataset to its end (a TF.js Dataset or an array starts again each
   * epoch), or `batchesPerEpoch` batches from where the last epoch stopped; a source that runs dry
   * ends training. Validation: `validationData` as [x, y] or another dataset (`validationBatches`
   * of it). Batches keep their order (shuffle in the dataset).
   */
  async fitDataset(dataset: DatasetLike, args: FitDatasetArgs = {}): Promise<History> {
    const where = 'fitDataset';
    const o = checkOptions<FitDatasetArgs>(args, ['epochs', 'batchesPerEpoch', 'validationData', 'validationBatches', 'callbacks', 'verbose', 'seed', 'classWeight', 'initialEpoch', 'signal'], where);
    const compiled = this.requireCompiled(where);
    if (this.fitting) throw new WasmlearnError(`${where}: this model is already training; wait for the running fit to finish`);
    const epochs = positiveInteger(o.epochs, 'epochs', where, 1);
    const batchesPerEpoch = o.batchesPerEpoch === undefined ? undefined : positiveInteger(o.batchesPerEpoch, 'batchesPerEpoch', where, 1);
    const validationBatches = o.validationBatches === undefined ? undefined : positiveInteger(o.validationBatches, 'validationBatches', where, 1);
    const { initialEpoch, verbose, signal, callbackList } = trainingSettings(o, where);
    const seed = nextSeed(o.seed, where);
    const { source, read, run, heads, first, numbered } = await this.openDataset(dataset, compiled, where);
    const classWeight = readClassWeight(o.classWeight, heads[0].units, first.targets[0], heads[0].loss);
    let validate: ((alloc: Alloc) => Promise<number[]>) | undefined;
    if (o.validationData !== undefined) {
      const pair = Array.isArray(o.validationData) && !o.validationData.every((v) => v !== null && typeof v === 'object' && 'xs' in v && 'ys' in v);
      if (pair) {
        if ((o.validationData as unknown[]).length !== 2) throw new ValueError(`${where}: validationData must be [x, y] or a dataset; received ${describe(o.validationData)}`);
        const [vxGiven, vyGiven] = o.validationData as [ModelData, ModelData];
        const vx = this.inputTensors(vxGiven, `${where}: validationData`, true);
        const vrun = this.runner(vx);
        const vtargets = this.targetsOf(vyGiven, vx[0].shape[0], this.heads(compiled, `${where}: validationData`, vrun), `${where}: validationData`);
        validate = async (alloc) => evaluateBatches(backend(), alloc, planned(vrun), vx, vtargets, heads, 256);
      } else {
        const what = `${where}: validationData`;
        const vsource = new DatasetSource(o.validationData as DatasetLike, what);
        validate = async (alloc) => evaluateStream(backend(), alloc, planned(run), heads, numbered(await vsource.pass(), what), validationBatches,
          (i) => this.inputName(i, where), what);
      }
    }

    const history = new History({ epochs, steps: batchesPerEpoch ?? Number.NaN });
    const { all, trained } = this.beginTraining(compiled, run, callbackList, verbose, epochs, batchesPerEpoch ?? 0);
    // Batch 1 is already read; numbering goes on across epochs until the dataset starts again.
    let reader = numbered(read, where, 1);
    try {
      await trainStream(trained, {
        compiled, heads, first, batchesPerEpoch, epochs, initialEpoch, seed, classWeight, signal, callbacks: all, history, validate, where,
        inputName: (i) => this.inputName(i, where),
        epochReader: async (epoch) => {
          // Without batchesPerEpoch every epoch reads the dataset from its start.
          if (batchesPerEpoch === undefined && epoch > initialEpoch) reader = numbered(await source.pass(), where);
          return reader;
        },
      });
    } finally {
      this.endTraining(trained);
    }
    return history;
  }

  /** Loss and metrics over a dataset of `{ xs, ys }` batches (TF.js' evaluateDataset): all of it, or `batches` batches. */
  async evaluateDataset(dataset: DatasetLike, args: { batches?: number } = {}): Promise<number[]> {
    const where = 'evaluateDataset';
    const o = checkOptions<{ batches?: number }>(args, ['batches'], where);
    const compiled = this.requireCompiled(where);
    const batches = o.batches === undefined ? undefined : positiveInteger(o.batches, 'batches', where, 1);
    const { read, run, heads, first, numbered } = await this.openDataset(dataset, compiled, where);
    const rest = numbered(read, where, 1);
    let firstGiven = false;
    const be = backend();
    return be.scoped(async (alloc) => evaluateStream(be, alloc, planned(run), heads, async () => {
      if (firstGiven) return rest();
      firstGiven = true;
      return first;
    }, batches, (i) => this.inputName(i, where), where));
  }

  /**
   * A dataset opened for this model: its first batch read and prepared (it decides the runner — a
   * functional model's copy for the data's sizes — and the heads), and `numbered(reader, what,
   * from)`, which turns a reader of raw batches into one of prepared batches numbered on from
   * `from` (for messages: "fitDataset: batch 3 xs").
   */
  private async openDataset(dataset: DatasetLike, compiled: Compiled, where: string) {
    const source = new DatasetSource(dataset, where);
    const read = await source.pass();
    const raw = await read();
    if (!raw) throw new ValueError(`${where}: the dataset gave no batches`);
    const firstXs = this.inputTensors(raw.xs, `${where}: batch 1 xs`, false);
    const run = this.runner(firstXs);
    const heads = this.heads(compiled, where, run);
    const prepare = (batch: DatasetBatch, n: number, what: string, Xs = this.inputTensors(batch.xs, `${what}: batch ${n} xs`, false)): PreparedBatch =>
      ({ Xs, targets: this.targetsOf(batch.ys, Xs[0].shape[0], heads, `${what}: batch ${n} ys`) });
    const first = prepare(raw, 1, where, firstXs);
    const numbered = (reader: () => Promise<DatasetBatch | undefined>, what: string, from = 0) => {
      let n = from;
      return async (): Promise<PreparedBatch | undefined> => {
        const batch = await reader();
        return batch ? prepare(batch, ++n, what) : undefined;
      };
    };
    return { source, read, run, heads, first, numbered };
  }

  /**
   * The model's outputs for x, [samples, ...outputShape] (dropout off); an array of them, in the
   * order of outputNames, for a model of several outputs (as TF.js). Synchronous.
   */
  predict(x: ModelData, args: PredictArgs = {}): Tensor | Tensor[] {
    const o = checkOptions<PredictArgs>(args, ['batchSize'], 'predict');
    const Xs = this.inputTensors(x, 'predict', true);
    const run = this.runner(Xs);
    const n = Xs[0].shape[0];
    const be = backend();
    const perSample = 4 * (Xs.reduce((s, X) => s + X.size / n, 0) + run.flatLayers.reduce((s, l) => s + (l.isBuilt ? shapeSize(l.outputShape) : 0) + l.scratchBytes(1, false) / 4, 0));
    const batch = Math.min(n, o.batchSize !== undefined ? positiveInteger(o.batchSize, 'batchSize', 'predict', 1) : Math.max(1, Math.min(1024, Math.floor(PREDICT_BYTES / perSample))));
    const shapes = run.outputEnds.map((e) => e.shape);
    const results = shapes.map((shape) => new Float32Array(n * shapeSize(shape)));
    be.scoped((alloc) => {
      const plan = run.createPlan(be, alloc, batch, false, undefined);
      const step: Step = { be, batch: 0, training: false, work: plan.work, rng: plan.rng };
      for (let start = 0; start < n; start += batch) {
        const count = Math.min(batch, n - start);
        (step as { batch: number }).batch = count;
        plan.load(Xs, undefined, undefined, start, count);
        plan.forward(step);
        shapes.forEach((shape, h) => results[h].set(readF32(be, plan.heads[h].predictions, count * shapeSize(shape)), start * shapeSize(shape)));
      }
    });
    const tensors = results.map((r, h) => new Tensor(r, [n, ...shapes[h]]));
    return tensors.length === 1 ? tensors[0] : tensors;
  }

  /** The index of the largest output of each sample (the predicted class), as an Int32Array (a model of one output). */
  predictClasses(x: ModelData, args: PredictArgs = {}): Int32Array {
    const ends = this.outputEnds;
    if (ends.length > 1) throw new ValueError(`predictClasses: the model has ${ends.length} outputs (${this.outputNames.join(', ')}); use predict, which returns one tensor per output`);
    const p = this.predict(x, args) as Tensor;
    const units = p.shape[p.shape.length - 1];
    const rows = p.size / units;
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      if (units === 1) {
        out[r] = p.data[r] > 0.5 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let j = 1; j < units; j++) if (p.data[r * units + j] > p.data[r * units + best]) best = j;
      out[r] = best;
    }
    return out;
  }

  /** Copies of all weights, layer by layer in Keras order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Replaces all weights (as getWeights returns them). */
  setWeights(values: TensorLike[]): void {
    if (!Array.isArray(values) || values.length !== this.weights.length) {
      throw new ValueError(`setWeights: the model has ${this.weights.length} weight arrays; received ${describe(values)}`);
    }
    let k = 0;
    const layers = this.layers;
    const chunks = layers.map((l) => values.slice(k, (k += l.weights.length)));
    // Check every layer's part before writing any, so a bad list changes nothing.
    layers.forEach((l, i) => chunks[i].forEach((v, j) => {
      const t = toTensor(v, `setWeights: weights[${this.weights.indexOf(l.weights[j])}]`);
      if (t.shape.join() !== l.weights[j].shape.join()) {
        throw new ShapeError(`setWeights: ${l.weights[j].name} has shape [${l.weights[j].shape.join(', ')}]; received [${t.shape.join(', ')}]`);
      }
    }));
    layers.forEach((l, i) => l.setWeights(chunks[i]));
  }

  /**
   * A Keras-style table of the layers, their output shapes and parameter counts. Printed with
   * printFn (default console.log) and returned.
   */
  summary(printFn: ((line: string) => void) | null = console.log): string {
    const connected = this.connections();
    const rows = this.layers.map((l) => [
      `${l.name} (${l.className})`,
      this.outputShown(l),
      String(l.countParams()),
      ...(connected ? [connected(l).join(', ')] : []),
    ]);
    const widths = [Math.max(29, ...rows.map((r) => r[0].length + 2)), Math.max(26, ...rows.map((r) => r[1].length + 2)), 12, 0];
    const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('').trimEnd();
    const total = this.countParams();
    const trainable = this.trainableWeights.reduce((s, w) => s + w.size, 0);
    const rule = (ch: string) => ch.repeat(widths[0] + widths[1] + widths[2] + (connected ? Math.max(14, ...rows.map((r) => r[3].length)) : 0));
    const text = [
      `Model: "${this.name}"`,
      rule('_'),
      line(['Layer (type)', 'Output Shape', 'Param #', ...(connected ? ['Connected to'] : [])]),
      rule('='),
      ...rows.flatMap((r, i) => [line(r), ...(i < rows.length - 1 ? [rule('_')] : [])]),
      rule('='),
      `Total params: ${total.toLocaleString('en-US')}`,
      `Trainable params: ${trainable.toLocaleString('en-US')}`,
      `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
      rule('_'),
    ].join('\n');
    printFn?.(text);
    return text;
  }

  /** A layer's output shape as summary shows it. */
  protected outputShown(layer: Layer | LayersModel): string {
    if (!(layer instanceof Layer)) return '';
    return layer.isBuilt ? `(None, ${layer.outputShape.join(', ')})` : '(unbuilt)';
  }

  /** For summary's 'Connected to' column (graphs): the tensors each layer is applied to, as Keras names them; undefined for a stack. */
  protected connections(): ((layer: Layer | LayersModel) => string[]) | undefined {
    return undefined;
  }

  /** Releases the weights' and optimizer's memory now (the model cannot be used afterwards). */
  /** Sets the carried states of the model's stateful recurrent layers to zero (Keras' and TF.js' resetStates). */
  resetStates(): void {
    for (const layer of this.flatLayers) (layer as Layer & { resetStates?: () => void }).resetStates?.();
  }

  /**
   * Bytes the model holds in WebAssembly memory: every layer's weights and kept states, and the
   * optimizer's slots once it has trained (what a memory cap, init({ maxMemory }), must allow
   * beside a call's own buffers).
   */
  get memoryBytes(): number {
    return [...new Set(this.flatLayers)].reduce((sum, layer) => sum + layer.memoryBytes, 0) + (this.compiled?.optimizer.memoryBytes ?? 0);
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
    this.compiled?.optimizer.dispose();
  }

  /** The model as wasmlearn's single-file bytes (topology, weights, compile settings); loadModel reads them. */
  toBytes(): Uint8Array {
    return artifactsToBytes(this.toTfjs());
  }

  /**
   * Saves the model, as TF.js users do, and resolves to its bytes:
   * - `'file://folder'` (TF.js' file scheme), or a path ending in `/` or naming an existing folder:
   *   the TF.js layers format (model.json and a weight shard) in that folder, created if needed;
   * - any other path: wasmlearn's single file (Node, Deno);
   * - a TF.js IOHandler with save(artifacts) (tf.io.withSaveHandler, browserDownloads, …): it is
   *   called with the model's artifacts.
   * loadModel reads every one of them back.
   */
  async save(destination?: string | SaveHandler): Promise<Uint8Array> {
    if (destination !== undefined && typeof destination !== 'string' && !(destination !== null && typeof destination === 'object' && typeof destination.save === 'function')) {
      throw new ValueError(`save: destination must be a path, 'file://folder' or an IOHandler with save(artifacts); received ${describe(destination)}`);
    }
    const bytes = this.toBytes();
    if (typeof destination === 'object') await destination.save(this.toTfjs());
    else if (typeof destination === 'string') {
      if (destination === '') throw new ValueError('save: the path is empty');
      const folder = destination.startsWith('file://') ? destination.slice('file://'.length) : undefined;
      if (folder !== undefined || destination.endsWith('/') || isDirectory(destination)) writeTfjsFiles(this.toTfjs(), folder ?? destination);
      else writeFileBytes(destination, bytes, 'save');
    }
    return bytes;
  }

  /**
   * The model as TF.js ModelArtifacts: `tf.loadLayersModel(tf.io.fromMemory(artifacts))` loads it
   * in TensorFlow.js, and loadModel(artifacts) here.
   */
  toTfjs(): ModelArtifacts {
    if (!this.isBuilt) throw new ValueError(`${this.name}: the input shape is not known yet; give the first layer an inputShape or fit the model`);
    return modelArtifacts(backend(), this, this.topology());
  }

  /** Input i as messages name it ('x'; x['image'] in a model of several inputs). */
  protected inputLabel(_i: number): string {
    return 'x';
  }

  /** Input i in a message from `where` ('fit: x'). */
  protected inputName(i: number, where: string): string {
    return `${where}: ${this.inputLabel(i)}`;
  }

  /**
   * One input's data as a tensor of samples: a batch axis first, not empty, of the per-sample shape
   * `expected` (any when undefined: the model builds from it) and, unless `checked` is false (fit
   * checks its copy in the module instead), finite. Errors name input i as seen from `where`.
   */
  protected samples(x: unknown, i: number, where: string, expected: readonly (number | null)[] | undefined, checked: boolean): Tensor {
    const name = this.inputName(i, where);
    const X = toTensor(x, name, true, false);
    if (X.rank < 2) throw new ShapeError(`${name} must have a batch axis first, [samples, ...sampleShape]; received shape [${X.shape.join(', ')}]`);
    if (X.shape[0] === 0) throw new ValueError(`${name} is empty (shape [${X.shape.join(', ')}])`);
    if (expected && !fits(X.shape.slice(1), expected)) {
      throw new ShapeError(`${where}: the model expects ${this.inputLabel(i)} of shape [samples, ${shown(expected)}]; received [${X.shape.join(', ')}]`);
    }
    if (checked) checkFinite(backend(), X, name);
    return X;
  }

  /** Writes the TF.js layers format (model.json + group1-shard1of1.bin) into a directory; returns model.json's path. */
  async saveTfjs(directory: string): Promise<string> {
    if (typeof directory !== 'string' || directory === '') throw new ValueError(`saveTfjs: directory must be a path; received ${describe(directory)}`);
    return writeTfjsFiles(this.toTfjs(), directory);
  }

  /** Compile settings for saving (names, not objects). */
  /** Compile settings for saving (names, not objects): per output name when there are several, as Keras writes them. */
  trainingConfig(): TrainingConfig | undefined {
    if (!this.compiled) return undefined;
    const heads = this.heads(this.compiled, 'save');
    const many = heads.length > 1;
    const byOutput = <T>(f: (h: Head) => T) => Object.fromEntries(heads.map((h) => [h.name, f(h)]));
    return {
      loss: many ? byOutput((h) => h.loss) : heads[0].loss,
      metrics: many ? byOutput((h) => h.metrics.map((m) => m.name)) : heads[0].metrics.map((m) => m.name),
      ...(many ? { lossWeights: byOutput((h) => h.weight) } : {}),
      optimizer: { className: this.compiled.optimizer.className, config: this.compiled.optimizer.getConfig() },
    };
  }
}

/** What the passes need of a model: its layers (nested models' included) and its plans. */
function planned(model: LayersModel): PlannedModel {
  return { layers: model.flatLayers, createPlan: model.createPlan.bind(model) };
}

/** Whether a shape fits one whose null sizes take any size. */
export function fits(shape: readonly (number | null)[], expected: readonly (number | null)[]): boolean {
  return shape.length === expected.length && shape.every((d, i) => expected[i] === null || d === expected[i]);
}

/** A shape as messages show it, null included. */
export function shown(shape: readonly (number | null)[]): string {
  return shape.map((d) => d ?? 'null').join(', ');
}

function positiveInteger(value: unknown, name: string, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${where}: ${name} must be a positive integer; received ${describe(value)}`);
  }
  return value;
}

function sliceRows(X: Tensor, from: number, to: number): Tensor {
  const size = X.size / X.shape[0];
  return new Tensor(X.data.subarray(from * size, to * size), [to - from, ...X.shape.slice(1)]);
}

function sliceTargets(t: Targets, n: number, from: number, to: number): Targets {
  const per = t.values.length / n;
  const rowsPer = t.labels ? t.labels.length / n : 0;
  return { values: t.values.subarray(from * per, to * per), cols: t.cols, labels: t.labels?.subarray(from * rowsPer, to * rowsPer) };
}

/** fit's and fitDataset's shared settings, checked: initialEpoch, verbose, signal, callbacks (the seed is drawn last, once every check passed). */
function trainingSettings(o: TrainingArgs, where: string) {
  const initialEpoch = o.initialEpoch === undefined ? 0 : positiveInteger(o.initialEpoch + 1, 'initialEpoch + 1', where, 1) - 1;
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${where}: verbose must be 0, 1 or 2; received ${describe(o.verbose)}`);
  const signal = checkSignal(o.signal, where);
  const callbackList = o.callbacks === undefined ? [] : Array.isArray(o.callbacks) ? o.callbacks : [o.callbacks];
  for (const c of callbackList) if (c === null || typeof c !== 'object') throw new ValueError(`${where}: callbacks must be objects with hooks such as onEpochEnd; received ${describe(c)}`);
  return { initialEpoch, verbose, signal, callbackList };
}

function readClassWeight(value: unknown, units: number, targets: Targets, loss: LossKind): Float32Array | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new ValueError(`fit: classWeight must map class indices to weights, e.g. { 0: 1, 1: 5 }; received ${describe(value)}`);
  if (!targets.labels) throw new ValueError(`fit: classWeight needs class labels, which ${loss} targets do not give`);
  const weights = new Float32Array(units).fill(1);
  for (const [key, w] of Object.entries(value as Record<string, unknown>)) {
    const k = Number(key);
    if (!Number.isInteger(k) || k < 0 || k >= units) throw new ValueError(`fit: classWeight has class ${key}, outside [0, ${units})`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ValueError(`fit: classWeight[${key}] must be a non-negative number; received ${describe(w)}`);
    weights[k] = w;
  }
  return weights;
}
