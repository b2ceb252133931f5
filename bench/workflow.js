// The scikit-learn workflow, timed (issue 18): GridSearchCV of 16 scaled-SVC candidates × 5
// stratified folds on 3 000 Fashion-MNIST images pooled to 7 × 7 (a multi-class table of the
// size searches are common on), and crossValScore of PCA(50) → SVC on 10 000 images — ours with
// nJobs 1 on one thread, nJobs 1 on two threads (threading each fit), and nJobs 2 (two fits side
// by side, one thread each); scikit-learn with n_jobs=1 and 2 (BLAS on one thread), in the same
// run. The searches are deterministic, so their mean scores must agree with scikit-learn's.
//
//   node bench/workflow.js            full run (search medians of 3 runs)
//   node bench/workflow.js --quick    1 500 pooled rows, 3 000 images, 1 run
import { execFileSync } from 'node:child_process';
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { fixed, machine, median, printTable, writeResults } from './lib.js';
import { pooledFashion } from './workflow-data.js';

const quick = process.argv.includes('--quick');
const nSearch = quick ? 1500 : 3000, nPipe = quick ? 3000 : 10000, runs = quick ? 1 : 3;
const { X, y } = await pooledFashion(nSearch);
const { train } = await loadFashion({ trainLimit: nPipe });
const images = { data: Float64Array.from(train.x.data), shape: [nPipe, 784] }, labels = Array.from(train.labels);
const paramGrid = { svc__C: [0.1, 1, 10, 100], svc__gamma: [0.001, 0.01, 0.1, 'scale'] };

const configs = [
  { name: 'nJobs 1, 1 thread', threads: 1, nJobs: 1 },
  { name: 'nJobs 1, 2 threads', threads: 2, nJobs: 1 },
  { name: 'nJobs 2 (1 thread each)', threads: 1, nJobs: 2 },
];
const search = async (c) => {
  await wl.init({ threads: c.threads });
  const t0 = performance.now();
  const s = await new wl.GridSearchCV({ estimator: wl.makePipeline(new wl.StandardScaler(), new wl.SVC()), paramGrid, cv: 5, nJobs: c.nJobs }).fit(X, y);
  return { seconds: (performance.now() - t0) / 1000, mean: s.cvResults.meanTestScore, best: s.bestParams };
};
const pipeline = async (c) => {
  await wl.init({ threads: c.threads });
  const t0 = performance.now();
  const scores = await wl.crossValScore(wl.makePipeline(new wl.PCA({ nComponents: 50, svdSolver: 'randomized', seed: 0 }), new wl.SVC({ C: 10 })), images, labels, { cv: 5, nJobs: c.nJobs });
  return { seconds: (performance.now() - t0) / 1000, scores: Array.from(scores) };
};

// Runs interleaved, so that the machine's slow spells fall on every configuration alike.
const searchTimes = configs.map(() => []);
let searchResult;
for (let r = 0; r < runs; r++) {
  for (const [i, c] of configs.entries()) {
    const s = await search(c);
    searchTimes[i].push(s.seconds);
    searchResult ??= s;
    console.error(`search, ${c.name}: ${s.seconds.toFixed(2)} s`);
  }
}
const pipelineResults = [];
for (const c of configs) {
  pipelineResults.push(await pipeline(c));
  console.error(`PCA → SVC, ${c.name}: ${pipelineResults.at(-1).seconds.toFixed(2)} s`);
}

let sk;
try {
  sk = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./workflow_sklearn.py', import.meta.url).pathname, String(nSearch), String(nPipe), String(runs)], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());
  console.error(`scikit-learn: search ${sk.search_1.seconds.toFixed(2)} / ${sk.search_2.seconds.toFixed(2)} s, pipeline ${sk.pipeline_1.seconds.toFixed(2)} / ${sk.pipeline_2.seconds.toFixed(2)} s`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
}

const ours = configs.map((_, i) => median(searchTimes[i]));
const agree = sk ? Math.max(...searchResult.mean.map((v, i) => Math.abs(v - sk.search_1.mean[i]))) : NaN;
console.log(`\nGridSearchCV: 16 candidates × 5 folds, StandardScaler → SVC, ${nSearch} Fashion-MNIST images pooled to 49 features; crossValScore: PCA(50) → SVC(C 10), 5 folds, ${nPipe} images. ${machine().cpu}, ${machine().cores} cores, Node ${process.version}; search: median of ${runs} run(s)\n`);
const ratio = (a, b) => (a && b ? `${fixed(a / b, 2)}×` : '');
printTable(['measure', ...configs.map((c) => `wasmlearn ${c.name}`), 'scikit-learn n_jobs=1', 'scikit-learn n_jobs=2', 'nJobs 2 vs nJobs 1 (1 thread)', 'sklearn n_jobs=2 / wasmlearn nJobs 2'], [
  ['grid search (s)', ...ours.map((v) => fixed(v, 2)), sk ? fixed(sk.search_1.seconds, 2) : 'n/a', sk ? fixed(sk.search_2.seconds, 2) : 'n/a', ratio(ours[0], ours[2]), ratio(sk?.search_2.seconds, ours[2])],
  ['PCA → SVC cross-validation (s)', ...pipelineResults.map((p) => fixed(p.seconds, 2)), sk ? fixed(sk.pipeline_1.seconds, 2) : 'n/a', sk ? fixed(sk.pipeline_2.seconds, 2) : 'n/a',
    ratio(pipelineResults[0].seconds, pipelineResults[2].seconds), ratio(sk?.pipeline_2.seconds, pipelineResults[2].seconds)],
]);
const meanAccuracy = (s) => s.reduce((a, b) => a + b, 0) / s.length;
console.log(`\nBest candidate: ours ${JSON.stringify(searchResult.best)}, scikit-learn ${sk ? JSON.stringify(sk.search_1.best) : 'n/a'}; largest difference of the 16 mean test scores: ${sk ? agree.toExponential(1) : 'n/a'}.`);
console.log(`PCA → SVC mean accuracy: ours ${fixed(meanAccuracy(pipelineResults[0].scores), 4)}, scikit-learn ${sk ? fixed(meanAccuracy(sk.pipeline_1.scores), 4) : 'n/a'}.`);
const file = writeResults(quick ? 'workflow-quick' : 'workflow', { quick, nSearch, nPipe, runs, search: Object.fromEntries(configs.map((c, i) => [c.name, { median: ours[i], runs: searchTimes[i] }])), pipeline: Object.fromEntries(configs.map((c, i) => [c.name, pipelineResults[i]])), sklearn: sk, meanScoreDifference: agree });
console.log(`results written to ${file}`);
