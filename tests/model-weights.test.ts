// Weights as TF.js and its converter write them: quantized shards (uint8 / uint16 with min and
// scale, float16) dequantized as TF.js does, weight names with a model's prefix, and the optimizer's
// state (includeOptimizer) restored so training resumes as it would in TF.js.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FormatError, Sequential, loadModel } from '../dist/index.js';
import { quantized } from './quantize.js';

const x = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.3)), [10, 4]);
const y = tf.tensor2d(Array.from({ length: 20 }, (_, i) => Math.cos(i)), [10, 2]);
const xs = { data: x.dataSync() as Float32Array, shape: [10, 4] };
const ys = { data: y.dataSync() as Float32Array, shape: [10, 2] };

function tfModel(optimizer: tf.Optimizer): tf.Sequential {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [4], activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
  // Fixed starting weights: TF.js draws them unseeded, and a run should not depend on the draw.
  m.setWeights(m.getWeights().map((w, k) => tf.tensor(Array.from({ length: w.size }, (_, i) => 0.5 * Math.sin(i * 0.7 + k * 1.9)), w.shape)));
  m.compile({ loss: 'meanSquaredError', optimizer });
  return m;
}

async function artifactsOf(m: tf.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
  return saved!;
}

const predictions = (m: Sequential) => Array.from(m.predict(xs).data);

describe('weights as TF.js writes them', () => {
  for (const dtype of ['uint8', 'uint16', 'float16'] as const) {
    it(`${dtype}-quantized shards load and predict as TF.js predicts from the same file`, async () => {
      const theirs = tfModel(tf.train.sgd(0.1));
      const file = quantized(await artifactsOf(theirs), dtype);
      const reloaded = await tf.loadLayersModel(tf.io.fromMemory(file));
      const expected = (reloaded.predict(x) as tf.Tensor).dataSync();
      const ours = await loadModel(file as never);
      predictions(ours).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
      ours.dispose();
      theirs.dispose();
      reloaded.dispose();
    });
  }

  it('weight names with a model prefix find their weights; a quantization it cannot read is a FormatError', async () => {
    const theirs = tfModel(tf.train.sgd(0.1));
    const a = await artifactsOf(theirs);
    const expected = (theirs.predict(x) as tf.Tensor).dataSync();
    // Keras 3 style: 'sequential/dense_1/kernel' for 'dense_1/kernel', listed in another order.
    const floats = new Float32Array(a.weightData as ArrayBuffer);
    let at = 0;
    const pieces = a.weightSpecs!.map((s) => {
      const n = s.shape.reduce((p, q) => p * q, 1);
      at += n;
      return { spec: { ...s, name: `sequential/${s.name}` }, values: floats.slice(at - n, at) };
    }).reverse();
    const data = new Float32Array(floats.length);
    let o = 0;
    for (const piece of pieces) { data.set(piece.values, o); o += piece.values.length; }
    const ours = await loadModel({ ...a, weightSpecs: pieces.map((p) => p.spec), weightData: data.buffer } as never);
    predictions(ours).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
    ours.dispose();
    const bad = { ...a, weightSpecs: a.weightSpecs!.map((s) => ({ ...s, quantization: { dtype: 'int4' } })) };
    await expect(loadModel(bad as never)).rejects.toThrow(FormatError);
    await expect(loadModel(bad as never)).rejects.toThrow(/quantization \{"dtype":"int4"\}; uint8, uint16 \(with min and scale\) and float16 are supported/);
    theirs.dispose();
  });

  for (const [name, make] of [['Adam', () => tf.train.adam(0.02)], ['Momentum', () => tf.train.momentum(0.05, 0.9)]] as const) {
    it(`the ${name} optimizer's state saved with the model is restored: one more epoch gives TF.js' weights`, async () => {
      const theirs = tfModel(make());
      await theirs.fit(x, y, { epochs: 3, batchSize: 10, shuffle: false, verbose: 0 });
      const file = await artifactsOf(theirs, true);
      expect(file.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
      const ours = await loadModel(file as never);
      expect(ours.optimizer?.iterations).toBe(3);
      await theirs.fit(x, y, { epochs: 1, batchSize: 10, shuffle: false, verbose: 0 });
      await ours.fit(xs, ys, { epochs: 1, batchSize: 10, shuffle: false, verbose: 0 });
      const expected = theirs.getWeights().flatMap((w) => Array.from(w.dataSync()));
      ours.getWeights().flatMap((w) => Array.from(w.data)).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(2e-5));
      ours.dispose();
      theirs.dispose();
    });
  }

  it('an optimizer state that does not match the compiled optimizer is skipped, and the model still loads', async () => {
    const theirs = tfModel(tf.train.adam(0.02));
    await theirs.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 });
    const file = await artifactsOf(theirs, true);
    const asRmsprop = { ...file, trainingConfig: { ...file.trainingConfig!, optimizer_config: { class_name: 'RMSProp', config: { learningRate: 0.01, decay: 0.9, momentum: 0, epsilon: 1e-7 } } } };
    // Slots that belong to no weight of the model are not taken by position: the state is skipped.
    const strangers = { ...file, weightSpecs: file.weightSpecs!.map((w) => (w.group === 'optimizer' && w.name !== 'iter' ? { ...w, name: `elsewhere/${w.name.split('/').pop()}` } : w)) };
    const fresh = await loadModel(strangers as never);
    expect(fresh.optimizer?.iterations).toBe(0);
    fresh.dispose();
    const ours = await loadModel(asRmsprop as never);
    const expected = (theirs.predict(x) as tf.Tensor).dataSync();
    predictions(ours).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
    ours.dispose();
    theirs.dispose();
  });
});
