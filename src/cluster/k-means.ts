// scikit-learn's KMeans: k centres that minimise the inertia Σ w‖x − c_label‖², by Lloyd's or
// Elkan's iterations from 'k-means++', 'random' or given centres, the best of nInit runs. As
// scikit-learn, the data are centred on their mean for the computation (the centres are moved
// back after), tol is relative to the data's mean variance, and a run that is not strictly
// converged ends with one more assignment so that the labels match the centres.
import { Cancellation } from '../cancel.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toSampleWeight, type MatrixLike } from '../matrix.js';
import { Generator } from '../ops/generator.js';
import { KMeansData } from '../ops/kmeans.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { warn } from '../warnings.js';
import { kmeansPlusPlus, randomCentres } from './k-means-init.js';
import { elkan, lloyd, type Run } from './k-means-runs.js';
import { CentroidClusterer, START_RULES, readCentres, sameClustering, startsOf, weightedSum, type ClusterFitOptions, type StartOptions } from './centroid-clusterer.js';

export type { ClusterFitOptions } from './centroid-clusterer.js';

export interface KMeansOptions extends StartOptions {
  /** Iterations per run at most (default 300). */
  maxIter?: number;
  /** Convergence when the centres' squared shifts sum to at most tol × the data's mean variance (default 1e-4). */
  tol?: number;
  /** 'lloyd' (default) or 'elkan' (the same clusters, fewer distances, from triangle-inequality bounds). */
  algorithm?: 'lloyd' | 'elkan';
}

const OPTIONS: ParamTable<KMeansOptions> = {
  ...START_RULES,
  maxIter: rules.integer(300, 1),
  tol: rules.nonNegative(1e-4),
  algorithm: rules.oneOf<'lloyd' | 'elkan'>('lloyd', ['lloyd', 'elkan']),
};

/** k-means clustering (scikit-learn's KMeans). */
export class KMeans extends CentroidClusterer<KMeansOptions> {
  constructor(options?: KMeansOptions) {
    super(OPTIONS, options, 'KMeans');
  }

  /** Learns k centres from X (samples × features); sampleWeight weighs the samples. Returns this. */
  async fit(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): Promise<this> {
    const o = this.params;
    const where = 'KMeans.fit';
    const cancel = Cancellation.of(options, where);
    const data = this.fitMatrix(X, `${where}: X`);
    const { rows: n, cols: d } = data;
    const k = o.nClusters;
    const { given, starts: runs } = startsOf(o, data, 10, where);
    const weights = toSampleWeight(options.sampleWeight, where, n);
    const be = backend();
    const algorithm = o.algorithm === 'elkan' && k > 1 ? elkan : lloyd;
    const { best, mean } = await be.scoped(async (alloc) => {
      const random = Generator.seeded(be, alloc, nextSeed(o.seed ?? undefined, where));
      // Centred data: distances lose less to rounding (scikit-learn does the same).
      const samples = new KMeansData(be, alloc, data.data, n, d, k, weights, true);
      const mean = samples.mean;
      const tol = o.tol * samples.meanVariance();
      let kept: (Run & { inertia: number }) | undefined;
      for (let r = 0; r < runs; r++) {
        const start = given ? shifted(given, mean, -1)
          : o.init === 'random' ? randomCentres(samples, k, random) : kmeansPlusPlus(samples, k, random, weights);
        const run = await algorithm(samples, start, o.maxIter, tol, weights, cancel);
        await cancel.tick();
        const inertia = weightedSum(samples.labelDistances(run.centres, run.labels), weights);
        // A lower inertia that is the same clustering (relabelled) is rounding, not a better run.
        if (!kept || (inertia < kept.inertia && !sameClustering(run.labels, kept.labels, k))) kept = { ...run, inertia };
      }
      return { best: kept!, mean };
    });
    const distinct = new Set(best.labels).size;
    if (distinct < k) warn('convergence', `${where}: found ${distinct} distinct clusters, fewer than nClusters = ${k} (duplicate samples?)`);
    this.setFitted({ centres: shifted(best.centres, mean, 1), k, d, labels: best.labels, inertia: best.inertia, nIter: best.nIter });
    return this;
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): KMeans {
    return restoreEstimator((p) => new KMeans(p as KMeansOptions), 'KMeans', source, readCentres);
  }
}

/** Rows of points (×d) with sign·mean added to each. */
function shifted(points: Float64Array, mean: Float64Array, sign: number): Float64Array {
  const d = mean.length;
  return points.map((v, i) => v + sign * mean[i % d]);
}
