// The losses a histogram booster minimises (scikit-learn's sklearn/_loss "half" losses): the
// constant raw prediction it starts from and, for the absolute and quantile losses, the leaf
// values recomputed as a (weighted) percentile of the residuals. Their gradients, hessians and
// mean (which early stopping watches) are computed in WebAssembly (assembly/boosting/losses.ts).
import { BoostLoss, logOf } from '../ops/boosting.js';
import { backend } from '../runtime/backend.js';
import { median, percentile as percentileOfSorted } from '../quantiles.js';

export { BoostLoss };

/** scikit-learn's _weighted_percentile: the smallest value whose cumulative weight reaches p% of the total. */
function weightedPercentile(values: Float64Array, weights: Float64Array, p: number): number {
  const order = Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
  const cdf = new Float64Array(order.length);
  let sum = 0;
  order.forEach((i, r) => { sum += weights[i]; cdf[r] = sum; });
  let target = (p / 100) * sum;
  if (target === 0) target = Number.MIN_VALUE;
  let at = 0;
  while (at < cdf.length && cdf[at] < target) at++;
  return values[order[Math.min(at, order.length - 1)]];
}

/** The (weighted) p-th percentile of values: NumPy's linear percentile unweighted, scikit-learn's weighted one otherwise. */
function percentile(values: Float64Array, weights: Float64Array | undefined, p: number): number {
  if (weights) return weightedPercentile(values, weights, p);
  return p === 50 ? median(values) : percentileOfSorted(Float64Array.from(values).sort(), p);
}

function average(values: ArrayLike<number>, weights: Float64Array | undefined): number {
  let s = 0, w = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights ? weights[i] : 1;
    s += wi * values[i];
    w += wi;
  }
  return s / w;
}

export interface BoostingLoss {
  code: BoostLoss;
  /** Outputs per sample (the classes of a multinomial loss, else 1). */
  outputs: number;
  quantile: number;
  /** True when the hessian is the same for every sample (no sample weights, a loss with unit hessian). */
  constantHessian: boolean;
  /** The best constant raw prediction of each output. */
  baseline(y: Float64Array, w: Float64Array | undefined): Float64Array;
  /** Leaf values recomputed from the leaf's residuals y − raw (absolute and quantile losses), else undefined. */
  leafValue?: (residuals: Float64Array, w: Float64Array | undefined) => number;
}

/** The loss called `name` (scikit-learn's names in camelCase) for k outputs. */
export function boostingLoss(name: string, k: number, quantile: number, weighted: boolean): BoostingLoss {
  const eps = 2.220446049250313e-16;
  const base = (code: BoostLoss, constant: boolean, baseline: BoostingLoss['baseline'], leafValue?: BoostingLoss['leafValue']): BoostingLoss => ({
    code, outputs: 1, quantile, constantHessian: constant && !weighted, baseline, ...(leafValue ? { leafValue } : {}),
  });
  switch (name) {
    case 'squaredError':
      return base(BoostLoss.SquaredError, true, (y, w) => Float64Array.of(average(y, w)));
    case 'absoluteError':
      return base(BoostLoss.AbsoluteError, true, (y, w) => Float64Array.of(percentile(y, w, 50)), (res, w) => percentile(res, w, 50));
    case 'quantile':
      return base(BoostLoss.Quantile, true, (y, w) => Float64Array.of(percentile(y, w, 100 * quantile)), (res, w) => percentile(res, w, 100 * quantile));
    case 'poisson':
      return base(BoostLoss.Poisson, false, (y, w) => Float64Array.of(logOf(backend(), Math.max(average(y, w), 10 * eps))));
    case 'logLoss':
      if (k <= 2) {
        return base(BoostLoss.Binomial, false, (y, w) => {
          const p = Math.min(Math.max(average(y, w), 10 * eps), 1 - 10 * eps);
          return Float64Array.of(logOf(backend(), p / (1 - p)));
        });
      }
      return {
        code: BoostLoss.Multinomial, outputs: k, quantile, constantHessian: false,
        baseline: (y, w) => {
          // log p_c − mean_c log p_c (the symmetric multinomial link).
          const logs = new Float64Array(k);
          for (let c = 0; c < k; c++) {
            const p = average(Float64Array.from(y, (v) => (v === c ? 1 : 0)), w);
            logs[c] = logOf(backend(), Math.min(Math.max(p, eps), 1 - eps));
          }
          const mean = logs.reduce((a, b) => a + b, 0) / k;
          return logs.map((v) => v - mean);
        },
      };
    default:
      throw new Error(`unknown boosting loss ${name}`);
  }
}
