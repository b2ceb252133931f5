// The same smoke test for every runtime (Node, Deno, Chromium, workerd): plain JavaScript that
// receives the library's module namespace, so each runtime imports it its own way.

/** FNV-1a over the bit patterns of a Float32Array: equal hashes mean equal bits. */
export function bitsHash(data) {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export async function smoke(lib, initOptions) {
  const started = Date.now();
  await lib.init(initOptions);
  // 150×130·130×170: large enough that a running pool splits it.
  const a = lib.randomUniform([150, 130], { low: -1, high: 1, seed: 1 });
  const b = lib.randomUniform([130, 170], { low: -1, high: 1, seed: 2 });
  const product = lib.matMul(a, b);
  const transposed = lib.matMul(b, a, { transposeA: true, transposeB: true });
  const small = lib.matMul([[1, 2], [3, 4]], [[5], [6]]).toArray();
  let error = null;
  try {
    lib.matMul([[1, 2]], [[1, 2]]);
  } catch (e) {
    error = { name: e.name, wasmlearn: e instanceof lib.WasmlearnError, message: e.message };
  }
  const network = await deepLearning(lib);
  const vision = await visionLayers(lib);
  const svm = await supportVectors(lib);
  const trees = await treesAndNeighbours(lib);
  const linear = await linearModels(lib);
  const workflow = await tabularWorkflow(lib);
  const clustering = await kMeans(lib);
  const boosting = await boosted(lib);
  const sequence = await sequenceLayers(lib);
  return {
    sequence,
    boosting,
    workflow,
    clustering,
    network,
    vision,
    svm,
    trees,
    linear,
    info: lib.backendInfo(),
    small,
    randomHash: bitsHash(a.data),
    productHash: bitsHash(product.data),
    transposedHash: bitsHash(transposed.data),
    error,
    milliseconds: Date.now() - started,
  };
}

/**
 * A small CNN trained with every kind of layer, Adam and dropout, then saved to bytes and loaded
 * back: the hashes of its predictions must be the same in every runtime.
 */
async function deepLearning(lib) {
  lib.setRandomSeed(3);
  const model = new lib.Sequential([
    lib.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
    lib.layers.maxPooling2d({ poolSize: 2 }),
    lib.layers.flatten(),
    lib.layers.dropout({ rate: 0.2 }),
    lib.layers.dense({ units: 16, activation: 'sigmoid' }),
    lib.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const x = lib.randomUniform([96, 8, 8, 1], { seed: 5 });
  const labels = Array.from({ length: 96 }, (_, i) => i % 3);
  // Class c brightens row c: learnable.
  for (let i = 0; i < 96; i++) for (let j = 0; j < 8; j++) x.data[i * 64 + labels[i] * 8 + j] += 1;
  const history = await model.fit(x, labels, { epochs: 3, batchSize: 32, verbose: 0, seed: 7 });
  const prediction = model.predict(x);
  const loaded = await lib.loadModel(model.toBytes());
  const reloaded = loaded.predict(x);
  model.dispose();
  loaded.dispose();
  return {
    loss: history.history.loss,
    accuracy: history.history.accuracy,
    predictionHash: bitsHash(prediction.data),
    reloadedHash: bitsHash(reloaded.data),
  };
}

/**
 * A functional model mixing the vision layers — zero padding, batch normalization, a dilated
 * depthwise convolution, a separable one, a transposed one, PReLU, ReLU6 and the activations whose
 * derivative keeps the pre-activation (gelu, swish, mish), global average pooling — trained a few
 * steps with Adam: its losses and predictions must be the same bits in every runtime and on any
 * number of threads.
 */
export async function visionLayers(lib) {
  lib.setRandomSeed(11);
  const L = lib.layers;
  const inp = lib.input({ shape: [10, 10, 3] });
  let x = L.zeroPadding2d({ padding: 1 }).apply(inp);
  x = L.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false, activation: 'swish' }).apply(x);
  x = L.reLU({ maxValue: 6 }).apply(L.batchNormalization().apply(x));
  x = L.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'gelu' }).apply(x);
  x = L.prelu({ sharedAxes: [1, 2] }).apply(L.separableConv2d({ filters: 6, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'mish' }).apply(x));
  x = L.conv2dTranspose({ filters: 4, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu6' }).apply(x);
  // Grouped and dilated, then the activations by name and the rectifier layers in turn, bilinear upsampling and pooling.
  x = L.conv2d({ filters: 6, kernelSize: 2, dilationRate: 2, groups: 2, padding: 'same', activation: 'selu' }).apply(x);
  for (const activation of ['softplus', 'softsign', 'hardSigmoid', 'gelu_new', 'exponential', 'elu']) x = L.activation({ activation }).apply(x);
  x = L.thresholdedReLU({ theta: 1.2 }).apply(L.leakyReLU({ alpha: 0.2 }).apply(L.elu({ alpha: 0.5 }).apply(x)));
  x = L.averagePooling2d({ poolSize: 2 }).apply(L.upSampling2d({ size: 2, interpolation: 'bilinear' }).apply(x));
  const out = L.dense({ units: 3, activation: 'softmax' }).apply(L.globalAveragePooling2d().apply(L.batchNormalization().apply(x)));
  const model = lib.model({ inputs: inp, outputs: out });
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate: 0.01 }) });
  const images = lib.randomUniform([24, 10, 10, 3], { seed: 13 });
  const labels = Array.from({ length: 24 }, (_, i) => i % 3);
  const history = await model.fit(images, labels, { epochs: 2, batchSize: 8, verbose: 0, seed: 17 });
  const prediction = model.predict(images);
  const loaded = await lib.loadModel(model.toBytes());
  const reloaded = loaded.predict(images);
  model.dispose();
  loaded.dispose();
  return { loss: history.history.loss, predictionHash: bitsHash(prediction.data), reloadedHash: bitsHash(reloaded.data) };
}

/** An SVC (three classes, rbf, probabilities) and a one-class SVM: their numbers must be the same in every runtime. */
async function supportVectors(lib) {
  const x = lib.randomNormal([90, 3], { seed: 11 });
  const X = { data: x.data, shape: [90, 3] };
  const y = Array.from({ length: 90 }, (_, i) => ['a', 'b', 'c'][i % 3]);
  for (let i = 0; i < 90; i++) x.data[i * 3 + (i % 3)] += 2.5;
  const svc = await new lib.SVC({ kernel: 'rbf', C: 3, probability: true, seed: 4 }).fit(X, y);
  const decision = new Float32Array(svc.decisionFunction(X).flat());
  const proba = new Float32Array(svc.predictProba(X).flat());
  const restored = lib.SVC.fromBytes(svc.toBytes());
  const oneClass = await new lib.OneClassSVM({ nu: 0.2 }).fit(X);
  return {
    support: Array.from(svc.support),
    decisionHash: bitsHash(new Float32Array(Float64Array.from(svc.decisionFunction(X).flat()))),
    probaHash: bitsHash(proba),
    accuracy: svc.score(X, y),
    restoredSame: bitsHash(new Float32Array(restored.decisionFunction(X).flat())) === bitsHash(decision),
    oneClassHash: bitsHash(new Float32Array(oneClass.decisionFunction(X))),
  };
}

/** PCA, LDA, linear and logistic regression, a scaler and a report: the same numbers in every runtime. */
async function linearModels(lib) {
  const { data, target, targetNames } = lib.datasets.loadIris();
  const split = lib.trainTestSplit(data, target, { testSize: 0.3, stratify: target, seed: 5 });
  const scaled = await new lib.StandardScaler().fit(split.xTrain);
  const pca = await new lib.PCA({ nComponents: 2 }).fit(data);
  const lda = await new lib.LinearDiscriminantAnalysis({ nComponents: 2 }).fit(split.xTrain, split.yTrain);
  const logistic = await new lib.LogisticRegression({ C: 1 }).fit(scaled.transform(split.xTrain), split.yTrain);
  const ols = await new lib.LinearRegression().fit(data.map((r) => r.slice(0, 3)), data.map((r) => r[3]));
  const restored = lib.LinearDiscriminantAnalysis.fromBytes(lda.toBytes());
  // Randomized PCA both ways: bytes (the exact integer covariance) and the same off the grid (f32 passes).
  const bytes = Array.from({ length: 120 }, (_, r) => Array.from({ length: 24 }, (_, c) => (r * 7 + c * 13 + ((r * c) % 11)) % 256));
  const pixels = await new lib.PCA({ nComponents: 3, svdSolver: 'randomized', seed: 1 }).fit(bytes);
  const generic = await new lib.PCA({ nComponents: 3, svdSolver: 'randomized', seed: 1 }).fit(bytes.map((r) => r.map((v) => v / 7 + 0.01)));
  return {
    randomizedPixels: bitsHash(new Float32Array(pixels.components.flat())),
    randomizedGeneric: bitsHash(new Float32Array(generic.components.flat())),
    testIndex: split.testIndex.join(','),
    pcaRatio: Array.from(pca.explainedVarianceRatio),
    pcaComponents: bitsHash(new Float32Array(pca.components.flat())),
    ldaTransform: bitsHash(new Float32Array(lda.transform(split.xTest).flat())),
    ldaRestoredSame: bitsHash(new Float32Array(restored.predictProba(split.xTest).flat())) === bitsHash(new Float32Array(lda.predictProba(split.xTest).flat())),
    logisticProba: bitsHash(new Float32Array(logistic.predictProba(scaled.transform(split.xTest)).flat())),
    olsCoef: Array.from(ols.coef),
    report: lib.classificationReport(split.yTest, lda.predict(split.xTest), { targetNames }),
  };
}

/**
 * The scikit-learn workflow on row objects with gaps and strings: a column-transformer pipeline
 * cross-validated one fit at a time and on two workers (where the runtime has workers; the same
 * scores either way), a grid search, scores by name and metrics — the same numbers everywhere.
 */
/**
 * k-means on 1 200 × 256 seeded values in 6 blobs, large enough that assignment goes through the
 * GEMM with an exact re-check: Lloyd from k-means++ and Elkan from the same start agree, and the
 * centres' bits are the same in every runtime.
 */
async function kMeans(lib) {
  const noise = lib.randomUniform([1200, 256], { low: -1, high: 1, seed: 4 }).data;
  const X = Array.from({ length: 1200 }, (_, i) => Array.from(noise.subarray(i * 256, (i + 1) * 256), (v, f) => v + ((i % 6) === f % 6 ? 3 : 0)));
  const lloyd = await new lib.KMeans({ nClusters: 8, seed: 2, nInit: 2 }).fit(X);
  const elkan = await new lib.KMeans({ nClusters: 8, init: lloyd.clusterCenters, algorithm: 'elkan' }).fit(X);
  const restored = lib.KMeans.fromBytes(lloyd.toBytes());
  const f64 = (rows) => bitsHash(new Float32Array(Float64Array.from(rows.flat()).buffer));
  return {
    centres: f64(lloyd.clusterCenters),
    labels: bitsHash(new Float32Array(Int32Array.from(lloyd.labels).buffer)),
    inertia: lloyd.inertia,
    nIter: lloyd.nIter,
    elkanSameLabels: Array.from(elkan.predict(X)).join() === Array.from(lloyd.predict(X)).join(),
    restoredSame: Array.from(restored.predict(X)).join() === Array.from(lloyd.labels).join(),
  };
}

/**
 * The sequence layers: an embedding, an LSTM over every step, a GRU of each convention going both
 * ways, layer normalization, trained a few steps with Adam: losses and predictions, saved and
 * loaded back; a causal multi-head attention block with dropout; padded sentences through an
 * embedding with maskZero and an LSTM giving its last states.
 */
async function sequenceLayers(lib) {
  lib.setRandomSeed(13);
  const L = lib.layers;
  const model = new lib.Sequential([
    L.embedding({ inputDim: 7, outputDim: 5, inputLength: 9 }),
    L.lstm({ units: 8, returnSequences: true }),
    L.gru({ units: 6, resetAfter: false, returnSequences: true, goBackwards: true }),
    L.layerNormalization(),
    L.gru({ units: 4 }),
    L.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate: 0.02 }) });
  const codes = lib.randomUniform([64, 9], { low: 0, high: 7, seed: 9 }).data;
  const words = Float32Array.from(codes, (v) => Math.floor(v));
  // Whether word 1 comes before word 2 (or 2 is absent).
  const labels = Array.from({ length: 64 }, (_, i) => {
    const row = Array.from(words.subarray(i * 9, (i + 1) * 9));
    const a = row.indexOf(1), b = row.indexOf(2);
    return a >= 0 && (b < 0 || a < b) ? 1 : 0;
  });
  const x = { data: words, shape: [64, 9] };
  const history = await model.fit(x, labels, { epochs: 3, batchSize: 16, verbose: 0, seed: 5 });
  const prediction = model.predict(x);
  const loaded = await lib.loadModel(model.toBytes());
  const reloaded = loaded.predict(x);
  model.dispose();
  loaded.dispose();
  // An attention block: causal multi-head self-attention with dropout, added back and normalized.
  const seq = lib.input({ shape: [9, 5] });
  const attended = L.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.2 }).apply({ query: seq, value: seq, useCausalMask: true });
  const block = lib.model({ inputs: seq, outputs: L.dense({ units: 2, activation: 'softmax' }).apply(L.globalAveragePooling1d().apply(L.layerNormalization().apply(L.add().apply([seq, attended])))) });
  block.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate: 0.02 }) });
  const steps = { data: lib.randomUniform([64, 9, 5], { low: -1, high: 1, seed: 11 }).data, shape: [64, 9, 5] };
  const attentionHistory = await block.fit(steps, labels, { epochs: 3, batchSize: 16, verbose: 0, seed: 6 });
  const attentionPrediction = block.predict(steps);
  block.dispose();
  // Masks and states: padded sentences (index 0) through an embedding with maskZero, an LSTM giving its states, a dense layer on them.
  const tokens = lib.input({ shape: [9] });
  const [, h, c] = L.lstm({ units: 6, returnState: true }).apply(L.embedding({ inputDim: 7, outputDim: 5, maskZero: true }).apply(tokens));
  const stateModel = lib.model({ inputs: tokens, outputs: L.dense({ units: 2, activation: 'softmax' }).apply(L.concatenate().apply([h, c])) });
  stateModel.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate: 0.02 }) });
  const paddedWords = Float32Array.from(words, (w, i) => (i % 9 >= 3 + (Math.floor(i / 9) % 6) ? 0 : w));
  const padded = { data: paddedWords, shape: [64, 9] };
  const stateHistory = await stateModel.fit(padded, labels, { epochs: 3, batchSize: 16, verbose: 0, seed: 7 });
  const statePrediction = stateModel.predict(padded);
  stateModel.dispose();
  return {
    loss: history.history.loss, predictionHash: bitsHash(prediction.data), reloadedHash: bitsHash(reloaded.data),
    attentionLoss: attentionHistory.history.loss, attentionHash: bitsHash(attentionPrediction.data),
    statesLoss: stateHistory.history.loss, statesHash: bitsHash(statePrediction.data),
  };
}

/**
 * Histogram gradient boosting with missing values, a categorical feature and early stopping on a
 * held-out part, multiclass and a regression: hashes of the probabilities and predictions.
 */
async function boosted(lib) {
  const noise = lib.randomUniform([1500, 6], { low: -1, high: 1, seed: 5 }).data;
  const X = Array.from({ length: 1500 }, (_, i) => {
    const row = Array.from(noise.subarray(i * 6, (i + 1) * 6));
    row[5] = i % 5; // a category code
    if (i % 11 === 0) row[1] = Number.NaN;
    return row;
  });
  const y = X.map((r) => (r[0] + (Number.isNaN(r[1]) ? 0.5 : r[1] * r[2]) + (r[5] === 3 ? 0.8 : 0) > 0.2 ? (r[3] > 0 ? 2 : 1) : 0));
  const classifier = await new lib.HistGradientBoostingClassifier({ maxIter: 25, categoricalFeatures: [5], earlyStopping: true, nIterNoChange: 4, seed: 1 }).fit(X, y);
  const regressor = await new lib.HistGradientBoostingRegressor({ maxIter: 20, loss: 'absoluteError', seed: 1 }).fit(X, X.map((r) => r[0] * 3 + r[4]));
  const restored = lib.HistGradientBoostingClassifier.fromBytes(classifier.toBytes());
  const proba = (rows) => bitsHash(new Float32Array(Float64Array.from(rows.flat()).buffer));
  return {
    nIter: classifier.nIter,
    validation: bitsHash(new Float32Array(classifier.validationScore.buffer)),
    proba: proba(classifier.predictProba(X)),
    regression: bitsHash(new Float32Array(regressor.predict(X).buffer)),
    restoredSame: proba(restored.predictProba(X)) === proba(classifier.predictProba(X)),
  };
}

async function tabularWorkflow(lib) {
  const rows = Array.from({ length: 60 }, (_, i) => ({ a: i % 9 === 0 ? null : Math.sin(i) * 3, b: (i * 7) % 11, city: ['oslo', 'rome', null][i % 3] }));
  const y = rows.map((r, i) => ((r.a ?? 0) + r.b / 4 + (i % 3 === 1 ? 1 : 0) + ((i * 13) % 7) / 2 > 3.5 ? 'yes' : 'no'));
  const pipe = () => lib.makePipeline(
    lib.makeColumnTransformer([lib.makePipeline(new lib.SimpleImputer(), new lib.StandardScaler()), ['a', 'b']], [new lib.OneHotEncoder({ handleUnknown: 'ignore' }), ['city']]),
    new lib.LogisticRegression());
  lib.warnings.filter('ignore', 'runtime');
  const one = await lib.crossValScore(pipe(), rows, y, { cv: 4, scoring: 'roc_auc' });
  const two = await lib.crossValScore(pipe(), rows, y, { cv: 4, scoring: 'roc_auc', nJobs: 2 });
  const search = await new lib.GridSearchCV({ estimator: pipe(), paramGrid: { logisticregression__C: [0.1, 1, 10] }, cv: 3, scoring: ['accuracy', 'f1_macro'], refit: 'f1_macro', nJobs: 2 }).fit(rows, y);
  lib.warnings.reset();
  const predicted = search.predict(rows);
  return {
    scores: Array.from(one),
    sameOnWorkers: Array.from(one).join() === Array.from(two).join(),
    best: search.bestParams.logisticregression__C,
    meanF1: search.cvResults.meanTestF1Macro,
    report: lib.classificationReport(y, predicted),
    mcc: lib.matthewsCorrcoef(y, predicted),
    ami: lib.adjustedMutualInfoScore(y, predicted),
  };
}

/** A tree, a small forest and a KNN search: the same numbers in every runtime. */
async function treesAndNeighbours(lib) {
  const x = lib.randomNormal([120, 4], { seed: 21 });
  const X = { data: x.data, shape: [120, 4] };
  const y = Array.from({ length: 120 }, (_, i) => i % 3);
  for (let i = 0; i < 120; i++) x.data[i * 4 + (i % 3)] += 1.5;
  const tree = await new lib.DecisionTreeClassifier({ maxDepth: 4, seed: 2 }).fit(X, y);
  const forest = await new lib.RandomForestClassifier({ nEstimators: 8, seed: 3, oobScore: true }).fit(X, y);
  const knn = await new lib.KNeighborsClassifier({ nNeighbors: 4, weights: 'distance' }).fit(X, y);
  const restored = lib.RandomForestClassifier.fromBytes(forest.toBytes());
  return {
    thresholds: bitsHash(new Float32Array(tree.tree.threshold)),
    treeText: tree.exportText().length,
    forestProba: bitsHash(new Float32Array(forest.predictProba(X).flat())),
    restoredSame: bitsHash(new Float32Array(restored.predictProba(X).flat())) === bitsHash(new Float32Array(forest.predictProba(X).flat())),
    oob: forest.oobScore,
    neighbours: knn.kneighbors(X, 4).indices.flat().join(','),
    knnProba: bitsHash(new Float32Array(knn.predictProba(X).flat())),
  };
}
