// Keras' metrics: resolving their names against the loss, and scoring a batch (the loss and every
// metric's sum over its rows) from buffers in WebAssembly memory.
import { ValueError } from './errors.js';
import type { LossKind } from './losses.js';
import { lookUp } from './names.js';
import { argmaxRows, Loss, lossRows } from './ops/losses.js';
import { readF32, readI32, writeF32 } from './ops/memory.js';
import type { Backend } from './runtime/backend.js';

export type MetricKind = 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'meanSquaredError' | 'meanAbsoluteError' | 'precision' | 'recall';

/** A compiled metric: the key it is logged under (Keras' names) and what it computes. */
export interface Metric {
  readonly name: string;
  readonly kind: MetricKind;
}

const NAMES: Record<string, MetricKind | 'accuracy'> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  categoricalAccuracy: 'categoricalAccuracy',
  sparseCategoricalAccuracy: 'sparseCategoricalAccuracy',
  binaryAccuracy: 'binaryAccuracy',
  meanSquaredError: 'meanSquaredError',
  mse: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  precision: 'precision',
  recall: 'recall',
};

/**
 * Resolves metric names (or TF.js' tf.metrics.* functions, by name). 'accuracy' becomes the
 * accuracy that fits the loss, as Keras decides: sparse labels → sparse categorical, binary
 * cross-entropy or one output → binary, else categorical. Precision and recall count outputs above
 * 0.5 as positive (Keras' threshold) and targets of 1 as positive, per batch; fit and evaluate
 * report them averaged over batches weighted by their size, as TF.js reports its metrics.
 */
export function resolveMetrics(names: unknown, loss: LossKind, outputUnits: number | undefined, where: string): Metric[] {
  if (names === undefined) return [];
  const list = typeof names === 'string' ? [names] : names;
  if (!Array.isArray(list)) throw new ValueError(`${where}: metrics must be an array of names such as ['accuracy']`);
  return list.map((given) => {
    const name = typeof given === 'function' ? (given as { name: string }).name.replace(/__op$/, '') : given;
    let kind = lookUp(NAMES, name, 'metric', where);
    if ((kind === 'precision' || kind === 'recall') && loss === 'sparseCategoricalCrossentropy') {
      throw new ValueError(`${where}: ${kind} needs one-hot or binary targets; the sparseCategoricalCrossentropy loss takes class indices`);
    }
    if (kind === 'accuracy') {
      if (loss === 'sparseCategoricalCrossentropy') kind = 'sparseCategoricalAccuracy';
      else if (loss === 'binaryCrossentropy' || outputUnits === 1) kind = 'binaryAccuracy';
      else kind = 'categoricalAccuracy';
    }
    const key = name === 'acc' || name === 'accuracy' ? 'accuracy' : name === 'mse' ? 'mse' : (name as string);
    return { name: key, kind };
  });
}

/** Where a batch's predictions and targets are, and the scratch scoring writes to (all in the module). */
export interface ScoreBuffers {
  predictions: number;
  targets: number;
  /** Per-row weights (written here from rowWeights). */
  weights: number;
  /** Per-row losses. */
  loss: number;
  /** A second per-row buffer for the mse metric. */
  metric: number;
  argmax: number;
  /** dL/dprediction, or 0 when no gradient is wanted. */
  gradient: number;
  /** The output's Keras mask, one value per row (1 kept, 0 padding), or 0: every row counts. */
  mask: number;
}

/** The compiled loss as scoring uses it. */
export interface LossSettings {
  loss: LossKind;
  lossCode: Loss;
  /** The loss folds the last layer's activation into its gradient. */
  fused: boolean;
  metrics: Metric[];
  /** The weight of this loss in the total (Keras' loss_weights; 1 for a model of one output). */
  weight: number;
}

/**
 * Loss (and its gradient into b.gradient) of a batch of `count` samples of `rowsPer` rows of
 * `units` outputs; adds the metrics' sums to `sums` (sums[0] is the loss summed over rows). Class
 * labels of sample r are labels[r·rowsPer …], r = indices[start + j] (or start + j). With a
 * mask (b.mask), padding rows count for nothing and the loss is the mean over the kept ones (Keras
 * 3's masked losses and metrics). Returns the rows counted.
 */
export function scoreBatch(be: Backend, b: ScoreBuffers, count: number, rowsPer: number, units: number, compiled: LossSettings,
  sums: number[], labels: Int32Array | undefined, start: number, indices: Int32Array | undefined, rowWeights: Float32Array | undefined): number {
  // Outputs that are logits (the sigmoid cross-entropy loss) are positive above 0, probabilities above ½.
  const threshold = compiled.loss === 'sigmoidCrossEntropy' ? 0 : 0.5;
  const perRow = (code: Loss): number => {
    lossRows(be, code, rows, units, { predictions: out, targets: b.targets, weights: 0, loss: b.metric, gradient: 0, scale: 0, fused: false });
    const v = readF32(be, b.metric, rows);
    let s = 0;
    for (let i = 0; i < rows; i++) if (counts(i)) s += v[i];
    return s;
  };
  const rows = count * rowsPer;
  const out = b.predictions;
  const kept = b.mask ? readF32(be, b.mask, rows) : undefined;
  const counted = kept ? kept.reduce((sum, v) => sum + v, 0) : rows;
  const weights = kept ? Float32Array.from(kept, (m, i) => m * (rowWeights ? rowWeights[i] : 1)) : rowWeights?.subarray(0, rows);
  if (weights) writeF32(be, b.weights, weights);
  lossRows(be, compiled.lossCode, rows, units, {
    predictions: out, targets: b.targets, weights: weights ? b.weights : 0, loss: b.loss,
    gradient: b.gradient, scale: counted > 0 ? compiled.weight / counted : 0, fused: compiled.fused,
  });
  const losses = readF32(be, b.loss, rows);
  let total = 0;
  for (let i = 0; i < rows; i++) total += losses[i];
  sums[0] += total;
  /** Whether row i counts (not a padding row). */
  const counts = (i: number): boolean => !kept || kept[i] !== 0;
  compiled.metrics.forEach((metric, m) => {
    let s = 0;
    if (metric.kind === 'meanSquaredError' || metric.kind === 'meanAbsoluteError') {
      // The loss itself when it is this metric and unweighted: the same sum, computed once.
      s = compiled.loss === metric.kind && !rowWeights && !kept ? total : perRow(metric.kind === 'meanSquaredError' ? Loss.MeanSquaredError : Loss.MeanAbsoluteError);
    } else if (metric.kind === 'precision' || metric.kind === 'recall') {
      const p = readF32(be, out, rows * units), t = readF32(be, b.targets, rows * units);
      let truePositive = 0, predictedPositive = 0, actualPositive = 0;
      for (let i = 0; i < rows * units; i++) {
        if (!counts(Math.floor(i / units))) continue;
        const predicted = p[i] > threshold, actual = t[i] === 1;
        if (predicted && actual) truePositive++;
        if (predicted) predictedPositive++;
        if (actual) actualPositive++;
      }
      const denominator = metric.kind === 'precision' ? predictedPositive : actualPositive;
      s = denominator > 0 ? (truePositive / denominator) * counted : 0;
    } else if (metric.kind === 'binaryAccuracy') {
      const p = readF32(be, out, rows * units), t = readF32(be, b.targets, rows * units);
      for (let i = 0; i < rows * units; i++) if (counts(Math.floor(i / units)) && (p[i] > threshold) === (t[i] > 0.5)) s += 1 / units;
    } else {
      if (!labels) throw new ValueError(`${metric.name}: needs class labels, which the ${compiled.loss} targets do not give`);
      argmaxRows(be, out, rows, units, b.argmax);
      const predicted = readI32(be, b.argmax, rows);
      for (let j = 0; j < count; j++) {
        const r = indices ? indices[start + j] : start + j;
        for (let q = 0; q < rowsPer; q++) if (counts(j * rowsPer + q) && predicted[j * rowsPer + q] === labels[r * rowsPer + q]) s++;
      }
    }
    sums[1 + m] += s;
  });
  return counted;
}
