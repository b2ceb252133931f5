// Histogram gradient boosting (issue 19): HistGradientBoostingClassifier(maxIter 100, the other
// options at their defaults, so early stopping is on with 10 % held out, as both libraries do
// above 10 000 rows) on Fashion-MNIST (60 000 × 784, pixels / 255) and on a synthetic tabular set
// of 1 000 000 rows × 20 features with gaps; ours with 2 threads against scikit-learn 1.2 with
// OpenMP on 2 threads, in the same run; prediction of the test rows with 1 and 2 threads on both
// sides. Prints Markdown tables and writes bench/results/boosting.json.
//
//   node bench/boosting.js                the full sizes
//   node bench/boosting.js --quick        10 000 images, 100 000 tabular rows, 20 iterations
//   node bench/boosting.js --only=tabular one data set (fashion or tabular)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wl from '../dist/index.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const nImages = quick ? 10000 : 60000, nRows = quick ? 100000 : 1000000, nTest = quick ? 20000 : 100000, maxIter = quick ? 20 : 100;

const idx = (name) => wl.loadIdx(new URL(`../data/fashion-mnist/${name}`, import.meta.url).pathname);
const [images, labels, testImages, testLabels] = await Promise.all(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map(idx));
const fashion = {
  X: { data: Float64Array.from(images.data.subarray(0, nImages * 784), (v) => v / 255), shape: [nImages, 784] },
  y: Array.from(labels.data.subarray(0, nImages)),
  Xt: { data: Float64Array.from(testImages.data, (v) => v / 255), shape: [10000, 784] },
  yt: Array.from(testLabels.data),
};

// The tabular set: 20 features (some skewed, two of them integer codes), 10 % gaps in six of them,
// a label from a noisy nonlinear rule; a seeded LCG, written to a file for scikit-learn.
function tabular(n, seed) {
  let state = seed >>> 0;
  const u = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const X = new Float64Array(n * 20), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = X.subarray(i * 20, (i + 1) * 20);
    for (let f = 0; f < 20; f++) r[f] = f < 10 ? u() * 2 - 1 : f < 16 ? -Math.log(1 - u()) : Math.floor(u() * 8);
    const score = r[0] + 0.8 * r[1] * r[2] - 0.6 * Math.abs(r[3]) + 0.3 * Math.log1p(r[10]) - 0.2 * r[11] + (r[16] === 3 ? 0.7 : 0) + (u() - 0.5);
    y[i] = score > 0 ? 1 : 0;
    for (const f of [1, 4, 7, 10, 13, 17]) if (u() < 0.1) r[f] = Number.NaN;
  }
  return { X, y };
}
const all = tabular(nRows + nTest, 2024);
const table = {
  X: { data: all.X.subarray(0, nRows * 20), shape: [nRows, 20] }, y: Array.from(all.y.subarray(0, nRows)),
  Xt: { data: all.X.subarray(nRows * 20), shape: [nTest, 20] }, yt: Array.from(all.y.subarray(nRows)),
};

const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
const chosen = [['fashion', fashion], ['tabular', table]].filter(([name]) => !only || name === only);
const ours = {};
for (const [name, set] of chosen) {
  await wl.init({ threads: 2 });
  let t0 = performance.now();
  const model = await new wl.HistGradientBoostingClassifier({ maxIter, seed: 0 }).fit(set.X, set.y);
  const fit = (performance.now() - t0) / 1000;
  const predict = {};
  let accuracy;
  for (const threads of [1, 2]) {
    await wl.init({ threads });
    model.predict(set.Xt); // warm
    t0 = performance.now();
    const p = model.predict(set.Xt);
    predict[threads] = (performance.now() - t0) / 1000;
    accuracy = p.filter((v, i) => v === set.yt[i]).length / p.length;
  }
  ours[name] = { fit, predict_1: predict[1], predict_2: predict[2], accuracy, n_iter: model.nIter };
  console.error(`wasmlearn ${name}: fit ${fixed(fit, 2)} s (${model.nIter} iterations), predict ${fixed(predict[1], 3)} / ${fixed(predict[2], 3)} s, accuracy ${fixed(accuracy, 4)}`);
}

let sk;
const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-bench-'));
try {
  writeFileSync(join(dir, 'tabular.f64'), new Uint8Array(all.X.buffer, all.X.byteOffset, all.X.byteLength));
  writeFileSync(join(dir, 'tabular.u8'), all.y);
  sk = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./boosting_sklearn.py', import.meta.url).pathname, String(nImages), dir, String(nRows), String(maxIter), only ?? 'all'],
    { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop());
  for (const [k, v] of Object.entries(sk)) console.error(`scikit-learn ${k}: fit ${fixed(v.fit, 2)} s (${v.n_iter} iterations), predict ${fixed(v.predict_1, 3)} / ${fixed(v.predict_2, 3)} s, accuracy ${fixed(v.accuracy, 4)}`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nHistGradientBoostingClassifier(maxIter ${maxIter}), defaults otherwise (early stopping on, 10 % held out). ${machine().cpu}, ${machine().cores} cores, Node ${process.version}; one run.\n`);
const sets = Object.fromEntries(Object.entries({ fashion: `Fashion-MNIST ${nImages} × 784 (test 10 000)`, tabular: `tabular ${nRows} × 20 with gaps (test ${nTest})` })
  .filter(([name]) => name in ours));
printTable(['data', 'wasmlearn fit, 2 threads, s (iterations)', 'scikit-learn fit, 2 threads', 'sklearn / wasmlearn', 'wasmlearn accuracy', 'scikit-learn accuracy'],
  Object.keys(sets).map((k) => [sets[k], `${fixed(ours[k].fit, 1)} (${ours[k].n_iter})`, sk ? `${fixed(sk[k].fit, 1)} (${sk[k].n_iter})` : 'n/a',
    sk ? `${fixed(sk[k].fit / ours[k].fit, 2)}×` : '', fixed(ours[k].accuracy, 4), sk ? fixed(sk[k].accuracy, 4) : 'n/a']));
console.log('\nPrediction of the test rows, seconds:\n');
printTable(['data', 'wasmlearn 1 thread', 'wasmlearn 2 threads', 'scikit-learn 1 thread', 'scikit-learn 2 threads', 'sklearn 1t / wasmlearn 1t', 'sklearn 2t / wasmlearn 2t'],
  Object.keys(sets).map((k) => [sets[k], fixed(ours[k].predict_1, 3), fixed(ours[k].predict_2, 3), sk ? fixed(sk[k].predict_1, 3) : 'n/a', sk ? fixed(sk[k].predict_2, 3) : 'n/a',
    sk ? `${fixed(sk[k].predict_1 / ours[k].predict_1, 2)}×` : '', sk ? `${fixed(sk[k].predict_2 / ours[k].predict_2, 2)}×` : '']));
const file = writeResults(`boosting${quick ? '-quick' : ''}${only ? `-${only}` : ''}`, { nImages, nRows, nTest, maxIter, ours, sklearn: sk });
console.log(`results written to ${file}`);
