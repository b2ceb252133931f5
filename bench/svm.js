// SVC on Fashion-MNIST (issue #5): RBF kernel, C 10, gamma 'scale', the first 10 000 training
// images (pixels / 255) and the 10 000 test images; against libsvm-js (libsvm 3.22 compiled to
// WebAssembly by emscripten) and, when /usr/bin/python3 has it, scikit-learn's SVC (native
// libsvm), in the same run. Prints a Markdown table and writes bench/results/svm.json.
//
//   node bench/svm.js           full run
//   node bench/svm.js --quick   2 000 training and 2 000 test images
//
// libsvm-js predicts one sample per call; it predicts the first 1 000 test images and its time
// is scaled to 10 000 (the table says so).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as wl from '../dist/index.js';
import { loadFashionSubset } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const nTrain = quick ? 2000 : 10000;
const nTest = quick ? 2000 : 10000;
const { train, xTest, yTest, yTrain } = await loadFashionSubset(nTrain, nTest);

async function ours(threads) {
  await wl.init({ threads });
  const t0 = performance.now();
  const svc = await new wl.SVC({ kernel: 'rbf', C: 10, gamma: 'scale' }).fit(train.x, yTrain);
  const fit = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const predicted = svc.predict(xTest);
  const predict = (performance.now() - t1) / 1000;
  return { fit, predict, accuracy: predicted.filter((v, i) => v === yTest[i]).length / nTest, nSV: svc.support.length };
}

const two = await ours(2);
console.error(`wasmlearn 2t: fit ${two.fit.toFixed(2)} s, predict ${two.predict.toFixed(2)} s, accuracy ${two.accuracy}`);
const one = await ours(1);
console.error(`wasmlearn 1t: fit ${one.fit.toFixed(2)} s, predict ${one.predict.toFixed(2)} s`);

let sklearn;
try {
  sklearn = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./svm_sklearn.py', import.meta.url).pathname, String(nTrain), String(nTest)], { encoding: 'utf8' }).trim().split('\n').pop());
  console.error(`scikit-learn: fit ${sklearn.fit.toFixed(2)} s, predict ${sklearn.predict.toFixed(2)} s, accuracy ${sklearn.accuracy}`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
}

const SVM = await createRequire(import.meta.url)('libsvm-js');
const rows = (x, n) => Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * 784, (i + 1) * 784)));
const trainRows = rows(train.x, nTrain);
const gamma = (() => {
  let mean = 0;
  for (const v of train.x.data) mean += v;
  mean /= train.x.data.length;
  let variance = 0;
  for (const v of train.x.data) variance += (v - mean) ** 2;
  return 1 / (784 * (variance / train.x.data.length));
})();
const libsvm = new SVM({ kernel: SVM.KERNEL_TYPES.RBF, type: SVM.SVM_TYPES.C_SVC, gamma, cost: 10, quiet: true });
const t0 = performance.now();
libsvm.train(trainRows, yTrain);
const libsvmFit = (performance.now() - t0) / 1000;
const sample = Math.min(1000, nTest);
const testRows = rows(xTest, sample);
const t1 = performance.now();
const libsvmPredicted = testRows.map((r) => libsvm.predictOne(r));
const libsvmPredict = ((performance.now() - t1) / 1000) * (nTest / sample);
const libsvmAccuracy = libsvmPredicted.filter((v, i) => v === yTest[i]).length / sample;
console.error(`libsvm-js: fit ${libsvmFit.toFixed(1)} s, predict ${libsvmPredict.toFixed(1)} s (scaled from ${sample})`);

console.log(`\nSVC rbf C=10 gamma 'scale', Fashion-MNIST ${nTrain} train / ${nTest} test; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
const ratio = (a, b) => (a && b ? `${fixed(a / b, 1)}×` : '');
printTable(['measure', 'wasmlearn 2t', 'wasmlearn 1t', 'scikit-learn', 'libsvm-js', 'sklearn / wasmlearn 2t', 'libsvm-js / wasmlearn 2t'], [
  ['fit (s)', fixed(two.fit, 2), fixed(one.fit, 2), sklearn ? fixed(sklearn.fit, 2) : 'n/a', fixed(libsvmFit, 1), ratio(sklearn?.fit, two.fit), ratio(libsvmFit, two.fit)],
  ['predict (s)', fixed(two.predict, 2), fixed(one.predict, 2), sklearn ? fixed(sklearn.predict, 2) : 'n/a', `${fixed(libsvmPredict, 1)}*`, ratio(sklearn?.predict, two.predict), ratio(libsvmPredict, two.predict)],
  ['accuracy', fixed(two.accuracy, 4), fixed(one.accuracy, 4), sklearn ? fixed(sklearn.accuracy, 4) : 'n/a', `${fixed(libsvmAccuracy, 4)}*`, '', ''],
  ['support vectors', two.nSV, one.nSV, sklearn?.nSV ?? 'n/a', '', '', ''],
]);
console.log(`\n* libsvm-js predicted the first ${sample} test images; its time is scaled to ${nTest} and its accuracy is over those ${sample}.`);
const file = writeResults(quick ? 'svm-quick' : 'svm', { quick, nTrain, nTest, wasmlearn: { twoThreads: two, oneThread: one }, sklearn, libsvmjs: { fit: libsvmFit, predictScaled: libsvmPredict, predictedSamples: sample, accuracy: libsvmAccuracy } });
console.log(`results written to ${file}`);
