// Every public estimator, with small valid options, what it learns from, the methods that read a
// fitted model, and option values it must refuse. A new estimator is covered by the conformance
// checks (checks.test.ts) by adding one entry here.
import * as wl from '../../dist/index.js';

export type Kind = 'classifier' | 'regressor' | 'unsupervised';

/** What every fitted estimator has in common, as the checks use it. */
export interface Fittable {
  fit(X: unknown, y?: unknown): Promise<unknown>;
  toBytes(): Uint8Array;
  isFitted: boolean;
}

export interface Entry {
  name: string;
  kind: Kind;
  make: (options?: Record<string, unknown>) => Fittable;
  load: (bytes: Uint8Array) => Fittable | Promise<Fittable>;
  /** A Keras-style model: it predicts before fit (with its initial weights) and holds memory until disposed. */
  model?: boolean;
  /** Methods that read the fitted model, called with X alone, or fitted properties (read). */
  methods: string[];
  /** Options it must refuse, each with the option's name (which the message must carry). */
  bad: Record<string, unknown>[];
  /** Whether a `seed` option exists (seeded results must repeat). */
  seeded: boolean;
  /** A transformer of tabular data: gaps (NaN) and strings are data to it, not errors. */
  tabular?: boolean;
  /** Gaps (NaN, null) are data to it (missing values handled natively); strings are not. */
  gaps?: boolean;
}

const entry = (name: string, kind: Kind, Class: { new (o?: never): Fittable; fromBytes(b: Uint8Array): Fittable }, options: Record<string, unknown>,
  methods: string[], bad: Record<string, unknown>[], seeded = false): Entry => ({
  name, kind, methods, bad, seeded,
  make: (extra) => new Class({ ...options, ...extra } as never),
  load: (bytes) => Class.fromBytes(bytes),
});

export const ESTIMATORS: Entry[] = [
  entry('SVC', 'classifier', wl.SVC as never, { kernel: 'rbf', C: 2, probability: true, seed: 1 }, ['predict', 'decisionFunction', 'predictProba'], [{ C: -1 }, { kernel: 'sigmoidal' }, { gamma: 'often' }], true),
  entry('NuSVC', 'classifier', wl.NuSVC as never, { nu: 0.3, kernel: 'poly', degree: 2 }, ['predict', 'decisionFunction'], [{ nu: 1.5 }, { degree: -2 }]),
  entry('SVR', 'regressor', wl.SVR as never, { C: 3, epsilon: 0.05 }, ['predict'], [{ epsilon: -0.1 }, { C: 0 }]),
  entry('NuSVR', 'regressor', wl.NuSVR as never, { nu: 0.4, kernel: 'linear' }, ['predict'], [{ nu: 0 }]),
  entry('OneClassSVM', 'unsupervised', wl.OneClassSVM as never, { nu: 0.2 }, ['predict', 'decisionFunction', 'scoreSamples'], [{ nu: 2 }]),
  entry('DecisionTreeClassifier', 'classifier', wl.DecisionTreeClassifier as never, { maxDepth: 4, seed: 2 }, ['predict', 'predictProba', 'apply'], [{ maxDepth: 0 }, { criterion: 'squaredError' }, { minSamplesLeaf: 0 }], true),
  entry('DecisionTreeRegressor', 'regressor', wl.DecisionTreeRegressor as never, { maxDepth: 5, seed: 2 }, ['predict', 'apply'], [{ criterion: 'gini' }, { maxFeatures: 0 }], true),
  entry('RandomForestClassifier', 'classifier', wl.RandomForestClassifier as never, { nEstimators: 8, maxDepth: 5, seed: 3 }, ['predict', 'predictProba'], [{ nEstimators: 0 }, { maxSamples: -1 }], true),
  entry('RandomForestRegressor', 'regressor', wl.RandomForestRegressor as never, { nEstimators: 6, seed: 3 }, ['predict'], [{ nEstimators: 1.5 }], true),
  { ...entry('HistGradientBoostingClassifier', 'classifier', wl.HistGradientBoostingClassifier as never, { maxIter: 15, maxLeafNodes: 8, minSamplesLeaf: 5, seed: 3 },
    ['predict', 'predictProba', 'decisionFunction', 'nIter'], [{ maxIter: 0 }, { maxBins: 256 }, { loss: 'squaredError' }, { earlyStopping: 'sometimes' }, { categoricalFeatures: [0.5] }], true), gaps: true },
  { ...entry('HistGradientBoostingRegressor', 'regressor', wl.HistGradientBoostingRegressor as never, { maxIter: 12, loss: 'absoluteError', minSamplesLeaf: 4, earlyStopping: true, validationFraction: 0.2, seed: 3 },
    ['predict', 'nIter', 'validationScore'], [{ learningRate: 0 }, { quantile: 1.5 }, { monotonicCst: [2] }, { interactionCst: 'triplewise' }, { validationFraction: 1.5 }], true), gaps: true },
  entry('KNeighborsClassifier', 'classifier', wl.KNeighborsClassifier as never, { nNeighbors: 3 }, ['predict', 'predictProba'], [{ nNeighbors: 0 }, { metric: 'hamming' }, { weights: 'heavy' }]),
  entry('KNeighborsRegressor', 'regressor', wl.KNeighborsRegressor as never, { nNeighbors: 4, weights: 'distance' }, ['predict'], [{ p: 0 }, { leafSize: 0 }]),
  entry('NearestNeighbors', 'unsupervised', wl.NearestNeighbors as never, { nNeighbors: 2 }, ['kneighbors'], [{ algorithm: 'ballTree' }]),
  entry('PCA', 'unsupervised', wl.PCA as never, { nComponents: 2, svdSolver: 'full' }, ['transform'], [{ nComponents: -1 }, { svdSolver: 'arpack' }, { whiten: 'yes' }]),
  entry('PCA randomized', 'unsupervised', wl.PCA as never, { nComponents: 2, svdSolver: 'randomized', seed: 4 }, ['transform'], [{ iteratedPower: -1 }, { nOversamples: 'many' }], true),
  entry('LinearDiscriminantAnalysis', 'classifier', wl.LinearDiscriminantAnalysis as never, {}, ['predict', 'predictProba', 'transform', 'decisionFunction'], [{ solver: 'lsqr' }, { tol: -1 }]),
  entry('LinearRegression', 'regressor', wl.LinearRegression as never, {}, ['predict'], [{ fitIntercept: 1 }]),
  entry('Ridge', 'regressor', wl.Ridge as never, { alpha: 0.5 }, ['predict'], [{ alpha: -1 }]),
  entry('LogisticRegression', 'classifier', wl.LogisticRegression as never, { C: 2 }, ['predict', 'predictProba', 'decisionFunction'], [{ C: 0 }, { maxIter: 0 }]),
  entry('StandardScaler', 'unsupervised', wl.StandardScaler as never, {}, ['transform', 'inverseTransform'], [{ withMean: 'no' }]),
  entry('MinMaxScaler', 'unsupervised', wl.MinMaxScaler as never, { featureRange: [-1, 1] }, ['transform', 'inverseTransform'], [{ featureRange: [1, 0] }]),
  entry('RobustScaler', 'unsupervised', wl.RobustScaler as never, { quantileRange: [10, 90] }, ['transform', 'inverseTransform'], [{ quantileRange: [90, 10] }, { withScaling: 'yes' }]),
  entry('MaxAbsScaler', 'unsupervised', wl.MaxAbsScaler as never, {}, ['transform', 'inverseTransform'], []),
  entry('Normalizer', 'unsupervised', wl.Normalizer as never, { norm: 'l1' }, ['transform'], [{ norm: 'l3' }]),
  entry('PolynomialFeatures', 'unsupervised', wl.PolynomialFeatures as never, { degree: 3, interactionOnly: true }, ['transform'], [{ degree: 0 }, { includeBias: 'no' }]),
  { ...entry('SimpleImputer', 'unsupervised', wl.SimpleImputer as never, { strategy: 'median', addIndicator: true }, ['transform'], [{ strategy: 'mode' }, { fillValue: Number.NaN }, { addIndicator: 1 }]), tabular: true },
  { ...entry('OrdinalEncoder', 'unsupervised', wl.OrdinalEncoder as never, { handleUnknown: 'useEncodedValue', unknownValue: -1 }, ['transform'], [{ handleUnknown: 'skip' }, { unknownValue: 0.5 }, { categories: 'sorted' }]), tabular: true },
  {
    name: 'Pipeline (imputer → scaler → SVC)', kind: 'classifier', methods: ['predict', 'decisionFunction', 'predictProba'], bad: [{ C: -1 }, { kernel: 'sigmoidal' }], seeded: true,
    make: (o) => new wl.Pipeline({ steps: [['impute', new wl.SimpleImputer()], ['scale', new wl.StandardScaler()], ['svc', new wl.SVC({ C: 2, probability: true, seed: 1, ...o } as never)]] }) as never,
    load: (bytes) => wl.Pipeline.fromBytes(bytes) as never, tabular: true,
  },
  {
    name: 'ColumnTransformer (imputer and scaler, passthrough, remainder scaled)', kind: 'unsupervised', methods: ['transform'], bad: [{ withMean: 'no' }], seeded: false, tabular: true,
    make: (o) => new wl.ColumnTransformer({ transformers: [['num', wl.makePipeline(new wl.SimpleImputer(), new wl.StandardScaler(o as never)), [0, 1]], ['keep', 'passthrough', [2]]], remainder: new wl.MinMaxScaler() }) as never,
    load: (bytes) => wl.ColumnTransformer.fromBytes(bytes) as never,
  },
  entry('KBinsDiscretizer', 'unsupervised', wl.KBinsDiscretizer as never, { nBins: 3, strategy: 'kmeans' }, ['transform'], [{ nBins: 1 }, { strategy: 'kmeanz' }, { encode: 'sparse' }]),
  entry('FunctionTransformer', 'unsupervised', wl.FunctionTransformer as never, { func: 'tanh', inverseFunc: 'arctanh' }, ['transform'], [{ func: 'cube' }, { validate: 'yes' }]),
  {
    name: 'FeatureUnion (scaler, polynomial features)', kind: 'unsupervised', methods: ['transform'], bad: [{ withMean: 'no' }], seeded: false,
    make: (o) => new wl.FeatureUnion({ transformerList: [['scale', new wl.StandardScaler(o as never)], ['poly', new wl.PolynomialFeatures({ degree: 2 })]], transformerWeights: { poly: 0.5 } }) as never,
    load: (bytes) => wl.FeatureUnion.fromBytes(bytes) as never,
  },
  {
    name: 'GridSearchCV (scaled SVC, C × gamma)', kind: 'classifier', methods: ['predict', 'decisionFunction'], bad: [{ C: -1 }, { kernel: 'sigmoidal' }], seeded: false,
    make: (o) => new wl.GridSearchCV({ estimator: wl.makePipeline(new wl.StandardScaler(), new wl.SVC(o as never)), paramGrid: { svc__C: [0.5, 2], svc__gamma: ['scale', 0.1] }, cv: 3, errorScore: 'raise' }) as never,
    load: (bytes) => wl.GridSearchCV.fromBytes(bytes) as never,
  },
  {
    name: 'RandomizedSearchCV (scaled SVC, log-uniform C)', kind: 'classifier', methods: ['predict', 'decisionFunction'], bad: [{ kernel: 'sigmoidal' }, { gamma: 'often' }], seeded: false,
    make: (o) => new wl.RandomizedSearchCV({ estimator: wl.makePipeline(new wl.StandardScaler(), new wl.SVC(o as never)), paramDistributions: { svc__C: wl.logUniform(0.5, 5) }, nIter: 3, cv: 3, seed: 1, errorScore: 'raise' }) as never,
    load: (bytes) => wl.RandomizedSearchCV.fromBytes(bytes) as never,
  },
  entry('KMeans', 'unsupervised', wl.KMeans as never, { nClusters: 3, seed: 6 }, ['predict', 'transform'], [{ nClusters: 0 }, { algorithm: 'full' }, { nInit: 'many' }, { init: 'kmeans++' }], true),
  entry('KMeans elkan', 'unsupervised', wl.KMeans as never, { nClusters: 4, algorithm: 'elkan', init: 'random', nInit: 3, seed: 7 }, ['predict', 'transform'], [{ tol: -1 }, { maxIter: 0 }], true),
  entry('GaussianNB', 'classifier', wl.GaussianNB as never, { varSmoothing: 1e-8 }, ['predict', 'predictProba', 'predictLogProba', 'predictJointLogProba'], [{ varSmoothing: -1 }, { priors: 'uniform' }]),
  {
    // Counts are ≥ 0: the data pass a MinMaxScaler first, as a user's would.
    name: 'Pipeline (MinMaxScaler → MultinomialNB)', kind: 'classifier', methods: ['predict', 'predictProba', 'predictLogProba'], bad: [{ alpha: -1 }, { fitPrior: 'yes' }, { classPrior: [-1, 2] }], seeded: false,
    make: (o) => new wl.Pipeline({ steps: [['scale', new wl.MinMaxScaler()], ['nb', new wl.MultinomialNB({ alpha: 0.5, ...o } as never)]] }) as never,
    load: (bytes) => wl.Pipeline.fromBytes(bytes) as never,
  },
  entry('BernoulliNB', 'classifier', wl.BernoulliNB as never, { binarize: 0.5 }, ['predict', 'predictProba', 'predictLogProba'], [{ binarize: 'half' }, { forceAlpha: 1 }]),
  entry('MiniBatchKMeans', 'unsupervised', wl.MiniBatchKMeans as never, { nClusters: 3, batchSize: 32, seed: 8 }, ['predict', 'transform'], [{ batchSize: 0 }, { reassignmentRatio: -0.5 }, { initSize: 1.5 }], true),
  // No method reads a fitted DBSCAN: the checks compare what it learnt, its fitted properties.
  entry('DBSCAN', 'unsupervised', wl.DBSCAN as never, { eps: 1.5, minSamples: 4 }, ['labels', 'coreSampleIndices', 'components'], [{ eps: -1 }, { minSamples: 1.5 }, { metric: 'hamming' }, { leafSize: 0 }]),
  { ...entry('OneHotEncoder', 'unsupervised', wl.OneHotEncoder as never, { handleUnknown: 'infrequentIfExist', maxCategories: 6 }, ['transform'], [{ drop: 'last' }, { minFrequency: 1.5 }, { maxCategories: 0 }]), tabular: true },
];

/**
 * A Keras-style model in the estimator shape the checks use: options are the first layer's units
 * and activation, the learning rate and the epochs; fit trains 2 epochs of batches of 16 with a
 * fixed seed (SGD, sparse categorical cross-entropy). Initializers are seeded: the same weights
 * whatever else draws random numbers meanwhile.
 */
abstract class KerasModel implements Fittable {
  isFitted = false;
  protected readonly epochs: number;
  protected readonly layerOptions: Record<string, unknown>;
  protected readonly learningRate: number;
  protected built: wl.LayersModel | undefined;

  constructor(options: Record<string, unknown> = {}) {
    const { units = 8, activation = 'relu', learningRate = 0.1, epochs = 2, ...rest } = options;
    this.epochs = epochs as number;
    this.learningRate = learningRate as number;
    this.layerOptions = { units, activation, kernelInitializer: { name: 'glorotUniform', seed: 9 }, ...rest };
    // Bad options are refused here, as a model's layers and optimizer refuse them when made (named:
    // a default name would take one of Keras' counters, and the golden files keep layer names).
    wl.layers.dense({ ...this.layerOptions, name: 'options_check' } as never);
    wl.optimizers.sgd({ learningRate: this.learningRate });
  }

  /** The model for samples of d features (a functional model needs d when it is made). */
  protected abstract build(d: number): wl.LayersModel;

  get model(): wl.LayersModel {
    return this.built ?? this.ensure(5);
  }

  protected ensure(d: number): wl.LayersModel {
    if (this.built && (this.isFitted || this.built.inputShape[0] === d)) return this.built;
    this.built?.dispose();
    return this.make(d);
  }

  protected make(d: number): wl.LayersModel {
    this.built = this.build(d);
    this.built.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: wl.optimizers.sgd({ learningRate: this.learningRate }) });
    return this.built;
  }

  private features(X: unknown): number {
    const shape = (X as { shape?: number[] }).shape;
    return shape ? shape[1] : ((X as number[][])[0]?.length ?? 5);
  }

  async fit(X: unknown, y?: unknown): Promise<this> {
    await this.ensure(this.features(X)).fit(X as never, this.targets(y) as never, { epochs: this.epochs, batchSize: 16, verbose: 0, seed: 4, shuffle: true });
    this.isFitted = true;
    return this;
  }

  /** What fit gives the model as y (the labels, for a model of one output). */
  protected targets(y: unknown): unknown {
    return y;
  }

  predict(X: unknown): number[] {
    const result = this.ensure(this.features(X)).predict(X as never);
    return (Array.isArray(result) ? result : [result]).flatMap((t) => Array.from(t.data));
  }

  toBytes(): Uint8Array {
    return this.model.toBytes();
  }

  dispose(): void {
    this.built?.dispose();
  }

  static async restore<T extends KerasModel>(this: abstract new (o?: Record<string, unknown>) => T, bytes: Uint8Array): Promise<T> {
    const wrapper = Object.create(this.prototype) as T;
    (wrapper as unknown as { built: wl.LayersModel }).built = await wl.loadModel(bytes);
    wrapper.isFitted = true;
    return wrapper;
  }
}

/** dense (the options) → dense 3 softmax; made at once (it builds for the data on first use). */
class SequentialModel extends KerasModel {
  constructor(options?: Record<string, unknown>) {
    super(options);
    this.make(0);
  }

  protected override ensure(): wl.LayersModel {
    return this.built!;
  }

  protected build(): wl.LayersModel {
    return new wl.Sequential([
      wl.layers.dense(this.layerOptions as never),
      wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }),
    ]);
  }
}

/** A graph: dense (the options) and a tanh dense of the input, added, concatenated with the input, → dense 3 softmax. */
class FunctionalModel extends KerasModel {
  protected build(d: number): wl.LayersModel {
    const x = wl.input({ shape: [d] });
    const a = wl.layers.dense(this.layerOptions as never).apply(x);
    const b = wl.layers.dense({ units: this.layerOptions.units as number, activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 11 } }).apply(x);
    const joined = wl.layers.concatenate().apply([wl.layers.add().apply([a, b]), x]);
    const out = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }).apply(joined);
    return wl.model({ inputs: x, outputs: out });
  }
}

/** The graph above with a second softmax output on its first dense layer; the labels train both outputs. */
class TwoOutputModel extends KerasModel {
  protected build(d: number): wl.LayersModel {
    const x = wl.input({ shape: [d] });
    const a = wl.layers.dense(this.layerOptions as never).apply(x);
    const b = wl.layers.dense({ units: this.layerOptions.units as number, activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 11 } }).apply(x);
    const out = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }).apply(wl.layers.add().apply([a, b]));
    const aux = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 12 } }).apply(a);
    return wl.model({ inputs: x, outputs: [out, aux] });
  }

  protected override targets(y: unknown): unknown {
    return [y, y];
  }
}

for (const [name, Class] of [['Sequential', SequentialModel], ['Functional', FunctionalModel], ['Functional, two outputs', TwoOutputModel]] as const) {
  ESTIMATORS.push({
    name, kind: 'classifier', model: true, seeded: true, methods: ['predict'],
    make: (options) => new Class(options),
    load: (bytes) => Class.restore(bytes),
    bad: [{ units: 0 }, { activation: 'swish2' }, { learningRate: -1 }, { epochs: 0 }],
  });
}

/** A deterministic generator of values exact in f32 (so arrays, Float32Arrays and tensors hold the same numbers). */
export function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return Math.fround((s % 2000) / 250 - 4);
  };
}

/** n samples, d features, 3 classes (shifted means) and a regression target. */
export function dataset(n: number, d: number, seed = 7): { X: number[][]; classes: number[]; target: number[] } {
  const next = generator(seed);
  const classes = Array.from({ length: n }, (_, i) => i % 3);
  const X = classes.map((c) => Array.from({ length: d }, (_, j) => Math.fround(next() + (j % 3 === c ? 2 : 0))));
  const target = X.map((row) => Math.fround(row.reduce((s, v, j) => s + (j + 1) * v, 0) / d + next() / 10));
  return { X, classes, target };
}

/** Every method's output for X as one flat array of numbers (labels as their values). */
export function outputs(model: Fittable, methods: string[], X: unknown): number[] {
  const flat: number[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'number' || typeof v === 'string') flat.push(typeof v === 'number' ? v : Number.NaN);
    else if (ArrayBuffer.isView(v)) flat.push(...Array.from(v as unknown as ArrayLike<number>));
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  for (const method of methods) {
    // A method is called with X; a fitted property (DBSCAN's labels) is read.
    const v = (model as unknown as Record<string, unknown>)[method];
    add(typeof v === 'function' ? (v as (x: unknown) => unknown).call(model, X) : v);
  }
  return flat;
}

export function fitArgs(entry: Entry, X: unknown, data: { classes: number[]; target: number[] }): [unknown, unknown?] {
  return entry.kind === 'classifier' ? [X, data.classes] : entry.kind === 'regressor' ? [X, data.target] : [X];
}
