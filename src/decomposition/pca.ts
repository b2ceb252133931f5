// Principal component analysis (scikit-learn's PCA): the eigenvectors of the covariance of the
// centred data, largest variance first. The covariance XᵀX is summed in f64 in WebAssembly
// (assembly/linalg/gram.ts, threaded by rows) and decomposed there (assembly/linalg/eigen.ts:
// Householder tridiagonalisation and implicit QL). Signs follow scikit-learn's svd_flip: each
// component points so that the sample with the largest |projection| projects positively.
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { eigh, gram, project } from '../linalg.js';

export interface PCAOptions {
  /** Components kept: null (all, min(samples, features)), an integer, or a fraction in (0, 1) of the variance to keep. */
  nComponents?: number | null;
  /** Scale the projections to unit variance (default false). */
  whiten?: boolean;
  /** 'auto' or 'full' (default 'auto'): the full decomposition of the covariance. */
  svdSolver?: 'auto' | 'full';
}

interface Fitted {
  mean: Float64Array;
  /** nComponents × features, row-major. */
  components: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  noiseVariance: number;
  features: number;
  samples: number;
}

const TABLE: ParamTable<PCAOptions> = {
  nComponents: rules.custom<number | null>(null, 'null, a positive integer, or a fraction in (0, 1)',
    (v) => v === null || (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v < 1)))),
  whiten: rules.boolean(false),
  svdSolver: rules.oneOf<'auto' | 'full'>('auto', ['auto', 'full']),
};

/**
 * @example const pca = await new PCA({ nComponents: 2 }).fit(X); pca.explainedVarianceRatio; pca.transform(X);
 */
export class PCA extends Estimator<PCAOptions, Fitted> {
  constructor(options?: PCAOptions) {
    super(TABLE, options, 'PCA');
  }

  async fit(X: MatrixLike): Promise<this> {
    const data = toMatrix(X, 'PCA.fit: X');
    const { rows: n, cols: d } = data;
    if (n < 2) throw new ValueError(`PCA.fit: X needs at least 2 samples; received ${n}`);
    const o = this.params as Required<PCAOptions>;
    const most = Math.min(n, d);
    if (typeof o.nComponents === 'number' && Number.isInteger(o.nComponents) && o.nComponents > most) {
      throw new ValueError(`PCA.fit: nComponents = ${o.nComponents} exceeds min(samples, features) = ${most}`);
    }
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += data.data[r * d + c];
    for (let c = 0; c < d; c++) mean[c] /= n;
    const centred = new Float64Array(n * d);
    for (let r = 0, i = 0; r < n; r++) for (let c = 0; c < d; c++, i++) centred[i] = data.data[i] - mean[c];
    const g = gram(centred, n, d);
    // The total variance: the trace of the covariance.
    let total = 0;
    for (let c = 0; c < d; c++) total += g[c * d + c] / (n - 1);
    const { values, vectors } = eigh(g, d, 'PCA.fit');
    // Largest first; variances S²/(n − 1), never below 0 (rounding of a null direction).
    const variance = Array.from({ length: most }, (_, i) => Math.max(0, values[d - 1 - i]) / (n - 1));
    const ratio = variance.map((v) => v / total);
    let k: number;
    if (o.nComponents === null) k = most;
    else if (Number.isInteger(o.nComponents)) k = o.nComponents;
    else {
      // The fewest components whose cumulative ratio exceeds the fraction (scikit-learn's searchsorted, side right).
      let sum = 0;
      k = most;
      for (let i = 0; i < most; i++) {
        sum += ratio[i];
        if (sum > o.nComponents) { k = i + 1; break; }
      }
    }
    const components = new Float64Array(k * d);
    for (let i = 0; i < k; i++) components.set(vectors.subarray((d - 1 - i) * d, (d - i) * d), i * d);
    // svd_flip (u-based): the first sample with the largest |u| projects positively.
    const u = project(centred, n, d, components, k);
    for (let i = 0; i < k; i++) {
      let best = -1, at = 0;
      for (let r = 0; r < n; r++) {
        const v = u[r * k + i];
        if (Math.abs(v) > best) { best = Math.abs(v); at = v; }
      }
      if (at < 0) for (let c = 0; c < d; c++) components[i * d + c] = -components[i * d + c];
    }
    const rest = variance.slice(k);
    this.setFitted({
      mean, components, features: d, samples: n,
      explainedVariance: Float64Array.from(variance.slice(0, k)),
      explainedVarianceRatio: Float64Array.from(ratio.slice(0, k)),
      singularValues: Float64Array.from(variance.slice(0, k), (v) => Math.sqrt(v * (n - 1))),
      noiseVariance: k < most && rest.length > 0 ? rest.reduce((a, b) => a + b, 0) / rest.length : 0,
    });
    return this;
  }

  /** The projections of X on the components (whitened: divided by their standard deviations). */
  transform(X: MatrixLike): number[][] {
    const f = this.fitted('PCA.transform');
    const data = this.checked(X, 'PCA.transform', f);
    const k = f.explainedVariance.length, d = f.features;
    return Array.from({ length: data.rows }, (_, r) => Array.from({ length: k }, (_, i) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data.data[r * d + c] - f.mean[c]) * f.components[i * d + c];
      return this.params.whiten ? s / Math.sqrt(f.explainedVariance[i]) : s;
    }));
  }

  async fitTransform(X: MatrixLike): Promise<number[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  /** Back from projections to the data space: mean + projections · components. */
  inverseTransform(Z: MatrixLike): number[][] {
    const f = this.fitted('PCA.inverseTransform');
    const k = f.explainedVariance.length, d = f.features;
    const z = toMatrix(Z, 'PCA.inverseTransform: Z');
    if (z.cols !== k) throw new ValueError(`PCA.inverseTransform: Z has ${z.cols} columns, but the PCA keeps ${k} components`);
    return Array.from({ length: z.rows }, (_, r) => Array.from({ length: d }, (_, c) => {
      let s = f.mean[c];
      for (let i = 0; i < k; i++) s += z.data[r * k + i] * (this.params.whiten ? Math.sqrt(f.explainedVariance[i]) : 1) * f.components[i * d + c];
      return s;
    }));
  }

  private checked(X: MatrixLike, where: string, f: Fitted): Matrix {
    const data = toMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the PCA was fitted with ${f.features}`);
    return data;
  }

  /** Principal axes, nComponents × features. */
  get components(): number[][] {
    const f = this.fitted('components');
    const d = f.features;
    return Array.from({ length: f.explainedVariance.length }, (_, i) => Array.from(f.components.subarray(i * d, (i + 1) * d)));
  }

  get explainedVariance(): Float64Array { return this.fitted('explainedVariance').explainedVariance.slice(); }
  get explainedVarianceRatio(): Float64Array { return this.fitted('explainedVarianceRatio').explainedVarianceRatio.slice(); }
  get singularValues(): Float64Array { return this.fitted('singularValues').singularValues.slice(); }
  get mean(): Float64Array { return this.fitted('mean').mean.slice(); }
  get noiseVariance(): number { return this.fitted('noiseVariance').noiseVariance; }
  get nComponents(): number { return this.fitted('nComponents').explainedVariance.length; }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return {
      meta: { features: f.features, samples: f.samples, noiseVariance: f.noiseVariance },
      arrays: { mean: f.mean, components: f.components, explainedVariance: f.explainedVariance, explainedVarianceRatio: f.explainedVarianceRatio, singularValues: f.singularValues },
    };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): PCA {
    return restoreEstimator((p) => new PCA(p as PCAOptions), 'PCA', source, (meta, a, where) => {
      const d = meta.features as number, k = a.explainedVariance?.length ?? 0;
      const ok = Number.isInteger(d) && d >= 1 && k >= 1 && [a.mean, a.components, a.explainedVariance, a.explainedVarianceRatio, a.singularValues].every((x) => x instanceof Float64Array)
        && a.mean.length === d && a.components.length === k * d && a.explainedVarianceRatio.length === k && a.singularValues.length === k && typeof meta.noiseVariance === 'number';
      if (!ok) throw new FormatError(`${where}: the saved PCA is malformed`);
      return {
        features: d, samples: meta.samples as number, noiseVariance: meta.noiseVariance as number, mean: a.mean as Float64Array, components: a.components as Float64Array,
        explainedVariance: a.explainedVariance as Float64Array, explainedVarianceRatio: a.explainedVarianceRatio as Float64Array, singularValues: a.singularValues as Float64Array,
      };
    });
  }
}
