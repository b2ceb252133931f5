// A decision tree (printed as text), a random forest and k-nearest neighbours on Iris, then on
// images: 5 000 Fashion-MNIST training images (the repository's stand-in for digits), tested
// on 1 000, with the accuracies side by side.
//
//   node examples/trees-knn.js       → examples/out/trees-knn.svg
import { DecisionTreeClassifier, KNeighborsClassifier, RandomForestClassifier, accuracyScore, datasets, loadIdx, trainTestSplit } from 'wasmlearn';
import { saveChart } from './plot.js';

const iris = datasets.loadIris();
const split = trainTestSplit(iris.data, iris.target, { testSize: 0.3, stratify: iris.target, seed: 0 });
const tree = await new DecisionTreeClassifier({ maxDepth: 3, seed: 0 }).fit(split.xTrain, split.yTrain);
console.log('Decision tree on Iris (depth 3):');
console.log(tree.exportText({ featureNames: iris.featureNames }));

const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;
async function images(prefix, n) {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`);
  const y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  return { x: { data: Float32Array.from(x.data.subarray(0, n * 784), (v) => v / 255), shape: [n, 784] }, y: Array.from(y.data.subarray(0, n)) };
}
const fashionTrain = await images('train', 5000), fashionTest = await images('t10k', 1000);

const models = {
  'decision tree': () => new DecisionTreeClassifier({ seed: 0 }),
  'random forest (100 trees)': () => new RandomForestClassifier({ nEstimators: 100, seed: 0 }),
  'k-nearest neighbours (k = 5)': () => new KNeighborsClassifier({ nNeighbors: 5 }),
};
const rows = [];
for (const [name, make] of Object.entries(models)) {
  const onIris = await make().fit(split.xTrain, split.yTrain);
  const t0 = performance.now();
  const onImages = await make().fit(fashionTrain.x, fashionTrain.y);
  const irisAccuracy = accuracyScore(split.yTest, onIris.predict(split.xTest));
  const imageAccuracy = accuracyScore(fashionTest.y, onImages.predict(fashionTest.x));
  console.log(`${name.padEnd(30)} Iris ${irisAccuracy.toFixed(3)}   Fashion-MNIST ${imageAccuracy.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)} s to fit and predict)`);
  rows.push({ model: name, data: 'Iris (45 test flowers)', accuracy: irisAccuracy }, { model: name, data: 'Fashion-MNIST (1 000 test images)', accuracy: imageAccuracy });
}
const file = await saveChart('trees-knn', {
  title: 'Test accuracy', data: { values: rows }, width: 160, height: 220,
  mark: 'bar',
  encoding: { column: { field: 'data', type: 'nominal', title: null }, x: { field: 'model', type: 'nominal', axis: { labelAngle: -30 }, title: null }, y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] } }, color: { field: 'model', type: 'nominal', legend: null } },
});
console.log(`figure: ${file}`);
