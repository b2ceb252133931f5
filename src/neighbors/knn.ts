// k-nearest neighbours (scikit-learn's NearestNeighbors, KNeighborsClassifier,
// KNeighborsRegressor): brute-force search in f64 in WebAssembly (assembly/neighbors.ts),
// split across the pool by query rows; ties between equal distances go to the lower index.
import { FormatError, ShapeError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { encodeLabels, toMatrix, toTargets, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import { r2Score } from '../svm/libsvm.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';

export type Metric = 'euclidean' | 'manhattan' | 'cosine' | 'minkowski';
const METRICS: Record<Metric, number> = { euclidean: 0, manhattan: 1, cosine: 2, minkowski: 3 };

export interface NeighborsOptions {
  /** Neighbours used by predict and by kneighbors without k (default 5). */
  nNeighbors?: number;
  /** 'euclidean' (default), 'manhattan', 'cosine', or 'minkowski' with p. */
  metric?: Metric;
  /** The power of the minkowski metric, ≥ 1 (default 2: euclidean). */
  p?: number;
  /**
   * 'brute' (every sample), 'kdTree' (a kd-tree: fast in few dimensions; not for cosine), or
   * 'auto' (default: the kd-tree up to 16 features, else brute). All give the same neighbours.
   */
  algorithm?: 'auto' | 'brute' | 'kdTree';
  /** Samples per kd-tree leaf (default 30). */
  leafSize?: number;
}

export interface NeighborsPredictorOptions extends NeighborsOptions {
  /** 'uniform' (default) or 'distance' (weights 1/d; a query on a sample takes that sample's value). */
  weights?: 'uniform' | 'distance';
}

const BASE: ParamTable<NeighborsOptions> = {
  nNeighbors: rules.integer(5, 1),
  metric: rules.oneOf<Metric>('euclidean', ['euclidean', 'manhattan', 'cosine', 'minkowski']),
  p: rules.custom(2, 'a number ≥ 1', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 1),
  algorithm: rules.oneOf<'auto' | 'brute' | 'kdTree'>('auto', ['auto', 'brute', 'kdTree']),
  leafSize: rules.integer(30, 1),
};
/** Most features for which 'auto' picks the kd-tree. */
const KD_MAX_FEATURES = 16;
/** Work (queries × samples × features) above which euclidean search goes through the GEMM. */
const FAST_WORK = 1 << 22;
/** Bytes of candidate dot products computed per block of queries (fewer passes over the samples). */
const DOTS_BYTES = 128 << 20;
/** Samples per chunk of the i16 dot products (they stay in cache while the queries pass). */
const DOT_CHUNK = 64;
/** The training samples' grid, found once per fit. */
const GRIDS = new WeakMap<Matrix, ReturnType<typeof gridOf>>();
/** Candidates re-measured exactly beyond k. */
const EXTRA = 16;

const PREDICTOR: ParamTable<NeighborsPredictorOptions> = { ...BASE, weights: rules.oneOf<'uniform' | 'distance'>('uniform', ['uniform', 'distance']) };

interface Fitted {
  samples: Matrix;
  /** Class index per sample (classifier) or target (regressor). */
  targets: Float64Array;
  classes: (number | string)[];
}

/** The metric code and power the kernel uses (minkowski with p = 1 or 2 is manhattan or euclidean, exactly). */
function metricOf(o: Required<NeighborsOptions>): [number, number] {
  if (o.metric === 'minkowski' && o.p === 2) return [METRICS.euclidean, 2];
  if (o.metric === 'minkowski' && o.p === 1) return [METRICS.manhattan, 1];
  return [METRICS[o.metric], o.p];
}

/**
 * Data on a grid: every value within 1/1000 of a step of k·scale for an integer |k| ≤ 255 (bytes,
 * or bytes / 255 stored as f32), with scale 1 or 1/255 (or the one given): the integers, rows
 * padded to a multiple of 8, and each row's residual norm ‖row − scale·k‖. Null otherwise.
 */
function gridOf(M: Matrix, only?: number): { scale: number; codes: Int16Array; residual: Float64Array } | null {
  const dPad = Math.ceil(M.cols / 8) * 8;
  for (const scale of only === undefined ? [1, 1 / 255] : [only]) {
    const codes = new Int16Array(M.rows * dPad);
    const residual = new Float64Array(M.rows);
    let ok = true;
    for (let r = 0; r < M.rows && ok; r++) {
      let sum = 0;
      for (let c = 0; c < M.cols; c++) {
        const v = M.data[r * M.cols + c];
        const k = Math.round(v / scale);
        if (Math.abs(k) > 255 || Math.abs(v / scale - k) > 1e-3) {
          ok = false;
          break;
        }
        codes[r * dPad + c] = k;
        sum += (v - k * scale) ** 2;
      }
      residual[r] = Math.sqrt(sum);
    }
    if (ok) return { scale, codes, residual };
  }
  return null;
}

/** What the three estimators share: fitting stores the samples; kneighbors searches them. */
abstract class NeighborsBase<P extends NeighborsOptions> extends Estimator<P, Fitted> {
  protected store(X: MatrixLike, targets: Float64Array, classes: (number | string)[], samples?: Matrix): this {
    const data = samples ?? toMatrix(X, `${this.estimatorName}.fit: X`);
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
    const queries = self ? f.samples : toMatrix(X, `${where}: X`);
    if (queries.cols !== f.samples.cols) throw new ShapeError(`${where}: X has ${queries.cols} features, but the estimator was fitted with ${f.samples.cols}`);
    const available = f.samples.rows - (self ? 1 : 0);
    if (kk > available) throw new ValueError(`${where}: k = ${kk} neighbours were asked for, but only ${available} training samples are available`);
    const [metric, p] = metricOf(o);
    const be = backend();
    const n = f.samples.rows, d = f.samples.cols, m = queries.rows;
    return be.scoped((alloc) => {
      const f64 = (values: Float64Array) => {
        const ptr = alloc(Math.max(8, values.length * 8));
        new Float64Array(be.memory.buffer, ptr, values.length).set(values);
        return ptr;
      };
      const norms = (M: Matrix) => {
        const out = new Float64Array(M.rows);
        for (let r = 0; r < M.rows; r++) {
          let s = 0;
          for (let c = 0; c < M.cols; c++) s += M.data[r * M.cols + c] ** 2;
          out[r] = Math.sqrt(s);
        }
        return out;
      };
      const x = f64(f.samples.data);
      const q = self ? x : f64(queries.data);
      const cosine = metric === METRICS.cosine;
      const normsX = cosine ? f64(norms(f.samples)) : 0;
      const normsQ = cosine ? (self ? normsX : f64(norms(queries))) : 0;
      const idx = alloc(m * kk * 4), dist = alloc(m * kk * 8);
      if (o.algorithm === 'kdTree' && metric === METRICS.cosine) {
        throw new ValueError(`${where}: algorithm 'kdTree' does not support metric 'cosine'; use 'brute' or 'auto'`);
      }
      const kd = metric !== METRICS.cosine && (o.algorithm === 'kdTree' || (o.algorithm === 'auto' && d <= KD_MAX_FEATURES && n >= 2 * o.leafSize));
      if (kd) {
        const levels = be.exports.kdLevels(n, o.leafSize);
        const nodes = 2 ** (levels + 1) - 1;
        const order = alloc(n * 4), start = alloc(nodes * 4), end = alloc(nodes * 4), lo = alloc(nodes * d * 8), hi = alloc(nodes * d * 8);
        be.call('kdBuild', x, n, d, levels, order, start, end, lo, hi);
        const scratch = alloc(Math.max(1, be.threadsRequested) * be.exports.kdScratchBytes(d, levels) + 64);
        be.launch('kdQuery', [metric, p, q, x, d, kk, +self, levels, order, start, end, lo, hi, scratch, idx, dist], m, 1, m * kk * d * 64);
      } else if (metric === METRICS.euclidean && !self && m * n * d >= FAST_WORK && kk + EXTRA < n) {
        this.searchByGemm(alloc, f.samples, queries, x, q, kk, idx, dist);
      } else {
        be.launch('knnSearch', [metric, p, q, x, n, d, kk, normsQ, normsX, +self, idx, dist], m, 1, m * n * d);
      }
      return {
        distances: new Float64Array(be.memory.buffer, dist, m * kk).slice(),
        indices: new Int32Array(be.memory.buffer, idx, m * kk).slice(),
        rows: m, k: kk,
      };
    });
  }

  /**
   * Euclidean search for large problems: candidate distances from one f32 GEMM per block of
   * queries, the best k + EXTRA re-measured exactly in f64 (assembly/neighbors.ts knnFromDots,
   * which proves each row exact from an f32 error bound or searches that row exhaustively):
   * the same answer as the exhaustive search, at GEMM speed.
   */
  private searchByGemm(alloc: (bytes: number) => number, X: Matrix, Q: Matrix, x64: number, q64: number, k: number, idx: number, dist: number): void {
    const be = backend();
    const n = X.rows, d = X.cols, m = Q.rows;
    const sqX = alloc(n * 8);
    be.call('squaredNorms', x64, n, d, sqX);
    let maxNorm = 0;
    for (const v of new Float64Array(be.memory.buffer, sqX, n)) maxNorm = Math.max(maxNorm, Math.sqrt(v));
    // Pixels and other grid data (bytes, or bytes / 255) go through exact i16 dot products
    // (assembly/knn-dots.ts); anything else through the f32 GEMM.
    let gx = GRIDS.get(X);
    if (gx === undefined) GRIDS.set(X, (gx = gridOf(X)));
    const gq = gx ? gridOf(Q, gx.scale) : null;
    const grid = gx && gq ? { x: gx, q: gq } : null;
    const dPad = Math.ceil(d / 8) * 8;
    let x16 = 0, x32 = 0;
    if (grid) {
      x16 = alloc(n * dPad * 2);
      new Int16Array(be.memory.buffer, x16, n * dPad).set(grid.x.codes);
    } else {
      x32 = alloc(n * d * 4);
      new Float32Array(be.memory.buffer, x32, n * d).set(X.data);
    }
    const block = Math.max(2, Math.min(m, Math.floor(DOTS_BYTES / (n * 4))));
    const qBlock = alloc(block * (grid ? dPad * 2 : d * 4)), dots = alloc(block * n * 4), sqQ = alloc(block * 8), bound = alloc(block * 8);
    const scratch = alloc(Math.max(1, be.threadsRequested) * (k + EXTRA) * 12 + 64);
    const work = grid ? 0 : alloc(gemmWorkspace(be));
    const lists = grid ? alloc((Math.floor(block / 2) + 1) * (dPad / 8 + 1) * 4) : 0;
    // f32 GEMM: |fl(q·x) − q·x| ≤ (d + 2)·2⁻²⁴·‖q‖‖x‖ for f32 inputs and sums (γ_d); a² carries
    // twice that, and four times more is kept as the margin.
    const unit = 8 * (d + 2) * 2 ** -24;
    const xResidual = grid ? grid.x.residual.reduce((a, b) => Math.max(a, b), 0) : 0;
    for (let start = 0; start < m; start += block) {
      const count = Math.min(block, m - start);
      be.call('squaredNorms', q64 + start * d * 8, count, d, sqQ);
      const sq = new Float64Array(be.memory.buffer, sqQ, count);
      const b = new Float64Array(be.memory.buffer, bound, count);
      if (grid) {
        new Int16Array(be.memory.buffer, qBlock, count * dPad).set(grid.q.codes.subarray(start * dPad, (start + count) * dPad));
        for (let r = 0; r < count; r++) {
          // q = s·a + e_q, x = s·b + e_x: |q·x − s²a·b| ≤ (‖q‖ + r_q)·r_x + (‖x‖ + r_x)·r_q + r_q·r_x,
          // plus the f32 rounding of s²a·b; a² carries twice the sum.
          const norm = Math.sqrt(sq[r]), rq = grid.q.residual[start + r];
          const e = (norm + rq) * xResidual + (maxNorm + xResidual) * rq + rq * xResidual + 2 ** -23 * (norm + rq) * (maxNorm + xResidual);
          b[r] = 4 * e + 1e-9 * (sq[r] + maxNorm * maxNorm);
        }
        be.launch('dotsI16', [qBlock, x16, n, dPad, grid.x.scale * grid.x.scale, dots, DOT_CHUNK, lists], count, 2, count * n * dPad);
      } else {
        new Float32Array(be.memory.buffer, qBlock, count * d).set(Q.data.subarray(start * d, (start + count) * d));
        for (let r = 0; r < count; r++) b[r] = unit * Math.sqrt(sq[r]) * maxNorm + 1e-9 * (sq[r] + maxNorm * maxNorm);
        gemm(be, false, true, count, n, d, qBlock, d, x32, d, 0, dots, n, work);
      }
      be.launch('knnFromDots', [dots, sqQ, sqX, q64 + start * d * 8, x64, n, d, k, EXTRA, bound, scratch, idx + start * k * 4, dist + start * k * 8],
        count, 1, count * n * 8);
    }
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
    return this.store(X, new Float64Array(toMatrix(X, 'NearestNeighbors.fit: X').rows), []);
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
    const data = toMatrix(X, 'KNeighborsClassifier.fit: X');
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
    const predicted = this.predict(X);
    const truth = toVector(y, 'KNeighborsClassifier.score: y', predicted.length);
    return predicted.reduce<number>((s, v, i) => s + (v === truth[i] ? 1 : 0), 0) / predicted.length;
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
    const data = toMatrix(X, 'KNeighborsRegressor.fit: X');
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
    const p = this.predict(X);
    return r2Score(p, toTargets(y, 'KNeighborsRegressor.score: y', p.length));
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KNeighborsRegressor {
    return restoreEstimator((p) => new KNeighborsRegressor(p as NeighborsPredictorOptions), 'KNeighborsRegressor', source, readNeighbors);
  }
}
