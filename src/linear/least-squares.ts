// Linear least squares (scikit-learn's LinearRegression and Ridge): with the data centred when an
// intercept is fitted, the coefficients minimise ‖y − Xw‖² + α‖w‖². They come from the
// eigendecomposition of XᵀX = V Λ Vᵀ (f64 Gram and eigensolver in WebAssembly): w = V (Λ + α)⁻¹ Vᵀ Xᵀy,
// and for α = 0 the pseudo-inverse — directions with λ ≤ ε·max(n, d)·λ_max dropped (below the
// rounding of XᵀX; numpy's lstsq drops singular values below ε·max(n, d)·σ_max) — so
// rank-deficient data get the minimum-norm solution that scikit-learn's lstsq returns.
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, regressorScore } from '../estimator.js';
import { toTargets, type MatrixLike } from '../matrix.js';
import { centredGram, columnMeans, eigh, gram } from '../ops/linalg.js';

export interface LinearRegressionOptions {
  /** Fit an intercept (default true); without, the data are not centred. */
  fitIntercept?: boolean;
}

export interface RidgeOptions extends LinearRegressionOptions {
  /** The L2 penalty α ≥ 0 (default 1). */
  alpha?: number;
}

interface Fitted {
  coef: Float64Array;
  intercept: number;
  rank: number;
  features: number;
}

/**
 * w minimising ‖y − Xw‖² + α‖w‖² for X − mean (n×d, f64 row-major; mean null: X itself) and y
 * (centred when mean is given), and the rank kept. Pixel data get the exact centred Gram matrix.
 */
function solve(x: Float64Array, y: Float64Array, n: number, d: number, mean: Float64Array | null, alpha: number, where: string): { coef: Float64Array; rank: number } {
  const { values, vectors } = eigh(mean ? centredGram(x, n, d, mean) : gram(x, n, d), d, where);
  const xty = new Float64Array(d);
  for (let r = 0, i = 0; r < n; r++) {
    const t = y[r];
    if (mean) for (let c = 0; c < d; c++, i++) xty[c] += (x[i] - mean[c]) * t;
    else for (let c = 0; c < d; c++, i++) xty[c] += x[i] * t;
  }
  const top = Math.max(0, values[d - 1]);
  // XᵀX carries rounding of about ε·λ_max, so smaller eigenvalues are noise: σ below √(ε·max(n, d))·σ_max.
  const cutoff = alpha > 0 ? -Infinity : Number.EPSILON * Math.max(n, d) * top;
  const coef = new Float64Array(d);
  let rank = 0;
  for (let k = 0; k < d; k++) {
    const lambda = values[k];
    if (!(lambda > cutoff) || lambda + alpha <= 0) continue;
    rank++;
    const v = vectors.subarray(k * d, (k + 1) * d);
    let proj = 0;
    for (let c = 0; c < d; c++) proj += v[c] * xty[c];
    const scale = proj / (lambda + alpha);
    for (let c = 0; c < d; c++) coef[c] += scale * v[c];
  }
  return { coef, rank };
}

abstract class LeastSquares<P extends LinearRegressionOptions> extends Estimator<P, Fitted> {
  protected abstract penalty(): number;

  async fit(X: MatrixLike, y: ArrayLike<number> | MatrixLike): Promise<this> {
    const where = `${this.estimatorName}.fit`;
    const data = this.fitMatrix(X, `${where}: X`);
    const target = toTargets(y, `${where}: y`, data.rows);
    const { rows: n, cols: d } = data;
    const intercept = (this.params as LinearRegressionOptions).fitIntercept !== false;
    const xMean = intercept ? columnMeans(data.data, n, d) : new Float64Array(d);
    let yMean = 0;
    if (intercept) {
      for (let r = 0; r < n; r++) yMean += target[r];
      yMean /= n;
    }
    const yc = Float64Array.from(target, (v) => v - yMean);
    const { coef, rank } = solve(data.data, yc, n, d, intercept ? xMean : null, this.penalty(), where);
    let b = yMean;
    for (let c = 0; c < d; c++) b -= xMean[c] * coef[c];
    this.setFitted({ coef, intercept: intercept ? b : 0, rank, features: d });
    return this;
  }

  predict(X: MatrixLike): Float64Array {
    const where = `${this.estimatorName}.predict`;
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the model was fitted with ${f.features}`);
    return Float64Array.from({ length: data.rows }, (_, r) => {
      let s = f.intercept;
      for (let c = 0; c < f.features; c++) s += data.data[r * f.features + c] * f.coef[c];
      return s;
    });
  }

  /** R² of the predictions for X against y. */
  score(X: MatrixLike, y: ArrayLike<number> | MatrixLike): number {
    return regressorScore(this, X, y, this.estimatorName);
  }

  get coef(): Float64Array { return this.fitted('coef').coef.slice(); }
  get intercept(): number { return this.fitted('intercept').intercept; }
  /** The rank of the (centred) data as the solver saw it. */
  get rank(): number { return this.fitted('rank').rank; }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { intercept: f.intercept, rank: f.rank, features: f.features }, arrays: { coef: f.coef } };
  }

  protected static reader(meta: Record<string, unknown>, a: Record<string, Float64Array | Int32Array>, where: string): Fitted {
    const d = meta.features as number;
    if (!Number.isInteger(d) || d < 1 || !(a.coef instanceof Float64Array) || a.coef.length !== d || !a.coef.every(Number.isFinite)
      || typeof meta.intercept !== 'number' || !Number.isFinite(meta.intercept) || !Number.isInteger(meta.rank)) {
      throw new FormatError(`${where}: the saved linear model is malformed`);
    }
    return { coef: a.coef, intercept: meta.intercept, rank: meta.rank as number, features: d };
  }
}

/**
 * Ordinary least squares.
 * @example const model = await new LinearRegression().fit(X, y); model.coef; model.intercept; model.score(X, y);
 */
export class LinearRegression extends LeastSquares<LinearRegressionOptions> {
  constructor(options?: LinearRegressionOptions) {
    super({ fitIntercept: rules.boolean(true) } satisfies ParamTable<LinearRegressionOptions>, options, 'LinearRegression');
  }

  protected penalty(): number {
    return 0;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): LinearRegression {
    return restoreEstimator((p) => new LinearRegression(p as LinearRegressionOptions), 'LinearRegression', source, LeastSquares.reader);
  }
}

/** Least squares with an L2 penalty α‖w‖² (the intercept is not penalised). */
export class Ridge extends LeastSquares<RidgeOptions> {
  constructor(options?: RidgeOptions) {
    super({ fitIntercept: rules.boolean(true), alpha: rules.nonNegative(1) } satisfies ParamTable<RidgeOptions>, options, 'Ridge');
  }

  protected penalty(): number {
    return this.params.alpha!;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): Ridge {
    return restoreEstimator((p) => new Ridge(p as RidgeOptions), 'Ridge', source, LeastSquares.reader);
  }
}
