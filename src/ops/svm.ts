// Typed wrappers of the SVM kernels (assembly/svm/): the SMO solver for one dual or a batch of
// them on the pool, the blocked kernel matrix between queries and support vectors, and one-vs-one
// decision values. The estimators (src/svm/) set problems up and read solutions; everything that
// lives in the module lives here, for the call only.
import { WasmlearnError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { Backend } from '../runtime/backend.js';
import { Kernel as KernelCode, SMO_DESCRIPTOR_SLOTS, SMO_RESULT_SLOTS, SMO_STATE_BYTES } from '../runtime/bindings.js';
import { gemm, gemmWorkspace } from './gemm.js';
import { fillI32, loadI32, putF64, putI32, readF64, writeF32, writeF64, type Alloc } from './memory.js';
import type { Cancellation } from '../cancel.js';

export { KernelCode };

/** The kernel as the solver sees it. */
export interface Kernel {
  code: KernelCode;
  gamma: number;
  coef0: number;
  degree: number;
}

/** The solver's settings (the estimators' kernel options). */
export interface SolverSettings {
  /** Stopping tolerance on the maximal KKT violation. */
  tol: number;
  shrinking: boolean;
  /** Kernel cache in MB. */
  cacheSize: number;
  /** Iteration limit, or −1 for libsvm's own (max(10⁷, 100·l)). */
  maxIter: number;
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

/** One of a batch of duals over the same samples: variable k is sample samples[k]. */
export interface BatchDual extends Dual {
  samples: Int32Array;
}

/** A solver slice runs about this long between two checks for an abort (cancel.ts YIELD_MS). */
const SLICE_MS = 15;
/** Steps (gradient rows, iterations) of smoBatch's first slice, and the bounds of later ones. */
const FIRST_BUDGET = 200;
const MIN_BUDGET = 20;
const MAX_BUDGET = 1 << 26;

const iterationLimit = (o: SolverSettings, l: number): number => (o.maxIter === -1 ? Math.max(1e7, 100 * l) : o.maxIter);

function solution(be: Backend, results: number, t: number, alpha: number, l: number): Solution {
  const r = readF64(be, results + t * SMO_RESULT_SLOTS * 8, SMO_RESULT_SLOTS);
  return { alpha: readF64(be, alpha, l), rho: r[0], objective: r[1], iterations: r[2], status: r[3], r: r[4] };
}

/** out[i] = ‖x_i‖² of the rows of an n×d f64 matrix at x. */
export function squaredNorms(be: Backend, x: number, n: number, d: number, out: number): void {
  be.call('squaredNorms', x, n, d, out);
}

/**
 * Solves a dual over the samples X (n×d f64 rows, or the n×n Gram matrix) with SMO. Everything
 * lives in the arena only for the call. The solver runs in slices of about SLICE_MS, its state
 * saved between them (smoSave / smoRestore: another call may use the solver meanwhile), and
 * `cancel` yields to the event loop and checks for an abort between slices.
 */
export async function solveDual(be: Backend, X: Matrix, kernel: Kernel, dual: Dual, o: SolverSettings, cancel: Cancellation): Promise<Solution> {
  const n = X.rows, l = dual.index.length;
  const cacheRows = Math.max(2, Math.min(n, Math.floor((o.cacheSize * 2 ** 20) / (4 * n))));
  return be.scoped(async (alloc) => {
    const x = putF64(be, alloc, X.data);
    const sq = alloc(n * 8);
    if (kernel.code !== KernelCode.Precomputed) squaredNorms(be, x, n, X.cols, sq);
    const index = putI32(be, alloc, dual.index), sign = putI32(be, alloc, dual.sign), linear = putF64(be, alloc, dual.linear);
    const upper = putF64(be, alloc, dual.upper), alpha = putF64(be, alloc, dual.alpha);
    const cache = alloc(cacheRows * n * 4);
    const work = alloc(be.call('smoWorkBytes', l, n, cacheRows));
    const result = alloc(SMO_RESULT_SLOTS * 8);
    const state = alloc(SMO_STATE_BYTES);
    const maxIter = iterationLimit(o, l);
    be.call('smoStart', l, x, n, X.cols, kernel.code, kernel.gamma, kernel.coef0, kernel.degree, sq,
      index, sign, linear, upper, alpha, o.tol, cache, cacheRows, work, dual.nu ? 1 : 0);
    // Many short calls rather than one long one: V8 replaces a WebAssembly function's baseline
    // code with optimised code only for calls that start after the optimisation finished.
    const e = be.exports;
    let gradientDone = false;
    for (;;) {
      const began = performance.now();
      let solved = false;
      try {
        while (!solved && performance.now() - began < SLICE_MS) {
          if (!gradientDone) gradientDone = e.smoGradient(16) === 1;
          else solved = e.smoRun(20, +o.shrinking, maxIter) === 1;
        }
      } catch (error) {
        throw new WasmlearnError(`internal error in the SMO solver: ${String(error)}; the inputs passed validation, so this is a bug in wasmlearn`, { cause: error });
      }
      if (solved) break;
      be.call('smoSave', state);
      await cancel.tick();
      be.call('smoRestore', state);
    }
    be.call('smoFinish', maxIter, result);
    return solution(be, result, 0, alpha, l);
  });
}

/**
 * Solves independent duals over the samples X (SVC's one-vs-one pairs) on the pool, in slices
 * (assembly/svm/smo.ts smoBatch): each of up to one slot per thread goes on with its problem or
 * takes the next unsolved one, for a budget of steps sized to about SLICE_MS; between slices
 * `cancel` yields to the event loop and checks for an abort. A problem's solution does not depend
 * on which thread solved it or on the slicing, so results are the same for any thread count.
 */
export async function solveDuals(be: Backend, X: Matrix, problems: BatchDual[], kernel: Kernel, o: SolverSettings, cancel: Cancellation): Promise<Solution[]> {
  const precomputed = kernel.code === KernelCode.Precomputed;
  const maxRows = Math.max(...problems.map((p) => p.samples.length));
  const rows = Math.max(2, Math.min(maxRows, Math.floor((o.cacheSize * 2 ** 20) / (4 * maxRows))));
  const slots = Math.max(1, Math.min(be.threadsRequested, problems.length));
  const scratchBytes = Math.ceil((maxRows * (precomputed ? maxRows : X.cols) * 8 + maxRows * 8 + rows * maxRows * 4 + 64
    + be.call('smoWorkBytes', maxRows, maxRows, rows)) / 64) * 64;
  return be.scoped(async (alloc) => {
    const x = putF64(be, alloc, X.data);
    const sq = alloc(X.rows * 8);
    if (!precomputed) squaredNorms(be, x, X.rows, X.cols, sq);
    const descriptors = new Float64Array(problems.length * SMO_DESCRIPTOR_SLOTS);
    const alphas = problems.map((p, t) => {
      const alpha = putF64(be, alloc, p.alpha);
      descriptors.set([p.samples.length, putI32(be, alloc, p.samples), putI32(be, alloc, p.sign), putF64(be, alloc, p.linear),
        putF64(be, alloc, p.upper), alpha, o.tol, iterationLimit(o, p.samples.length), p.nu ? 1 : 0], t * SMO_DESCRIPTOR_SLOTS);
      return alpha;
    });
    const table = putF64(be, alloc, descriptors);
    const results = alloc(problems.length * SMO_RESULT_SLOTS * 8);
    const scratch = alloc(scratchBytes * slots);
    const states = alloc(SMO_STATE_BYTES * slots);
    fillI32(be, states, (SMO_STATE_BYTES * slots) / 4, -1);
    // [next problem, problems solved]
    const counter = alloc(8);
    fillI32(be, counter, 2, 0);
    let budget = FIRST_BUDGET;
    for (;;) {
      const began = performance.now();
      // One row per slot, handed out one at a time (kernels.ts ONE_ROW_CHUNKS); the work is far
      // above the per-thread minimum whenever there are two problems or more.
      be.launch('smoBatch', [table, problems.length, results, counter, x, X.cols, sq, kernel.code,
        kernel.gamma, kernel.coef0, kernel.degree, +o.shrinking, maxRows, rows, scratch, scratchBytes, states, budget],
      slots, 1, problems.length > 1 ? 2 ** 40 : 0);
      if (loadI32(be, counter + 4) >= problems.length) break;
      const took = performance.now() - began;
      // Toward SLICE_MS, at most doubling: a slice that ended early (its problems solved) says little.
      budget = Math.round(Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, budget * Math.min(2, SLICE_MS / Math.max(took, 0.1)))));
      await cancel.tick();
    }
    return problems.map((p, t) => solution(be, results, t, alphas[t], p.samples.length));
  });
}

/**
 * Calls `each(kernelPtr, start, count)` with the kernel matrix K(queries, support vectors)
 * (count × nSV f64, in the arena) for blocks of query rows. The dot products come from one f32
 * GEMM per block (threaded), the kernel from a pass over them with f64 squared norms; a
 * precomputed kernel is copied.
 */
export function kernelBlocks(
  be: Backend, alloc: Alloc, kernel: Kernel, queries: Matrix, support: Matrix,
  each: (k: number, start: number, count: number) => void,
): void {
  const nSV = support.rows;
  const precomputed = kernel.code === KernelCode.Precomputed;
  const d = precomputed ? 0 : support.cols;
  const block = Math.max(1, Math.min(queries.rows, Math.floor((16 << 20) / Math.max(1, nSV * 12))));
  const k = alloc(block * nSV * 8);
  const q64 = alloc(block * queries.cols * 8);
  if (precomputed) {
    for (let start = 0; start < queries.rows; start += block) {
      const count = Math.min(block, queries.rows - start);
      writeF64(be, q64, queries.data.subarray(start * nSV, (start + count) * nSV));
      be.launch('kernelMatrix', [kernel.code, q64, 0, nSV, 0, 0, 0, 0, 0, 0, k], count, 1, count * nSV);
      each(k, start, count);
    }
    return;
  }
  const sv64 = alloc(nSV * d * 8);
  writeF64(be, sv64, support.data.subarray(0, nSV * d));
  const sqSV = alloc(nSV * 8);
  squaredNorms(be, sv64, nSV, d, sqSV);
  const sv32 = alloc(nSV * d * 4);
  writeF32(be, sv32, support.data.subarray(0, nSV * d));
  const q32 = alloc(block * d * 4);
  const sqQ = alloc(block * 8);
  const dots = alloc(block * nSV * 4);
  const work = alloc(gemmWorkspace(be));
  for (let start = 0; start < queries.rows; start += block) {
    const count = Math.min(block, queries.rows - start);
    const rows = queries.data.subarray(start * d, (start + count) * d);
    writeF64(be, q64, rows);
    writeF32(be, q32, rows);
    squaredNorms(be, q64, count, d, sqQ);
    gemm(be, false, true, count, nSV, d, q32, d, sv32, d, 0, dots, nSV, work);
    be.launch('kernelFromDots', [kernel.code, dots, sqQ, sqSV, nSV, kernel.gamma, kernel.coef0, kernel.degree, k], count, 1, count * nSV * 16);
    each(k, start, count);
  }
}

/**
 * libsvm's one-vs-one decision values f_ab(x) = Σ coef K(x, s) − ρ_ab of every query for every
 * pair of the k classes (queries × pairs). Support vectors are grouped by class: class c has
 * nSupport[c] of them; coef holds libsvm's (k − 1) coefficients per support vector.
 */
export function decisionValues(
  be: Backend, kernel: Kernel, queries: Matrix, support: Matrix, nSupport: ArrayLike<number>, coef: Float64Array, rho: Float64Array,
): Float64Array {
  const k = nSupport.length;
  const pairs = (k * (k - 1)) / 2;
  const nSV = support.rows;
  const values = new Float64Array(queries.rows * pairs);
  be.scoped((alloc) => {
    const starts = new Int32Array(k + 1);
    for (let c = 0; c < k; c++) starts[c + 1] = starts[c] + nSupport[c];
    const start = putI32(be, alloc, starts), pcoef = putF64(be, alloc, coef), prho = putF64(be, alloc, rho);
    const block = Math.max(1, Math.min(queries.rows, Math.floor((16 << 20) / Math.max(1, nSV * 8))));
    const out = alloc(block * pairs * 8);
    kernelBlocks(be, alloc, kernel, queries, support, (kptr, first, count) => {
      be.launch('ovoDecision', [kptr, nSV, k, start, pcoef, prho, out], count, 1, count * nSV * 2);
      values.set(readF64(be, out, count * pairs), first * pairs);
    });
  });
  return values;
}
