// scikit-learn's KBinsDiscretizer: each feature cut into bins — of equal width ('uniform'), of
// equal counts ('quantile': edges at NumPy's linear percentiles) or around 1-D k-means centres
// ('kmeans': Lloyd's iterations from centres spread uniformly, as scikit-learn's KMeans with that
// init, edges halfway between sorted centres) — bins narrower than 1e-8 merged; a constant
// feature gets one bin. Output: bin indices ('ordinal') or their one-hot columns ('onehot').
import { FormatError, ShapeError, ValueError, describe } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import type { MatrixLike } from '../matrix.js';
import { percentile } from '../quantiles.js';
import { warn } from '../warnings.js';

export interface KBinsDiscretizerOptions {
  /** Bins per feature: one count for all (default 5) or one per feature; at least 2. */
  nBins?: number | number[];
  /** 'onehot' (default; dense, scikit-learn's sparse default has no use here), 'onehot-dense' (the same) or 'ordinal'. */
  encode?: 'onehot' | 'onehot-dense' | 'ordinal';
  /** 'quantile' (default), 'uniform' or 'kmeans'. */
  strategy?: 'uniform' | 'quantile' | 'kmeans';
}

interface Bins {
  /** Per feature, its edges (the first and last the feature's range; [−∞, ∞] for a constant one). */
  edges: Float64Array[];
}

/** 1-D k-means from the given centres: Lloyd's steps until the labels repeat or the centres move less than tol (scikit-learn's stopping rule). */
function kmeans1d(x: Float64Array, centres: Float64Array, tol: number): Float64Array {
  const k = centres.length, labels = new Int32Array(x.length).fill(-1);
  let c = centres.slice();
  for (let iter = 0; iter < 300; iter++) {
    const sums = new Float64Array(k), counts = new Float64Array(k);
    let changed = false;
    for (let i = 0; i < x.length; i++) {
      let best = 0, bestD = Infinity;
      for (let j = 0; j < k; j++) { const d = (x[i] - c[j]) ** 2; if (d < bestD) { bestD = d; best = j; } }
      if (labels[i] !== best) changed = true;
      labels[i] = best;
      sums[best] += x[i];
      counts[best]++;
    }
    // An empty cluster keeps its centre.
    const next = c.map((v, j) => (counts[j] > 0 ? sums[j] / counts[j] : v));
    let shift = 0;
    for (let j = 0; j < k; j++) shift += (next[j] - c[j]) ** 2;
    c = next;
    if (!changed || shift <= tol) break;
  }
  return c;
}

/** Cuts each feature into bins. */
export class KBinsDiscretizer extends Estimator<KBinsDiscretizerOptions, Bins> {
  constructor(options?: KBinsDiscretizerOptions) {
    super({
      nBins: rules.custom<number | number[]>(5, 'an integer ≥ 2 or an array of them (one per feature)',
        (v) => (Number.isSafeInteger(v) && (v as number) >= 2) || (Array.isArray(v) && v.length > 0 && v.every((b) => Number.isSafeInteger(b) && b >= 2))),
      encode: rules.oneOf('onehot', ['onehot', 'onehot-dense', 'ordinal'] as const),
      strategy: rules.oneOf('quantile', ['uniform', 'quantile', 'kmeans'] as const),
    } satisfies ParamTable<KBinsDiscretizerOptions>, options, 'KBinsDiscretizer');
  }

  async fit(X: MatrixLike): Promise<this> {
    const where = 'KBinsDiscretizer.fit';
    const m = this.fitMatrix(X, `${where}: X`);
    const counts = Array.isArray(this.params.nBins) ? this.params.nBins : new Array<number>(m.cols).fill(this.params.nBins);
    if (counts.length !== m.cols) throw new ShapeError(`${where}: nBins has ${counts.length} counts for ${m.cols} features`);
    const edges = counts.map((bins, j) => {
      const column = Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
      let lo = Infinity, hi = -Infinity;
      for (const v of column) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      if (lo === hi) {
        warn('data', `${where}: feature ${j} is constant; it gets one bin (0)`);
        return Float64Array.of(-Infinity, Infinity);
      }
      // NumPy's linspace: b · step + lo.
      const step = (hi - lo) / bins;
      const uniform = Float64Array.from({ length: bins + 1 }, (_, b) => b * step + lo);
      // NumPy's linspace puts the last point exactly on the end.
      uniform[bins] = hi;
      if (this.params.strategy === 'uniform') return uniform;
      let e: Float64Array;
      if (this.params.strategy === 'quantile') {
        const sorted = column.slice().sort();
        const qStep = 100 / bins;
        e = Float64Array.from({ length: bins + 1 }, (_, b) => percentile(sorted, b === bins ? 100 : b * qStep));
      } else {
        let mean = 0;
        for (const v of column) mean += v;
        mean /= column.length;
        let variance = 0;
        for (const v of column) variance += (v - mean) ** 2;
        variance /= column.length;
        const centres = kmeans1d(column, Float64Array.from({ length: bins }, (_, b) => (uniform[b] + uniform[b + 1]) * 0.5), 1e-4 * variance).sort();
        e = Float64Array.from({ length: bins + 1 }, (_, b) => (b === 0 ? lo : b === bins ? hi : (centres[b - 1] + centres[b]) * 0.5));
      }
      // Bins 1e-8 wide or less are merged into the one before.
      const kept = e.filter((v, b) => b === 0 || v - e[b - 1] > 1e-8);
      if (kept.length !== e.length) warn('data', `${where}: bins narrower than 1e-8 in feature ${j} are removed; consider fewer bins`);
      return kept;
    });
    this.setFitted({ edges });
    return this;
  }

  /** Bins per feature after fitting (narrow bins merged, 1 for a constant feature). */
  get nBinsFitted(): Int32Array {
    return Int32Array.from(this.fitted('nBinsFitted').edges, (e) => e.length - 1);
  }

  get binEdges(): Float64Array[] {
    return this.fitted('binEdges').edges.map((e) => e.slice());
  }

  /** Each value's bin: the number of inner edges at or below it (NumPy's searchsorted, side right). */
  transform(X: MatrixLike): number[][] {
    const where = 'KBinsDiscretizer.transform';
    const { edges } = this.fitted(where);
    const m = this.queryMatrix(X, `${where}: X`);
    if (m.cols !== edges.length) throw new ValueError(`${where}: X has ${m.cols} features, but the discretizer was fitted with ${edges.length}`);
    const onehot = this.params.encode !== 'ordinal';
    return Array.from({ length: m.rows }, (_, i) => edges.flatMap((e, j) => {
      const v = m.data[i * m.cols + j];
      let bin = 0;
      for (let b = 1; b < e.length - 1; b++) if (v >= e[b]) bin = b;
      if (!onehot) return [bin];
      const row = new Array<number>(e.length - 1).fill(0);
      row[bin] = 1;
      return row;
    }));
  }

  async fitTransform(X: MatrixLike): Promise<number[][]> {
    await this.fit(X);
    return this.transform(X);
  }

  /** Each bin's centre (one-hot rows read back to bins first). */
  inverseTransform(Xt: ArrayLike<ArrayLike<number>>): number[][] {
    const where = 'KBinsDiscretizer.inverseTransform';
    const { edges } = this.fitted(where);
    const widths = edges.map((e) => (this.params.encode === 'ordinal' ? 1 : e.length - 1));
    const total = widths.reduce((a, b) => a + b, 0);
    return Array.from(Xt, (row, i) => {
      if (!row || row.length !== total) throw new ValueError(`${where}: Xt[${i}] must hold ${total} values; received ${describe(row)}`);
      let at = 0;
      return edges.map((e, j) => {
        let bin: number;
        if (this.params.encode === 'ordinal') bin = row[at];
        else {
          bin = 0;
          for (let b = 1; b < widths[j]; b++) if (row[at + b] > row[at + bin]) bin = b;
        }
        at += widths[j];
        if (!Number.isInteger(bin) || bin < 0 || bin >= e.length - 1) throw new ValueError(`${where}: Xt[${i}] has bin ${describe(bin)} for feature ${j}, which has ${e.length - 1}`);
        return (e[bin] + e[bin + 1]) * 0.5;
      });
    });
  }

  /** The input names ('ordinal'), or '<name>_<bin>.0' per bin ('onehot': scikit-learn names its float categories so). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const { edges } = this.fitted('KBinsDiscretizer.getFeatureNamesOut');
    const names = inputFeatures ? [...inputFeatures] : this.featureNamesIn ?? edges.map((_, j) => `x${j}`);
    if (names.length !== edges.length) throw new ValueError(`KBinsDiscretizer.getFeatureNamesOut: inputFeatures must be ${edges.length} names; received ${describe(inputFeatures)}`);
    return this.params.encode === 'ordinal' ? names : names.flatMap((n, j) => Array.from({ length: edges[j].length - 1 }, (_, b) => `${n}_${b}.0`));
  }

  protected toSaved(s: Bins): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    return { meta: { features: s.edges.length }, arrays: Object.fromEntries(s.edges.map((e, j) => [`edges${j}`, e])) };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KBinsDiscretizer {
    return restoreEstimator((p) => new KBinsDiscretizer(p as KBinsDiscretizerOptions), 'KBinsDiscretizer', source, (meta, arrays, where) => {
      const d = meta.features;
      if (!Number.isInteger(d) || (d as number) < 1) throw new FormatError(`${where}: the saved discretizer is malformed`);
      const edges = Array.from({ length: d as number }, (_, j) => {
        const e = arrays[`edges${j}`];
        if (!(e instanceof Float64Array) || e.length < 2 || e.some((v, b) => Number.isNaN(v) || (b > 0 && v <= e[b - 1]))) throw new FormatError(`${where}: the saved edges of feature ${j} are malformed`);
        return e;
      });
      return { edges };
    });
  }
}
