// scikit-learn's classification_report: precision, recall, F1 and support per label, then accuracy
// (or the micro average) and the macro, weighted (and for indicator matrices, samples) averages,
// as its text table or as its dictionary.
import { ValueError, describe } from '../errors.js';
import { precisionRecallFscoreSupport, type Average } from './classification.js';
import { classificationTargets, uniqueLabels, type Label, type Labels } from './targets.js';

export interface ClassificationReportOptions {
  /** The labels to report and their order (default: all of both arrays, sorted). */
  labels?: Label[];
  /** A display name per label. */
  targetNames?: string[];
  /** Digits after the point in the text (default 2). */
  digits?: number;
  /** Return scikit-learn's dictionary instead of the text. */
  outputDict?: boolean;
  zeroDivision?: 'warn' | 0 | 1;
}

export type ReportRow = { precision: number; recall: number; 'f1-score': number; support: number };

/** x with `digits` decimals, ties to even as Python's format (JS's toFixed rounds them up). */
export function formatFixed(x: number, digits: number): string {
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const tail = exact.slice(exact.length - 30);
  if (tail === '5'.padEnd(30, '0')) {
    const head = exact.slice(0, exact.length - 30).replace(/\.$/, '');
    const last = Number(head[head.length - 1]);
    if (last % 2 === 0) return (x < 0 ? '-' : '') + head;
  }
  return x.toFixed(digits);
}

/** The report of yPred against yTrue, as text (or the dictionary with outputDict). */
export function classificationReport(yTrue: Labels, yPred: Labels, options: ClassificationReportOptions = {}): string | Record<string, ReportRow | number> {
  const where = 'classificationReport';
  const type = classificationTargets(yTrue, yPred, where);
  const given = options.labels !== undefined;
  const labels: Label[] = options.labels ?? (type === 'multilabel-indicator' ? Array.from({ length: (yTrue[0] as ArrayLike<number>).length }, (_, j) => j) : uniqueLabels(where, yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>));
  const present = type === 'multilabel-indicator' ? labels : uniqueLabels(where, yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>);
  const microIsAccuracy = type !== 'multilabel-indicator' && (!given || (labels.length === present.length && present.every((l) => labels.includes(l))));
  const names = options.targetNames ?? labels.map(String);
  if (!Array.isArray(names) || names.length !== labels.length) throw new ValueError(`${where}: targetNames must give a name to each of the ${labels.length} labels; received ${describe(options.targetNames)}`);
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new ValueError(`${where}: digits must be an integer from 0 to 20; received ${describe(digits)}`);
  const per = precisionRecallFscoreSupport(yTrue, yPred, { labels, average: null, zeroDivision: options.zeroDivision });
  const [p, r, f, s] = [per.precision, per.recall, per.fScore, per.support] as Float64Array[];
  const total = s.reduce((a, b) => a + b, 0);
  const averages: Average[] = type === 'multilabel-indicator' ? ['micro', 'macro', 'weighted', 'samples'] : ['micro', 'macro', 'weighted'];
  const rows: [string, ReportRow][] = names.map((n, i) => [n, { precision: p[i], recall: r[i], 'f1-score': f[i], support: s[i] }]);
  const summary: [string, ReportRow][] = averages.map((average) => {
    const a = precisionRecallFscoreSupport(yTrue, yPred, { labels, average, zeroDivision: options.zeroDivision });
    const heading = average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`;
    return [heading, { precision: a.precision as number, recall: a.recall as number, 'f1-score': a.fScore as number, support: total }];
  });
  if (options.outputDict) {
    return Object.fromEntries([...rows, ...summary].map(([k, v]) => [k, k === 'accuracy' ? v.precision : v]));
  }
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const cell = (v: string) => v.padStart(9);
  const num = (v: number) => cell(formatFixed(v, digits));
  let out = `${''.padStart(width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${cell(h)}`).join('')}\n\n`;
  const line = ([name, v]: [string, ReportRow]) => `${name.padStart(width)}  ${num(v.precision)} ${num(v.recall)} ${num(v['f1-score'])} ${cell(String(v.support))}\n`;
  out += rows.map(line).join('') + '\n';
  for (const [name, v] of summary) {
    out += name === 'accuracy' ? `${name.padStart(width)}  ${cell('')} ${cell('')} ${num(v['f1-score'])} ${cell(String(v.support))}\n` : line([name, v]);
  }
  return out;
}
