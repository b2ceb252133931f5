// The ONNX edge example (examples/edge/onnx-worker.js) in workerd: an exported network and a
// scikit-learn pipeline (Scaler → SVMClassifier → ZipMap) served from a data module, answering as
// wasmlearn/onnx does in Node, bit for bit; malformed requests get a 400 with a message.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as wl from '../../dist/index.js';
import { loadOnnx, OnnxTensor } from '../../dist/onnx.js';
// @ts-expect-error: a plain JavaScript helper of the benchmarks
import { kerasToOnnx } from '../../bench/keras-to-onnx.js';
// @ts-expect-error: a plain JavaScript helper of the example
import { startWorker } from '../../examples/edge/workerd.js';

type Server = { base: string; stop: () => Promise<void>; log: () => string };

async function serve(bytes: Uint8Array): Promise<{ server: Server; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-edge-onnx-'));
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const server = await startWorker(new URL('../../examples/edge/onnx-worker.js', import.meta.url).pathname, { data: [join(dir, 'model.onnx')], heapMb: 64 });
  return { server, dir };
}

describe('examples/edge/onnx-worker.js: ONNX models served by workerd', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  // Each workerd is stopped and waited for until no process of its group is left.
  afterAll(async () => {
    for (const f of cleanup) await f();
  });
  const post = (s: Server, body: unknown) => fetch(`${s.base}/predict`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('an exported network (Gemm, Relu, Softmax): the outputs Node gives', async () => {
    wl.setRandomSeed(8);
    const net = new wl.Sequential([wl.layers.dense({ units: 16, inputShape: [20], activation: 'relu' }), wl.layers.dense({ units: 4, activation: 'softmax' })]);
    const bytes = kerasToOnnx(net.toTfjs());
    const { server, dir } = await serve(bytes);
    cleanup.push(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });
    const rows = Array.from({ length: 3 }, (_, r) => Array.from({ length: 20 }, (_, i) => ((i * 7 + r * 13) % 10) / 10));
    const response = await post(server, { inputs: rows });
    expect(response.status, server.log()).toBe(200);
    const { outputs } = await response.json();
    const local = (await (await loadOnnx(bytes)).run({ input: rows })).output as OnnxTensor;
    expect(outputs.output.dims).toEqual([3, 4]);
    expect(outputs.output.data).toEqual(Array.from(local.data as Float32Array));
    const info = await (await fetch(`${server.base}/model`)).json();
    expect(info.inputs).toEqual([{ name: 'input', type: 'float32', dims: ['batch', 20] }]);
  });

  it('a scikit-learn pipeline in skl2onnx\'s layout: labels and ZipMap probabilities', async () => {
    const dir0 = mkdtempSync(join(tmpdir(), 'wasmlearn-edge-onnx-src-'));
    const file = join(dir0, 'model.onnx');
    copyFileSync(new URL('../fixtures/onnx/pipeline_scaler_svc.onnx', import.meta.url).pathname, file);
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(file));
    const { server, dir } = await serve(bytes);
    cleanup.push(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); rmSync(dir0, { recursive: true, force: true }); });
    const rows = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]];
    const response = await post(server, { inputs: rows });
    expect(response.status, server.log()).toBe(200);
    const { outputs } = await response.json();
    const local = await (await loadOnnx(bytes)).run({ X: rows });
    expect(outputs.label.data).toEqual(Array.from((local.label as OnnxTensor).data as BigInt64Array, Number));
    expect(outputs.label.data).toEqual([0, 2, 1]);
    expect(outputs.output_probability).toEqual(local.output_probability);
    expect(outputs.probabilities.data).toEqual(Array.from((local.probabilities as OnnxTensor).data as Float32Array));

    for (const [body, message] of [
      ['not json', /must be JSON/],
      [{}, /needs "inputs"/],
      [{ inputs: [[1, 2, 3]] }, /must have 4 at dimension 1/],
      [{ feeds: { nope: { data: [1], dims: [1] } } }, /has no input 'nope'/],
    ] as const) {
      const r = await post(server, body);
      expect(r.status).toBe(400);
      expect((await r.json()).message).toMatch(message);
    }
    expect((await post(server, { inputs: rows })).status).toBe(200);
    // Over 8 MB: a 413 the client reads (the body is drained, not cut off), and the worker keeps serving.
    const huge = await post(server, JSON.stringify({ inputs: rows, padding: 'x'.repeat(9 * 2 ** 20) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: 'PayloadTooLarge', message: expect.stringMatching(/at most 8388608 \(8 MB\) are accepted/) });
    expect((await post(server, { inputs: rows })).status).toBe(200);
  });
});
