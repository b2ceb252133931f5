// scikit-learn's LabelEncoder: target labels (numbers or strings) to 0 … k − 1 in sorted label
// order, and back. It takes y, not X.
import { FormatError, ValueError, describe } from '../errors.js';
import { Estimator, restoreEstimator } from '../estimator.js';
import { encodeLabels, toVector } from '../matrix.js';

export type ClassLabel = number | string;

export interface LabelClasses {
  classes: ClassLabel[];
}

/** y as labels: an array (or vector) of numbers or strings. */
export function labelsOf(y: unknown, where: string): ClassLabel[] {
  const n = (y as { length?: number })?.length ?? (y as { shape?: number[] })?.shape?.[0];
  if (typeof n !== 'number' || n === 0) throw new ValueError(`${where} must be a non-empty array of labels; received ${describe(y)}`);
  return toVector(y, where, n);
}

/** The saved classes read back (FormatError naming `what` when malformed). */
export function readClasses(meta: Record<string, unknown>, where: string, what: string): LabelClasses {
  const c = meta.classes;
  if (!Array.isArray(c) || c.length === 0 || !(c.every((v) => typeof v === 'number') || c.every((v) => typeof v === 'string')) || new Set<unknown>(c).size !== c.length) {
    throw new FormatError(`${where}: the saved ${what} is malformed`);
  }
  return { classes: c as ClassLabel[] };
}

/** Codes labels as 0 … k − 1. */
export class LabelEncoder extends Estimator<Record<string, never>, LabelClasses> {
  constructor(options?: Record<string, never>) {
    super({}, options, 'LabelEncoder');
  }

  /** Learns the sorted distinct labels of y. */
  async fit(y: unknown): Promise<this> {
    this.setFitted({ classes: encodeLabels(labelsOf(y, 'LabelEncoder.fit: y'), 'LabelEncoder.fit: y').classes });
    return this;
  }

  get classes(): ClassLabel[] {
    return this.fitted('classes').classes.slice();
  }

  /** Each label's code; a label fit did not see is refused, naming it. */
  transform(y: unknown): Int32Array {
    const { classes } = this.fitted('LabelEncoder.transform');
    const index = new Map(classes.map((c, i) => [c, i]));
    const labels = labelsOf(y, 'LabelEncoder.transform: y');
    const unseen = [...new Set(labels.filter((v) => !index.has(v)))];
    if (unseen.length) throw new ValueError(`LabelEncoder.transform: y contains labels fit did not see: ${unseen.slice(0, 8).map((v) => describe(v)).join(', ')}`);
    return Int32Array.from(labels, (v) => index.get(v)!);
  }

  async fitTransform(y: unknown): Promise<Int32Array> {
    await this.fit(y);
    return this.transform(y);
  }

  /** The labels of codes. */
  inverseTransform(codes: ArrayLike<number>): ClassLabel[] {
    const { classes } = this.fitted('LabelEncoder.inverseTransform');
    const values = labelsOf(codes, 'LabelEncoder.inverseTransform: codes');
    return values.map((c, i) => {
      if (!Number.isInteger(c) || (c as number) < 0 || (c as number) >= classes.length) throw new ValueError(`LabelEncoder.inverseTransform: codes[${i}] must be an integer in [0, ${classes.length}); received ${describe(c)}`);
      return classes[c as number];
    });
  }

  protected toSaved(s: LabelClasses): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return { meta: { classes: s.classes }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): LabelEncoder {
    return restoreEstimator((p) => new LabelEncoder(p as Record<string, never>), 'LabelEncoder', source, (meta, _a, where) => readClasses(meta, where, 'label encoder'));
  }
}
