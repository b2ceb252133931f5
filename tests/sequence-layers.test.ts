// Sequence models' first layers (issue 20): embedding, layerNormalization, simpleRNN, lstm, gru, bidirectional and timeDistributed. Their forward
// values and gradients are in the layer harness (layers.test.ts); here, models that TF.js
// trained and saved with them load and predict the same, wasmlearn trains them, and their bad
// inputs and options are refused with clear messages.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Sequential, ValueError, backendInfo, input, layers, loadModel, model as functional, optimizers, setRandomSeed, type Layer } from '../dist/index.js';
import { refForward, type RefLayer } from './nn-reference.js';
import { checkGradients, checkSeededGradients, gradientsByName } from './gradient-check.js';
import { testRandom } from './reference.js';
import { artifactsOf } from './tfjs-files.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** n sequences of `length` word indices below `vocabulary`; the label: whether word 1 occurs more often than word 2. */
/**
 * A model of one scalar output per sample against its f64 reference `forward`: the predictions
 * within 2e-6, and the gradients of the mean squared error against `target` within finite
 * differences of every weight of `owned` (`weights`, the f64 copies `forward` reads), and a saved
 * and loaded copy predicting the same bits. Resolves to how many gradient entries were checked.
 */
async function againstReference(m: ReturnType<typeof functional>, inputs: { data: Float32Array; shape: number[] }[], forward: () => Float64Array,
  target: Float32Array, owned: Layer[], weights: Map<Layer, Float64Array[]>): Promise<number> {
  const n = target.length;
  const predicted = m.predict(inputs).data, reference = forward();
  for (let i = 0; i < n; i++) expect(Math.abs(predicted[i] - reference[i])).toBeLessThan(2e-6);
  const loss = () => forward().reduce((sum, o, i) => sum + (o - target[i]) ** 2, 0) / n;
  const { gradients } = m.gradients(inputs, { data: target, shape: [n, 1] });
  const checked = checkGradients(owned, weights, gradientsByName(m, gradients), loss, { absolute: 1e-4, relative: 1e-3 });
  const loaded = await loadModel(m.toBytes());
  expect(Array.from(loaded.predict(inputs).data)).toEqual(Array.from(predicted));
  loaded.dispose();
  return checked;
}

function sentences(n: number, length: number, vocabulary: number, seed: number): { x: Float32Array; y: Float32Array } {
  const next = testRandom(seed);
  const x = Float32Array.from({ length: n * length }, () => Math.floor(next() * vocabulary));
  const y = Float32Array.from({ length: n }, (_, i) => {
    const words = x.subarray(i * length, (i + 1) * length);
    return words.filter((w) => w === 1).length > words.filter((w) => w === 2).length ? 1 : 0;
  });
  return { x, y };
}

describe('embedding and layerNormalization', () => {
  test('a text classifier trained and saved by TF.js loads in wasmlearn and predicts the same', async () => {
    const { x, y } = sentences(64, 10, 12, 1);
    const theirs = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 12, outputDim: 8, inputLength: 10 }),
        tf.layers.layerNormalization({ epsilon: 1e-4 }),
        tf.layers.globalAveragePooling1d({}),
        tf.layers.dense({ units: 6, activation: 'relu' }),
        // (TF.js cannot train a layerNormalization with center: false — its gradient reads the missing β — so both have β here.)
        tf.layers.layerNormalization({ axis: -1 }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) });
    const xs = tf.tensor(x, [64, 10]);
    await theirs.fit(xs, tf.tensor(y, [64, 1]), { epochs: 3, verbose: 0 });
    const artifacts = await artifactsOf(theirs);
    const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
    const ours = await loadModel(artifacts as never);
    expect(ours.layers.map((l) => l.className)).toEqual(['Embedding', 'LayerNormalization', 'GlobalAveragePooling1D', 'Dense', 'LayerNormalization', 'Dense']);
    const got = ours.predict({ data: x, shape: [64, 10] }).data;
    for (let i = 0; i < 64; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
    // And back: wasmlearn's TF.js artifacts load in TF.js with the same weights.
    const again = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as unknown as tf.io.ModelArtifacts));
    const back = (again.predict(xs) as tf.Tensor).dataSync();
    for (let i = 0; i < 64; i++) expect(Math.abs(back[i] - expected[i])).toBeLessThan(1e-5);
    ours.dispose();
    again.dispose();
    theirs.dispose();
  });

  test('wasmlearn trains an embedding classifier (word counts) well above chance, with no memory left behind', async () => {
    setRandomSeed(3);
    const before = backendInfo().arenaBytesInUse;
    const train = sentences(512, 12, 10, 2), test = sentences(256, 12, 10, 3);
    const m = new Sequential([
      layers.embedding({ inputDim: 10, outputDim: 8, inputLength: 12 }),
      layers.layerNormalization(),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 16, activation: 'relu' }),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    m.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
    await m.fit({ data: train.x, shape: [512, 12] }, { data: train.y, shape: [512, 1] }, { epochs: 30, batchSize: 32, verbose: 0 });
    const p = m.predict({ data: test.x, shape: [256, 12] }).data;
    const accuracy = Array.from(test.y).filter((t, i) => (p[i] > 0.5 ? 1 : 0) === t).length / 256;
    // A majority-class guess scores the larger class's share; the counts of two words decide the label.
    const majority = Math.max(...[0, 1].map((c) => Array.from(test.y).filter((t) => t === c).length / 256));
    expect(accuracy).toBeGreaterThan(Math.max(0.8, majority + 0.15));
    m.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });

  test('a functional model shares one embedding between two inputs and sums its gradient from both', async () => {
    setRandomSeed(4);
    const a = input({ shape: [3] }), b = input({ shape: [3] });
    const shared = layers.embedding({ inputDim: 5, outputDim: 2 });
    const out = layers.dense({ units: 1 }).apply(layers.flatten().apply(layers.add().apply([shared.apply(a), shared.apply(b)])));
    const m = functional({ inputs: [a, b], outputs: out });
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const xa = Float32Array.from([0, 1, 2, 4, 4, 3]), xb = Float32Array.from([1, 1, 0, 2, 3, 4]);
    const table = Float64Array.from(shared.getWeights()[0].data), kernel = Float64Array.from(m.layers.at(-1)!.getWeights()[0].data);
    const bias = m.layers.at(-1)!.getWeights()[1].data[0];
    const target = Float32Array.from([0.5, -0.5]);
    const { gradients } = m.gradients([{ data: xa, shape: [2, 3] }, { data: xb, shape: [2, 3] }], { data: target, shape: [2, 1] });
    // mse: dL/dout = 2(out − t)/2 per sample; each position's embedding row gets kernel-weighted dL/dout, from both inputs.
    const expected = new Float64Array(10);
    for (let s = 0; s < 2; s++) {
      let o = bias;
      for (let p = 0; p < 3; p++) for (let j = 0; j < 2; j++) o += (table[xa[s * 3 + p] * 2 + j] + table[xb[s * 3 + p] * 2 + j]) * kernel[p * 2 + j];
      const d = (o - target[s]);
      for (const xs of [xa, xb]) for (let p = 0; p < 3; p++) for (let j = 0; j < 2; j++) expected[xs[s * 3 + p] * 2 + j] += d * kernel[p * 2 + j];
    }
    const got = gradients[0].data;
    for (let i = 0; i < 10; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
    m.dispose();
  });

  test('refusals: an index outside the vocabulary or not whole, bad options, axes that are not the last ones', () => {
    const m = new Sequential([layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 3 })]);
    expect(() => m.predict({ data: Float32Array.from([0, 1, 2, 3, 4, 0]), shape: [2, 3] })).toThrow(/input holds 4 at sample 1, position 1; indices must be integers in \[0, 4\)/);
    expect(() => m.predict({ data: Float32Array.from([0, 1.5, 2]), shape: [1, 3] })).toThrow(/input holds 1\.5 at sample 0, position 1/);
    expect(() => m.predict({ data: Float32Array.from([-1, 1, 2]), shape: [1, 3] })).toThrow(ValueError);
    // The model keeps working after a refusal.
    expect(m.predict({ data: Float32Array.from([3, 2, 1]), shape: [1, 3] }).shape).toEqual([1, 3, 2]);
    m.dispose();
    expect(() => layers.embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim must be a positive integer/);
    expect(() => layers.embedding({ inputDim: 3, outputDim: 2.5 })).toThrow(/outputDim must be a positive integer/);
    expect(() => new Sequential([layers.embedding({ inputDim: 3, outputDim: 2, maskZero: true, inputShape: [2, 3] })])).toThrow(/maskZero masks the steps of sequences, inputs \[steps\] per sample; received \[2, 3\]/);
    expect(() => layers.embedding({ inputDim: 3, outputDim: 2, inputLength: 0 })).toThrow(/inputLength must be a positive integer/);
    expect(() => layers.layerNormalization({ axis: 0 })).toThrow(/axis must be a non-zero integer/);
    expect(() => layers.layerNormalization({ epsilon: 0 })).toThrow(/epsilon must be > 0/);
    expect(() => new Sequential([layers.layerNormalization({ axis: 1, inputShape: [3, 4] })])).toThrow(/must name the last axes of inputs of rank 3/);
    expect(() => new Sequential([layers.layerNormalization({ axis: 3, inputShape: [3, 4] })])).toThrow(/axis 3 is outside inputs of rank 3/);
  });
});

describe('simpleRNN, lstm and gru', () => {
  test('LSTM and SimpleRNN models trained and saved by TF.js (its hardSigmoid gates) load in wasmlearn and predict the same', async () => {
    const { x, y } = sentences(48, 8, 9, 5);
    const xs = tf.tensor(x, [48, 8]);
    for (const recurrent of [
      [tf.layers.lstm({ units: 6, returnSequences: true }), tf.layers.lstm({ units: 5, goBackwards: true })],
      [tf.layers.simpleRNN({ units: 7, returnSequences: true, goBackwards: true }), tf.layers.globalMaxPooling1d({})],
    ]) {
      const theirs = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 9, outputDim: 4, inputLength: 8 }), ...recurrent, tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
      theirs.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) });
      await theirs.fit(xs, tf.tensor(y, [48, 1]), { epochs: 2, verbose: 0 });
      const artifacts = await artifactsOf(theirs);
      const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
      const ours = await loadModel(artifacts as never);
      const got = ours.predict({ data: x, shape: [48, 8] }).data;
      for (let i = 0; i < 48; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
      ours.dispose();
      theirs.dispose();
    }
  });

  test('wasmlearn trains an LSTM to tell which of two words comes first, with the same bits on 1, 2 and 4 threads', async () => {
    // The label needs order, which a bag of words cannot see: does word 1 occur before word 2?
    const make = (n: number, seed: number) => {
      const next = testRandom(seed);
      const x = new Float32Array(n * 8), y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < 8; t++) x[i * 8 + t] = 3 + Math.floor(next() * 5);
        const a = Math.floor(next() * 8);
        let b = Math.floor(next() * 7);
        if (b >= a) b++;
        x[i * 8 + a] = 1;
        x[i * 8 + b] = 2;
        y[i] = a < b ? 1 : 0;
      }
      return { x, y };
    };
    const train = make(512, 6), test = make(256, 7);
    const fit = async (threads: number) => {
      const { init } = await import('../dist/index.js');
      await init({ threads });
      setRandomSeed(8);
      const m = new Sequential([
        layers.embedding({ inputDim: 8, outputDim: 6, inputLength: 8 }),
        layers.lstm({ units: 12 }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.adam({ learningRate: 0.02 }) });
      await m.fit({ data: train.x, shape: [512, 8] }, { data: train.y, shape: [512, 1] }, { epochs: 25, batchSize: 32, verbose: 0 });
      const p = Float32Array.from(m.predict({ data: test.x, shape: [256, 8] }).data);
      m.dispose();
      return p;
    };
    const one = await fit(1), two = await fit(2), four = await fit(4);
    expect(two).toEqual(one);
    expect(four).toEqual(one);
    const { init } = await import('../dist/index.js');
    await init({ threads: 2 });
    const accuracy = Array.from(test.y).filter((t, i) => (one[i] > 0.5 ? 1 : 0) === t).length / 256;
    expect(accuracy).toBeGreaterThan(0.9);
  });

  test('Keras 3 JSON (snake_case) of a GRU with reset_after true and its two biases loads and predicts as the f64 reference; Keras 2 / TF.js files (reset after false) as TF.js', async () => {
    setRandomSeed(10);
    const made = new Sequential([layers.gru({ units: 5, returnSequences: true, inputShape: [6, 3], biasInitializer: { name: 'randomNormal', seed: 19 } }), layers.gru({ units: 2 })]);
    const artifacts = made.toTfjs() as unknown as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } };
    expect(made.layers[0].getWeights()[2].shape).toEqual([2, 15]);
    const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const layer of artifacts.modelTopology.config.layers) layer.config = Object.fromEntries(Object.entries(layer.config).map(([k, v]) => [snake(k), v]));
    expect(artifacts.modelTopology.config.layers[0].config.reset_after).toBe(true);
    const loaded = await loadModel(artifacts as never);
    const next = testRandom(11);
    const x = Float32Array.from({ length: 4 * 18 }, () => next() * 2 - 1);
    const got = loaded.predict({ data: x, shape: [4, 6, 3] }).data;
    const ref = refForward(loaded.layers as unknown as RefLayer[], Float64Array.from(x), 4, loaded.layers.map((l) => l.getWeights().map((w) => Float64Array.from(w.data))));
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(2e-6);
    loaded.dispose();
    made.dispose();
    // TF.js' own GRU (reset before) trained and saved: the same predictions here.
    const { x: words, y } = sentences(32, 7, 6, 12);
    const xs = tf.tensor(words, [32, 7]);
    const theirs = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 6, outputDim: 3, inputLength: 7 }), tf.layers.gru({ units: 4 }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) });
    await theirs.fit(xs, tf.tensor(y, [32, 1]), { epochs: 2, verbose: 0 });
    const saved = await artifactsOf(theirs);
    const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
    const ours = await loadModel(saved as never);
    const mine = ours.predict({ data: words, shape: [32, 7] }).data;
    for (let i = 0; i < 32; i++) expect(Math.abs(mine[i] - expected[i])).toBeLessThan(1e-5);
    ours.dispose();
    theirs.dispose();
  });

  test('a bidirectional LSTM (the captcha readers\' layer) trained and saved by TF.js loads and predicts the same; wasmlearn trains one', async () => {
    const { x, y } = sentences(40, 8, 9, 13);
    const xs = tf.tensor(x, [40, 8]);
    const theirs = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 9, outputDim: 4, inputLength: 8 }),
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 5, returnSequences: true }) as never }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as never, mergeMode: 'ave' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) });
    await theirs.fit(xs, tf.tensor(y, [40, 1]), { epochs: 2, verbose: 0 });
    const saved = await artifactsOf(theirs);
    const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
    const ours = await loadModel(saved as never);
    expect(ours.layers.map((l) => l.className)).toEqual(['Embedding', 'Bidirectional', 'Bidirectional', 'Dense']);
    const got = ours.predict({ data: x, shape: [40, 8] }).data;
    for (let i = 0; i < 40; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
    // Trained further here: the loss goes down and the weights stay under the wrapper's names.
    ours.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.adam({ learningRate: 0.02 }) });
    const history = await ours.fit({ data: x, shape: [40, 8] }, { data: y, shape: [40, 1] }, { epochs: 5, batchSize: 8, verbose: 0 });
    expect(history.history.loss[4]).toBeLessThan(history.history.loss[0]);
    expect(ours.weights.map((w) => w.name).filter((name) => name.includes('/forward_') || name.includes('/backward_')).length).toBe(12);
    ours.dispose();
    theirs.dispose();
  });

  test('timeDistributed layers saved by TF.js load and predict the same', async () => {
    const next = testRandom(14);
    const x = Float32Array.from({ length: 12 * 5 * 3 }, () => next() * 2 - 1);
    const theirs = tf.sequential({
      layers: [
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, activation: 'relu' }), inputShape: [5, 3] }),
        tf.layers.simpleRNN({ units: 3, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'softmax' }) }),
      ],
    });
    const saved = await artifactsOf(theirs);
    const expected = (theirs.predict(tf.tensor(x, [12, 5, 3])) as tf.Tensor).dataSync();
    const ours = await loadModel(saved as never);
    expect(ours.outputShape).toEqual([5, 2]);
    const got = ours.predict({ data: x, shape: [12, 5, 3] }).data;
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
    ours.dispose();
    theirs.dispose();
    expect(() => layers.timeDistributed({ layer: 'dense' as never })).toThrow(/layer must be a layer/);
    expect(() => new Sequential([layers.timeDistributed({ layer: layers.dense({ units: 2 }), inputShape: [4] })])).toThrow(/needs inputs of shape \[steps, \.\.\.\] per sample \(rank ≥ 2\); received \[4\]/);
  });

  test('sequences of any length: input({ shape: [null, features] }) → timeDistributed dense → lstm → bidirectional gru predicts each length as a model built for it (the wrappers\' layers follow their shared weights)', async () => {
    setRandomSeed(15);
    const x = input({ shape: [null, 3] });
    const h = layers.lstm({ units: 4, returnSequences: true }).apply(layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'tanh' }) }).apply(x));
    const out = layers.dense({ units: 1 }).apply(layers.bidirectional({ layer: layers.gru({ units: 2, resetAfter: false }) }).apply(h));
    const m = functional({ inputs: x, outputs: out });
    expect(x.shape).toEqual([null, 3]);
    for (const steps of [5, 9, 2]) {
      const fixed = new Sequential([layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'tanh' }), inputShape: [steps, 3] }), layers.lstm({ units: 4, returnSequences: true }), layers.bidirectional({ layer: layers.gru({ units: 2, resetAfter: false }) }), layers.dense({ units: 1 })]);
      fixed.setWeights(m.getWeights());
      const data = Float32Array.from({ length: 2 * steps * 3 }, (_, i) => Math.sin(i * 0.7));
      expect(Array.from(m.predict({ data, shape: [2, steps, 3] }).data)).toEqual(Array.from(fixed.predict({ data, shape: [2, steps, 3] }).data));
      fixed.dispose();
    }
    m.dispose();
  });

  test('unitForgetBias starts the forget gate\'s bias at 1 in an LSTM alone and in both layers of a bidirectional one', () => {
    const units = 3, expected = Array.from({ length: 4 * units }, (_, i) => (i >= units && i < 2 * units ? 1 : 0));
    const alone = new Sequential([layers.lstm({ units, inputShape: [2, 2] })]);
    expect(Array.from(alone.layers[0].getWeights()[2].data)).toEqual(expected);
    const both = new Sequential([layers.bidirectional({ layer: layers.lstm({ units }), inputShape: [2, 2] })]);
    const weights = both.layers[0].getWeights();
    expect(Array.from(weights[2].data)).toEqual(expected);
    expect(Array.from(weights[5].data)).toEqual(expected);
    // Saved as Keras saves it: the bias initializer itself, and unit_forget_bias beside it.
    expect(alone.layers[0].getConfig()).toMatchObject({ biasInitializer: { class_name: 'Zeros' }, unitForgetBias: true });
    alone.dispose();
    both.dispose();
  });

  test('the orthogonal initializer gives orthonormal columns (or rows), scaled by gain', () => {
    for (const [rows, cols, gain] of [[6, 4, 1], [3, 12, 2]] as const) {
      const m = new Sequential([layers.dense({ units: cols, inputShape: [rows], kernelInitializer: { name: 'orthogonal', gain, seed: 9 } })]);
      const w = m.layers[0].getWeights()[0].data;
      const [outer, inner] = rows >= cols ? [cols, rows] : [rows, cols];
      for (let a = 0; a < outer; a++) {
        for (let b = 0; b < outer; b++) {
          let dot = 0;
          for (let k = 0; k < inner; k++) dot += rows >= cols ? w[k * cols + a] * w[k * cols + b] : w[a * cols + k] * w[b * cols + k];
          expect(Math.abs(dot - (a === b ? gain * gain : 0))).toBeLessThan(1e-5);
        }
      }
      m.dispose();
    }
  });

  test('dropout and recurrentDropout in training: predict drops nothing; with a fixed seed the training loss is a function of the weights whose gradients match finite differences; dropped, the loss differs', async () => {
    const makers: [string, () => Layer[]][] = [
      ['lstm', () => [layers.lstm({ units: 3, dropout: 0.3, recurrentDropout: 0.25, returnSequences: true, inputShape: [5, 3] }), layers.simpleRNN({ units: 2, dropout: 0.2, recurrentDropout: 0.4 })]],
      ['gru (reset after)', () => [layers.gru({ units: 3, dropout: 0.3, recurrentDropout: 0.3, inputShape: [5, 3], biasInitializer: { name: 'randomNormal', seed: 3 } })]],
      ['gru (reset before, both dropouts) in a bidirectional wrapper', () => [layers.bidirectional({ layer: layers.gru({ units: 2, resetAfter: false, dropout: 0.4, recurrentDropout: 0.3, returnSequences: true }), inputShape: [5, 3] }), layers.lstm({ units: 2, recurrentDropout: 0.3 })]],
      ['gru (reset before, recurrent dropout)', () => [layers.gru({ units: 3, resetAfter: false, recurrentDropout: 0.4, inputShape: [5, 3], biasInitializer: { name: 'randomNormal', seed: 4 } })]],
    ];
    for (const [what, make] of makers) {
      setRandomSeed(23);
      const m = new Sequential([...make(), layers.dense({ units: 2 })]);
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      const next = testRandom(24);
      const x = { data: Float32Array.from({ length: 4 * 15 }, () => next() * 2 - 1), shape: [4, 5, 3] };
      const y = { data: Float32Array.from({ length: 8 }, () => next()), shape: [4, 2] };
      // Predict is the model without dropout: the same file with every dropout 0 predicts the same bits.
      const artifacts = m.toTfjs() as unknown as { modelTopology: unknown };
      const topology = JSON.parse(JSON.stringify(artifacts.modelTopology).replace(/"(recurrent_)?dropout":[0-9.]+/g, '"$1dropout":0'));
      expect(JSON.stringify(topology)).not.toMatch(/dropout":0\.\d/);
      const plain = await loadModel({ ...artifacts, modelTopology: topology } as never);
      expect(Array.from(plain.predict(x).data)).toEqual(Array.from(m.predict(x).data));
      plain.dispose();
      const { loss } = m.gradients(x, y, { seed: 5 });
      const lossAt = () => m.gradients(x, y, { seed: 5 }).loss;
      expect(lossAt()).toBe(loss);
      // Without dropout (inference) the loss is another: the masks act in training.
      const predicted = m.predict(x).data;
      const inferenceLoss = Array.from(predicted).reduce((sum, p, i) => sum + (p - y.data[i]) ** 2, 0) / 8;
      expect(Math.abs(inferenceLoss - loss), what).toBeGreaterThan(1e-4);
      const checked = checkSeededGradients(m, x, y, 5, what, { stride: 3 });
      expect(checked).toBeGreaterThan(15);
      m.dispose();
    }
  });

  test('refusals: inputs that are not [steps, features], options not supported yet, softmax as a state activation', () => {
    expect(() => new Sequential([layers.lstm({ units: 2, inputShape: [3] })])).toThrow(/needs inputs of shape \[steps, features\] per sample; received \[3\]/);
    expect(() => layers.lstm({ units: 0 })).toThrow(/units must be a positive integer/);
    expect(() => layers.simpleRNN({ units: 2, recurrentDropout: 1.5 })).toThrow(/recurrentDropout must be a fraction in \[0, 1\)/);
    expect(() => layers.simpleRNN({ units: 2, activation: 'softmax' })).toThrow(/activation must be an elementwise activation/);
    expect(() => layers.lstm({ units: 2, recurrentActivation: 'sideways' })).toThrow(/recurrentActivation/);
    expect(() => layers.gru({ units: 2, resetAfter: 'yes' as never })).toThrow(/resetAfter/);
    expect(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never })).toThrow(/layer must be a recurrent layer \(simpleRNN, lstm or gru\)/);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode must be one of 'concat', 'sum', 'mul', 'ave'/);
    expect(() => new Sequential([layers.gru({ units: 2, inputShape: [2, 3, 4] })])).toThrow(/needs inputs of shape \[steps, features\] per sample; received \[2, 3, 4\]/);
  });
});

describe('attention', () => {
  /** Dense on each step: x [steps, inSize] · W + b. */
  const dense = (x: Float64Array, steps: number, inSize: number, W: Float64Array, b: Float64Array): Float64Array => {
    const units = b.length, y = new Float64Array(steps * units);
    for (let t = 0; t < steps; t++) for (let j = 0; j < units; j++) {
      let v = b[j];
      for (let i = 0; i < inSize; i++) v += x[t * inSize + i] * W[i * units + j];
      y[t * units + j] = v;
    }
    return y;
  };
  /** Luong attention of one sample: softmax over the keys of scale · q·kᵀ, times the values. */
  const attend = (q: Float64Array, k: Float64Array, v: Float64Array, tq: number, tv: number, d: number, dv: number, scale: Float64Array, additive: boolean): Float64Array => {
    const out = new Float64Array(tq * dv);
    for (let i = 0; i < tq; i++) {
      // Luong: scale · q·k; Bahdanau: Σ_c scale[c]·tanh(q_c + k_c).
      const scores = Array.from({ length: tv }, (_, j) => {
        let sum = 0;
        for (let c = 0; c < d; c++) sum += additive ? scale[c] * Math.tanh(q[i * d + c] + k[j * d + c]) : q[i * d + c] * k[j * d + c];
        return additive ? sum : scale[0] * sum;
      });
      const top = Math.max(...scores), e = scores.map((z) => Math.exp(z - top)), total = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < tv; j++) for (let c = 0; c < dv; c++) out[i * dv + c] += (e[j] / total) * v[j * dv + c];
    }
    return out;
  };

  test('dot-product and additive attention (with a learned scale or not; the key the value or its own) predict as the f64 reference, their gradients match finite differences, and they save and load', async () => {
    for (const [additive, useScale, separateKey] of [[false, false, false], [false, true, true], [true, true, false], [true, false, true]] as const) {
      setRandomSeed(21);
      const n = 3, tq = 3, tv = 5, f = 4, d = 2;
      const qIn = input({ shape: [tq, f] }), vIn = input({ shape: [tv, f] }), kIn = input({ shape: [tv, f] });
      const lq = layers.dense({ units: d }), lv = layers.dense({ units: d }), lk = layers.dense({ units: d });
      const att = additive ? layers.additiveAttention({ useScale }) : layers.attention({ useScale }), lo = layers.dense({ units: 1 });
      const qq = lq.apply(qIn), vv = lv.apply(vIn);
      const mixed = att.apply(separateKey ? [qq, vv, lk.apply(kIn)] : [qq, vv]);
      const m = functional({ inputs: separateKey ? [qIn, vIn, kIn] : [qIn, vIn], outputs: lo.apply(layers.flatten().apply(mixed)) });
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      if (useScale && !additive) att.setWeights([{ data: Float32Array.from([1.3]), shape: [] }]);
      const next = testRandom(22);
      const data = (steps: number) => Float32Array.from({ length: n * steps * f }, () => next() * 2 - 1);
      const xq = data(tq), xv = data(tv), xk = data(tv), target = Float32Array.from({ length: n }, () => next());
      const owned = [lq, lv, ...(separateKey ? [lk] : []), att, lo];
      const weights = new Map(owned.map((l) => [l, l.getWeights().map((w) => Float64Array.from(w.data))]));
      const forward = (): Float64Array => {
        const [Wq, bq] = weights.get(lq)!, [Wv, bv] = weights.get(lv)!, [Wo, bo] = weights.get(lo)!;
        const [Wk, bk] = separateKey ? weights.get(lk)! : [Wv, bv];
        const scale = useScale ? weights.get(att)![0] : Float64Array.from({ length: d }, () => 1);
        return Float64Array.from({ length: n }, (_, s) => {
          const q = dense(Float64Array.from(xq.subarray(s * tq * f, (s + 1) * tq * f)), tq, f, Wq, bq);
          const v = dense(Float64Array.from(xv.subarray(s * tv * f, (s + 1) * tv * f)), tv, f, Wv, bv);
          const k = separateKey ? dense(Float64Array.from(xk.subarray(s * tv * f, (s + 1) * tv * f)), tv, f, Wk, bk) : v;
          const a = attend(q, k, v, tq, tv, d, d, scale, additive);
          return dense(a, 1, tq * d, Wo, bo)[0];
        });
      };
      const inputs = [{ data: xq, shape: [n, tq, f] }, { data: xv, shape: [n, tv, f] }, ...(separateKey ? [{ data: xk, shape: [n, tv, f] }] : [])];
      expect(await againstReference(m, inputs, forward, target, owned, weights)).toBeGreaterThan(20);
      m.dispose();
    }
  });

  test('concat scores (with a learned scale or not), a causal mask and the scores as an output: as the f64 reference, gradients as finite differences, saved and loaded', async () => {
    for (const [useScale, causal, scoresOut, separateKey] of [[true, false, false, true], [false, true, true, false], [true, true, false, false]] as const) {
      setRandomSeed(25);
      const n = 3, tq = 4, tv = 4, f = 3, d = 2;
      const qIn = input({ shape: [tq, f] }), vIn = input({ shape: [tv, f] }), kIn = input({ shape: [tv, f] });
      const lq = layers.dense({ units: d }), lv = layers.dense({ units: d }), lk = layers.dense({ units: d });
      const att = layers.attention({ useScale, scoreMode: 'concat' }), lo = layers.dense({ units: 1 }), ls = layers.dense({ units: 1 });
      const qq = lq.apply(qIn), vv = lv.apply(vIn);
      const applied = att.apply({ query: qq, value: vv, ...(separateKey ? { key: lk.apply(kIn) } : {}), useCausalMask: causal, returnAttentionScores: scoresOut });
      const [mixed, scores] = applied;
      const head = lo.apply(layers.flatten().apply(mixed));
      const m = functional({ inputs: separateKey ? [qIn, vIn, kIn] : [qIn, vIn], outputs: scoresOut ? layers.add().apply([head, ls.apply(layers.flatten().apply(scores))]) : head });
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      att.setWeights(att.getWeights().map((w, i) => ({ data: Float32Array.from([i === 0 && useScale ? 0.8 : 1.3]), shape: w.shape })));
      const next = testRandom(26);
      const data = (steps: number) => Float32Array.from({ length: n * steps * f }, () => next() * 2 - 1);
      const xq = data(tq), xv = data(tv), xk = data(tv), target = Float32Array.from({ length: n }, () => next());
      const owned = [lq, lv, ...(separateKey ? [lk] : []), att, lo, ...(scoresOut ? [ls] : [])];
      const weights = new Map(owned.map((l) => [l, l.getWeights().map((w) => Float64Array.from(w.data))]));
      const forward = (): Float64Array => {
        const [Wq, bq] = weights.get(lq)!, [Wv, bv] = weights.get(lv)!, [Wo, bo] = weights.get(lo)!;
        const [Wk, bk] = separateKey ? weights.get(lk)! : [Wv, bv];
        const aw = weights.get(att)!, scale = useScale ? aw[0][0] : 1, wc = aw[aw.length - 1][0];
        return Float64Array.from({ length: n }, (_, s) => {
          const q = dense(Float64Array.from(xq.subarray(s * tq * f, (s + 1) * tq * f)), tq, f, Wq, bq);
          const v = dense(Float64Array.from(xv.subarray(s * tv * f, (s + 1) * tv * f)), tv, f, Wv, bv);
          const k = separateKey ? dense(Float64Array.from(xk.subarray(s * tv * f, (s + 1) * tv * f)), tv, f, Wk, bk) : v;
          const out = new Float64Array(tq * d), P = new Float64Array(tq * tv);
          for (let i = 0; i < tq; i++) {
            // Keras 3's concat scores: w · Σ_c tanh(scale · (q_c + k_c)); causal: −1e9 after step i.
            const sc = Array.from({ length: tv }, (_, j) => {
              let sum = 0;
              for (let c = 0; c < d; c++) sum += Math.tanh(scale * (q[i * d + c] + k[j * d + c]));
              return wc * sum - (causal && j > i ? 1e9 : 0);
            });
            const top = Math.max(...sc), e = sc.map((z) => Math.exp(z - top)), total = e.reduce((a, b) => a + b, 0);
            for (let j = 0; j < tv; j++) {
              P[i * tv + j] = e[j] / total;
              for (let c = 0; c < d; c++) out[i * d + c] += P[i * tv + j] * v[j * d + c];
            }
          }
          let y = dense(out, 1, tq * d, Wo, bo)[0];
          if (scoresOut) {
            const [Ws, bs] = weights.get(ls)!;
            y += dense(P, 1, tq * tv, Ws, bs)[0];
          }
          return y;
        });
      };
      const inputs = [{ data: xq, shape: [n, tq, f] }, { data: xv, shape: [n, tv, f] }, ...(separateKey ? [{ data: xk, shape: [n, tv, f] }] : [])];
      await againstReference(m, inputs, forward, target, owned, weights);
      m.dispose();
    }
  });

  test('dropout of the attention weights in training: a seeded training loss whose gradients match finite differences; predict drops nothing', () => {
    for (const additive of [false, true]) {
      setRandomSeed(27);
      const x = input({ shape: [4, 3] });
      const h = layers.dense({ units: 3 }).apply(x);
      const att = additive ? layers.additiveAttention({ dropout: 0.4 }) : layers.attention({ dropout: 0.4, useScale: true });
      const m = functional({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.flatten().apply(att.apply([h, h]))) });
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      const next = testRandom(28);
      const xs = { data: Float32Array.from({ length: 5 * 12 }, () => next() * 2 - 1), shape: [5, 4, 3] };
      const ys = { data: Float32Array.from({ length: 10 }, () => next()), shape: [5, 2] };
      const { loss } = m.gradients(xs, ys, { seed: 3 });
      const inference = Array.from(m.predict(xs).data).reduce((sum, p, i) => sum + (p - ys.data[i]) ** 2, 0) / 10;
      expect(Math.abs(inference - loss)).toBeGreaterThan(1e-4);
      expect(checkSeededGradients(m, xs, ys, 3, additive ? 'additive' : 'dot', { stride: 2 })).toBeGreaterThan(10);
      m.dispose();
    }
  });

  test('refusals: shapes that do not go together, an unknown score mode, call arguments that change between applications', () => {
    expect(() => layers.attention({ scoreMode: 'general' as never })).toThrow(/scoreMode must be 'dot' or 'concat'/);
    const shared = layers.attention();
    const qa = input({ shape: [3, 2] });
    shared.apply({ query: qa, value: qa, useCausalMask: true });
    expect(() => shared.apply({ query: qa, value: qa })).toThrow(/was applied with useCausalMask true; every application of one layer must use the same/);
    expect(() => layers.additiveAttention({ scoreMode: 'dot' } as never)).toThrow(/scoreMode/);
    const q = input({ shape: [3, 4] }), v = input({ shape: [5, 2] });
    expect(() => layers.attention().apply([q, v])).toThrow(/the query's and the key's last sizes must agree/);
    expect(() => layers.attention().apply([q, input({ shape: [5, 4] }), input({ shape: [6, 4] })])).toThrow(/as many steps/);
  });
});

