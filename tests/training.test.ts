// What one training step does, against independent references: each optimizer's update rule
// (Keras 3's formulas, transcribed in f64), dropout's masks, the stability of the fused
// cross-entropies, the metrics, the progress output and the arena during fit.
import { describe, expect, test } from 'vitest';
import { Sequential, backendInfo, layers, optimizers, setRandomSeed, toCategorical, type Tensor } from '../dist/index.js';
import { testRandom } from './reference.js';

const next = testRandom(12);
const n = 16;
const x = { data: Float32Array.from({ length: n * 3 }, () => next() * 2 - 1), shape: [n, 3] };
const y = toCategorical(Float32Array.from({ length: n }, (_, i) => i % 2), 2);

type Rule = (w: Float64Array, g: Float32Array, state: Float64Array[], t: number) => void;

/** Keras 3's update rules (keras/src/optimizers/*.py), one weight array at a time, in f64. */
const RULES: [string, () => ReturnType<typeof optimizers.sgd>, number, Rule][] = [
  ['sgd', () => optimizers.sgd({ learningRate: 0.1 }), 0, (w, g) => {
    for (let i = 0; i < w.length; i++) w[i] -= 0.1 * g[i];
  }],
  ['sgd with momentum', () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), 1, (w, g, [v]) => {
    for (let i = 0; i < w.length; i++) {
      v[i] = 0.9 * v[i] - 0.1 * g[i];
      w[i] += v[i];
    }
  }],
  ['sgd with Nesterov momentum', () => optimizers.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }), 1, (w, g, [v]) => {
    for (let i = 0; i < w.length; i++) {
      v[i] = 0.8 * v[i] - 0.05 * g[i];
      w[i] += 0.8 * v[i] - 0.05 * g[i];
    }
  }],
  ['adam', () => optimizers.adam({ learningRate: 0.01 }), 2, (w, g, [m, v], t) => {
    const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - 0.9);
      v[i] += (g[i] * g[i] - v[i]) * (1 - 0.999);
      w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + 1e-7);
    }
  }],
  ['rmsprop', () => optimizers.rmsprop({ learningRate: 0.01 }), 1, (w, g, [s]) => {
    for (let i = 0; i < w.length; i++) {
      s[i] = 0.9 * s[i] + 0.1 * g[i] * g[i];
      w[i] -= (0.01 * g[i]) / (Math.sqrt(s[i]) + 1e-7);
    }
  }],
  ['adagrad', () => optimizers.adagrad({ learningRate: 0.1 }), 1, (w, g, [a]) => {
    for (let i = 0; i < w.length; i++) {
      a[i] += g[i] * g[i];
      w[i] -= (0.1 * g[i]) / (Math.sqrt(a[i]) + 1e-7);
    }
  }],
];

describe.each(RULES)('%s', (_name, make, slots, rule) => {
  test('three fit steps follow the update rule applied to the model gradients', async () => {
    setRandomSeed(2);
    const model = new Sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), layers.dense({ units: 2, activation: 'softmax' })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: make() });
    const reference = model.getWeights().map((w) => Float64Array.from(w.data));
    const state = reference.map((w) => Array.from({ length: slots }, () => new Float64Array(w.length).fill(_name === 'adagrad' ? 0.1 : 0)));
    for (let t = 1; t <= 3; t++) {
      const { gradients } = model.gradients(x, y);
      await model.fit(x, y, { batchSize: n, epochs: 1, shuffle: false, verbose: 0 });
      reference.forEach((w, k) => rule(w, gradients[k].data, state[k], t));
      model.getWeights().forEach((w: Tensor, k: number) => {
        for (let i = 0; i < w.size; i++) expect(Math.abs(w.data[i] - reference[k][i])).toBeLessThan(2e-6 * Math.max(1, Math.abs(reference[k][i])));
      });
    }
    model.dispose();
  });
});

describe('dropout', () => {
  test('drops a fraction `rate` of the units while training, scales the rest by 1 / (1 − rate), and is the identity at inference', () => {
    const d = 4000;
    const rate = 0.3;
    const model = new Sequential([
      layers.dense({ units: d, useBias: false, inputShape: [1], kernelInitializer: 'ones' }),
      layers.dropout({ rate }),
      layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' }),
    ]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    // Inference: y = Σ_j 1 · x = d·x.
    expect(model.predict([[0.5]]).data[0]).toBeCloseTo(d * 0.5, 3);
    // Training, t = 0: dL/dW2[j] = h_j · 2y, h_j = mask_j · 1 for x = 1; zero exactly where dropped.
    const { gradients } = model.gradients([[1]], [[0]], { seed: 5 });
    const g2 = gradients[1].data;
    const dropped = g2.filter((v) => v === 0).length;
    const sd = Math.sqrt(d * rate * (1 - rate));
    expect(Math.abs(dropped - d * rate)).toBeLessThan(4 * sd);
    // Kept units: h_j = 1 / (1 − rate), so every non-zero gradient is the same; the output is Σ h_j.
    const kept = g2.filter((v) => v !== 0);
    const h = 1 / (1 - rate);
    const output = (d - dropped) * h;
    for (const v of kept) expect(v).toBeCloseTo(h * 2 * output, 0);
    // The first layer's gradient flows through the same mask.
    const g1 = gradients[0].data;
    for (let j = 0; j < d; j++) expect(g1[j] === 0).toBe(g2[j] === 0);
    // The same seed draws the same mask; another seed another one.
    expect(Array.from(model.gradients([[1]], [[0]], { seed: 5 }).gradients[1].data)).toEqual(Array.from(g2));
    expect(Array.from(model.gradients([[1]], [[0]], { seed: 6 }).gradients[1].data)).not.toEqual(Array.from(g2));
    model.dispose();
  });
});

describe('numerical stability', () => {
  test('softmax + cross-entropy with logits of ±1000: finite loss (clipped as Keras) and the exact gradient p − t', () => {
    const model = new Sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [1], kernelInitializer: 'zeros' })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    model.setWeights([[[1000, -1000, 0]], [0, 0, 0]]);
    const { loss, gradients } = model.gradients([[1]], [[0, 1, 0]]);
    // p = [1, 0, 0]: the loss is −log(1e-7) (Keras' clip), the gradient of the logits p − t.
    expect(loss).toBeCloseTo(-Math.log(1e-7), 4);
    expect(Array.from(gradients[0].data)).toEqual([1, -1, 0]);
    expect(Array.from(gradients[1].data)).toEqual([1, -1, 0]);
  });

  test('sigmoid + binary cross-entropy with logits of ±1000: finite loss and gradient p − t', () => {
    const model = new Sequential([layers.dense({ units: 2, activation: 'sigmoid', inputShape: [1] })]);
    model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
    model.setWeights([[[1000, -1000]], [0, 0]]);
    const { loss, gradients } = model.gradients([[1]], [[0, 0]]);
    expect(Number.isFinite(loss)).toBe(true);
    // dL/dz = (p − t) / units: [(1 − 0) / 2, (0 − 0) / 2]
    expect(Array.from(gradients[1].data)).toEqual([0.5, 0]);
  });
});

describe('metrics, progress, memory', () => {
  test('the mse metric next to a cross-entropy loss is the mean squared error of the probabilities', async () => {
    setRandomSeed(8);
    const model = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd', metrics: ['mse', 'accuracy'] });
    const [, mse, accuracy] = await model.evaluate(x, y);
    const p = model.predict(x).data;
    let sum = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      sum += ((p[2 * i] - y.data[2 * i]) ** 2 + (p[2 * i + 1] - y.data[2 * i + 1]) ** 2) / 2;
      if ((p[2 * i + 1] > p[2 * i] ? 1 : 0) === i % 2) correct++;
    }
    expect(mse).toBeCloseTo(sum / n, 6);
    expect(accuracy).toBe(correct / n);
    model.dispose();
  });

  test('verbose 2 writes one Keras-style line per epoch to stderr; the arena holds the same bytes at every batch', async () => {
    const model = new Sequential([layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), layers.dense({ units: 2, activation: 'softmax' })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    const arena = new Set<number>();
    try {
      await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 2, callbacks: { onBatchEnd: () => void arena.add(backendInfo().arenaBytesInUse) } });
    } finally {
      process.stderr.write = write;
    }
    const text = written.join('');
    expect(text).toMatch(/^Epoch 1\/2\n\d+(\.\d+)?m?s \d+(\.\d+)?m?s\/step - loss: \d\.\d+ - accuracy: \d(\.\d+)?\nEpoch 2\/2\n/);
    expect(arena.size).toBe(1);
    model.dispose();
  });
});

describe('frozen layers', () => {
  test('layers before the first trainable one get no backward pass: memory below the heap is never written', async () => {
    const src = await import('../src/index.js');
    const { backend, init } = await import('../src/runtime/backend.js');
    const { readFileSync } = await import('node:fs');
    // The source tree's own core (dist's is another module instance), from the built .wasm.
    await init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
    const be = backend();
    // The first 1 KB of memory holds nothing (static data starts above it): fill it with 1.0s, so
    // that a pass writing through a null gradient pointer would change it.
    new Float32Array(be.memory.buffer, 0, 256).fill(1);
    const low = () => new Uint8Array(be.memory.buffer, 0, be.exports.heapBase()).slice();
    const before = low();
    const model = new src.Sequential([
      src.layers.dense({ units: 16, activation: 'tanh', inputShape: [3], trainable: false }),
      src.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(low()).toEqual(before);
    model.dispose();
  });
});
