// What SVC, SVR and OneClassSVM share: kernel options, the call into the SMO solver
// (assembly/svm/smo.ts) and the blocked kernel matrix for prediction.
import { warn } from '../warnings.js';
import { FormatError, ShapeError } from '../errors.js';
import { rules, type ParamRule } from '../estimator.js';
import type { Matrix } from '../matrix.js';
import type { Backend } from '../runtime/backend.js';
import { decisionValues, KernelCode, type Kernel } from '../ops/svm.js';

export { kernelBlocks, solveDual, solveDuals, type BatchDual, type Dual, type Kernel, type Solution } from '../ops/svm.js';

export type KernelName = 'linear' | 'poly' | 'rbf' | 'sigmoid' | 'precomputed';
const KERNEL_CODES: Record<KernelName, KernelCode> = {
  linear: KernelCode.Linear, poly: KernelCode.Poly, rbf: KernelCode.Rbf, sigmoid: KernelCode.Sigmoid, precomputed: KernelCode.Precomputed,
};

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

/** scikit-learn's ConvergenceWarning when SMO stopped at maxIter (fitStatus 1). */
export function warnIfStopped(status: number, name: string, maxIter: number): void {
  if (status === 1) {
    warn('convergence', `${name}.fit: the solver stopped at maxIter (${maxIter}) before converging; scale the data ` +
      '(StandardScaler, MinMaxScaler) or raise maxIter');
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

export { checkNoNegativeWeights } from '../matrix.js';

/** f(x) = Σ_s coef_s K(x, s) − ρ for every query (SVR and one-class: one decision function). */
export function singleDecision(be: Backend, kernel: Kernel, queries: Matrix, support: Matrix, coef: Float64Array, rho: number): Float64Array {
  // All support vectors as "class 0" of a two-class one-vs-one decision: Σ coef K − ρ.
  return decisionValues(be, kernel, queries, support, [support.rows, 0], coef, Float64Array.of(rho));
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

/** Support vectors as rows (empty rows for a precomputed kernel). */
export function supportRows(sv: Matrix): number[][] {
  return Array.from({ length: sv.rows }, (_, r) => Array.from(sv.data.subarray(r * sv.cols, (r + 1) * sv.cols)));
}
