// `wasmlearn/cluster`: clustering (k-means).
export * from './core.js';
export { KMeans, type KMeansOptions, type ClusterFitOptions } from '../cluster/k-means.js';
