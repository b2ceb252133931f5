import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import {
  KERNEL_RULES, checkFeatures, resolveKernel, singleDecision, singleFromSaved, singleToSaved, solveDual, supportRows, takeColumns, takeRows,
  type KernelOptions, type SingleFitted,
} from './libsvm.js';

export interface OneClassSVMOptions extends KernelOptions {
  /** Upper bound on the fraction of training errors and lower bound on the fraction of support vectors, in (0, 1] (default 0.5). */
  nu?: number;
}

type Fitted = SingleFitted;

const TABLE: ParamTable<OneClassSVMOptions> = {
  ...KERNEL_RULES,
  nu: rules.custom(0.5, 'a number in (0, 1]', (v) => typeof v === 'number' && v > 0 && v <= 1),
};

/**
 * One-class SVM (Schölkopf et al., "Estimating the support of a high-dimensional distribution",
 * Neural Computation 2001; libsvm's formulation): min ½αᵀKα  s.t. 0 ≤ α ≤ 1, Σα = νn, solved by
 * the same SMO; f(x) = Σ α_s K(x, s) − ρ is positive inside the estimated support (the lecture's
 * species-distribution idea: where the species lives), negative for outliers.
 */
export class OneClassSVM extends Estimator<OneClassSVMOptions, Fitted> {
  constructor(options?: OneClassSVMOptions) {
    super(TABLE, options, 'OneClassSVM');
  }

  /** Learns the support of X (samples × features); y is ignored, as in scikit-learn. */
  async fit(X: MatrixLike, _y?: unknown): Promise<this> {
    const o = this.params;
    const data = toMatrix(X, 'OneClassSVM.fit: X');
    const kernel = resolveKernel(o, data, 'OneClassSVM.fit');
    const l = data.rows;
    // libsvm's feasible start: the first ⌊νl⌋ α at 1, the next at the remainder, Σα = νl.
    const alpha = new Float64Array(l);
    const full = Math.floor(o.nu * l);
    for (let i = 0; i < full; i++) alpha[i] = 1;
    if (full < l) alpha[full] = o.nu * l - full;
    const solution = solveDual(backend(), data, kernel, {
      index: Int32Array.from({ length: l }, (_, i) => i), sign: new Int32Array(l).fill(1), linear: new Float64Array(l),
      upper: new Float64Array(l).fill(1), alpha,
    }, o);
    const support: number[] = [];
    const coef: number[] = [];
    solution.alpha.forEach((a, i) => {
      if (a > 0) {
        support.push(i);
        coef.push(a);
      }
    });
    const supportIdx = Int32Array.from(support);
    this.setFitted({
      kernel, features: data.cols, support: supportIdx,
      supportVectors: o.kernel === 'precomputed' ? { data: new Float64Array(0), rows: support.length, cols: 0 } : takeRows(data, supportIdx),
      coef: Float64Array.from(coef), rho: solution.rho, nIter: solution.iterations, fitStatus: solution.status,
    });
    return this;
  }

  /** f(x) = Σ α_s K(x, s) − ρ: positive inside the learned support. */
  decisionFunction(X: MatrixLike): Float64Array {
    const f = this.fitted('OneClassSVM.decisionFunction');
    const queries = toMatrix(X, 'OneClassSVM.decisionFunction: X');
    const precomputed = this.params.kernel === 'precomputed';
    checkFeatures(queries, f.features, 'OneClassSVM.decisionFunction', precomputed);
    return singleDecision(backend(), f.kernel, precomputed ? takeColumns(queries, f.support) : queries, f.supportVectors, f.coef, f.rho);
  }

  /** Σ α_s K(x, s): the unshifted score (decisionFunction + offset). */
  scoreSamples(X: MatrixLike): Float64Array {
    const rho = this.fitted('OneClassSVM.scoreSamples').rho;
    return this.decisionFunction(X).map((v) => v + rho);
  }

  /** +1 for inliers, −1 for outliers. */
  predict(X: MatrixLike): Int32Array {
    return Int32Array.from(this.decisionFunction(X), (v) => (v > 0 ? 1 : -1));
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return singleToSaved(f);
  }

  /** Restores a OneClassSVM saved with toBytes() / save(path): from the bytes or, in Node and Deno, a path. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): OneClassSVM {
    return restoreEstimator((p) => new OneClassSVM(p as OneClassSVMOptions), 'OneClassSVM', source, singleFromSaved);
  }

  get support(): Int32Array { return this.fitted('support').support.slice(); }
  get supportVectors(): number[][] { return supportRows(this.fitted('supportVectors').supportVectors); }
  get nSupport(): Int32Array { return Int32Array.of(this.fitted('nSupport').support.length); }
  get dualCoef(): number[][] { return [Array.from(this.fitted('dualCoef').coef)]; }
  get intercept(): number[] { return [-this.fitted('intercept').rho]; }
  /** ρ: decisionFunction = scoreSamples − offset. */
  get offset(): number { return this.fitted('offset').rho; }
  get nIter(): number { return this.fitted('nIter').nIter; }
  get fitStatus(): number { return this.fitted('fitStatus').fitStatus; }
}
