// `wasmlearn/preprocessing`: scalers, the imputer and the encoders of tabular data, pipelines.
export * from './core.js';
export { StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler, type StandardScalerOptions, type MinMaxScalerOptions, type RobustScalerOptions } from '../preprocessing/scalers.js';
export { Normalizer, type NormalizerOptions } from '../preprocessing/normalizer.js';
export { PolynomialFeatures, type PolynomialFeaturesOptions } from '../preprocessing/polynomial-features.js';
export { SimpleImputer, type SimpleImputerOptions } from '../preprocessing/simple-imputer.js';
export { OrdinalEncoder, type OrdinalEncoderOptions } from '../preprocessing/ordinal-encoder.js';
export { OneHotEncoder, type OneHotEncoderOptions } from '../preprocessing/one-hot-encoder.js';
export { Pipeline, makePipeline, clone, type PipelineOptions, type Step, type StepEstimator } from '../compose/pipeline.js';
export { ColumnTransformer, makeColumnTransformer, makeColumnSelector, type ColumnTransformerOptions, type ColumnSelection, type ColumnSelector, type ColumnSelectorOptions } from '../compose/column-transformer.js';
export { KFold, StratifiedKFold, GroupKFold, type KFoldOptions, type Split, type Splitter } from '../model-selection/splitters.js';
export { crossValScore, type CrossValScoreOptions, type Scorer } from '../model-selection/cross-val-score.js';
export { GridSearchCV, parameterGrid, type GridSearchOptions, type ParamGrid } from '../model-selection/grid-search.js';
