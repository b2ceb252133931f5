// A bounded load test of the edge worker in workerd on 127.0.0.1: a fixed number of requests
// (and at most 60 s) for single images and for batches of 100, a few at a time; prints requests
// per second and p50 / p99 latency, and checks that malformed bodies get a 400 with a message.
// The server stops by itself at the end.
//
//   node examples/edge/prepare-model.js        (once: trains and saves the model)
//   node examples/edge/load-test.js [--requests N]
import { existsSync } from 'node:fs';
import { loadIdx } from 'wasmlearn';
import { startWorker } from './workerd.js';

const args = process.argv.slice(2);
const requests = args.includes('--requests') ? Number(args[args.indexOf('--requests') + 1]) : 400;
const model = new URL('./model.wasmlearn', import.meta.url).pathname;
if (!existsSync(model)) {
  console.error('no model yet: run node examples/edge/prepare-model.js first');
  process.exit(1);
}
const images = await loadIdx(new URL('../../data/fashion-mnist/t10k-images-idx3-ubyte.gz', import.meta.url).pathname);
const labels = await loadIdx(new URL('../../data/fashion-mnist/t10k-labels-idx1-ubyte.gz', import.meta.url).pathname);
const image = (i) => Array.from(images.data.subarray(i * 784, (i + 1) * 784), (v) => v / 255);

const server = await startWorker(new URL('./worker.js', import.meta.url).pathname, { data: [model] });
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
  const first = await (await post({ input: image(0) })).json();
  console.log(`one image: label ${first.predictions[0].label} (true label ${labels.data[0]})`);

  const deadline = Date.now() + 60_000;
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
  const rows = [
    await measure('1 image a request', requests, 8, (i) => ({ input: image(i % 1000) })),
    await measure('100 images a request', Math.max(10, Math.floor(requests / 8)), 4, (i) => ({ inputs: Array.from({ length: 100 }, (_, j) => image((i * 100 + j) % 10000)) })),
  ];
  console.log('\n| load | requests | failed | requests/s | images/s | p50 (ms) | p99 (ms) |\n|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(0)} | ${(r.perSecond * (r.name.startsWith('1 ') ? 1 : 100)).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  if (rows.some((r) => r.failed > 0 || r.requests === 0)) process.exitCode = 1;
} finally {
  server.stop();
}
