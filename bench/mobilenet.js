// MobileNetV2 inference (issue #17): Keras Applications' architecture (alpha 1, 224 × 224 × 3,
// 1000 classes, logits) built by wasmlearn, the same weights loaded into TF.js-wasm (XNNPACK) through the
// TF.js layers format, then batch-1 latency and batch-32 throughput on 1 and 2 threads, medians of
// interleaved runs. onnxruntime-web is not in this run (exporting the weights to ONNX is not done yet).
// Prints a Markdown table and writes bench/results/mobilenet.json.
//
//   node bench/mobilenet.js            batch 1 and batch 32
//   node bench/mobilenet.js --quick    fewer runs
import * as wl from '../dist/index.js';
import { compareMedians, fixed, machine, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 5;
wl.setRandomSeed(1);
const images = (n) => ({ data: Float32Array.from({ length: n * 224 * 224 * 3 }, (_, i) => ((i * 2654435761) % 1000) / 1000), shape: [n, 224, 224, 3] });
const one = images(1), batch = images(32);

const tf = await import('@tensorflow/tfjs');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
const results = {};
for (const threads of [1, 2]) {
  await wl.init({ threads });
  // Logits, and batch-normalization statistics that keep the signal alive through the 17 blocks
  // (fresh ones shrink it to ~1e-11, which would make the output comparison empty).
  const ours = wl.applications.mobileNetV2({ classifierActivation: 'linear' });
  for (const l of ours.flatLayers) {
    if (l.className !== 'BatchNormalization') continue;
    const w = l.getWeights();
    w[3] = { data: new Float32Array(w[3].size).fill(0.05), shape: w[3].shape };
    l.setWeights(w);
  }
  // TF.js-wasm with the same weights, on as many threads.
  wasm.setThreadsCount?.(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs()));
  const t1 = tf.tensor(one.data, one.shape), t32 = tf.tensor(batch.data, batch.shape);
  const a = ours.predict(one).data, b = theirs.predict(t1).dataSync();
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  const latency = await compareMedians([
    { name: 'wasmlearn', fn: () => ours.predict(one) },
    { name: 'tfjs-wasm', fn: () => tf.tidy(() => theirs.predict(t1).dataSync()) },
  ], { runs: runs * 2, minSeconds: 0.3, warmup: 2 });
  const throughput = await compareMedians([
    { name: 'wasmlearn', fn: () => ours.predict(batch) },
    { name: 'tfjs-wasm', fn: () => tf.tidy(() => theirs.predict(t32, { batchSize: 32 }).dataSync()) },
  ], { runs, minSeconds: 0, warmup: 1 });
  results[threads] = { latency, throughput, maxDiff, tfjsThreads: wasm.getThreadsCount?.() };
  console.error(`${threads} thread(s): batch 1 ${fixed(latency.wasmlearn * 1000, 1)} vs ${fixed(latency['tfjs-wasm'] * 1000, 1)} ms; batch 32 ${fixed(32 / throughput.wasmlearn, 1)} vs ${fixed(32 / throughput['tfjs-wasm'], 1)} images/s; max |diff| ${maxDiff}`);
  ours.dispose();
  theirs.dispose();
  tf.dispose([t1, t32]);
}

console.log(`\nMobileNetV2 (alpha 1, 224 × 224 × 3, 1000 classes) inference, the same weights; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
printTable(['measure', 'threads', 'wasmlearn', 'tfjs-wasm', 'tfjs-wasm / wasmlearn'], [1, 2].flatMap((t) => {
  const r = results[t];
  return [
    ['batch 1 latency (ms, median)', String(t), fixed(r.latency.wasmlearn * 1000, 1), fixed(r.latency['tfjs-wasm'] * 1000, 1), `${fixed(r.latency['tfjs-wasm'] / r.latency.wasmlearn, 2)}×`],
    ['batch 32 throughput (images/s, median)', String(t), fixed(32 / r.throughput.wasmlearn, 1), fixed(32 / r.throughput['tfjs-wasm'], 1), `${fixed(r.throughput['tfjs-wasm'] / r.throughput.wasmlearn, 2)}×`],
  ];
}));
console.log(`\nLargest logit difference vs TF.js-wasm (logits of magnitude ~10): ${results[1].maxDiff.toExponential(1)}. TF.js-wasm's thread count as it reports it: ${results[1].tfjsThreads ?? '?'} / ${results[2].tfjsThreads ?? '?'} (in Node its wasm backend runs on one thread).`);
const file = writeResults(quick ? 'mobilenet-quick' : 'mobilenet', { quick, results });
console.log(`results written to ${file}`);
process.exit(0);
