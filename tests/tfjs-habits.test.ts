// What TF.js users write: positional optimizer arguments, TF.js tensors handed to fit and predict
// (read through dataSync() and shape, no TF.js dependency), and the Tensor read as TF.js reads one.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { PCA, SVC, Sequential, ValueError, layers, loadIris, model as functional, optimizers } from '../dist/index.js';

const iris = loadIris();
// TF.js tensors hold float32: the array path gets the same f32 values.
const X32 = iris.data.map((row) => row.map(Math.fround));

function model(): Sequential {
  const m = new Sequential([
    layers.dense({ units: 6, inputShape: [4], activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
  ]);
  return m;
}

describe('TF.js habits', () => {
  it('optimizers take TF.js positional arguments, the same as the options object', () => {
    expect(optimizers.sgd(0.1).getConfig()).toEqual(optimizers.sgd({ learningRate: 0.1 }).getConfig());
    expect(optimizers.adam(0.01, 0.8, 0.99, 1e-6).getConfig()).toEqual(optimizers.adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }).getConfig());
    expect(optimizers.adam(0.02).getConfig()).toEqual(optimizers.adam({ learningRate: 0.02 }).getConfig());
    expect(optimizers.rmsprop(0.01, 0.8, 0, 1e-6).getConfig()).toEqual(optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, epsilon: 1e-6 }).getConfig());
    expect(optimizers.adagrad(0.1, 0.2).getConfig()).toEqual(optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2 }).getConfig());
    expect(optimizers.momentum(0.1, 0.9, true).getConfig()).toEqual(optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }).getConfig());
    expect(() => optimizers.rmsprop(0.01, 0.9, 0.5)).toThrow(/rmsprop: momentum 0.5 is not supported/);
    expect(() => optimizers.sgd(-1)).toThrow(ValueError);
    expect(() => optimizers.adam(0.1, 0.9, 0.999, 1e-7, 3 as never)).toThrow(/adam: at most 4 positional arguments/);
  });

  it('fit and predict take TF.js tensors, with the same results as arrays', async () => {
    const a = model(), b = model();
    a.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.sgd(0.1) });
    b.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.1 }) });
    await a.fit(iris.data, iris.target, { epochs: 3, batchSize: 16, seed: 4, verbose: 0 });
    await b.fit(tf.tensor2d(iris.data), tf.tensor1d(iris.target, 'int32'), { epochs: 3, batchSize: 16, seed: 4, verbose: 0 });
    const pa = a.predict(iris.data), pb = b.predict(tf.tensor2d(iris.data));
    expect(Array.from(pb.data)).toEqual(Array.from(pa.data));
    const svcArrays = await new SVC({ probability: true, seed: 1 }).fit(X32, iris.target);
    const svcTensors = await new SVC({ probability: true, seed: 1 }).fit(tf.tensor2d(iris.data), tf.tensor1d(iris.target, 'int32'));
    expect(svcTensors.predictProba(tf.tensor2d(iris.data))).toEqual(svcArrays.predictProba(X32));
    expect((await new PCA({ nComponents: 2 }).fit(tf.tensor2d(iris.data))).transform(X32)).toEqual((await new PCA({ nComponents: 2 }).fit(X32)).transform(X32));
    a.dispose();
    b.dispose();
  });

  it('the returned Tensor reads as a TF.js tensor does: dataSync, arraySync, array, dtype', async () => {
    const m = model();
    const ours = m.predict(iris.data.slice(0, 4));
    const theirs = tf.tensor(Array.from(ours.data), [...ours.shape]);
    expect(ours.dtype).toBe(theirs.dtype);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    expect(ours.arraySync()).toEqual(theirs.arraySync());
    expect(await ours.array()).toEqual(await theirs.array());
    m.dispose();
  });

  it('a Sequential model has inputs, outputs and layer outputs as in TF.js: cut at a layer, it predicts as TF.js cut there', () => {
    const build = (lib: 'ours' | 'tf') => {
      const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
      return [L.dense({ units: 6, activation: 'relu', inputShape: [4], name: 'first' }), L.dense({ units: 5, activation: 'tanh', name: 'second' }), L.dense({ units: 3, activation: 'softmax', name: 'third' })];
    };
    const ours = new Sequential(build('ours'));
    const theirs = tf.sequential({ layers: build('tf') as unknown as tf.layers.Layer[] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    expect(ours.inputs[0].shape).toEqual([4]);
    expect(ours.outputs[0].shape).toEqual([3]);
    const cut = functional({ inputs: ours.inputs, outputs: (ours.getLayer('second') as { output: never }).output });
    const tfCut = tf.model({ inputs: theirs.inputs, outputs: theirs.getLayer('second').output as tf.SymbolicTensor });
    const x = [[0.5, -1, 2, 0.1], [1, 1, -0.3, 0]];
    const p = cut.predict(x) as { data: Float32Array; shape: number[] };
    expect(p.shape).toEqual([2, 5]);
    const q = (tfCut.predict(tf.tensor2d(x)) as tf.Tensor).dataSync();
    p.data.forEach((v, i) => expect(Math.abs(v - q[i])).toBeLessThan(1e-6));
    expect(() => new Sequential([layers.dense({ units: 2 })]).inputs).toThrow(/input shape is not known yet/);
    ours.dispose();
    theirs.dispose();
  });
});
