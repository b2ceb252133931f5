// Stopping long fits (issue 21): how soon after its signal fires a fit throws its AbortError, and
// the longest the event loop waited during a fit (what a page would feel). Prints a Markdown table
// and writes bench/results/cancel.json.
//
//   node bench/cancel.js            5 aborts per estimator
//   node bench/cancel.js --quick    2
import * as wl from '../dist/index.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 5;

function blobs(n, d, k, seed) {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const X = [], y = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    X.push(Array.from({ length: d }, (_, j) => (j % k === c ? 1 : 0) + 3 * (r() - 0.5)));
    y.push(c);
  }
  return { X, y };
}

const data = blobs(8000, 40, 10, 1);
const cases = [
  ['SVC (C = 100)', () => new wl.SVC({ C: 100 })],
  ['SVR (C = 100)', () => new wl.SVR({ C: 100 })],
  ['RandomForestClassifier (300 trees)', () => new wl.RandomForestClassifier({ nEstimators: 300, seed: 1 })],
  ['HistGradientBoostingClassifier (300 iterations)', () => new wl.HistGradientBoostingClassifier({ maxIter: 300, earlyStopping: false, seed: 1 })],
  ['KMeans (60 clusters, 40 starts)', () => new wl.KMeans({ nClusters: 60, nInit: 40, seed: 1 }), true],
  ['GridSearchCV (SVC, 3 × 3 fits)', () => new wl.GridSearchCV({ estimator: new wl.SVC(), paramGrid: { C: [1, 10, 100] }, cv: 3 })],
];

/** Aborts a fit `after` ms in: the ms from the abort to the rejection, and the longest event-loop gap before it. */
async function abortOnce(make, unsupervised, after) {
  const estimator = make();
  const controller = new AbortController();
  let abortedAt = 0, last = performance.now(), gap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, after);
  try {
    await estimator.fit(data.X, unsupervised ? undefined : data.y, { signal: controller.signal });
    throw new Error(`the fit ended before the abort (${after} ms)`);
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
  } finally {
    clearInterval(ticker);
  }
  return { latency: performance.now() - abortedAt, gap };
}

await wl.init({ threads: 2 });
const rows = [];
for (const [label, make, unsupervised] of cases) {
  const latencies = [], gaps = [];
  for (let r = 0; r < runs; r++) {
    console.error(`${label}: abort ${150 + 50 * r} ms in`);
    const { latency, gap } = await abortOnce(make, unsupervised, 150 + 50 * r);
    latencies.push(latency);
    gaps.push(gap);
  }
  latencies.sort((a, b) => a - b);
  rows.push({ label, median: latencies[Math.floor(latencies.length / 2)], max: latencies[latencies.length - 1], gap: Math.max(...gaps) });
  console.error(`${label}: ${latencies.map((v) => fixed(v)).join(', ')} ms`);
}
console.log(`\nStopping a fit: ms from the signal's abort to the AbortError (${runs} aborts each, 150–${150 + 50 * (runs - 1)} ms into the fit), and the longest the event loop waited; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}, 2 threads\n`);
printTable(['fit (8000 × 40, 10 classes)', 'abort → AbortError, median (ms)', 'max (ms)', 'longest event-loop wait (ms)'],
  rows.map((r) => [r.label, fixed(r.median), fixed(r.max), fixed(r.gap)]));
const file = writeResults(quick ? 'cancel-quick' : 'cancel', { runs, rows });
console.log(`results written to ${file}`);
process.exit(0);
