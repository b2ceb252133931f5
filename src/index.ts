// The public surface: re-exports only. Nothing here runs on import.
export { init, backendInfo, type InitOptions, type BackendInfo } from './runtime/backend.js';
export { Tensor, toTensor, type TensorLike, type NestedArray } from './tensor.js';
export { matMul, type MatMulOptions } from './ops/matmul.js';
export { randomUniform, randomNormal, type RandomUniformOptions, type RandomNormalOptions } from './ops/random.js';
export { setRandomSeed } from './seed.js';
export { warnings, WasmlearnWarning, type WarningAction, type WarningCategory } from './warnings.js';
export {
  WasmlearnError, ShapeError, ValueError, NotFittedError, FormatError, OutOfMemoryError, RuntimeUnavailableError,
} from './errors.js';
export * as layers from './layers/index.js';
export * as optimizers from './optimizers.js';
export * as callbacks from './callbacks.js';
export { Sequential, type CompileArgs, type FitArgs, type EvaluateArgs, type PredictArgs } from './models/sequential.js';
export { History } from './models/history.js';
export { loadIdx, parseIdx, type IdxArray, type IdxType } from './datasets/idx.js';
export { toCategorical } from './datasets/categorical.js';
export * as datasets from './datasets/index.js';
export { loadIris, type Dataset } from './datasets/iris.js';
export { trainTestSplit, type SplitOptions } from './model-selection.js';
export { StandardScaler, MinMaxScaler, type StandardScalerOptions, type MinMaxScalerOptions } from './preprocessing/scalers.js';
export { accuracyScore, confusionMatrix, classificationReport, r2Score, meanSquaredError } from './scoring.js';
export { loadModel } from './models/load-model.js';
export { load, type Loaded } from './load.js';
export { registerLayer, type LayerClass } from './layers/registry.js';
export type { ModelArtifacts, WeightSpec } from './io/save.js';
export { SVC, NuSVC, type SVCOptions, type NuSVCOptions } from './svm/svc.js';
export { NuSVR, type NuSVROptions } from './svm/nu-svr.js';
export { SVR, type SVROptions } from './svm/svr.js';
export { OneClassSVM, type OneClassSVMOptions } from './svm/one-class-svm.js';
export { NearestNeighbors, KNeighborsClassifier, KNeighborsRegressor, type NeighborsOptions, type NeighborsPredictorOptions, type Metric } from './neighbors/knn.js';
export { DecisionTreeClassifier, DecisionTreeRegressor, type TreeOptions, type TreeClassifierOptions } from './tree/decision-tree.js';
export { RandomForestClassifier, RandomForestRegressor, type ForestOptions, type ForestClassifierOptions } from './tree/random-forest.js';
export { PCA, type PCAOptions } from './decomposition/pca.js';
export { LinearDiscriminantAnalysis, type LDAOptions } from './discriminant/lda.js';
export { LinearRegression, Ridge, type LinearRegressionOptions, type RidgeOptions } from './linear/least-squares.js';
export { LogisticRegression, type LogisticRegressionOptions } from './linear/logistic.js';
// Types that public signatures mention (for TypeScript users and the API reference).
export type { MatrixLike } from './matrix.js';
export type { ClassWeight } from './class-weight.js';
export type { KernelName } from './svm/libsvm.js';
export type { RuntimeName, Build } from './runtime/platform.js';
export type { InitializerIdentifier, InitializerSpec } from './layers/initializers.js';
