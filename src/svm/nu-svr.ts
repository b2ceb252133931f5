import { r2Score } from '../scoring.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, toTargets, type MatrixLike } from '../matrix.js';
import { backend } from '../runtime/backend.js';
import {
  KERNEL_RULES, checkFeatures, checkNoNegativeWeights, resolveKernel, singleDecision, singleFromSaved, singleToSaved, solveDual,
  supportRows, takeColumns, takeRows, type KernelOptions, type SingleFitted,
} from './libsvm.js';

export interface NuSVROptions extends KernelOptions {
  /** Penalty C > 0 (default 1). */
  C?: number;
  /** Upper bound on the fraction of errors and lower bound on the fraction of support vectors, in (0, 1] (default 0.5). */
  nu?: number;
}

const TABLE: ParamTable<NuSVROptions> = {
  ...KERNEL_RULES,
  C: rules.positive(1),
  nu: rules.custom(0.5, 'a number in (0, 1]', (v) => typeof v === 'number' && v > 0 && v <= 1),
};

/**
 * ν-support vector regression (Schölkopf et al. 2000; libsvm's ν-SVR, as scikit-learn's NuSVR):
 * the tube width ε is learned, ν bounds the fraction of support vectors. The 2n-variable dual
 * (α, α*) with Σ(α + α*) = Cνn is solved by libsvm's Solver_NU; f(x) = Σ (α − α*)_s K(x, s) − ρ.
 */
export class NuSVR extends Estimator<NuSVROptions, SingleFitted> {
  constructor(options?: NuSVROptions) {
    super(TABLE, options, 'NuSVR');
  }

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } = {}): Promise<this> {
    const o = this.params;
    const data = toMatrix(X, 'NuSVR.fit: X');
    const target = toTargets(y, 'NuSVR.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'NuSVR.fit: sampleWeight', data.rows);
    checkNoNegativeWeights(weights, 'NuSVR.fit');
    const kernel = resolveKernel(o, data, 'NuSVR.fit');
    const l = data.rows;
    const index = new Int32Array(2 * l), sign = new Int32Array(2 * l), linear = new Float64Array(2 * l), upper = new Float64Array(2 * l);
    const alpha = new Float64Array(2 * l);
    // libsvm's start: Cνl/2 of weight spread over α and α* alike, in order, up to the box.
    let sum = (o.C * o.nu * l) / 2;
    for (let i = 0; i < l; i++) {
      index[i] = index[i + l] = i;
      sign[i] = 1;
      sign[i + l] = -1;
      linear[i] = -target[i];
      linear[i + l] = target[i];
      upper[i] = upper[i + l] = o.C * (weights ? weights[i] : 1);
      alpha[i] = alpha[i + l] = Math.min(sum, upper[i]);
      sum -= alpha[i];
    }
    const solution = solveDual(backend(), data, kernel, { nu: true, index, sign, linear, upper, alpha }, o);
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
    const f = this.fitted('NuSVR.predict');
    const queries = toMatrix(X, 'NuSVR.predict: X');
    const precomputed = this.params.kernel === 'precomputed';
    checkFeatures(queries, f.features, 'NuSVR.predict', precomputed);
    return singleDecision(backend(), f.kernel, precomputed ? takeColumns(queries, f.support) : queries, f.supportVectors, f.coef, f.rho);
  }

  /** R² of the predictions on (X, y). */
  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    const p = this.predict(X);
    return r2Score(toTargets(y, 'NuSVR.score: y', p.length), p);
  }

  protected toSaved(f: SingleFitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return singleToSaved(f);
  }

  /** Restores a NuSVR saved with toBytes() / save(path). */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): NuSVR {
    return restoreEstimator((p) => new NuSVR(p as NuSVROptions), 'NuSVR', source, singleFromSaved);
  }

  get support(): Int32Array { return this.fitted('support').support.slice(); }
  get supportVectors(): number[][] { return supportRows(this.fitted('supportVectors').supportVectors); }
  get nSupport(): Int32Array { return Int32Array.of(this.fitted('nSupport').support.length); }
  /** α − α* of the support vectors, 1 × nSV. */
  get dualCoef(): number[][] { return [Array.from(this.fitted('dualCoef').coef)]; }
  get intercept(): number[] { return [-this.fitted('intercept').rho]; }
  get nIter(): number { return this.fitted('nIter').nIter; }
  get fitStatus(): number { return this.fitted('fitStatus').fitStatus; }
}
