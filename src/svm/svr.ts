import { Cancellation, type CancelOptions } from '../cancel.js';
import { regressorScore, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toTargets, type MatrixLike } from '../matrix.js';
import { KERNEL_RULES, checkNoNegativeWeights, singleFromSaved, type KernelOptions } from './libsvm.js';
import { OneDecisionSVM } from './one-decision-svm.js';

export interface SVROptions extends KernelOptions {
  /** Penalty C > 0 (default 1). */
  C?: number;
  /** Width of the ε-insensitive tube, ≥ 0 (default 0.1). */
  epsilon?: number;
}

const TABLE: ParamTable<SVROptions> = { ...KERNEL_RULES, C: rules.positive(1), epsilon: rules.nonNegative(0.1) };

/**
 * ε-support vector regression (libsvm's ε-SVR, as scikit-learn's SVR): the dual over α, α*
 *   min ½(α − α*)ᵀK(α − α*) + ε Σ(α + α*) − Σ y(α − α*)  s.t. Σ(α − α*) = 0, 0 ≤ α, α* ≤ C
 * is one SMO problem of 2n variables; f(x) = Σ (α − α*)_s K(x, s) − ρ.
 */
export class SVR extends OneDecisionSVM<SVROptions> {
  constructor(options?: SVROptions) {
    super(TABLE, options, 'SVR');
  }

  /** Learns from X and targets y; `signal` / `timeoutMs` stop the fit (an AbortError; the model is left as it was). */
  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'SVR.fit');
    const o = this.params;
    const data = this.fitMatrix(X, 'SVR.fit: X');
    const target = toTargets(y, 'SVR.fit: y', data.rows);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, 'SVR.fit: sampleWeight', data.rows);
    checkNoNegativeWeights(weights, 'SVR.fit');
    return this.solve(data, (l) => {
      const index = new Int32Array(2 * l), sign = new Int32Array(2 * l), linear = new Float64Array(2 * l), upper = new Float64Array(2 * l);
      for (let i = 0; i < l; i++) {
        index[i] = index[i + l] = i;
        sign[i] = 1;
        sign[i + l] = -1;
        linear[i] = o.epsilon - target[i];
        linear[i + l] = o.epsilon + target[i];
        upper[i] = upper[i + l] = o.C * (weights ? weights[i] : 1);
      }
      return { index, sign, linear, upper, alpha: new Float64Array(2 * l) };
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

  /** Restores a SVR saved with toBytes() / save(path): from the bytes or, in Node and Deno, a path. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): SVR {
    return restoreEstimator((p) => new SVR(p as SVROptions), 'SVR', source, singleFromSaved);
  }
}
