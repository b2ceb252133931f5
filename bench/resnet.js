// A functional ResNet-style CNN on Fashion-MNIST (issue #16): conv 16 3×3 same relu, max-pool 2,
// two residual blocks (conv 16 3×3 same relu → conv 16 3×3 same → add the block's input → relu),
// max-pool 2, flatten, dense 10 softmax; Adam 1e-3, batch 128. In the same run: a training epoch
// against TF.js-cpu (TF.js-wasm cannot train convolutions), predict of the 10 000 test images
// against TF.js-wasm (same weights: the largest output difference is reported), and what a graph
// costs over a Sequential of the same layers (the lecture's CNN both ways, runs interleaved).
// Prints a Markdown table and writes bench/results/resnet.json.
//
//   node bench/resnet.js            epochs timed over 12 800 images, extrapolated to 60 000
//   node bench/resnet.js --quick    over 3 840 images
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { compareMedians, fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const timedImages = quick ? 3840 : 12800;
const { train, test } = await loadFashion({ images: true, trainLimit: timedImages });
const epochSteps = Math.ceil(60000 / 128);

/** The residual network in a library with TF.js' functional API (wasmlearn or TF.js). */
function resnet(lib) {
  const L = lib.layers;
  const block = (x) => {
    const h = L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
    const f = L.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(h);
    return L.activation({ activation: 'relu' }).apply(L.add().apply([f, x]));
  };
  const inp = lib.input({ shape: [28, 28, 1] });
  let x = L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp);
  x = L.maxPooling2d({ poolSize: 2 }).apply(x);
  x = block(block(x));
  x = L.flatten().apply(L.maxPooling2d({ poolSize: 2 }).apply(x));
  return lib.model({ inputs: inp, outputs: L.dense({ units: 10, activation: 'softmax' }).apply(x) });
}

/** The lecture's CNN as a list of layers (a Sequential, or chained into a functional model). */
function lectureLayers() {
  const L = wl.layers;
  return [L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 128, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' })];
}

const slice = (n) => ({ x: { data: train.x.data.subarray(0, n * 784), shape: [n, 28, 28, 1] }, y: { data: train.y.data.subarray(0, n * 10), shape: [n, 10] } });

// wasmlearn: one timed pass over the timed images (after one untimed batch), 2 threads.
await wl.init({ threads: 2 });
wl.setRandomSeed(1);
const ours = resnet(wl);
ours.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
const warm = slice(128);
await ours.fit(warm.x, warm.y, { batchSize: 128, epochs: 1, verbose: 0 });
const timed = slice(timedImages);
let t0 = performance.now();
await ours.fit(timed.x, timed.y, { batchSize: 128, epochs: 1, seed: 1, verbose: 0 });
const oursEpoch = ((performance.now() - t0) / 1000 / Math.ceil(timedImages / 128)) * epochSteps;
const [, accuracy] = await ours.evaluate(test.x, test.y);
console.error(`wasmlearn: ${oursEpoch.toFixed(1)} s/epoch (extrapolated), accuracy after ${timedImages} images ${accuracy}`);

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');

// TF.js-cpu: a few batches after one warm-up batch.
await tf.setBackend('cpu');
await tf.ready();
const cpuModel = resnet(tf);
cpuModel.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
const cpuBatches = quick ? 1 : 3;
const tfBatch = (k) => [tf.tensor(train.x.data.subarray(0, k * 128 * 784), [k * 128, 28, 28, 1]), tf.tensor(train.y.data.subarray(0, k * 128 * 10), [k * 128, 10])];
const [wx, wy] = tfBatch(1);
await cpuModel.fit(wx, wy, { batchSize: 128, epochs: 1, verbose: 0 });
const [cx, cy] = tfBatch(cpuBatches);
t0 = performance.now();
await cpuModel.fit(cx, cy, { batchSize: 128, epochs: 1, verbose: 0 });
const cpuEpoch = ((performance.now() - t0) / 1000 / cpuBatches) * epochSteps;
tf.dispose([wx, wy, cx, cy]);
cpuModel.dispose();
console.error(`tfjs-cpu: ${cpuEpoch.toFixed(0)} s/epoch (extrapolated)`);

// Predict 10 000 images with the same weights: wasmlearn against TF.js-wasm.
await tf.setBackend('wasm');
await tf.ready();
const wasmModel = resnet(tf);
wasmModel.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, w.shape)));
const testX = tf.tensor(test.x.data, [10000, 28, 28, 1]);
const predicted = { ours: ours.predict(test.x).data, theirs: wasmModel.predict(testX, { batchSize: 256 }).dataSync() };
let maxDiff = 0;
for (let i = 0; i < predicted.ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(predicted.ours[i] - predicted.theirs[i]));
const predictTimes = await compareMedians([
  { name: 'wasmlearn', fn: () => ours.predict(test.x) },
  { name: 'tfjs-wasm', fn: () => tf.tidy(() => wasmModel.predict(testX, { batchSize: 256 }).dataSync()) },
], { runs: quick ? 3 : 5, minSeconds: 0, warmup: 1 });
console.error(`predict: wasmlearn ${predictTimes.wasmlearn.toFixed(2)} s, tfjs-wasm ${predictTimes['tfjs-wasm'].toFixed(2)} s, max |diff| ${maxDiff}`);
ours.dispose();
wasmModel.dispose();
testX.dispose();

// A graph against a Sequential of the same layers: 20 batches of the lecture's CNN each run, interleaved.
const chainBatches = quick ? 8 : 20;
const chain = slice(chainBatches * 128);
const made = (graph) => {
  wl.setRandomSeed(3);
  const list = lectureLayers();
  let m;
  if (graph) {
    const inp = wl.input({ shape: [28, 28, 1] });
    m = wl.model({ inputs: inp, outputs: list.reduce((x, l) => l.apply(x), inp) });
  } else {
    m = new wl.Sequential(list);
    m.build([28, 28, 1]);
  }
  m.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam({ learningRate: 1e-3 }) });
  return m;
};
const models = { sequential: made(false), graph: made(true) };
const fitChain = (m) => () => m.fit(chain.x, chain.y, { batchSize: 128, epochs: 1, seed: 2, verbose: 0 });
const chainTimes = await compareMedians([
  { name: 'sequential', fn: fitChain(models.sequential) },
  { name: 'graph', fn: fitChain(models.graph) },
], { runs: quick ? 3 : 7, minSeconds: 0, warmup: 1 });
for (const m of Object.values(models)) m.dispose();
const overhead = chainTimes.graph / chainTimes.sequential - 1;
console.error(`graph / sequential: ${(chainTimes.graph).toFixed(3)} / ${(chainTimes.sequential).toFixed(3)} s`);

console.log(`\nResNet-style CNN on Fashion-MNIST (two residual blocks with add), Adam 1e-3, batch 128; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['measure', 'wasmlearn', 'tfjs-wasm', 'tfjs-cpu', 'peer / wasmlearn'], [
  ['epoch of 60 000 images, 2 threads (s)*', fixed(oursEpoch, 1), 'cannot train†', fixed(cpuEpoch, 0), `${fixed(cpuEpoch / oursEpoch, 1)}× (cpu)`],
  [`test accuracy after ${timedImages + 128} images`, fixed(accuracy, 4), '', '', ''],
  ['predict 10 000 images (s, median)', fixed(predictTimes.wasmlearn, 2), fixed(predictTimes['tfjs-wasm'], 2), '', `${fixed(predictTimes['tfjs-wasm'] / predictTimes.wasmlearn, 2)}× (wasm)`],
  ['largest output difference vs TF.js-wasm, same weights', maxDiff.toExponential(1), '', '', ''],
]);
console.log(`\n* extrapolated: wasmlearn from ${Math.ceil(timedImages / 128)} batches, TF.js-cpu from ${cpuBatches} batches, each after one warm-up batch.`);
console.log('† no Conv2DBackpropFilter kernel in the wasm backend (bench/cnn.js records the error).');
console.log(`\nThe lecture's CNN as a graph and as a Sequential, ${chainBatches} batches per run (median of interleaved runs): ` +
  `graph ${fixed(chainTimes.graph, 3)} s, Sequential ${fixed(chainTimes.sequential, 3)} s, graph overhead ${fixed(overhead * 100, 1)} % (target ≤ 5 %).`);
const file = writeResults(quick ? 'resnet-quick' : 'resnet', {
  quick, timedImages,
  wasmlearn: { epochSecondsExtrapolated: oursEpoch, testAccuracy: accuracy, predict10kSeconds: predictTimes.wasmlearn },
  tfjs: { cpuEpochSecondsExtrapolated: cpuEpoch, cpuBatchesTimed: cpuBatches, wasmPredict10kSeconds: predictTimes['tfjs-wasm'], maxOutputDifference: maxDiff },
  graphVsSequential: { batches: chainBatches, graphSeconds: chainTimes.graph, sequentialSeconds: chainTimes.sequential, overhead },
});
console.log(`results written to ${file}`);
