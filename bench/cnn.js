// The lecture's CNN on Fashion-MNIST (issue #4): conv 32 3×3 relu, max-pool 2, conv 64 3×3 relu,
// max-pool 2, flatten, dense 128 relu, dense 10 softmax; Adam 1e-3, batch 128, one epoch over
// 60 000 images; against TensorFlow.js in the same run. Prints a Markdown table and writes
// bench/results/cnn.json.
//
//   node bench/cnn.js           full run
//   node bench/cnn.js --quick   a fifth of the training set
//
// TF.js's wasm backend cannot train this network (it has no Conv2DBackpropFilter kernel): the
// bench records its error. Its cpu backend is timed over a few batches and extrapolated.
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const trainLimit = quick ? 12800 : 60000;
const { train, test } = await loadFashion({ images: true, trainLimit });
const steps = Math.ceil(trainLimit / 128);

function cnn(lib) {
  const L = lib.layers;
  const layers = [
    L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 128, activation: 'relu' }),
    L.dense({ units: 10, activation: 'softmax' }),
  ];
  return lib === wl ? new wl.Sequential(layers) : lib.sequential({ layers });
}

async function wasmlearnEpoch(threads, limit) {
  await wl.init({ threads });
  wl.setRandomSeed(1);
  const model = cnn(wl);
  model.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  const n = Math.min(limit, trainLimit);
  const x = { data: train.x.data.subarray(0, n * 784), shape: [n, 28, 28, 1] };
  const y = { data: train.y.data.subarray(0, n * 10), shape: [n, 10] };
  const t0 = performance.now();
  await model.fit(x, y, { batchSize: 128, epochs: 1, seed: 1, verbose: 0 });
  return { model, seconds: (performance.now() - t0) / 1000, batches: Math.ceil(n / 128) };
}

const two = await wasmlearnEpoch(2, Infinity);
const [, accuracy] = await two.model.evaluate(test.x, test.y);
const t0 = performance.now();
two.model.predict(test.x);
const predictSeconds = (performance.now() - t0) / 1000;
two.model.dispose();
console.error(`wasmlearn 2t: ${two.seconds.toFixed(1)} s/epoch, accuracy ${accuracy}`);
const oneBatches = quick ? 20 : 60;
const one = await wasmlearnEpoch(1, oneBatches * 128);
one.model.dispose();
const oneEpoch = (one.seconds / one.batches) * steps;
console.error(`wasmlearn 1t: ${oneEpoch.toFixed(1)} s/epoch (extrapolated from ${one.batches} batches)`);

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
const batch = (k) => [tf.tensor(train.x.data.subarray(0, k * 128 * 784), [k * 128, 28, 28, 1]), tf.tensor(train.y.data.subarray(0, k * 128 * 10), [k * 128, 10])];
let wasmError = 'none';
{
  await tf.setBackend('wasm');
  await tf.ready();
  const model = cnn(tf);
  model.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
  const [x, y] = batch(1);
  try {
    await model.fit(x, y, { batchSize: 128, epochs: 1, verbose: 0 });
  } catch (error) {
    wasmError = String(error.message ?? error).split('\n')[0];
  }
  tf.dispose([x, y]);
  model.dispose();
}
console.error(`tfjs-wasm training: ${wasmError}`);
await tf.setBackend('cpu');
await tf.ready();
const cpuModel = cnn(tf);
cpuModel.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
const [wx, wy] = batch(1);
await cpuModel.fit(wx, wy, { batchSize: 128, epochs: 1, verbose: 0 });
const cpuBatches = quick ? 2 : 4;
const [cx, cy] = batch(cpuBatches);
const t1 = performance.now();
await cpuModel.fit(cx, cy, { batchSize: 128, epochs: 1, verbose: 0 });
const cpuEpoch = ((performance.now() - t1) / 1000 / cpuBatches) * steps;
console.error(`tfjs-cpu: ${cpuEpoch.toFixed(0)} s/epoch (extrapolated)`);

console.log(`\nCNN on Fashion-MNIST (${trainLimit} training images), Adam 1e-3, batch 128; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['measure', 'wasmlearn', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-cpu / wasmlearn'], [
  ['epoch, 2 threads (s)', fixed(two.seconds, 1), 'cannot train', `${fixed(cpuEpoch, 0)}*`, `${fixed(cpuEpoch / two.seconds, 1)}×`],
  ['epoch, 1 thread (s)', `${fixed(oneEpoch, 1)}*`, '', '', `${fixed(cpuEpoch / oneEpoch, 1)}×`],
  ['test accuracy after one epoch', fixed(accuracy, 4), '', '', ''],
  ['predict 10 000 images (s)', fixed(predictSeconds, 2), '', '', ''],
]);
console.log(`\n* extrapolated: wasmlearn 1 thread from ${one.batches} batches, TF.js-cpu from ${cpuBatches} batches after one warm-up batch.`);
console.log(`TF.js wasm backend, fit: ${wasmError}`);
const file = writeResults(quick ? 'cnn-quick' : 'cnn', {
  quick, trainLimit, wasmlearn: { epochSeconds2t: two.seconds, epochSeconds1tExtrapolated: oneEpoch, batches1t: one.batches, testAccuracy: accuracy, predict10kSeconds: predictSeconds },
  tfjs: { wasmTrainingError: wasmError, cpuEpochSecondsExtrapolated: cpuEpoch, cpuBatchesTimed: cpuBatches },
});
console.log(`results written to ${file}`);
