import { Cancellation, type CancelOptions } from '../cancel.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { type MatrixLike } from '../matrix.js';
import { KERNEL_RULES, singleFromSaved, type KernelOptions } from './libsvm.js';
import { OneDecisionSVM } from './one-decision-svm.js';

export interface OneClassSVMOptions extends KernelOptions {
  /** Upper bound on the fraction of training errors and lower bound on the fraction of support vectors, in (0, 1] (default 0.5). */
  nu?: number;
}

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
export class OneClassSVM extends OneDecisionSVM<OneClassSVMOptions> {
  constructor(options?: OneClassSVMOptions) {
    super(TABLE, options, 'OneClassSVM');
  }

  /** Learns the support of X (samples × features); y is ignored, as in scikit-learn. `signal` / `timeoutMs` stop the fit. */
  async fit(X: MatrixLike, _y?: unknown, options: CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'OneClassSVM.fit');
    const o = this.params;
    const data = this.fitMatrix(X, 'OneClassSVM.fit: X');
    return this.solve(data, (l) => {
      // libsvm's feasible start: the first ⌊νl⌋ α at 1, the next at the remainder, Σα = νl.
      const alpha = new Float64Array(l);
      const full = Math.floor(o.nu * l);
      for (let i = 0; i < full; i++) alpha[i] = 1;
      if (full < l) alpha[full] = o.nu * l - full;
      return {
        index: Int32Array.from({ length: l }, (_, i) => i), sign: new Int32Array(l).fill(1), linear: new Float64Array(l),
        upper: new Float64Array(l).fill(1), alpha,
      };
    }, (solution, i) => solution.alpha[i], cancel);
  }

  /** f(x) = Σ α_s K(x, s) − ρ: positive inside the learned support. */
  decisionFunction(X: MatrixLike): Float64Array {
    return this.decision(X, 'decisionFunction');
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

  /** Restores a OneClassSVM saved with toBytes() / save(path): from the bytes or, in Node and Deno, a path. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): OneClassSVM {
    return restoreEstimator((p) => new OneClassSVM(p as OneClassSVMOptions), 'OneClassSVM', source, singleFromSaved);
  }

  /** ρ: decisionFunction = scoreSamples − offset. */
  get offset(): number { return this.fitted('offset').rho; }
}
