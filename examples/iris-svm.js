// The lecture's four SVM panels on Iris: decision regions of support vector classifiers with
// linear, polynomial (degree 3) and RBF kernels, and a ν-SVC, on the first two features (sepal
// length and width), as scikit-learn's "Plot different SVM classifiers in the iris dataset".
//
//   node examples/iris-svm.js        → examples/out/iris-svm.svg
import { NuSVC, SVC, accuracyScore, datasets } from 'wasmlearn';
import { grid, saveChart } from './plot.js';

const iris = datasets.loadIris();
const X = iris.data.map((row) => row.slice(0, 2));
const y = iris.target;
const models = [
  ['SVC, linear kernel', new SVC({ kernel: 'linear', C: 1 })],
  ['SVC, RBF kernel (γ = 0.7)', new SVC({ kernel: 'rbf', gamma: 0.7, C: 1 })],
  ['SVC, polynomial kernel (degree 3)', new SVC({ kernel: 'poly', degree: 3, gamma: 'auto', C: 1 })],
  ['ν-SVC, RBF kernel (ν = 0.5)', new NuSVC({ kernel: 'rbf', gamma: 0.7, nu: 0.5 })],
];
const range = (j) => [Math.min(...X.map((r) => r[j])) - 1, Math.max(...X.map((r) => r[j])) + 1];
const cells = grid(range(0), range(1), 60);
const panels = [];
for (const [title, model] of models) {
  await model.fit(X, y);
  const accuracy = accuracyScore(y, model.predict(X));
  console.log(`${title.padEnd(36)} training accuracy ${accuracy.toFixed(3)}, ${model.nSupport.reduce((a, b) => a + b, 0)} support vectors`);
  const regions = model.predict(cells).map((c, i) => ({ x: cells[i][0], y: cells[i][1], species: iris.targetNames[c] }));
  const points = X.map(([a, b], i) => ({ x: a, y: b, species: iris.targetNames[y[i]] }));
  panels.push({
    title: `${title} — accuracy ${accuracy.toFixed(2)}`, width: 260, height: 220,
    layer: [
      { data: { values: regions }, mark: { type: 'square', size: 40, opacity: 0.25 }, encoding: { x: { field: 'x', type: 'quantitative', title: iris.featureNames[0], scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: iris.featureNames[1], scale: { zero: false } }, color: { field: 'species', type: 'nominal' } } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 25, stroke: 'black', strokeWidth: 0.4 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'species', type: 'nominal' } } },
    ],
  });
}
const file = await saveChart('iris-svm', { columns: 2, concat: panels });
console.log(`figure: ${file}`);
