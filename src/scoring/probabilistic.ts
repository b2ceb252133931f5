// Scores of predicted probabilities (scikit-learn 1.2's): the log loss (cross-entropy) and the
// Brier score.
import { log } from '../elementary.js';
import { ShapeError, ValueError, describe } from '../errors.js';
import { plainLabel, positiveLabel, scoreMatrix, weightsOf, targetType, uniqueLabels, type Label, type ScoreArray } from './targets.js';

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 − eps]; 'auto' (default) is f64's machine epsilon. */
  eps?: number | 'auto';
  /** The mean over samples (default) or, with false, the sum. */
  normalize?: boolean;
  /** The classes of yPred's columns (default: those of yTrue), sorted. */
  labels?: Label[];
  /** A weight per sample. */
  sampleWeight?: ArrayLike<number>;
}

/** −Σ log p(true class) per sample (rows renormalized after clipping); one column or a 1-D yPred is the greater class's probability. */
export function logLoss(yTrue: ArrayLike<Label>, yPred: ScoreArray, options: LogLossOptions = {}): number {
  const where = 'logLoss';
  const eps = options.eps === undefined || options.eps === 'auto' ? Number.EPSILON : options.eps;
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) throw new ValueError(`${where}: eps must be 'auto' or a number in [0, 0.5); received ${describe(options.eps)}`);
  const type = targetType(yTrue, 'yTrue', where);
  if (type === 'multilabel-indicator' || type === 'continuous') throw new ValueError(`${where}: yTrue must hold one class label per sample; it is ${type}`);
  const classes = options.labels !== undefined ? uniqueLabels(where, options.labels) : uniqueLabels(where, yTrue);
  if (classes.length === 1) {
    throw new ValueError(options.labels !== undefined ? `${where}: labels must hold at least two classes; received ${describe(classes[0])}`
      : `${where}: yTrue holds one class only (${describe(classes[0])}); give all the classes as labels`);
  }
  const m = scoreMatrix(yPred, 'yPred', where);
  if (m.rows !== yTrue.length) throw new ShapeError(`${where}: yTrue has ${yTrue.length} values but yPred has ${m.rows} rows`);
  const cols = m.cols === 1 ? 2 : m.cols;
  if (cols !== classes.length) throw new ShapeError(`${where}: yPred has ${cols} classes (columns) but ${options.labels ? 'labels has' : 'yTrue holds'} ${classes.length} (${classes.slice(0, 6).map(String).join(', ')})${options.labels ? '' : '; give all the classes as labels'}`);
  const code = new Map(classes.map((c, i) => [c, i]));
  const clip = (p: number) => Math.min(Math.max(p, eps), 1 - eps);
  const w = weightsOf(options.sampleWeight, m.rows, where);
  let total = 0, weightSum = 0;
  const row = new Float64Array(cols);
  for (let i = 0; i < m.rows; i++) {
    const c = code.get(yTrue[i]);
    if (c === undefined) throw new ValueError(`${where}: yTrue[${i}] = ${describe(yTrue[i])} is not one of the labels`);
    if (m.cols === 1) { row[1] = clip(m.data[i]); row[0] = clip(1 - m.data[i]); } else for (let j = 0; j < cols; j++) row[j] = clip(m.data[i * cols + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += row[j];
    const wi = w ? w[i] : 1;
    total -= wi * log(row[c] / sum);
    weightSum += wi;
  }
  return options.normalize === false ? total : total / weightSum;
}

/** The mean of (1[y = posLabel] − p)² for a binary target. */
export function brierScoreLoss(yTrue: ArrayLike<Label>, yProb: ScoreArray, options: { posLabel?: Label; sampleWeight?: ArrayLike<number> } = {}): number {
  const where = 'brierScoreLoss';
  const type = targetType(yTrue, 'yTrue', where);
  if (type !== 'binary') throw new ValueError(`${where}: takes a binary target; yTrue is ${type}`);
  const m = scoreMatrix(yProb, 'yProb', where);
  if (!m.oneD) throw new ShapeError(`${where}: yProb must hold one probability per sample (the positive class's)`);
  if (m.rows !== yTrue.length) throw new ShapeError(`${where}: yTrue has ${yTrue.length} values but yProb has ${m.rows}`);
  for (let i = 0; i < m.rows; i++) if (m.data[i] < 0 || m.data[i] > 1) throw new ValueError(`${where}: yProb must hold probabilities in [0, 1]; element ${i} is ${m.data[i]}`);
  const posLabel = positiveLabel(options.posLabel, yTrue, where);
  const w = weightsOf(options.sampleWeight, m.rows, where);
  let s = 0, total = 0;
  for (let i = 0; i < m.rows; i++) {
    const wi = w ? w[i] : 1;
    s += wi * ((plainLabel(yTrue[i]) === posLabel ? 1 : 0) - m.data[i]) ** 2;
    total += wi;
  }
  return s / total;
}
