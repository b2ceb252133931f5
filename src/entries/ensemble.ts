// `wasmlearn/ensemble`: histogram gradient boosting (the random forests are in `wasmlearn/tree`).
export * from './core.js';
export {
  HistGradientBoostingClassifier, HistGradientBoostingRegressor, type HistGradientBoostingOptions, type HistGradientBoostingClassifierOptions,
  type HistGradientBoostingRegressorOptions, type BoostingFitOptions, type MonotonicConstraints, type InteractionConstraints,
} from '../ensemble/hist-gradient-boosting.js';
export type { ClassWeight } from '../class-weight.js';
