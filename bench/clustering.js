// k-means on Fashion-MNIST (issue 19): KMeans(10) from the first 10 images (nInit 1, the same
// start for everyone, so the iterations are comparable), Lloyd and Elkan, ours on 1 and 2
// threads against scikit-learn 1.2 with OpenMP on 1 and 2 threads, in the same run; and ml.js's
// ml-kmeans against ours on a subset, both from the same start to convergence; and DBSCAN on
// 100 000 2-D points against scikit-learn (n_jobs 1 and 2). Prints Markdown
// tables and writes bench/results/clustering.json.
//
//   node bench/clustering.js           60 000 images; ml-kmeans on 10 000
//   node bench/clustering.js --quick   10 000 images; ml-kmeans on 2 000
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmeans as mlKMeans } from 'ml-kmeans';
import * as wl from '../dist/index.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const n = quick ? 10000 : 60000, nSmall = quick ? 2000 : 10000;
const pixels = await wl.loadIdx(new URL('../data/fashion-mnist/train-images-idx3-ubyte.gz', import.meta.url).pathname);
// f64 pixels / 255, as scikit-learn's numpy arrays: the same data, so the same iterations.
const X = { data: Float64Array.from(pixels.data.subarray(0, n * 784), (v) => v / 255), shape: [n, 784] };
const rows = (m) => Array.from({ length: m }, (_, i) => Array.from(X.data.subarray(i * 784, (i + 1) * 784)));
const start = rows(10);

const ours = {};
for (const threads of [1, 2]) {
  await wl.init({ threads });
  for (const algorithm of ['lloyd', 'elkan']) {
    const t0 = performance.now();
    const km = await new wl.KMeans({ nClusters: 10, init: start, algorithm }).fit(X);
    ours[`${algorithm}_${threads}`] = { seconds: (performance.now() - t0) / 1000, n_iter: km.nIter, inertia: km.inertia };
    console.error(`wasmlearn ${algorithm} ${threads}t: ${ours[`${algorithm}_${threads}`].seconds.toFixed(2)} s, ${km.nIter} iterations, inertia ${km.inertia}`);
  }
}

// DBSCAN on two noisy moons of nPoints 2-D points (a seeded LCG, so both sides read the same file).
const nPoints = quick ? 20000 : 100000, eps = quick ? 0.02 : 0.01, minSamples = 10;
const points = new Float64Array(nPoints * 2);
let state = 12345;
const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
for (let i = 0; i < nPoints; i++) {
  const t = Math.PI * uniform(), upper = i % 2 === 0;
  points[2 * i] = (upper ? Math.cos(t) : 1 - Math.cos(t)) + (uniform() - 0.5) * 0.1;
  points[2 * i + 1] = (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + (uniform() - 0.5) * 0.1;
}
const dbscanOurs = {};
for (const threads of [1, 2]) {
  await wl.init({ threads });
  const t0 = performance.now();
  const labels = await new wl.DBSCAN({ eps, minSamples }).fitPredict({ data: points, shape: [nPoints, 2] });
  let clusters = 0, noise = 0, hash = 0;
  labels.forEach((l, i) => { clusters = Math.max(clusters, l + 1); if (l === -1) noise++; hash += (l + 1) * (i % 9973); });
  dbscanOurs[threads] = { seconds: (performance.now() - t0) / 1000, clusters, noise, labels_hash: hash };
  console.error(`wasmlearn DBSCAN ${threads}t: ${dbscanOurs[threads].seconds.toFixed(2)} s, ${clusters} clusters, ${noise} noise`);
}
const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-bench-'));
const pointsFile = join(dir, 'points.f64');
writeFileSync(pointsFile, new Uint8Array(points.buffer));

let sk;
try {
  sk = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./clustering_sklearn.py', import.meta.url).pathname, String(n), pointsFile, String(eps), String(minSamples)], { encoding: 'utf8' }).trim().split('\n').pop());
  for (const [k, v] of Object.entries(sk)) console.error(`scikit-learn ${k}: ${v.seconds.toFixed(2)} s${v.n_iter ? `, ${v.n_iter} iterations, inertia ${v.inertia}` : `, ${v.clusters} clusters, ${v.noise} noise`}`);
} catch (error) {
  console.error(`scikit-learn not measured: ${String(error.message).split('\n')[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ml-kmeans (plain JavaScript) and ours on the same subset from the same start, both to
// convergence (no label changes; tolerance 0 for ml-kmeans: centroids that no longer move).
const small = { data: X.data.subarray(0, nSmall * 784), shape: [nSmall, 784] };
const smallRows = rows(nSmall);
let t0 = performance.now();
const ml = mlKMeans(smallRows, 10, { initialization: start.map((r) => r.slice()), maxIterations: 300, tolerance: 0 });
const mlSeconds = (performance.now() - t0) / 1000;
console.error(`ml-kmeans, ${nSmall} images: ${mlSeconds.toFixed(2)} s, ${ml.iterations} iterations`);
const versusMl = [];
for (const [threads, algorithm] of [[1, 'lloyd'], [2, 'lloyd'], [2, 'elkan']]) {
  await wl.init({ threads });
  t0 = performance.now();
  const km = await new wl.KMeans({ nClusters: 10, init: start, maxIter: 300, tol: 0, algorithm }).fit(small);
  const seconds = (performance.now() - t0) / 1000;
  versusMl.push({ threads, algorithm, seconds, iterations: km.nIter, ratio: mlSeconds / seconds });
  console.error(`wasmlearn ${algorithm} ${threads}t, ${nSmall} images: ${seconds.toFixed(3)} s, ${km.nIter} iterations`);
}

console.log(`\nKMeans(10) on ${n} Fashion-MNIST images (pixels / 255, f64) from the first 10 images, nInit 1. ${machine().cpu}, ${machine().cores} cores, Node ${process.version}; one run.\n`);
const cell = (r) => (r ? `${fixed(r.seconds, 2)} (${r.n_iter})` : 'n/a');
printTable(['algorithm', 'wasmlearn 1 thread, s (iterations)', 'wasmlearn 2 threads', 'scikit-learn 1 thread', 'scikit-learn 2 threads', 'sklearn 2t / wasmlearn 2t', 'sklearn 1t / wasmlearn 1t'],
  ['lloyd', 'elkan'].map((a) => [a, cell(ours[`${a}_1`]), cell(ours[`${a}_2`]), cell(sk?.[`${a}_1`]), cell(sk?.[`${a}_2`]),
    sk ? `${fixed(sk[`${a}_2`].seconds / ours[`${a}_2`].seconds, 2)}×` : '', sk ? `${fixed(sk[`${a}_1`].seconds / ours[`${a}_1`].seconds, 2)}×` : '']));
console.log(`\nDBSCAN (eps ${eps}, minSamples ${minSamples}) on ${nPoints} 2-D points (two noisy moons):\n`);
printTable(['', 'wasmlearn 1 thread', 'wasmlearn 2 threads', 'scikit-learn n_jobs=1', 'scikit-learn n_jobs=2', 'sklearn n_jobs=2 / wasmlearn 2t'], [
  ['seconds', fixed(dbscanOurs[1].seconds, 3), fixed(dbscanOurs[2].seconds, 3), sk?.dbscan_1 ? fixed(sk.dbscan_1.seconds, 3) : 'n/a', sk?.dbscan_2 ? fixed(sk.dbscan_2.seconds, 3) : 'n/a',
    sk?.dbscan_2 ? `${fixed(sk.dbscan_2.seconds / dbscanOurs[2].seconds, 2)}×` : ''],
  ['clusters / noise', `${dbscanOurs[1].clusters} / ${dbscanOurs[1].noise}`, `${dbscanOurs[2].clusters} / ${dbscanOurs[2].noise}`,
    sk?.dbscan_1 ? `${sk.dbscan_1.clusters} / ${sk.dbscan_1.noise}` : 'n/a', sk?.dbscan_2 ? `${sk.dbscan_2.clusters} / ${sk.dbscan_2.noise}` : 'n/a', ''],
]);
console.log(`Labels the same as scikit-learn's: ${sk?.dbscan_1 ? String(sk.dbscan_1.labels_hash === dbscanOurs[1].labels_hash && dbscanOurs[1].labels_hash === dbscanOurs[2].labels_hash) : 'n/a'} (a position-weighted hash of the labels).`);
console.log(`\nml-kmeans on ${nSmall} images from the same start to convergence: ${fixed(mlSeconds, 2)} s (${ml.iterations} iterations).\n`);
printTable(['wasmlearn', 'seconds (iterations)', 'ml-kmeans / wasmlearn'], versusMl.map((r) => [`${r.algorithm}, ${r.threads} thread${r.threads > 1 ? 's' : ''}`, `${fixed(r.seconds, 3)} (${r.iterations})`, `${fixed(r.ratio, 1)}×`]));
const file = writeResults(quick ? 'clustering-quick' : 'clustering', { n, ours, sklearn: sk, mlKMeans: { n: nSmall, iterations: ml.iterations, seconds: mlSeconds, ours: versusMl }, dbscan: { nPoints, eps, minSamples, ours: dbscanOurs } });
console.log(`results written to ${file}`);
