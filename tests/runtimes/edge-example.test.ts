// The edge inference example (examples/edge/): its worker in workerd serves a model saved in
// Node (a functional model) — the same predictions as Node's, 400s with messages for malformed bodies, and a short
// bounded burst of concurrent requests all answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { input as inputTensor, layers, model as functional, optimizers, setRandomSeed, type Model } from '../../dist/index.js';
// @ts-expect-error: a plain JavaScript helper of the example
import { startWorker } from '../../examples/edge/workerd.js';

describe('examples/edge: a saved model served by workerd', () => {
  let dir: string;
  let server: { base: string; stop: () => void; log: () => string; rss: () => number };
  let model: Model;
  const input = (seed: number): number[] => Array.from({ length: 784 }, (_, i) => ((i * 37 + seed * 101) % 255) / 255);

  beforeAll(async () => {
    setRandomSeed(3);
    // A functional model, as examples/edge/prepare-model.js makes: branches joined by concatenate.
    const pixels = inputTensor({ shape: [784] });
    const h = layers.dense({ units: 16, activation: 'relu' }).apply(pixels);
    const both = layers.concatenate().apply([layers.dense({ units: 8, activation: 'relu' }).apply(h), layers.dense({ units: 8, activation: 'tanh' }).apply(h)]);
    model = functional({ inputs: pixels, outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(both) });
    model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam() });
    await model.fit(Array.from({ length: 40 }, (_, i) => input(i)), Array.from({ length: 40 }, (_, i) => i % 10), { epochs: 2, verbose: 0, seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'wasmlearn-edge-model-'));
    await model.save(join(dir, 'model.wasmlearn'));
    // As in a 128 MB isolate: V8's heap capped at 64 MB, the worker caps WebAssembly memory at 64 MB.
    server = await startWorker(new URL('../../examples/edge/worker.js', import.meta.url).pathname, { data: [join(dir, 'model.wasmlearn')], heapMb: 64 });
  });

  afterAll(async () => {
    await server?.stop();
    model?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown) => fetch(`${server.base}/predict`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('predicts as Node does, one image or a batch', async () => {
    const batch = [input(1), input(2), input(3)];
    const response = await post({ inputs: batch });
    expect(response.status, server.log()).toBe(200);
    const { predictions } = await response.json();
    const ours = model.predict(batch);
    predictions.forEach((p: { label: number; probabilities: number[] }, i: number) => {
      const row = Array.from(ours.data.subarray(i * 10, (i + 1) * 10));
      expect(p.probabilities).toEqual(row);
      expect(p.label).toBe(row.indexOf(Math.max(...row)));
    });
    const one = await (await post({ input: input(1) })).json();
    expect(one.predictions[0].probabilities).toEqual(predictions[0].probabilities);
  });

  it('answers malformed bodies with a 400 and a message, and keeps serving', async () => {
    for (const [body, message] of [
      ['not json', /must be JSON/],
      ['{}', /needs "inputs"/],
      [{ inputs: [[1, 2, 3]] }, /784 numbers; received an array of 3/],
      [{ inputs: [input(0).map((v, i) => (i === 7 ? 'x' : v))] }, /x\[0\]\[7\] must be a number/],
      [{ inputs: Array.from({ length: 1001 }, () => [0]) }, /at most 1000 images/],
    ] as [unknown, RegExp][]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect((await response.json()).message).toMatch(message);
    }
    expect((await fetch(`${server.base}/predict`)).status).toBe(405);
    expect((await post({ input: input(4) })).status).toBe(200);
  });

  it('serves a bounded burst of 60 concurrent requests', async () => {
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => post(i % 6 === 0 ? { inputs: Array.from({ length: 100 }, (_, j) => input(j)) } : { input: input(i) })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });

  it('refuses an oversized body with a 413 and a message, and keeps serving', async () => {
    const huge = await post(JSON.stringify({ input: input(0), padding: 'x'.repeat(9 * 2 ** 20) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: 'PayloadTooLarge', message: expect.stringMatching(/at most 8388608 \(8 MB\) are accepted/) });
    expect((await post({ input: input(5) })).status).toBe(200);
  });

  it('keeps its memory flat under a bounded load (2000 requests or 20 s): the arena back where it was, WebAssembly memory under its cap', async () => {
    const memory = async () => (await fetch(`${server.base}/memory`)).json() as Promise<{ memoryBytes: number; arenaBytesInUse: number; maxMemory: number }>;
    await post({ inputs: Array.from({ length: 100 }, (_, j) => input(j)) });
    const before = await memory();
    expect(before.maxMemory).toBe(64 * 2 ** 20);
    const deadline = Date.now() + 20_000;
    let sent = 0, failed = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (sent < 2000 && Date.now() < deadline) {
        const i = sent++;
        const response = await post(i % 20 === 0 ? { inputs: Array.from({ length: 100 }, (_, j) => input(i + j)) } : { input: input(i) });
        await response.arrayBuffer();
        if (response.status !== 200) failed++;
      }
    }));
    expect(failed).toBe(0);
    expect(sent).toBeGreaterThan(200);
    const after = await memory();
    expect(after.arenaBytesInUse).toBe(before.arenaBytesInUse);
    expect(after.memoryBytes).toBe(before.memoryBytes);
    if (server.rss() > 0) expect(server.rss()).toBeLessThan(1024 * 2 ** 20);
  });
});
