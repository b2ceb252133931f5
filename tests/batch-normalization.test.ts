// Batch normalization's statistics against real @tensorflow/tfjs and Keras' update rule: the
// moving mean and variance after training steps, files both ways, and a frozen layer (Keras 3:
// inference mode in fit, nothing moves). Forward and gradients are in the layer harness.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Sequential, input, layers, loadModel, model, optimizers, setRandomSeed, type Tensor } from '../dist/index.js';
import { testRandom } from './reference.js';

const n = 8;
const next = testRandom(91);
const x = Float32Array.from({ length: n * 4 }, () => Math.fround(next() * 3 - 1));
const y = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance * (1 + Math.abs(b[i])));
};

function build(lib: 'ours' | 'tf', momentum = 0.9) {
  const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
  return [L.dense({ units: 5, inputShape: [4], useBias: false, name: 'd1' }), L.batchNormalization({ momentum, name: 'bn' }),
    L.activation({ activation: 'relu', name: 'act' }), L.dense({ units: 3, activation: 'softmax', name: 'd2' })];
}

describe('batch normalization', () => {
  it('after training steps every weight, the moving mean and variance included, is TF.js\'', async () => {
    const ours = new Sequential(build('ours'));
    const theirs = tf.sequential({ layers: build('tf') as unknown as tf.layers.Layer[] });
    // TF.js' model-level weight order puts every trainable weight first: copy layer by layer (the same order within a layer).
    const copyInto = () => ours.layers.forEach((l) => theirs.getLayer(l.name).setWeights(l.getWeights().map((w) => tf.tensor(w.data, [...w.shape]))));
    copyInto();
    ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.3) });
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.3) });
    const h1 = await theirs.fit(tf.tensor2d(x, [n, 4]), tf.tensor2d(y, [n, 3]), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const h2 = await ours.fit({ data: x, shape: [n, 4] }, { data: y, shape: [n, 3] }, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    expect(ours.weights.map((w) => w.name)).toEqual(['d1/kernel', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance', 'd2/kernel', 'd2/bias']);
    for (const l of ours.layers) {
      const theirWeights = theirs.getLayer(l.name).getWeights();
      l.getWeights().forEach((w, i) => close(w.data, theirWeights[i].dataSync(), 1e-5));
    }
    // The moving statistics moved, and predict uses them.
    expect(Array.from(ours.getWeights()[3].data).some((v) => v !== 0)).toBe(true);
    close(ours.predict({ data: x, shape: [n, 4] }).data, (theirs.predict(tf.tensor2d(x, [n, 4])) as tf.Tensor).dataSync(), 1e-5);
    expect(ours.summary(null)).toMatch(/Non-trainable params: 10/);
    ours.dispose();
    theirs.dispose();
  });

  it('one step moves the statistics by Keras\' rule: moving ← moving − (moving − batch)(1 − momentum), the batch variance biased', async () => {
    const m = new Sequential([layers.batchNormalization({ momentum: 0.8, inputShape: [4] })]);
    m.compile({ loss: 'mse', optimizer: optimizers.sgd(1e-9) });
    await m.fit({ data: x, shape: [n, 4] }, { data: new Float32Array(n * 4), shape: [n, 4] }, { epochs: 1, batchSize: n, verbose: 0 });
    const [, , mean, variance] = m.getWeights();
    for (let c = 0; c < 4; c++) {
      const col = Array.from({ length: n }, (_, r) => x[r * 4 + c]);
      const mu = col.reduce((s, v) => s + v, 0) / n;
      const v = col.reduce((s, u) => s + (u - mu) ** 2, 0) / n;
      expect(mean.data[c]).toBeCloseTo(0.2 * mu, 6);
      expect(variance.data[c]).toBeCloseTo(0.8 + 0.2 * v, 6);
    }
    m.dispose();
  });

  it('a frozen layer keeps its statistics and scale through fit (Keras 3), while the layers around it learn', async () => {
    const m = new Sequential(build('ours'));
    const bn = m.getLayer('bn');
    bn.trainable = false;
    const before = bn.getWeights().map((w) => Array.from(w.data));
    m.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.3) });
    const d1 = Array.from(m.getLayer('d1').getWeights()[0].data);
    await m.fit({ data: x, shape: [n, 4] }, { data: y, shape: [n, 3] }, { epochs: 2, batchSize: 4, verbose: 0 });
    bn.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(before[i]));
    expect(Array.from(m.getLayer('d1').getWeights()[0].data)).not.toEqual(d1);
    m.dispose();
  });

  it('inference runs batch normalization and the ReLU after it in one pass, with the bits of the two layers one after the other', () => {
    setRandomSeed(21);
    // Trained statistics (not the fresh 0 and 1), and inputs that land on every side of the
    // rectifier: below the threshold, between, above the maximum.
    const stats = (l: { getWeights(): Tensor[]; setWeights(w: Tensor[]): void }) => l.setWeights(l.getWeights().map((w, k) => ({ data: Float32Array.from(w.data, (_, i) => (k === 3 ? 0.5 + 0.25 * (i % 3) : 0.7 * Math.sin(i + k))), shape: w.shape })));
    const rectifiers = () => [layers.reLU({ maxValue: 6 }), layers.reLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 }), layers.leakyReLU({ alpha: 0.2 })];
    const xs = { data: Float32Array.from({ length: n * 4 }, (_, i) => 20 * Math.sin(i * 1.7)), shape: [n, 4] };
    for (let r = 0; r < 3; r++) {
      // Fused: BN then the rectifier. Apart: a Reshape to the same shape between them (an alias; nothing fuses across it).
      const fused = new Sequential([layers.dense({ units: 5, inputShape: [4], name: 'd' }), layers.batchNormalization({ name: 'bn' }), rectifiers()[r]]);
      const apart = new Sequential([layers.dense({ units: 5, inputShape: [4], name: 'd' }), layers.batchNormalization({ name: 'bn' }), layers.reshape({ targetShape: [5] }), rectifiers()[r]]);
      stats(fused.getLayer('bn'));
      apart.getLayer('d').setWeights(fused.getLayer('d').getWeights());
      apart.getLayer('bn').setWeights(fused.getLayer('bn').getWeights());
      const expected = (apart.predict(xs) as Tensor).data;
      expect(Array.from((fused.predict(xs) as Tensor).data)).toEqual(Array.from(expected));
      // The same in a functional model; a BN output that a second layer reads is written as usual.
      const inp = input({ shape: [4] });
      const bnOut = fused.getLayer('bn').apply(fused.getLayer('d').apply(inp));
      const g = model({ inputs: inp, outputs: [rectifiers()[r].apply(bnOut), layers.activation({ activation: 'linear' }).apply(bnOut)] });
      const [first, second] = g.predict(xs) as Tensor[];
      expect(Array.from(first.data)).toEqual(Array.from(expected));
      expect(Array.from(second.data)).toEqual(Array.from((new Sequential([fused.getLayer('d'), fused.getLayer('bn')]).predict(xs) as Tensor).data));
      const single = model({ inputs: inp, outputs: rectifiers()[r].apply(bnOut) });
      expect(Array.from((single.predict(xs) as Tensor).data)).toEqual(Array.from(expected));
      // Before the rectifier, values below its threshold and (ReLUs with a maximum) above the maximum: every branch was taken.
      expect(second.data.some((v) => v < 0)).toBe(true);
      if (r < 2) expect(second.data.some((v) => v > (r === 0 ? 6 : 1))).toBe(true);
      fused.dispose();
      apart.dispose();
    }
    // Over a channel axis before the last (runs of 5 values a channel).
    const runs = { data: Float32Array.from({ length: n * 20 }, (_, i) => 20 * Math.sin(i * 0.9)), shape: [n, 4, 5] };
    const fusedRuns = new Sequential([layers.batchNormalization({ axis: 1, inputShape: [4, 5], name: 'bn' }), layers.reLU({ maxValue: 6 })]);
    const apartRuns = new Sequential([layers.batchNormalization({ axis: 1, inputShape: [4, 5], name: 'bn' }), layers.reshape({ targetShape: [4, 5] }), layers.reLU({ maxValue: 6 })]);
    stats(fusedRuns.getLayer('bn'));
    apartRuns.getLayer('bn').setWeights(fusedRuns.getLayer('bn').getWeights());
    const apartOut = (apartRuns.predict(runs) as Tensor).data;
    expect(apartOut.some((v) => v === 6) && apartOut.some((v) => v === 0)).toBe(true);
    expect(Array.from((fusedRuns.predict(runs) as Tensor).data)).toEqual(Array.from(apartOut));
    fusedRuns.dispose();
    apartRuns.dispose();
  });

  it('inference applies batch normalization (and a ReLU after it) as a convolution writes its output, with the bits of the layers one after the other', () => {
    setRandomSeed(22);
    const stats = (l: { getWeights(): Tensor[]; setWeights(w: Tensor[]): void }) => l.setWeights(l.getWeights().map((w, k) => ({ data: Float32Array.from(w.data, (_, i) => (k === 3 ? 0.5 + 0.25 * (i % 3) : 0.7 * Math.sin(i + k))), shape: w.shape })));
    const inputShape: [number, number, number] = [9, 8, 4];
    // GEMMs of three blocks along k (400 channels) and of fewer rows than a micro-tile (one pixel).
    const wide: [number, number, number] = [5, 5, 400], pixel: [number, number, number] = [1, 1, 400];
    const kinds: [string, () => ReturnType<typeof layers.conv2d>, boolean][] = [
      ['pointwise conv2d over 400 channels → BN → ReLU (max 2)', () => layers.conv2d({ filters: 7, kernelSize: 1, useBias: false, name: 'conv', inputShape: wide }), true],
      ['pointwise conv2d of one pixel → BN → ReLU (max 2)', () => layers.conv2d({ filters: 9, kernelSize: 1, useBias: false, name: 'conv', inputShape: pixel }), true],
      ['conv2d 3×3 stride 2 → BN → ReLU (max 2)', () => layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, useBias: false, name: 'conv', inputShape }), true],
      ['pointwise conv2d, groups 2 → BN', () => layers.conv2d({ filters: 6, kernelSize: 1, groups: 2, useBias: false, name: 'conv', inputShape }), false],
      ['depthwiseConv2d → BN → ReLU (max 2)', () => layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'conv', inputShape }) as never, true],
      ['conv2d with a bias (added by the GEMM as it writes, then BN) → BN → ReLU (max 2)', () => layers.conv2d({ filters: 5, kernelSize: 2, name: 'conv', inputShape }), true],
      ['depthwiseConv2d with a bias, depth multiplier 2 → BN', () => layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, name: 'conv', inputShape }) as never, false],
      ['dense with a bias → BN → ReLU (max 2)', () => layers.dense({ units: 6, name: 'conv', inputShape: [7] }) as never, true],
    ];
    for (const [what, conv, relu] of kinds) {
      const shape = conv().getConfig().batchInputShape as number[];
      const size = shape.slice(1).reduce((p, q) => p * q, 1);
      const images = { data: Float32Array.from({ length: 3 * size }, (_, i) => (shape[shape.length - 1] > 100 ? 4 : 12) * Math.sin(i * 0.37)), shape: [3, ...shape.slice(1)] };
      const fused = new Sequential([conv(), layers.batchNormalization({ name: 'bn' }), ...(relu ? [layers.reLU({ maxValue: 2 })] : [])]);
      // Apart: an alias (Reshape to the same shape) between every two layers, across which nothing fuses.
      const outShape = fused.getLayer('conv').outputShape as number[];
      const apart = new Sequential([conv(), layers.reshape({ targetShape: outShape }), layers.batchNormalization({ name: 'bn' }), layers.reshape({ targetShape: outShape }), ...(relu ? [layers.reLU({ maxValue: 2 })] : [])]);
      stats(fused.getLayer('bn'));
      apart.getLayer('conv').setWeights(fused.getLayer('conv').getWeights());
      apart.getLayer('bn').setWeights(fused.getLayer('bn').getWeights());
      const expected = Array.from((apart.predict(images) as Tensor).data);
      if (relu) expect(expected.some((v) => v === 2) && expected.some((v) => v === 0), what).toBe(true);
      expect(Array.from((fused.predict(images) as Tensor).data), what).toEqual(expected);
      // In a functional model, the same.
      const inp = input({ shape: shape.slice(1) });
      let t = fused.getLayer('conv').apply(inp);
      t = fused.getLayer('bn').apply(t);
      if (relu) t = layers.reLU({ maxValue: 2 }).apply(t);
      const g = model({ inputs: inp, outputs: t });
      expect(Array.from((g.predict(images) as Tensor).data), what).toEqual(expected);
      for (const m of [fused, apart]) m.dispose();
    }
  });

  it('a TF.js file with batch normalization loads and predicts as TF.js; clear errors for options wasmlearn lacks', async () => {
    const theirs = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, useBias: false }), tf.layers.batchNormalization({ epsilon: 0.01 }), tf.layers.globalAveragePooling2d({})] });
    theirs.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
    const images = tf.randomNormal([4, 5, 5, 2], 0, 1, 'float32', 3);
    await theirs.fit(images, tf.randomNormal([4, 3], 0, 1, 'float32', 4), { epochs: 2, verbose: 0 });
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const ours = await loadModel(saved as never);
    close(ours.predict({ data: images.dataSync() as Float32Array, shape: [4, 5, 5, 2] }).data, (theirs.predict(images) as tf.Tensor).dataSync(), 1e-5);
    expect(() => new Sequential([layers.batchNormalization({ axis: 3, inputShape: [4, 3] })])).toThrow(/BatchNormalization batch_normalization_\d+: axis 3 is outside inputs of rank 3 \(with the batch axis\); it must be 1 to 2, or -1 to -2/);
    expect(() => layers.batchNormalization({ momentum: 2 })).toThrow(/momentum must be in \[0, 1\]/);
    expect(() => layers.batchNormalization({ epsilon: 0 })).toThrow(/epsilon must be > 0/);
    ours.dispose();
    theirs.dispose();
  });
});
