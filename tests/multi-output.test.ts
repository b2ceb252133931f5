// Models of several outputs against real @tensorflow/tfjs: per-output losses and metrics (lists,
// keyed objects), lossWeights, targets as arrays or keyed by output name, predict giving one
// tensor per output, the logged names, and files both ways. The gradients against finite
// differences are in the layer harness (tests/layers.test.ts).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Model, ValueError, input, layers, loadModel, model, optimizers, type Tensor } from '../dist/index.js';
import { testRandom } from './reference.js';

const n = 16;
const next = testRandom(41);
const values = (count: number) => Array.from({ length: count }, () => Math.fround(next() * 2 - 1));
const x = values(n * 4);
const yCls = Array.from({ length: n }, (_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0))).flat();
const yReg = values(n * 2);
const yAux = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));

/** x → h → cls (softmax), reg (linear, from h and cls: cls also feeds a layer), aux (sigmoid). */
function build(lib: 'ours' | 'tf') {
  const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
  const inp = (lib === 'ours' ? input : tf.input)({ shape: [4], name: 'x' }) as ReturnType<typeof input>;
  const h = L.dense({ units: 6, activation: 'tanh', name: 'h' }).apply(inp);
  const cls = L.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = L.dense({ units: 2, name: 'reg' }).apply(L.concatenate({ name: 'join' }).apply([h, cls]));
  const aux = L.dense({ units: 1, activation: 'sigmoid', name: 'aux' }).apply(h);
  return (lib === 'ours' ? model : tf.model)({ inputs: inp, outputs: [cls, reg, aux], name: 'three' } as never);
}

function pair(): { ours: Model; theirs: tf.LayersModel } {
  const ours = build('ours') as Model;
  const theirs = build('tf') as unknown as tf.LayersModel;
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
  return { ours, theirs };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance * (1 + Math.abs(b[i])));
};

const ours3 = { data: x, shape: [n, 4] };
const oursY = [{ data: yCls, shape: [n, 3] }, { data: yReg, shape: [n, 2] }, { data: yAux, shape: [n, 1] }];
const tfX = () => tf.tensor2d(x, [n, 4]);
const tfY = () => [tf.tensor2d(yCls, [n, 3]), tf.tensor2d(yReg, [n, 2]), tf.tensor2d(yAux, [n, 1])];

describe('models of several outputs', () => {
  it('predict gives one tensor per output, as TF.js', () => {
    const { ours, theirs } = pair();
    const p = ours.predict(ours3) as Tensor[];
    const q = theirs.predict(tfX()) as tf.Tensor[];
    expect(ours.outputNames).toEqual(['cls', 'reg', 'aux']);
    expect(ours.outputShapes).toEqual([[3], [2], [1]]);
    expect(p.map((t) => t.shape)).toEqual(q.map((t) => t.shape));
    p.forEach((t, i) => close(t.data, q[i].dataSync(), 1e-6));
    ours.dispose();
    theirs.dispose();
  });

  // TF.js takes lossWeights and ignores them (its training code leaves them for later), so its
  // losses are given weighed by hand: each output's loss function times its weight.
  it('fit as TF.js: a loss per output (list or keyed), lossWeights, targets as a list or keyed by output; the logs name each output', async () => {
    for (const form of ['list', 'keyed'] as const) {
      const { ours, theirs } = pair();
      const losses = ['categoricalCrossentropy', 'meanSquaredError', 'binaryCrossentropy'];
      const weights = [1, 0.5, 2];
      const keyed = <T>(list: T[]) => ({ cls: list[0], reg: list[1], aux: list[2] });
      const weighed = [tf.metrics.categoricalCrossentropy, tf.metrics.meanSquaredError, tf.metrics.binaryCrossentropy]
        .map((f, i) => (t: tf.Tensor, p: tf.Tensor) => f(t, p).mul(weights[i]));
      theirs.compile({ loss: weighed, optimizer: tf.train.sgd(0.3) } as never);
      ours.compile(form === 'list'
        ? { loss: losses, optimizer: optimizers.sgd(0.3), lossWeights: weights, metrics: { cls: ['accuracy'], reg: ['mae'] } }
        : { loss: keyed(losses), optimizer: optimizers.sgd(0.3), lossWeights: keyed(weights), metrics: [['accuracy'], ['mae'], []] });
      const h1 = await theirs.fit(tfX(), tfY(), { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
      const h2 = await ours.fit(ours3, form === 'list' ? oursY : keyed(oursY), { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
      expect(Object.keys(h2.history)).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'cls_accuracy', 'reg_mae']);
      expect(ours.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'cls_accuracy', 'reg_mae']);
      close(h2.history.loss, h1.history.loss as number[], 2e-5);
      ['cls', 'reg', 'aux'].forEach((k, i) => close(h2.history[`${k}_loss`], (h1.history[`${k}_loss`] as number[]).map((v) => v / weights[i]), 2e-5));
      const theirWeights = theirs.getWeights();
      ours.getWeights().forEach((w, i) => close(w.data, theirWeights[i].dataSync(), 2e-5));
      ours.dispose();
      theirs.dispose();
    }
  });

  it('evaluate gives [total, each output\'s loss, each output\'s metrics], the total weighed by lossWeights (as Keras)', async () => {
    const { ours, theirs } = pair();
    ours.compile({ loss: ['categoricalCrossentropy', 'meanSquaredError', 'binaryCrossentropy'], lossWeights: { reg: 0.25 }, optimizer: 'sgd', metrics: ['mse'] });
    const result = await ours.evaluate(ours3, oursY, { batchSize: 5 });
    const [pc, pr, pa] = theirs.predict(tfX()) as tf.Tensor[];
    const [tc, tr, ta] = tfY();
    const mean = (t: tf.Tensor) => t.mean().dataSync()[0];
    const lc = mean(tf.metrics.categoricalCrossentropy(tc, pc)), lr = mean(tf.metrics.meanSquaredError(tr, pr)), la = mean(tf.metrics.binaryCrossentropy(ta, pa));
    const mse = [mean(tf.metrics.meanSquaredError(tc, pc)), lr, mean(tf.metrics.meanSquaredError(ta, pa))];
    close(result, [lc + 0.25 * lr + la, lc, lr, la, ...mse], 1e-5);
    expect(ours.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'cls_mse', 'reg_mse', 'aux_mse']);
    const { loss } = ours.gradients(ours3, oursY);
    close([loss], [lc + 0.25 * lr + la], 1e-5);
    ours.dispose();
    theirs.dispose();
  });

  it('validation and callbacks see every output\'s logs; earlyStopping can watch one output', async () => {
    const { ours } = pair();
    ours.compile({ loss: ['categoricalCrossentropy', 'meanSquaredError', 'binaryCrossentropy'], optimizer: optimizers.adam(0.01) });
    const seen: string[][] = [];
    const h = await ours.fit(ours3, oursY, { epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: { onEpochEnd: (_e, logs) => void seen.push(Object.keys(logs)) } });
    expect(seen[0]).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'val_loss', 'val_cls_loss', 'val_reg_loss', 'val_aux_loss']);
    expect(h.history.val_reg_loss.length).toBe(2);
    ours.dispose();
  });

  it('files both ways: TF.js loads ours compiled and predicts the same; ours loads TF.js\' with its per-output losses; lossWeights kept', async () => {
    const { ours, theirs } = pair();
    ours.compile({ loss: { cls: 'categoricalCrossentropy', reg: 'mse', aux: 'binaryCrossentropy' }, lossWeights: [1, 0.5, 2], optimizer: optimizers.adam(0.01), metrics: { cls: ['accuracy'] } });
    const expected = (theirs.predict(tfX()) as tf.Tensor[]).map((t) => t.dataSync());
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    (back.predict(tfX()) as tf.Tensor[]).forEach((t, i) => close(t.dataSync(), expected[i], 1e-6));
    expect(back.outputNames).toEqual(['cls', 'reg', 'aux']);
    const reloaded = await loadModel(ours.toBytes());
    expect(reloaded.metricsNames).toEqual(ours.metricsNames);
    close(await reloaded.evaluate(ours3, oursY), await ours.evaluate(ours3, oursY), 1e-6);
    theirs.compile({ loss: { cls: 'categoricalCrossentropy', reg: 'meanSquaredError', aux: 'binaryCrossentropy' }, optimizer: tf.train.adam(0.01), metrics: ['mse'] });
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }), { includeOptimizer: true });
    const fromTfjs = await loadModel(saved as never);
    expect(fromTfjs.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'cls_mse', 'reg_mse', 'aux_mse']);
    (fromTfjs.predict(ours3) as Tensor[]).forEach((t, i) => close(t.data, expected[i], 1e-6));
    for (const m of [ours, reloaded, fromTfjs]) m.dispose();
    back.dispose();
    theirs.dispose();
  });

  it('a Keras file with loss, metrics and loss_weights keyed by output recompiles as written', async () => {
    const { ours, theirs } = pair();
    const artifacts = ours.toTfjs();
    const keras = {
      ...artifacts,
      trainingConfig: { loss: { cls: 'categorical_crossentropy', reg: 'mean_absolute_error', aux: 'binary_crossentropy' }, metrics: { aux: ['binary_accuracy'] }, loss_weights: { cls: 2, reg: 1, aux: 0.5 }, optimizer_config: { class_name: 'SGD', config: { learning_rate: 0.1 } } },
    };
    const loaded = await loadModel(keras as never);
    expect(loaded.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'aux_loss', 'aux_binary_accuracy']);
    const r = await loaded.evaluate(ours3, oursY);
    close([r[0]], [2 * r[1] + r[2] + 0.5 * r[3]], 1e-6);
    for (const m of [ours, loaded]) m.dispose();
    theirs.dispose();
  });

  it('a model of two outputs used inside another (both outputs applied), and such a TF.js file, predict as TF.js', async () => {
    const nested = (lib: 'ours' | 'tf') => {
      const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
      const make = (lib === 'ours' ? model : tf.model) as typeof model;
      const inp = (lib === 'ours' ? input : tf.input) as typeof input;
      const u = inp({ shape: [4], name: 'u' });
      const inner = make({ inputs: u, outputs: [L.dense({ units: 3, activation: 'tanh', name: 'p' }).apply(u), L.dense({ units: 3, name: 'q' }).apply(u)], name: 'pair' } as never);
      const v = inp({ shape: [4], name: 'v' });
      const [p, q] = inner.apply(v) as ReturnType<typeof input>[];
      return make({ inputs: v, outputs: L.dense({ units: 2, activation: 'softmax', name: 'top' }).apply(L.multiply({ name: 'mul' }).apply([p, q])), name: 'outer' } as never);
    };
    const theirs = nested('tf') as unknown as tf.LayersModel;
    const ours = nested('ours');
    ours.setWeights(theirs.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape })));
    const expected = (theirs.predict(tfX()) as tf.Tensor).dataSync();
    close((ours.predict(ours3) as Tensor).data, expected, 1e-6);
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const fromTfjs = await loadModel(saved as never);
    close((fromTfjs.predict(ours3) as Tensor).data, expected, 1e-6);
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    close((back.predict(tfX()) as tf.Tensor).dataSync(), expected, 1e-6);
    for (const m of [ours, fromTfjs]) m.dispose();
    back.dispose();
    theirs.dispose();
  });

  it('clear errors for losses, weights, metrics and targets that do not fit the outputs', async () => {
    const { ours, theirs } = pair();
    theirs.dispose();
    expect(() => ours.compile({ loss: ['mse', 'mse'], optimizer: 'sgd' })).toThrow(/loss lists 2 entries for 3 outputs \(cls, reg, aux\)/);
    expect(() => ours.compile({ loss: { cls: 'mse', reg: 'mse' }, optimizer: 'sgd' })).toThrow(/loss has no entry for output 'aux'/);
    expect(() => ours.compile({ loss: { cls: 'mse', reg: 'mse', aux: 'mse', extra: 'mse' }, optimizer: 'sgd' })).toThrow(/loss names 'extra', which is not an output; the model's outputs are cls, reg, aux/);
    expect(() => ours.compile({ loss: 'mse', lossWeights: [1, -1, 1], optimizer: 'sgd' })).toThrow(/lossWeights of output 'reg' must be a finite number ≥ 0; received -1/);
    expect(() => ours.compile({ loss: 'mse', metrics: [['mae'], ['mae']], optimizer: 'sgd' })).toThrow(/metrics lists 2 entries for 3 outputs/);
    expect(() => ours.compile({ loss: ['mse', 'nope', 'mse'], optimizer: 'sgd' })).toThrow(/unknown loss .*nope/);
    ours.compile({ loss: 'mse', optimizer: 'sgd' });
    await expect(ours.fit(ours3, oursY.slice(0, 2), { verbose: 0 })).rejects.toThrow(/the model has 3 outputs \(cls, reg, aux\); y has 2 arrays/);
    await expect(ours.fit(ours3, { cls: oursY[0], reg: oursY[1] }, { verbose: 0 })).rejects.toThrow(/y has no arrays for the outputs aux/);
    await expect(ours.fit(ours3, [oursY[0], oursY[0], oursY[2]], { verbose: 0 })).rejects.toThrow(/fit: meanSquaredError needs y\['reg'\] with shape \[16, 2\]/);
    await expect(ours.fit(ours3, oursY, { verbose: 0, classWeight: { 0: 2 } })).rejects.toThrow(/classWeight applies to a model of one output/);
    await expect(ours.evaluate(ours3, oursY[0])).rejects.toThrow(ValueError);
    expect(() => ours.predictClasses(ours3)).toThrow(/3 outputs .* use predict/);
    expect(() => ours.outputShape).toThrow(/read outputShapes/);
    const before = ours.getWeights().map((w) => Array.from(w.data));
    await expect(ours.fit(ours3, [oursY[0], oursY[1], { data: yAux.map(() => Number.NaN), shape: [n, 1] }], { verbose: 0 })).rejects.toThrow(/y\['aux'\]|not finite|NaN/);
    ours.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(before[i]));
    ours.dispose();
  });
});
