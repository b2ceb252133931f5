// Memory limits (issue 21): init({ maxMemory }) caps WebAssembly memory — past it a call throws an
// OutOfMemoryError, changes nothing and the library goes on — and models and estimators report
// what they keep (memoryBytes).
import { describe, expect, it } from 'vitest';
import * as wl from '../dist/index.js';

const MiB = 1 << 20;
const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

describe('init({ maxMemory })', () => {
  // First: the memory has not grown yet (it never shrinks).
  it('fit streams batches from JavaScript when x would not fit under the cap at once: the same bits as with x copied in', async () => {
    // 25 MB of f32, made in JavaScript (the memory must not grow before the cap).
    let state = 3;
    const x = { data: Float32Array.from({ length: 8000 * 784 }, () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)), shape: [8000, 784] };
    const y = Array.from({ length: 8000 }, (_, i) => (x.data[i * 784] > 0.5 ? 1 : 0));
    const train = async () => {
      const m = new wl.Sequential([
        wl.layers.dense({ units: 16, inputShape: [784], activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
        wl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
      ]);
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const history = await m.fit(x, y, { epochs: 1, batchSize: 64, seed: 5, verbose: 0 });
      const weights = m.getWeights().map((w) => Array.from(new Uint32Array(w.data.buffer, w.data.byteOffset, w.data.length)));
      m.dispose();
      return { loss: history.history.loss, weights };
    };
    await wl.init({ maxMemory: 12 * MiB });
    const capped = await train();
    expect(wl.backendInfo().memoryBytes).toBeLessThanOrEqual(12 * MiB);
    await wl.init({ maxMemory: null });
    const free = await train();
    expect(capped).toEqual(free);
  });

  it('refuses a call that would grow the memory past the cap, undoes it, and goes on', async () => {
    await wl.init({ threads: 1, maxMemory: 48 * MiB });
    expect(wl.backendInfo().maxMemory).toBe(48 * MiB);
    const before = wl.backendInfo().arenaBytesInUse;
    // 2300 × 2300 f32 three times (A, B, C: 63 MB) cannot fit under 48 MiB.
    const a = wl.randomUniform([2300, 2300], { seed: 1 });
    let error: unknown;
    try {
      wl.matMul(a, a);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(wl.OutOfMemoryError);
    expect((error as Error).message).toMatch(/past maxMemory \(48\.0 MiB, set by init\(\{ maxMemory \}\)\)/);
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    expect(wl.backendInfo().memoryBytes).toBeLessThanOrEqual(48 * MiB);
    // The library goes on: a smaller product works and is right.
    const small = wl.matMul([[1, 2], [3, 4]], [[5], [6]]);
    expect(Array.from(small.data)).toEqual([17, 39]);
    // Lifted, the same product runs.
    await wl.init({ maxMemory: null });
    expect(wl.backendInfo().maxMemory).toBeNull();
    expect(wl.matMul(a, a).shape).toEqual([2300, 2300]);
  });

  it('names a bad cap', async () => {
    await expect(wl.init({ maxMemory: 1000 })).rejects.toThrow(/init: maxMemory must be a number of bytes ≥ 1048576 \(1 MiB\), or null for no cap; received 1000/);
    await expect(wl.init({ maxMemory: '96MB' as never })).rejects.toThrow(/init: maxMemory must be/);
  });
});

describe('memoryBytes', () => {
  it('a model: its weights in 64-byte blocks, and Adam\'s two moments once it trains', async () => {
    const model = new wl.Sequential([wl.layers.dense({ units: 16, inputShape: [8], activation: 'relu' }), wl.layers.dense({ units: 3, activation: 'softmax' })]);
    const blocks = [8 * 16, 16, 16 * 3, 3].reduce((sum, size) => sum + align(size * 4), 0);
    expect(model.memoryBytes).toBe(blocks);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = wl.randomUniform([32, 8], { seed: 2 });
    await model.fit(x, Array.from({ length: 32 }, (_, i) => i % 3), { epochs: 1, verbose: 0 });
    expect(model.memoryBytes).toBe(3 * blocks);
    model.dispose();
  });

  it('an estimator: 0 before fit, then at least the arrays it keeps', async () => {
    const X = Array.from({ length: 200 }, (_, i) => [i % 7, (i * 13) % 11, i / 10]);
    const y = X.map((r) => (r[0] > 3 ? 1 : 0));
    const knn = new wl.KNeighborsClassifier({ nNeighbors: 3 });
    expect(knn.memoryBytes).toBe(0);
    await knn.fit(X, y);
    // The training rows (f64) at least.
    expect(knn.memoryBytes).toBeGreaterThanOrEqual(200 * 3 * 8);
    const forest = await new wl.RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(X, y);
    const small = await new wl.RandomForestClassifier({ nEstimators: 1, seed: 1 }).fit(X, y);
    expect(forest.memoryBytes).toBeGreaterThan(3 * small.memoryBytes);
  });
});
