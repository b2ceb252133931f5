// Scores of class predictions (scikit-learn 1.2's sklearn.metrics): accuracy, the confusion
// matrix, precision, recall and F-beta per label or averaged (binary, micro, macro, weighted,
// samples), balanced accuracy, Matthews' correlation and Cohen's kappa. Labels are numbers,
// strings or booleans; several labels per sample come as an indicator matrix.
import { ValueError, describe } from '../errors.js';
import { warn } from '../warnings.js';
import { classificationTargets, indicatorRows, paired, uniqueLabels, weightsOf, type Label, type Labels } from './targets.js';

/** The fraction (or with normalize: false the count) of samples predicted right; for indicator rows, of rows right in every label. */
export function accuracyScore(yTrue: Labels, yPred: Labels, options: { normalize?: boolean; sampleWeight?: ArrayLike<number> } = {}): number {
  const type = classificationTargets(yTrue, yPred, 'accuracyScore');
  const w = weightsOf(options.sampleWeight, yTrue.length, 'accuracyScore');
  const weight = (i: number) => (w ? w[i] : 1);
  let right = 0, total = 0;
  if (type === 'multilabel-indicator') {
    const t = indicatorRows(yTrue), p = indicatorRows(yPred);
    if (t[0].length !== p[0].length) throw new ValueError(`accuracyScore: yTrue has ${t[0].length} labels per row but yPred has ${p[0].length}`);
    t.forEach((row, i) => { if (Array.from(row).every((v, j) => v === p[i][j])) right += weight(i); });
  } else {
    for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right += weight(i);
  }
  for (let i = 0; i < yTrue.length; i++) total += weight(i);
  return options.normalize === false ? right : right / total;
}

/** The labels given (checked) or those of both arrays, sorted. */
function labelList(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels: readonly Label[] | undefined, where: string): Label[] {
  if (labels === undefined) return uniqueLabels(where, yTrue, yPred);
  if (!Array.isArray(labels) || labels.length === 0) throw new ValueError(`${where}: labels must be a non-empty array of labels; received ${describe(labels)}`);
  const present = new Set([...Array.from(yTrue), ...Array.from(yPred)]);
  if (!labels.some((l) => present.has(l))) throw new ValueError(`${where}: none of the labels given (${labels.slice(0, 6).map(String).join(', ')}) is in yTrue or yPred`);
  return [...labels];
}

export interface ConfusionMatrixOptions {
  /** The labels, in the order of the rows and columns (default: all of both arrays, sorted). */
  labels?: Label[];
  /** Divide by each row's total ('true'), each column's ('pred') or all ('all'). */
  normalize?: 'true' | 'pred' | 'all';
  /** A weight per sample (counts become sums of weights). */
  sampleWeight?: ArrayLike<number>;
}

/** counts[i][j]: samples of true class labels[i] predicted as labels[j]. */
export function confusionMatrix(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: ConfusionMatrixOptions = {}): number[][] {
  const where = 'confusionMatrix';
  const type = classificationTargets(yTrue as Labels, yPred as Labels, where);
  if (type === 'multilabel-indicator') throw new ValueError(`${where}: indicator matrices have a matrix per label; give one label per sample`);
  const labels = labelList(yTrue, yPred, options.labels, where);
  const w = weightsOf(options.sampleWeight, yTrue.length, where);
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let s = 0; s < yTrue.length; s++) {
    const i = index.get(yTrue[s]), j = index.get(yPred[s]);
    if (i !== undefined && j !== undefined) m[i][j] += w ? w[s] : 1;
  }
  const normalize = options.normalize;
  if (normalize === undefined) return m;
  if (!['true', 'pred', 'all'].includes(normalize)) throw new ValueError(`${where}: normalize must be 'true', 'pred' or 'all'; received ${describe(normalize)}`);
  const total = m.flat().reduce((a, b) => a + b, 0);
  // A row or column without samples stays 0, as scikit-learn's nan_to_num leaves it.
  return m.map((row, i) => row.map((v, j) => {
    const d = normalize === 'true' ? row.reduce((a, b) => a + b, 0) : normalize === 'pred' ? m.reduce((a, r) => a + r[j], 0) : total;
    void i;
    return d === 0 ? 0 : v / d;
  }));
}

export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'samples' | null;
export type ZeroDivision = 'warn' | 0 | 1;

export interface PrecisionRecallOptions {
  /** How per-label scores are combined: null gives one per label. */
  average?: Average;
  /** The positive class when average is 'binary' (default 1). */
  posLabel?: Label;
  /** The labels to score and their order (for indicator matrices, column indices). */
  labels?: Label[];
  /** The value of a score whose denominator is 0; 'warn' (default) gives 0 and warns. */
  zeroDivision?: ZeroDivision;
  /** A weight per sample (counts become sums of weights). */
  sampleWeight?: ArrayLike<number>;
}

export interface FbetaOptions extends PrecisionRecallOptions {
  /** Weight of recall against precision (default 1: F1). */
  beta?: number;
}

/** Per-label counts: true positives, predicted and actual positives. */
interface Counts { tp: number[]; pred: number[]; actual: number[] }

const AVERAGES: readonly Average[] = ['binary', 'micro', 'macro', 'weighted', 'samples', null];

/** True positives, predictions and actual members per label (or per sample for 'samples'), as multilabel_confusion_matrix. */
function counts(yTrue: Labels, yPred: Labels, o: PrecisionRecallOptions, where: string): { counts: Counts; average: Average } {
  const average = o.average === undefined ? null : o.average;
  if (!AVERAGES.includes(average)) throw new ValueError(`${where}: average must be one of 'binary', 'micro', 'macro', 'weighted', 'samples' or null; received ${describe(average)}`);
  const zd = o.zeroDivision ?? 'warn';
  if (zd !== 'warn' && zd !== 0 && zd !== 1) throw new ValueError(`${where}: zeroDivision must be 'warn', 0 or 1; received ${describe(zd)}`);
  const type = classificationTargets(yTrue, yPred, where);
  const posLabel = o.posLabel ?? 1;
  const sw = weightsOf(o.sampleWeight, yTrue.length, where);
  const wt = (i: number) => (sw ? sw[i] : 1);
  if (type === 'multilabel-indicator') {
    const t = indicatorRows(yTrue), p = indicatorRows(yPred), width = t[0].length;
    if (p[0].length !== width) throw new ValueError(`${where}: yTrue has ${width} labels per row but yPred has ${p[0].length}`);
    if (average === 'binary') throw new ValueError(`${where}: the target is multilabel-indicator but average is 'binary'; choose 'micro', 'macro', 'weighted', 'samples' or null`);
    const columns = (o.labels ?? Array.from({ length: width }, (_, j) => j)) as number[];
    for (const c of columns) if (!Number.isInteger(c) || c < 0 || c >= width) throw new ValueError(`${where}: labels of an indicator matrix are column indices in [0, ${width}); received ${describe(c)}`);
    const c: Counts = { tp: [], pred: [], actual: [] };
    if (average === 'samples') {
      t.forEach((row, i) => {
        let tp = 0, pr = 0, ac = 0;
        for (const j of columns) { tp += row[j] & p[i][j]; pr += p[i][j]; ac += row[j]; }
        c.tp.push(tp); c.pred.push(pr); c.actual.push(ac);
      });
    } else {
      for (const j of columns) {
        let tp = 0, pr = 0, ac = 0;
        t.forEach((row, i) => { tp += (row[j] & p[i][j]) * wt(i); pr += p[i][j] * wt(i); ac += row[j] * wt(i); });
        c.tp.push(tp); c.pred.push(pr); c.actual.push(ac);
      }
    }
    return { counts: c, average };
  }
  if (average === 'samples') throw new ValueError(`${where}: average 'samples' needs several labels per sample (indicator matrices); this target is ${type}`);
  const t = yTrue as ArrayLike<Label>, p = yPred as ArrayLike<Label>;
  let labels: Label[];
  if (average === 'binary') {
    if (type !== 'binary') throw new ValueError(`${where}: the target is ${type} but average is 'binary'; choose 'micro', 'macro', 'weighted' or null`);
    const present = uniqueLabels(where, t, p);
    if (!present.includes(posLabel) && present.length >= 2) throw new ValueError(`${where}: posLabel = ${describe(posLabel)} is not a label; it should be one of ${present.map((l) => describe(l)).join(', ')}`);
    labels = [posLabel];
  } else {
    if (o.posLabel !== undefined && o.posLabel !== 1) warn('data', `${where}: posLabel is ignored when average is not 'binary'; use labels: [posLabel] to score one class`);
    labels = labelList(t, p, o.labels, where);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const c: Counts = { tp: new Array(labels.length).fill(0), pred: new Array(labels.length).fill(0), actual: new Array(labels.length).fill(0) };
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]), b = index.get(p[i]);
    if (a !== undefined) c.actual[a] += wt(i);
    if (b !== undefined) c.pred[b] += wt(i);
    if (a !== undefined && t[i] === p[i]) c.tp[a] += wt(i);
  }
  return { counts: c, average };
}

/** n / d per label, zeroDivision's value where d is 0 (warning once if asked). */
function divide(n: number[], d: number[], zd: ZeroDivision, what: string, whose: string, warnIt: boolean, where: string): number[] {
  let ill = false;
  const out = n.map((v, i) => {
    if (d[i] !== 0) return v / d[i];
    ill = true;
    return zd === 1 ? 1 : 0;
  });
  if (ill && zd === 'warn' && warnIt) warn('data', `${where}: ${what} is ill-defined and set to 0 for labels with no ${whose} samples; use zeroDivision to choose the value`);
  return out;
}

const mean = (v: number[], w?: number[]) => {
  if (!w) return v.reduce((a, b) => a + b, 0) / v.length;
  const total = w.reduce((a, b) => a + b, 0);
  return v.reduce((a, b, i) => a + b * w[i], 0) / total;
};

export interface PrecisionRecallFscoreSupport<T> {
  precision: T;
  recall: T;
  fScore: T;
  /** Members of each label (null once averaged). */
  support: T extends number ? null : Float64Array;
}

type Warned = 'precision' | 'recall' | 'f-score';

function prfs(yTrue: Labels, yPred: Labels, o: FbetaOptions, where: string, warnFor: Warned[]): PrecisionRecallFscoreSupport<number | Float64Array> {
  const beta = o.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) throw new ValueError(`${where}: beta must be a number ≥ 0; received ${describe(beta)}`);
  const { counts: c0, average } = counts(yTrue, yPred, o, where);
  const zd = o.zeroDivision ?? 'warn';
  let c = c0;
  if (average === 'micro') {
    const sum = (v: number[]) => [v.reduce((a, b) => a + b, 0)];
    c = { tp: sum(c.tp), pred: sum(c.pred), actual: sum(c.actual) };
  }
  const precision = divide(c.tp, c.pred, zd, 'precision', 'predicted', warnFor.includes('precision'), where);
  const recall = divide(c.tp, c.actual, zd, 'recall', 'true', warnFor.includes('recall'), where);
  if (zd === 'warn' && warnFor.length === 1 && warnFor[0] === 'f-score' && c.actual.some((a, i) => a === 0 && c.pred[i] === 0)) {
    warn('data', `${where}: F-score is ill-defined and set to 0 for labels with no true nor predicted samples; use zeroDivision to choose the value`);
  }
  const b2 = beta * beta;
  const fScore = precision.map((p, i) => {
    if (beta === Infinity) return recall[i];
    const d = b2 * p + recall[i];
    return ((1 + b2) * p * recall[i]) / (d === 0 ? 1 : d);
  });
  if (average === null) {
    return { precision: Float64Array.from(precision), recall: Float64Array.from(recall), fScore: Float64Array.from(fScore), support: Float64Array.from(c.actual) };
  }
  let weights: number[] | undefined;
  if (average === 'samples' && o.sampleWeight !== undefined) weights = Array.from(o.sampleWeight);
  if (average === 'weighted') {
    weights = c.actual;
    if (weights.every((w) => w === 0)) {
      const z = zd === 1 ? 1 : 0;
      return c.pred.every((p) => p === 0) ? { precision: z, recall: z, fScore: z, support: null } : { precision: 0, recall: z, fScore: 0, support: null };
    }
  }
  return { precision: mean(precision, weights), recall: mean(recall, weights), fScore: mean(fScore, weights), support: null };
}

/** Precision, recall, F-beta and support per label (average: null, the default) or averaged. */
export function precisionRecallFscoreSupport(yTrue: Labels, yPred: Labels, options: FbetaOptions = {}): PrecisionRecallFscoreSupport<number | Float64Array> {
  return prfs(yTrue, yPred, options, 'precisionRecallFscoreSupport', ['precision', 'recall', 'f-score']);
}

/** tp / (tp + fp): of the samples predicted as a label, the share that have it (average 'binary' by default, posLabel 1). */
export function precisionScore(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number | Float64Array {
  return prfs(yTrue, yPred, { average: 'binary', ...options }, 'precisionScore', ['precision']).precision;
}

/** tp / (tp + fn): of the samples with a label, the share predicted so (average 'binary' by default, posLabel 1). */
export function recallScore(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number | Float64Array {
  return prfs(yTrue, yPred, { average: 'binary', ...options }, 'recallScore', ['recall']).recall;
}

/** (1 + β²)·P·R / (β²·P + R) (average 'binary' by default, posLabel 1). */
export function fbetaScore(yTrue: Labels, yPred: Labels, options: FbetaOptions & { beta: number }): number | Float64Array {
  if (options?.beta === undefined) throw new ValueError('fbetaScore: beta is required (e.g. { beta: 0.5 }); f1Score is beta 1');
  return prfs(yTrue, yPred, { average: 'binary', ...options }, 'fbetaScore', ['f-score']).fScore;
}

/** The harmonic mean of precision and recall (average 'binary' by default, posLabel 1). */
export function f1Score(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions = {}): number | Float64Array {
  return prfs(yTrue, yPred, { average: 'binary', ...options, beta: 1 } as FbetaOptions, 'f1Score', ['f-score']).fScore;
}

/** The mean of the recalls of the classes in yTrue; adjusted: rescaled so chance is 0 and perfect 1. */
export function balancedAccuracyScore(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: { adjusted?: boolean; sampleWeight?: ArrayLike<number> } = {}): number {
  const where = 'balancedAccuracyScore';
  const m = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  let recalls = m.map((row, i) => { const n = row.reduce((a, b) => a + b, 0); return n === 0 ? NaN : row[i] / n; });
  if (recalls.some(Number.isNaN)) {
    warn('data', `${where}: yPred contains classes not in yTrue`);
    recalls = recalls.filter((r) => !Number.isNaN(r));
  }
  let score = mean(recalls);
  if (options.adjusted) {
    const chance = 1 / recalls.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

/** Matthews' correlation of the confusion matrix (Gorodkin's multiclass form); 0 when a marginal is constant. */
export function matthewsCorrcoef(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: { sampleWeight?: ArrayLike<number> } = {}): number {
  const m = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const t = m.map((row) => row.reduce((a, b) => a + b, 0)), p = m.map((_, j) => m.reduce((a, r) => a + r[j], 0));
  const n = t.reduce((a, b) => a + b, 0), correct = m.reduce((a, r, i) => a + r[i], 0);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const covTP = correct * n - dot(t, p), covPP = n * n - dot(p, p), covTT = n * n - dot(t, t);
  return covPP * covTT === 0 ? 0 : covTP / Math.sqrt(covTT * covPP);
}

/** Cohen's κ between two annotators: 1 − Σ w·observed / Σ w·expected, weights none, 'linear' |i − j| or 'quadratic' (i − j)². */
export function cohenKappaScore(y1: ArrayLike<Label>, y2: ArrayLike<Label>, options: { labels?: Label[]; weights?: 'linear' | 'quadratic' | null; sampleWeight?: ArrayLike<number> } = {}): number {
  const where = 'cohenKappaScore';
  paired(y1, y2, where, ['y1', 'y2']);
  const weights = options.weights ?? null;
  if (weights !== null && weights !== 'linear' && weights !== 'quadratic') throw new ValueError(`${where}: weights must be null, 'linear' or 'quadratic'; received ${describe(weights)}`);
  const m = confusionMatrix(y1, y2, { labels: options.labels, sampleWeight: options.sampleWeight });
  const k = m.length, rows = m.map((r) => r.reduce((a, b) => a + b, 0)), cols = m.map((_, j) => m.reduce((a, r) => a + r[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  let observed = 0, expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weights === null ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
      observed += w * m[i][j];
      expected += (w * cols[i] * rows[j]) / total;
    }
  }
  return 1 - observed / expected;
}
