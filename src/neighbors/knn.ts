// k-nearest neighbours (scikit-learn's NearestNeighbors, KNeighborsClassifier,
// KNeighborsRegressor): brute-force search in f64 in WebAssembly (assembly/neighbors.ts),
// split across the pool by query rows; ties between equal distances go to the lower index.
import { FormatError, ShapeError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore, regressorScore } from '../estimator.js';
import { encodeLabels, toTargets, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import { MetricCode, nearest } from '../ops/neighbors.js';
import { BASE, metricOf, type NeighborsOptions } from './search-options.js';

export type { Metric, NeighborsOptions } from './search-options.js';

export interface NeighborsPredictorOptions extends NeighborsOptions {
  /** 'uniform' (default) or 'distance' (weights 1/d; a query on a sample takes that sample's value). */
  weights?: 'uniform' | 'distance';
}

const PREDICTOR: ParamTable<NeighborsPredictorOptions> = { ...BASE, weights: rules.oneOf<'uniform' | 'distance'>('uniform', ['uniform', 'distance']) };

interface Fitted {
  samples: Matrix;
  /** Class index per sample (classifier) or target (regressor). */
  targets: Float64Array;
  classes: (number | string)[];
}

/** What the three estimators share: fitting stores the samples; kneighbors searches them. */
abstract class NeighborsBase<P extends NeighborsOptions> extends Estimator<P, Fitted> {
  protected store(X: MatrixLike, targets: Float64Array, classes: (number | string)[], samples?: Matrix): this {
    const data = samples ?? this.fitMatrix(X, `${this.estimatorName}.fit: X`);
    this.setFitted({ samples: data, targets, classes });
    return this;
  }

  /**
   * The k nearest training samples of each query (default: nNeighbors), closest first:
   * distances and indices, queries × k. Without X, the neighbours of every training sample
   * among the others (itself excluded), as scikit-learn.
   */
  kneighbors(X?: MatrixLike | null, k?: number): { distances: number[][]; indices: number[][] } {
    const { distances, indices, rows, k: kk } = this.search(X ?? undefined, k, `${this.estimatorName}.kneighbors`);
    return {
      distances: Array.from({ length: rows }, (_, r) => Array.from(distances.subarray(r * kk, (r + 1) * kk))),
      indices: Array.from({ length: rows }, (_, r) => Array.from(indices.subarray(r * kk, (r + 1) * kk))),
    };
  }

  protected search(X: MatrixLike | undefined, k: number | undefined, where: string): { distances: Float64Array; indices: Int32Array; rows: number; k: number } {
    const f = this.fitted(where);
    const o = this.params as Required<NeighborsOptions>;
    const kk = k ?? o.nNeighbors;
    if (!Number.isInteger(kk) || kk < 1) throw new ValueError(`${where}: k must be a positive integer; received ${String(kk)}`);
    const self = X === undefined;
    const queries = self ? f.samples : this.queryMatrix(X, `${where}: X`);
    if (queries.cols !== f.samples.cols) throw new ShapeError(`${where}: X has ${queries.cols} features, but the estimator was fitted with ${f.samples.cols}`);
    const available = f.samples.rows - (self ? 1 : 0);
    if (kk > available) throw new ValueError(`${where}: k = ${kk} neighbours were asked for, but only ${available} training samples are available`);
    const [metric, p] = metricOf(o);
    if (o.algorithm === 'kdTree' && metric === MetricCode.Cosine) {
      throw new ValueError(`${where}: algorithm 'kdTree' does not support metric 'cosine'; use 'brute' or 'auto'`);
    }
    const { distances, indices } = nearest(backend(), f.samples, self ? null : queries, kk, { metric, p, algorithm: o.algorithm, leafSize: o.leafSize });
    return { distances, indices, rows: queries.rows, k: kk };
  }

  /** Per query, the neighbours' weights (uniform 1, or 1/d with exact matches taking all the weight). */
  protected weightsOf(distances: Float64Array, rows: number, k: number): Float64Array {
    const w = new Float64Array(rows * k).fill(1);
    if ((this.params as unknown as Required<NeighborsPredictorOptions>).weights !== 'distance') return w;
    for (let r = 0; r < rows; r++) {
      let exact = false;
      for (let j = 0; j < k; j++) if (distances[r * k + j] === 0) exact = true;
      for (let j = 0; j < k; j++) {
        const dd = distances[r * k + j];
        w[r * k + j] = exact ? (dd === 0 ? 1 : 0) : 1 / dd;
      }
    }
    return w;
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { rows: f.samples.rows, cols: f.samples.cols, classes: f.classes }, arrays: { samples: f.samples.data, targets: f.targets } };
  }
}

function readNeighbors(meta: Record<string, unknown>, arrays: Record<string, Float64Array | Int32Array>, where: string): Fitted {
  const { samples, targets } = arrays;
  const rows = meta.rows as number, cols = meta.cols as number;
  const classes = meta.classes as (number | string)[];
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || !(samples instanceof Float64Array) || samples.length !== rows * cols
    || !(targets instanceof Float64Array) || targets.length !== rows || !Array.isArray(classes) || ![...samples, ...targets].every(Number.isFinite)) {
    throw new FormatError(`${where}: the saved samples and targets do not fit together`);
  }
  return { samples: { data: samples, rows, cols }, targets, classes };
}

/**
 * Unsupervised neighbour search (scikit-learn's NearestNeighbors): fit stores the samples,
 * kneighbors finds the nearest ones.
 */
export class NearestNeighbors extends NeighborsBase<NeighborsOptions> {
  constructor(options?: NeighborsOptions) {
    super(BASE, options, 'NearestNeighbors');
  }

  async fit(X: MatrixLike, _y?: unknown): Promise<this> {
    return this.store(X, new Float64Array(this.fitMatrix(X, 'NearestNeighbors.fit: X').rows), []);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): NearestNeighbors {
    return restoreEstimator((p) => new NearestNeighbors(p as NeighborsOptions), 'NearestNeighbors', source, readNeighbors);
  }
}

/** Classification by the (weighted) vote of the k nearest training samples. */
export class KNeighborsClassifier extends NeighborsBase<NeighborsPredictorOptions> {
  constructor(options?: NeighborsPredictorOptions) {
    super(PREDICTOR, options, 'KNeighborsClassifier');
  }

  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): Promise<this> {
    const data = this.fitMatrix(X, 'KNeighborsClassifier.fit: X');
    const labels = encodeLabels(toVector(y, 'KNeighborsClassifier.fit: y', data.rows), 'KNeighborsClassifier.fit: y');
    return this.store(X, Float64Array.from(labels.index), labels.classes, data);
  }

  /** Class probabilities, queries × classes: the neighbours' normalised weights per class. */
  predictProba(X: MatrixLike): number[][] {
    const f = this.fitted('KNeighborsClassifier.predictProba');
    const { distances, indices, rows, k } = this.search(X, undefined, 'KNeighborsClassifier.predictProba');
    const w = this.weightsOf(distances, rows, k);
    return Array.from({ length: rows }, (_, r) => {
      const votes = new Array<number>(f.classes.length).fill(0);
      for (let j = 0; j < k; j++) votes[f.targets[indices[r * k + j]]] += w[r * k + j];
      const total = votes.reduce((a, b) => a + b, 0);
      return votes.map((v) => v / total);
    });
  }

  /** The class with the largest (weighted) vote; ties go to the class that sorts first. */
  predict(X: MatrixLike): (number | string)[] {
    const classes = this.fitted('KNeighborsClassifier.predict').classes;
    return this.predictProba(X).map((row) => classes[row.indexOf(Math.max(...row))]);
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KNeighborsClassifier {
    return restoreEstimator((p) => new KNeighborsClassifier(p as NeighborsPredictorOptions), 'KNeighborsClassifier', source, readNeighbors);
  }
}

/** Regression by the (weighted) mean of the k nearest training samples' targets. */
export class KNeighborsRegressor extends NeighborsBase<NeighborsPredictorOptions> {
  constructor(options?: NeighborsPredictorOptions) {
    super(PREDICTOR, options, 'KNeighborsRegressor');
  }

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike): Promise<this> {
    const data = this.fitMatrix(X, 'KNeighborsRegressor.fit: X');
    return this.store(X, toTargets(y, 'KNeighborsRegressor.fit: y', data.rows), [], data);
  }

  predict(X: MatrixLike): Float64Array {
    const f = this.fitted('KNeighborsRegressor.predict');
    const { distances, indices, rows, k } = this.search(X, undefined, 'KNeighborsRegressor.predict');
    const w = this.weightsOf(distances, rows, k);
    return Float64Array.from({ length: rows }, (_, r) => {
      let sum = 0, total = 0;
      for (let j = 0; j < k; j++) {
        sum += w[r * k + j] * f.targets[indices[r * k + j]];
        total += w[r * k + j];
      }
      return sum / total;
    });
  }

  /** R² of the predictions on (X, y). */
  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KNeighborsRegressor {
    return restoreEstimator((p) => new KNeighborsRegressor(p as NeighborsPredictorOptions), 'KNeighborsRegressor', source, readNeighbors);
  }
}
