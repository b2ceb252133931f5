// scikit-learn's DBSCAN (Ester, Kriegel, Sander & Xu, KDD 1996): a sample with at least
// minSamples (weighted) samples within eps, itself included, is a core sample; clusters are the
// core samples connected through each other's neighbourhoods, with the non-core samples those
// reach; the rest is noise (label −1). Clusters are numbered in the order of their lowest core
// sample, and a border sample goes to the first cluster that reaches it, as scikit-learn's
// dbscan_inner. Neighbourhoods come from the kd-tree in few dimensions, exhaustively otherwise.
import { FormatError, ValueError } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toSampleWeight, type MatrixLike } from '../matrix.js';
import { MetricCode, radiusNeighbors } from '../ops/neighbors.js';
import { backend } from '../runtime/backend.js';
import { SEARCH, metricOf, type SearchOptions } from '../neighbors/search-options.js';
import type { ClusterFitOptions } from './k-means.js';

export interface DBSCANOptions extends SearchOptions {
  /** The neighbourhood's radius (default 0.5). */
  eps?: number;
  /** Samples (or total weight) within eps, the sample included, that make a core sample (default 5). */
  minSamples?: number;
}

interface Fitted {
  labels: Int32Array;
  core: Int32Array;
  /** The core samples (core × d). */
  components: Float64Array;
  d: number;
}

const OPTIONS: ParamTable<DBSCANOptions> = {
  eps: rules.positive(0.5),
  minSamples: rules.integer(5, 1),
  ...SEARCH,
};

/** Density-based clustering (scikit-learn's DBSCAN). */
export class DBSCAN extends Estimator<DBSCANOptions, Fitted> {
  constructor(options?: DBSCANOptions) {
    super(OPTIONS, options, 'DBSCAN');
  }

  /** Clusters X (samples × features); sampleWeight counts a sample that many times toward minSamples. Returns this. */
  async fit(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): Promise<this> {
    const where = 'DBSCAN.fit';
    const o = this.params;
    const data = this.fitMatrix(X, `${where}: X`);
    const n = data.rows, d = data.cols;
    const weights = toSampleWeight(options.sampleWeight, where, n);
    const [metric, p] = metricOf(o);
    if (o.algorithm === 'kdTree' && metric === MetricCode.Cosine) throw new ValueError(`${where}: algorithm 'kdTree' does not support metric 'cosine'; use 'brute' or 'auto'`);
    const { offsets, indices } = radiusNeighbors(backend(), data, o.eps, { metric, p, algorithm: o.algorithm, leafSize: o.leafSize });
    const isCore = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let mass = 0;
      for (let t = offsets[i]; t < offsets[i + 1]; t++) mass += weights ? weights[indices[t]] : 1;
      isCore[i] = mass >= o.minSamples ? 1 : 0;
    }
    const labels = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    let cluster = 0;
    for (let seed = 0; seed < n; seed++) {
      if (labels[seed] !== -1 || !isCore[seed]) continue;
      // Depth-first from the seed; only core samples spread the label further.
      stack.push(seed);
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (labels[i] !== -1) continue;
        labels[i] = cluster;
        if (!isCore[i]) continue;
        for (let t = offsets[i]; t < offsets[i + 1]; t++) if (labels[indices[t]] === -1) stack.push(indices[t]);
      }
      cluster++;
    }
    const core = Int32Array.from(isCore.keys()).filter((i) => isCore[i] === 1);
    const components = new Float64Array(core.length * d);
    core.forEach((i, r) => components.set(data.data.subarray(i * d, (i + 1) * d), r * d));
    this.setFitted({ labels, core, components, d });
    return this;
  }

  /** Fits, then returns the clusters (−1: noise). */
  async fitPredict(X: MatrixLike, y?: unknown, options?: ClusterFitOptions): Promise<Int32Array> {
    await this.fit(X, y, options);
    return this.labels;
  }

  /** Each training sample's cluster (−1: noise). */
  get labels(): Int32Array {
    return this.fitted('labels').labels.slice();
  }

  /** The core samples' indices, ascending. */
  get coreSampleIndices(): Int32Array {
    return this.fitted('coreSampleIndices').core.slice();
  }

  /** The core samples (core samples × features). */
  get components(): number[][] {
    const f = this.fitted('components');
    return Array.from({ length: f.core.length }, (_, r) => Array.from(f.components.subarray(r * f.d, (r + 1) * f.d)));
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return { meta: { d: f.d }, arrays: { labels: f.labels, core: f.core, components: f.components } };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): DBSCAN {
    return restoreEstimator((p) => new DBSCAN(p as DBSCANOptions), 'DBSCAN', source, (meta, a, where) => {
      const d = meta.d as number;
      const { labels, core, components } = a;
      if (!Number.isInteger(d) || d < 1 || !(labels instanceof Int32Array) || !(core instanceof Int32Array) || !(components instanceof Float64Array)
        || components.length !== core.length * d || !core.every((i, t) => i >= 0 && i < labels.length && (t === 0 || i > core[t - 1]) && labels[i] >= 0)
        || !labels.every((v) => v >= -1) || !components.every(Number.isFinite)) {
        throw new FormatError(`${where}: the saved DBSCAN is malformed`);
      }
      return { labels, core, components, d };
    });
  }
}
