// Typed wrappers of the neighbour searches (assembly/neighbors.ts, knn-dots.ts, kd-tree.ts): a
// k-d tree for few features, the exhaustive search, and for large euclidean problems candidates
// from one GEMM (or exact i16 dot products of grid data) re-measured exactly in f64. Every path
// gives the exhaustive f64 answer; ties between equal distances go to the lower index.
import type { Matrix } from '../matrix.js';
import type { Backend } from '../runtime/backend.js';
import { Metric as MetricCode } from '../runtime/bindings.js';
import { gemm, gemmWorkspace } from './gemm.js';
import { putF32, putF64, putI16, readF64, readI32, writeF32, writeF64, writeI16, writeI32, type Alloc } from './memory.js';
import { squaredNorms } from './svm.js';

export { MetricCode };

/** How a search measures and which structure it uses. */
export interface SearchSettings {
  metric: MetricCode;
  /** The power of the minkowski metric. */
  p: number;
  algorithm: 'auto' | 'brute' | 'kdTree';
  leafSize: number;
}

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


/**
 * The k nearest samples of each query, closest first: distances and indices (queries × k). With
 * queries null, the neighbours of every sample among the others (itself excluded).
 */
export function nearest(be: Backend, samples: Matrix, queries: Matrix | null, kk: number, o: SearchSettings): { distances: Float64Array; indices: Int32Array } {
  const { metric, p } = o;
  const self = queries === null;
  const Q = queries ?? samples;
  const n = samples.rows, d = samples.cols, m = Q.rows;
  return be.scoped((alloc) => {
    const f64 = (values: Float64Array) => putF64(be, alloc, values);
    const norms = rowNorms;
    const x = f64(samples.data);
    const q = self ? x : f64(Q.data);
    const cosine = metric === MetricCode.Cosine;
    const normsX = cosine ? f64(norms(samples)) : 0;
    const normsQ = cosine ? (self ? normsX : f64(norms(Q))) : 0;
    const idx = alloc(m * kk * 4), dist = alloc(m * kk * 8);
    const tree = kdTree(be, alloc, x, n, d, o);
    if (tree) {
      const { levels, order, start, end, lo, hi, scratch } = tree;
      be.launch('kdQuery', [metric, p, q, x, d, kk, +self, levels, order, start, end, lo, hi, scratch, idx, dist], m, 1, m * kk * d * 64);
    } else if (metric === MetricCode.Euclidean && !self && m * n * d >= FAST_WORK && kk + EXTRA < n) {
      searchByGemm(be, alloc, samples, Q, x, q, kk, idx, dist);
    } else {
      be.launch('knnSearch', [metric, p, q, x, n, d, kk, normsQ, normsX, +self, idx, dist], m, 1, m * n * d);
    }
    return { distances: readF64(be, dist, m * kk), indices: readI32(be, idx, m * kk) };
  });
}

/**
 * The kd-tree over the samples at x (n×d f64) when the settings choose it ('kdTree', or 'auto' in
 * few dimensions with enough samples; never for cosine): its arrays and per-thread scratch, or null.
 */
function kdTree(be: Backend, alloc: Alloc, x: number, n: number, d: number, o: SearchSettings):
  { levels: number; order: number; start: number; end: number; lo: number; hi: number; scratch: number } | null {
  if (o.metric === MetricCode.Cosine || !(o.algorithm === 'kdTree' || (o.algorithm === 'auto' && d <= KD_MAX_FEATURES && n >= 2 * o.leafSize))) return null;
  const levels = be.call('kdLevels', n, o.leafSize);
  const nodes = 2 ** (levels + 1) - 1;
  const order = alloc(n * 4), start = alloc(nodes * 4), end = alloc(nodes * 4), lo = alloc(nodes * d * 8), hi = alloc(nodes * d * 8);
  be.call('kdBuild', x, n, d, levels, order, start, end, lo, hi);
  const scratch = alloc(Math.max(1, be.threadsRequested) * be.call('kdScratchBytes', d, levels) + 64);
  return { levels, order, start, end, lo, hi, scratch };
}

/**
 * Every sample within `radius` of each sample (itself included; distance ≤ radius, as
 * scikit-learn's radius_neighbors) as compressed rows: sample i's neighbours are
 * indices[offsets[i] … offsets[i + 1]). By the kd-tree in few dimensions, exhaustively otherwise.
 */
export function radiusNeighbors(be: Backend, samples: Matrix, radius: number, o: SearchSettings): { offsets: Int32Array; indices: Int32Array } {
  const { metric, p } = o;
  const n = samples.rows, d = samples.cols;
  return be.scoped((alloc) => {
    const x = putF64(be, alloc, samples.data);
    const counts = alloc(n * 4), offsets = alloc((n + 1) * 4);
    const tree = kdTree(be, alloc, x, n, d, o);
    let pass: (out: number) => void;
    if (tree) {
      const { levels, order, start, end, lo, hi, scratch } = tree;
      pass = (out) => be.launch('kdRadius', [metric, p, x, x, d, radius, levels, order, start, end, lo, hi, scratch, counts, offsets, out], n, 1, n * d * 256);
    } else {
      const norms = metric === MetricCode.Cosine ? putF64(be, alloc, rowNorms(samples)) : 0;
      pass = (out) => be.launch('radiusSearch', [metric, p, x, x, n, d, radius, norms, norms, counts, offsets, out], n, 1, n * n * d);
    }
    pass(0);
    const count = readI32(be, counts, n);
    const starts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) starts[i + 1] = starts[i] + count[i];
    writeI32(be, offsets, starts);
    const out = alloc(Math.max(1, starts[n]) * 4);
    pass(out);
    return { offsets: starts, indices: readI32(be, out, starts[n]) };
  });
}

/** ‖row‖ of every row (the cosine metric's norms). */
function rowNorms(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows);
  for (let r = 0; r < M.rows; r++) {
    let s = 0;
    for (let c = 0; c < M.cols; c++) s += M.data[r * M.cols + c] ** 2;
    out[r] = Math.sqrt(s);
  }
  return out;
}

/**
 * Euclidean search for large problems: candidate distances from one f32 GEMM per block of
 * queries, the best k + EXTRA re-measured exactly in f64 (assembly/neighbors.ts knnFromDots,
 * which proves each row exact from an f32 error bound or searches that row exhaustively):
 * the same answer as the exhaustive search, at GEMM speed.
 */
function searchByGemm(be: Backend, alloc: Alloc, X: Matrix, Q: Matrix, x64: number, q64: number, k: number, idx: number, dist: number): void {
  const n = X.rows, d = X.cols, m = Q.rows;
  const sqX = alloc(n * 8);
  squaredNorms(be, x64, n, d, sqX);
  let maxNorm = 0;
  for (const v of readF64(be, sqX, n)) maxNorm = Math.max(maxNorm, Math.sqrt(v));
  // Pixels and other grid data (bytes, or bytes / 255) go through exact i16 dot products
  // (assembly/knn-dots.ts); anything else through the f32 GEMM.
  let gx = GRIDS.get(X);
  if (gx === undefined) GRIDS.set(X, (gx = gridOf(X)));
  const gq = gx ? gridOf(Q, gx.scale) : null;
  const grid = gx && gq ? { x: gx, q: gq } : null;
  const dPad = Math.ceil(d / 8) * 8;
  let x16 = 0, x32 = 0;
  if (grid) {
    x16 = putI16(be, alloc, grid.x.codes);
  } else {
    x32 = putF32(be, alloc, X.data);
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
    squaredNorms(be, q64 + start * d * 8, count, d, sqQ);
    const sq = readF64(be, sqQ, count);
    const b = new Float64Array(count);
    if (grid) {
      writeI16(be, qBlock, grid.q.codes.subarray(start * dPad, (start + count) * dPad));
      for (let r = 0; r < count; r++) {
        // q = s·a + e_q, x = s·b + e_x: |q·x − s²a·b| ≤ (‖q‖ + r_q)·r_x + (‖x‖ + r_x)·r_q + r_q·r_x,
        // plus the f32 rounding of s²a·b; a² carries twice the sum.
        const norm = Math.sqrt(sq[r]), rq = grid.q.residual[start + r];
        const e = (norm + rq) * xResidual + (maxNorm + xResidual) * rq + rq * xResidual + 2 ** -23 * (norm + rq) * (maxNorm + xResidual);
        b[r] = 4 * e + 1e-9 * (sq[r] + maxNorm * maxNorm);
      }
      writeF64(be, bound, b);
      be.launch('dotsI16', [qBlock, x16, n, dPad, grid.x.scale * grid.x.scale, dots, DOT_CHUNK, lists], count, 2, count * n * dPad);
    } else {
      writeF32(be, qBlock, Q.data.subarray(start * d, (start + count) * d));
      for (let r = 0; r < count; r++) b[r] = unit * Math.sqrt(sq[r]) * maxNorm + 1e-9 * (sq[r] + maxNorm * maxNorm);
      writeF64(be, bound, b);
      gemm(be, false, true, count, n, d, qBlock, d, x32, d, 0, dots, n, work);
    }
    be.launch('knnFromDots', [dots, sqQ, sqX, q64 + start * d * 8, x64, n, d, k, EXTRA, bound, scratch, idx + start * k * 4, dist + start * k * 8],
      count, 1, count * n * 8);
  }
}

