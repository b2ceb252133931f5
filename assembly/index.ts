// The ABI the TypeScript side sees: plain functions over pointers, sizes and strides, and nothing
// else. scripts/bindings.mjs reads this file (and each function's signature in its source file) to
// write src/runtime/bindings.ts; a kernel is added with one function in its family's file and one
// line here. An export statement after a `// @parallel` line holds kernels the worker pool splits
// by output: their last parameters are (start, end) or (start, end, thread).

/** What this build was compiled with: bit 0 relaxed SIMD, bit 1 threads (shared memory). */
export function buildFeatures(): i32 {
  return (ASC_FEATURE_RELAXED_SIMD ? 1 : 0) | (ASC_FEATURE_THREADS ? 2 : 0);
}

/** First byte after static data: the TS arena hands out memory from here on. */
export function heapBase(): usize {
  return __heap_base;
}
export { heartbeats } from './heartbeat';

// Dense algebra (f32 GEMM; f64 Gram matrices, eigen, Householder, products).
// @parallel
export { gemm, gemmNormalized, gemmBatch, gemmPackedNormalized, gemmGatheredNormalized } from './gemm';
export { gemmWorkspaceBytes, gemmRowBlock, gemmColumnBlock, packGemmB, packedBFloats } from './gemm';
// @parallel
export { gramRows, gramCross } from './linalg/gram';
export { gramMirror } from './linalg/gram';
// @parallel
export { gramGridRows } from './linalg/gram-grid';
export { gridCodes } from './linalg/grid-codes';
export { symmetricEigen } from './linalg/eigen';
export { orthonormalBasis } from './linalg/householder';
// @parallel
export { projectRows } from './linalg/vector';
export { centreRowsF32 } from './linalg/vector';
// @parallel
export { rowsTimes } from './linalg/product';
export { centreRows } from './linalg/product';

// Layers: activations, losses, convolution, pooling, dropout, optimizers.
export { sumRows, firstNonFinite } from './elementwise';
export { gatherRows } from './gather';
export { swapAxes } from './swap-axes';
export { moveBytes } from './move-bytes';
// @parallel
export { biasActivation, activationBackward } from './activation';
// @parallel
export { softmaxAxis, softmaxAxisBackward } from './softmax-axis';
// @parallel
export { rectify, rectifyBackward } from './rectifiers';
// @parallel
export { lossRows, argmaxRows } from './losses';
// @parallel
export { im2col, col2im } from './conv';
// @parallel
export { maxPool, maxPoolBackward, avgPool, avgPoolBackward } from './pooling';
// @parallel
export { meanPositions, meanPositionsBackward } from './global-pooling';
// @parallel
export { copyBlock } from './blocks';
// @parallel
export { affine } from './affine';
// @parallel
export { prelu } from './prelu';
export { preluBackward } from './prelu';
// @parallel
export { upsampleNearest, upsampleNearestBackward, upsampleBilinear, upsampleBilinearBackward } from './upsampling';
// @parallel
export { depthwiseForward, depthwiseBackwardInput } from './depthwise';
export { depthwiseBackwardKernel } from './depthwise';
// @parallel
export { scaleShiftColumns } from './batch-norm';
export { columnMoments, normScaleShift, batchNormBackward, movingAverage } from './batch-norm';
// @parallel
export { layerNormForward, layerNormBackward, layerNormParamGrads } from './layer-norm';
// @parallel
export { rnnForwardStep, rnnBackwardStep, gruStepAfter, gruResetBefore, gruStateBefore, gruBackAfter, gruBackBeforeA, gruBackBeforeB } from './recurrent';
// @parallel
export { additiveScores, additiveBackward } from './additive-attention';
// @parallel
export { reverseSteps } from './reverse-steps';
// @parallel
export { embeddingLookup } from './embedding';
export { embeddingCheck, embeddingGradient } from './embedding';
export { dropoutMask, multiply } from './dropout';
// @parallel
export { dropSequence, multiplyRows } from './dropout';
export { sgdStep, adagradStep, rmspropStep, adamStep } from './optimizers';
export { penalty, penaltyGradient, constrain } from './regularizers';
export { mergeForward, mergeBackward, concatForward, concatBackward, addInto } from './merge';
export { dotForward, dotBackward, l2NormalizeForward, l2NormalizeBackward } from './dot';
// @parallel
export { attentionMaskAdd } from './attention-mask';
// @parallel
export { maskedRows, maskSteps, computeMask, maskedMean, maskedMeanBackward } from './step-mask';
export { broadcastCopy, broadcastSum } from './broadcast';

// The seeded generator (xoshiro128**) every random choice draws from.
export { randomSeed, randomNextU32, randomUniform, randomNormal } from './random';

// Support vector machines: the SMO solver, kernels, one-vs-one decisions.
export { smoStart, smoGradient, smoRun, smoFinish, smoWorkBytes, smoSave, smoRestore } from './svm/smo';
// @parallel
export { smoBatch } from './svm/smo';
export { squaredNorms } from './svm/kernel';
// @parallel
export { kernelMatrix, kernelFromDots } from './svm/kernel';
// @parallel
export { ovoDecision } from './svm/decision';

// Neighbours: brute force, byte-grid dot products, k-d tree.
// @parallel
export { knnSearch, knnFromDots, radiusSearch } from './neighbors';
// @parallel
export { dotsI16 } from './knn-dots';
export { kdLevels, kdBuild, kdScratchBytes } from './kd-tree';
// @parallel
export { kdQuery, kdRadius } from './kd-tree';

// Trees: binning, growing, applying.
// @parallel
export { treeBins } from './tree/bins';
export { treeBinsScratchBytes } from './tree/bins';
// @parallel
export { treeBatch } from './tree/grow';
// @parallel
export { treeApply, forestSum, forestLeaves } from './tree/apply';
export { forestAddLeaves } from './tree/apply';
export { treeScratchBytes } from './tree/grow';

// Histogram gradient boosting: binning, gradients, a tree step's histograms and splits, prediction.
// @parallel
export { boostBin, boostSelectRows, boostHasMissing } from './boosting/bin-map';
// @parallel
export { boostThresholds } from './boosting/thresholds';
// @parallel
export { boostGradients, boostLosses } from './boosting/losses';
// @parallel
export { boostNodes, boostGather, boostPartitionCount, boostPartitionScatter, boostPartitionEnds } from './boosting/nodes';
// @parallel
export { boostPredict, boostPredictBinned } from './boosting/predict';
// @parallel
export { boostProbabilities } from './boosting/links';
export { boostExp, boostLog } from './boosting/links';
export { boostScratchBytes, boostAddLeaf, boostResetRows, boostSums } from './boosting/nodes';
export { boostLossMean } from './boosting/losses';
export { boostThresholdScratchBytes } from './boosting/thresholds';

// k-means: exact assignment (directly, or from f32 GEMM dot products), update sums, Elkan's bounds.
// @parallel
export { kmeansAssign, kmeansAssignFromDots, kmeansDots, elkanStart, elkanAssign, elkanShift, squaredDistancesTo, kmeansLabelDistances, kmeansNarrow } from './kmeans';
// Per-group sums of weighted rows (k-means' update, naive Bayes' counts and variances).
// @parallel
export { groupSums, groupSumsMove, groupSquares } from './group-sums';

// Naive Bayes: Gaussian NB's data term (the discrete ones use rowsTimes).
// @parallel
export { gaussianSquares } from './naive-bayes';
