// Scores of rankings (scikit-learn 1.2's): the ROC and precision-recall curves of a binary target,
// the area under a curve, ROC AUC (binary; multiclass one-vs-rest or one-vs-one; indicator
// matrices) and average precision. Scores are ranked from the highest; tied scores form one
// threshold.
import { ShapeError, ValueError, describe } from '../errors.js';
import { warn } from '../warnings.js';
import { indicatorRows, plainLabel, positiveLabel, scoreMatrix, targetType, uniqueLabels, type Label, type Labels, type ScoreArray } from './targets.js';

/** One score per sample, finite. */
function scores1d(yScore: ScoreArray, n: number, where: string, name = 'yScore'): Float64Array {
  const m = scoreMatrix(yScore, name, where);
  if (m.cols !== 1 || !m.oneD) throw new ShapeError(`${where}: ${name} must hold one score per sample for a binary target (the positive class's: column 1 of predictProba); received ${m.rows}×${m.cols}`);
  if (m.rows !== n) throw new ShapeError(`${where}: yTrue has ${n} values but ${name} has ${m.rows}`);
  return m.data;
}

/** Counts of false and true positives at each distinct score, from the highest down (_binary_clf_curve). */
function binaryCurve(yTrue: ArrayLike<Label>, score: Float64Array, posLabel: Label): { fps: number[]; tps: number[]; thresholds: number[] } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || b - a);
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (plainLabel(yTrue[i]) === posLabel) tp++;
    if (k === n - 1 || score[order[k + 1]] !== score[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(score[i]);
    }
  }
  return { fps, tps, thresholds };
}

function checkBinaryTarget(yTrue: Labels, where: string): ArrayLike<Label> {
  const type = targetType(yTrue, 'yTrue', where);
  if (type !== 'binary') throw new ValueError(`${where}: takes a binary target; yTrue is ${type}`);
  return yTrue as ArrayLike<Label>;
}

export interface Curve { fpr: Float64Array; tpr: Float64Array; thresholds: Float64Array }

/** False and true positive rates as the threshold falls; the first threshold is the highest score + 1 (no positives). */
export function rocCurve(yTrue: ArrayLike<Label>, yScore: ScoreArray, options: { posLabel?: Label; dropIntermediate?: boolean } = {}): Curve {
  const where = 'rocCurve';
  const t = checkBinaryTarget(yTrue, where);
  const score = scores1d(yScore, t.length, where);
  let { fps, tps, thresholds } = binaryCurve(t, score, positiveLabel(options.posLabel, t, where));
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    // Keep the corners: points where the second difference of either count is not 0.
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
    fps = fps.filter((_, i) => keep[i]); tps = tps.filter((_, i) => keep[i]); thresholds = thresholds.filter((_, i) => keep[i]);
  }
  fps.unshift(0); tps.unshift(0); thresholds.unshift(thresholds[0] + 1);
  const rate = (v: number[], what: string) => {
    const last = v[v.length - 1];
    if (last <= 0) warn('data', `${where}: no ${what} samples in yTrue; that rate is meaningless (NaN)`);
    return Float64Array.from(v, (x) => (last <= 0 ? NaN : x / last));
  };
  return { fpr: rate(fps, 'negative'), tpr: rate(tps, 'positive'), thresholds: Float64Array.from(thresholds) };
}

/** The area under the curve through (x, y) by the trapezoidal rule; x increasing or decreasing. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const where = 'auc';
  const a = scoreMatrix(x as ScoreArray, 'x', where).data, b = scoreMatrix(y as ScoreArray, 'y', where).data;
  if (a.length !== b.length) throw new ShapeError(`${where}: x has ${a.length} values but y has ${b.length}`);
  if (a.length < 2) throw new ValueError(`${where}: needs at least 2 points; received ${a.length}`);
  let direction = 1;
  let falls = false, rises = false;
  for (let i = 1; i < a.length; i++) { if (a[i] < a[i - 1]) falls = true; else if (a[i] > a[i - 1]) rises = true; }
  if (falls) {
    if (rises) throw new ValueError(`${where}: x is neither increasing nor decreasing`);
    direction = -1;
  }
  let area = 0;
  for (let i = 1; i < a.length; i++) area += ((a[i] - a[i - 1]) * (b[i] + b[i - 1])) / 2;
  return direction * area;
}

/** ROC AUC of one binary column (0/1 truths), with McClish's correction when maxFpr < 1. */
function binaryRocAuc(truth: ArrayLike<Label>, score: Float64Array, maxFpr: number | undefined, where: string): number {
  if (new Set(Array.from(truth, plainLabel)).size !== 2) throw new ValueError(`${where}: only one class is present in yTrue; ROC AUC is not defined then`);
  const { fpr, tpr } = rocCurve(truth, score, { posLabel: 1 });
  if (maxFpr === undefined || maxFpr === 1) return auc(fpr, tpr);
  // The partial area up to maxFpr (the curve interpolated there), rescaled so chance is ½ and perfect 1.
  let stop = 0;
  while (stop < fpr.length && fpr[stop] <= maxFpr) stop++;
  const x0 = fpr[stop - 1], x1 = fpr[stop], y0 = tpr[stop - 1], y1 = tpr[stop];
  const xs = [...fpr.subarray(0, stop), maxFpr], ys = [...tpr.subarray(0, stop), y0 + ((maxFpr - x0) * (y1 - y0)) / (x1 - x0)];
  const partial = auc(xs, ys), minArea = 0.5 * maxFpr ** 2, maxArea = maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxArea - minArea));
}

type BinaryMetric = (truth: number[], score: Float64Array) => number;
export type AverageKind = 'micro' | 'macro' | 'weighted' | 'samples' | null;

/** A binary metric over the columns of an indicator matrix, averaged (scikit-learn's _average_binary_score). */
function averageBinary(metric: BinaryMetric, truth: number[][], score: { data: Float64Array; rows: number; cols: number }, average: AverageKind): number | Float64Array {
  const n = score.rows, k = score.cols;
  if (average === 'micro') return metric(truth.flat(), score.data);
  let weights: number[] | null = null;
  if (average === 'weighted') {
    weights = Array.from({ length: k }, (_, j) => truth.reduce((a, r) => a + r[j], 0));
    if (weights.reduce((a, b) => a + b, 0) === 0) return 0;
  }
  const bySample = average === 'samples';
  const count = bySample ? n : k;
  const per = Array.from({ length: count }, (_, c) => bySample
    ? metric(truth[c], score.data.subarray(c * k, c * k + k))
    : metric(truth.map((r) => r[c]), Float64Array.from({ length: n }, (_, i) => score.data[i * k + c])));
  if (average === null) return Float64Array.from(per);
  if (weights) {
    const w = weights;
    const total = w.reduce((a, b) => a + b, 0);
    return per.reduce((a, s, c) => a + (w[c] === 0 ? 0 : s * w[c]), 0) / total;
  }
  return per.reduce((a, b) => a + b, 0) / count;
}

export interface RocAucOptions {
  /** Average of per-class (or per-sample) areas: 'macro' (default), 'weighted', 'micro', 'samples' (indicator matrices), null. */
  average?: AverageKind;
  /** Multiclass targets: 'ovr' (each class against the rest) or 'ovo' (each pair); required for them. */
  multiClass?: 'raise' | 'ovr' | 'ovo';
  /** The classes of yScore's columns, sorted (default: those of yTrue). */
  labels?: Label[];
  /** Standardized partial area up to this false positive rate (binary only). */
  maxFpr?: number;
}

const AVERAGE_KINDS: readonly AverageKind[] = ['micro', 'macro', 'weighted', 'samples', null];

/** The area under the ROC curve. */
export function rocAucScore(yTrue: Labels, yScore: ScoreArray, options: RocAucOptions = {}): number | Float64Array {
  const where = 'rocAucScore';
  const average = options.average === undefined ? 'macro' : options.average;
  if (!AVERAGE_KINDS.includes(average)) throw new ValueError(`${where}: average must be 'macro', 'weighted', 'micro', 'samples' or null; received ${describe(average)}`);
  const maxFpr = options.maxFpr;
  if (maxFpr !== undefined && !(typeof maxFpr === 'number' && maxFpr > 0 && maxFpr <= 1)) throw new ValueError(`${where}: maxFpr must be in (0, 1]; received ${describe(maxFpr)}`);
  const type = targetType(yTrue, 'yTrue', where);
  if (type === 'continuous') throw new ValueError(`${where}: yTrue holds non-integer numbers; it takes class labels`);
  const score = scoreMatrix(yScore, 'yScore', where);
  if (score.rows !== yTrue.length) throw new ShapeError(`${where}: yTrue has ${yTrue.length} values but yScore has ${score.rows} rows`);
  const metric: BinaryMetric = (truth, s) => binaryRocAuc(truth, s, maxFpr, where);
  if (type === 'multilabel-indicator') {
    const truth = indicatorRows(yTrue).map((r) => Array.from(r));
    if (score.cols !== truth[0].length) throw new ShapeError(`${where}: yTrue has ${truth[0].length} labels per row but yScore has ${score.cols} columns`);
    return averageBinary(metric, truth, score, average);
  }
  const t = yTrue as ArrayLike<Label>;
  if (type === 'multiclass' || (!score.oneD && score.cols > 2)) {
    const multiClass = options.multiClass ?? 'raise';
    if (multiClass !== 'ovr' && multiClass !== 'ovo') throw new ValueError(`${where}: yTrue has more than two classes: set multiClass to 'ovr' or 'ovo'; received ${describe(multiClass)}`);
    if (maxFpr !== undefined && maxFpr !== 1) throw new ValueError(`${where}: maxFpr applies to binary targets only`);
    const allowed: AverageKind[] = multiClass === 'ovr' ? ['macro', 'weighted', null] : ['macro', 'weighted'];
    if (!allowed.includes(average)) throw new ValueError(`${where}: average must be ${allowed.map((a) => (a === null ? 'null' : `'${a}'`)).join(', ')} for multiClass '${multiClass}'; received ${describe(average)}`);
    for (let i = 0; i < score.rows; i++) {
      let s = 0;
      for (let j = 0; j < score.cols; j++) s += score.data[i * score.cols + j];
      if (Math.abs(s - 1) > 1e-8 + 1e-5) throw new ValueError(`${where}: yScore must hold probabilities for a multiclass target (rows summing to 1); row ${i} sums to ${s}`);
    }
    const present = uniqueLabels(where, t);
    let classes = present;
    if (options.labels !== undefined) {
      classes = [...options.labels];
      const sorted = uniqueLabels(where, classes);
      if (sorted.length !== classes.length) throw new ValueError(`${where}: labels must be unique`);
      if (sorted.some((l, i) => l !== classes[i])) throw new ValueError(`${where}: labels must be sorted`);
      if (present.some((l) => !classes.includes(l))) throw new ValueError(`${where}: yTrue holds labels not in labels`);
      if (classes.length !== score.cols) throw new ShapeError(`${where}: labels has ${classes.length} classes but yScore has ${score.cols} columns`);
    } else if (classes.length !== score.cols) {
      throw new ShapeError(`${where}: yTrue has ${classes.length} classes but yScore has ${score.cols} columns`);
    }
    const code = new Map(classes.map((c, i) => [c, i]));
    const encoded = Array.from(t, (v) => code.get(v)!);
    if (multiClass === 'ovr') return averageBinary(metric, encoded.map((c) => classes.map((_, j) => (c === j ? 1 : 0))), score, average);
    // One against one: the mean of both directions' areas over each pair's samples, pairs weighted by prevalence if asked.
    const k = classes.length, pairs: number[] = [], prevalence: number[] = [];
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const rows = encoded.flatMap((c, i) => (c === a || c === b ? [i] : []));
        const column = (j: number) => Float64Array.from(rows, (i) => score.data[i * k + j]);
        const truthA = rows.map((i) => (encoded[i] === a ? 1 : 0)), truthB = rows.map((i) => (encoded[i] === b ? 1 : 0));
        pairs.push((metric(truthA, column(a)) + metric(truthB, column(b))) / 2);
        prevalence.push(rows.length / encoded.length);
      }
    }
    if (average === 'weighted') return pairs.reduce((s, v, i) => s + v * prevalence[i], 0) / prevalence.reduce((s, v) => s + v, 0);
    return pairs.reduce((s, v) => s + v, 0) / pairs.length;
  }
  // Binary: the greater label is the positive one, its scores one per sample.
  const classes = uniqueLabels(where, Array.from(t, plainLabel));
  const s = scores1d(yScore, t.length, where);
  return metric(Array.from(t, (v) => (classes.length === 2 && plainLabel(v) === classes[1] ? 1 : 0)), s);
}

export interface PrecisionRecallCurve { precision: Float64Array; recall: Float64Array; thresholds: Float64Array }

/** Precision and recall at each distinct score, recall decreasing, ending at (recall 0, precision 1). */
export function precisionRecallCurve(yTrue: ArrayLike<Label>, probasPred: ScoreArray, options: { posLabel?: Label } = {}): PrecisionRecallCurve {
  const where = 'precisionRecallCurve';
  const t = checkBinaryTarget(yTrue, where);
  return prCurve(t, scores1d(probasPred, t.length, where, 'probasPred'), positiveLabel(options.posLabel, t, where), where);
}

function prCurve(t: ArrayLike<Label>, score: Float64Array, posLabel: Label, where: string): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryCurve(t, score, posLabel);
  const precision = tps.map((tp, i) => (tp + fps[i] === 0 ? 0 : tp / (tp + fps[i])));
  const last = tps[tps.length - 1];
  if (last === 0) warn('data', `${where}: no positive class in yTrue; recall is set to 1 for all thresholds`);
  const recall = tps.map((tp) => (last === 0 ? 1 : tp / last));
  return { precision: Float64Array.from([...precision.reverse(), 1]), recall: Float64Array.from([...recall.reverse(), 0]), thresholds: Float64Array.from(thresholds.reverse()) };
}

/** Σ (Rₙ − Rₙ₋₁)·Pₙ over the precision-recall curve (no interpolation), averaged over classes as asked. */
export function averagePrecisionScore(yTrue: Labels, yScore: ScoreArray, options: { average?: AverageKind; posLabel?: Label } = {}): number | Float64Array {
  const where = 'averagePrecisionScore';
  const average = options.average === undefined ? 'macro' : options.average;
  if (!AVERAGE_KINDS.includes(average)) throw new ValueError(`${where}: average must be 'macro', 'weighted', 'micro', 'samples' or null; received ${describe(average)}`);
  const posLabel = plainLabel(options.posLabel ?? 1);
  const type = targetType(yTrue, 'yTrue', where);
  if (type === 'continuous') throw new ValueError(`${where}: yTrue holds non-integer numbers; it takes class labels`);
  const score = scoreMatrix(yScore, 'yScore', where);
  if (score.rows !== yTrue.length) throw new ShapeError(`${where}: yTrue has ${yTrue.length} values but yScore has ${score.rows} rows`);
  const ap = (truth: ArrayLike<Label>, s: Float64Array, positive: Label) => {
    const { precision, recall } = prCurve(truth, s, positive, where);
    let sum = 0;
    for (let i = 0; i + 1 < recall.length; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
    return -sum;
  };
  if (type === 'binary') {
    const present = uniqueLabels(where, Array.from(yTrue as ArrayLike<Label>, plainLabel));
    if (present.length === 2 && !present.includes(posLabel)) throw new ValueError(`${where}: posLabel = ${describe(posLabel)} is not a label; it should be one of ${present.map((l) => describe(l)).join(', ')}`);
    return ap(yTrue as ArrayLike<Label>, scores1d(yScore, yTrue.length, where), posLabel);
  }
  if (posLabel !== 1) throw new ValueError(`${where}: posLabel is fixed to 1 for ${type} targets; leave it out`);
  let truth: number[][];
  if (type === 'multiclass') {
    const classes = uniqueLabels(where, yTrue as ArrayLike<Label>);
    if (classes.length !== score.cols) throw new ShapeError(`${where}: yTrue has ${classes.length} classes but yScore has ${score.cols} columns`);
    truth = Array.from(yTrue as ArrayLike<Label>, (v) => classes.map((c) => (c === v ? 1 : 0)));
  } else {
    truth = indicatorRows(yTrue).map((r) => Array.from(r));
    if (score.cols !== truth[0].length) throw new ShapeError(`${where}: yTrue has ${truth[0].length} labels per row but yScore has ${score.cols} columns`);
  }
  return averageBinary((t, s) => ap(t, s, 1), truth, score, average);
}
