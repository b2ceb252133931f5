// fit copies x and y into WebAssembly memory once and gathers every batch there by index; when
// they do not fit the memory it streams batches from JavaScript instead. Both give the same bits.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutOfMemoryError, ValueError } from '../src/errors.js';
import { Dense } from '../src/layers/dense.js';
import { Dropout } from '../src/layers/dropout.js';
import { Sequential } from '../src/models/sequential.js';
import { sgd } from '../src/optimizers.js';
import { backend, init } from '../src/runtime/backend.js';
import { randomArray, testRandom } from './reference.js';

const n = 500, d = 20;
const x = randomArray(n * d, testRandom(3));
const labels = Int32Array.from({ length: n }, (_, i) => (x[i * d] + x[i * d + 1] > 0 ? 1 : 0) + (x[i * d + 2] > 0.5 ? 1 : 0));

/** Trains a seeded model; returns its weights and the most arena bytes in use seen during fit. */
async function train(refuseLarge: boolean, data = x): Promise<{ weights: number[]; peak: number }> {
  const be = backend();
  const model = new Sequential([
    new Dense({ units: 16, inputShape: [d], activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
    new Dropout({ rate: 0.2 }),
    new Dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
  ]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
  const alloc = be.arena.alloc.bind(be.arena);
  // As if the memory could not hold a copy of x: the first request for all of it is refused.
  let refused = !refuseLarge;
  if (refuseLarge) {
    be.arena.alloc = (bytes: number) => {
      if (!refused && bytes === n * d * 4) {
        refused = true;
        throw new OutOfMemoryError('refused by the test');
      }
      return alloc(bytes);
    };
  }
  let peak = 0;
  try {
    await model.fit({ data, shape: [n, d] }, labels, {
      epochs: 3, batchSize: 32, seed: 5, verbose: 0, validationSplit: 0.2,
      callbacks: { onBatchEnd: async () => void (peak = Math.max(peak, be.arena.bytesInUse)) },
    });
    expect(refused).toBe(true);
    return { weights: model.getWeights().flatMap((t) => Array.from(t.data)), peak };
  } finally {
    be.arena.alloc = alloc;
    model.dispose();
  }
}

describe('fit copies its data once', () => {
  // From the sources: the module comes from the built package.
  beforeAll(() => init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false }));

  it('keeps x in the module during fit, and gives the same bits as streaming batches when x does not fit', async () => {
    const resident = await train(false);
    const streamed = await train(true);
    expect(resident.peak).toBeGreaterThanOrEqual(n * d * 4);
    // Streaming holds no copy of x beyond a batch: the plan, weights and optimizer slots only.
    expect(streamed.peak).toBeLessThan(resident.peak - n * d * 4 + 1);
    expect(resident.weights).toEqual(streamed.weights);
    expect(backend().arena.bytesInUse).toBe(0);
  });

  it('a NaN in x (training or validation rows) is refused naming its place, on both paths, and nothing leaks', async () => {
    for (const at of [7 * d + 3, 450 * d + 1]) {
      const bad = x.slice();
      bad[at] = Number.NaN;
      for (const refuse of [false, true]) {
        const error = await train(refuse, bad).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValueError);
        expect((error as Error).message).toMatch(new RegExp(`fit: x must hold finite numbers; element ${at} \\(at \\[${Math.floor(at / d)}, ${at % d}\\]\\) is NaN`));
        expect(backend().arena.bytesInUse).toBe(0);
      }
    }
  });
});
