// Sequence models (issue 20): LSTM(128) → dense(10) softmax reading each Fashion-MNIST image as 28
// steps of 28 pixels (the classic "MNIST with an LSTM"), batch 128, Adam 1e-3, categorical
// cross-entropy; wasmlearn with 2 threads against TensorFlow.js' wasm and cpu backends in the
// same run (TF.js trains a slice of batches after a warm-up one, its epoch extrapolated).
// PyTorch is not installed here: the issue gives its figures, measured on this machine kind.
//
//   node bench/sequence.js           3 epochs of 60 000 (accuracy after 1 and 3)
//   node bench/sequence.js --quick   1 epoch of 6 400 images, extrapolated
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const PYTORCH = { lstmEpoch: 56.3, lstmAccuracy1: 0.792 };
const BATCH = 128;

function lstmModel(lib) {
  const L = lib.layers;
  const layers = [L.lstm({ units: 128, inputShape: [28, 28] }), L.dense({ units: 10, activation: 'softmax' })];
  return lib === wl ? new wl.Sequential(layers) : lib.sequential({ layers });
}

const { train, test } = await loadFashion({ trainLimit: quick ? 6400 : 60000 });
const n = train.x.shape[0];
const x = { data: train.x.data, shape: [n, 28, 28] }, xt = { data: test.x.data, shape: [10000, 28, 28] };

await wl.init({ threads: 2 });
wl.setRandomSeed(1);
const model = lstmModel(wl);
model.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
const epochs = quick ? 1 : 3;
const times = [], accuracies = [];
let start = 0;
await model.fit(x, train.y, {
  batchSize: BATCH, epochs, seed: 1, verbose: 0,
  callbacks: {
    onEpochBegin: () => void (start = performance.now()),
    onEpochEnd: async () => {
      times.push((performance.now() - start) / 1000);
      accuracies.push((await model.evaluate(xt, test.y))[1]);
      console.error(`wasmlearn epoch ${times.length}: ${fixed(times.at(-1), 2)} s, test accuracy ${fixed(accuracies.at(-1), 4)}`);
    },
  },
});
model.dispose();
const epochSeconds = times[0] * (60000 / n);

/** TF.js' seconds per batch over `batches` batches after one warm-up batch, as an epoch of 60 000; or the error it gave. */
async function tfjsEpoch(tf, backend, batches) {
  try {
    await tf.setBackend(backend);
    await tf.ready();
    const m = lstmModel(tf);
    m.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
    const take = (from, count) => [tf.tensor(x.data.subarray(from * 784, (from + count) * 784), [count, 28, 28]), tf.tensor(train.y.data.subarray(from * 10, (from + count) * 10), [count, 10])];
    const [wx, wy] = take(0, BATCH);
    await m.fit(wx, wy, { batchSize: BATCH, epochs: 1, verbose: 0 });
    const [bx, by] = take(BATCH, batches * BATCH);
    const t0 = performance.now();
    await m.fit(bx, by, { batchSize: BATCH, epochs: 1, verbose: 0 });
    const perBatch = (performance.now() - t0) / 1000 / batches;
    tf.dispose([wx, wy, bx, by]);
    m.dispose();
    return { epochSeconds: perBatch * (60000 / BATCH), batches };
  } catch (error) {
    return { error: String(error.message ?? error).split('\n')[0] };
  }
}

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
const tfWasm = await tfjsEpoch(tf, 'wasm', quick ? 3 : 10);
console.error(`tfjs-wasm: ${tfWasm.error ?? `${fixed(tfWasm.epochSeconds, 1)} s/epoch (extrapolated)`}`);
const tfCpu = await tfjsEpoch(tf, 'cpu', quick ? 2 : 4);
console.error(`tfjs-cpu: ${tfCpu.error ?? `${fixed(tfCpu.epochSeconds, 1)} s/epoch (extrapolated)`}`);

const shown = (r) => (r.error ? `fails: ${r.error}` : `${fixed(r.epochSeconds, 1)}*`);
const ratio = (r) => (r.error ? '' : `${fixed(r.epochSeconds / epochSeconds, 1)}×`);
console.log(`\nLSTM(128) → dense(10) on Fashion-MNIST rows (28 steps × 28), batch ${BATCH}, Adam 1e-3; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['measure', 'wasmlearn, 2 threads', 'PyTorch (issue)', 'tfjs-wasm', 'tfjs-cpu', 'PyTorch / wasmlearn', 'tfjs-wasm / wasmlearn', 'tfjs-cpu / wasmlearn'], [
  [`epoch of 60 000 (s)${quick ? ', extrapolated from 6 400' : ''}`, fixed(epochSeconds, 1), fixed(PYTORCH.lstmEpoch, 1), shown(tfWasm), shown(tfCpu),
    `${fixed(PYTORCH.lstmEpoch / epochSeconds, 2)}×`, ratio(tfWasm), ratio(tfCpu)],
  ['test accuracy after 1 epoch', fixed(accuracies[0], 4), fixed(PYTORCH.lstmAccuracy1, 3), '', '', '', '', ''],
  ...(epochs >= 3 ? [['test accuracy after 3 epochs', fixed(accuracies[2], 4), '', '', '', '', '', '']] : []),
]);
console.log(`\n* TF.js trains ${tfWasm.batches ?? 0} (wasm) and ${tfCpu.batches ?? 0} (cpu) batches after a warm-up batch; its epoch is that time × ${60000 / BATCH} batches.`);
console.log(`wasmlearn epochs: ${times.map((t) => fixed(t, 2)).join(', ')} s.`);
const file = writeResults(quick ? 'sequence-quick' : 'sequence', { quick, epochs, wasmlearn: { epochSeconds: times, accuracies, epochSeconds60k: epochSeconds }, pytorch: PYTORCH, tfjs: { wasm: tfWasm, cpu: tfCpu } });
console.log(`results written to ${file}`);
