// One ml.js contender on the first N_TRAIN Fashion-MNIST images, in its own process so that
// bench/trees.js can stop it at its time cap; prints JSON { fit, predict, accuracy }.
//   node bench/trees_mljs.js cart|forest|knn N_TRAIN N_TEST
import { createRequire } from 'node:module';
import { loadFashion } from './fashion.js';

const [peer, nTrain, nTest] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const require = createRequire(import.meta.url);
const { train, test } = await loadFashion({ trainLimit: nTrain });
const rows = (x, n) => Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * 784, (i + 1) * 784)));
const X = rows(train.x, nTrain), y = Array.from(train.labels);
const Xt = rows(test.x, nTest), yt = Array.from(test.labels.subarray(0, nTest));
let model;
const t0 = performance.now();
if (peer === 'cart') {
  const { DecisionTreeClassifier } = require('ml-cart');
  model = new DecisionTreeClassifier({ gainFunction: 'gini' });
  model.train(X, y);
} else if (peer === 'forest') {
  const { RandomForestClassifier } = require('ml-random-forest');
  model = new RandomForestClassifier({ nEstimators: 100, seed: 0 });
  model.train(X, y);
} else {
  const KNN = require('ml-knn');
  model = new KNN(X, y, { k: 5 });
}
const fit = (performance.now() - t0) / 1000;
const t1 = performance.now();
const p = model.predict(Xt);
const predict = (performance.now() - t1) / 1000;
console.log(JSON.stringify({ fit, predict, accuracy: p.filter((v, i) => v === yt[i]).length / nTest }));
