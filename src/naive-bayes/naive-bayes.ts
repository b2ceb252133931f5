// What scikit-learn's naive Bayes classifiers share (its _BaseNB and the partial_fit protocol):
// classes learnt by fit or declared on the first partialFit, incremental statistics, and
// predictions from the joint log likelihood log P(c) + log P(x | c) — predict takes its argmax,
// predictLogProba subtracts its log-sum-exp, predictProba exponentiates that.
import { exp, log } from '../elementary.js';
import { ShapeError, ValueError, describe } from '../errors.js';
import { Estimator, classifierScore, type ParamTable } from '../estimator.js';
import { encodeLabels, sortLabels, toSampleWeight, toVector, type Matrix, type MatrixLike } from '../matrix.js';

export interface NaiveBayesFitOptions {
  /** One weight ≥ 0 per sample (default: all 1). */
  sampleWeight?: ArrayLike<number>;
}

export interface PartialFitOptions extends NaiveBayesFitOptions {
  /** Every class there will be: required on the first call (the labels of one batch may not show them all). */
  classes?: ArrayLike<number | string>;
}

/** The state every naive Bayes model keeps: its classes and feature count. */
export interface NaiveBayesState {
  classes: (number | string)[];
  d: number;
}

export abstract class NaiveBayes<P extends object, S extends NaiveBayesState> extends Estimator<P, S> {
  protected constructor(table: ParamTable<P>, options: P | undefined, where: string) {
    super(table, options, where);
  }

  /** The statistics of a batch (labels: class indices), added to `state`'s when it is given. */
  protected abstract learn(data: Matrix, labels: Int32Array, classes: (number | string)[], weights: Float64Array | undefined, state: S | undefined, where: string): S;

  /** log P(c) + log P(x | c) for every row and class (rows × classes). */
  protected abstract jointLogLikelihood(data: Matrix, state: S): Float64Array;

  /** Learns from X and labels y (numbers or strings). Returns this. */
  async fit(X: MatrixLike, y: unknown, options: NaiveBayesFitOptions = {}): Promise<this> {
    const where = `${this.estimatorName}.fit`;
    const data = this.fitMatrix(X, `${where}: X`);
    const labels = encodeLabels(toVector(y, `${where}: y`, data.rows), `${where}: y`);
    const weights = toSampleWeight(options.sampleWeight, where, data.rows);
    this.setFitted(this.learn(data, labels.index, labels.classes, weights, undefined, where));
    return this;
  }

  /**
   * Learns from one more batch, as if fit had seen every batch so far at once (scikit-learn's
   * partial_fit): the first call names every class (`classes`), later ones may repeat them.
   */
  async partialFit(X: MatrixLike, y: unknown, options: PartialFitOptions = {}): Promise<this> {
    const where = `${this.estimatorName}.partialFit`;
    const before = this.isFitted ? this.fitted(where) : undefined;
    const data = before ? this.queryMatrix(X, `${where}: X`) : this.fitMatrix(X, `${where}: X`);
    if (before && data.cols !== before.d) throw new ShapeError(`${where}: X has ${data.cols} features, but earlier batches had ${before.d}`);
    const values = toVector(y, `${where}: y`, data.rows);
    let classes: (number | string)[];
    if (options.classes !== undefined) {
      const given = toVector(options.classes, `${where}: classes`, (options.classes as ArrayLike<unknown>).length);
      classes = sortLabels([...new Set(given)]);
      if (before && classes.join('\u0000') !== before.classes.join('\u0000')) {
        throw new ValueError(`${where}: classes ${describe(classes)} differ from the first call's ${describe(before.classes)}`);
      }
    } else if (before) {
      classes = before.classes;
    } else {
      throw new ValueError(`${where}: the first call needs classes (every class there will be, e.g. { classes: [0, 1, 2] })`);
    }
    const position = new Map<unknown, number>(classes.map((c, i) => [c, i]));
    const index = new Int32Array(values.length);
    values.forEach((v, i) => {
      const at = position.get(v);
      if (at === undefined) throw new ValueError(`${where}: y[${i}] is ${describe(v)}, which is not one of the classes ${describe(classes)}`);
      index[i] = at;
    });
    const weights = toSampleWeight(options.sampleWeight, where, data.rows);
    if (before) this.keepNames();
    this.setFitted(this.learn(data, index, classes, weights, before, where));
    return this;
  }

  /** The most likely class of each row. */
  predict(X: MatrixLike): (number | string)[] {
    const { jll, rows, classes } = this.joint(X, 'predict');
    const k = classes.length;
    return Array.from({ length: rows }, (_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (jll[i * k + c] > jll[i * k + best]) best = c;
      return classes[best];
    });
  }

  /** log P(c) + log P(x | c), unnormalised (rows × classes). */
  predictJointLogProba(X: MatrixLike): number[][] {
    const { jll, rows, classes } = this.joint(X, 'predictJointLogProba');
    return rowsOf(jll, rows, classes.length);
  }

  /** log P(c | x) (rows × classes). */
  predictLogProba(X: MatrixLike): number[][] {
    const { jll, rows, classes } = this.joint(X, 'predictLogProba');
    return rowsOf(normalised(jll, rows, classes.length), rows, classes.length);
  }

  /** P(c | x) (rows × classes, each row summing to 1). */
  predictProba(X: MatrixLike): number[][] {
    const { jll, rows, classes } = this.joint(X, 'predictProba');
    return rowsOf(normalised(jll, rows, classes.length).map(exp), rows, classes.length);
  }

  /** Mean accuracy on X against y. */
  score(X: MatrixLike, y: unknown): number {
    return classifierScore(this, X, y as MatrixLike, this.estimatorName);
  }

  /** The classes, in order (NumPy's: numbers ascending, strings ascending). */
  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  /** Keeps fit's column names through a later batch. */
  private keepNames(): void {
    this.rememberNames(this.fittedNames());
  }

  private joint(X: MatrixLike, method: string): { jll: Float64Array; rows: number; classes: (number | string)[] } {
    const state = this.fitted(method);
    const data = this.queryMatrix(X, `${this.estimatorName}.${method}: X`);
    if (data.cols !== state.d) throw new ShapeError(`${this.estimatorName}.${method}: X has ${data.cols} features, but ${this.estimatorName} was fitted with ${state.d}`);
    return { jll: this.jointLogLikelihood(data, state), rows: data.rows, classes: state.classes };
  }
}

/** Each row minus its log-sum-exp (max + log Σ exp(v − max)). */
function normalised(jll: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(jll.length);
  for (let i = 0; i < rows; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, jll[i * k + c]);
    let s = 0;
    for (let c = 0; c < k; c++) s += exp(jll[i * k + c] - m);
    const lse = Number.isFinite(m) ? m + log(s) : m;
    for (let c = 0; c < k; c++) out[i * k + c] = jll[i * k + c] - lse;
  }
  return out;
}

function rowsOf(values: Float64Array, rows: number, k: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * k, (i + 1) * k)));
}

/** Each class's total weight (its sample count without weights). */
export function classMass(labels: Int32Array, k: number, weights?: Float64Array): Float64Array {
  const mass = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) mass[labels[i]] += weights ? weights[i] : 1;
  return mass;
}

/** A k×d table as rows (one per class). */
export function classRows(values: Float64Array, k: number, d: number): number[][] {
  return Array.from({ length: k }, (_, c) => Array.from(values.subarray(c * d, (c + 1) * d)));
}
