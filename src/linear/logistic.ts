// Logistic regression (scikit-learn's LogisticRegression with the lbfgs solver): softmax over
// the classes (a single sigmoid for two), minimising Σ −log p(yᵢ | xᵢ) + ‖W‖² / (2C) (the
// intercept unpenalised) by L-BFGS (Nocedal 1980; two-loop recursion, 10 pairs) with a
// backtracking Armijo line search. The objective is strictly convex, so the optimum is
// scikit-learn's; only where each run stops differs.
import { exp, log, log1p } from '../elementary.js';
import { warn } from '../warnings.js';
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore } from '../estimator.js';
import { encodeLabels, toVector, type Matrix, type MatrixLike } from '../matrix.js';

export interface LogisticRegressionOptions {
  /** Inverse of the L2 penalty's strength (default 1). */
  C?: number;
  /** Fit intercepts (default true). */
  fitIntercept?: boolean;
  /** Most L-BFGS iterations (default 100, as scikit-learn). */
  maxIter?: number;
  /** Stop when the largest gradient component is below this (default 1e-4, as scikit-learn's gtol). */
  tol?: number;
}

interface Fitted {
  classes: (number | string)[];
  features: number;
  /** Rows of weights: one per class (one for two classes), features long. */
  coef: Float64Array;
  intercept: Float64Array;
  nIter: number;
}

const TABLE: ParamTable<LogisticRegressionOptions> = {
  C: rules.positive(1),
  fitIntercept: rules.boolean(true),
  maxIter: rules.integer(100, 1),
  tol: rules.positive(1e-4),
};

/** Loss and gradient at w = [W (r×d) | b (r)] for r rows of weights (r = 1: sigmoid of class 1). */
function objective(w: Float64Array, x: Matrix, y: Int32Array, r: number, penalty: number, intercept: boolean, grad: Float64Array): number {
  const { rows: n, cols: d } = x;
  grad.fill(0);
  let loss = 0;
  const z = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    const row = x.data.subarray(i * d, (i + 1) * d);
    for (let c = 0; c < r; c++) {
      let s = intercept ? w[r * d + c] : 0;
      for (let j = 0; j < d; j++) s += w[c * d + j] * row[j];
      z[c] = s;
    }
    if (r === 1) {
      // −log σ(±z), stably; gradient σ(z) − y.
      const t = y[i] === 1 ? 1 : 0;
      const s = z[0];
      loss += Math.max(s, 0) - s * t + log1p(exp(-Math.abs(s)));
      const e = 1 / (1 + exp(-s)) - t;
      for (let j = 0; j < d; j++) grad[j] += e * row[j];
      if (intercept) grad[d] += e;
      continue;
    }
    let top = -Infinity;
    for (let c = 0; c < r; c++) top = Math.max(top, z[c]);
    let sum = 0;
    for (let c = 0; c < r; c++) sum += exp(z[c] - top);
    loss += top + log(sum) - z[y[i]];
    for (let c = 0; c < r; c++) {
      const e = exp(z[c] - top) / sum - (c === y[i] ? 1 : 0);
      for (let j = 0; j < d; j++) grad[c * d + j] += e * row[j];
      if (intercept) grad[r * d + c] += e;
    }
  }
  for (let k = 0; k < r * d; k++) {
    loss += 0.5 * penalty * w[k] * w[k];
    grad[k] += penalty * w[k];
  }
  return loss;
}

/** Minimises f by L-BFGS from w (in place); returns the iterations used. */
function lbfgs(f: (w: Float64Array, g: Float64Array) => number, w: Float64Array, maxIter: number, tol: number): number {
  const m = 10, n = w.length;
  const s: Float64Array[] = [], yv: Float64Array[] = [], rho: number[] = [];
  let g = new Float64Array(n);
  let fx = f(w, g);
  const dot = (a: Float64Array, b: Float64Array) => { let t = 0; for (let i = 0; i < n; i++) t += a[i] * b[i]; return t; };
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= tol) break;
    // Two-loop recursion: direction = −H g.
    const q = g.slice();
    const alpha = new Array<number>(s.length);
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(s[k], q);
      for (let i = 0; i < n; i++) q[i] -= alpha[k] * yv[k][i];
    }
    const gamma = s.length ? dot(s[s.length - 1], yv[yv.length - 1]) / dot(yv[yv.length - 1], yv[yv.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k] * dot(yv[k], q);
      for (let i = 0; i < n; i++) q[i] += s[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) q[i] = -q[i];
    let slope = dot(g, q);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      s.length = 0; yv.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) q[i] = -g[i] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, q);
    }
    // Backtracking line search with the Armijo condition. Near the optimum the loss changes by
    // less than its rounding, so a step within a few ulps of the loss that lowers the slope along
    // the direction counts as progress too: the gradient, not the loss, then leads to tol.
    let step = 1;
    const next = new Float64Array(n), gNext = new Float64Array(n);
    let fNext = Infinity;
    const rounding = 8 * Number.EPSILON * Math.abs(fx);
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < n; i++) next[i] = w[i] + step * q[i];
      fNext = f(next, gNext);
      if (fNext <= fx + 1e-4 * step * slope) break;
      if (fNext <= fx + rounding && Math.abs(dot(gNext, q)) < Math.abs(slope)) break;
      step /= 2;
    }
    if (!(fNext < fx) && !(fNext <= fx)) break;
    const sk = Float64Array.from(next, (v, i) => v - w[i]);
    const yk = Float64Array.from(gNext, (v, i) => v - g[i]);
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      s.push(sk); yv.push(yk); rho.push(1 / sy);
      if (s.length > m) { s.shift(); yv.shift(); rho.shift(); }
    }
    const improvement = fx - fNext;
    w.set(next);
    g = gNext;
    fx = fNext;
    if (improvement <= 0 && step < 1e-12) break;
  }
  return iter;
}

/**
 * @example const model = await new LogisticRegression({ C: 1 }).fit(X, y); model.predictProba(X);
 */
export class LogisticRegression extends Estimator<LogisticRegressionOptions, Fitted> {
  constructor(options?: LogisticRegressionOptions) {
    super(TABLE, options, 'LogisticRegression');
  }

  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): Promise<this> {
    const where = 'LogisticRegression.fit';
    const data = this.fitMatrix(X, `${where}: X`);
    const labels = encodeLabels(toVector(y, `${where}: y`, data.rows), `${where}: y`);
    const k = labels.classes.length;
    if (k < 2) throw new ValueError(`${where}: y has a single class; classification needs at least 2`);
    const o = this.params as Required<LogisticRegressionOptions>;
    const d = data.cols, r = k === 2 ? 1 : k;
    const w = new Float64Array(r * d + (o.fitIntercept ? r : 0));
    const index = Int32Array.from(labels.index);
    const nIter = lbfgs((v, g) => objective(v, data, index, r, 1 / o.C, o.fitIntercept, g), w, o.maxIter, o.tol);
    if (nIter >= o.maxIter) {
      warn('convergence', `LogisticRegression.fit: L-BFGS stopped at maxIter (${o.maxIter}) before the gradient fell below tol (${o.tol}); ` +
        'raise maxIter or scale the data (StandardScaler)');
    }
    this.setFitted({
      classes: labels.classes, features: d, coef: w.slice(0, r * d), intercept: o.fitIntercept ? w.slice(r * d) : new Float64Array(r), nIter,
    });
    return this;
  }

  /** Class scores X·Wᵀ + b (one column for two classes, as scikit-learn's decision_function). */
  decisionFunction(X: MatrixLike): number[][] {
    const where = 'LogisticRegression.decisionFunction';
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the model was fitted with ${f.features}`);
    const r = f.intercept.length, d = f.features;
    return Array.from({ length: data.rows }, (_, i) => Array.from({ length: r }, (_, c) => {
      let s = f.intercept[c];
      for (let j = 0; j < d; j++) s += f.coef[c * d + j] * data.data[i * d + j];
      return s;
    }));
  }

  predictProba(X: MatrixLike): number[][] {
    return this.decisionFunction(X).map((z) => {
      if (z.length === 1) {
        const p = 1 / (1 + exp(-z[0]));
        return [1 - p, p];
      }
      const top = Math.max(...z);
      const e = z.map((v) => exp(v - top));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  }

  predict(X: MatrixLike): (number | string)[] {
    const classes = this.fitted('LogisticRegression.predict').classes;
    return this.predictProba(X).map((p) => classes[p.indexOf(Math.max(...p))]);
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  get classes(): (number | string)[] { return [...this.fitted('classes').classes]; }
  get coef(): number[][] {
    const f = this.fitted('coef');
    return Array.from({ length: f.intercept.length }, (_, c) => Array.from(f.coef.subarray(c * f.features, (c + 1) * f.features)));
  }
  get intercept(): Float64Array { return this.fitted('intercept').intercept.slice(); }
  /** L-BFGS iterations used. */
  get nIter(): number { return this.fitted('nIter').nIter; }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { classes: f.classes, features: f.features, nIter: f.nIter }, arrays: { coef: f.coef, intercept: f.intercept } };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): LogisticRegression {
    return restoreEstimator((p) => new LogisticRegression(p as LogisticRegressionOptions), 'LogisticRegression', source, (meta, a, where) => {
      const classes = meta.classes as (number | string)[], d = meta.features as number;
      const r = Array.isArray(classes) ? (classes.length === 2 ? 1 : classes.length) : 0;
      if (!(r >= 1 && Array.isArray(classes) && classes.length >= 2 && Number.isInteger(d) && d >= 1 && a.coef instanceof Float64Array && a.coef.length === r * d
        && a.intercept instanceof Float64Array && a.intercept.length === r && [...a.coef, ...a.intercept].every(Number.isFinite))) {
        throw new FormatError(`${where}: the saved logistic regression is malformed`);
      }
      return { classes, features: d, coef: a.coef as Float64Array, intercept: a.intercept as Float64Array, nIter: Number(meta.nIter) || 0 };
    });
  }
}
