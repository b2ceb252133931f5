// The `losses` namespace users see: loss functions to compute a loss or to pass to compile.
export {
  binaryCrossentropy, categoricalCrossentropy, cosineDistance, hinge, hingeLoss, huberLoss, logLoss, meanAbsoluteError,
  meanAbsolutePercentageError, meanSquaredError, sigmoidCrossEntropy, sparseCategoricalCrossentropy, type LossFunction, type LossKind,
} from './losses.js';
