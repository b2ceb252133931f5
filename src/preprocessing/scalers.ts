// Feature scaling (scikit-learn's StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler): per-feature statistics learnt
// by fit, applied by transform and undone by inverseTransform. A constant feature has scale 1, as
// in scikit-learn, so it maps to 0 (standard) or to the range's minimum (min-max).
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { type MatrixLike } from '../matrix.js';
import { normalQuantile, percentile } from '../quantiles.js';

interface Fitted {
  /** x' = (x − offset) / scale · factor + shift, per feature. */
  offset: Float64Array;
  scale: Float64Array;
  features: number;
}

abstract class Scaler<P extends object> extends Estimator<P, Fitted> {
  protected abstract statistics(columns: (c: number) => Float64Array, d: number): { offset: Float64Array; scale: Float64Array };
  /** [factor, shift] applied after (x − offset) / scale (none but MinMaxScaler's range moves it). */
  protected affine(): [number, number] {
    return [1, 0];
  }

  async fit(X: MatrixLike): Promise<this> {
    const data = this.fitMatrix(X, `${this.estimatorName}.fit: X`);
    const column = (c: number) => {
      const v = new Float64Array(data.rows);
      for (let r = 0; r < data.rows; r++) v[r] = data.data[r * data.cols + c];
      return v;
    };
    this.setFitted({ ...this.statistics(column, data.cols), features: data.cols });
    return this;
  }

  transform(X: MatrixLike): number[][] {
    const [factor, shift] = this.affine();
    return this.map(X, 'transform', (v, offset, scale) => ((v - offset) / scale) * factor + shift);
  }

  inverseTransform(X: MatrixLike): number[][] {
    const [factor, shift] = this.affine();
    return this.map(X, 'inverseTransform', (v, offset, scale) => ((v - shift) / factor) * scale + offset);
  }

  async fitTransform(X: MatrixLike): Promise<number[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  /** The output columns' names: the input's (fit's names, `inputFeatures`, or x0, x1, …), as scikit-learn's one-to-one transformers name them. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.fitted(`${this.estimatorName}.getFeatureNamesOut`);
    if (inputFeatures === undefined) return this.featureNamesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
    if (!Array.isArray(inputFeatures) || inputFeatures.length !== f.features || !inputFeatures.every((n) => typeof n === 'string')) {
      throw new ValueError(`${this.estimatorName}.getFeatureNamesOut: inputFeatures must be ${f.features} strings; received ${String(inputFeatures)}`);
    }
    return [...inputFeatures];
  }

  /** fn applied to every value with its column's offset and scale; plain loops, as transform sits inside every search. */
  private map(X: MatrixLike, method: string, fn: (v: number, offset: number, scale: number) => number): number[][] {
    const where = `${this.estimatorName}.${method}`;
    const f = this.fitted(where);
    const data = this.queryMatrix(X, `${where}: X`);
    if (data.cols !== f.features) throw new ValueError(`${where}: X has ${data.cols} features, but the scaler was fitted with ${f.features}`);
    const out = new Array<number[]>(data.rows);
    for (let r = 0; r < data.rows; r++) {
      const row = new Array<number>(data.cols);
      for (let c = 0; c < data.cols; c++) row[c] = fn(data.data[r * data.cols + c], f.offset[c], f.scale[c]);
      out[r] = row;
    }
    return out;
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { features: f.features }, arrays: { offset: f.offset, scale: f.scale } };
  }

  protected static reader(meta: Record<string, unknown>, a: Record<string, Float64Array | Int32Array>, where: string): Fitted {
    const d = meta.features as number;
    if (!Number.isInteger(d) || d < 1 || !(a.offset instanceof Float64Array) || !(a.scale instanceof Float64Array) || a.offset.length !== d || a.scale.length !== d
      || !a.scale.every((s) => Number.isFinite(s) && s > 0)) {
      throw new FormatError(`${where}: the saved scaler is malformed`);
    }
    return { features: d, offset: a.offset, scale: a.scale };
  }
}

export interface StandardScalerOptions {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (population, as scikit-learn; default true). */
  withStd?: boolean;
}

/** (x − mean) / standard deviation, per feature. */
export class StandardScaler extends Scaler<StandardScalerOptions> {
  constructor(options?: StandardScalerOptions) {
    super({ withMean: rules.boolean(true), withStd: rules.boolean(true) } satisfies ParamTable<StandardScalerOptions>, options, 'StandardScaler');
  }

  protected statistics(column: (c: number) => Float64Array, d: number): { offset: Float64Array; scale: Float64Array } {
    const offset = new Float64Array(d), scale = new Float64Array(d).fill(1);
    for (let c = 0; c < d; c++) {
      const v = column(c);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      if (this.params.withMean) offset[c] = mean;
      if (this.params.withStd) {
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
        scale[c] = sd > 0 ? sd : 1;
      }
    }
    return { offset, scale };
  }

  get mean(): Float64Array { return this.fitted('mean').offset.slice(); }
  get scale(): Float64Array { return this.fitted('scale').scale.slice(); }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): StandardScaler {
    return restoreEstimator((p) => new StandardScaler(p as StandardScalerOptions), 'StandardScaler', source, Scaler.reader);
  }
}

export interface MinMaxScalerOptions {
  /** The target range [min, max] (default [0, 1]). */
  featureRange?: [number, number];
}

/** Maps each feature's [min, max] seen at fit onto featureRange. */
export class MinMaxScaler extends Scaler<MinMaxScalerOptions> {
  constructor(options?: MinMaxScalerOptions) {
    super({
      featureRange: rules.custom<[number, number]>([0, 1], 'a pair [min, max] of finite numbers with min < max',
        (v) => Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && v[0] < v[1]),
    }, options, 'MinMaxScaler');
  }

  protected statistics(column: (c: number) => Float64Array, d: number): { offset: Float64Array; scale: Float64Array } {
    const offset = new Float64Array(d), scale = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      const v = column(c);
      let lo = Infinity, hi = -Infinity;
      for (const x of v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      offset[c] = lo;
      scale[c] = hi > lo ? hi - lo : 1;
    }
    return { offset, scale };
  }

  protected override affine(): [number, number] {
    const [lo, hi] = this.params.featureRange!;
    return [hi - lo, lo];
  }

  get dataMin(): Float64Array { return this.fitted('dataMin').offset.slice(); }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): MinMaxScaler {
    return restoreEstimator((p) => new MinMaxScaler(p as MinMaxScalerOptions), 'MinMaxScaler', source, Scaler.reader);
  }
}

export interface RobustScalerOptions {
  /** Subtract the median (default true). */
  withCentering?: boolean;
  /** Divide by the quantile range (default true). */
  withScaling?: boolean;
  /** The quantile range in percent [low, high] (default [25, 75]: the interquartile range). */
  quantileRange?: [number, number];
  /** Divide the scale further by the normal distribution's width over the quantile range, so normal data gets variance 1 (default false). */
  unitVariance?: boolean;
}

/** (x − median) / quantile range, per feature: scaling that outliers do not move. */
export class RobustScaler extends Scaler<RobustScalerOptions> {
  constructor(options?: RobustScalerOptions) {
    super({
      withCentering: rules.boolean(true), withScaling: rules.boolean(true),
      quantileRange: rules.custom<[number, number]>([25, 75], 'a pair [low, high] with 0 ≤ low < high ≤ 100',
        (v) => Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && v[0] >= 0 && v[0] < v[1] && v[1] <= 100),
      unitVariance: rules.boolean(false),
    } satisfies ParamTable<RobustScalerOptions>, options, 'RobustScaler');
  }

  protected statistics(column: (c: number) => Float64Array, d: number): { offset: Float64Array; scale: Float64Array } {
    const offset = new Float64Array(d), scale = new Float64Array(d).fill(1);
    const [lo, hi] = this.params.quantileRange!;
    // Φ⁻¹(high) − Φ⁻¹(low): the quantile range of a standard normal (1.349 for the quartiles).
    const normalRange = this.params.unitVariance ? normalQuantile(hi / 100) - normalQuantile(lo / 100) : 1;
    for (let c = 0; c < d; c++) {
      const v = column(c).sort();
      if (this.params.withCentering) offset[c] = percentile(v, 50);
      if (this.params.withScaling) {
        const range = percentile(v, hi) - percentile(v, lo);
        scale[c] = (range === 0 ? 1 : range) / normalRange;
      }
    }
    return { offset, scale };
  }

  get center(): Float64Array { return this.fitted('center').offset.slice(); }
  get scale(): Float64Array { return this.fitted('scale').scale.slice(); }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): RobustScaler {
    return restoreEstimator((p) => new RobustScaler(p as RobustScalerOptions), 'RobustScaler', source, Scaler.reader);
  }
}

/** x / max |x| per feature, into [−1, 1] (sparse-friendly: nothing is subtracted). */
export class MaxAbsScaler extends Scaler<Record<string, never>> {
  constructor(options?: Record<string, never>) {
    super({} satisfies ParamTable<Record<string, never>>, options, 'MaxAbsScaler');
  }

  protected statistics(column: (c: number) => Float64Array, d: number): { offset: Float64Array; scale: Float64Array } {
    const scale = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      const m = column(c).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      scale[c] = m > 0 ? m : 1;
    }
    return { offset: new Float64Array(d), scale };
  }

  get maxAbs(): Float64Array { return this.fitted('maxAbs').scale.slice(); }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): MaxAbsScaler {
    return restoreEstimator((p) => new MaxAbsScaler(p as Record<string, never>), 'MaxAbsScaler', source, Scaler.reader);
  }
}
