// scikit-learn's LabelBinarizer: target labels to one column per class (posLabel where the sample
// has the class, negLabel elsewhere) — one column for two classes — and back (the class of the
// largest column, or for one column the side of the threshold). It takes y, not X.
import { ValueError, describe } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { encodeLabels } from '../matrix.js';
import { labelsOf, readClasses, type ClassLabel, type LabelClasses } from './label-encoder.js';

export interface LabelBinarizerOptions {
  /** The value of the columns a sample's class is not (default 0). */
  negLabel?: number;
  /** The value of the column of a sample's class (default 1; greater than negLabel). */
  posLabel?: number;
}

/** One column per class (one for two classes). */
export class LabelBinarizer extends Estimator<LabelBinarizerOptions, LabelClasses> {
  constructor(options?: LabelBinarizerOptions) {
    super({ negLabel: rules.number(0), posLabel: rules.number(1) } satisfies ParamTable<LabelBinarizerOptions>, options, 'LabelBinarizer');
    if (this.params.negLabel >= this.params.posLabel) throw new ValueError(`LabelBinarizer: negLabel (${this.params.negLabel}) must be less than posLabel (${this.params.posLabel})`);
  }

  async fit(y: unknown): Promise<this> {
    this.setFitted({ classes: encodeLabels(labelsOf(y, 'LabelBinarizer.fit: y'), 'LabelBinarizer.fit: y').classes });
    return this;
  }

  get classes(): ClassLabel[] {
    return this.fitted('classes').classes.slice();
  }

  /** The rows of posLabel / negLabel; a label fit did not see has negLabel everywhere (scikit-learn's rule). */
  transform(y: unknown): number[][] {
    const { classes } = this.fitted('LabelBinarizer.transform');
    const { negLabel: neg, posLabel: pos } = this.params;
    const labels = labelsOf(y, 'LabelBinarizer.transform: y');
    if (classes.length <= 2) return labels.map((v) => [classes.length === 2 && v === classes[1] ? pos : neg]);
    return labels.map((v) => classes.map((c) => (c === v ? pos : neg)));
  }

  async fitTransform(y: unknown): Promise<number[][]> {
    await this.fit(y);
    return this.transform(y);
  }

  /** Labels back: the class of each row's largest value (first on ties), or for one column the greater class where the value passes threshold (default the middle of negLabel and posLabel). */
  inverseTransform(Y: ArrayLike<ArrayLike<number>>, threshold?: number): ClassLabel[] {
    const where = 'LabelBinarizer.inverseTransform';
    const { classes } = this.fitted(where);
    const width = classes.length <= 2 ? 1 : classes.length;
    if (!Array.isArray(Y) && !ArrayBuffer.isView(Y)) throw new ValueError(`${where}: Y must be rows of ${width} values; received ${describe(Y)}`);
    const cut = threshold ?? (this.params.negLabel + this.params.posLabel) / 2;
    return Array.from(Y as ArrayLike<ArrayLike<number>>, (row, i) => {
      if (!row || row.length !== width) throw new ValueError(`${where}: Y[${i}] must hold ${width} values; received ${describe(row)}`);
      if (width === 1) return classes.length === 1 ? classes[0] : classes[row[0] > cut ? 1 : 0];
      let best = 0;
      for (let j = 1; j < width; j++) if (row[j] > row[best]) best = j;
      return classes[best];
    });
  }

  protected toSaved(s: LabelClasses): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return { meta: { classes: s.classes }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): LabelBinarizer {
    return restoreEstimator((p) => new LabelBinarizer(p as LabelBinarizerOptions), 'LabelBinarizer', source, (meta, _a, where) => readClasses(meta, where, 'label binarizer'));
  }
}
