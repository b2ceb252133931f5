// A bounded load test of the edge worker in workerd on 127.0.0.1, its V8 heap capped at 64 MB
// and the library's WebAssembly memory at 64 MB (a 128 MB isolate): up to N requests (default
// 100 000) or S seconds (default 60), whichever comes first — three quarters of the time for
// single images, a quarter for batches of 100 — a few at a time. Prints requests per second and
// p50 / p99 latency, workerd's resident memory sampled every half second (after warm-up, peak, at
// the end), and checks that malformed bodies get a 400 and an oversized one a 413, with a message.
// The server stops by itself at the end.
//
//   node examples/edge/prepare-model.js        (once: trains and saves the model)
//   node examples/edge/load-test.js [--requests N] [--seconds S]
import { existsSync } from 'node:fs';
import { loadIdx } from 'wasmlearn';
import { startWorker } from './workerd.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const requests = option('requests', 100_000), seconds = option('seconds', 60);
const model = new URL('./model.wasmlearn', import.meta.url).pathname;
if (!existsSync(model)) {
  console.error('no model yet: run node examples/edge/prepare-model.js first');
  process.exit(1);
}
const images = await loadIdx(new URL('../../data/fashion-mnist/t10k-images-idx3-ubyte.gz', import.meta.url).pathname);
const labels = await loadIdx(new URL('../../data/fashion-mnist/t10k-labels-idx1-ubyte.gz', import.meta.url).pathname);
const image = (i) => Array.from(images.data.subarray(i * 784, (i + 1) * 784), (v) => v / 255);

const server = await startWorker(new URL('./worker.js', import.meta.url).pathname, { data: [model], heapMb: 64 });
try {
  const post = (body) => fetch(`${server.base}/predict`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  // Malformed bodies: a 400 with a message, and the worker keeps serving.
  const malformed = ['not json', '{}', '{"inputs": []}', '{"inputs": [[1, 2, 3]]}', JSON.stringify({ inputs: [image(0).map((v, i) => (i === 5 ? 'x' : v))] }), JSON.stringify({ input: 'pixels' })];
  for (const body of malformed) {
    const response = await post(body);
    const answer = await response.json();
    console.log(`malformed ${body.slice(0, 24).padEnd(24)} → ${response.status} ${answer.error}: ${answer.message.slice(0, 90)}`);
    if (response.status !== 400) process.exitCode = 1;
  }
  // Oversized: 9 MB of JSON → a 413 with a message, and the worker keeps serving.
  const huge = await post(JSON.stringify({ inputs: [image(0)], padding: 'x'.repeat(9 * 2 ** 20) }));
  const hugeAnswer = await huge.json();
  console.log(`oversized 9 MB body → ${huge.status} ${hugeAnswer.error}: ${hugeAnswer.message}`);
  if (huge.status !== 413) process.exitCode = 1;
  const first = await (await post({ input: image(0) })).json();
  console.log(`one image: label ${first.predictions[0].label} (true label ${labels.data[0]})`);

  // Memory, sampled while the load runs.
  const samples = [];
  const sampler = setInterval(() => samples.push(server.rss()), 500);
  const warm = server.rss();
  const memory = async () => (await fetch(`${server.base}/memory`)).json();
  const libraryBefore = await memory();
  const began = Date.now();
  let deadline = began + seconds * 750;
  async function measure(name, count, concurrency, body) {
    const latencies = [];
    let next = 0, failed = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count && Date.now() < deadline) {
        next++;
        const start = performance.now();
        const response = await post(body(next));
        await response.arrayBuffer();
        if (!response.ok) failed++;
        latencies.push(performance.now() - start);
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { name, requests: latencies.length, failed, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
  }
  const single = await measure('1 image a request', requests, 8, (i) => ({ input: image(i % 1000) }));
  deadline = began + seconds * 1000;
  const batches = await measure('100 images a request', Math.max(10, Math.floor(requests / 100)), 4, (i) => ({ inputs: Array.from({ length: 100 }, (_, j) => image((i * 100 + j) % 10000)) }));
  const rows = [single, batches];
  clearInterval(sampler);
  const end = server.rss();
  const libraryAfter = await memory();
  const MB = (b) => (b / 2 ** 20).toFixed(1);
  console.log(`\nworkerd resident memory: ${MB(warm)} MB after warm-up, peak ${MB(Math.max(warm, ...samples))} MB over ${samples.length} samples, ${MB(end)} MB at the end`);
  console.log(`library (WebAssembly): ${MB(libraryBefore.memoryBytes)} → ${MB(libraryAfter.memoryBytes)} MB of memory (cap ${MB(libraryAfter.maxMemory)}), ` +
    `arena in use ${libraryBefore.arenaBytesInUse} → ${libraryAfter.arenaBytesInUse} bytes between requests, peak ${MB(libraryAfter.arenaPeakBytes)} MB`);
  if (libraryAfter.arenaBytesInUse !== libraryBefore.arenaBytesInUse || libraryAfter.memoryBytes > libraryAfter.maxMemory) process.exitCode = 1;
  const step = Math.max(1, Math.ceil(samples.length / 12));
  console.log(`  sampled (MB, every ${step / 2} s): ${samples.filter((_, i) => i % step === 0).map(MB).join(' ')}`);
  console.log('\n| load | requests | failed | requests/s | images/s | p50 (ms) | p99 (ms) |\n|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(0)} | ${(r.perSecond * (r.name.startsWith('1 ') ? 1 : 100)).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  if (rows.some((r) => r.failed > 0 || r.requests === 0)) process.exitCode = 1;
} finally {
  server.stop();
}
