// scikit-learn's PolynomialFeatures: every product of at most `degree` features (each feature once
// with interactionOnly), in scikit-learn's column order — degree by degree, the index tuples in
// lexicographic order, a column of ones first with includeBias — and its names ('x0^2', 'x0 x1').
// A product x_i · x_j · x_k is formed as x_i · (x_j · x_k), the order scikit-learn's dense
// expansion multiplies in.
import { ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { MatrixLike } from '../matrix.js';
import { readFeatureCount, savedFeatureCount, type FeatureCount } from './feature-count.js';

export interface PolynomialFeaturesOptions {
  /** The largest total degree (default 2, at least 1). */
  degree?: number;
  /** Only products of distinct features (default false). */
  interactionOnly?: boolean;
  /** Start with a column of ones (default true). */
  includeBias?: boolean;
}

/** The index tuples of the output columns, in scikit-learn's order. */
function combinations(features: number, degree: number, interactionOnly: boolean, includeBias: boolean): number[][] {
  const out: number[][] = includeBias ? [[]] : [];
  let level: number[][] = [[]];
  for (let d = 1; d <= degree; d++) {
    level = level.flatMap((t) => {
      const from = t.length ? t[t.length - 1] + (interactionOnly ? 1 : 0) : 0;
      return Array.from({ length: Math.max(0, features - from) }, (_, k) => [...t, from + k]);
    });
    out.push(...level);
  }
  return out;
}

/** How many output columns (in floating point, so that a huge count is seen before anything is built). */
function columnCount(features: number, degree: number, interactionOnly: boolean, includeBias: boolean): number {
  let total = includeBias ? 1 : 0, level = 1;
  for (let d = 1; d <= degree; d++) {
    // C(n + d − 1, d) with replacement, C(n, d) without, built up one degree at a time.
    level = (level * (interactionOnly ? features - d + 1 : features + d - 1)) / d;
    if (level <= 0) break;
    total += level;
  }
  return Math.round(total);
}

/** Products of the features up to a degree. */
export class PolynomialFeatures extends Estimator<PolynomialFeaturesOptions, FeatureCount> {
  constructor(options?: PolynomialFeaturesOptions) {
    super({
      degree: rules.integer(2, 1),
      interactionOnly: rules.boolean(false),
      includeBias: rules.boolean(true),
    } satisfies ParamTable<PolynomialFeaturesOptions>, options, 'PolynomialFeatures');
  }

  private combos(features: number): number[][] {
    return combinations(features, this.params.degree, this.params.interactionOnly, this.params.includeBias);
  }

  async fit(X: MatrixLike): Promise<this> {
    const features = this.fitMatrix(X, 'PolynomialFeatures.fit: X').cols;
    const columns = columnCount(features, this.params.degree, this.params.interactionOnly, this.params.includeBias);
    if (columns > 1 << 20) throw new ValueError(`PolynomialFeatures.fit: degree ${this.params.degree} over ${features} features makes ${columns} columns; at most ${1 << 20}`);
    this.setFitted({ features });
    return this;
  }

  transform(X: MatrixLike): number[][] {
    const f = this.fitted('PolynomialFeatures.transform');
    const m = this.queryMatrix(X, 'PolynomialFeatures.transform: X');
    if (m.cols !== f.features) throw new ValueError(`PolynomialFeatures.transform: X has ${m.cols} features, but the transformer was fitted with ${f.features}`);
    const combos = this.combos(f.features);
    return Array.from({ length: m.rows }, (_, r) => combos.map((t) => {
      let p = 1;
      for (let k = t.length - 1; k >= 0; k--) p = k === t.length - 1 ? m.data[r * m.cols + t[k]] : m.data[r * m.cols + t[k]] * p;
      return p;
    }));
  }

  async fitTransform(X: MatrixLike): Promise<number[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  /** The output names: '1', 'x0', 'x0^2', 'x0 x1', … (from fit's names, or `inputFeatures`). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.fitted('PolynomialFeatures.getFeatureNamesOut');
    const names = inputFeatures ?? this.featureNamesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
    if (names.length !== f.features) throw new ValueError(`PolynomialFeatures.getFeatureNamesOut: inputFeatures must be ${f.features} names; received ${names.length}`);
    return this.combos(f.features).map((t) => {
      if (t.length === 0) return '1';
      const powers = new Map<number, number>();
      for (const i of t) powers.set(i, (powers.get(i) ?? 0) + 1);
      return [...powers].map(([i, p]) => (p > 1 ? `${names[i]}^${p}` : names[i])).join(' ');
    });
  }

  /** The number of output columns (counted, not built: the test checks it against the columns made). */
  get nOutputFeatures(): number {
    return columnCount(this.fitted('nOutputFeatures').features, this.params.degree, this.params.interactionOnly, this.params.includeBias);
  }

  protected toSaved(f: FeatureCount): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return savedFeatureCount(f);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): PolynomialFeatures {
    return restoreEstimator((p) => new PolynomialFeatures(p as PolynomialFeaturesOptions), 'PolynomialFeatures', source, (meta, _a, where) => readFeatureCount(meta, where, 'transformer'));
  }
}
