// PCA(50), LinearRegression and LDA on Fashion-MNIST's 60 000 × 784 training images (pixels /
// 255) (issue #9), against scikit-learn (one thread, when /usr/bin/python3 has it) and ml-pca (its
// covariance-matrix method, the faster of its own, in a child process capped at 10 minutes), in
// the same run. Prints a Markdown table and writes bench/results/decomposition.json.
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

const time = async (fn) => {
  const t0 = performance.now();
  const out = await fn();
  return [(performance.now() - t0) / 1000, out];
};
const [tPca, pca] = await time(() => new wl.PCA({ nComponents: 50 }).fit(train.x));
console.error(`wasmlearn PCA(50): ${tPca.toFixed(2)} s`);
const [tLr, lr] = await time(() => new wl.LinearRegression().fit(train.x, y));
console.error(`wasmlearn LinearRegression: ${tLr.toFixed(2)} s`);
const [tLda, lda] = await time(() => new wl.LinearDiscriminantAnalysis().fit(train.x, y));
console.error(`wasmlearn LDA: ${tLda.toFixed(2)} s`);
const ours = {
  pca: { seconds: tPca, ratio: Array.from(pca.explainedVarianceRatio.slice(0, 5)), component0: pca.components[0] },
  linearRegression: { seconds: tLr, score: lr.score(train.x, y) },
  lda: { seconds: tLda, score: lda.score(train.x, y), ratio: Array.from(lda.explainedVarianceRatio.slice(0, 3)) },
};

let sklearn;
try {
  sklearn = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./decomposition_sklearn.py', import.meta.url).pathname, String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());
  console.error(`scikit-learn: PCA full ${sklearn.pcaFull.seconds.toFixed(2)} s, randomized ${sklearn.pcaRandomized.seconds.toFixed(2)} s, LinearRegression ${sklearn.linearRegression.seconds.toFixed(2)} s, LDA ${sklearn.lda.seconds.toFixed(2)} s`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
}
const child = spawnSync(process.execPath, ['--max-old-space-size=16000', new URL(import.meta.url).pathname, '--mlpca', String(n)], { encoding: 'utf8', timeout: cap * 1000, killSignal: 'SIGKILL' });
const mlpca = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').pop()) : null;
console.error(mlpca ? `ml-pca: ${mlpca.seconds.toFixed(1)} s` : `ml-pca: not finished within ${cap} s`);

// Agreement with scikit-learn: the largest relative difference over the leading variance ratios,
// and over the first component (signs fixed by the same rule).
const rel = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
const agree = sklearn ? { pcaRatio: rel(ours.pca.ratio, sklearn.pcaFull.ratio), pcaComponent0: Math.max(...ours.pca.component0.map((v, i) => Math.abs(v - sklearn.pcaFull.component0[i]))),
  ldaRatio: rel(ours.lda.ratio, sklearn.lda.ratio) } : null;

console.log(`\nFashion-MNIST ${n} × 784; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
const ratio = (a, b) => (a && b ? `${fixed(a / b, 1)}×` : '');
printTable(['measure', 'wasmlearn 2 threads', 'scikit-learn 1 thread', 'sklearn / wasmlearn', 'ml-pca'], [
  ['PCA(50) full (s)', fixed(tPca, 2), sklearn ? fixed(sklearn.pcaFull.seconds, 2) : 'n/a', ratio(sklearn?.pcaFull.seconds, tPca), mlpca ? fixed(mlpca.seconds, 1) : `> ${cap} s`],
  ['PCA(50) randomized (s)', 'not yet', sklearn ? fixed(sklearn.pcaRandomized.seconds, 2) : 'n/a', '', ''],
  ['LinearRegression (s)', fixed(tLr, 2), sklearn ? fixed(sklearn.linearRegression.seconds, 2) : 'n/a', ratio(sklearn?.linearRegression.seconds, tLr), ''],
  ['LDA svd (s)', fixed(tLda, 2), sklearn ? fixed(sklearn.lda.seconds, 2) : 'n/a', ratio(sklearn?.lda.seconds, tLda), ''],
  ['max rel. diff, PCA variance ratios (5)', agree ? agree.pcaRatio.toExponential(1) : '', '', '', ''],
  ['max abs. diff, first component', agree ? agree.pcaComponent0.toExponential(1) : '', '', '', ''],
  ['max rel. diff, LDA variance ratios (3)', agree ? agree.ldaRatio.toExponential(1) : '', '', '', ''],
]);
const file = writeResults(quick ? 'decomposition-quick' : 'decomposition', { quick, n, wasmlearn: { ...ours, pca: { ...ours.pca, component0: undefined } },
  sklearn: sklearn ? { ...sklearn, pcaFull: { ...sklearn.pcaFull, component0: undefined } } : null, mlpca, agreement: agree });
console.log(`results written to ${file}`);
