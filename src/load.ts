// One load for everything wasmlearn saves (DESIGN.md §10): the first bytes say whether a file
// holds a model or an estimator, an estimator's bytes name its class, and the class restores it
// through the static table below (an import of this function brings in every estimator class;
// importing one class's fromBytes does not).
import { FormatError, ValueError, describe } from './errors.js';
import { LinearDiscriminantAnalysis } from './discriminant/lda.js';
import { PCA } from './decomposition/pca.js';
import { ESTIMATOR_MAGIC, estimatorFromBytes } from './io/estimator-bytes.js';
import { asBytes, readFileBytes } from './io/files.js';
import { MAGIC as MODEL_MAGIC } from './io/save.js';
import { LinearRegression, Ridge } from './linear/least-squares.js';
import { LogisticRegression } from './linear/logistic.js';
import { loadModel } from './models/load-model.js';
import type { LayersModel } from './models/layers-model.js';
import { KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors } from './neighbors/knn.js';
import { KMeans } from './cluster/k-means.js';
import { DBSCAN } from './cluster/dbscan.js';
import { MiniBatchKMeans } from './cluster/mini-batch-k-means.js';
import { GaussianNB } from './naive-bayes/gaussian-nb.js';
import { BernoulliNB, MultinomialNB } from './naive-bayes/discrete-nb.js';
import { MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler } from './preprocessing/scalers.js';
import { Normalizer } from './preprocessing/normalizer.js';
import { PolynomialFeatures } from './preprocessing/polynomial-features.js';
import { OneHotEncoder } from './preprocessing/one-hot-encoder.js';
import { OrdinalEncoder } from './preprocessing/ordinal-encoder.js';
import { SimpleImputer } from './preprocessing/simple-imputer.js';
import { ColumnTransformer } from './compose/column-transformer.js';
import { FeatureUnion } from './compose/feature-union.js';
import { GridSearchCV } from './model-selection/grid-search.js';
import { RandomizedSearchCV } from './model-selection/randomized-search.js';
import { FunctionTransformer } from './preprocessing/function-transformer.js';
import { KBinsDiscretizer } from './preprocessing/k-bins-discretizer.js';
import { LabelBinarizer } from './preprocessing/label-binarizer.js';
import { LabelEncoder } from './preprocessing/label-encoder.js';
import { Pipeline } from './compose/pipeline.js';
import { setStepRestorer, type StepEstimator } from './compose/composite.js';
import { setClassLookup } from './compose/spec.js';
import { NuSVR } from './svm/nu-svr.js';
import { OneClassSVM } from './svm/one-class-svm.js';
import { NuSVC, SVC } from './svm/svc.js';
import { SVR } from './svm/svr.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from './tree/decision-tree.js';
import { RandomForestClassifier, RandomForestRegressor } from './tree/random-forest.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor } from './ensemble/hist-gradient-boosting.js';

/** Every estimator class by the name its bytes give. */
const ESTIMATORS = {
  SVC, NuSVC, SVR, NuSVR, OneClassSVM, DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor,
  HistGradientBoostingClassifier, HistGradientBoostingRegressor,
  KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors, PCA, LinearDiscriminantAnalysis, LinearRegression, Ridge,
  LogisticRegression, StandardScaler, MinMaxScaler, SimpleImputer, OrdinalEncoder, OneHotEncoder, Pipeline, ColumnTransformer, RobustScaler, MaxAbsScaler, Normalizer, PolynomialFeatures,
  FeatureUnion, LabelEncoder, LabelBinarizer, KBinsDiscretizer, FunctionTransformer, GridSearchCV, RandomizedSearchCV, KMeans,
  GaussianNB, MultinomialNB, BernoulliNB, DBSCAN, MiniBatchKMeans,
} as const;

/** An estimator from its bytes, its class read from them (a pipeline's steps restore through it). */
export function estimatorFrom(bytes: Uint8Array): StepEstimator {
  const { className } = estimatorFromBytes(bytes, undefined);
  if (!Object.hasOwn(ESTIMATORS, className)) {
    throw new FormatError(`load: the bytes hold a ${className}, which this wasmlearn does not know (known: ${Object.keys(ESTIMATORS).join(', ')})`);
  }
  return ESTIMATORS[className as keyof typeof ESTIMATORS].fromBytes(bytes) as StepEstimator;
}
setStepRestorer(estimatorFrom);

/** @internal An estimator class by its name (a parallel search rebuilds estimators from their specs). */
export function estimatorClass(name: string): new (options: unknown) => unknown {
  if (!Object.hasOwn(ESTIMATORS, name)) throw new ValueError(`no estimator class '${name}' (known: ${Object.keys(ESTIMATORS).join(', ')})`);
  return ESTIMATORS[name as keyof typeof ESTIMATORS] as unknown as new (options: unknown) => unknown;
}
setClassLookup(estimatorClass);

/** Whatever `load` can return: a model (Sequential or functional) or any estimator. */
export type Loaded = LayersModel | SVC | NuSVC | SVR | NuSVR | OneClassSVM | DecisionTreeClassifier | DecisionTreeRegressor
  | RandomForestClassifier | RandomForestRegressor | HistGradientBoostingClassifier | HistGradientBoostingRegressor | KNeighborsClassifier | KNeighborsRegressor | NearestNeighbors | PCA
  | LinearDiscriminantAnalysis | LinearRegression | Ridge | LogisticRegression | StandardScaler | MinMaxScaler
  | SimpleImputer | OrdinalEncoder | OneHotEncoder | Pipeline | ColumnTransformer | RobustScaler | MaxAbsScaler | Normalizer | PolynomialFeatures
  | FeatureUnion | LabelEncoder | LabelBinarizer | KBinsDiscretizer | FunctionTransformer | GridSearchCV | RandomizedSearchCV | KMeans
  | GaussianNB | MultinomialNB | BernoulliNB | DBSCAN | MiniBatchKMeans;

/**
 * Restores anything wasmlearn saved — a model (`model.save()` / `toBytes()`) or any estimator —
 * from its bytes or, in Node and Deno, a file path; the class is read from the bytes.
 * (TF.js model.json files and artifacts load with loadModel.)
 * @example const svc = await load('svc.wasmlearn') as SVC;
 */
export async function load(source: string | ArrayBuffer | ArrayBufferView): Promise<Loaded> {
  if (typeof source !== 'string' && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source)) {
    throw new ValueError(`load: source must be the bytes of a saved model or estimator, or a file path; received ${describe(source)}`);
  }
  const bytes = typeof source === 'string' ? readFileBytes(source, 'load') : asBytes(source);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic === MODEL_MAGIC) return loadModel(bytes);
  if (magic !== ESTIMATOR_MAGIC) {
    throw new FormatError(`load: not a saved wasmlearn model or estimator (they start with "${MODEL_MAGIC}" or "${ESTIMATOR_MAGIC}"; the data has ${bytes.length} bytes)`);
  }
  return estimatorFrom(bytes) as Loaded;
}
