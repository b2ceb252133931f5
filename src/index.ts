// The public surface: every family's entry (also published alone as wasmlearn/nn, /svm, /tree,
// /ensemble, /neighbors, /cluster, /naive-bayes, /linear, /decomposition, /preprocessing, /metrics, /datasets), and the one load.
// Re-exports only; nothing here runs on import.
export * from './entries/nn.js';
export * from './entries/svm.js';
export * from './entries/tree.js';
export * from './entries/ensemble.js';
export * from './entries/neighbors.js';
export * from './entries/cluster.js';
export * from './entries/naive-bayes.js';
export * from './entries/linear.js';
export * from './entries/decomposition.js';
export * from './entries/preprocessing.js';
export * from './entries/metrics.js';
export * from './entries/datasets.js';
export * as datasets from './datasets/index.js';
export { load, type Loaded } from './load.js';
