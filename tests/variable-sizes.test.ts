// Sizes left to the data (Keras' null beyond the batch: a variable image size), and layers shared
// across sizes, against real @tensorflow/tfjs: models made here and in TF.js, files both ways,
// training. A functional model runs copies of its graph built for the data's sizes, sharing its weights.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Model, ShapeError, backendInfo, input, layers, loadModel, model, optimizers, Sequential, type Tensor } from '../dist/index.js';
import { testRandom } from './reference.js';

const next = testRandom(77);
const images = (n: number, h: number, w: number) => ({ data: Float32Array.from({ length: n * h * w * 2 }, () => Math.fround(next() * 2 - 1)), shape: [n, h, w, 2] });
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance * (1 + Math.abs(b[i])));
};

/** A fully convolutional network on images of any size: conv (same), pool, conv (valid, stride 2), conv 1×1 sigmoid. */
function fcn(lib: 'ours' | 'tf') {
  const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
  const x = (lib === 'ours' ? input : tf.input)({ shape: [null, null, 2], name: 'image' } as never) as ReturnType<typeof input>;
  const c = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(x);
  const p = L.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(c);
  const d = L.conv2d({ filters: 3, kernelSize: 3, strides: 2, activation: 'tanh', name: 'c2' }).apply(p);
  const o = L.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'head' }).apply(d);
  return (lib === 'ours' ? model : tf.model)({ inputs: x, outputs: o } as never);
}

const tfOf = (t: { data: Float32Array; shape: number[] }) => tf.tensor(t.data, t.shape);

describe('sizes left to the data', () => {
  it('a fully convolutional model predicts images of several sizes as TF.js; the shapes show null', async () => {
    const ours = fcn('ours') as Model;
    const theirs = fcn('tf') as unknown as tf.LayersModel;
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    expect(ours.inputShape).toEqual([null, null, 2]);
    expect(ours.outputShape).toEqual([null, null, 1]);
    expect(ours.summary(null)).toContain('(None, None, None, 4)');
    for (const [h, w] of [[12, 12], [17, 9], [8, 30]]) {
      const x = images(3, h, w);
      const p = ours.predict(x) as Tensor;
      const q = theirs.predict(tfOf(x)) as tf.Tensor;
      expect(p.shape).toEqual(q.shape);
      close(p.data, q.dataSync(), 1e-5);
    }
    // Files both ways: TF.js loads ours (null kept), we load TF.js', bytes round trip.
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    expect(back.inputs[0].shape).toEqual([null, null, null, 2]);
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const fromTfjs = await loadModel(saved as never);
    const fromBytes = await loadModel(ours.toBytes());
    const x = images(2, 15, 11);
    const expected = (theirs.predict(tfOf(x)) as tf.Tensor).dataSync();
    close((back.predict(tfOf(x)) as tf.Tensor).dataSync(), expected, 1e-5);
    for (const m of [fromTfjs, fromBytes]) close((m.predict(x) as Tensor).data, expected, 1e-5);
    for (const m of [ours, fromTfjs, fromBytes]) m.dispose();
    back.dispose();
    theirs.dispose();
  });

  it('trains as TF.js at one size, then at another, with the same weights (and the optimizer state) throughout', async () => {
    const ours = fcn('ours') as Model;
    const theirs = fcn('tf') as unknown as tf.LayersModel;
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    ours.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.2, momentum: 0.9 }) });
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.momentum(0.2, 0.9) });
    for (const [h, w, oh, ow] of [[12, 12, 2, 2], [16, 20, 3, 4]]) {
      const x = images(4, h, w);
      const y = { data: Float32Array.from({ length: 4 * oh * ow }, (_, i) => i % 2), shape: [4, oh, ow, 1] };
      const h1 = await theirs.fit(tfOf(x), tf.tensor(y.data, y.shape), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      const h2 = await ours.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      close(h2.history.loss, h1.history.loss as number[], 1e-5);
    }
    const theirWeights = theirs.getWeights();
    ours.getWeights().forEach((w, i) => close(w.data, theirWeights[i].dataSync(), 1e-5));
    ours.dispose();
    theirs.dispose();
  });

  it('a layer shared across two sizes (one convolution over two images) trains as TF.js: its gradients summed over both', async () => {
    const build = (lib: 'ours' | 'tf') => {
      const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
      const inp = (lib === 'ours' ? input : tf.input) as typeof input;
      const a = inp({ shape: [6, 6, 2], name: 'a' }), b = inp({ shape: [4, 8, 2], name: 'b' });
      const conv = L.conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', name: 'shared' });
      const fa = L.flatten({ name: 'fa' }).apply(conv.apply(a)), fb = L.flatten({ name: 'fb' }).apply(conv.apply(b));
      const out = L.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(L.concatenate({ name: 'join' }).apply([fa, fb]));
      return (lib === 'ours' ? model : tf.model)({ inputs: [a, b], outputs: out } as never);
    };
    const ours = build('ours') as Model;
    const theirs = build('tf') as unknown as tf.LayersModel;
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const xa = images(6, 6, 6), xb = images(6, 4, 8);
    const y = { data: Float32Array.from({ length: 12 }, (_, i) => (i % 2 === Math.floor(i / 6) % 2 ? 1 : 0)), shape: [6, 2] };
    close((ours.predict([xa, xb]) as Tensor).data, (theirs.predict([tfOf(xa), tfOf(xb)]) as tf.Tensor).dataSync(), 1e-5);
    ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.5) });
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.5) });
    const h1 = await theirs.fit([tfOf(xa), tfOf(xb)], tf.tensor(y.data, y.shape), { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
    const h2 = await ours.fit([xa, xb], y, { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    const theirWeights = theirs.getWeights();
    ours.getWeights().forEach((w, i) => close(w.data, theirWeights[i].dataSync(), 1e-5));
    expect(ours.layers.map((l) => l.name)).toEqual((theirs.layers.map((l) => l.name)));
    ours.dispose();
    theirs.dispose();
  });

  it('an image classifier of any image size (global average pooling before the head) predicts and trains as TF.js', async () => {
    const build = (lib: 'ours' | 'tf') => {
      const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
      const x = (lib === 'ours' ? input : tf.input)({ shape: [null, null, 2] } as never) as ReturnType<typeof input>;
      const c = L.conv2d({ filters: 5, kernelSize: 3, activation: 'relu', name: 'features' }).apply(L.zeroPadding2d({ padding: 1, name: 'pad' }).apply(x));
      const out = L.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(L.globalAveragePooling2d({ name: 'gap' }).apply(c));
      return (lib === 'ours' ? model : tf.model)({ inputs: x, outputs: out } as never);
    };
    const ours = build('ours') as Model;
    const theirs = build('tf') as unknown as tf.LayersModel;
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    expect(ours.outputShape).toEqual([3]);
    for (const [h, w] of [[7, 9], [12, 5]]) {
      const x = images(3, h, w);
      close((ours.predict(x) as Tensor).data, (theirs.predict(tfOf(x)) as tf.Tensor).dataSync(), 1e-5);
    }
    ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.5) });
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.5) });
    const x = images(6, 10, 8);
    const y = { data: Float32Array.from({ length: 18 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), shape: [6, 3] };
    const h1 = await theirs.fit(tfOf(x), tf.tensor(y.data, y.shape), { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
    const h2 = await ours.fit(x, y, { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    ours.dispose();
    theirs.dispose();
  });

  it('a TF.js Sequential file with null sizes loads (as a functional model) and predicts as TF.js', async () => {
    const theirs = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [null, null, 2] as never, filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    ] });
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const ours = await loadModel(saved as never);
    expect(ours).toBeInstanceOf(Model);
    const x = images(2, 10, 7);
    close((ours.predict(x) as Tensor).data, (theirs.predict(tfOf(x)) as tf.Tensor).dataSync(), 1e-5);
    ours.dispose();
    theirs.dispose();
  });

  it('clear errors: weights that depend on a null size, data of the wrong channels, a Sequential with null; memory comes back', () => {
    const before = backendInfo().arenaBytesInUse;
    const x = input({ shape: [null, null, 2] });
    expect(() => layers.dense({ units: 2 }).apply(layers.flatten().apply(x))).toThrow(/Dense .*: its weights depend on the sizes of its input \[null\], and some are left to the data \(null\)/);
    expect(() => new Sequential([layers.conv2d({ inputShape: [null, null, 2] as never, filters: 1, kernelSize: 1 })])).toThrow(/a size left to the data, null, needs a functional model/);
    const m = fcn('ours') as Model;
    expect(() => m.predict(images(1, 5, 5).data.length ? { data: new Float32Array(5 * 5 * 3), shape: [1, 5, 5, 3] } : [])).toThrow(/expects x of shape \[samples, null, null, 2\]; received \[1, 5, 5, 3\]/);
    expect(() => m.predict(images(1, 2, 2))).toThrow(ShapeError);
    m.predict(images(1, 9, 9));
    m.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});
