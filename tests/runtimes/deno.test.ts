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
});
