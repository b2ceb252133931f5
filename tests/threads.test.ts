import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import * as lib from '../dist/index.js';
import { init, matMul, randomUniform, backendInfo } from '../dist/index.js';
import { bitsHash } from './reference.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { visionLayers } from './runtimes/smoke.js';

// Work is split by rows of the output and no sum crosses threads, so every thread count (and
// the single-thread build) must give the same bits. Shapes straddle the pool's work threshold
// and the GEMM's cache blocks.
const SHAPES: [number, number, number, boolean, boolean][] = [
  [100, 500, 784, false, false],
  [784, 500, 100, true, false],
  [100, 784, 500, false, true],
  [257, 131, 389, true, true],
  [1030, 70, 45, false, false],
  [7, 1100, 300, false, false],
];

function products(): string[] {
  return SHAPES.map(([m, n, k, transposeA, transposeB], i) => {
    const a = randomUniform(transposeA ? [k, m] : [m, k], { low: -1, high: 1, seed: 100 + i });
    const b = randomUniform(transposeB ? [n, k] : [k, n], { low: -1, high: 1, seed: 200 + i });
    return bitsHash(matMul(a, b, { transposeA, transposeB }).data);
  });
}

describe('threads', () => {
  it('trains a model of the vision layers to the same bits with 1, 2 and 4 threads', async () => {
    const runs: { loss: number[]; predictionHash: string; reloadedHash: string }[] = [];
    for (const threads of [1, 2, 4]) {
      await init({ threads });
      runs.push(await visionLayers(lib));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0].reloadedHash).toBe(runs[0].predictionHash);
  });

  it('gives bit-identical results with 1, 2 and 4 threads', async () => {
    await init({ threads: 1 });
    expect(backendInfo().threads).toBe(1);
    const one = products();
    await init({ threads: 2 });
    expect(backendInfo()).toMatchObject({ build: 'threads', threads: 2 });
    const two = products();
    await init({ threads: 4 });
    expect(backendInfo().threads).toBe(4);
    const four = products();
    expect(two).toEqual(one);
    expect(four).toEqual(one);
    // And the same as the single-thread build, in another process.
    const script = `
      import { init, matMul, randomUniform } from './dist/index.js';
      import { bitsHash as hash } from './tests/runtimes/smoke.js';
      const info = await init({ threads: false });
      const shapes = ${JSON.stringify(SHAPES)};
      const out = shapes.map(([m, n, k, tA, tB], i) => hash(matMul(
        randomUniform(tA ? [k, m] : [m, k], { low: -1, high: 1, seed: 100 + i }),
        randomUniform(tB ? [n, k] : [k, n], { low: -1, high: 1, seed: 200 + i }), { transposeA: tA, transposeB: tB }).data));
      console.log(JSON.stringify({ build: info.build, out }));`;
    const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    expect(result.build).toBe('simd');
    expect(result.out).toEqual(one);
  });

  it('shutdown() stops the threads; the library keeps working with the same bits, and init({ threads }) starts them again', async () => {
    await init({ threads: 2 });
    expect(backendInfo().threads).toBe(2);
    const before = products();
    await lib.shutdown();
    expect(backendInfo().threads).toBe(1);
    expect(products()).toEqual(before);
    // Twice is harmless.
    await lib.shutdown();
    await init({ threads: 2 });
    expect(backendInfo().threads).toBe(2);
    expect(products()).toEqual(before);
  });

  it('refuses a bad thread count with a named error', async () => {
    await expect(init({ threads: 0 })).rejects.toThrow(/threads must be 'auto', true, false or a whole number ≥ 1; received 0/);
    await expect(init({ threads: 1.5 })).rejects.toThrow(/received 1\.5/);
    await expect(init({ thread: 2 } as never)).rejects.toThrow(/unknown option 'thread'/);
  });

  it('a script that used the pool ends by itself (workers are unref\'d)', () => {
    const script = `
      import { init, matMul, randomUniform } from './dist/index.js';
      await init({ threads: 2 });
      const a = randomUniform([300, 300], { seed: 1 });
      console.log(matMul(a, a).shape.join('x'));`;
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('300x300');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('the pool started implicitly', () => {
  it('starts on the first heavy call without init, and later calls use it with the same bits', () => {
    const script = `
      import { matMul, randomUniform, backendInfo } from './dist/index.js';
      const a = randomUniform([200, 300], { seed: 1 }), b = randomUniform([300, 250], { seed: 2 });
      const first = matMul(a, b);                 // one thread; starts the pool in the background
      const before = backendInfo().threads;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const second = matMul(a, b);
      const same = first.data.every((v, i) => Object.is(v, second.data[i]));
      console.log(JSON.stringify({ before, after: backendInfo().threads, same }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 }));
    // 'auto' asks for every core.
    expect(out).toEqual({ before: 1, after: availableParallelism(), same: true });
  });
});
