// A worker thread that dies in the middle of a call (issue 21): the call throws a WasmlearnError
// naming the thread and the kernel within a second instead of waiting forever, and the library
// goes on with the same bits. From the sources, with the built worker script; a test hook makes
// the worker end itself (as a terminated, crashed or out-of-memory thread would) when it next
// takes a task or claims a chunk.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, init, shutdown } from '../src/runtime/backend.js';
import { DecisionTreeClassifier, matMul, randomUniform, RandomForestClassifier, SVC, warnings, WasmlearnError } from '../src/index.js';
import type { Pool } from '../src/runtime/pool.js';
import { bitsHash } from './reference.js';

const threadsWasm = readFileSync(new URL('../dist/wasm/threads.wasm', import.meta.url));

/** The threads build from the sources, its pool on the built worker script; stopped after the block. */
function fromSources(): void {
  beforeAll(async () => {
    await init({ module: threadsWasm, threads: 1 });
    backend().workerUrl = new URL('../dist/worker.js', import.meta.url);
  });
  afterAll(() => shutdown());
}

/** The running pool, once its worker thread serves. */
async function pool(): Promise<Pool> {
  await init({ threads: 2 });
  const be = backend();
  const running = (be as unknown as { pool?: Pool }).pool;
  if (!running || running.ready < 1) throw new Error('the pool did not start');
  // On a busy machine the backend may have stopped using the pool for a while (its crowded
  // watch): the calls here must reach it.
  Object.assign((be as unknown as { crowded: object }).crowded, { alone: 0, streak: 0 });
  return running;
}

/** A labelled blob data set: 4 classes, so SVC solves 6 pairs. */
function blobs(): { X: number[][]; y: number[] } {
  const X: number[][] = [], y: number[] = [];
  const noise = randomUniform([400, 12], { low: -1.5, high: 1.5, seed: 7 }).data;
  for (let i = 0; i < 400; i++) {
    const label = i % 4;
    X.push(Array.from({ length: 12 }, (_, j) => (j % 4 === label ? 1 : 0) + noise[i * 12 + j]));
    y.push(label);
  }
  return { X, y };
}

/** Runs `call` with worker thread 1 ending itself on its next task: it must throw, soon, naming both. */
async function dies(kernel: RegExp, call: () => unknown): Promise<void> {
  const running = await pool();
  running.exitOnNextTask(1);
  const began = performance.now();
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  const took = performance.now() - began;
  running.exitOnNextTask(0);
  expect(error).toBeInstanceOf(WasmlearnError);
  expect((error as Error).message).toMatch(/worker thread 1 stopped responding while running/);
  expect((error as Error).message).toMatch(kernel);
  expect(took).toBeLessThan(1000);
  expect(running.broken).toMatch(/worker thread 1 stopped responding/);
  expect(backend().arena.bytesInUse).toBe(0);
}

describe('a worker thread that dies in the middle of a call', () => {
  fromSources();
  beforeAll(() => warnings.filter('ignore', 'runtime'));
  afterAll(() => warnings.filter('default', 'runtime'));

  it('a GEMM (claimed chunks): the call throws, the next gives the same bits, and a fresh pool takes over', async () => {
    const a = randomUniform([512, 512], { low: -1, high: 1, seed: 1 });
    const b = randomUniform([512, 512], { low: -1, high: 1, seed: 2 });
    await pool();
    const expected = bitsHash(matMul(a, b).data);
    await dies(/running gemm/, () => matMul(a, b));
    // The next call drops the broken pool and runs on this thread; the one after, on a fresh pool.
    expect(bitsHash(matMul(a, b).data)).toBe(expected);
    const fresh = await pool();
    expect(fresh.broken).toBeUndefined();
    expect(bitsHash(matMul(a, b).data)).toBe(expected);
  });

  it('an SVC fit (a pair per chunk, its solver beating): the fit throws, the estimator stays unfitted, a refit gives the same model', async () => {
    const { X, y } = blobs();
    await pool();
    const reference = await new SVC({ C: 10, gamma: 0.5 }).fit(X, y);
    const svc = new SVC({ C: 10, gamma: 0.5 });
    await dies(/running smoBatch/, () => svc.fit(X, y));
    expect(() => svc.predict(X)).toThrow(/not available before fit/);
    await svc.fit(X, y);
    // toEqual compares numbers exactly: the same bits.
    expect(svc.decisionFunction(X)).toEqual(reference.decisionFunction(X));
  });

  it('a forest (a tree per thread, static ranges, trees beating): the fit throws, a refit gives the same forest', async () => {
    const { X, y } = blobs();
    await pool();
    const reference = await new RandomForestClassifier({ nEstimators: 6, seed: 3 }).fit(X, y);
    const forest = new RandomForestClassifier({ nEstimators: 6, seed: 3 });
    await dies(/running treeBatch/, () => forest.fit(X, y));
    await forest.fit(X, y);
    expect(forest.predictProba(X)).toEqual(reference.predictProba(X));
  });

  it('a lone tree shared with a helper thread: the builder scores the dead helper\'s half itself, and the call still throws', async () => {
    const { X, y } = blobs();
    await pool();
    const reference = await new DecisionTreeClassifier({ seed: 5 }).fit(X, y);
    const tree = new DecisionTreeClassifier({ seed: 5 });
    await dies(/running treeBatch/, () => tree.fit(X, y));
    await tree.fit(X, y);
    expect(tree.predictProba(X)).toEqual(reference.predictProba(X));
  });
});

describe('init({ threads }) at run time', () => {
  fromSources();

  it('grows and shrinks the pool, with the same bits at every size', async () => {
    const a = randomUniform([300, 200], { low: -1, high: 1, seed: 4 });
    const b = randomUniform([200, 260], { low: -1, high: 1, seed: 5 });
    const expected = bitsHash(matMul(a, b).data);
    const ready = () => (backend() as unknown as { pool?: Pool }).pool?.ready ?? 0;
    for (const threads of [3, 2, 4, 1, 2]) {
      const info = await init({ threads });
      expect(info.threads).toBe(threads);
      // One thread only stops using the workers (shutdown() stops them); two keep one worker.
      expect(ready()).toBe(threads === 1 ? 3 : threads - 1);
      expect(bitsHash(matMul(a, b).data)).toBe(expected);
    }
  });
});

describe('a crowded machine', () => {
  fromSources();

  it('two threads beside two busy processes: no hang, the same bits (the bench prints the time ratio)', async () => {
    const a = randomUniform([256, 256], { low: -1, high: 1, seed: 8 });
    const b = randomUniform([256, 256], { low: -1, high: 1, seed: 9 });
    const expected = bitsHash(matMul(a, b).data);
    await init({ threads: 2 });
    // Busy loops that end by themselves after 20 s, and are killed when the test ends.
    const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end);'], { stdio: 'ignore' }));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const began = performance.now();
      let calls = 0;
      while (performance.now() - began < 1000) {
        expect(bitsHash(matMul(a, b).data)).toBe(expected);
        calls++;
      }
      expect(calls).toBeGreaterThan(10);
    } finally {
      for (const child of busy) child.kill('SIGKILL');
    }
  });
});
