// fitDataset / evaluateDataset (issue 21, TF.js' names and semantics): training from batches as
// they come — a generator, an async iterable, a TF.js Dataset — in bounded memory, with the same
// bits as fit on the same batches in the same order.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as wl from '../dist/index.js';

const MiB = 1 << 20;

/** A seeded batch of n rows of d features and labels of 3 classes that depend on them. */
function batch(n: number, d: number, seed: number): { xs: wl.Tensor; ys: number[] } {
  const xs = wl.randomUniform([n, d], { low: -1, high: 1, seed });
  const ys = Array.from({ length: n }, (_, i) => {
    const row = xs.data.subarray(i * d, (i + 1) * d);
    return row[0] + row[1] > 0.3 ? 2 : row[2] > 0 ? 1 : 0;
  });
  return { xs, ys };
}

function model(d: number, dropout = 0): wl.Sequential {
  const m = new wl.Sequential([
    wl.layers.dense({ units: 16, inputShape: [d], activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
    ...(dropout ? [wl.layers.dropout({ rate: dropout })] : []),
    wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const bits = (m: wl.Sequential) => m.getWeights().map((w) => Array.from(new Uint32Array(w.data.buffer, w.data.byteOffset, w.data.length)));

describe('fitDataset', () => {
  it('trains data far larger than its memory cap in bounded memory (a generator of 300 batches of 64 × 784)', async () => {
    await wl.init({ threads: 1, maxMemory: 16 * MiB });
    const m = model(784);
    function* batches() {
      for (let b = 0; b < 300; b++) yield batch(64, 784, 100 + b);
    }
    // 300 × 64 × 784 f32 is 60 MB: it could not be copied in at once under 16 MiB.
    const history = await m.fitDataset(batches(), { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    expect(history.history.loss[0]).toBeLessThan(1.1);
    expect(wl.backendInfo().memoryBytes).toBeLessThanOrEqual(16 * MiB);
    expect(wl.backendInfo().arenaPeakBytes).toBeLessThan(4 * MiB);
    m.dispose();
    await wl.init({ maxMemory: null });
  });

  it('gives the same bits as fit on the same batches in the same order (dropout too), every epoch from the start', async () => {
    const parts = Array.from({ length: 6 }, (_, b) => batch(32, 10, 10 + b));
    const x = new wl.Tensor(Float32Array.from(parts.flatMap((p) => Array.from(p.xs.data))), [192, 10]);
    const y = parts.flatMap((p) => p.ys);
    const a = model(10, 0.3), b = model(10, 0.3);
    const fitted = await a.fit(x, y, { batchSize: 32, epochs: 3, shuffle: false, seed: 7, verbose: 0 });
    // An array of batches starts again each epoch, as a TF.js Dataset does.
    const streamed = await b.fitDataset(parts, { epochs: 3, seed: 7, verbose: 0 });
    expect(bits(b)).toEqual(bits(a));
    expect(streamed.history).toEqual(fitted.history);
    // evaluateDataset over the same batches: evaluate's numbers with the same batch size.
    expect(await b.evaluateDataset(parts)).toEqual(await a.evaluate(x, y, { batchSize: 32 }));
    a.dispose();
    b.dispose();
  });

  it('reads a TF.js Dataset and an async generator; validation from a dataset', async () => {
    const parts = Array.from({ length: 4 }, (_, b) => batch(25, 6, 40 + b));
    const elements = parts.flatMap((p) => p.ys.map((label, i) => ({ xs: Array.from(p.xs.data.subarray(i * 6, (i + 1) * 6)), ys: label })));
    const dataset = tf.data.array(elements).batch(25);
    const a = model(6), b = model(6);
    await a.fitDataset(dataset as never, { epochs: 2, verbose: 0, seed: 1 });
    async function* stream() {
      for (const p of parts) {
        await new Promise((resolve) => setTimeout(resolve, 1)); // a batch that arrives later (a fetch, a file)
        yield { xs: p.xs, ys: p.ys };
      }
    }
    const history = await b.fitDataset(stream(), { epochs: 1, verbose: 0, seed: 1, validationData: parts });
    // The TF.js Dataset's first epoch is the async generator's only one: the same batches.
    const c = model(6);
    await c.fitDataset(parts, { epochs: 1, verbose: 0, seed: 1 });
    expect(bits(b)).toEqual(bits(c));
    expect(history.history.val_loss[0]).toBe((await b.evaluateDataset(parts))[0]);
    expect(bits(a)).not.toEqual(bits(c)); // two epochs against one
    for (const m of [a, b, c]) m.dispose();
  });

  it('batchesPerEpoch reads on across epochs; a source that runs dry ends training with a warning', async () => {
    const parts = Array.from({ length: 10 }, (_, b) => batch(8, 4, 60 + b));
    wl.warnings.filter('ignore', 'data');
    try {
      const m = model(4);
      const seen: number[] = [];
      const history = await m.fitDataset(parts.values(), {
        epochs: 5, batchesPerEpoch: 4, verbose: 0, callbacks: { onBatchEnd: (b: number) => { seen.push(b); } },
      });
      // Epochs of 4, 4 and 2 batches; then dry.
      expect(history.epoch).toEqual([0, 1, 2]);
      expect(seen).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
      const once = model(4);
      const h2 = await once.fitDataset(parts.values(), { epochs: 3, verbose: 0 });
      expect(h2.epoch).toEqual([0]);
      m.dispose();
      once.dispose();
    } finally {
      wl.warnings.filter('default', 'data');
    }
  });

  it('names what is wrong with a dataset or a batch', async () => {
    const m = model(4);
    await expect(m.fitDataset(42 as never)).rejects.toThrow(/fitDataset: dataset must be a TF\.js Dataset, an async iterable or an iterable of \{ xs, ys \} batches; received 42/);
    await expect(m.fitDataset([] as never, { verbose: 0 })).rejects.toThrow(/fitDataset: the dataset gave no batches/);
    const good = batch(8, 4, 1);
    await expect(m.fitDataset([good, { xs: good.xs }] as never, { verbose: 0 })).rejects.toThrow(/fitDataset: batch 2 of the dataset must be \{ xs, ys \}/);
    await expect(m.fitDataset([good, { xs: batch(8, 5, 2).xs, ys: good.ys }], { verbose: 0 })).rejects.toThrow(/fitDataset: batch 2 xs/);
    await expect(m.fitDataset([good], { batchesPerEpoch: 0 })).rejects.toThrow(/fitDataset: batchesPerEpoch/);
    await expect(m.evaluateDataset([good], { batches: -1 })).rejects.toThrow(/evaluateDataset: batches/);
    // The refused calls freed what they took: the arena holds the model (weights, Adam's slots) alone.
    expect(wl.backendInfo().arenaBytesInUse).toBe(m.memoryBytes);
    m.dispose();
  });
});
