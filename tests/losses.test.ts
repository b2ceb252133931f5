// Every loss against TF.js (its tf.losses.* and layers losses, computed by TF.js itself): the value
// of the loss function, and through a dense layer the loss and the gradients fit uses; names, TF.js
// loss functions and metric functions accepted by compile.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Sequential, ValueError, layers, losses, optimizers } from '../dist/index.js';
import { testRandom } from './reference.js';

const rows = 12, d = 5, k = 3;
const next = testRandom(17);
const values = (n: number, scale = 1, offset = 0) => Array.from({ length: n }, () => Math.fround((next() * 2 - 1) * scale + offset));
const x = values(rows * d);
const W = values(d * k, 0.6), b = values(k, 0.2);

type Ref = (t: tf.Tensor, p: tf.Tensor) => tf.Tensor;
const mean = (t: tf.Tensor) => tf.mean(t);
/** name, TF.js reference (a scalar mean over the batch), targets, the output activation. */
const CASES: [string, Ref, number[], 'linear' | 'sigmoid'][] = [
  ['meanSquaredError', (t, p) => tf.losses.meanSquaredError(t, p), values(rows * k), 'linear'],
  ['meanAbsoluteError', (t, p) => tf.losses.absoluteDifference(t, p), values(rows * k), 'linear'],
  ['meanAbsolutePercentageError', (t, p) => mean(tf.metrics.MAPE(t, p)), values(rows * k, 1, 0.1), 'linear'],
  ['huberLoss', (t, p) => tf.losses.huberLoss(t, p), values(rows * k, 2), 'linear'],
  ['logLoss', (t, p) => tf.losses.logLoss(t, p), values(rows * k).map((v) => (v > 0 ? 1 : 0)), 'sigmoid'],
  ['hinge', (t, p) => mean(tf.maximum(0, tf.sub(1, tf.mul(t, p)))), values(rows * k).map((v) => (v > 0 ? 1 : -1)), 'linear'],
  ['hingeLoss', (t, p) => tf.losses.hingeLoss(t, p), values(rows * k).map((v) => (v > 0 ? 1 : 0)), 'linear'],
  ['cosineDistance', (t, p) => tf.losses.cosineDistance(t, p, 1), values(rows * k), 'linear'],
  ['sigmoidCrossEntropy', (t, p) => tf.losses.sigmoidCrossEntropy(t, p), values(rows * k).map((v) => (v > 0.3 ? 1 : 0)), 'linear'],
  ['binaryCrossentropy', (t, p) => tf.losses.logLoss(t, tf.clipByValue(p, 1e-7, 1 - 1e-7), undefined, 0), values(rows * k).map((v) => (v > 0 ? 1 : 0)), 'sigmoid'],
];

function close(actual: number, expected: number, tolerance: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('losses against TF.js', () => {
  for (const [name, reference, targets, activation] of CASES) {
    it(`${name}: the loss function, and the loss and gradients of a dense layer, as TF.js computes them`, () => {
      const tx = tf.tensor2d(x, [rows, d]), tt = tf.tensor2d(targets, [rows, k]);
      const tW = tf.variable(tf.tensor2d(W, [d, k])), tb = tf.variable(tf.tensor1d(b));
      const forward = () => {
        const z = tf.add(tf.matMul(tx, tW), tb);
        return activation === 'sigmoid' ? tf.sigmoid(z) : z;
      };
      const predictions = forward();
      // The loss function on values.
      const fn = (losses as Record<string, (t: unknown, p: unknown) => number>)[name];
      close(fn({ data: Float32Array.from(targets), shape: [rows, k] }, { data: predictions.dataSync(), shape: [rows, k] }), reference(tt, predictions).dataSync()[0], 1e-5, `${name} value`);
      // The loss and gradients through a layer, as fit computes them.
      const { value, grads } = tf.variableGrads(() => reference(tt, forward()) as tf.Scalar, [tW, tb]);
      const model = new Sequential([layers.dense({ units: k, inputShape: [d], activation })]);
      model.setWeights([{ data: Float32Array.from(W), shape: [d, k] }, { data: Float32Array.from(b), shape: [k] }]);
      model.compile({ loss: name, optimizer: optimizers.sgd(0.1) });
      const ours = model.gradients({ data: Float32Array.from(x), shape: [rows, d] }, { data: Float32Array.from(targets), shape: [rows, k] });
      close(ours.loss, value.dataSync()[0], 1e-5, `${name} loss`);
      const theirs = [grads[tW.name].dataSync(), grads[tb.name].dataSync()];
      ours.gradients.forEach((g, i) => g.data.forEach((v, j) => close(v, theirs[i][j], 2e-5, `${name} gradient ${i}[${j}]`)));
      model.dispose();
      tf.dispose([tx, tt, tW, tb, predictions, value, ...Object.values(grads)]);
    });
  }

  it('compile takes loss functions — ours, binaryCrossentropy({ fromLogits }) and TF.js tf.losses.* — and TF.js metric functions', async () => {
    const run = async (loss: unknown, metrics: unknown[] = []) => {
      const model = new Sequential([layers.dense({ units: 1, inputShape: [d], kernelInitializer: { name: 'glorotUniform', seed: 3 } })]);
      model.compile({ loss: loss as never, optimizer: optimizers.sgd(0.05), metrics: metrics as never });
      const y = { data: Float32Array.from({ length: rows }, (_, i) => (x[i * d] > 0 ? 1 : 0)), shape: [rows, 1] };
      const history = await model.fit({ data: Float32Array.from(x), shape: [rows, d] }, y, { epochs: 2, batchSize: 4, seed: 2, verbose: 0 });
      model.dispose();
      return history.history;
    };
    expect(await run(losses.meanSquaredError)).toEqual(await run('mse'));
    expect(await run(tf.losses.meanSquaredError)).toEqual(await run('meanSquaredError'));
    expect(await run(losses.binaryCrossentropy({ fromLogits: true }))).toEqual(await run('sigmoidCrossEntropy'));
    expect(await run(tf.losses.sigmoidCrossEntropy)).toEqual(await run('sigmoid_cross_entropy'));
    const h = await run('sigmoidCrossEntropy', [tf.metrics.precision, 'recall', 'mae', tf.metrics.binaryAccuracy]);
    expect(Object.keys(h).sort()).toEqual(['binaryAccuracy', 'loss', 'mae', 'precision', 'recall']);
    for (const key of ['precision', 'recall', 'binaryAccuracy']) for (const v of h[key]) expect(v >= 0 && v <= 1).toBe(true);
    expect(() => new Sequential([layers.dense({ units: 2, inputShape: [2] })]).compile({ loss: 'cosine', optimizer: 'sgd' })).toThrow(/unknown loss the string "cosine"; known losses are .*huberLoss/);
    expect(() => losses.binaryCrossentropy({ fromLogits: 'yes' } as never)).toThrow(ValueError);
  });

  it('precision and recall per batch match scikit-learn\'s definitions with a 0.5 threshold', async () => {
    // One batch: the reported value is the batch's own.
    const model = new Sequential([layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid', useBias: false })]);
    model.setWeights([{ data: new Float32Array([1]), shape: [1, 1] }]);
    model.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.sgd(0.1), metrics: ['precision', 'recall'] });
    // Inputs > 0 predict positive: predictions + + + − −, truths 1 0 1 1 0 → tp 2, fp 1, fn 1.
    const [, precision, recall] = await model.evaluate([[1], [2], [3], [-1], [-2]], [[1], [0], [1], [1], [0]]);
    close(precision, 2 / 3, 1e-7, 'precision');
    close(recall, 2 / 3, 1e-7, 'recall');
    model.dispose();
  });
});
