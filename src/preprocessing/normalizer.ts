// scikit-learn's Normalizer: each row (sample) scaled to unit norm — l2, l1 or max — on its own;
// a row of zeros stays zeros. Nothing is learnt but the number of features.
import { ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { MatrixLike } from '../matrix.js';
import { readFeatureCount, savedFeatureCount, type FeatureCount } from './feature-count.js';

export interface NormalizerOptions {
  /** 'l2' (default), 'l1' or 'max'. */
  norm?: 'l2' | 'l1' | 'max';
}

/** Scales each sample to unit norm. */
export class Normalizer extends Estimator<NormalizerOptions, FeatureCount> {
  constructor(options?: NormalizerOptions) {
    super({ norm: rules.oneOf('l2', ['l2', 'l1', 'max'] as const) } satisfies ParamTable<NormalizerOptions>, options, 'Normalizer');
  }

  async fit(X: MatrixLike): Promise<this> {
    this.setFitted({ features: this.fitMatrix(X, 'Normalizer.fit: X').cols });
    return this;
  }

  transform(X: MatrixLike): number[][] {
    const f = this.fitted('Normalizer.transform');
    const m = this.queryMatrix(X, 'Normalizer.transform: X');
    if (m.cols !== f.features) throw new ValueError(`Normalizer.transform: X has ${m.cols} features, but the normalizer was fitted with ${f.features}`);
    return Array.from({ length: m.rows }, (_, r) => {
      const row = m.data.subarray(r * m.cols, (r + 1) * m.cols);
      let norm = 0;
      for (const v of row) norm = this.params.norm === 'l2' ? norm + v * v : this.params.norm === 'l1' ? norm + Math.abs(v) : Math.max(norm, Math.abs(v));
      if (this.params.norm === 'l2') norm = Math.sqrt(norm);
      return Array.from(row, (v) => (norm === 0 ? v : v / norm));
    });
  }

  async fitTransform(X: MatrixLike): Promise<number[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  getFeatureNamesOut(): string[] {
    const f = this.fitted('Normalizer.getFeatureNamesOut');
    return this.featureNamesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
  }

  protected toSaved(f: FeatureCount): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return savedFeatureCount(f);
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): Normalizer {
    return restoreEstimator((p) => new Normalizer(p as NormalizerOptions), 'Normalizer', source, (meta, _a, where) => readFeatureCount(meta, where, 'normalizer'));
  }
}
