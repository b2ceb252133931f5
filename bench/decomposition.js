// PCA(50), LinearRegression and LDA on Fashion-MNIST's 60 000 × 784 training images (pixels /
// 255) (issue #9), against scikit-learn (one thread, when /usr/bin/python3 has it) and ml-pca (its
// covariance-matrix method, the faster of its own, in a child process capped at 10 minutes), in
// the same run. Times are medians of three runs on each side (one with --quick). Prints a Markdown
// table and writes bench/results/decomposition.json.
//
//   node bench/decomposition.js           full run
//   node bench/decomposition.js --quick   10 000 images, a 1-minute cap
import { execFileSync, spawnSync } from 'node:child_process';
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
if (process.argv[2] === '--mlpca') {
  // The child: ml-pca on the first N images; prints JSON.
  const { PCA } = await import('ml-pca');
  const n = Number(process.argv[3]);
  const { train } = await loadFashion({ trainLimit: n });
  const rows = Array.from({ length: n }, (_, i) => Array.from(train.x.data.subarray(i * 784, (i + 1) * 784)));
  const t0 = performance.now();
  const pca = new PCA(rows, { method: 'covarianceMatrix' });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds, ratio: pca.getExplainedVariance().slice(0, 5) }));
  process.exit(0);
}
const n = quick ? 10000 : 60000;
const cap = quick ? 60 : 600;
const { train } = await loadFashion({ trainLimit: n });
const y = Array.from(train.labels);
await wl.init({ threads: 2 });

// The median of `runs` timings (this machine is noisy), and the last result.
const runs = quick ? 1 : 3;
const time = async (fn) => {
  const seconds = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return [seconds.sort((a, b) => a - b)[Math.floor(runs / 2)], out];
};
// Standardized pixels (StandardScaler's formula, constant pixels left at 0): data off the byte
// grid, which take the f32 passes and f64 final step instead of the exact integer covariance.
const std = (() => {
  const d = 784, x = train.x.data, mean = new Float64Array(d), sq = new Float64Array(d);
  for (let i = 0; i < n * d; i++) { mean[i % d] += x[i]; }
  for (let c = 0; c < d; c++) mean[c] /= n;
  for (let i = 0; i < n * d; i++) { const v = x[i] - mean[i % d]; sq[i % d] += v * v; }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) { const s = Math.sqrt(sq[i % d] / n); out[i] = (x[i] - mean[i % d]) / (s === 0 ? 1 : s); }
  return { data: out, shape: [n, d] };
})();
// Warm the pool and the compiled kernels on a small fit (sklearn's BLAS is loaded before its timings too).
await new wl.PCA({ nComponents: 5, seed: 0 }).fit({ data: std.data.subarray(0, 2000 * 784), shape: [2000, 784] });
const [tPca, pca] = await time(() => new wl.PCA({ nComponents: 50, svdSolver: 'full' }).fit(train.x));
console.error(`wasmlearn PCA(50) full: ${tPca.toFixed(2)} s`);
const [tRand, rand] = await time(() => new wl.PCA({ nComponents: 50, seed: 0 }).fit(train.x));
console.error(`wasmlearn PCA(50) 'auto' (randomized): ${tRand.toFixed(2)} s`);
const [tRandS, randS] = await time(() => new wl.PCA({ nComponents: 50, seed: 0 }).fit(std));
console.error(`wasmlearn PCA(50) randomized, standardized: ${tRandS.toFixed(2)} s`);
const [tLr, lr] = await time(() => new wl.LinearRegression().fit(train.x, y));
console.error(`wasmlearn LinearRegression: ${tLr.toFixed(2)} s`);
const [tLda, lda] = await time(() => new wl.LinearDiscriminantAnalysis().fit(train.x, y));
console.error(`wasmlearn LDA: ${tLda.toFixed(2)} s`);
const ours = {
  pca: { seconds: tPca, ratio: Array.from(pca.explainedVarianceRatio), component0: pca.components[0] },
  pcaRandomized: { seconds: tRand, ratio: Array.from(rand.explainedVarianceRatio) },
  pcaStandardizedRandomized: { seconds: tRandS, ratio: Array.from(randS.explainedVarianceRatio) },
  linearRegression: { seconds: tLr, score: lr.score(train.x, y) },
  lda: { seconds: tLda, score: lda.score(train.x, y), ratio: Array.from(lda.explainedVarianceRatio.slice(0, 3)) },
};

let sklearn;
try {
  sklearn = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./decomposition_sklearn.py', import.meta.url).pathname, String(n), String(runs)], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());
  console.error(`scikit-learn: PCA full ${sklearn.pcaFull.seconds.toFixed(2)} s, randomized ${sklearn.pcaRandomized.seconds.toFixed(2)} s (standardized ${sklearn.pcaStandardizedRandomized.seconds.toFixed(2)} s), LinearRegression ${sklearn.linearRegression.seconds.toFixed(2)} s, LDA ${sklearn.lda.seconds.toFixed(2)} s`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
}
const child = spawnSync(process.execPath, ['--max-old-space-size=16000', new URL(import.meta.url).pathname, '--mlpca', String(n)], { encoding: 'utf8', timeout: cap * 1000, killSignal: 'SIGKILL' });
const mlpca = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').pop()) : null;
console.error(mlpca ? `ml-pca: ${mlpca.seconds.toFixed(1)} s` : `ml-pca: not finished within ${cap} s`);

// Agreement with scikit-learn: the largest relative difference over the leading variance ratios,
// and over the first component (signs fixed by the same rule).
const rel = (a, b, count = a.length) => Math.max(...a.slice(0, count).map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
const agree = sklearn ? {
  pcaRatio: rel(ours.pca.ratio, sklearn.pcaFull.ratio, 5),
  pcaComponent0: Math.max(...ours.pca.component0.map((v, i) => Math.abs(v - sklearn.pcaFull.component0[i]))),
  // Randomized answers against the exact (full) one: ours and scikit-learn's own.
  randomizedRatio5: rel(ours.pcaRandomized.ratio, sklearn.pcaFull.ratio, 5),
  randomizedRatio50: rel(ours.pcaRandomized.ratio, sklearn.pcaFull.ratio, 50),
  sklearnRandomizedRatio5: rel(sklearn.pcaRandomized.ratio, sklearn.pcaFull.ratio, 5),
  sklearnRandomizedRatio50: rel(sklearn.pcaRandomized.ratio, sklearn.pcaFull.ratio, 50),
  standardizedRatio5: rel(ours.pcaStandardizedRandomized.ratio, sklearn.pcaStandardizedFull.ratio, 5),
  standardizedRatio50: rel(ours.pcaStandardizedRandomized.ratio, sklearn.pcaStandardizedFull.ratio, 50),
  sklearnStandardizedRatio5: rel(sklearn.pcaStandardizedRandomized.ratio, sklearn.pcaStandardizedFull.ratio, 5),
  sklearnStandardizedRatio50: rel(sklearn.pcaStandardizedRandomized.ratio, sklearn.pcaStandardizedFull.ratio, 50),
  ldaRatio: rel(ours.lda.ratio, sklearn.lda.ratio),
} : null;

console.log(`\nFashion-MNIST ${n} × 784; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
const ratio = (a, b) => (a && b ? `${fixed(a / b, 1)}×` : '');
const e = (v) => (v === undefined ? '' : v.toExponential(1));
printTable(['measure', 'wasmlearn 2 threads', 'scikit-learn 1 thread', 'sklearn / wasmlearn', 'ml-pca'], [
  ['PCA(50) full (s)', fixed(tPca, 2), sklearn ? fixed(sklearn.pcaFull.seconds, 2) : 'n/a', ratio(sklearn?.pcaFull.seconds, tPca), mlpca ? fixed(mlpca.seconds, 1) : `> ${cap} s`],
  ["PCA(50) randomized, both libraries' 'auto' (s)", fixed(tRand, 2), sklearn ? fixed(sklearn.pcaRandomized.seconds, 2) : 'n/a', ratio(sklearn?.pcaRandomized.seconds, tRand), ''],
  ['PCA(50) randomized, standardized pixels (s)', fixed(tRandS, 2), sklearn ? fixed(sklearn.pcaStandardizedRandomized.seconds, 2) : 'n/a', ratio(sklearn?.pcaStandardizedRandomized.seconds, tRandS), ''],
  ['LinearRegression (s)', fixed(tLr, 2), sklearn ? fixed(sklearn.linearRegression.seconds, 2) : 'n/a', ratio(sklearn?.linearRegression.seconds, tLr), ''],
  ['LDA svd (s)', fixed(tLda, 2), sklearn ? fixed(sklearn.lda.seconds, 2) : 'n/a', ratio(sklearn?.lda.seconds, tLda), ''],
  ['full: max rel. diff of variance ratios 1–5 from scikit-learn full', e(agree?.pcaRatio), '', '', ''],
  ['full: max abs. diff of the first component', e(agree?.pcaComponent0), '', '', ''],
  ['randomized: max rel. diff of ratios 1–5 / 1–50 from the exact (full)', agree ? `${e(agree.randomizedRatio5)} / ${e(agree.randomizedRatio50)}` : '', agree ? `${e(agree.sklearnRandomizedRatio5)} / ${e(agree.sklearnRandomizedRatio50)}` : '', '', ''],
  ['standardized randomized: the same', agree ? `${e(agree.standardizedRatio5)} / ${e(agree.standardizedRatio50)}` : '', agree ? `${e(agree.sklearnStandardizedRatio5)} / ${e(agree.sklearnStandardizedRatio50)}` : '', '', ''],
  ['LDA: max rel. diff of variance ratios (3)', e(agree?.ldaRatio), '', '', ''],
]);
const file = writeResults(quick ? 'decomposition-quick' : 'decomposition', { quick, n, wasmlearn: { ...ours, pca: { ...ours.pca, component0: undefined } },
  sklearn: sklearn ? { ...sklearn, pcaFull: { ...sklearn.pcaFull, component0: undefined } } : null, mlpca, agreement: agree });
console.log(`results written to ${file}`);
