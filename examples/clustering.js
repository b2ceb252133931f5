// Clustering without labels: k-means on Fashion-MNIST with its ten centres drawn as images (the
// "average garment" of each cluster), and DBSCAN against k-means on two moons, where only a
// density-based method follows the shapes (scikit-learn's "Comparing different clustering
// algorithms on toy datasets").
//
//   node examples/clustering.js   → examples/out/kmeans-centres.svg, examples/out/moons.svg
import { DBSCAN, KMeans, adjustedRandScore, loadIdx, normalizedMutualInfoScore } from 'wasmlearn';
import { saveChart } from './plot.js';

// 1. k-means on 10 000 images (pixels / 255), ten clusters, compared afterwards with the labels it never saw.
const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;
const pixels = await loadIdx(`${dir}train-images-idx3-ubyte.gz`), tags = await loadIdx(`${dir}train-labels-idx1-ubyte.gz`);
const n = 10000;
const X = { data: Float64Array.from(pixels.data.subarray(0, n * 784), (v) => v / 255), shape: [n, 784] };
const truth = Array.from(tags.data.subarray(0, n));
const names = ['T-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot'];
const t0 = performance.now();
const km = await new KMeans({ nClusters: 10, nInit: 3, algorithm: 'elkan', seed: 0 }).fit(X);
console.log(`k-means on ${n} images: ${km.nIter} iterations, inertia ${km.inertia.toFixed(1)}, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`agreement with the true classes: adjusted Rand ${adjustedRandScore(truth, km.labels).toFixed(3)}, normalized mutual information ${normalizedMutualInfoScore(truth, km.labels).toFixed(3)}`);
// Each cluster named after the class most of its images have.
const panels = km.clusterCenters.map((centre, c) => {
  const counts = new Array(10).fill(0);
  km.labels.forEach((l, i) => { if (l === c) counts[truth[i]]++; });
  const size = counts.reduce((a, b) => a + b, 0), top = counts.indexOf(Math.max(...counts));
  console.log(`cluster ${c}: ${String(size).padStart(5)} images, ${((100 * counts[top]) / size).toFixed(0).padStart(3)} % ${names[top]}`);
  return {
    title: `${c}: ${names[top]} (${((100 * counts[top]) / size).toFixed(0)} %)`, width: 112, height: 112,
    data: { values: centre.map((v, p) => ({ x: p % 28, y: Math.floor(p / 28), v })) },
    mark: 'rect',
    encoding: {
      x: { field: 'x', type: 'ordinal', axis: null }, y: { field: 'y', type: 'ordinal', axis: null },
      color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] }, legend: null },
    },
  };
});
console.log(`figure: ${await saveChart('kmeans-centres', { columns: 5, concat: panels })}`);

// 2. Two moons (a seeded generator): DBSCAN follows each crescent, k-means cuts across them.
let state = 7;
const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const moons = Array.from({ length: 600 }, (_, i) => {
  const t = Math.PI * uniform(), upper = i % 2 === 0;
  return [(upper ? Math.cos(t) : 1 - Math.cos(t)) + (uniform() - 0.5) * 0.2, (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + (uniform() - 0.5) * 0.2];
});
const moon = moons.map((_, i) => i % 2);
const db = await new DBSCAN({ eps: 0.12, minSamples: 6 }).fit(moons);
const two = await new KMeans({ nClusters: 2, seed: 0 }).fit(moons);
const noise = Array.from(db.labels).filter((l) => l === -1).length;
console.log(`two moons: DBSCAN ${Math.max(...db.labels) + 1} clusters, ${noise} noise points, ${db.coreSampleIndices.length} core samples, adjusted Rand ${adjustedRandScore(moon, db.labels).toFixed(3)}`);
console.log(`two moons: k-means (2) adjusted Rand ${adjustedRandScore(moon, two.labels).toFixed(3)}`);
const scatter = (title, labels) => ({
  title, width: 300, height: 220,
  data: { values: moons.map(([x, y], i) => ({ x, y, cluster: labels[i] === -1 ? 'noise' : `cluster ${labels[i]}` })) },
  mark: { type: 'point', filled: true, size: 18 },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'cluster', type: 'nominal' } },
});
console.log(`figure: ${await saveChart('moons', { hconcat: [scatter('DBSCAN (eps 0.12, minSamples 6)', db.labels), scatter('k-means (k = 2)', two.labels)] })}`);
