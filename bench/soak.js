// A bounded soak (issue 21): mixed fit / predict / save / load calls for a fixed time in one Node
// process, with bad inputs interleaved (NaN, wrong shapes, bad options, corrupt bytes, an aborted
// fit). Every call either answers or throws the WasmlearnError it should; anything else counts
// as unexpected. Samples the arena between calls (it must come back to where it started), the
// WebAssembly memory and the process's resident memory (flat after warm-up), and prints a table;
// writes bench/results/soak.json.
//
//   node --expose-gc bench/soak.js               10 minutes
//   node --expose-gc bench/soak.js --minutes 1
import * as wl from '../dist/index.js';
import { fixed, machine, median, printTable, writeResults } from './lib.js';

const args = process.argv.slice(2);
const minutes = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 10;
const deadline = Date.now() + minutes * 60_000;
await wl.init({ threads: 2 });
wl.warnings.filter('ignore');

let state = 12345;
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const matrix = (n, d) => Array.from({ length: n }, () => Array.from({ length: d }, () => random() * 4 - 2));
const labelsOf = (X, k) => X.map((row) => Math.min(k - 1, Math.floor(((row[0] + row[1] + 4) / 8) * k)));

const counts = {}, expected = {}, unexpected = [];
const count = (task) => (counts[task] = (counts[task] ?? 0) + 1);

/** Runs a call that must throw a WasmlearnError (of `kind`, if given). */
async function refuses(task, call, kind) {
  try {
    await call();
    unexpected.push(`${task}: no error`);
  } catch (error) {
    if (error instanceof wl.WasmlearnError && (!kind || error instanceof kind)) expected[task] = (expected[task] ?? 0) + 1;
    else unexpected.push(`${task}: ${error?.name}: ${error?.message}`);
  }
}

const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const flat = (v) => (Array.isArray(v) ? v.flat(Infinity) : Array.from(v.data ?? v));

const tasks = [
  ['sequential fit / predict / save / load', async () => {
    const X = matrix(200, 12), y = labelsOf(X, 3);
    const model = new wl.Sequential([wl.layers.dense({ units: 16, inputShape: [12], activation: 'relu' }), wl.layers.dropout({ rate: 0.2 }), wl.layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(X, y, { epochs: 2, batchSize: 32, verbose: 0 });
    const loaded = await wl.loadModel(model.toBytes());
    if (!same(flat(model.predict(X)), flat(loaded.predict(X)))) unexpected.push('sequential: the loaded model predicts otherwise');
    model.dispose();
    loaded.dispose();
  }],
  ['SVC fit / predict / save / load', async () => {
    const X = matrix(150, 6), y = labelsOf(X, 3);
    const svc = await new wl.SVC({ C: 2, probability: true, seed: 1 }).fit(X, y);
    const loaded = wl.SVC.fromBytes(svc.toBytes());
    if (!same(flat(svc.predictProba(X)), flat(loaded.predictProba(X)))) unexpected.push('SVC: the loaded model predicts otherwise');
  }],
  ['forest, boosting, k-means', async () => {
    const X = matrix(300, 8), y = labelsOf(X, 3);
    const forest = await new wl.RandomForestClassifier({ nEstimators: 10, seed: 2 }).fit(X, y);
    if (!same(flat(forest.predictProba(X)), flat(wl.RandomForestClassifier.fromBytes(forest.toBytes()).predictProba(X)))) unexpected.push('forest: reload');
    await new wl.HistGradientBoostingClassifier({ maxIter: 10, seed: 3 }).fit(X, y);
    await new wl.KMeans({ nClusters: 4, seed: 4 }).fit(X);
  }],
  ['matMul of random shapes', () => {
    const m = 1 + Math.floor(random() * 300), k = 1 + Math.floor(random() * 300), n = 1 + Math.floor(random() * 300);
    const product = wl.matMul(wl.randomUniform([m, k], { seed: m }), wl.randomUniform([k, n], { seed: n }));
    if (product.shape[0] !== m || product.shape[1] !== n) unexpected.push('matMul: shape');
  }],
  ['bad inputs', async () => {
    const X = matrix(50, 4), y = labelsOf(X, 2);
    const bad = X.map((row, i) => (i === 7 ? [row[0], Number.NaN, row[2], row[3]] : row));
    await refuses('NaN in X (SVC)', () => new wl.SVC().fit(bad, y));
    await refuses('NaN in x (Sequential)', async () => {
      const model = new wl.Sequential([wl.layers.dense({ units: 2, inputShape: [4], activation: 'softmax' })]);
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      try {
        await model.fit(bad, y, { epochs: 1, verbose: 0 });
      } finally {
        model.dispose();
      }
    });
    await refuses('ragged X', () => new wl.RandomForestClassifier().fit([[1, 2], [3]], [0, 1]));
    await refuses('wrong feature count', async () => (await new wl.KMeans({ nClusters: 2, seed: 1 }).fit(X)).predict([[1, 2, 3]]));
    await refuses('bad option', () => new wl.SVC({ C: -1 }).fit(X, y), wl.ValueError);
    await refuses('matMul shapes', () => wl.matMul([[1, 2]], [[1, 2]]), wl.ShapeError);
    const bytes = (await new wl.SVC().fit(X, y)).toBytes();
    const corrupt = bytes.slice(0, Math.floor(bytes.length * random()));
    await refuses('truncated file', () => wl.SVC.fromBytes(corrupt), wl.FormatError);
    const flipped = bytes.slice();
    flipped[Math.floor(random() * flipped.length)] ^= 1 << Math.floor(random() * 8);
    try {
      wl.SVC.fromBytes(flipped).predict(X); // a flip the checksum cannot see would be a model that answers
      expected['flipped bit'] = (expected['flipped bit'] ?? 0) + 1;
    } catch (error) {
      if (error instanceof wl.WasmlearnError) expected['flipped bit'] = (expected['flipped bit'] ?? 0) + 1;
      else unexpected.push(`flipped bit: ${error?.name}: ${error?.message}`);
    }
    await refuses('aborted fit', () => new wl.SVC().fit(X, y, { signal: AbortSignal.abort() }), wl.AbortError);
    await refuses('fit past timeoutMs', () => new wl.RandomForestClassifier({ nEstimators: 500, seed: 1 }).fit(matrix(400, 8), labelsOf(matrix(400, 8), 2), { timeoutMs: 5 }), wl.AbortError);
  }],
];

const MB = (b) => b / 2 ** 20;
const gc = globalThis.gc ?? (() => undefined);
const arenaStart = wl.backendInfo().arenaBytesInUse;
const samples = [];
const began = Date.now();
let nextSample = began, arenaOff = 0;
while (Date.now() < deadline) {
  for (const [name, run] of tasks) {
    try {
      await run();
      count(name);
    } catch (error) {
      unexpected.push(`${name}: ${error?.name}: ${error?.message}`);
    }
    // Between calls nothing may stay in the arena.
    if (wl.backendInfo().arenaBytesInUse !== arenaStart) arenaOff++;
  }
  if (Date.now() >= nextSample) {
    gc();
    const info = wl.backendInfo();
    const usage = process.memoryUsage();
    samples.push({ seconds: (Date.now() - began) / 1000, rss: usage.rss, heap: usage.heapUsed, external: usage.external, wasm: info.memoryBytes, arena: info.arenaBytesInUse });
    nextSample = Date.now() + Math.max(5_000, minutes * 60_000 / 60);
  }
}
gc();
const end = wl.backendInfo();
const firstMinute = samples.filter((s) => s.seconds <= Math.min(60, minutes * 30));
const lastMinute = samples.filter((s) => s.seconds >= samples[samples.length - 1].seconds - Math.min(60, minutes * 30));
const medianOf = (list, key) => median(list.map((s) => s[key]));
console.log(`\nSoak: ${minutes} min of mixed calls, 2 threads; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['task', 'rounds'], Object.entries(counts).map(([k, v]) => [k, String(v)]));
console.log('');
printTable(['expected refusal', 'count'], Object.entries(expected).map(([k, v]) => [k, String(v)]));
console.log(`\nunexpected errors: ${unexpected.length}${unexpected.length ? `\n  ${unexpected.slice(0, 10).join('\n  ')}` : ''}`);
console.log(`arena: ${arenaStart} bytes in use at the start, ${end.arenaBytesInUse} at the end; off between calls ${arenaOff} times; peak ${fixed(MB(end.arenaPeakBytes))} MB`);
console.log(`WebAssembly memory: ${fixed(MB(samples[0]?.wasm ?? 0))} MB at the first sample, ${fixed(MB(end.memoryBytes))} MB at the end`);
console.log(`resident memory (median, after gc): ${fixed(MB(medianOf(firstMinute, 'rss')))} MB in the first part, ${fixed(MB(medianOf(lastMinute, 'rss')))} MB in the last; JS heap ${fixed(MB(medianOf(firstMinute, 'heap')))} → ${fixed(MB(medianOf(lastMinute, 'heap')))} MB`);
console.log(`  external (ArrayBuffers, WebAssembly memory; MB): ${fixed(MB(medianOf(firstMinute, 'external')))} → ${fixed(MB(medianOf(lastMinute, 'external')))}`);
console.log(`  sampled rss (MB): ${samples.filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 12)) === 0).map((s) => fixed(MB(s.rss))).join(' ')}`);
const file = writeResults(minutes >= 10 ? 'soak' : 'soak-short', { minutes, counts, expected, unexpected, arenaStart, arenaEnd: end.arenaBytesInUse, arenaOff, samples });
console.log(`results written to ${file}`);
if (unexpected.length || arenaOff || end.arenaBytesInUse !== arenaStart) process.exitCode = 1;
process.exit();
