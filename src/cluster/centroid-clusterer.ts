// What k-means and mini-batch k-means share once fitted: k centres, and each sample's nearest
// one. predict, transform (the distances to every centre), score (−inertia), the fitted
// attributes, saving; the nearest centre is found exactly (ops/kmeans.ts).
import type { CancelOptions } from '../cancel.js';
import { FormatError, ShapeError, ValueError } from '../errors.js';
import { Estimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, toSampleWeight, type Matrix, type MatrixLike } from '../matrix.js';
import { warn } from '../warnings.js';
import { KMeansData } from '../ops/kmeans.js';
import { backend } from '../runtime/backend.js';

/** fit's options; `signal` / `timeoutMs` stop the fit between iterations (an AbortError; the model is left as it was). */
export interface ClusterFitOptions extends CancelOptions {
  /** One weight ≥ 0 per sample (default: all 1). */
  sampleWeight?: ArrayLike<number>;
}

export interface Centres {
  /** k×d centres. */
  centres: Float64Array;
  k: number;
  d: number;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** The options every k-means estimator has: k, the start, how many starts, the seed. */
export interface StartOptions {
  /** The number of clusters k (default 8). */
  nClusters?: number;
  /** 'k-means++' (default), 'random' (k distinct samples), or the k starting centres (k × features). */
  init?: 'k-means++' | 'random' | MatrixLike;
  /** Starts tried, the best kept: an integer, or 'auto' (default: 1 for k-means++ and given centres, more for 'random'). */
  nInit?: number | 'auto';
  /** Seed of the starts (null: a fresh one, or setRandomSeed's sequence). */
  seed?: number | null;
}

const isMatrix = (v: unknown): boolean => Array.isArray(v) || (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v);

export const START_RULES: ParamTable<StartOptions> = {
  nClusters: rules.integer(8, 1),
  init: rules.custom<StartOptions['init']>('k-means++', "'k-means++', 'random' or the starting centres (k rows of features)",
    (v) => v === 'k-means++' || v === 'random' || isMatrix(v)),
  nInit: rules.custom<number | 'auto'>('auto', "'auto' or an integer ≥ 1", (v) => v === 'auto' || (Number.isSafeInteger(v) && (v as number) >= 1)),
  seed: rules.seed(),
};

/**
 * The start the options give for data of n samples: the given centres (k×d, checked), or
 * undefined for 'k-means++' / 'random', and how many starts to try — nInit, with 'auto' 1 for
 * k-means++ and given centres and `randomStarts` for 'random'; given centres start once. Fewer
 * samples than clusters are refused.
 */
export function startsOf(o: Required<StartOptions>, data: Matrix, randomStarts: number, where: string): { given: Float64Array | undefined; starts: number } {
  const k = o.nClusters;
  if (data.rows < k) throw new ValueError(`${where}: X has ${data.rows} samples, fewer than nClusters = ${k}; k-means needs at least one sample per cluster`);
  let given: Float64Array | undefined;
  if (typeof o.init !== 'string') {
    const m = toMatrix(o.init, `${where}: init`);
    if (m.rows !== k || m.cols !== data.cols) throw new ShapeError(`${where}: init must hold nClusters = ${k} centres of ${data.cols} features; received ${m.rows} × ${m.cols}`);
    given = m.data;
  }
  let starts = o.nInit === 'auto' ? (o.init === 'random' ? randomStarts : 1) : o.nInit;
  if (given && starts !== 1) {
    warn('runtime', `${where}: init gives the centres, so nInit = ${starts} starts would all be the same; starting once`);
    starts = 1;
  }
  return { given, starts };
}

export abstract class CentroidClusterer<P extends object, S extends Centres = Centres> extends Estimator<P, S> {
  /** Learns the centres from X. Returns this. */
  abstract fit(X: MatrixLike, y?: unknown, options?: ClusterFitOptions): Promise<this>;

  /** The nearest centre's index for each row of X. */
  predict(X: MatrixLike): Int32Array {
    return this.nearest(X, 'predict').labels;
  }

  /** Fits, then returns the training samples' clusters. */
  async fitPredict(X: MatrixLike, y?: unknown, options?: ClusterFitOptions): Promise<Int32Array> {
    await this.fit(X, y, options);
    return this.labels;
  }

  /** The distance from each row of X to every centre (rows × k): the cluster-distance space. */
  transform(X: MatrixLike): number[][] {
    const f = this.fitted('transform');
    const data = this.checked(X, 'transform');
    const squared = backend().scoped((alloc) => new KMeansData(backend(), alloc, data.data, data.rows, f.d, f.k).squaredDistancesTo(f.centres, f.k));
    return Array.from({ length: data.rows }, (_, i) => Array.from({ length: f.k }, (_, j) => Math.sqrt(squared[j * data.rows + i])));
  }

  /** Fits, then transforms the training samples. */
  async fitTransform(X: MatrixLike, y?: unknown, options?: ClusterFitOptions): Promise<number[][]> {
    await this.fit(X, y, options);
    return this.transform(X);
  }

  /** The opposite of X's inertia on the fitted centres (higher is better, as scikit-learn's score). */
  score(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): number {
    const { distances, rows } = this.nearest(X, 'score');
    return -weightedSum(distances, toSampleWeight(options.sampleWeight, `${this.estimatorName}.score`, rows));
  }

  /** The centres (k × features). */
  get clusterCenters(): number[][] {
    const f = this.fitted('clusterCenters');
    return Array.from({ length: f.k }, (_, j) => Array.from(f.centres.subarray(j * f.d, (j + 1) * f.d)));
  }

  /** Each training sample's cluster. */
  get labels(): Int32Array {
    return this.fitted('labels').labels.slice();
  }

  /** Σ w‖x − c_label‖² over the training samples. */
  get inertia(): number {
    return this.fitted('inertia').inertia;
  }

  /** Iterations of the kept run. */
  get nIter(): number {
    return this.fitted('nIter').nIter;
  }

  /** Names of transform's columns: kmeans0, kmeans1, … (scikit-learn's: the class name in lower case). */
  getFeatureNamesOut(): string[] {
    return Array.from({ length: this.fitted('getFeatureNamesOut').k }, (_, j) => `${this.estimatorName.toLowerCase()}${j}`);
  }

  protected checked(X: MatrixLike, method: string): Matrix {
    const f = this.fitted(method);
    const data = this.queryMatrix(X, `${this.estimatorName}.${method}: X`);
    if (data.cols !== f.d) throw new ShapeError(`${this.estimatorName}.${method}: X has ${data.cols} features, but ${this.estimatorName} was fitted with ${f.d}`);
    return data;
  }

  protected nearest(X: MatrixLike, method: string): { labels: Int32Array; distances: Float64Array; rows: number } {
    const f = this.fitted(method);
    const data = this.checked(X, method);
    const be = backend();
    return { ...be.scoped((alloc) => new KMeansData(be, alloc, data.data, data.rows, f.d, f.k).assign(f.centres)), rows: data.rows };
  }

  protected toSaved(f: S): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { k: f.k, d: f.d, inertia: f.inertia, nIter: f.nIter }, arrays: { centres: f.centres, labels: f.labels } };
  }

}

/** The state of a saved k-means, checked. */
export function readCentres(meta: Record<string, unknown>, a: Record<string, Float64Array | Int32Array>, where: string): Centres {
  const { k, d, inertia, nIter } = meta as Record<string, number>;
  if (!Number.isInteger(k) || k < 1 || !Number.isInteger(d) || d < 1 || !(a.centres instanceof Float64Array) || a.centres.length !== k * d
    || !a.centres.every(Number.isFinite) || !(a.labels instanceof Int32Array) || !a.labels.every((v) => v >= 0 && v < k)
    || typeof inertia !== 'number' || !(inertia >= 0) || !Number.isInteger(nIter) || nIter < 1) {
    throw new FormatError(`${where}: the saved k-means is malformed`);
  }
  return { centres: a.centres, k, d, labels: a.labels, inertia, nIter };
}

export function weightedSum(values: Float64Array, weights?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += weights ? weights[i] * values[i] : values[i];
  return s;
}

/** Whether two labellings are the same partition up to renaming (scikit-learn's _is_same_clustering). */
export function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (map[a[i]] === -1) map[a[i]] = b[i];
    else if (map[a[i]] !== b[i]) return false;
  }
  return true;
}
