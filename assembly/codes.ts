// The integer codes and record layouts that the TypeScript side and the kernels share. Written
// once, here: scripts/bindings.mjs turns every enum and constant of this file into the TypeScript
// of src/runtime/bindings.ts, so neither side spells a code as a bare number.

/** Activations fused after a GEMM (activation.ts), as Keras names them. */
export enum Activation {
  Linear = 0,
  Sigmoid = 1,
  Relu = 2,
  Tanh = 3,
  Softmax = 4,
  Elu = 5,
  Relu6 = 6,
  Selu = 7,
  Softplus = 8,
  Softsign = 9,
  Swish = 10,
  Gelu = 11,
  GeluTanh = 12,
  HardSigmoid = 13,
  Mish = 14,
  Exponential = 15,
}

/** The parametric rectifiers of rectifiers.ts. */
export enum Rectifier {
  Relu = 0,
  Elu = 1,
  Thresholded = 2,
}

/** Losses of lossRows (losses.ts). */
export enum Loss {
  MeanSquaredError = 0,
  CategoricalCrossentropy = 1,
  SparseCategoricalCrossentropy = 2,
  BinaryCrossentropy = 3,
  MeanAbsoluteError = 4,
  MeanAbsolutePercentageError = 5,
  Huber = 6,
  LogLoss = 7,
  Hinge = 8,
  HingeLoss = 9,
  CosineDistance = 10,
  SigmoidCrossEntropy = 11,
}

/** SVM kernels (svm/kernel.ts), libsvm's order. */
export enum Kernel {
  Linear = 0,
  Poly = 1,
  Rbf = 2,
  Sigmoid = 3,
  Precomputed = 4,
}

/** Distances of the neighbour searches (neighbors.ts, kd-tree.ts). */
export enum Metric {
  Euclidean = 0,
  Manhattan = 1,
  Cosine = 2,
  Minkowski = 3,
}

/** Split criteria of the tree builder (tree/); the regression ones come last. */
export enum Criterion {
  Gini = 0,
  Entropy = 1,
  SquaredError = 2,
  AbsoluteError = 3,
}

/** Elementwise merges of several inputs (merge.ts), as Keras names the layers. */
export enum Merge {
  Add = 0,
  Subtract = 1,
  Multiply = 2,
  Average = 3,
  Maximum = 4,
  Minimum = 5,
}

/** Weight constraints (regularizers.ts), as Keras names them. */
export enum Constraint {
  NonNeg = 0,
  MaxNorm = 1,
  MinMaxNorm = 2,
  UnitNorm = 3,
}

/** f64 slots of one problem's descriptor for smoBatch: [variables, samples, sign, linear, upper, alpha, tolerance, maxIter, ν-mode]. */
export const SMO_DESCRIPTOR_SLOTS: i32 = 9;
/** f64 values of one SMO result: [rho, objective, iterations, status, r]. */
export const SMO_RESULT_SLOTS: i32 = 5;
/** i32 slots of one tree's descriptor for treeBatch. */
export const TREE_SLOTS: i32 = 12;
/** At most this many bins per feature (a bin code is a byte). */
export const MAX_BINS: i32 = 256;
