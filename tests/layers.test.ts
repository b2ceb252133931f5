// The one layer test harness (Keras' LayerTestCase idea): every layer, activation and loss runs
// through the same checks — output shape and parameter count against TensorFlow.js, forward
// values against TF.js and against an independent f64 reference, gradients against central
// finite differences of that reference, and no WebAssembly memory left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Sequential, backendInfo, layers, optimizers, setRandomSeed, type Layer } from '../dist/index.js';
import { refForward, refLoss, type RefLayer } from './nn-reference.js';
import { testRandom } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  setRandomSeed(7);
});

interface Case {
  name: string;
  make: () => Layer[];
  loss: string;
  /** Sparse labels (class indices) rather than rows of targets. */
  sparse?: boolean;
  /** 'onehot' rows, 'unit' values in (0, 1), or 'any' values. */
  targets?: 'onehot' | 'unit' | 'any';
}

const CASES: Case[] = [
  { name: 'dense sigmoid → dense softmax, categorical cross-entropy (fused)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 7, activation: 'sigmoid', inputShape: [5] }), layers.dense({ units: 4, activation: 'softmax' })] },
  { name: 'dense tanh → dense linear, mse', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), layers.dense({ units: 3 })] },
  { name: 'dense relu → dense sigmoid, binary cross-entropy (fused)', loss: 'binaryCrossentropy', targets: 'unit',
    make: () => [layers.dense({ units: 9, activation: 'relu', inputShape: [4] }), layers.dense({ units: 2, activation: 'sigmoid' })] },
  { name: 'dense elu → dense softmax, sparse categorical cross-entropy (fused)', loss: 'sparse_categorical_crossentropy', sparse: true,
    make: () => [layers.dense({ units: 6, activation: 'elu', inputShape: [3] }), layers.dense({ units: 5, activation: 'softmax' })] },
  { name: 'dense → activation softmax layer, categorical cross-entropy (fused through Activation)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 8, inputShape: [4] }), layers.dense({ units: 4 }), layers.activation({ activation: 'softmax' })] },
  { name: 'softmax in the middle (its Jacobian), mse', loss: 'meanSquaredError', targets: 'any',
    make: () => [layers.dense({ units: 6, inputShape: [4] }), layers.activation({ activation: 'softmax' }), layers.dense({ units: 3, activation: 'tanh' })] },
  { name: 'softmax output with binary cross-entropy (not fused)', loss: 'binaryCrossentropy', targets: 'unit',
    make: () => [layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'sigmoid output with categorical cross-entropy (not fused)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'sigmoid', useBias: false })] },
  { name: 'conv2d valid relu → max pooling → flatten → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [7, 6, 2] }), layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv2d same stride 2 tanh → conv2d 1×1 → max pooling same 3/2 → flatten → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'tanh', inputShape: [7, 8, 3] }),
      layers.conv2d({ filters: 5, kernelSize: 1, activation: 'sigmoid' }), layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'conv2d strides [1, 2] with 8 filters (SIMD pooling lanes) → max pooling [2, 1]', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 8, kernelSize: 2, strides: [1, 2], activation: 'elu', inputShape: [5, 9, 1] }),
      layers.maxPooling2d({ poolSize: [2, 1] }), layers.flatten(), layers.dense({ units: 2, activation: 'sigmoid' })] },
  { name: 'reshape → dense on the last axis → flatten', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 6, activation: 'sigmoid', inputShape: [4] }), layers.reshape({ targetShape: [3, -1] }),
      layers.dense({ units: 4, activation: 'relu' }), layers.flatten(), layers.dropout({ rate: 0 }), layers.dense({ units: 3, activation: 'softmax' })] },
];

const KIND: Record<string, string> = {
  categoricalCrossentropy: 'categoricalCrossentropy', mse: 'meanSquaredError', meanSquaredError: 'meanSquaredError',
  binaryCrossentropy: 'binaryCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

function data(c: Case, model: Sequential, n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const next = testRandom(seed);
  const inSize = model.inputShape.reduce((a, b) => a * b, 1);
  const units = model.outputShape[model.outputShape.length - 1];
  const rows = model.outputShape.slice(0, -1).reduce((a, b) => a * b, 1) * n;
  const x = Float32Array.from({ length: n * inSize }, () => next() * 2 - 1);
  if (c.sparse) return { x, y: Float32Array.from({ length: rows }, () => Math.floor(next() * units)) };
  const y = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) {
    if (c.targets === 'onehot') y[r * units + Math.floor(next() * units)] = 1;
    else for (let j = 0; j < units; j++) y[r * units + j] = c.targets === 'unit' ? 0.05 + 0.9 * next() : next() * 2 - 1;
  }
  return { x, y };
}

const asRef = (model: Sequential): RefLayer[] => model.layers as unknown as RefLayer[];
const f64 = (model: Sequential): Float64Array[][] => model.layers.map((l) => l.getWeights().map((t) => Float64Array.from(t.data)));

describe.each(CASES)('$name', (c) => {
  const n = 5;

  test('output shape and parameter count agree with TF.js; forward agrees with TF.js and the f64 reference', async () => {
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: 'sgd' });
    const { x } = data(c, model, n, 1);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(model.toTfjs() as unknown as tf.io.ModelArtifacts));
    expect(theirs.outputs[0].shape.slice(1)).toEqual([...model.outputShape]);
    expect(theirs.countParams()).toBe(model.countParams());
    const ours = model.predict({ data: x, shape: [n, ...model.inputShape] });
    const tfOut = (theirs.predict(tf.tensor(x, [n, ...model.inputShape])) as tf.Tensor).dataSync();
    const ref = refForward(asRef(model), Float64Array.from(x), n, f64(model));
    expect(ours.shape).toEqual([n, ...model.outputShape]);
    for (let i = 0; i < ours.size; i++) {
      expect(Math.abs(ours.data[i] - ref[i])).toBeLessThan(2e-6 + 2e-6 * Math.abs(ref[i]));
      expect(Math.abs(ours.data[i] - tfOut[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(ref[i]));
    }
    theirs.dispose();
    model.dispose();
  });

  test('gradients match central finite differences of the f64 reference', () => {
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: 'sgd' });
    const { x, y } = data(c, model, n, 2);
    const { loss, gradients } = model.gradients({ data: x, shape: [n, ...model.inputShape] }, { data: y, shape: c.sparse ? [y.length] : [n, ...model.outputShape] });
    const weights = f64(model);
    const kind = KIND[c.loss] ?? c.loss;
    const units = model.outputShape[model.outputShape.length - 1];
    const lossAt = () => refLoss(kind, refForward(asRef(model), Float64Array.from(x), n, weights), y, units);
    expect(Math.abs(loss - lossAt())).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
    let g = 0;
    const pick = testRandom(3);
    let checked = 0;
    weights.forEach((layerWeights) => layerWeights.forEach((w) => {
      const analytic = gradients[g++].data;
      expect(analytic.length).toBe(w.length);
      const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
      for (let t = 0; t < Math.min(w.length, 12); t++) {
        const i = Math.floor(pick() * w.length);
        const h = 1e-6;
        const keep = w[i];
        w[i] = keep + h;
        const up = lossAt();
        w[i] = keep - h;
        const down = lossAt();
        w[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(analytic[i] - numeric), `weight element ${i}: ${analytic[i]} vs ${numeric}`).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(numeric));
        checked++;
      }
    }));
    expect(checked).toBeGreaterThan(10);
    model.dispose();
  });

  test('building and disposing leaves the WebAssembly arena where it was', () => {
    const before = backendInfo().arenaBytesInUse;
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: optimizers.adam() });
    expect(backendInfo().arenaBytesInUse).toBeGreaterThan(before);
    const { x, y } = data(c, model, n, 4);
    model.gradients({ data: x, shape: [n, ...model.inputShape] }, { data: y, shape: c.sparse ? [y.length] : [n, ...model.outputShape] });
    model.predict({ data: x, shape: [n, ...model.inputShape] });
    model.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});
