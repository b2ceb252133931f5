import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsNode, nodeContract, nodeReference, nodeRelaxedReference, type ContractResult, type SmokeResult } from './expected.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { failures } from '../conformance/contract.js';

const deno = new URL('../../node_modules/.bin/deno', import.meta.url).pathname;

function runDeno(threads: string, mode?: 'relaxed' | 'contract'): any {
  const out = execFileSync(deno, ['run', '--allow-read', 'tests/runtimes/deno-smoke.js', threads, ...(mode ? [mode] : [])], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('Deno', () => {
  let reference: SmokeResult;
  beforeAll(async () => {
    reference = await nodeReference();
  });

  it("runs the smoke test with threads (Deno's node:worker_threads) and matches Node bit for bit", () => {
    const result = runDeno('2');
    expect(result.info).toMatchObject({ runtime: 'deno', build: 'threads', threads: 2 });
    expectSameAsNode(result, reference, expect);
  });

  it('runs the relaxed-SIMD build (native in Deno) and matches Node\'s relaxed build bit for bit', () => {
    const nodeRelaxed = nodeRelaxedReference();
    const result = runDeno('2', 'relaxed');
    expect(result.info).toMatchObject({ runtime: 'deno', build: 'threads', relaxedSimd: true, threads: 2 });
    expectSameAsNode(result, nodeRelaxed, expect);
  });

  it('passes the conformance contract with threads and on one thread, bit for bit as Node', async () => {
    const reference: ContractResult = await nodeContract();
    expect(failures(reference)).toEqual([]);
    for (const threads of ['2', 'false']) {
      const { info, contract } = runDeno(threads, 'contract') as { info: { runtime: string; threads: number }; contract: ContractResult };
      expect(info).toMatchObject({ runtime: 'deno', threads: threads === '2' ? 2 : 1 });
      expect(failures(contract)).toEqual([]);
      expect(contract).toEqual(reference);
    }
  });

  it('runs the single-thread build and matches Node bit for bit', () => {
    const result = runDeno('false');
    expect(result.info).toMatchObject({ runtime: 'deno', build: 'simd', threads: 1 });
    expectSameAsNode(result, reference, expect);
  });

  it('runs ONNX models (wasmlearn/onnx: an exported CNN, scikit-learn pipelines) with threads and on one thread, bit for bit as Node', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const wl = await import('../../dist/index.js');
    const onnxLib = await import('../../dist/onnx.js');
    // @ts-expect-error: a plain JavaScript helper of the benchmarks
    const { kerasToOnnx } = await import('../../bench/keras-to-onnx.js');
    // @ts-expect-error: plain JavaScript module shared with the other runtimes
    const { onnxCheck } = await import('./onnx-check.js');
    wl.setRandomSeed(31);
    const L = wl.layers;
    const cnn = new wl.Sequential([L.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }), L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 4, activation: 'softmax' })]);
    const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-deno-onnx-'));
    try {
      const paths: Record<string, string> = { cnn: join(dir, 'cnn.onnx') };
      writeFileSync(paths.cnn, kerasToOnnx(cnn.toTfjs()));
      for (const name of ['pipeline_scaler_svc', 'gradient_boosting', 'svr_rbf']) paths[name] = new URL(`../fixtures/onnx/${name}.onnx`, import.meta.url).pathname;
      const { readFileSync } = await import('node:fs');
      const reference = await onnxCheck(onnxLib, Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, new Uint8Array(readFileSync(p))])));
      expect(Object.keys(reference)).toHaveLength(4);
      // Bytes on two threads and on one, and paths (the file read on Deno's I/O threads, weights used in place).
      for (const [threads, how] of [['2', 'bytes'], ['false', 'bytes'], ['2', 'path']]) {
        const out = execFileSync(deno, ['run', '--allow-read', 'tests/runtimes/deno-onnx.js', threads, how, ...Object.entries(paths).map(([k, p]) => `${k}=${p}`)], {
          encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
        });
        const { info, outputs } = JSON.parse(out.trim().split('\n').pop()!);
        expect(info).toMatchObject({ runtime: 'deno', threads: threads === '2' ? 2 : 1 });
        expect(outputs).toEqual(reference);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
