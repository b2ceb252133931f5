// Keras' Normalization layer: adapt() learns each feature's mean and (biased) variance, computed
// here in f64 as the reference; outputs (x − mean)/max(√variance, 1e-7); given statistics; files
// keep them; gradients flow through it (the layer harness checks them against finite differences).
import { describe, expect, it } from 'vitest';
import { Sequential, ShapeError, ValueError, layers, loadModel, optimizers } from '../dist/index.js';
import { testRandom } from './reference.js';

const next = testRandom(61);
const n = 40;
// Features of very different scales, and one constant feature.
const x = Float32Array.from({ length: n * 4 }, (_, i) => Math.fround([next() * 1000, next() - 5, 7, next() * 0.01][i % 4]));

function reference(data: Float32Array, c: number): { mean: number[]; variance: number[] } {
  const rows = data.length / c;
  const mean = Array.from({ length: c }, (_, j) => { let s = 0; for (let r = 0; r < rows; r++) s += data[r * c + j]; return s / rows; });
  const variance = mean.map((m, j) => { let s = 0; for (let r = 0; r < rows; r++) s += (data[r * c + j] - m) ** 2; return s / rows; });
  return { mean, variance };
}

describe('normalization', () => {
  it('adapt learns the mean and variance; predict gives (x − mean)/max(√variance, 1e-7); files keep them', async () => {
    const norm = layers.normalization();
    norm.adapt({ data: x, shape: [n, 4] });
    const { mean, variance } = reference(x, 4);
    const [m, v, count] = norm.getWeights();
    m.data.forEach((value, j) => expect(value).toBeCloseTo(mean[j], 3));
    v.data.forEach((value, j) => expect(Math.abs(value - variance[j])).toBeLessThan(1e-4 * (1 + variance[j])));
    expect(Array.from(count.data)).toEqual([n]);
    const model = new Sequential([norm, layers.dense({ units: 2 })]);
    model.build([4]);
    const out = new Sequential([norm]).predict({ data: x, shape: [n, 4] }).data;
    out.forEach((value, i) => {
      const j = i % 4;
      expect(Math.abs(value - (x[i] - m.data[j]) / Math.max(Math.sqrt(v.data[j]), 1e-7))).toBeLessThan(1e-4);
    });
    // The constant feature becomes 0, not NaN.
    expect(out[2]).toBe(0);
    const back = await loadModel(model.toBytes());
    expect(Array.from(back.layers[0].getWeights()[0].data)).toEqual(Array.from(m.data));
    model.compile({ loss: 'mse', optimizer: optimizers.sgd(0.01) });
    const before = Array.from(m.data);
    await model.fit({ data: x, shape: [n, 4] }, { data: new Float32Array(n * 2), shape: [n, 2] }, { epochs: 1, verbose: 0 });
    expect(Array.from(norm.getWeights()[0].data)).toEqual(before);
    for (const mdl of [model, back]) mdl.dispose();
  });

  it('given statistics (one for all features, or one each); clear errors', () => {
    const m = new Sequential([layers.normalization({ mean: [1, 2], variance: [4, 9], inputShape: [2] })]);
    expect(Array.from(m.predict([[3, 8]]).data)).toEqual([1, 2]);
    const all = new Sequential([layers.normalization({ mean: 1, variance: 4, inputShape: [2] })]);
    expect(Array.from(all.predict([[3, 5]]).data)).toEqual([1, 2]);
    expect(() => layers.normalization({ mean: 1 })).toThrow(/give both mean and variance/);
    expect(() => layers.normalization({ mean: 0, variance: -1 })).toThrow(/variance must be ≥ 0/);
    expect(() => layers.normalization().adapt({ data: new Float32Array(0), shape: [0, 3] })).toThrow(ShapeError);
    expect(() => layers.normalization().adapt([[1, Number.NaN]])).toThrow(ValueError);
    m.dispose();
    all.dispose();
  });
});
