// What SVC, SVR and OneClassSVM share: kernel options, the call into the SMO solver
// (assembly/svm/smo.ts) and the blocked kernel matrix for prediction.
import { FormatError, ShapeError, ValueError, WasmlearnError } from '../errors.js';
import { rules, type ParamRule } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Backend } from '../runtime/backend.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';

export type KernelName = 'linear' | 'poly' | 'rbf' | 'sigmoid' | 'precomputed';
const KERNEL_CODES: Record<KernelName, number> = { linear: 0, poly: 1, rbf: 2, sigmoid: 3, precomputed: 4 };

export interface KernelOptions {
  /** 'rbf' (default), 'linear', 'poly', 'sigmoid', or 'precomputed' (X is a Gram matrix). */
  kernel?: KernelName;
  /** γ of rbf, poly and sigmoid: a positive number, 'scale' (default: 1 / (features · Var(X))) or 'auto' (1 / features). */
  gamma?: number | 'scale' | 'auto';
  /** Degree of the poly kernel (default 3). */
  degree?: number;
  /** r in the poly and sigmoid kernels (default 0). */
  coef0?: number;
  /** Stopping tolerance of SMO on the maximal KKT violation (default 1e-3). */
  tol?: number;
  /** Shrinking heuristic (default true). */
  shrinking?: boolean;
  /** Kernel cache in MB (default 200). */
  cacheSize?: number;
  /** Iteration limit, or -1 (default) for libsvm's own (max(10⁷, 100·l)). */
  maxIter?: number;
}

export const KERNEL_RULES: { [K in keyof KernelOptions]-?: ParamRule<KernelOptions[K]> } = {
  kernel: rules.oneOf<KernelName>('rbf', ['linear', 'poly', 'rbf', 'sigmoid', 'precomputed']),
  gamma: rules.custom<number | 'scale' | 'auto'>('scale', "a positive number, 'scale' or 'auto'", (v) => v === 'scale' || v === 'auto' || (typeof v === 'number' && Number.isFinite(v) && v > 0)),
  degree: rules.integer(3, 0),
  coef0: rules.number(0),
  tol: rules.positive(1e-3),
  shrinking: rules.boolean(true),
  cacheSize: rules.positive(200),
  maxIter: rules.custom(-1, 'a positive integer or -1', (v) => v === -1 || (Number.isInteger(v) && (v as number) > 0)),
};

/** The kernel as the solver sees it. */
export interface Kernel {
  code: number;
  gamma: number;
  coef0: number;
  degree: number;
}

/** Resolves γ as scikit-learn does: 'scale' is 1 / (features · Var(X)) over all values of X, 'auto' 1 / features. */
export function resolveKernel(o: Required<KernelOptions>, X: Matrix, where: string): Kernel {
  if (o.kernel === 'precomputed' && X.rows !== X.cols) {
    throw new ShapeError(`${where}: with kernel 'precomputed', X must be the square Gram matrix of the training samples; received [${X.rows}, ${X.cols}]`);
  }
  let gamma: number;
  if (typeof o.gamma === 'number') gamma = o.gamma;
  else if (o.gamma === 'auto') gamma = 1 / X.cols;
  else {
    let mean = 0;
    for (const v of X.data) mean += v;
    mean /= X.data.length;
    let variance = 0;
    for (const v of X.data) variance += (v - mean) ** 2;
    variance /= X.data.length;
    gamma = variance !== 0 ? 1 / (X.cols * variance) : 1;
  }
  return { code: KERNEL_CODES[o.kernel], gamma, coef0: o.coef0, degree: o.degree };
}

/** One dual problem for the solver: variable k is sample index[k] with sign sign[k]. */
export interface Dual {
  /** Solve with libsvm's Solver_NU (NuSVC, NuSVR). */
  nu?: boolean;
  index: Int32Array;
  sign: Int32Array;
  linear: Float64Array;
  upper: Float64Array;
  alpha: Float64Array;
}

export interface Solution {
  alpha: Float64Array;
  rho: number;
  objective: number;
  iterations: number;
  /** 0: converged, 1: stopped at maxIter (scikit-learn's fit_status_). */
  status: number;
  /** Solver_NU's r (0 otherwise). */
  r: number;
}

/**
 * Solves a dual over the samples X (n×d f64 rows, or the n×n Gram matrix) with SMO. Everything
 * lives in the arena only for the call.
 */
export function solveDual(be: Backend, X: Matrix, kernel: Kernel, dual: Dual, o: Required<KernelOptions>): Solution {
  const n = X.rows, l = dual.index.length;
  const cacheRows = Math.max(2, Math.min(n, Math.floor((o.cacheSize * 2 ** 20) / (4 * n))));
  return be.scoped((alloc) => {
    const f64 = (values: Float64Array) => {
      const ptr = alloc(values.length * 8);
      new Float64Array(be.memory.buffer, ptr, values.length).set(values);
      return ptr;
    };
    const i32 = (values: Int32Array) => {
      const ptr = alloc(values.length * 4);
      new Int32Array(be.memory.buffer, ptr, values.length).set(values);
      return ptr;
    };
    const x = f64(X.data);
    const sq = alloc(n * 8);
    if (kernel.code !== KERNEL_CODES.precomputed) be.call('squaredNorms', x, n, X.cols, sq);
    const index = i32(dual.index), sign = i32(dual.sign), linear = f64(dual.linear), upper = f64(dual.upper), alpha = f64(dual.alpha);
    const cache = alloc(cacheRows * n * 4);
    const work = alloc(be.exports.smoWorkBytes(l, n, cacheRows));
    const result = alloc(40);
    const maxIter = o.maxIter === -1 ? Math.max(1e7, 100 * l) : o.maxIter;
    be.call('smoStart', l, x, n, X.cols, kernel.code, kernel.gamma, kernel.coef0, kernel.degree, sq,
      index, sign, linear, upper, alpha, o.tol, cache, cacheRows, work, dual.nu ? 1 : 0);
    // Many short calls rather than one long one: V8 replaces a WebAssembly function's baseline
    // code with optimised code only for calls that start after the optimisation finished.
    const e = be.exports;
    try {
      while (!e.smoGradient(64));
      while (!e.smoRun(200, +o.shrinking, maxIter));
    } catch (error) {
      throw new WasmlearnError(`internal error in the SMO solver: ${String(error)}; the inputs passed validation, so this is a bug in wasmlearn`, { cause: error });
    }
    be.call('smoFinish', maxIter, result);
    const r = new Float64Array(be.memory.buffer, result, 5);
    return {
      alpha: new Float64Array(be.memory.buffer, alpha, l).slice(),
      rho: r[0], objective: r[1], iterations: r[2], status: r[3], r: r[4],
    };
  });
}

const DESCRIPTOR_SLOTS = 9;

/** One of a batch of duals over the same samples: variable k is sample samples[k]. */
export interface BatchDual extends Dual {
  samples: Int32Array;
}

/**
 * Solves independent duals over the samples X (SVC's one-vs-one pairs) on the pool: every
 * thread takes the next unsolved problem until none is left (assembly/svm/smo.ts smoBatch).
 * A problem's solution does not depend on which thread solved it, so results are the same for
 * any thread count.
 */
export function solveDuals(be: Backend, X: Matrix, problems: BatchDual[], kernel: Kernel, o: Required<KernelOptions>): Solution[] {
  const precomputed = kernel.code === KERNEL_CODES.precomputed;
  const maxRows = Math.max(...problems.map((p) => p.samples.length));
  const rows = Math.max(2, Math.min(maxRows, Math.floor((o.cacheSize * 2 ** 20) / (4 * maxRows))));
  const threads = Math.max(1, be.threadsRequested);
  const scratchBytes = Math.ceil((maxRows * (precomputed ? maxRows : X.cols) * 8 + maxRows * 8 + rows * maxRows * 4 + 64
    + be.exports.smoWorkBytes(maxRows, maxRows, rows)) / 64) * 64;
  return be.scoped((alloc) => {
    const f64 = (values: Float64Array) => {
      const ptr = alloc(Math.max(8, values.length * 8));
      new Float64Array(be.memory.buffer, ptr, values.length).set(values);
      return ptr;
    };
    const i32 = (values: Int32Array) => {
      const ptr = alloc(Math.max(4, values.length * 4));
      new Int32Array(be.memory.buffer, ptr, values.length).set(values);
      return ptr;
    };
    const x = f64(X.data);
    const sq = alloc(X.rows * 8);
    if (!precomputed) be.call('squaredNorms', x, X.rows, X.cols, sq);
    const descriptors = new Float64Array(problems.length * DESCRIPTOR_SLOTS);
    const alphas = problems.map((p, t) => {
      const alpha = f64(p.alpha);
      descriptors.set([p.samples.length, i32(p.samples), i32(p.sign), f64(p.linear), f64(p.upper), alpha, o.tol,
        o.maxIter === -1 ? Math.max(1e7, 100 * p.samples.length) : o.maxIter, p.nu ? 1 : 0], t * DESCRIPTOR_SLOTS);
      return alpha;
    });
    const table = f64(descriptors);
    const results = alloc(problems.length * 40);
    const counter = alloc(4);
    new Int32Array(be.memory.buffer, counter, 1)[0] = 0;
    const scratch = alloc(scratchBytes * threads);
    // One "row" per thread: each runs the take-the-next-problem loop; the work is far above the
    // per-thread minimum whenever there are two problems or more.
    be.launch('smoBatch', [table, problems.length, results, counter, x, precomputed ? X.cols : X.cols, sq, kernel.code,
      kernel.gamma, kernel.coef0, kernel.degree, +o.shrinking, maxRows, rows, scratch, scratchBytes],
    Math.min(threads, problems.length), 1, problems.length > 1 ? 2 ** 40 : 0);
    const r = new Float64Array(be.memory.buffer, results, problems.length * 5);
    return problems.map((p, t) => ({
      alpha: new Float64Array(be.memory.buffer, alphas[t], p.samples.length).slice(),
      rho: r[5 * t], objective: r[5 * t + 1], iterations: r[5 * t + 2], status: r[5 * t + 3], r: r[5 * t + 4],
    }));
  });
}

/**
 * Calls `each(kernelPtr, start, count)` with the kernel matrix K(queries, support vectors)
 * (count × nSV f64, in the arena) for blocks of query rows. The dot products come from one f32
 * GEMM per block (threaded), the kernel from a pass over them with f64 squared norms; a
 * precomputed kernel is copied.
 */
export function kernelBlocks(
  be: Backend, alloc: (bytes: number) => number, kernel: Kernel, queries: Matrix, support: Matrix,
  each: (k: number, start: number, count: number) => void,
): void {
  const nSV = support.rows;
  const precomputed = kernel.code === KERNEL_CODES.precomputed;
  const d = precomputed ? 0 : support.cols;
  const block = Math.max(1, Math.min(queries.rows, Math.floor((16 << 20) / Math.max(1, nSV * 12))));
  const k = alloc(block * nSV * 8);
  const q64 = alloc(block * queries.cols * 8);
  if (precomputed) {
    for (let start = 0; start < queries.rows; start += block) {
      const count = Math.min(block, queries.rows - start);
      new Float64Array(be.memory.buffer, q64, count * nSV).set(queries.data.subarray(start * nSV, (start + count) * nSV));
      be.launch('kernelMatrix', [kernel.code, q64, 0, nSV, 0, 0, 0, 0, 0, 0, k], count, 1, count * nSV);
      each(k, start, count);
    }
    return;
  }
  const sv64 = alloc(nSV * d * 8);
  new Float64Array(be.memory.buffer, sv64, nSV * d).set(support.data);
  const sqSV = alloc(nSV * 8);
  be.call('squaredNorms', sv64, nSV, d, sqSV);
  const sv32 = alloc(nSV * d * 4);
  new Float32Array(be.memory.buffer, sv32, nSV * d).set(support.data);
  const q32 = alloc(block * d * 4);
  const sqQ = alloc(block * 8);
  const dots = alloc(block * nSV * 4);
  const work = alloc(gemmWorkspace(be));
  for (let start = 0; start < queries.rows; start += block) {
    const count = Math.min(block, queries.rows - start);
    const rows = queries.data.subarray(start * d, (start + count) * d);
    new Float64Array(be.memory.buffer, q64, count * d).set(rows);
    new Float32Array(be.memory.buffer, q32, count * d).set(rows);
    be.call('squaredNorms', q64, count, d, sqQ);
    gemm(be, false, true, count, nSV, d, q32, d, sv32, d, 0, dots, nSV, work);
    be.launch('kernelFromDots', [kernel.code, dots, sqQ, sqSV, nSV, kernel.gamma, kernel.coef0, kernel.degree, k], count, 1, count * nSV * 16);
    each(k, start, count);
  }
}

/** Checks that queries have the features the estimator was fitted with. */
export function checkFeatures(X: Matrix, features: number, where: string, precomputed: boolean): void {
  if (X.cols !== features) {
    throw new ShapeError(precomputed
      ? `${where}: with kernel 'precomputed', X must be the kernel between the queries and the ${features} training samples, [queries, ${features}]; received [${X.rows}, ${X.cols}]`
      : `${where}: X has ${X.cols} features, but the estimator was fitted with ${features}`);
  }
}

/** The rows of X at the given indices, as a new matrix. */
export function takeRows(X: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float64Array(rows.length * X.cols);
  for (let r = 0; r < rows.length; r++) out.set(X.data.subarray(rows[r] * X.cols, (rows[r] + 1) * X.cols), r * X.cols);
  return { data: out, rows: rows.length, cols: X.cols };
}

/** Rows and columns of a square Gram matrix at the given indices. */
export function takeGram(X: Matrix, idx: ArrayLike<number>): Matrix {
  const m = idx.length;
  const out = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) out[r * m + c] = X.data[idx[r] * X.cols + idx[c]];
  return { data: out, rows: m, cols: m };
}

/** Columns of a query kernel matrix at the given indices (the support vectors of a precomputed kernel). */
export function takeColumns(X: Matrix, cols: ArrayLike<number>): Matrix {
  const out = new Float64Array(X.rows * cols.length);
  for (let r = 0; r < X.rows; r++) for (let c = 0; c < cols.length; c++) out[r * cols.length + c] = X.data[r * X.cols + cols[c]];
  return { data: out, rows: X.rows, cols: cols.length };
}

export function checkNoNegativeWeights(w: Float64Array | undefined, where: string): void {
  if (!w) return;
  const bad = w.findIndex((v) => v < 0);
  if (bad >= 0) throw new ValueError(`${where}: sampleWeight[${bad}] must be ≥ 0; received ${w[bad]}`);
}

/** f(x) = Σ_s coef_s K(x, s) − ρ for every query (SVR and one-class: one decision function). */
export function singleDecision(be: Backend, kernel: Kernel, queries: Matrix, support: Matrix, coef: Float64Array, rho: number): Float64Array {
  const nSV = support.rows;
  const values = new Float64Array(queries.rows);
  be.scoped((alloc) => {
    // All support vectors as "class 0" of a two-class one-vs-one decision: Σ coef K − ρ.
    const start = alloc(12);
    new Int32Array(be.memory.buffer, start, 3).set([0, nSV, nSV]);
    const c = alloc(Math.max(8, nSV * 8));
    new Float64Array(be.memory.buffer, c, nSV).set(coef);
    const r = alloc(8);
    new Float64Array(be.memory.buffer, r, 1)[0] = rho;
    const block = Math.max(1, Math.min(queries.rows, Math.floor((16 << 20) / Math.max(1, nSV * 8))));
    const out = alloc(block * 8);
    kernelBlocks(be, alloc, kernel, queries, support, (k, first, count) => {
      be.launch('ovoDecision', [k, nSV, 2, start, c, r, out], count, 1, count * nSV * 2);
      values.set(new Float64Array(be.memory.buffer, out, count), first);
    });
  });
  return values;
}

/** The fitted state SVR and OneClassSVM share: one decision function. */
export interface SingleFitted {
  kernel: Kernel;
  features: number;
  support: Int32Array;
  supportVectors: Matrix;
  coef: Float64Array;
  rho: number;
  nIter: number;
  fitStatus: number;
}

/** A fitted SVM's state for saving: arrays, and the rest as JSON. */
export function savedKernel(kernel: Kernel, features: number, supportVectors: Matrix): Record<string, unknown> {
  return { kernel, features, svCols: supportVectors.cols };
}

/** Reads back what savedKernel wrote, checking it: FormatError on anything inconsistent. */
export function loadedKernel(meta: Record<string, unknown>, where: string): { kernel: Kernel; features: number; svCols: number } {
  const k = meta.kernel as Kernel | undefined;
  const ok = k && Number.isInteger(k.code) && k.code >= 0 && k.code <= 4 && [k.gamma, k.coef0].every(Number.isFinite) && Number.isInteger(k.degree)
    && Number.isInteger(meta.features) && (meta.features as number) > 0 && Number.isInteger(meta.svCols) && (meta.svCols as number) >= 0;
  if (!ok) throw new FormatError(`${where}: the saved kernel or feature count is malformed`);
  return { kernel: { code: k.code, gamma: k.gamma, coef0: k.coef0, degree: k.degree }, features: meta.features as number, svCols: meta.svCols as number };
}

export function singleToSaved(f: SingleFitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
  return {
    meta: { ...savedKernel(f.kernel, f.features, f.supportVectors), rho: f.rho, nIter: f.nIter, fitStatus: f.fitStatus },
    arrays: { support: f.support, coef: f.coef, supportVectors: f.supportVectors.data },
  };
}

export function singleFromSaved(meta: Record<string, unknown>, arrays: Record<string, Float64Array | Int32Array>, where: string): SingleFitted {
  const { kernel, features, svCols } = loadedKernel(meta, where);
  const { support, coef, supportVectors } = arrays;
  const nSV = support?.length ?? -1;
  if (!(support instanceof Int32Array) || !(coef instanceof Float64Array) || !(supportVectors instanceof Float64Array)
    || coef.length !== nSV || supportVectors.length !== nSV * svCols || !Number.isFinite(meta.rho as number)
    || ![...coef, ...supportVectors].every(Number.isFinite)) {
    throw new FormatError(`${where}: the saved support vectors and coefficients do not fit together`);
  }
  return {
    kernel, features, support, coef, supportVectors: { data: supportVectors, rows: nSV, cols: svCols },
    rho: meta.rho as number, nIter: Number(meta.nIter) || 0, fitStatus: Number(meta.fitStatus) || 0,
  };
}

/** R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², the regressors' score. */
export function r2Score(predicted: Float64Array, target: Float64Array): number {
  const mean = target.reduce((a, v) => a + v, 0) / target.length;
  let residual = 0, total = 0;
  for (let i = 0; i < target.length; i++) {
    residual += (target[i] - predicted[i]) ** 2;
    total += (target[i] - mean) ** 2;
  }
  return 1 - residual / total;
}

/** Support vectors as rows (empty rows for a precomputed kernel). */
export function supportRows(sv: Matrix): number[][] {
  return Array.from({ length: sv.rows }, (_, r) => Array.from(sv.data.subarray(r * sv.cols, (r + 1) * sv.cols)));
}
