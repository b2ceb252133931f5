import { r2Score } from '../scoring.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, toTargets, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import {
  KERNEL_RULES, checkFeatures, checkNoNegativeWeights, resolveKernel, singleDecision, solveDual, supportRows, takeColumns, takeRows,
  singleFromSaved, singleToSaved, type KernelOptions, type SingleFitted,
} from './libsvm.js';

export interface SVROptions extends KernelOptions {
  /** Penalty C > 0 (default 1). */
  C?: number;
  /** Width of the ε-insensitive tube, ≥ 0 (default 0.1). */
  epsilon?: number;
}

type Fitted = SingleFitted;

const TABLE: ParamTable<SVROptions> = { ...KERNEL_RULES, C: rules.positive(1), epsilon: rules.nonNegative(0.1) };

/**
 * ε-support vector regression (libsvm's ε-SVR, as scikit-learn's SVR): the dual over α, α*
 *   min ½(α − α*)ᵀK(α − α*) + ε Σ(α + α*) − Σ y(α − α*)  s.t. Σ(α − α*) = 0, 0 ≤ α, α* ≤ C
 * is one SMO problem of 2n variables; f(x) = Σ (α − α*)_s K(x, s) − ρ.
 */
export class SVR extends Estimator<SVROptions, Fitted> {
  constructor(options?: SVROptions) {
    super(TABLE, options, 'SVR');
  }

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } = {}): Promise<this> {
    const o = this.params;
    const data = toMatrix(X, 'SVR.fit: X');
    const target = toTargets(y, 'SVR.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'SVR.fit: sampleWeight', data.rows);
    checkNoNegativeWeights(weights, 'SVR.fit');
    const kernel = resolveKernel(o, data, 'SVR.fit');
    const l = data.rows;
    const index = new Int32Array(2 * l), sign = new Int32Array(2 * l), linear = new Float64Array(2 * l), upper = new Float64Array(2 * l);
    for (let i = 0; i < l; i++) {
      index[i] = index[i + l] = i;
      sign[i] = 1;
      sign[i + l] = -1;
      linear[i] = o.epsilon - target[i];
      linear[i + l] = o.epsilon + target[i];
      upper[i] = upper[i + l] = o.C * (weights ? weights[i] : 1);
    }
    const solution = solveDual(backend(), data, kernel, { index, sign, linear, upper, alpha: new Float64Array(2 * l) }, o);
    const support: number[] = [];
    const coef: number[] = [];
    for (let i = 0; i < l; i++) {
      const c = solution.alpha[i] - solution.alpha[i + l];
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

  /** Predicted targets. */
  predict(X: MatrixLike): Float64Array {
    const f = this.fitted('SVR.predict');
    const queries = toMatrix(X, 'SVR.predict: X');
    const precomputed = this.params.kernel === 'precomputed';
    checkFeatures(queries, f.features, 'SVR.predict', precomputed);
    return singleDecision(backend(), f.kernel, precomputed ? takeColumns(queries, f.support) : queries, f.supportVectors, f.coef, f.rho);
  }

  /** R² of the predictions on (X, y). */
  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    const p = this.predict(X);
    return r2Score(toTargets(y, 'SVR.score: y', p.length), p);
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return singleToSaved(f);
  }

  /** Restores a SVR saved with toBytes() / save(path): from the bytes or, in Node and Deno, a path. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): SVR {
    return restoreEstimator((p) => new SVR(p as SVROptions), 'SVR', source, singleFromSaved);
  }

  get support(): Int32Array { return this.fitted('support').support.slice(); }
  get supportVectors(): number[][] { return supportRows(this.fitted('supportVectors').supportVectors); }
  get nSupport(): Int32Array { return Int32Array.of(this.fitted('nSupport').support.length); }
  /** α − α* of the support vectors, 1 × nSV. */
  get dualCoef(): number[][] { return [Array.from(this.fitted('dualCoef').coef)]; }
  /** −ρ. */
  get intercept(): number[] { return [-this.fitted('intercept').rho]; }
  get nIter(): number { return this.fitted('nIter').nIter; }
  get fitStatus(): number { return this.fitted('fitStatus').fitStatus; }
}
