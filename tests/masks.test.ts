// Keras masks (issue 20): an embedding with maskZero or a masking layer marks padding steps, and
// the layers after it skip them (recurrent layers carry their state across them, attention leaves
// them out, average pooling over steps does not count them). TF.js propagates masks through its
// recurrent layers and Bidirectional: models it built are the reference for predictions and for
// gradients (tf.variableGrads); the pooling and attention layers TF.js lacks (or whose masks it
// ignores) are checked against f64 references of Keras' formulas and finite differences.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Sequential, input, layers, loadModel, model as functional, optimizers, setRandomSeed } from '../dist/index.js';
import { checkGradients, gradientsByName } from './gradient-check.js';
import { testRandom } from './reference.js';
import { artifactsOf } from './tfjs-files.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


/** n sequences of word indices in [1, vocabulary) of random lengths, padded with 0 after (odd rows: before). */
function padded(n: number, steps: number, vocabulary: number, seed: number): Float32Array {
  const next = testRandom(seed);
  const x = new Float32Array(n * steps);
  for (let i = 0; i < n; i++) {
    const length = 1 + Math.floor(next() * steps);
    for (let t = 0; t < steps; t++) {
      const inside = i % 2 ? t >= steps - length : t < length;
      x[i * steps + t] = inside ? 1 + Math.floor(next() * (vocabulary - 1)) : 0;
    }
  }
  return x;
}

/** Largest |a − b| over two arrays of one length. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

describe('masks through recurrent layers, against TF.js', () => {
  const n = 6, T = 7, V = 9;
  type Maker = (L: typeof tf.layers) => tf.layers.Layer[];
  const stacks: [string, Maker][] = [
    ['embedding(maskZero) → LSTM over every step → GRU (reset before) → dense', (L) => [L.embedding({ inputDim: V, outputDim: 4, inputLength: T, maskZero: true }), L.lstm({ units: 5, returnSequences: true }), L.gru({ units: 3, resetAfter: false }), L.dense({ units: 2 })]],
    ['→ a bidirectional SimpleRNN over every step → LSTM', (L) => [L.embedding({ inputDim: V, outputDim: 4, inputLength: T, maskZero: true }), L.bidirectional({ layer: L.simpleRNN({ units: 3, returnSequences: true }) as never }), L.lstm({ units: 2 })]],
    ['→ a bidirectional LSTM, last states', (L) => [L.embedding({ inputDim: V, outputDim: 4, inputLength: T, maskZero: true }), L.bidirectional({ layer: L.lstm({ units: 3 }) as never, mergeMode: 'sum' })]],
    ['→ GRU backwards over every step → dense on each step → LSTM backwards', (L) => [L.embedding({ inputDim: V, outputDim: 4, inputLength: T, maskZero: true }), L.gru({ units: 3, resetAfter: false, returnSequences: true, goBackwards: true }), L.dense({ units: 2 }), L.lstm({ units: 2, goBackwards: true })]],
  ];
  for (const [what, make] of stacks) {
    test(`${what}: the same predictions and weight gradients as TF.js`, async () => {
      const x = padded(n, T, V, 1);
      tf.util.seedrandom?.('1');
      const theirs = tf.sequential({ layers: make(tf.layers) });
      const xs = tf.tensor(x, [n, T]);
      const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
      const ours = await loadModel(await artifactsOf(theirs) as never);
      const got = ours.predict({ data: x, shape: [n, T] }).data;
      expect(worst(got, expected)).toBeLessThan(1e-6);
      // Without the mask the predictions differ: the padding matters here.
      const artifacts = await artifactsOf(theirs);
      const unmasked = await loadModel({ ...artifacts, modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology).replace(/"mask_zero":true/g, '"mask_zero":false')) } as never);
      expect(worst(unmasked.predict({ data: x, shape: [n, T] }).data, expected)).toBeGreaterThan(1e-5);
      const target = tf.randomNormal([n, got.length / n], 0, 1, 'float32', 5);
      const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(target, theirs.apply(xs) as tf.Tensor) as tf.Scalar, theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      ours.compile({ loss: 'mse', optimizer: 'sgd' });
      const { gradients } = ours.gradients({ data: x, shape: [n, T] }, { data: target.dataSync() as Float32Array, shape: target.shape });
      expect(ours.trainableWeights.map((w) => w.name)).toEqual(theirs.trainableWeights.map((w) => w.name));
      theirs.trainableWeights.forEach((w, i) => {
        const g = grads[(w as unknown as { val: tf.Variable }).val.name].dataSync();
        expect(worst(gradients[i].data, g), w.name).toBeLessThan(1e-6 + 1e-4 * Math.max(...Array.from(g, Math.abs)));
      });
      ours.dispose();
      unmasked.dispose();
      theirs.dispose();
    });
  }

  test('masking (maskValue −1) → LSTM over every step → SimpleRNN: as TF.js, and the padding steps are zero in its output', async () => {
    const next = testRandom(2);
    const x = Float32Array.from({ length: n * T * 3 }, () => next() * 2 - 1);
    // Pad the last steps of each row (a random count) with −1 in every feature.
    for (let i = 0; i < n; i++) for (let t = T - (i % 4); t < T; t++) for (let c = 0; c < 3; c++) x[(i * T + t) * 3 + c] = -1;
    const theirs = tf.sequential({ layers: [tf.layers.masking({ maskValue: -1, inputShape: [T, 3] }), tf.layers.lstm({ units: 4, returnSequences: true }), tf.layers.simpleRNN({ units: 2 })] });
    const expected = (theirs.predict(tf.tensor(x, [n, T, 3])) as tf.Tensor).dataSync();
    const ours = await loadModel(await artifactsOf(theirs) as never);
    expect(ours.layers[0].className).toBe('Masking');
    expect(worst(ours.predict({ data: x, shape: [n, T, 3] }).data, expected)).toBeLessThan(1e-6);
    const masking = new Sequential([layers.masking({ maskValue: -1, inputShape: [T, 3] })]);
    const zeroed = masking.predict({ data: x, shape: [n, T, 3] }).data;
    for (let i = 0; i < x.length; i++) expect(zeroed[i] + 0).toBe(x[i] === -1 && x[i - (i % 3)] === -1 && x[i - (i % 3) + 1] === -1 && x[i - (i % 3) + 2] === -1 ? 0 : x[i]);
    ours.dispose();
    masking.dispose();
    theirs.dispose();
  });
});

describe('masks through pooling and attention (f64 references of Keras\' formulas)', () => {
  const n = 4, T = 6, V = 7, D = 4;

  for (const kind of ['pooling', 'attention', 'multiHeadAttention'] as const) {
    test(`embedding(maskZero) → ${kind === 'pooling' ? '' : `${kind} over itself → `}global average pooling over the kept steps → dense: as the reference, gradients as finite differences, saved and loaded`, async () => {
      setRandomSeed(3);
      const x = padded(n, T, V, 4);
      const tokens = input({ shape: [T] });
      const embed = layers.embedding({ inputDim: V, outputDim: D, maskZero: true });
      const h = embed.apply(tokens);
      const att = kind === 'attention' ? layers.attention({ useScale: true }) : kind === 'multiHeadAttention' ? layers.multiHeadAttention({ numHeads: 2, keyDim: 2, biasInitializer: { name: 'randomNormal', seed: 5 } }) : undefined;
      const mixed = att ? att.apply([h, h]) : h;
      expect(mixed.mask).toBeDefined();
      const dense = layers.dense({ units: 2 });
      const m = functional({ inputs: tokens, outputs: dense.apply(layers.globalAveragePooling1d().apply(mixed)) });
      if (att && kind === 'attention') att.setWeights([{ data: Float32Array.from([0.7]), shape: [] }]);
      const owned = [embed, ...(att ? [att] : []), dense];
      const weights = new Map<unknown, Float64Array[]>(owned.map((l) => [l, l.getWeights().map((w) => Float64Array.from(w.data))]));
      const forward = (): Float64Array => {
        const [E] = weights.get(embed)!, [W, b] = weights.get(dense)!;
        const out = new Float64Array(n * 2);
        for (let s = 0; s < n; s++) {
          const ids = Array.from(x.subarray(s * T, (s + 1) * T)), kept = ids.map((v) => v !== 0);
          const e = ids.map((v) => Array.from({ length: D }, (_, c) => E[v * D + c]));
          let y = e;
          if (kind === 'attention') {
            // Keras' Attention: scores scale·q·k, −1e9 at padding keys; padding queries' outputs zeroed.
            const scale = weights.get(att!)![0][0];
            y = e.map((q, i) => {
              const scores = e.map((k, j) => scale * q.reduce((sum, qc, c) => sum + qc * k[c], 0) - (kept[j] ? 0 : 1e9));
              const top = Math.max(...scores), w = scores.map((z) => Math.exp(z - top)), total = w.reduce((a, b2) => a + b2, 0);
              return Array.from({ length: D }, (_, c) => (kept[i] ? e.reduce((sum, v, j) => sum + (w[j] / total) * v[c], 0) : 0));
            });
          } else if (kind === 'multiHeadAttention') {
            // Keras 3: positions (i, j) with a padding query or key get −1e9.
            const [Wq, bq, Wk, bk, Wv, bv, Wo, bo] = weights.get(att!)!;
            const proj = (W2: Float64Array, b2: Float64Array) => e.map((v) => Array.from({ length: 4 }, (_, j) => b2[j] + v.reduce((sum, vc, c) => sum + vc * W2[c * 4 + j], 0)));
            const Q = proj(Wq, bq), K = proj(Wk, bk), Vv = proj(Wv, bv);
            y = e.map((_, i) => {
              const o = new Array<number>(4).fill(0);
              for (let head = 0; head < 2; head++) {
                const scores = K.map((k, j) => (Q[i][head * 2] * k[head * 2] + Q[i][head * 2 + 1] * k[head * 2 + 1]) / Math.SQRT2 - (kept[i] && kept[j] ? 0 : 1e9));
                const top = Math.max(...scores), w = scores.map((z) => Math.exp(z - top)), total = w.reduce((a, b2) => a + b2, 0);
                for (let c = 0; c < 2; c++) o[head * 2 + c] = Vv.reduce((sum, v, j) => sum + (w[j] / total) * v[head * 2 + c], 0);
              }
              return Array.from({ length: D }, (_, j) => bo[j] + o.reduce((sum, oc, c) => sum + oc * Wo[c * D + j], 0));
            });
          }
          const count = kept.filter(Boolean).length;
          const mean = Array.from({ length: D }, (_, c) => y.reduce((sum, v, t) => sum + (kept[t] ? v[c] : 0), 0) / count);
          for (let j = 0; j < 2; j++) out[s * 2 + j] = b[j] + mean.reduce((sum, v, c) => sum + v * W[c * 2 + j], 0);
        }
        return out;
      };
      const predicted = m.predict({ data: x, shape: [n, T] }).data;
      expect(worst(predicted, forward())).toBeLessThan(2e-6);
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      const target = Float32Array.from({ length: n * 2 }, (_, i) => (i % 3) - 1);
      const { gradients } = m.gradients({ data: x, shape: [n, T] }, { data: target, shape: [n, 2] });
      const loss = () => forward().reduce((sum, o, i) => sum + (o - target[i]) ** 2, 0) / target.length;
      expect(checkGradients(owned, weights, gradientsByName(m, gradients), loss)).toBeGreaterThan(30);
      // Saved: the mask's own nodes are not layers of the file; loaded, they are made again.
      const bytes = m.toBytes();
      const loaded = await loadModel(bytes);
      expect(loaded.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
      expect(loaded.layers.some((l) => l.className === 'ComputeMask')).toBe(false);
      expect(Array.from(loaded.predict({ data: x, shape: [n, T] }).data)).toEqual(Array.from(predicted));
      loaded.dispose();
      m.dispose();
    });
  }
});

describe('losses and metrics of a masked output (Keras 3: means over the kept steps)', () => {
  test('a tagger over padded sentences: the loss and accuracy count only real words, padding targets change nothing, and the gradients are those of that mean', async () => {
    setRandomSeed(12);
    const n = 6, T = 7, V = 9, C = 3;
    const x = padded(n, T, V, 13);
    const next = testRandom(14);
    const labels = Float32Array.from({ length: n * T }, () => Math.floor(next() * C));
    const m = new Sequential([
      layers.embedding({ inputDim: V, outputDim: 4, inputLength: T, maskZero: true }),
      layers.lstm({ units: 5, returnSequences: true }),
      layers.timeDistributed({ layer: layers.dense({ units: C, activation: 'softmax' }) }),
    ]);
    m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
    const data = { data: x, shape: [n, T] }, target = (y: Float32Array) => ({ data: y, shape: [n, T] });
    // The reference: from the predicted probabilities, the mean over the real words only.
    const reference = () => {
      const p = m.predict(data).data;
      let loss = 0, right = 0, kept = 0;
      for (let r = 0; r < n * T; r++) {
        if (x[r] === 0) continue;
        const row = Array.from(p.subarray(r * C, (r + 1) * C));
        loss -= Math.log(row[labels[r]]);
        right += row.indexOf(Math.max(...row)) === labels[r] ? 1 : 0;
        kept++;
      }
      return { loss: loss / kept, accuracy: right / kept };
    };
    const expected = reference();
    const [loss, accuracy] = (await m.evaluate(data, target(labels))) as number[];
    expect(Math.abs(loss - expected.loss)).toBeLessThan(1e-5);
    expect(accuracy).toBeCloseTo(expected.accuracy, 6);
    // Other targets at the padding: the same loss and gradients.
    const otherPadding = Float32Array.from(labels, (l, r) => (x[r] === 0 ? (l + 1) % C : l));
    const a = m.gradients(data, target(labels)), b = m.gradients(data, target(otherPadding));
    expect(b.loss).toBe(a.loss);
    a.gradients.forEach((g, k) => expect(Array.from(b.gradients[k].data)).toEqual(Array.from(g.data)));
    // The gradients of the masked mean: central differences of the reference loss in the output layer's weights.
    const weights = m.getWeights(), last = weights.length - 2;
    for (let e = 0; e < weights[last].data.length; e += 2) {
      const at = (v: number) => {
        m.setWeights(weights.map((u, j) => (j === last ? { data: Float32Array.from(u.data, (d, i) => (i === e ? v : d)), shape: u.shape } : u)));
        return reference().loss;
      };
      const numeric = (at(weights[last].data[e] + 1e-2) - at(weights[last].data[e] - 1e-2)) / 2e-2;
      m.setWeights(weights);
      expect(Math.abs(a.gradients[last].data[e] - numeric), `kernel[${e}]`).toBeLessThan(5e-4 + 1e-2 * Math.abs(numeric));
    }
    m.dispose();
  });
});

describe('training with masks', () => {
  test('an LSTM reading padded sentences learns what only the last real word tells, with the same bits on 1, 2 and 4 threads', async () => {
    const T = 10, V = 6;
    // The label is whether the last real word is 1 or 2; rows are padded with 0 after it.
    const make = (count: number, seed: number) => {
      const next = testRandom(seed);
      const x = new Float32Array(count * T), y = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const length = 2 + Math.floor(next() * (T - 2));
        for (let t = 0; t < length - 1; t++) x[i * T + t] = 1 + Math.floor(next() * (V - 1));
        y[i] = next() < 0.5 ? 1 : 0;
        x[i * T + length - 1] = y[i] ? 1 : 2;
      }
      return { x: { data: x, shape: [count, T] }, y: { data: y, shape: [count, 1] } };
    };
    const train = make(512, 8), check = make(256, 9);
    const run = async (threads: number) => {
      const { init } = await import('../dist/index.js');
      await init({ threads });
      setRandomSeed(10);
      const m = new Sequential([
        layers.embedding({ inputDim: V, outputDim: 8, inputLength: T, maskZero: true }),
        layers.lstm({ units: 12 }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
      await m.fit(train.x, train.y, { epochs: 8, batchSize: 32, verbose: 0, seed: 11 });
      const p = Float32Array.from(m.predict(check.x).data);
      const [, accuracy] = (await m.evaluate(check.x, check.y)) as number[];
      m.dispose();
      return { p, accuracy };
    };
    const one = await run(1), two = await run(2), four = await run(4);
    const { init } = await import('../dist/index.js');
    await init({ threads: 2 });
    expect(two.p).toEqual(one.p);
    expect(four.p).toEqual(one.p);
    expect(one.accuracy).toBeGreaterThan(0.95);
  });
});
