// MobileNetV2 inference (issue #17): Keras Applications' architecture (alpha 1, 224 × 224 × 3,
// 1000 classes, logits) built by wasmlearn; the same weights in TF.js-wasm (XNNPACK, through the
// TF.js layers format), in onnxruntime-web (wasm) and, as the native line, onnxruntime-node (both
// through an ONNX file this bench writes, bench/keras-to-onnx.js, fed NCHW as a PyTorch export
// is). Batch-1 latency and batch-32 throughput, medians of interleaved runs. onnxruntime-web fixes
// its thread count when it starts, so each thread count runs in a process of its own, every
// contender on that many threads. Then one epoch of transfer learning (frozen base, new head).
// Prints a Markdown table and writes bench/results/mobilenet.json.
//
//   node bench/mobilenet.js            batch 1 and batch 32, 1 and 2 threads
//   node bench/mobilenet.js --quick    fewer runs
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as wl from '../dist/index.js';
import { kerasToOnnx, toNchw } from './keras-to-onnx.js';
import { compareMedians, fixed, liveStatistics, machine, medianSeconds, printTable, writeResults } from './lib.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 5;
const PEERS = ['wasmlearn', 'ort-web', 'tfjs-wasm', 'ort-node'];
const images = (n) => ({ data: Float32Array.from({ length: n * 224 * 224 * 3 }, (_, i) => ((i * 2654435761) % 1000) / 1000), shape: [n, 224, 224, 3] });

/** The measurements on `threads` threads (runs in a child process). */
async function measure(threads) {
  wl.setRandomSeed(1);
  await wl.init({ threads });
  const one = images(1), batch = images(32);
  // Logits, and batch-normalization statistics that keep the signal alive through the 17 blocks
  // (fresh ones shrink it to ~1e-11, which would make the output comparison empty).
  const ours = wl.applications.mobileNetV2({ classifierActivation: 'linear' });
  liveStatistics(ours);
  const artifacts = ours.toTfjs();
  const onnx = kerasToOnnx(artifacts);
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount?.(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const ortWeb = await import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = threads;
  const web = await ortWeb.InferenceSession.create(onnx);
  const { default: ortNode } = await import('onnxruntime-node');
  const native = await ortNode.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const t1 = tf.tensor(one.data, one.shape), t32 = tf.tensor(batch.data, batch.shape);
  const n1 = toNchw(one), n32 = toNchw(batch);
  const w1 = new ortWeb.Tensor('float32', n1.data, n1.dims), w32 = new ortWeb.Tensor('float32', n32.data, n32.dims);
  const o1 = new ortNode.Tensor('float32', n1.data, n1.dims), o32 = new ortNode.Tensor('float32', n32.data, n32.dims);
  const run = {
    wasmlearn: (b) => ours.predict(b === 1 ? one : batch).data,
    'tfjs-wasm': (b) => tf.tidy(() => theirs.predict(b === 1 ? t1 : t32, { batchSize: 32 }).dataSync()),
    'ort-web': async (b) => (await web.run({ input: b === 1 ? w1 : w32 })).output.data,
    'ort-node': async (b) => (await native.run({ input: b === 1 ? o1 : o32 })).output.data,
  };
  const reference = await run.wasmlearn(1);
  const maxDiff = {};
  for (const p of PEERS.slice(1)) {
    const out = await run[p](1);
    maxDiff[p] = reference.reduce((m, v, i) => Math.max(m, Math.abs(v - out[i])), 0);
  }
  const latency = await compareMedians(PEERS.map((name) => ({ name, fn: () => run[name](1) })), { runs: runs * 2, minSeconds: 0.3, warmup: 2 });
  const throughput = await compareMedians(PEERS.map((name) => ({ name, fn: () => run[name](32) })), { runs, minSeconds: 0, warmup: 1 });
  // Transfer learning: the base frozen, a new 10-class head, one epoch over 256 images of 96 × 96.
  const base = wl.applications.mobileNetV2({ alpha: 0.35, inputShape: [96, 96, 3], includeTop: false, pooling: 'avg' });
  base.trainable = false;
  const pixels = wl.input({ shape: [96, 96, 3] });
  const head = wl.model({ inputs: pixels, outputs: wl.layers.dense({ units: 10, activation: 'softmax' }).apply(base.apply(pixels)) });
  head.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam(0.001) });
  const tx = { data: Float32Array.from({ length: 256 * 96 * 96 * 3 }, (_, i) => ((i * 2654435761) % 1000) / 1000), shape: [256, 96, 96, 3] };
  const ty = { data: Float32Array.from({ length: 2560 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), shape: [256, 10] };
  const epoch = await medianSeconds(() => head.fit(tx, ty, { epochs: 1, batchSize: 32, verbose: 0 }), { runs: quick ? 1 : 3, minSeconds: 0, warmup: 1 });
  return { threads, latency, throughput, maxDiff, tfjsThreads: wasm.getThreadsCount?.(), transferEpoch: epoch.seconds };
}

if (process.argv.includes('--child')) {
  const threads = Number(process.argv[process.argv.indexOf('--child') + 1]);
  process.stdout.write(JSON.stringify(await measure(threads)));
  process.exit(0);
}

const results = {};
for (const threads of [1, 2]) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(threads), ...(quick ? ['--quick'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  results[threads] = JSON.parse(out);
  const r = results[threads];
  console.error(`${threads} thread(s): batch 1 ${PEERS.map((p) => `${p} ${fixed(r.latency[p] * 1000, 1)}`).join(', ')} ms; batch 32 ${PEERS.map((p) => `${p} ${fixed(32 / r.throughput[p], 1)}`).join(', ')} images/s`);
}

console.log(`\nMobileNetV2 (alpha 1, 224 × 224 × 3, 1000 classes) inference, the same weights; ${machine().cpu}, ${machine().cores} cores, Node ${process.version}\n`);
const ratio = (theirs, ours) => `${fixed(theirs / ours, 2)}×`;
printTable(['measure', 'threads', ...PEERS, 'ort-web / ours', 'tfjs-wasm / ours', 'ort-node / ours'], [1, 2].flatMap((t) => {
  const r = results[t];
  return [
    ['batch 1 latency (ms, median)', String(t), ...PEERS.map((p) => fixed(r.latency[p] * 1000, 1)),
      ...PEERS.slice(1).map((p) => ratio(r.latency[p], r.latency.wasmlearn))],
    ['batch 32 throughput (images/s, median)', String(t), ...PEERS.map((p) => fixed(32 / r.throughput[p], 1)),
      ...PEERS.slice(1).map((p) => ratio(r.throughput[p], r.throughput.wasmlearn))],
  ];
}));
console.log('\nRatios are their time over ours: above 1, wasmlearn is faster.');
console.log(`Largest logit difference from wasmlearn's (logits of magnitude ~10): ${PEERS.slice(1).map((p) => `${p} ${results[1].maxDiff[p].toExponential(1)}`).join(', ')}.`);
console.log(`TF.js-wasm's thread count as it reports it: ${results[1].tfjsThreads ?? '?'} / ${results[2].tfjsThreads ?? '?'} (in Node its wasm backend runs on one thread).`);
console.log(`Transfer learning, one epoch of 256 images 96 × 96 (MobileNetV2 alpha 0.35 frozen, new 10-class head), median: ${[1, 2].map((t) => `${fixed(results[t].transferEpoch, 2)} s on ${t} thread${t > 1 ? 's' : ''}`).join(', ')}.`);
const file = writeResults(quick ? 'mobilenet-quick' : 'mobilenet', { quick, results });
console.log(`results written to ${file}`);
process.exit(0);
