// The ABI the TypeScript side sees: plain functions over pointers, sizes and strides.
// Kernels that the worker pool splits take (…, rowStart, rowEnd[, thread]) as their last arguments.
export { gemm, gemmWorkspaceBytes, gemmRowBlock, gemmColumnBlock } from './gemm';
export {
  biasAdd, sigmoid, sigmoidBackward, relu, reluBackward, tanh, tanhBackward,
  softmaxRows, sumRows, sumCols, axpy, scale, firstNonFinite,
} from './elementwise';
export { randomSeed, randomNextU32, randomUniform, randomNormal } from './random';
export { biasActivation, activationBackward } from './activation';
export { lossRows, argmaxRows } from './losses';
export { im2col, col2im } from './conv';
export { maxPool, maxPoolBackward } from './pooling';
export { dropoutMask, multiply } from './dropout';
export { sgdStep, adagradStep, rmspropStep, adamStep } from './optimizers';

/** What this build was compiled with: bit 0 relaxed SIMD, bit 1 threads (shared memory). */
export function buildFeatures(): i32 {
  return (ASC_FEATURE_RELAXED_SIMD ? 1 : 0) | (ASC_FEATURE_THREADS ? 2 : 0);
}

/** First byte after static data: the TS arena hands out memory from here on. */
export function heapBase(): usize {
  return __heap_base;
}
export { smoStart, smoGradient, smoRun, smoFinish, smoBatch, smoWorkBytes } from './svm/smo';
export { kernelMatrix, kernelFromDots, squaredNorms } from './svm/kernel';
export { ovoDecision } from './svm/decision';
export { knnSearch, knnFromDots } from './neighbors';
export { dotsI16 } from './knn-dots';
export { kdLevels, kdBuild, kdQuery, kdScratchBytes } from './kd-tree';
export { treeApply, treeBatch, treeScratchBytes } from './tree/build';
export { treeBins, treeBinsScratchBytes } from './tree/bins';
export { symmetricEigen } from './linalg/eigen';
export { gramRows, gramMirror, gramCross } from './linalg/gram';
export { gramGridRows } from './linalg/gram-grid';
export { gridCodes } from './linalg/grid-codes';
export { projectRows, centreRowsF32 } from './linalg/vector';
export { orthonormalBasis } from './linalg/householder';
export { rowsTimes, centreRows } from './linalg/product';
