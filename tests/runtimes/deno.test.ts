import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsNode, nodeReference, nodeRelaxedReference, type SmokeResult } from './expected.js';

const deno = new URL('../../node_modules/.bin/deno', import.meta.url).pathname;

function runDeno(threads: string, relaxed = false): SmokeResult {
  const out = execFileSync(deno, ['run', '--allow-read', 'tests/runtimes/deno-smoke.js', threads, ...(relaxed ? ['relaxed'] : [])], {
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
    const result = runDeno('2', true);
    expect(result.info).toMatchObject({ runtime: 'deno', build: 'threads', relaxedSimd: true, threads: 2 });
    expectSameAsNode(result, nodeRelaxed, expect);
  });

  it('runs the single-thread build and matches Node bit for bit', () => {
    const result = runDeno('false');
    expect(result.info).toMatchObject({ runtime: 'deno', build: 'simd', threads: 1 });
    expectSameAsNode(result, reference, expect);
  });
});
