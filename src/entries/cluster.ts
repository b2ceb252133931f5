// `wasmlearn/cluster`: clustering (k-means, DBSCAN).
export * from './core.js';
export { KMeans, type KMeansOptions, type ClusterFitOptions } from '../cluster/k-means.js';
export { DBSCAN, type DBSCANOptions } from '../cluster/dbscan.js';
export type { Metric, SearchOptions as NeighborSearchOptions } from '../neighbors/search-options.js';
