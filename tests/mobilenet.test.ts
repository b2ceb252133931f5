// MobileNet-style networks made by real @tensorflow/tfjs — V1's depthwise-separable blocks and
// V2's inverted residuals (zero padding, depthwise convolution, batch normalization, ReLU6, 1×1
// convolutions, add, global average pooling) — saved by TF.js, loaded here, predicting within
// 1e-4 of TF.js; what we save loads back in TF.js; a few training steps agree with TF.js. Also an
// Inception-style block, and the whole MobileNetV2 in a Teachable Machine export's shape, uint8-quantized.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Model, applications, loadModel, optimizers, type Tensor } from '../dist/index.js';
import { quantized } from './quantize.js';

const L = tf.layers;
const bnRelu = (x: tf.SymbolicTensor, name: string) =>
  L.reLU({ maxValue: 6, name: `${name}_relu` }).apply(L.batchNormalization({ name: `${name}_bn`, momentum: 0.9 }).apply(x)) as tf.SymbolicTensor;

/** MobileNet V1's depthwise-separable block (alpha small), on 32×32×3. */
function mobilenetV1(): tf.LayersModel {
  const inp = tf.input({ shape: [32, 32, 3] });
  let x = bnRelu(L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv1' }).apply(inp) as tf.SymbolicTensor, 'conv1');
  const block = (t: tf.SymbolicTensor, filters: number, stride: number, i: number) => {
    const padded = stride === 2 ? L.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `pad_${i}` }).apply(t) as tf.SymbolicTensor : t;
    const d = bnRelu(L.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 2 ? 'valid' : 'same', useBias: false, name: `dw_${i}` }).apply(padded) as tf.SymbolicTensor, `dw_${i}`);
    return bnRelu(L.conv2d({ filters, kernelSize: 1, useBias: false, name: `pw_${i}` }).apply(d) as tf.SymbolicTensor, `pw_${i}`);
  };
  x = block(block(block(x, 16, 1, 1), 24, 2, 2), 24, 1, 3);
  const pooled = L.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const logits = L.conv2d({ filters: 5, kernelSize: 1, name: 'preds' }).apply(L.reshape({ targetShape: [1, 1, 24], name: 'reshape_1' }).apply(L.dropout({ rate: 0, name: 'dropout' }).apply(pooled)) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const out = L.activation({ activation: 'softmax', name: 'softmax' }).apply(L.reshape({ targetShape: [5], name: 'reshape_2' }).apply(logits)) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'mobilenet_v1' });
}

/** MobileNet V2's inverted residual (expand → depthwise → project, linear bottleneck, add). */
function mobilenetV2(): tf.LayersModel {
  const inp = tf.input({ shape: [16, 16, 3] });
  const stem = L.batchNormalization({ name: 'stem_bn' }).apply(L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, name: 'stem' }).apply(inp)) as tf.SymbolicTensor;
  const expand = bnRelu(L.conv2d({ filters: 24, kernelSize: 1, useBias: false, name: 'expand' }).apply(stem) as tf.SymbolicTensor, 'expand');
  const depth = bnRelu(L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'depthwise' }).apply(expand) as tf.SymbolicTensor, 'depthwise');
  const project = L.batchNormalization({ name: 'project_bn' }).apply(L.conv2d({ filters: 8, kernelSize: 1, useBias: false, name: 'project' }).apply(depth)) as tf.SymbolicTensor;
  const added = L.add({ name: 'add' }).apply([stem, project]) as tf.SymbolicTensor;
  const out = L.dense({ units: 4, activation: 'softmax', name: 'head' }).apply(L.globalAveragePooling2d({ name: 'gap' }).apply(added)) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'mobilenet_v2_block' });
}

/** An Inception-style block: 1×1, 1×1 → 3×3, 1×1 → 5×5 and 3×3 average pooling → 1×1 branches, concatenated. */
function inceptionBlock(): tf.LayersModel {
  const inp = tf.input({ shape: [12, 12, 4] });
  const conv = (t: tf.SymbolicTensor, filters: number, k: number, name: string) =>
    L.reLU({ name: `${name}_relu` }).apply(L.batchNormalization({ name: `${name}_bn` }).apply(
      L.conv2d({ filters, kernelSize: k, padding: 'same', useBias: false, name }).apply(t))) as tf.SymbolicTensor;
  const b1 = conv(inp, 4, 1, 'b1');
  const b2 = conv(conv(inp, 3, 1, 'b2a'), 4, 3, 'b2b');
  const b3 = conv(conv(inp, 3, 1, 'b3a'), 4, 5, 'b3b'); // TF.js cannot train a dilated conv2d (no gradient): 5 × 5 here
  const b4 = conv(L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'b4_pool' }).apply(inp) as tf.SymbolicTensor, 2, 1, 'b4');
  const mixed = L.concatenate({ axis: -1, name: 'mixed' }).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
  const out = L.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(L.globalMaxPooling2d({ name: 'gmp' }).apply(mixed)) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'inception_block' });
}

async function saved(m: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return artifacts!;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance);
};

describe('MobileNet-style networks from TF.js', () => {
  for (const [name, make, size, channels] of [['V1 (depthwise-separable blocks)', mobilenetV1, 32, 3], ['V2 (an inverted residual)', mobilenetV2, 16, 3], ['An Inception-style block', inceptionBlock, 12, 4]] as const) {
    it(`${name}: loads, predicts within 1e-4 of TF.js, trains a few steps as TF.js, and loads back in TF.js`, async () => {
      const theirs = make();
      // Statistics that are not the initial ones: one TF.js training step moves them.
      theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.05) });
      const classes = theirs.outputs[0].shape[1] as number;
      const x = tf.randomUniform([6, size, size, channels], 0, 1, 'float32', 5);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32'), classes).toFloat();
      await theirs.fit(x, y, { epochs: 1, batchSize: 6, verbose: 0 });
      const ours = await loadModel(await saved(theirs)) as Model;
      const data = { data: x.dataSync() as Float32Array, shape: x.shape };
      close((ours.predict(data) as Tensor).data, (theirs.predict(x) as tf.Tensor).dataSync(), 1e-4);
      expect(ours.countParams()).toBe(theirs.countParams());
      // Training: the same steps from the same weights.
      ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.05) });
      const h1 = await theirs.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
      const h2 = await ours.fit(data, { data: y.dataSync() as Float32Array, shape: y.shape }, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
      close(h2.history.loss, h1.history.loss as number[], 1e-4);
      close((ours.predict(data) as Tensor).data, (theirs.predict(x) as tf.Tensor).dataSync(), 1e-4);
      const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
      close((back.predict(x) as tf.Tensor).dataSync(), (theirs.predict(x) as tf.Tensor).dataSync(), 1e-4);
      ours.dispose();
      for (const m of [theirs, back]) m.dispose();
    });
  }

  it('the whole MobileNetV2 as a Teachable Machine image export holds it (sequential[ the base, sequential[ dense head ] ]), saved by TF.js and uint8-quantized: predicts within 1e-4 of TF.js reading the same file', async () => {
    // The base: Keras Applications' MobileNetV2 without its top, through TF.js (which loads it and saves it in its own format).
    const base = applications.mobileNetV2({ alpha: 0.35, inputShape: [64, 64, 3], includeTop: false, pooling: 'avg' });
    for (const l of base.flatLayers) {
      if (l.className !== 'BatchNormalization') continue;
      // Moving statistics that are not the fresh ones, so that every normalization does something.
      l.setWeights(l.getWeights().map((w, k) => ({ data: Float32Array.from(w.data, (_, i) => (k === 3 ? 0.3 + 0.05 * (i % 7) : k === 2 ? 0.02 * Math.sin(i) : 1 + 0.1 * Math.cos(i + k))), shape: w.shape })));
    }
    const tfBase = await tf.loadLayersModel(tf.io.fromMemory(base.toTfjs() as never));
    const head = tf.sequential({ layers: [L.dense({ inputShape: [1280], units: 3, activation: 'softmax', name: 'dense_Dense1' })], name: 'sequential_3' });
    const tm = tf.sequential({ layers: [tf.sequential({ layers: [tfBase], name: 'sequential_1' }), head], name: 'sequential_4' });
    const file = quantized(await saved(tm), 'uint8');
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(file));
    const ours = await loadModel(file as never) as Model;
    const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 8);
    const expected = (theirs.predict(x) as tf.Tensor).dataSync();
    expect(expected.some((v) => Math.abs(v - 1 / 3) > 1e-3)).toBe(true);
    close((ours.predict({ data: x.dataSync() as Float32Array, shape: x.shape }) as Tensor).data, expected, 1e-4);
    expect(ours.countParams()).toBe(theirs.countParams());
    ours.dispose();
    base.dispose();
    for (const m of [tm, theirs]) m.dispose();
  });
});
