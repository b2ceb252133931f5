// Sequential's contract: compile / fit / evaluate / predict / summary / weights, callbacks and
// early stopping, seeds and threads, and the errors a Keras user would expect.
import { describe, expect, test } from 'vitest';
import {
  Sequential, ShapeError, ValueError, backendInfo, callbacks, init, layers, loadModel, optimizers, setRandomSeed, toCategorical,
} from '../dist/index.js';
import { testRandom } from './reference.js';

/** Two Gaussian blobs per class in 2-D, three classes: separable by a small MLP. */
function blobs(n: number, seed: number): { x: Float32Array; labels: Float32Array } {
  const next = testRandom(seed);
  const centres = [[-2, -2], [2, -1], [0, 2.5]];
  const x = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    x[2 * i] = centres[c][0] + (next() - 0.5) * 1.5;
    x[2 * i + 1] = centres[c][1] + (next() - 0.5) * 1.5;
  }
  return { x, labels };
}

function mlp(seed = 3): Sequential {
  setRandomSeed(seed);
  const model = new Sequential([
    layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  return model;
}

const { x, labels } = blobs(300, 1);
const X = { data: x, shape: [300, 2] };
const Y = toCategorical(labels, 3);

describe('fit, evaluate, predict', () => {
  test('fit learns separable classes; history, evaluate and predict agree with each other', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.5, momentum: 0.5 }), metrics: ['accuracy'] });
    const history = await model.fit(X, Y, { epochs: 15, batchSize: 20, verbose: 0, seed: 1 });
    expect(history.epoch).toEqual([...Array(15).keys()]);
    expect(history.history.loss).toHaveLength(15);
    expect(history.history.loss[14]).toBeLessThan(history.history.loss[0] / 3);
    expect(history.history.accuracy[14]).toBeGreaterThan(0.97);
    const [loss, accuracy] = await model.evaluate(X, Y);
    const p = model.predict(X);
    expect(p.shape).toEqual([300, 3]);
    // evaluate's numbers recomputed from predict's probabilities (Keras' clipped cross-entropy)
    let ce = 0;
    let correct = 0;
    const classes = model.predictClasses(X);
    for (let i = 0; i < 300; i++) {
      ce -= Math.log(Math.min(Math.max(p.data[i * 3 + labels[i]], 1e-7), 1 - 1e-7));
      if (classes[i] === labels[i]) correct++;
      const row = Array.from(p.data.subarray(i * 3, i * 3 + 3));
      expect(classes[i]).toBe(row.indexOf(Math.max(...row)));
    }
    expect(loss).toBeCloseTo(ce / 300, 5);
    expect(accuracy).toBeCloseTo(correct / 300, 10);
    model.dispose();
  });

  test('sparse labels train the same network as one-hot labels, bit for bit', async () => {
    const runs = [];
    for (const sparse of [false, true]) {
      const model = mlp(5);
      model.compile({ loss: sparse ? 'sparse_categorical_crossentropy' : 'categorical_crossentropy', optimizer: 'sgd', metrics: ['acc'] });
      const h = await model.fit(X, sparse ? labels : Y, { epochs: 2, batchSize: 32, verbose: 0, seed: 9 });
      runs.push({ weights: model.getWeights().map((w) => Array.from(w.data)), accuracy: h.history.accuracy });
      model.dispose();
    }
    expect(runs[1].weights).toEqual(runs[0].weights);
    expect(runs[1].accuracy).toEqual(runs[0].accuracy);
  });

  test('the same seed gives bit-identical training for 1, 2 and 4 threads', async () => {
    const results: number[][] = [];
    for (const threads of [1, 2, 4]) {
      await init({ threads });
      setRandomSeed(11);
      const model = new Sequential([
        layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }),
        layers.maxPooling2d({}),
        layers.flatten(),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 64, activation: 'sigmoid' }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ]);
      model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
      const next = testRandom(2);
      const images = Float32Array.from({ length: 256 * 144 }, () => next());
      await model.fit({ data: images, shape: [256, 12, 12, 1] }, toCategorical(Float32Array.from({ length: 256 }, (_, i) => i % 3), 3),
        { epochs: 2, batchSize: 128, verbose: 0, seed: 4 });
      results.push(Array.from(model.predict({ data: images.subarray(0, 144 * 8), shape: [8, 12, 12, 1] }).data));
      model.dispose();
    }
    await init({ threads: 'auto' });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  test('validationSplit holds out the last samples; validationData is reported as val_*', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
    const seen: number[] = [];
    const h = await model.fit(X, Y, {
      epochs: 2, batchSize: 50, verbose: 0, validationSplit: 0.2,
      callbacks: { onBatchEnd: (_b, logs) => void seen.push(logs.size ?? 0) },
    });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.params.samples).toBe(240);
    // The held-out part is exactly the last 60 samples.
    const [valLoss, valAccuracy] = await model.evaluate({ data: x.subarray(480), shape: [60, 2] }, { data: Y.data.subarray(720), shape: [60, 3] });
    expect(h.history.val_loss[1]).toBeCloseTo(valLoss, 6);
    expect(h.history.val_accuracy[1]).toBeCloseTo(valAccuracy, 10);
    model.dispose();
  });

  test('classWeight scales each sample loss: weight 2 on every class doubles the loss and the gradient step', async () => {
    const a = mlp(8), b = mlp(8);
    for (const m of [a, b]) m.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.1 }) });
    const ha = await a.fit(X, Y, { epochs: 1, batchSize: 300, verbose: 0, shuffle: false });
    const hb = await b.fit(X, Y, { epochs: 1, batchSize: 300, verbose: 0, shuffle: false, classWeight: { 0: 2, 1: 2, 2: 2 } });
    expect(hb.history.loss[0]).toBeCloseTo(2 * ha.history.loss[0], 5);
    a.dispose();
    b.dispose();
  });
});

test('compile before the last layer is added: fit resolves the loss fusion and accuracy for the final model', async () => {
  setRandomSeed(4);
  const a = new Sequential([layers.dense({ units: 8, activation: 'tanh', inputShape: [2] })]);
  a.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  a.add(layers.dense({ units: 3, activation: 'softmax' }));
  setRandomSeed(4);
  const b = new Sequential([layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 3, activation: 'softmax' })]);
  b.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  const ha = await a.fit(X, Y, { epochs: 2, verbose: 0, seed: 3 });
  const hb = await b.fit(X, Y, { epochs: 2, verbose: 0, seed: 3 });
  expect(ha.history).toEqual(hb.history);
  a.dispose();
  b.dispose();
});

describe('callbacks', () => {
  test('hooks run in Keras order with running logs; stopTraining ends fit after the batch', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const events: string[] = [];
    const h = await model.fit(X, Y, {
      epochs: 5, batchSize: 100, verbose: 0,
      callbacks: [{
        onTrainBegin: () => void events.push('train+'),
        onEpochBegin: (e) => void events.push(`epoch${e}+`),
        onBatchEnd: (b, logs) => {
          events.push(`batch${b}`);
          expect(logs.loss).toBeGreaterThan(0);
          if (b === 1 && events.includes('epoch1+')) model.stopTraining = true;
        },
        onEpochEnd: (e) => void events.push(`epoch${e}-`),
        onTrainEnd: () => void events.push('train-'),
      }],
    });
    expect(events).toEqual(['train+', 'epoch0+', 'batch0', 'batch1', 'batch2', 'epoch0-', 'epoch1+', 'batch0', 'batch1', 'epoch1-', 'train-']);
    expect(h.epoch).toEqual([0, 1]);
    model.dispose();
  });

  test('earlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    // A scripted monitored value: improves until epoch 2, then worsens.
    const script = [5, 4, 3, 3.5, 3.2, 3.1, 2.9];
    const weightsAt: number[][] = [];
    const stopper = callbacks.earlyStopping({ monitor: 'scripted', patience: 2, restoreBestWeights: true });
    const h = await model.fit(X, Y, {
      epochs: 7, batchSize: 100, verbose: 0,
      callbacks: [{
        onEpochEnd: (e, logs) => {
          logs.scripted = script[e];
          weightsAt[e] = Array.from(model.getWeights()[0].data);
        },
      }, stopper],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(stopper.stoppedEpoch).toBe(4);
    expect(stopper.bestEpoch).toBe(2);
    expect(Array.from(model.getWeights()[0].data)).toEqual(weightsAt[2]);
    model.dispose();
  });

  test('earlyStopping on val_loss without validation data names the problem', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    await expect(model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: callbacks.earlyStopping() })).rejects.toThrow(/monitor 'val_loss' is not among the logged values \(loss\); give fit validationData/);
    model.dispose();
  });

  test('learningRateScheduler sets the rate each epoch; an AbortSignal stops fit with its reason', async () => {
    const model = mlp();
    const sgd = optimizers.sgd({ learningRate: 0.1 });
    model.compile({ loss: 'categoricalCrossentropy', optimizer: sgd });
    const rates: number[] = [];
    await model.fit(X, Y, { epochs: 3, verbose: 0, callbacks: [callbacks.learningRateScheduler((e) => 0.1 / (e + 1)), { onEpochEnd: () => void rates.push(sgd.learningRate) }] });
    expect(rates).toEqual([0.1, 0.05, 0.1 / 3]);
    const controller = new AbortController();
    const batches: number[] = [];
    const run = model.fit(X, Y, { epochs: 3, batchSize: 10, verbose: 0, signal: controller.signal, callbacks: { onBatchEnd: (b) => { batches.push(b); if (b === 4) controller.abort(new Error('user stop')); } } });
    await expect(run).rejects.toThrow('user stop');
    expect(batches).toEqual([0, 1, 2, 3, 4]);
    // The model is still usable after an aborted fit, and nothing stayed allocated.
    const before = backendInfo().arenaBytesInUse;
    model.predict(X);
    expect(backendInfo().arenaBytesInUse).toBe(before);
    model.dispose();
  });
});

describe('model API', () => {
  test('summary prints a Keras-style table with output shapes and parameter counts', () => {
    const model = new Sequential([
      layers.dense({ units: 500, inputShape: [784], activation: 'sigmoid', name: 'hidden1' }),
      layers.dense({ units: 500, activation: 'sigmoid', name: 'hidden2' }),
      layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ]);
    const lines: string[] = [];
    const text = model.summary((s) => lines.push(s));
    expect(lines).toEqual([text]);
    expect(text).toMatch(/hidden1 \(Dense\)\s+\(None, 500\)\s+392500/);
    expect(text).toMatch(/hidden2 \(Dense\)\s+\(None, 500\)\s+250500/);
    expect(text).toMatch(/out \(Dense\)\s+\(None, 10\)\s+5010/);
    expect(text).toContain('Total params: 648,010');
    model.layers[0].trainable = false;
    expect(model.summary(null)).toContain('Trainable params: 255,510');
    model.dispose();
  });

  test('trainable = false freezes a layer during fit; getWeights / setWeights round-trip', async () => {
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    model.layers[0].trainable = false;
    const frozen = model.layers[0].getWeights().map((w) => Array.from(w.data));
    const moving = Array.from(model.layers[1].getWeights()[0].data);
    await model.fit(X, Y, { epochs: 1, verbose: 0 });
    expect(model.layers[0].getWeights().map((w) => Array.from(w.data))).toEqual(frozen);
    expect(Array.from(model.layers[1].getWeights()[0].data)).not.toEqual(moving);
    const copy = mlp(99);
    copy.setWeights(model.getWeights());
    expect(Array.from(copy.predict(X).data)).toEqual(Array.from(model.predict(X).data));
    expect(() => copy.setWeights(model.getWeights().slice(1))).toThrow(/has 4 weight arrays/);
    model.dispose();
    copy.dispose();
  });

  test('the model builds from the data when no inputShape was given', async () => {
    const model = new Sequential();
    model.add(layers.dense({ units: 4, activation: 'relu' }));
    model.add(layers.dense({ units: 3, activation: 'softmax' }));
    expect(model.isBuilt).toBe(false);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
    await model.fit(X, Y, { epochs: 1, verbose: 0 });
    expect(model.inputShape).toEqual([2]);
    expect(model.countParams()).toBe(2 * 4 + 4 + 4 * 3 + 3);
    // Saved, it records the input shape it was built for.
    const loaded = await loadModel(model.toBytes());
    expect(loaded.inputShape).toEqual([2]);
    expect(Array.from(loaded.predict(X).data)).toEqual(Array.from(model.predict(X).data));
    loaded.dispose();
    model.dispose();
  });
});

/** Runs body on a model and disposes the model afterwards, whatever happens. */
async function disposing(model: Sequential, body: (m: Sequential) => unknown): Promise<unknown> {
  try {
    return await body(model);
  } finally {
    model.dispose();
  }
}

describe('bad input', () => {
  const model = mlp();
  model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });

  test.each([
    ['unknown layer option', () => layers.dense({ units: 3, unit: 4 } as never), ValueError, /Dense: unknown option 'unit'/],
    ['bad units', () => layers.dense({ units: 0 }), ValueError, /units must be a positive integer; received 0/],
    ['unknown activation', () => layers.dense({ units: 3, activation: 'swishy' }), ValueError, /unknown activation the string "swishy"; known activations are linear, sigmoid/],
    ['dropout rate', () => layers.dropout({ rate: 1 }), ValueError, /rate must be a number in \[0, 1\)/],
    ['unknown loss', () => model.compile({ loss: 'poisson', optimizer: 'sgd' }), ValueError, /unknown loss the string "poisson"; known losses are/],
    ['unknown optimizer', () => model.compile({ loss: 'mse', optimizer: 'lion' }), ValueError, /unknown optimizer the string "lion"; known optimizers are sgd, adam, rmsprop, adagrad/],
    ['negative learning rate', () => optimizers.sgd({ learningRate: -1 }), ValueError, /sgd: learningRate must be a positive number; received -1/],
    ['second inputShape', () => new Sequential([layers.dense({ units: 2, inputShape: [3] }), layers.dense({ units: 2, inputShape: [2] })]), ValueError, /only the first layer may have an inputShape/],
    ['conv on vectors', () => new Sequential([layers.dense({ units: 2, inputShape: [3] }), layers.conv2d({ filters: 2, kernelSize: 3 })]), ShapeError, /Conv2D conv2d.*needs inputs \[height, width, channels\] per sample; received \[2\]/],
    ['kernel larger than image', () => new Sequential([layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [4, 4, 1] })]), ShapeError, /kernel does not fit/],
    ['predict with the wrong features', () => model.predict([[1, 2, 3]]), ShapeError, /expects x of shape \[samples, 2\]; received \[1, 3\]/],
    ['predict with NaN', () => model.predict([[1, 2], [NaN, 0]]), ValueError, /predict: x must hold finite numbers; element 2 \(at \[1, 0\]\) is NaN/],
    ['predict on one sample without a batch axis', () => model.predict([1, 2]), ShapeError, /x must have a batch axis first/],
  ])('%s', (_name, run, kind, message) => {
    const before = backendInfo().arenaBytesInUse;
    expect(run).toThrow(kind);
    expect(run).toThrow(message);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });

  test.each([
    ['fit before compile', () => disposing(mlp(), (m) => m.fit(X, Y)), /fit: compile the model first/],
    ['integer labels with categorical cross-entropy', () => model.fit(X, labels), /these look like class indices: use sparseCategoricalCrossentropy, or one-hot encode them with toCategorical/],
    ['x and y lengths differ', () => model.fit(X, { data: Y.data.subarray(0, 30), shape: [10, 3] }), /x has 300 samples but y has 10/],
    ['labels outside the classes', () => disposing(mlp(), (m) => {
      m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd' });
      return m.fit(X, labels.map((v) => v + 1));
    }), /y\[2\] must be a class index in \[0, 3\) for an output of 3 units; received 3/],
    ['Infinity in x', () => model.fit({ data: x.map((v, i) => (i === 7 ? Infinity : v)), shape: [300, 2] }, Y), /fit: x must hold finite numbers; element 7 \(at \[3, 1\]\) is Infinity/],
    ['unknown fit option', () => model.fit(X, Y, { epoch: 3 } as never), /fit: unknown option 'epoch'/],
    ['bad batch size', () => model.fit(X, Y, { batchSize: 0 }), /batchSize must be a positive integer; received 0/],
    ['validation split of 1', () => model.fit(X, Y, { validationSplit: 1 }), /validationSplit must be in \[0, 1\)/],
    ['loss becomes NaN', () => disposing(new Sequential([layers.dense({ units: 1, inputShape: [2] })]), async (m) => {
      m.compile({ loss: 'mse', optimizer: optimizers.sgd({ learningRate: 1e6 }) });
      await m.fit({ data: x.map((v) => v * 1e3), shape: [300, 2] }, { data: labels.map((v) => v * 1e3), shape: [300, 1] }, { verbose: 0, batchSize: 10, epochs: 3 });
    }), /fit: the loss became (NaN|Infinity) at epoch \d+, batch \d+; training diverged/],
  ])('%s', async (_name, run, message) => {
    const before = backendInfo().arenaBytesInUse;
    await expect(run()).rejects.toThrow(message);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});
