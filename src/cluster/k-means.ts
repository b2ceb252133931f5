// scikit-learn's KMeans: k centres that minimise the inertia Σ w‖x − c_label‖², by Lloyd's or
// Elkan's iterations from 'k-means++', 'random' or given centres, the best of nInit runs. As
// scikit-learn, the data are centred on their mean for the computation (the centres are moved
// back after), tol is relative to the data's mean variance, and a run that is not strictly
// converged ends with one more assignment so that the labels match the centres.
import { FormatError, ShapeError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, toSampleWeight, type Matrix, type MatrixLike } from '../matrix.js';
import { Generator } from '../ops/generator.js';
import { KMeansData } from '../ops/kmeans.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { warn } from '../warnings.js';
import { kmeansPlusPlus, randomCentres } from './k-means-init.js';
import { elkan, lloyd, type Run } from './k-means-runs.js';

export interface KMeansOptions {
  /** The number of clusters k (default 8). */
  nClusters?: number;
  /** 'k-means++' (default), 'random' (k distinct samples), or the k starting centres (k × features). */
  init?: 'k-means++' | 'random' | MatrixLike;
  /** Runs from different starts, the best inertia kept: an integer, or 'auto' (default: 1 for k-means++ and given centres, 10 for 'random'). */
  nInit?: number | 'auto';
  /** Iterations per run at most (default 300). */
  maxIter?: number;
  /** Convergence when the centres' squared shifts sum to at most tol × the data's mean variance (default 1e-4). */
  tol?: number;
  /** 'lloyd' (default) or 'elkan' (the same clusters, fewer distances, from triangle-inequality bounds). */
  algorithm?: 'lloyd' | 'elkan';
  /** Seed of the starting centres (null: a fresh one, or setRandomSeed's sequence). */
  seed?: number | null;
}

export interface ClusterFitOptions {
  /** One weight ≥ 0 per sample (default: all 1). */
  sampleWeight?: ArrayLike<number>;
}

interface Fitted {
  /** k×d centres. */
  centres: Float64Array;
  k: number;
  d: number;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

const isInitMatrix = (v: unknown): boolean => Array.isArray(v) || (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v);

const OPTIONS: ParamTable<KMeansOptions> = {
  nClusters: rules.integer(8, 1),
  init: rules.custom<KMeansOptions['init']>('k-means++', "'k-means++', 'random' or the starting centres (k rows of features)",
    (v) => v === 'k-means++' || v === 'random' || isInitMatrix(v)),
  nInit: rules.custom<number | 'auto'>('auto', "'auto' or an integer ≥ 1", (v) => v === 'auto' || (Number.isSafeInteger(v) && (v as number) >= 1)),
  maxIter: rules.integer(300, 1),
  tol: rules.nonNegative(1e-4),
  algorithm: rules.oneOf<'lloyd' | 'elkan'>('lloyd', ['lloyd', 'elkan']),
  seed: rules.custom(null, 'an integer in [0, 2^53) or null', (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0)),
};

/** k-means clustering (scikit-learn's KMeans). */
export class KMeans extends Estimator<KMeansOptions, Fitted> {
  constructor(options?: KMeansOptions) {
    super(OPTIONS, options, 'KMeans');
  }

  /** Learns k centres from X (samples × features); sampleWeight weighs the samples. Returns this. */
  async fit(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): Promise<this> {
    const o = this.params;
    const where = 'KMeans.fit';
    const data = this.fitMatrix(X, `${where}: X`);
    const { rows: n, cols: d } = data;
    const k = o.nClusters;
    if (n < k) throw new ValueError(`${where}: X has ${n} samples, fewer than nClusters = ${k}; k-means needs at least one sample per cluster`);
    const weights = toSampleWeight(options.sampleWeight, where, n);
    const given = typeof o.init === 'string' ? undefined : toMatrix(o.init, `${where}: init`);
    if (given && (given.rows !== k || given.cols !== d)) {
      throw new ShapeError(`${where}: init must hold nClusters = ${k} centres of ${d} features; received ${given.rows} × ${given.cols}`);
    }
    let runs = o.nInit === 'auto' ? (o.init === 'random' ? 10 : 1) : o.nInit;
    if (given && runs !== 1) {
      warn('runtime', `${where}: init gives the centres, so nInit = ${runs} runs would all be the same; running once`);
      runs = 1;
    }
    const be = backend();
    const algorithm = o.algorithm === 'elkan' && k > 1 ? elkan : lloyd;
    const { best, mean } = be.scoped((alloc) => {
      const random = Generator.seeded(be, alloc, nextSeed(o.seed ?? undefined, where));
      // Centred data: distances lose less to rounding (scikit-learn does the same).
      const samples = new KMeansData(be, alloc, data.data, n, d, k, weights, true);
      const mean = samples.mean;
      const tol = o.tol * samples.meanVariance();
      let kept: (Run & { inertia: number }) | undefined;
      for (let r = 0; r < runs; r++) {
        const start = given ? shifted(given.data, mean, -1)
          : o.init === 'random' ? randomCentres(samples, k, random) : kmeansPlusPlus(samples, k, random, weights);
        const run = algorithm(samples, start, o.maxIter, tol, weights);
        const inertia = weightedSum(samples.labelDistances(run.centres, run.labels), weights);
        // A lower inertia that is the same clustering (relabelled) is rounding, not a better run.
        if (!kept || (inertia < kept.inertia && !sameClustering(run.labels, kept.labels, k))) kept = { ...run, inertia };
      }
      return { best: kept!, mean };
    });
    const distinct = new Set(best.labels).size;
    if (distinct < k) warn('convergence', `${where}: found ${distinct} distinct clusters, fewer than nClusters = ${k} (duplicate samples?)`);
    this.setFitted({ centres: shifted(best.centres, mean, 1), k, d, labels: best.labels, inertia: best.inertia, nIter: best.nIter });
    return this;
  }

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
    return -weightedSum(distances, toSampleWeight(options.sampleWeight, 'KMeans.score', rows));
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

  /** Names of transform's columns: kmeans0, kmeans1, … (scikit-learn's). */
  getFeatureNamesOut(): string[] {
    return Array.from({ length: this.fitted('getFeatureNamesOut').k }, (_, j) => `kmeans${j}`);
  }

  private checked(X: MatrixLike, method: string): Matrix {
    const f = this.fitted(method);
    const data = this.queryMatrix(X, `KMeans.${method}: X`);
    if (data.cols !== f.d) throw new ShapeError(`KMeans.${method}: X has ${data.cols} features, but KMeans was fitted with ${f.d}`);
    return data;
  }

  private nearest(X: MatrixLike, method: string): { labels: Int32Array; distances: Float64Array; rows: number } {
    const f = this.fitted(method);
    const data = this.checked(X, method);
    const be = backend();
    return { ...be.scoped((alloc) => new KMeansData(be, alloc, data.data, data.rows, f.d, f.k).assign(f.centres)), rows: data.rows };
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { k: f.k, d: f.d, inertia: f.inertia, nIter: f.nIter }, arrays: { centres: f.centres, labels: f.labels } };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KMeans {
    return restoreEstimator((p) => new KMeans(p as KMeansOptions), 'KMeans', source, (meta, a, where) => {
      const { k, d, inertia, nIter } = meta as Record<string, number>;
      if (!Number.isInteger(k) || k < 1 || !Number.isInteger(d) || d < 1 || !(a.centres instanceof Float64Array) || a.centres.length !== k * d
        || !a.centres.every(Number.isFinite) || !(a.labels instanceof Int32Array) || !a.labels.every((v) => v >= 0 && v < k)
        || typeof inertia !== 'number' || !(inertia >= 0) || !Number.isInteger(nIter) || nIter < 1) {
        throw new FormatError(`${where}: the saved k-means is malformed`);
      }
      return { centres: a.centres, k, d, labels: a.labels, inertia, nIter };
    });
  }
}

/** Rows of points (×d) with sign·mean added to each. */
function shifted(points: Float64Array, mean: Float64Array, sign: number): Float64Array {
  const d = mean.length;
  return points.map((v, i) => v + sign * mean[i % d]);
}

function weightedSum(values: Float64Array, weights?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += weights ? weights[i] * values[i] : values[i];
  return s;
}

/** Whether two labellings are the same partition up to renaming (scikit-learn's _is_same_clustering). */
function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (map[a[i]] === -1) map[a[i]] = b[i];
    else if (map[a[i]] !== b[i]) return false;
  }
  return true;
}
