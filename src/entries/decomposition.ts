// `wasmlearn/decomposition`: PCA, and linear discriminant analysis (a projection as well as a classifier).
export * from './core.js';
export { PCA, type PCAOptions } from '../decomposition/pca.js';
export { LinearDiscriminantAnalysis, type LDAOptions } from '../discriminant/lda.js';
