// `wasmlearn/datasets`: the Iris data, the IDX (MNIST) reader, one-hot labels and train/test splits.
export * from './core.js';
export { loadIdx, parseIdx, type IdxArray, type IdxType } from '../datasets/idx.js';
export { toCategorical } from '../datasets/categorical.js';
export { loadIris, type Dataset } from '../datasets/iris.js';
export { trainTestSplit, type SplitOptions, type Splits } from '../model-selection/train-test-split.js';
