// Scores of predictions (scikit-learn's sklearn.metrics): accuracy, confusion matrix, the
// classification report, R² and mean squared error.
import { ShapeError, ValueError } from './errors.js';
import { firstNonFinite, nonFiniteError } from './finite.js';

type Label = number | string;

function paired<T>(yTrue: ArrayLike<T>, yPred: ArrayLike<T>, where: string): void {
  if (yTrue.length !== yPred.length) throw new ShapeError(`${where}: yTrue has ${yTrue.length} values but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw new ValueError(`${where}: yTrue is empty`);
}

function numbers(y: ArrayLike<number>, name: string, where: string): void {
  for (let i = 0; i < y.length; i++) if (typeof y[i] !== 'number') throw nonFiniteError(`${where}: ${name}`, `${i}`, y[i]);
  const bad = firstNonFinite(y);
  if (bad >= 0) throw nonFiniteError(`${where}: ${name}`, `${bad}`, y[bad]);
}

/** The fraction of predictions equal to the truth. */
export function accuracyScore(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): number {
  paired(yTrue, yPred, 'accuracyScore');
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  return right / yTrue.length;
}

/** The labels of both, sorted (numbers numerically, else as strings), as scikit-learn's unique_labels. */
function labelsOf(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): Label[] {
  const all = [...new Set([...Array.from(yTrue), ...Array.from(yPred)])];
  return all.every((v) => typeof v === 'number') ? (all as number[]).sort((a, b) => a - b) : all.sort((a, b) => String(a).localeCompare(String(b)));
}

/** counts[i][j]: samples of true class labels[i] predicted as labels[j]. */
export function confusionMatrix(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: { labels?: Label[] } = {}): number[][] {
  paired(yTrue, yPred, 'confusionMatrix');
  const labels = options.labels ?? labelsOf(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let s = 0; s < yTrue.length; s++) {
    const i = index.get(yTrue[s]), j = index.get(yPred[s]);
    if (i !== undefined && j !== undefined) m[i][j]++;
  }
  return m;
}

/** Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (1 for a perfect fit; 0 if constant y is predicted exactly, as scikit-learn). */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  paired(yTrue, yPred, 'r2Score');
  numbers(yTrue, 'yTrue', 'r2Score');
  numbers(yPred, 'yPred', 'r2Score');
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let residual = 0, total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    residual += (yTrue[i] - yPred[i]) ** 2;
    total += (yTrue[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  paired(yTrue, yPred, 'meanSquaredError');
  numbers(yTrue, 'yTrue', 'meanSquaredError');
  numbers(yPred, 'yPred', 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return s / yTrue.length;
}

/**
 * Precision, recall, F1 and support per class, then accuracy and the macro and weighted
 * averages, laid out as scikit-learn's classification_report (a class never predicted has
 * precision 0).
 */
export function classificationReport(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: { targetNames?: string[]; digits?: number } = {}): string {
  paired(yTrue, yPred, 'classificationReport');
  const labels = labelsOf(yTrue, yPred);
  const names = options.targetNames ?? labels.map(String);
  if (names.length !== labels.length) throw new ValueError(`classificationReport: targetNames has ${names.length} names for ${labels.length} classes`);
  const digits = options.digits ?? 2;
  const m = confusionMatrix(yTrue, yPred, { labels });
  const rows = labels.map((_, i) => {
    const tp = m[i][i];
    const predicted = m.reduce((a, r) => a + r[i], 0), actual = m[i].reduce((a, b) => a + b, 0);
    const precision = predicted > 0 ? tp / predicted : 0, recall = actual > 0 ? tp / actual : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support: actual };
  });
  const total = yTrue.length;
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const pad = (s: string, w: number) => s.padStart(w);
  const num = (v: number) => pad(v.toFixed(digits), 9);
  let out = `${pad('', width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => pad(h, 9)).join(' ')}\n\n`;
  rows.forEach((r, i) => { out += `${pad(names[i], width)}  ${num(r.precision)} ${num(r.recall)} ${num(r.f1)} ${pad(String(r.support), 9)}\n`; });
  out += '\n';
  const accuracy = accuracyScore(yTrue, yPred);
  out += `${pad('accuracy', width)}  ${pad('', 9)} ${pad('', 9)} ${num(accuracy)} ${pad(String(total), 9)}\n`;
  const avg = (key: 'precision' | 'recall' | 'f1', weighted: boolean) =>
    rows.reduce((a, r) => a + r[key] * (weighted ? r.support : 1), 0) / (weighted ? total : rows.length);
  for (const [name, weighted] of [['macro avg', false], ['weighted avg', true]] as const) {
    out += `${pad(name, width)}  ${num(avg('precision', weighted))} ${num(avg('recall', weighted))} ${num(avg('f1', weighted))} ${pad(String(total), 9)}\n`;
  }
  return out;
}
