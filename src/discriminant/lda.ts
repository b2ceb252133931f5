// Linear discriminant analysis (Fisher 1936; scikit-learn's LinearDiscriminantAnalysis): Gaussian
// classes sharing one covariance. Solver 'svd' (default) whitens the within-class scatter by an
// eigendecomposition of the scaled, class-centred data's Gram matrix, then finds the directions
// separating the whitened class means — never inverting the covariance, so a singular
// within-class scatter still works. Solver 'eigen' solves Sb v = λ Sw v through the Cholesky
// factor of Sw, optionally shrunk (a number, or 'auto': Ledoit–Wolf). Decompositions in f64 in
// WebAssembly (src/linalg.ts). The scalings' signs are those of the decompositions (scikit-learn
// does not fix them either): compare directions up to sign.
import { exp, log } from '../elementary.js';
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore } from '../estimator.js';
import { cholesky, eigh, gram } from '../ops/linalg.js';
import { encodeLabels, toVector, type MatrixLike } from '../matrix.js';

export interface LDAOptions {
  /** 'svd' (default) or 'eigen'. */
  solver?: 'svd' | 'eigen';
  /** Shrinkage of the covariance (eigen solver): null (default), a number in [0, 1], or 'auto' (Ledoit–Wolf). */
  shrinkage?: number | 'auto' | null;
  /** Class priors (summing to 1), or null (default): the class frequencies. */
  priors?: number[] | null;
  /** Dimensions kept by transform: null (default: min(classes − 1, features)) or an integer up to that. */
  nComponents?: number | null;
  /** Singular values below this count as zero (svd solver; default 1e-4). */
  tol?: number;
}

interface Fitted {
  classes: (number | string)[];
  features: number;
  priors: Float64Array;
  means: Float64Array; // k × d
  xbar: Float64Array;
  scalings: Float64Array; // d × r, row-major
  rank: number;
  coef: Float64Array; // k × d
  intercept: Float64Array; // k
  explainedVarianceRatio: Float64Array;
  components: number;
}

const TABLE: ParamTable<LDAOptions> = {
  solver: rules.oneOf<'svd' | 'eigen'>('svd', ['svd', 'eigen']),
  shrinkage: rules.custom<number | 'auto' | null>(null, "null, 'auto' or a number in [0, 1]", (v) => v === null || v === 'auto' || (typeof v === 'number' && v >= 0 && v <= 1)),
  priors: rules.custom<number[] | null>(null, 'null or an array of non-negative numbers summing to 1',
    (v) => v === null || (Array.isArray(v) && v.every((p) => typeof p === 'number' && p >= 0) && Math.abs(v.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-8)),
  nComponents: rules.custom<number | null>(null, 'null or a positive integer', (v) => v === null || (Number.isInteger(v) && (v as number) >= 1)),
  tol: rules.positive(1e-4),
};

/** Covariance (biased, /n) of rows (n×d), shrunk as asked (scikit-learn's _cov). */
function covariance(x: Float64Array, n: number, d: number, shrinkage: number | 'auto' | null): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += x[r * d + c] / n;
  const centred = Float64Array.from(x, (v, i) => v - mean[i % d]);
  if (shrinkage === 'auto') {
    // Ledoit–Wolf on standardised data, rescaled (scikit-learn: StandardScaler, ledoit_wolf).
    const scale = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += centred[r * d + c] ** 2;
      scale[c] = Math.sqrt(s / n) || 1;
    }
    const z = Float64Array.from(centred, (v, i) => v / scale[i % d]);
    const s = gram(z, n, d).map((v) => v / n);
    const z2 = z.map((v) => v * v);
    let trace = 0;
    for (let c = 0; c < d; c++) trace += s[c * d + c];
    const mu = trace / d;
    const beta0 = gram(z2, n, d).reduce((a, b) => a + b, 0);
    const delta0 = s.reduce((a, b) => a + b * b, 0);
    let beta = (beta0 / n - delta0) / (d * n);
    let delta = delta0 - 2 * mu * trace + d * mu * mu;
    delta /= d;
    beta = Math.min(beta, delta);
    const alpha = beta === 0 ? 0 : beta / delta;
    const out = s.map((v) => (1 - alpha) * v);
    for (let c = 0; c < d; c++) out[c * d + c] += alpha * mu;
    return out.map((v, i) => v * scale[Math.floor(i / d)] * scale[i % d]);
  }
  const s = gram(centred, n, d).map((v) => v / n);
  if (typeof shrinkage === 'number') {
    let trace = 0;
    for (let c = 0; c < d; c++) trace += s[c * d + c];
    const out = s.map((v) => (1 - shrinkage) * v);
    for (let c = 0; c < d; c++) out[c * d + c] += (shrinkage * trace) / d;
    return out;
  }
  return s;
}

/**
 * @example const lda = await new LinearDiscriminantAnalysis({ nComponents: 2 }).fit(X, y); lda.transform(X); lda.predict(X);
 */
export class LinearDiscriminantAnalysis extends Estimator<LDAOptions, Fitted> {
  constructor(options?: LDAOptions) {
    super(TABLE, options, 'LinearDiscriminantAnalysis');
  }

  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): Promise<this> {
    const where = 'LinearDiscriminantAnalysis.fit';
    const data = this.fitMatrix(X, `${where}: X`);
    const labels = encodeLabels(toVector(y, `${where}: y`, data.rows), `${where}: y`);
    const o = this.params as Required<LDAOptions>;
    const { rows: n, cols: d } = data;
    const k = labels.classes.length;
    if (k < 2) throw new ValueError(`${where}: y has a single class; LDA needs at least 2`);
    if (n <= k) throw new ValueError(`${where}: ${n} samples for ${k} classes; LDA needs more samples than classes`);
    if (o.shrinkage !== null && o.solver === 'svd') throw new ValueError(`${where}: shrinkage needs solver 'eigen'; the 'svd' solver does not shrink`);
    const most = Math.min(k - 1, d);
    if (o.nComponents !== null && o.nComponents > most) throw new ValueError(`${where}: nComponents = ${o.nComponents} exceeds min(classes − 1, features) = ${most}`);
    const counts = new Float64Array(k);
    for (const c of labels.index) counts[c]++;
    let priors = Float64Array.from(counts, (c) => c / n);
    if (o.priors !== null) {
      if (o.priors.length !== k) throw new ValueError(`${where}: priors has ${o.priors.length} values for ${k} classes`);
      priors = Float64Array.from(o.priors);
    }
    const means = new Float64Array(k * d);
    // Sums, then one division (numpy's mean): a constant feature's class means are then the constant itself.
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) means[labels.index[r] * d + c] += data.data[r * d + c];
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
    const rowsOf = (cls: number) => {
      const idx = Array.from(labels.index.keys()).filter((r) => labels.index[r] === cls);
      const out = new Float64Array(idx.length * d);
      idx.forEach((r, i) => out.set(data.data.subarray(r * d, (r + 1) * d), i * d));
      return out;
    };
    const fitted = o.solver === 'svd' ? this.svd(data.data, labels.index, n, d, k, priors, means, o.tol) : this.eigen(data.data, n, d, k, priors, means, rowsOf, o.shrinkage, where);
    this.setFitted({ ...fitted, classes: labels.classes, features: d, priors, means, components: o.nComponents ?? most,
      explainedVarianceRatio: fitted.explainedVarianceRatio.slice(0, o.nComponents ?? most) });
    return this;
  }

  private svd(x: Float64Array, index: ArrayLike<number>, n: number, d: number, k: number, priors: Float64Array, means: Float64Array, tol: number) {
    const xbar = new Float64Array(d);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) xbar[j] += priors[c] * means[c * d + j];
    // Within-class centred, scaled by each feature's standard deviation and √(1/(n − k)).
    const xc = new Float64Array(n * d);
    for (let r = 0, i = 0; r < n; r++) {
      const m = index[r] * d;
      for (let j = 0; j < d; j++, i++) xc[i] = x[i] - means[m + j];
    }
    // Population standard deviation of each feature (rows in order: sums, then squares about the mean).
    const mean = new Float64Array(d), std = new Float64Array(d);
    for (let r = 0, i = 0; r < n; r++) for (let j = 0; j < d; j++, i++) mean[j] += xc[i] / n;
    for (let r = 0, i = 0; r < n; r++) for (let j = 0; j < d; j++, i++) std[j] += (xc[i] - mean[j]) ** 2;
    // A feature constant within every class has std 0, taken as 1 (scikit-learn); so is one whose
    // spread is only the rounding of its class means (below 2⁻⁴⁰ of its size), which scaled up
    // would be noise as large as a real feature.
    const size = new Float64Array(d);
    for (let i = 0; i < n * d; i++) size[i % d] = Math.max(size[i % d], Math.abs(x[i]));
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(std[j] / n);
      std[j] = sd > 2 ** -40 * size[j] ? sd : 1;
    }
    const fac = Math.sqrt(1 / (n - k));
    const xs = new Float64Array(n * d);
    for (let r = 0, i = 0; r < n; r++) for (let j = 0; j < d; j++, i++) xs[i] = (fac * xc[i]) / std[j];
    const first = eigh(gram(xs, n, d), d, 'LinearDiscriminantAnalysis.fit');
    // Singular values S = √λ, largest first; rank: S > tol.
    const order = Array.from({ length: d }, (_, i) => d - 1 - i);
    const sv = order.map((i) => Math.sqrt(Math.max(0, first.values[i])));
    const rank = sv.filter((s) => s > tol).length;
    // scalings₁ (d × rank): column j = v_j / std / S_j.
    const s1 = new Float64Array(d * rank);
    for (let j = 0; j < rank; j++) for (let f = 0; f < d; f++) s1[f * rank + j] = first.vectors[order[j] * d + f] / std[f] / sv[j];
    // Between classes: weighted centred means through scalings₁ (k × rank), then its right singular vectors.
    const fac2 = 1 / (k - 1);
    const m = new Float64Array(k * rank);
    for (let c = 0; c < k; c++) {
      const w = Math.sqrt(n * priors[c] * fac2);
      for (let j = 0; j < rank; j++) {
        let s = 0;
        for (let f = 0; f < d; f++) s += (means[c * d + f] - xbar[f]) * s1[f * rank + j];
        m[c * rank + j] = w * s;
      }
    }
    const second = eigh(gram(m, k, rank), rank, 'LinearDiscriminantAnalysis.fit');
    const order2 = Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const sv2 = order2.map((i) => Math.sqrt(Math.max(0, second.values[i])));
    const total = sv2.reduce((a, s) => a + s * s, 0);
    const explainedVarianceRatio = Float64Array.from(sv2.slice(0, Math.min(k, rank)), (s) => (s * s) / total);
    const rank2 = sv2.filter((s) => s > tol * sv2[0]).length;
    const scalings = new Float64Array(d * rank2);
    for (let f = 0; f < d; f++) {
      for (let j = 0; j < rank2; j++) {
        let s = 0;
        for (let t = 0; t < rank; t++) s += s1[f * rank + t] * second.vectors[order2[j] * rank + t];
        scalings[f * rank2 + j] = s;
      }
    }
    const { coef, intercept } = this.linear(means, xbar, scalings, priors, k, d, rank2);
    return { xbar, scalings, rank: rank2, coef, intercept, explainedVarianceRatio };
  }

  /** scikit-learn's last svd step: coef = ((means − x̄)·S)·Sᵀ, intercept = −½‖(means − x̄)·S‖² + log prior − x̄·coef. */
  private linear(means: Float64Array, xbar: Float64Array, scalings: Float64Array, priors: Float64Array, k: number, d: number, r: number) {
    const coef = new Float64Array(k * d), intercept = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const z = new Float64Array(r);
      for (let j = 0; j < r; j++) for (let f = 0; f < d; f++) z[j] += (means[c * d + f] - xbar[f]) * scalings[f * r + j];
      intercept[c] = -0.5 * z.reduce((a, v) => a + v * v, 0) + log(priors[c]);
      for (let f = 0; f < d; f++) {
        let s = 0;
        for (let j = 0; j < r; j++) s += z[j] * scalings[f * r + j];
        coef[c * d + f] = s;
      }
      for (let f = 0; f < d; f++) intercept[c] -= xbar[f] * coef[c * d + f];
    }
    return { coef, intercept };
  }

  private eigen(x: Float64Array, n: number, d: number, k: number, priors: Float64Array, means: Float64Array, rowsOf: (c: number) => Float64Array,
    shrinkage: number | 'auto' | null, where: string) {
    const sw = new Float64Array(d * d);
    for (let c = 0; c < k; c++) {
      const rows = rowsOf(c);
      covariance(rows, rows.length / d, d, shrinkage).forEach((v, i) => (sw[i] += priors[c] * v));
    }
    const st = covariance(x, n, d, shrinkage);
    const sb = st.map((v, i) => v - sw[i]);
    const l = cholesky(sw, d);
    if (!l) throw new ValueError(`${where}: the within-class covariance is singular; use solver 'svd' or shrinkage`);
    // C = L⁻¹ Sb L⁻ᵀ (forward substitution on columns, then rows), eigenvectors v = L⁻ᵀ y.
    const solveLower = (b: Float64Array) => { // L z = b for each column of b (d × d)
      const z = b.slice();
      for (let col = 0; col < d; col++) {
        for (let i = 0; i < d; i++) {
          let s = z[i * d + col];
          for (let t = 0; t < i; t++) s -= l[i * d + t] * z[t * d + col];
          z[i * d + col] = s / l[i * d + i];
        }
      }
      return z;
    };
    const transpose = (a: Float64Array) => Float64Array.from(a, (_, i) => a[(i % d) * d + Math.floor(i / d)]);
    const c = solveLower(transpose(solveLower(sb)));
    const { values, vectors } = eigh(c.map((v, i) => (v + c[(i % d) * d + Math.floor(i / d)]) / 2), d, where);
    const order = Array.from({ length: d }, (_, i) => d - 1 - i);
    // v = L⁻ᵀ y: back substitution with Lᵀ, one eigenvector at a time.
    const scalings = new Float64Array(d * d);
    order.forEach((src, j) => {
      const v = vectors.slice(src * d, (src + 1) * d);
      for (let i = d - 1; i >= 0; i--) {
        let s = v[i];
        for (let t = i + 1; t < d; t++) s -= l[t * d + i] * v[t];
        v[i] = s / l[i * d + i];
      }
      for (let f = 0; f < d; f++) scalings[f * d + j] = v[f];
    });
    const evals = order.map((i) => values[i]);
    const sum = evals.reduce((a, b) => a + b, 0);
    const explainedVarianceRatio = Float64Array.from(evals.map((e) => e / sum).sort((a, b) => b - a));
    // coef = means·V·Vᵀ, intercept = −½ diag(means·coefᵀ) + log priors.
    const coef = new Float64Array(k * d), intercept = new Float64Array(k);
    for (let cl = 0; cl < k; cl++) {
      const z = new Float64Array(d);
      for (let j = 0; j < d; j++) for (let f = 0; f < d; f++) z[j] += means[cl * d + f] * scalings[f * d + j];
      for (let f = 0; f < d; f++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += z[j] * scalings[f * d + j];
        coef[cl * d + f] = s;
      }
      let dotm = 0;
      for (let f = 0; f < d; f++) dotm += means[cl * d + f] * coef[cl * d + f];
      intercept[cl] = -0.5 * dotm + log(priors[cl]);
    }
    return { xbar: new Float64Array(d), scalings, rank: d, coef, intercept, explainedVarianceRatio };
  }

  /** Class scores X·coefᵀ + intercept (samples × classes). */
  private scores(X: MatrixLike, where: string): { f: Fitted; z: number[][] } {
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the model was fitted with ${f.features}`);
    const k = f.classes.length, d = f.features;
    return { f, z: Array.from({ length: data.rows }, (_, r) => Array.from({ length: k }, (_, c) => {
      let s = f.intercept[c];
      for (let j = 0; j < d; j++) s += data.data[r * d + j] * f.coef[c * d + j];
      return s;
    })) };
  }

  /** scikit-learn's decision_function: per class (one column, class 1 against class 0, for two classes). */
  decisionFunction(X: MatrixLike): number[][] {
    const { f, z } = this.scores(X, 'LinearDiscriminantAnalysis.decisionFunction');
    return f.classes.length === 2 ? z.map((row) => [row[1] - row[0]]) : z;
  }

  predictProba(X: MatrixLike): number[][] {
    return this.scores(X, 'LinearDiscriminantAnalysis.predictProba').z.map((row) => {
      const top = Math.max(...row);
      const e = row.map((v) => exp(v - top));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  }

  predict(X: MatrixLike): (number | string)[] {
    const { f, z } = this.scores(X, 'LinearDiscriminantAnalysis.predict');
    return z.map((row) => f.classes[row.indexOf(Math.max(...row))]);
  }

  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  /** The projection on the discriminant directions (first nComponents). */
  transform(X: MatrixLike): number[][] {
    const where = 'LinearDiscriminantAnalysis.transform';
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the model was fitted with ${f.features}`);
    const d = f.features, r = f.rank, m = Math.min(f.components, r);
    return Array.from({ length: data.rows }, (_, row) => Array.from({ length: m }, (_, j) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data.data[row * d + c] - f.xbar[c]) * f.scalings[c * r + j];
      return s;
    }));
  }

  async fitTransform(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): Promise<number[][]> {
    await this.fit(X, y);
    return this.transform(X);
  }

  get classes(): (number | string)[] { return [...this.fitted('classes').classes]; }
  get priors(): Float64Array { return this.fitted('priors').priors.slice(); }
  get means(): number[][] {
    const f = this.fitted('means');
    return f.classes.map((_, c) => Array.from(f.means.subarray(c * f.features, (c + 1) * f.features)));
  }
  /** Discriminant directions, features × rank (columns). */
  get scalings(): number[][] {
    const f = this.fitted('scalings');
    return Array.from({ length: f.features }, (_, i) => Array.from(f.scalings.subarray(i * f.rank, (i + 1) * f.rank)));
  }
  get explainedVarianceRatio(): Float64Array { return this.fitted('explainedVarianceRatio').explainedVarianceRatio.slice(); }
  /** scikit-learn's coef_ (one row, class 1 against class 0, for two classes). */
  get coef(): number[][] {
    const f = this.fitted('coef');
    const rows = f.classes.map((_, c) => Array.from(f.coef.subarray(c * f.features, (c + 1) * f.features)));
    return rows.length === 2 ? [rows[1].map((v, j) => v - rows[0][j])] : rows;
  }
  get intercept(): Float64Array {
    const f = this.fitted('intercept');
    return f.classes.length === 2 ? Float64Array.of(f.intercept[1] - f.intercept[0]) : f.intercept.slice();
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return {
      meta: { classes: f.classes, features: f.features, rank: f.rank, components: f.components },
      arrays: { priors: f.priors, means: f.means, xbar: f.xbar, scalings: f.scalings, coef: f.coef, intercept: f.intercept, explainedVarianceRatio: f.explainedVarianceRatio },
    };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): LinearDiscriminantAnalysis {
    return restoreEstimator((p) => new LinearDiscriminantAnalysis(p as LDAOptions), 'LinearDiscriminantAnalysis', source, (meta, a, where) => {
      const classes = meta.classes as (number | string)[], d = meta.features as number, r = meta.rank as number, comps = meta.components as number;
      const k = Array.isArray(classes) ? classes.length : 0;
      const f64 = (x: unknown, len: number) => x instanceof Float64Array && x.length === len;
      if (!(k >= 2 && Number.isInteger(d) && d >= 1 && Number.isInteger(r) && r >= 0 && Number.isInteger(comps) && f64(a.priors, k) && f64(a.means, k * d) && f64(a.xbar, d)
        && f64(a.scalings, d * r) && f64(a.coef, k * d) && f64(a.intercept, k) && a.explainedVarianceRatio instanceof Float64Array)) {
        throw new FormatError(`${where}: the saved discriminant analysis is malformed`);
      }
      return {
        classes, features: d, rank: r, components: comps, priors: a.priors as Float64Array, means: a.means as Float64Array, xbar: a.xbar as Float64Array,
        scalings: a.scalings as Float64Array, coef: a.coef as Float64Array, intercept: a.intercept as Float64Array, explainedVarianceRatio: a.explainedVarianceRatio as Float64Array,
      };
    });
  }
}
