// `wasmlearn/cluster`: clustering (k-means, mini-batch k-means, DBSCAN).
export * from './core.js';
export { KMeans, type KMeansOptions, type ClusterFitOptions } from '../cluster/k-means.js';
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from '../cluster/mini-batch-k-means.js';
export { DBSCAN, type DBSCANOptions } from '../cluster/dbscan.js';
export type { Metric, SearchOptions as NeighborSearchOptions } from '../neighbors/search-options.js';
