// Penalties and constraints against TF.js: a model with kernel and bias regularizers and the four
// constraints trains to TF.js' weights and losses; files carry them both ways. Activity penalties
// (which TF.js does not run) against central differences of the penalized loss.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Sequential, ValueError, constraints, layers, loadModel, optimizers, regularizers } from '../dist/index.js';

const n = 16, d = 5;
const xs = Array.from({ length: n * d }, (_, i) => Math.fround(Math.sin(i * 0.7) * 2));
const ys = Array.from({ length: n * 3 }, (_, i) => Math.fround(Math.cos(i * 0.3)));
const W1 = Array.from({ length: d * 4 }, (_, i) => Math.fround(Math.sin(i + 1) * 1.5));
const W2 = Array.from({ length: 4 * 3 }, (_, i) => Math.fround(Math.cos(i + 2)));

describe('regularizers and constraints', () => {
  it('penalties train as in TF.js: the same weights and the same losses (penalties included) after every epoch', async () => {
    const theirs = tf.sequential({ layers: [
      tf.layers.dense({ units: 4, inputShape: [d], activation: 'tanh', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: tf.regularizers.l2({ l2: 0.05 }) }),
      tf.layers.dense({ units: 3, kernelRegularizer: tf.regularizers.l1({ l1: 0.03 }) }),
    ] });
    theirs.setWeights([tf.tensor2d(W1, [d, 4]), tf.tensor1d([0.1, -0.2, 0.3, 0]), tf.tensor2d(W2, [4, 3]), tf.tensor1d([0.2, 0.1, -0.1])]);
    theirs.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
    const history = await theirs.fit(tf.tensor2d(xs, [n, d]), tf.tensor2d(ys, [n, 3]), { epochs: 4, batchSize: n, shuffle: false, verbose: 0 });

    const ours = new Sequential([
      layers.dense({ units: 4, inputShape: [d], activation: 'tanh', kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: regularizers.l2({ l2: 0.05 }) }),
      layers.dense({ units: 3, kernelRegularizer: regularizers.l1({ l1: 0.03 }), kernelConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.9, rate: 0.7 }),
        biasConstraint: constraints.unitNorm() }),
    ]);
    // The constraints of the second layer only travel in the file here (TF.js applies constraints
    // when weights are set, not after its optimizer's updates; the next test checks ours).
    const trained = new Sequential([
      layers.dense({ units: 4, inputShape: [d], activation: 'tanh', kernelRegularizer: 'l1l2', biasRegularizer: regularizers.l2({ l2: 0.05 }) }),
      layers.dense({ units: 3, kernelRegularizer: regularizers.l1({ l1: 0.03 }) }),
    ]);
    expect((trained.layers[0] as unknown as { kernelBias: { kernelRegularizer: unknown } }).kernelBias.kernelRegularizer).toEqual({ l1: 0.01, l2: 0.01 });
    const model = new Sequential([
      layers.dense({ units: 4, inputShape: [d], activation: 'tanh', kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: regularizers.l2({ l2: 0.05 }) }),
      layers.dense({ units: 3, kernelRegularizer: regularizers.l1({ l1: 0.03 }) }),
    ]);
    model.setWeights([{ data: W1, shape: [d, 4] }, { data: [0.1, -0.2, 0.3, 0], shape: [4] }, { data: W2, shape: [4, 3] }, { data: [0.2, 0.1, -0.1], shape: [3] }]);
    model.compile({ loss: 'meanSquaredError', optimizer: optimizers.sgd(0.1) });
    const ourHistory = await model.fit({ data: xs, shape: [n, d] }, { data: ys, shape: [n, 3] }, { epochs: 4, batchSize: n, shuffle: false, verbose: 0 });
    ourHistory.history.loss.forEach((v, i) => expect(Math.abs(v - (history.history.loss[i] as number))).toBeLessThan(1e-5));
    const expected = theirs.getWeights().flatMap((w) => Array.from(w.dataSync()));
    model.getWeights().flatMap((w) => Array.from(w.data)).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    // evaluate includes the penalties, as Keras' does (TF.js' evaluate leaves them out: added here).
    const [k1, b1, k2] = theirs.getWeights();
    const penalties = tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }).apply(k1).dataSync()[0] + tf.regularizers.l2({ l2: 0.05 }).apply(b1).dataSync()[0]
      + tf.regularizers.l1({ l1: 0.03 }).apply(k2).dataSync()[0];
    const theirLoss = (theirs.evaluate(tf.tensor2d(xs, [n, d]), tf.tensor2d(ys, [n, 3])) as tf.Scalar).dataSync()[0] + penalties;
    expect(Math.abs((await model.evaluate({ data: xs, shape: [n, d] }, { data: ys, shape: [n, 3] }))[0] - theirLoss)).toBeLessThan(1e-5);

    // Files both ways: TF.js reads ours with its regularizers and constraints, we read TF.js'.
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    const first = (back.layers[0] as unknown as { getConfig(): Record<string, unknown> }).getConfig();
    const second = (back.layers[1] as unknown as { getConfig(): Record<string, unknown> }).getConfig();
    expect(first.kernelRegularizer).toEqual({ className: 'L1L2', config: { l1: 0.01, l2: 0.02 } });
    expect(second.kernelConstraint).toEqual({ className: 'MinMaxNorm', config: { minValue: 0.5, maxValue: 0.9, rate: 0.7, axis: 0 } });
    expect(second.biasConstraint).toEqual({ className: 'UnitNorm', config: { axis: 0 } });
    let saved: tf.io.ModelArtifacts | undefined;
    await back.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const loaded = await loadModel(saved as never);
    const layer = loaded.layers[1] as unknown as { kernelBias: Record<string, unknown> };
    expect(layer.kernelBias.kernelRegularizer).toEqual({ l1: 0.03, l2: 0 });
    expect(layer.kernelBias.kernelConstraint).toMatchObject({ minValue: 0.5, maxValue: 0.9, rate: 0.7 });
    for (const m of [loaded, ours, trained, model]) m.dispose();
    back.dispose();
    theirs.dispose();
  });

  for (const [name, theirs, ours, shape] of [
    ['maxNorm (axis 0)', () => tf.constraints.maxNorm({ maxValue: 0.4, axis: 0 }), () => constraints.maxNorm({ maxValue: 0.4 }), 'dense'],
    ['minMaxNorm', () => tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.9, rate: 0.7, axis: 0 }), () => constraints.minMaxNorm({ minValue: 0.5, maxValue: 0.9, rate: 0.7 }), 'dense'],
    ['unitNorm', () => tf.constraints.unitNorm({ axis: 0 }), () => 'unitNorm', 'dense'],
    ['nonNeg', () => tf.constraints.nonNeg(), () => 'nonNeg', 'dense'],
    ['maxNorm over a convolution\'s filters (axes 0–2)', () => tf.constraints.maxNorm({ maxValue: 0.5, axis: [0, 1, 2] }), () => constraints.maxNorm({ maxValue: 0.5, axis: [0, 1, 2] }), 'conv'],
  ] as const) {
    it(`${name}: after each update the weights are TF.js' constraint of the updated weights`, async () => {
      const conv = shape === 'conv';
      const model = new Sequential(conv
        ? [layers.reshape({ targetShape: [3, 3, 2], inputShape: [18] }), layers.conv2d({ filters: 2, kernelSize: 2, kernelConstraint: ours() as never }), layers.flatten()]
        : [layers.dense({ units: 3, inputShape: [d], kernelConstraint: ours() as never })]);
      model.compile({ loss: 'meanSquaredError', optimizer: optimizers.sgd(0.05) });
      const x = conv ? { data: xs.slice(0, 4 * 18), shape: [4, 18] } : { data: xs.slice(0, 4 * d), shape: [4, d] };
      const outputs = conv ? 8 : 3;
      const y = { data: ys.slice(0, 4 * outputs).concat(Array(Math.max(0, 4 * outputs - ys.length)).fill(0)).slice(0, 4 * outputs), shape: [4, outputs] };
      const [kernel, bias] = model.getWeights();
      const { gradients } = model.gradients(x, y);
      await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      const updated = tf.sub(tf.tensor(Array.from(kernel.data), [...kernel.shape]), tf.mul(0.05, tf.tensor(Array.from(gradients[0].data), [...kernel.shape])));
      const expected = theirs().apply(updated).dataSync();
      const after = model.getWeights();
      after[0].data.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
      // The bias has no constraint: a plain SGD step.
      after[1].data.forEach((v, i) => expect(Math.abs(v - (bias.data[i] - 0.05 * gradients[1].data[i]))).toBeLessThan(1e-7));
      model.dispose();
      tf.dispose(updated);
    });
  }

  it('an activity penalty joins the loss, and its gradients match central differences', () => {
    const model = new Sequential([
      layers.dense({ units: 3, inputShape: [d], activation: 'sigmoid', activityRegularizer: regularizers.l1l2({ l1: 0.02, l2: 0.03 }) }),
      layers.dense({ units: 2, activation: 'softmax', activityRegularizer: 'l2' }),
    ]);
    const W = [Array.from({ length: d * 3 }, (_, i) => Math.sin(i) * 0.5), [0.1, 0, -0.1], Array.from({ length: 6 }, (_, i) => Math.cos(i)), [0, 0.2]];
    model.setWeights([{ data: W[0], shape: [d, 3] }, { data: W[1], shape: [3] }, { data: W[2], shape: [3, 2] }, { data: W[3], shape: [2] }]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.1) });
    const x = { data: xs.slice(0, 4 * d), shape: [4, d] };
    const y = { data: [1, 0, 0, 1, 1, 0, 0, 1], shape: [4, 2] };
    const { loss, gradients } = model.gradients(x, y);
    const lossAt = (weights: number[][]) => {
      model.setWeights(weights.map((w, i) => ({ data: w, shape: model.getWeights()[i].shape as number[] })));
      return model.gradients(x, y).loss;
    };
    expect(Math.abs(lossAt(W) - loss)).toBe(0);
    const h = 1e-2;
    W.forEach((w, t) => w.forEach((_, j) => {
      const plus = W.map((a) => a.slice()), minus = W.map((a) => a.slice());
      plus[t][j] += h;
      minus[t][j] -= h;
      const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(Math.abs(gradients[t].data[j] - numeric), `weight ${t}[${j}]`).toBeLessThan(2e-3);
    }));
    model.dispose();
  });

  it('bad regularizers and constraints are refused, naming the option', () => {
    expect(() => layers.dense({ units: 2, kernelRegularizer: 'l3' as never })).toThrow(/Dense: kernelRegularizer must be 'l1', 'l2', 'l1l2'/);
    expect(() => layers.dense({ units: 2, kernelRegularizer: regularizers.l2({ l2: -1 }) })).toThrow(ValueError);
    expect(() => layers.dense({ units: 2, kernelConstraint: constraints.maxNorm({ axis: 1 }) })).toThrow(/axis must be 0 or the leading axes/);
    expect(() => layers.dense({ units: 2, biasConstraint: 'positive' as never })).toThrow(/Dense: biasConstraint must be 'maxNorm'/);
  });
});
