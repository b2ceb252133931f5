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

/** Columns of a panel of packed GEMM weights (packGemmB): a part packed on its own starts at a multiple of it. */
export const GEMM_PANEL_COLUMNS: i32 = 8;
/** f64 slots of one problem's descriptor for smoBatch: [variables, samples, sign, linear, upper, alpha, tolerance, maxIter, ν-mode]. */
export const SMO_DESCRIPTOR_SLOTS: i32 = 9;
/** f64 values of one SMO result: [rho, objective, iterations, status, r]. */
export const SMO_RESULT_SLOTS: i32 = 5;
/** Bytes of a solver state saved between slices (smoSave; smoBatch's slots: −1 as i32 everywhere is an empty slot). */
export const SMO_STATE_BYTES: i32 = 320;
/** i32 slots of one tree's descriptor for treeBatch. */
export const TREE_SLOTS: i32 = 12;
/** At most this many bins per feature (a bin code is a byte). */
export const MAX_BINS: i32 = 256;

/** Losses of the histogram gradient booster (boosting/gradients.ts), scikit-learn's half losses. */
export enum BoostLoss {
  SquaredError = 0,
  AbsoluteError = 1,
  Poisson = 2,
  Quantile = 3,
  Binomial = 4,
  Multinomial = 5,
}

/** f64 slots of a booster's node job (boosting/nodes.ts): the samples, their (gradient, hessian) pairs, histograms and stats of a node or of a split's two children. */
export enum BoostJob {
  Codes = 0,
  Samples = 1,
  Rows = 2,
  Count = 3,
  Pairs = 4,
  ConstantHessian = 5,
  Small = 6,
  Parent = 7,
  Large = 8,
  Allowed = 9,
  Meta = 10,
  OutSmall = 11,
  OutLarge = 12,
  SplitSmall = 13,
  SplitLarge = 14,
  SmallStats = 15,
  LargeStats = 21,
  L2 = 27,
  MinLeaf = 28,
  MinHessian = 29,
  Features = 30,
  MissingBin = 31,
  Scratch = 32,
}

/** f64 slots of a node's stats in a BoostJob: [Σ gradients, Σ hessians, samples, value, lower, upper bound of its children]. */
export const BOOST_STATS_SLOTS: i32 = 6;
/** f64 slots of a booster job. */
export const BOOST_JOB_SLOTS: i32 = 33;

/** f64 slots of a feature's best split (boosting/split.ts); the left categories' bitset (8 u32) fills the last four. */
export enum BoostSplit {
  Gain = 0,
  Bin = 1,
  MissingLeft = 2,
  GradientLeft = 3,
  HessianLeft = 4,
  CountLeft = 5,
  ValueLeft = 6,
  ValueRight = 7,
  Bitset = 8,
}

export const BOOST_SPLIT_SLOTS: i32 = 12;
/** Bins per feature in a booster histogram (the last non-missing bins and the missing bin within). */
export const BOOST_BINS: i32 = 256;
/** f64 values per histogram bin: Σ gradients, Σ hessians (together, one v128), count, and one unused (32-byte bins). */
export const BOOST_BIN_SLOTS: i32 = 4;
/**
 * Samples per value of the booster's loss kernels (boosting/losses.ts): each gives one chunk's
 * summed loss, and the pool's ranges start at multiples of it, so the sums do not depend on the
 * thread count.
 */
export const BOOST_LOSS_CHUNK: i32 = 256;

/** The cells of recurrent.ts. */
export enum RecurrentCell {
  Simple = 0,
  Lstm = 1,
}
