// Every public estimator, with small valid options, what it learns from, the methods that read a
// fitted model, and option values it must refuse — plain JavaScript that receives the library's
// module namespace, so that every runtime (Node, Deno, Chromium, workerd) runs the same list.
// A new estimator is covered by the conformance checks (checks.test.ts in Node, contract.js in
// every runtime) by adding one entry here.

/** The list, for the library `wl` (its module namespace). */
export function estimators(wl) {
  const entry = (name, kind, Class, options, methods, bad, seeded = false) => ({
    name, kind, methods, bad, seeded,
    make: (extra) => new Class({ ...options, ...extra }),
    load: (bytes) => Class.fromBytes(bytes),
  });
  const list = [
    entry('SVC', 'classifier', wl.SVC, { kernel: 'rbf', C: 2, probability: true, seed: 1 }, ['predict', 'decisionFunction', 'predictProba'], [{ C: -1 }, { kernel: 'sigmoidal' }, { gamma: 'often' }], true),
    entry('NuSVC', 'classifier', wl.NuSVC, { nu: 0.3, kernel: 'poly', degree: 2 }, ['predict', 'decisionFunction'], [{ nu: 1.5 }, { degree: -2 }]),
    entry('SVR', 'regressor', wl.SVR, { C: 3, epsilon: 0.05 }, ['predict'], [{ epsilon: -0.1 }, { C: 0 }]),
    entry('NuSVR', 'regressor', wl.NuSVR, { nu: 0.4, kernel: 'linear' }, ['predict'], [{ nu: 0 }]),
    entry('OneClassSVM', 'unsupervised', wl.OneClassSVM, { nu: 0.2 }, ['predict', 'decisionFunction', 'scoreSamples'], [{ nu: 2 }]),
    entry('DecisionTreeClassifier', 'classifier', wl.DecisionTreeClassifier, { maxDepth: 4, seed: 2 }, ['predict', 'predictProba', 'apply'], [{ maxDepth: 0 }, { criterion: 'squaredError' }, { minSamplesLeaf: 0 }], true),
    entry('DecisionTreeRegressor', 'regressor', wl.DecisionTreeRegressor, { maxDepth: 5, seed: 2 }, ['predict', 'apply'], [{ criterion: 'gini' }, { maxFeatures: 0 }], true),
    entry('RandomForestClassifier', 'classifier', wl.RandomForestClassifier, { nEstimators: 8, maxDepth: 5, seed: 3 }, ['predict', 'predictProba'], [{ nEstimators: 0 }, { maxSamples: -1 }], true),
    entry('RandomForestRegressor', 'regressor', wl.RandomForestRegressor, { nEstimators: 6, seed: 3 }, ['predict'], [{ nEstimators: 1.5 }], true),
    { ...entry('HistGradientBoostingClassifier', 'classifier', wl.HistGradientBoostingClassifier, { maxIter: 15, maxLeafNodes: 8, minSamplesLeaf: 5, seed: 3 },
      ['predict', 'predictProba', 'decisionFunction', 'nIter'], [{ maxIter: 0 }, { maxBins: 256 }, { loss: 'squaredError' }, { earlyStopping: 'sometimes' }, { categoricalFeatures: [0.5] }], true), gaps: true },
    { ...entry('HistGradientBoostingRegressor', 'regressor', wl.HistGradientBoostingRegressor, { maxIter: 12, loss: 'absoluteError', minSamplesLeaf: 4, earlyStopping: true, validationFraction: 0.2, seed: 3 },
      ['predict', 'nIter', 'validationScore'], [{ learningRate: 0 }, { quantile: 1.5 }, { monotonicCst: [2] }, { interactionCst: 'triplewise' }, { validationFraction: 1.5 }], true), gaps: true },
    entry('KNeighborsClassifier', 'classifier', wl.KNeighborsClassifier, { nNeighbors: 3 }, ['predict', 'predictProba'], [{ nNeighbors: 0 }, { metric: 'hamming' }, { weights: 'heavy' }]),
    entry('KNeighborsRegressor', 'regressor', wl.KNeighborsRegressor, { nNeighbors: 4, weights: 'distance' }, ['predict'], [{ p: 0 }, { leafSize: 0 }]),
    entry('NearestNeighbors', 'unsupervised', wl.NearestNeighbors, { nNeighbors: 2 }, ['kneighbors'], [{ algorithm: 'ballTree' }]),
    entry('PCA', 'unsupervised', wl.PCA, { nComponents: 2, svdSolver: 'full' }, ['transform'], [{ nComponents: -1 }, { svdSolver: 'arpack' }, { whiten: 'yes' }]),
    entry('PCA randomized', 'unsupervised', wl.PCA, { nComponents: 2, svdSolver: 'randomized', seed: 4 }, ['transform'], [{ iteratedPower: -1 }, { nOversamples: 'many' }], true),
    entry('LinearDiscriminantAnalysis', 'classifier', wl.LinearDiscriminantAnalysis, {}, ['predict', 'predictProba', 'transform', 'decisionFunction'], [{ solver: 'lsqr' }, { tol: -1 }]),
    entry('LinearRegression', 'regressor', wl.LinearRegression, {}, ['predict'], [{ fitIntercept: 1 }]),
    entry('Ridge', 'regressor', wl.Ridge, { alpha: 0.5 }, ['predict'], [{ alpha: -1 }]),
    entry('LogisticRegression', 'classifier', wl.LogisticRegression, { C: 2 }, ['predict', 'predictProba', 'decisionFunction'], [{ C: 0 }, { maxIter: 0 }]),
    entry('StandardScaler', 'unsupervised', wl.StandardScaler, {}, ['transform', 'inverseTransform'], [{ withMean: 'no' }]),
    entry('MinMaxScaler', 'unsupervised', wl.MinMaxScaler, { featureRange: [-1, 1] }, ['transform', 'inverseTransform'], [{ featureRange: [1, 0] }]),
    entry('RobustScaler', 'unsupervised', wl.RobustScaler, { quantileRange: [10, 90] }, ['transform', 'inverseTransform'], [{ quantileRange: [90, 10] }, { withScaling: 'yes' }]),
    entry('MaxAbsScaler', 'unsupervised', wl.MaxAbsScaler, {}, ['transform', 'inverseTransform'], []),
    entry('Normalizer', 'unsupervised', wl.Normalizer, { norm: 'l1' }, ['transform'], [{ norm: 'l3' }]),
    entry('PolynomialFeatures', 'unsupervised', wl.PolynomialFeatures, { degree: 3, interactionOnly: true }, ['transform'], [{ degree: 0 }, { includeBias: 'no' }]),
    { ...entry('SimpleImputer', 'unsupervised', wl.SimpleImputer, { strategy: 'median', addIndicator: true }, ['transform'], [{ strategy: 'mode' }, { fillValue: Number.NaN }, { addIndicator: 1 }]), tabular: true },
    { ...entry('OrdinalEncoder', 'unsupervised', wl.OrdinalEncoder, { handleUnknown: 'useEncodedValue', unknownValue: -1 }, ['transform'], [{ handleUnknown: 'skip' }, { unknownValue: 0.5 }, { categories: 'sorted' }]), tabular: true },
    {
      name: 'Pipeline (imputer → scaler → SVC)', kind: 'classifier', methods: ['predict', 'decisionFunction', 'predictProba'], bad: [{ C: -1 }, { kernel: 'sigmoidal' }], seeded: true,
      make: (o) => new wl.Pipeline({ steps: [['impute', new wl.SimpleImputer()], ['scale', new wl.StandardScaler()], ['svc', new wl.SVC({ C: 2, probability: true, seed: 1, ...o })]] }),
      load: (bytes) => wl.Pipeline.fromBytes(bytes), tabular: true,
    },
    {
      name: 'ColumnTransformer (imputer and scaler, passthrough, remainder scaled)', kind: 'unsupervised', methods: ['transform'], bad: [{ withMean: 'no' }], seeded: false, tabular: true,
      make: (o) => new wl.ColumnTransformer({ transformers: [['num', wl.makePipeline(new wl.SimpleImputer(), new wl.StandardScaler(o)), [0, 1]], ['keep', 'passthrough', [2]]], remainder: new wl.MinMaxScaler() }),
      load: (bytes) => wl.ColumnTransformer.fromBytes(bytes),
    },
    entry('KBinsDiscretizer', 'unsupervised', wl.KBinsDiscretizer, { nBins: 3, strategy: 'kmeans' }, ['transform'], [{ nBins: 1 }, { strategy: 'kmeanz' }, { encode: 'sparse' }]),
    entry('FunctionTransformer', 'unsupervised', wl.FunctionTransformer, { func: 'tanh', inverseFunc: 'arctanh' }, ['transform'], [{ func: 'cube' }, { validate: 'yes' }]),
    {
      name: 'FeatureUnion (scaler, polynomial features)', kind: 'unsupervised', methods: ['transform'], bad: [{ withMean: 'no' }], seeded: false,
      make: (o) => new wl.FeatureUnion({ transformerList: [['scale', new wl.StandardScaler(o)], ['poly', new wl.PolynomialFeatures({ degree: 2 })]], transformerWeights: { poly: 0.5 } }),
      load: (bytes) => wl.FeatureUnion.fromBytes(bytes),
    },
    {
      name: 'GridSearchCV (scaled SVC, C × gamma)', kind: 'classifier', methods: ['predict', 'decisionFunction'], bad: [{ C: -1 }, { kernel: 'sigmoidal' }], seeded: false,
      make: (o) => new wl.GridSearchCV({ estimator: wl.makePipeline(new wl.StandardScaler(), new wl.SVC(o)), paramGrid: { svc__C: [0.5, 2], svc__gamma: ['scale', 0.1] }, cv: 3, errorScore: 'raise' }),
      load: (bytes) => wl.GridSearchCV.fromBytes(bytes), timed: true,
    },
    {
      name: 'RandomizedSearchCV (scaled SVC, log-uniform C)', kind: 'classifier', methods: ['predict', 'decisionFunction'], bad: [{ kernel: 'sigmoidal' }, { gamma: 'often' }], seeded: false,
      make: (o) => new wl.RandomizedSearchCV({ estimator: wl.makePipeline(new wl.StandardScaler(), new wl.SVC(o)), paramDistributions: { svc__C: wl.logUniform(0.5, 5) }, nIter: 3, cv: 3, seed: 1, errorScore: 'raise' }),
      load: (bytes) => wl.RandomizedSearchCV.fromBytes(bytes), timed: true,
    },
    entry('KMeans', 'unsupervised', wl.KMeans, { nClusters: 3, seed: 6 }, ['predict', 'transform'], [{ nClusters: 0 }, { algorithm: 'full' }, { nInit: 'many' }, { init: 'kmeans++' }], true),
    entry('KMeans elkan', 'unsupervised', wl.KMeans, { nClusters: 4, algorithm: 'elkan', init: 'random', nInit: 3, seed: 7 }, ['predict', 'transform'], [{ tol: -1 }, { maxIter: 0 }], true),
    entry('GaussianNB', 'classifier', wl.GaussianNB, { varSmoothing: 1e-8 }, ['predict', 'predictProba', 'predictLogProba', 'predictJointLogProba'], [{ varSmoothing: -1 }, { priors: 'uniform' }]),
    {
      // Counts are ≥ 0: the data pass a MinMaxScaler first, as a user's would.
      name: 'Pipeline (MinMaxScaler → MultinomialNB)', kind: 'classifier', methods: ['predict', 'predictProba', 'predictLogProba'], bad: [{ alpha: -1 }, { fitPrior: 'yes' }, { classPrior: [-1, 2] }], seeded: false,
      make: (o) => new wl.Pipeline({ steps: [['scale', new wl.MinMaxScaler()], ['nb', new wl.MultinomialNB({ alpha: 0.5, ...o })]] }),
      load: (bytes) => wl.Pipeline.fromBytes(bytes),
    },
    entry('BernoulliNB', 'classifier', wl.BernoulliNB, { binarize: 0.5 }, ['predict', 'predictProba', 'predictLogProba'], [{ binarize: 'half' }, { forceAlpha: 1 }]),
    entry('MiniBatchKMeans', 'unsupervised', wl.MiniBatchKMeans, { nClusters: 3, batchSize: 32, seed: 8 }, ['predict', 'transform'], [{ batchSize: 0 }, { reassignmentRatio: -0.5 }, { initSize: 1.5 }], true),
    // No method reads a fitted DBSCAN: the checks compare what it learnt, its fitted properties.
    entry('DBSCAN', 'unsupervised', wl.DBSCAN, { eps: 1.5, minSamples: 4 }, ['labels', 'coreSampleIndices', 'components'], [{ eps: -1 }, { minSamples: 1.5 }, { metric: 'hamming' }, { leafSize: 0 }]),
    { ...entry('OneHotEncoder', 'unsupervised', wl.OneHotEncoder, { handleUnknown: 'infrequentIfExist', maxCategories: 6 }, ['transform'], [{ drop: 'last' }, { minFrequency: 1.5 }, { maxCategories: 0 }]), tabular: true },
  ];
  for (const [name, Class] of [['Sequential', SequentialModel], ['Functional', FunctionalModel], ['Functional, two outputs', TwoOutputModel]]) {
    list.push({
      name, kind: 'classifier', model: true, seeded: true, methods: ['predict'],
      make: (options) => new Class(wl, options),
      load: (bytes) => Class.restore(wl, bytes),
      bad: [{ units: 0 }, { activation: 'swish2' }, { learningRate: -1 }, { epochs: 0 }],
    });
  }
  return list;
}

/**
 * A Keras-style model in the estimator shape the checks use: options are the first layer's units
 * and activation, the learning rate and the epochs; fit trains 2 epochs of batches of 16 with a
 * fixed seed (SGD, sparse categorical cross-entropy). Initializers are seeded: the same weights
 * whatever else draws random numbers meanwhile.
 */
class KerasModel {

  constructor(wl, options = {}) {
    this.wl = wl;
    this.isFitted = false;
    this.built = undefined;
    const { units = 8, activation = 'relu', learningRate = 0.1, epochs = 2, ...rest } = options;
    this.epochs = epochs;
    this.learningRate = learningRate;
    this.layerOptions = { units, activation, kernelInitializer: { name: 'glorotUniform', seed: 9 }, ...rest };
    // Bad options are refused here, as a model's layers and optimizer refuse them when made (named:
    // a default name would take one of Keras' counters, and the golden files keep layer names).
    wl.layers.dense({ ...this.layerOptions, name: 'options_check' });
    wl.optimizers.sgd({ learningRate: this.learningRate });
  }


  get model() {
    return this.built ?? this.ensure(5);
  }

  ensure(d) {
    if (this.built && (this.isFitted || this.built.inputShape[0] === d)) return this.built;
    this.built?.dispose();
    return this.make(d);
  }

  make(d) {
    this.built = this.build(d);
    this.built.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: this.wl.optimizers.sgd({ learningRate: this.learningRate }) });
    return this.built;
  }

  features(X) {
    const shape = X.shape;
    return shape ? shape[1] : (X[0]?.length ?? 5);
  }

  async fit(X, y) {
    await this.ensure(this.features(X)).fit(X, this.targets(y), { epochs: this.epochs, batchSize: 16, verbose: 0, seed: 4, shuffle: true });
    this.isFitted = true;
    return this;
  }

  /** What fit gives the model as y (the labels, for a model of one output). */
  targets(y) {
    return y;
  }

  predict(X) {
    const result = this.ensure(this.features(X)).predict(X);
    return (Array.isArray(result) ? result : [result]).flatMap((t) => Array.from(t.data));
  }

  toBytes() {
    return this.model.toBytes();
  }

  dispose() {
    this.built?.dispose();
  }

  static async restore(wl, bytes) {
    const wrapper = Object.create(this.prototype);
    wrapper.wl = wl;
    wrapper.built = await wl.loadModel(bytes);
    wrapper.isFitted = true;
    return wrapper;
  }
}

/** dense (the options) → dense 3 softmax; made at once (it builds for the data on first use). */
class SequentialModel extends KerasModel {
  constructor(wl, options) {
    super(wl, options);
    this.make(0);
  }

  ensure() {
    return this.built;
  }

  build() {
    const wl = this.wl;
    return new wl.Sequential([
      wl.layers.dense(this.layerOptions),
      wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }),
    ]);
  }
}

/** A graph: dense (the options) and a tanh dense of the input, added, concatenated with the input, → dense 3 softmax. */
class FunctionalModel extends KerasModel {
  build(d) {
    const wl = this.wl;
    const x = wl.input({ shape: [d] });
    const a = wl.layers.dense(this.layerOptions).apply(x);
    const b = wl.layers.dense({ units: this.layerOptions.units, activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 11 } }).apply(x);
    const joined = wl.layers.concatenate().apply([wl.layers.add().apply([a, b]), x]);
    const out = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }).apply(joined);
    return wl.model({ inputs: x, outputs: out });
  }
}

/** The graph above with a second softmax output on its first dense layer; the labels train both outputs. */
class TwoOutputModel extends KerasModel {
  build(d) {
    const wl = this.wl;
    const x = wl.input({ shape: [d] });
    const a = wl.layers.dense(this.layerOptions).apply(x);
    const b = wl.layers.dense({ units: this.layerOptions.units, activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 11 } }).apply(x);
    const out = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 10 } }).apply(wl.layers.add().apply([a, b]));
    const aux = wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 12 } }).apply(a);
    return wl.model({ inputs: x, outputs: [out, aux] });
  }

  targets(y) {
    return [y, y];
  }
}

/** A deterministic generator of values exact in f32 (so arrays, Float32Arrays and tensors hold the same numbers). */
export function generator(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return Math.fround((s % 2000) / 250 - 4);
  };
}

/** n samples, d features, 3 classes (shifted means) and a regression target. */
export function dataset(n, d, seed = 7) {
  const next = generator(seed);
  const classes = Array.from({ length: n }, (_, i) => i % 3);
  const X = classes.map((c) => Array.from({ length: d }, (_, j) => Math.fround(next() + (j % 3 === c ? 2 : 0))));
  const target = X.map((row) => Math.fround(row.reduce((s, v, j) => s + (j + 1) * v, 0) / d + next() / 10));
  return { X, classes, target };
}

/** Every method's output for X as one flat array of numbers (labels as their values). */
export function outputs(model, methods, X) {
  const flat = [];
  const add = (v) => {
    if (typeof v === 'number' || typeof v === 'string') flat.push(typeof v === 'number' ? v : Number.NaN);
    else if (ArrayBuffer.isView(v)) flat.push(...Array.from(v));
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  for (const method of methods) {
    // A method is called with X; a fitted property (DBSCAN's labels) is read.
    const v = model[method];
    add(typeof v === 'function' ? v.call(model, X) : v);
  }
  return flat;
}

export function fitArgs(entry, X, data) {
  return entry.kind === 'classifier' ? [X, data.classes] : entry.kind === 'regressor' ? [X, data.target] : [X];
}
