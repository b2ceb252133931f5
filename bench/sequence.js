// Sequence models (issue 20) reading each Fashion-MNIST image as 28 steps of 28 pixels, batch 128,
// Adam 1e-3, categorical cross-entropy:
//   lstm         LSTM(128) → dense(10) softmax (the classic "MNIST with an LSTM")
//   transformer  a 2-layer transformer encoder: a linear input projection to dModel 64 plus
//                learned positions (an embedding of the step index, a second input), then per
//                layer multi-head self-attention (4 heads of 16) and a feed-forward 128 → 64,
//                each added back and layer-normalized (post-norm, as PyTorch's default), mean-pooled,
//                dense(10) softmax
// wasmlearn with 2 threads against TensorFlow.js' wasm and cpu backends in the same run (TF.js
// trains a slice of batches after a warm-up one, its epoch extrapolated; it has no attention
// layer, so its transformer uses a custom layer from tf ops: bench/tfjs-attention.js).
// PyTorch is not installed here: the issue gives its figures, measured on this machine kind.
//
//   node bench/sequence.js                      3 epochs of 60 000 each (accuracy after 1 and 3)
//   node bench/sequence.js --quick              1 epoch of 6 400 images, extrapolated
//   node bench/sequence.js --only=transformer   one model
import * as wl from '../dist/index.js';
import { loadFashion } from './fashion.js';
import { fixed, machine, printTable, writeResults } from './lib.js';
import { tfjsMultiHeadAttention } from './tfjs-attention.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const PYTORCH = { lstm: { epoch: 56.3, accuracy1: 0.792 }, transformer: { epoch: 29.2, accuracy1: 0.834 } };
const BATCH = 128;

/** The model for wasmlearn or TF.js (`lib` the library's namespace). */
function makeModel(kind, lib) {
  const L = lib.layers, isOurs = lib === wl;
  if (kind === 'lstm') {
    const layers = [L.lstm({ units: 128, inputShape: [28, 28] }), L.dense({ units: 10, activation: 'softmax' })];
    return isOurs ? new wl.Sequential(layers) : lib.sequential({ layers });
  }
  const x = lib.input({ shape: [28, 28] }), positions = lib.input({ shape: [28] });
  const TfjsAttention = isOurs ? undefined : tfjsMultiHeadAttention(lib);
  const attention = () => (isOurs ? L.multiHeadAttention({ numHeads: 4, keyDim: 16 }) : new TfjsAttention({ numHeads: 4, keyDim: 16 }));
  let h = L.add().apply([L.dense({ units: 64 }).apply(x), L.embedding({ inputDim: 28, outputDim: 64 }).apply(positions)]);
  for (let i = 0; i < 2; i++) {
    h = L.layerNormalization().apply(L.add().apply([h, attention().apply([h, h])]));
    const fed = L.dense({ units: 64 }).apply(L.dense({ units: 128, activation: 'relu' }).apply(h));
    h = L.layerNormalization().apply(L.add().apply([h, fed]));
  }
  const out = L.dense({ units: 10, activation: 'softmax' }).apply(L.globalAveragePooling1d().apply(h));
  return lib.model({ inputs: [x, positions], outputs: out });
}

const { train, test } = await loadFashion({ trainLimit: quick ? 6400 : 60000 });
const n = train.x.shape[0];
/** The step indices 0…27 of each of `count` images: the transformer's second input. */
const stepIndices = (count) => Float32Array.from({ length: count * 28 }, (_, i) => i % 28);
const inputsOf = (kind, data, count) => (kind === 'lstm' ? { data, shape: [count, 28, 28] } : [{ data, shape: [count, 28, 28] }, { data: stepIndices(count), shape: [count, 28] }]);

/** wasmlearn's epochs: seconds each and the test accuracy after each. */
async function ours(kind, epochs) {
  await wl.init({ threads: 2 });
  wl.setRandomSeed(1);
  const model = makeModel(kind, wl);
  model.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  const times = [], accuracies = [], xt = inputsOf(kind, test.x.data, 10000);
  let start = 0;
  await model.fit(inputsOf(kind, train.x.data, n), train.y, {
    batchSize: BATCH, epochs, seed: 1, verbose: 0,
    callbacks: {
      onEpochBegin: () => void (start = performance.now()),
      onEpochEnd: async () => {
        times.push((performance.now() - start) / 1000);
        accuracies.push((await model.evaluate(xt, test.y))[1]);
        console.error(`wasmlearn ${kind} epoch ${times.length}: ${fixed(times.at(-1), 2)} s, test accuracy ${fixed(accuracies.at(-1), 4)}`);
      },
    },
  });
  model.dispose();
  return { times, accuracies, epochSeconds: times[0] * (60000 / n) };
}

/** TF.js' seconds per batch over `batches` batches after one warm-up batch, as an epoch of 60 000; or the error it gave. */
async function tfjsEpoch(kind, tf, backend, batches) {
  try {
    await tf.setBackend(backend);
    await tf.ready();
    const m = makeModel(kind, tf);
    m.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
    const take = (from, count) => {
      const images = tf.tensor(train.x.data.subarray(from * 784, (from + count) * 784), [count, 28, 28]);
      return [kind === 'lstm' ? images : [images, tf.tensor(stepIndices(count), [count, 28])], tf.tensor(train.y.data.subarray(from * 10, (from + count) * 10), [count, 10])];
    };
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
const epochs = quick ? 1 : 3;
const results = {};
for (const kind of ['lstm', 'transformer'].filter((k) => !only || k === only)) {
  const mine = await ours(kind, epochs);
  const tfWasm = await tfjsEpoch(kind, tf, 'wasm', quick ? 3 : kind === 'lstm' ? 10 : 20);
  console.error(`tfjs-wasm ${kind}: ${tfWasm.error ?? `${fixed(tfWasm.epochSeconds, 1)} s/epoch (extrapolated)`}`);
  const tfCpu = await tfjsEpoch(kind, tf, 'cpu', quick ? 2 : 4);
  console.error(`tfjs-cpu ${kind}: ${tfCpu.error ?? `${fixed(tfCpu.epochSeconds, 1)} s/epoch (extrapolated)`}`);
  results[kind] = { wasmlearn: mine, pytorch: PYTORCH[kind], tfjs: { wasm: tfWasm, cpu: tfCpu } };
}

const shown = (r) => (r.error ? `fails: ${r.error}` : `${fixed(r.epochSeconds, 1)}*`);
const ratio = (r, mine) => (r.error ? '' : `${fixed(r.epochSeconds / mine, 1)}×`);
const NAMES = { lstm: 'LSTM(128) → dense(10)', transformer: 'transformer encoder, 2 layers' };
console.log(`\nFashion-MNIST rows (28 steps × 28), batch ${BATCH}, Adam 1e-3; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['model', 'measure', 'wasmlearn, 2 threads', 'PyTorch (issue)', 'tfjs-wasm', 'tfjs-cpu', 'PyTorch / wasmlearn', 'tfjs-wasm / wasmlearn', 'tfjs-cpu / wasmlearn'], Object.entries(results).flatMap(([kind, r]) => {
  const mine = r.wasmlearn.epochSeconds;
  return [
    [NAMES[kind], `epoch of 60 000 (s)${quick ? ', extrapolated from 6 400' : ''}`, fixed(mine, 1), fixed(r.pytorch.epoch, 1), shown(r.tfjs.wasm), shown(r.tfjs.cpu),
      `${fixed(r.pytorch.epoch / mine, 2)}×`, ratio(r.tfjs.wasm, mine), ratio(r.tfjs.cpu, mine)],
    ['', 'test accuracy after 1 epoch', fixed(r.wasmlearn.accuracies[0], 4), fixed(r.pytorch.accuracy1, 3), '', '', '', '', ''],
    ...(epochs >= 3 ? [['', 'test accuracy after 3 epochs', fixed(r.wasmlearn.accuracies[2], 4), '', '', '', '', '', '']] : []),
  ];
}));
for (const [kind, r] of Object.entries(results)) {
  console.log(`\n${kind}: TF.js trains ${r.tfjs.wasm.batches ?? 0} (wasm) and ${r.tfjs.cpu.batches ?? 0} (cpu) batches after a warm-up batch, its epoch that time × ${60000 / BATCH} batches; wasmlearn epochs ${r.wasmlearn.times.map((t) => fixed(t, 2)).join(', ')} s.`);
}
const file = writeResults(quick ? 'sequence-quick' : only ? `sequence-${only}` : 'sequence', { quick, epochs, results });
console.log(`results written to ${file}`);
