// Trees, forests and KNN on Fashion-MNIST (issue #6): DecisionTreeClassifier, RandomForest-
// Classifier(100) and KNeighborsClassifier(5) on the 60 000 training / 10 000 test images
// (pixels / 255), against scikit-learn (one thread, when /usr/bin/python3 has it) and the ml.js
// packages (ml-cart, ml-random-forest, ml-knn), in the same run. The ml.js contenders run in child
// processes on growing training subsets (1 000, 5 000, 20 000, 60 000 images; the full test set)
// within a cap of 10 minutes each; the table reports the largest subset each finished.
// Prints a Markdown table and writes bench/results/trees.json.
//
//   node bench/trees.js           full run
//   node bench/trees.js --quick   5 000 training and 2 000 test images, 1-minute caps
//   --mljs-minutes=M              another cap for the ml.js contenders (0: skip them)
import { execFileSync, spawnSync } from 'node:child_process';
import * as wl from '../dist/index.js';
import { loadFashionSubset } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const nTrain = quick ? 5000 : 60000;
const nTest = quick ? 2000 : 10000;
const capArg = process.argv.find((a) => a.startsWith('--mljs-minutes='));
const capSeconds = capArg ? Number(capArg.split('=')[1]) * 60 : quick ? 60 : 600;
const { train, xTest, yTest, yTrain } = await loadFashionSubset(nTrain, nTest);

async function ours(threads) {
  await wl.init({ threads });
  const out = {};
  for (const [name, make] of [
    ['tree', () => new wl.DecisionTreeClassifier({ seed: 0 })],
    ['forest', () => new wl.RandomForestClassifier({ nEstimators: 100, seed: 0 })],
    ['knn', () => new wl.KNeighborsClassifier({ nNeighbors: 5 })],
  ]) {
    const t0 = performance.now();
    const model = await make().fit(train.x, yTrain);
    const fit = (performance.now() - t0) / 1000;
    // The first prediction also packs the trees for the kernel (once per model); then on this
    // thread count and on one, against scikit-learn's one.
    const t1 = performance.now();
    const predicted = model.predict(xTest);
    const predictFirst = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    model.predict(xTest);
    const predict = (performance.now() - t2) / 1000;
    await wl.init({ threads: 1 });
    const t3 = performance.now();
    model.predict(xTest);
    const predictOneThread = (performance.now() - t3) / 1000;
    await wl.init({ threads });
    out[name] = { fit, predict, predictFirst, predictOneThread, accuracy: predicted.filter((v, i) => v === yTest[i]).length / nTest };
    console.error(`wasmlearn ${threads}t ${name}: fit ${fit.toFixed(2)} s, predict ${predict.toFixed(2)} s, accuracy ${out[name].accuracy}`);
  }
  return out;
}

const two = await ours(2);

let sklearn;
try {
  sklearn = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./trees_sklearn.py', import.meta.url).pathname, String(nTrain), String(nTest)], { encoding: 'utf8' }).trim().split('\n').pop());
  for (const [name, r] of Object.entries(sklearn)) console.error(`scikit-learn ${name}: fit ${r.fit.toFixed(2)} s, predict ${r.predict.toFixed(2)} s, accuracy ${r.accuracy}`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
}

/** The largest training subset the ml.js contender finishes (fit and predict) within the cap. */
function mljs(peer) {
  const stages = [1000, 5000, 20000, 60000].filter((s) => s <= nTrain);
  const started = performance.now();
  let done = null;
  for (const size of stages) {
    const left = capSeconds - (performance.now() - started) / 1000;
    if (left <= 1) break;
    const r = spawnSync(process.execPath, ['--max-old-space-size=16000', new URL('./trees_mljs.js', import.meta.url).pathname, peer, String(size), String(nTest)],
      { encoding: "utf8", timeout: Math.round(left * 1000), killSignal: 'SIGKILL' });
    if (r.status !== 0) {
      console.error(`${peer}: ${size} training images not finished within the cap${r.stderr ? ` (${r.stderr.trim().split('\n').pop()})` : ''}`);
      break;
    }
    done = { trained: size, ...JSON.parse(r.stdout.trim().split('\n').pop()) };
    console.error(`${peer} on ${size}: fit ${done.fit.toFixed(1)} s, predict ${done.predict.toFixed(1)} s, accuracy ${done.accuracy}`);
  }
  return done;
}
const peers = capSeconds > 0 ? { tree: mljs('cart'), forest: mljs('forest'), knn: mljs('knn') } : {};

console.log(`\nFashion-MNIST ${nTrain} train / ${nTest} test; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
const ratio = (a, b) => (a && b ? `${fixed(a / b, 1)}×` : '');
const rows = [];
for (const [name, label, costly] of [['tree', 'DecisionTree', 'fit'], ['forest', 'RandomForest(100)', 'fit'], ['knn', 'KNN k=5', 'predict']]) {
  const w = two[name], s = sklearn?.[name], p = peers[name];
  const peer = capSeconds === 0 ? 'not run' : p ? `${fixed(p[costly], 1)} s on ${p.trained} (${fixed(p.accuracy, 4)})` : `none within ${capSeconds / 60} min`;
  rows.push([`${label} ${costly} (s)`, fixed(w[costly], 2), s ? fixed(s[costly], 2) : 'n/a', ratio(s?.[costly], w[costly]), peer]);
  rows.push([`${label} accuracy`, fixed(w.accuracy, 4), s ? fixed(s.accuracy, 4) : 'n/a', s ? `${(100 * (w.accuracy - s.accuracy)).toFixed(2)} pt` : '', '']);
}
printTable(['measure', 'wasmlearn 2 threads', 'scikit-learn 1 thread', 'sklearn / wasmlearn', 'ml.js (largest training subset finished, accuracy)'], rows);
console.log(`\nPrediction of the ${nTest} test images, seconds:\n`);
printTable(['model', 'wasmlearn 1 thread', 'wasmlearn 2 threads', 'wasmlearn first call, 2 threads', 'scikit-learn 1 thread', 'sklearn / wasmlearn, 1 thread', '2 threads'],
  [['tree', 'DecisionTree'], ['forest', 'RandomForest(100)']].map(([name, label]) => [label, fixed(two[name].predictOneThread, 3), fixed(two[name].predict, 3), fixed(two[name].predictFirst, 3),
    sklearn ? fixed(sklearn[name].predict, 3) : 'n/a', ratio(sklearn?.[name].predict, two[name].predictOneThread), ratio(sklearn?.[name].predict, two[name].predict)]));
const file = writeResults(quick ? 'trees-quick' : capSeconds === 0 ? 'trees-no-mljs' : 'trees', { quick, nTrain, nTest, capSeconds, wasmlearn: { twoThreads: two }, sklearn, mljs: peers });
console.log(`results written to ${file}`);
