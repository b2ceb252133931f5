// Principal component analysis (scikit-learn's PCA): the eigenvectors of the covariance of the
// centred data, largest variance first. svdSolver 'randomized' finds the leading ones only
// (randomized-svd.ts); 'full', below, all of them. The covariance XᵀX is summed in f64 in WebAssembly
// (assembly/linalg/gram.ts, threaded by rows) and decomposed there (assembly/linalg/eigen.ts:
// Householder tridiagonalisation and implicit QL). Signs follow scikit-learn's svd_flip: each
// component points so that the sample with the largest |projection| projects positively.
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toMatrix, type Matrix, type MatrixLike } from '../matrix.js';
import { centredGram, columnMeans, eigh, project } from '../ops/linalg.js';
import { flipByProjections } from './svd-flip.js';
import { nextSeed } from '../seed.js';
import { randomizedSvd } from './randomized-svd.js';

export interface PCAOptions {
  /** Components kept: null (all, min(samples, features)), an integer, or a fraction in (0, 1) of the variance to keep. */
  nComponents?: number | null;
  /** Scale the projections to unit variance (default false). */
  whiten?: boolean;
  /**
   * 'full': the eigendecomposition of the whole covariance (f64); 'randomized': randomized subspace
   * iteration for the leading components only (Halko et al.; needs an integer nComponents);
   * 'auto' (default): scikit-learn's rule, randomized when the data have more than 500 samples or
   * features and nComponents is an integer below 80 % of min(samples, features), else full.
   */
  svdSolver?: 'auto' | 'full' | 'randomized';
  /** Passes of the randomized solver: 'auto' (default: 7 when nComponents < 10 % of min(samples, features), else 4) or an integer ≥ 0. */
  iteratedPower?: number | 'auto';
  /** Extra columns of the randomized solver's subspace (default 10). */
  nOversamples?: number;
  /** Seed of the randomized solver's Gaussian start: an integer in [0, 2^53), or null (the setRandomSeed sequence or a fresh one). */
  seed?: number | null;
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
  svdSolver: rules.oneOf<'auto' | 'full' | 'randomized'>('auto', ['auto', 'full', 'randomized']),
  iteratedPower: rules.custom<number | 'auto'>('auto', "'auto' or an integer ≥ 0", (v) => v === 'auto' || (Number.isInteger(v) && (v as number) >= 0)),
  nOversamples: rules.integer(10, 0),
  seed: rules.seed(),
};

/**
 * @example const pca = await new PCA({ nComponents: 2 }).fit(X); pca.explainedVarianceRatio; pca.transform(X);
 */
export class PCA extends Estimator<PCAOptions, Fitted> {
  constructor(options?: PCAOptions) {
    super(TABLE, options, 'PCA');
  }

  async fit(X: MatrixLike): Promise<this> {
    const data = this.fitMatrix(X, 'PCA.fit: X');
    const { rows: n, cols: d } = data;
    if (n < 2) throw new ValueError(`PCA.fit: X needs at least 2 samples; received ${n}`);
    const o = this.params as Required<PCAOptions>;
    const most = Math.min(n, d);
    if (typeof o.nComponents === 'number' && Number.isInteger(o.nComponents) && o.nComponents > most) {
      throw new ValueError(`PCA.fit: nComponents = ${o.nComponents} exceeds min(samples, features) = ${most}`);
    }
    const mean = columnMeans(data.data, n, d);
    if (solverFor(n, d, o) === 'randomized') return this.fitRandomized(data.data, n, d, mean);
    const g = centredGram(data.data, n, d, mean);
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
    flipByProjections(data.data, n, d, mean, components, k);
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

  /** scikit-learn's _fit_truncated: the leading components by randomized subspace iteration. */
  private fitRandomized(x: Float64Array, n: number, d: number, mean: Float64Array): this {
    const o = this.params as Required<PCAOptions>;
    const most = Math.min(n, d);
    if (o.nComponents !== null && !Number.isInteger(o.nComponents)) {
      throw new ValueError(`PCA.fit: nComponents = ${o.nComponents} (a fraction of the variance) needs svdSolver 'full' or 'auto'; 'randomized' needs an integer`);
    }
    const k = o.nComponents ?? most;
    const passes = o.iteratedPower === 'auto' ? (k < 0.1 * most ? 7 : 4) : o.iteratedPower;
    const seed = nextSeed(o.seed ?? undefined, 'PCA.fit');
    const { squares, vectors, total } = randomizedSvd(x, n, d, mean, k, o.nOversamples, passes, seed);
    const variance = Float64Array.from(squares, (s) => s / (n - 1));
    const kept = variance.reduce((a, b) => a + b, 0);
    this.setFitted({
      mean, components: vectors, features: d, samples: n,
      explainedVariance: variance,
      explainedVarianceRatio: Float64Array.from(variance, (v) => v / total),
      singularValues: Float64Array.from(squares, Math.sqrt),
      noiseVariance: k < most ? (total - kept) / (most - k) : 0,
    });
    return this;
  }

  /** The projections of X on the components (whitened: divided by their standard deviations). */
  transform(X: MatrixLike): number[][] {
    const f = this.fitted('PCA.transform');
    const data = this.checked(X, 'PCA.transform', f);
    const k = f.explainedVariance.length, d = f.features, n = data.rows;
    // (X − mean)·componentsᵀ, centred here and projected in WebAssembly (threaded by rows).
    const centred = new Float64Array(n * d);
    for (let r = 0, i = 0; r < n; r++) for (let c = 0; c < d; c++, i++) centred[i] = data.data[i] - f.mean[c];
    const z = project(centred, n, d, f.components, k);
    const scale = this.params.whiten ? f.explainedVariance.map(Math.sqrt) : null;
    return Array.from({ length: n }, (_, r) => Array.from({ length: k }, (_, i) => (scale ? z[r * k + i] / scale[i] : z[r * k + i])));
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
    const data = this.queryMatrix(X, `${where}: X`);
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

/** scikit-learn 1.2's choice for svd_solver='auto' (integer nComponents below 80 % of the smaller side of large data: randomized). */
function solverFor(n: number, d: number, o: Required<PCAOptions>): 'full' | 'randomized' {
  if (o.svdSolver !== 'auto') return o.svdSolver;
  const k = o.nComponents ?? Math.min(n, d);
  return Math.max(n, d) > 500 && Number.isInteger(k) && k >= 1 && k < 0.8 * Math.min(n, d) ? 'randomized' : 'full';
}
