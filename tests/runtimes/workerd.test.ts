import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsNode, nodeContract, nodeReference, type ContractResult, type SmokeResult } from './expected.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { failures } from '../conformance/contract.js';
// @ts-expect-error: a plain JavaScript helper of the edge example
import { startWorker } from '../../examples/edge/workerd.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

describe('Cloudflare workerd (edge entry, .wasm imported as a module)', () => {
  let server: { base: string; stop: () => void; log: () => string };
  let base: string;
  let reference: SmokeResult;

  beforeAll(async () => {
    reference = await nodeReference();
    // The test worker and the smoke test as a second module, run by the edge example's helper.
    server = await startWorker(here('./workerd-worker.js'), { modules: [here('./smoke.js'), here('../conformance/contract.js'), here('../conformance/entries.js')] });
    base = server.base;
  });

  afterAll(() => server?.stop());

  it('runs the smoke test on one thread and matches Node bit for bit', async () => {
    const response = await fetch(`${base}/smoke`);
    const text = await response.text();
    expect(response.status, `${text}\n${server.log()}`).toBe(200);
    const result = JSON.parse(text) as SmokeResult;
    expect(result.info).toMatchObject({ runtime: 'workerd', build: 'simd', threads: 1 });
    expectSameAsNode(result, reference, expect);
  });

  it('passes the conformance contract on one thread, bit for bit as Node', async () => {
    const response = await fetch(`${base}/contract`);
    const text = await response.text();
    expect(response.status, `${text.slice(0, 2000)}\n${server.log()}`).toBe(200);
    const { info, contract } = JSON.parse(text) as { info: { runtime: string }; contract: ContractResult };
    expect(info).toMatchObject({ runtime: 'workerd', threads: 1 });
    expect(failures(contract)).toEqual([]);
    const reference = await nodeContract();
    expect(contract).toEqual(reference);
  });

  it('answers a matMul over HTTP', async () => {
    const response = await fetch(`${base}/matmul`, {
      method: 'POST',
      body: JSON.stringify({ a: [[1, 2, 3], [4, 5, 6]], b: [[1, 2], [3, 4], [5, 6]], transposeA: true, transposeB: true }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.shape).toEqual([3, 3]);
    // aᵀ·bᵀ = (b·a)ᵀ
    expect(body.data).toEqual([9, 19, 29, 12, 26, 40, 15, 33, 51]);
  });

  it('turns bad input into a 400 with the library\'s named error', async () => {
    const response = await fetch(`${base}/matmul`, { method: 'POST', body: JSON.stringify({ a: [[1, 2]], b: [[1, 2]] }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'ShapeError', message: expect.stringMatching(/inner sizes differ/) });
    const nan = await fetch(`${base}/matmul`, { method: 'POST', body: JSON.stringify({ a: [[1, 'x']], b: [[1], [2]] }) });
    expect(nan.status).toBe(400);
    expect((await nan.json()).message).toMatch(/a\[0\]\[1\] must be a number/);
  });
});
