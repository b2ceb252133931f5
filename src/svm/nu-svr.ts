import { Cancellation, type CancelOptions } from '../cancel.js';
import { regressorScore, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toTargets, type MatrixLike } from '../matrix.js';
import { KERNEL_RULES, checkNoNegativeWeights, singleFromSaved, type KernelOptions } from './libsvm.js';
import { OneDecisionSVM } from './one-decision-svm.js';

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
export class NuSVR extends OneDecisionSVM<NuSVROptions> {
  constructor(options?: NuSVROptions) {
    super(TABLE, options, 'NuSVR');
  }

  /** Learns from X and targets y; `signal` / `timeoutMs` stop the fit (an AbortError; the model is left as it was). */
  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'NuSVR.fit');
    const o = this.params;
    const data = this.fitMatrix(X, 'NuSVR.fit: X');
    const target = toTargets(y, 'NuSVR.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'NuSVR.fit: sampleWeight', data.rows);
    checkNoNegativeWeights(weights, 'NuSVR.fit');
    return this.solve(data, (l) => {
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
      return { nu: true, index, sign, linear, upper, alpha };
    }, (solution, i) => solution.alpha[i] - solution.alpha[i + data.rows], cancel);
  }

  /** Predicted targets. */
  predict(X: MatrixLike): Float64Array {
    return this.decision(X, 'predict');
  }

  /** R² of the predictions on (X, y). */
  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  /** Restores a NuSVR saved with toBytes() / save(path). */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): NuSVR {
    return restoreEstimator((p) => new NuSVR(p as NuSVROptions), 'NuSVR', source, singleFromSaved);
  }
}
