// How the neighbour searches measure and search, shared by the k-nearest-neighbour estimators and
// DBSCAN: the metric, its power, the algorithm and the kd-tree's leaf size, and their checks.
import { rules, type ParamTable } from '../estimator.js';
import { MetricCode } from '../ops/neighbors.js';

export type Metric = 'euclidean' | 'manhattan' | 'cosine' | 'minkowski';
export const METRICS: Record<Metric, MetricCode> = {
  euclidean: MetricCode.Euclidean, manhattan: MetricCode.Manhattan, cosine: MetricCode.Cosine, minkowski: MetricCode.Minkowski,
};

export interface SearchOptions {
  /** 'euclidean' (default), 'manhattan', 'cosine', or 'minkowski' with p. */
  metric?: Metric;
  /** The power of the minkowski metric, ≥ 1 (default 2: euclidean). */
  p?: number;
  /**
   * 'brute' (every sample), 'kdTree' (a kd-tree: fast in few dimensions; not for cosine), or
   * 'auto' (default: the kd-tree up to 16 features, else brute). All give the same neighbours.
   */
  algorithm?: 'auto' | 'brute' | 'kdTree';
  /** Samples per kd-tree leaf (default 30). */
  leafSize?: number;
}

export interface NeighborsOptions extends SearchOptions {
  /** Neighbours used by predict and by kneighbors without k (default 5). */
  nNeighbors?: number;
}

export const SEARCH: ParamTable<SearchOptions> = {
  metric: rules.oneOf<Metric>('euclidean', ['euclidean', 'manhattan', 'cosine', 'minkowski']),
  p: rules.custom(2, 'a number ≥ 1', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 1),
  algorithm: rules.oneOf<'auto' | 'brute' | 'kdTree'>('auto', ['auto', 'brute', 'kdTree']),
  leafSize: rules.integer(30, 1),
};

export const BASE: ParamTable<NeighborsOptions> = { nNeighbors: rules.integer(5, 1), ...SEARCH };

/** The metric code and power the kernel uses (minkowski with p = 1 or 2 is manhattan or euclidean, exactly). */
export function metricOf(o: Required<SearchOptions>): [MetricCode, number] {
  if (o.metric === 'minkowski' && o.p === 2) return [METRICS.euclidean, 2];
  if (o.metric === 'minkowski' && o.p === 1) return [METRICS.manhattan, 1];
  return [METRICS[o.metric], o.p];
}

