// What SVR, NuSVR and OneClassSVM share (libsvm's one-decision-function models, as scikit-learn's
// BaseLibSVM for them): the fitted state, solving the dual and keeping the support vectors,
// f(x) = Σ coef_s K(x, s) − ρ, saving, and the fitted attributes.
import type { Cancellation } from '../cancel.js';
import { Estimator, type ParamTable } from '../estimator.js';
import { type Matrix, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import {
  checkFeatures, resolveKernel, singleDecision, singleToSaved, solveDual, supportRows, takeColumns, takeRows, warnIfStopped,
  type Dual, type KernelOptions, type SingleFitted, type Solution,
} from './libsvm.js';

export abstract class OneDecisionSVM<P extends KernelOptions> extends Estimator<P, SingleFitted> {
  protected constructor(table: ParamTable<P>, options: P | undefined, name: string) {
    super(table, options, name);
  }

  /**
   * Solves the dual that `dual` sets up for the data and keeps the support vectors: the samples
   * whose coefficient `coefficient(solution, i)` is not 0.
   */
  protected async solve(data: Matrix, dual: (l: number) => Dual, coefficient: (solution: Solution, i: number) => number, cancel: Cancellation): Promise<this> {
    const o = this.params as Required<KernelOptions>;
    const kernel = resolveKernel(o, data, `${this.estimatorName}.fit`);
    const solution = await solveDual(backend(), data, kernel, dual(data.rows), o, cancel);
    warnIfStopped(solution.status, this.estimatorName, o.maxIter);
    const support: number[] = [];
    const coef: number[] = [];
    for (let i = 0; i < data.rows; i++) {
      const c = coefficient(solution, i);
      if (c !== 0) {
        support.push(i);
        coef.push(c);
      }
    }
    const supportIdx = Int32Array.from(support);
    this.setFitted({
      kernel, features: data.cols, support: supportIdx,
      supportVectors: o.kernel === 'precomputed' ? { data: new Float64Array(0), rows: support.length, cols: 0 } : takeRows(data, supportIdx),
      coef: Float64Array.from(coef), rho: solution.rho, nIter: solution.iterations, fitStatus: solution.status,
    });
    return this;
  }

  /** f(x) = Σ coef_s K(x, s) − ρ for every row of X. */
  protected decision(X: MatrixLike, method: string): Float64Array {
    const where = `${this.estimatorName}.${method}`;
    const f = this.fitted(where);
    const queries = this.queryMatrix(X, `${where}: X`);
    const precomputed = (this.params as Required<KernelOptions>).kernel === 'precomputed';
    checkFeatures(queries, f.features, where, precomputed);
    return singleDecision(backend(), f.kernel, precomputed ? takeColumns(queries, f.support) : queries, f.supportVectors, f.coef, f.rho);
  }

  protected toSaved(f: SingleFitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return singleToSaved(f);
  }

  /** Indices of the support vectors in the training data. */
  get support(): Int32Array { return this.fitted('support').support.slice(); }
  get supportVectors(): number[][] { return supportRows(this.fitted('supportVectors').supportVectors); }
  get nSupport(): Int32Array { return Int32Array.of(this.fitted('nSupport').support.length); }
  /** The support vectors' coefficients in f, 1 × nSV. */
  get dualCoef(): number[][] { return [Array.from(this.fitted('dualCoef').coef)]; }
  /** −ρ. */
  get intercept(): number[] { return [-this.fitted('intercept').rho]; }
  get nIter(): number { return this.fitted('nIter').nIter; }
  /** 0: converged; 1: the solver stopped at maxIter. */
  get fitStatus(): number { return this.fitted('fitStatus').fitStatus; }
}
