// The lecture's training recipes on the "hello world" network (784-500-500-10), each compared
// on the same data and seeds: mean squared error vs categorical cross-entropy, batch size 1 vs
// 100, learning rates, SGD vs momentum (and the lecture's gradient descent with momentum on a 1-D
// function), dropout, and early stopping on a validation split.
//
//   node examples/mlp-lecture.js [--train N] [--epochs E]   → examples/out/mlp-*.svg
import { Sequential, callbacks, init, layers, loadIdx, optimizers, setRandomSeed, toCategorical } from 'wasmlearn';
import { saveChart } from './plot.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 10000), epochs = option('epochs', 5);
await init({ threads: 'auto' });
const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;
const load = async (prefix, count) => {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  return { x: { data: Float32Array.from(x.data.subarray(0, count * 784), (v) => v / 255), shape: [count, 784] }, y: toCategorical(y.data.subarray(0, count), 10) };
};
const train = await load('train', n), test = await load('t10k', 2000);

/** Trains the lecture's network with one change; returns its History and test accuracy. */
async function run({ loss = 'categoricalCrossentropy', optimizer = optimizers.sgd({ learningRate: 0.1 }), batchSize = 100, dropout = 0, fit = {}, epochsOf = epochs, x = train.x, y = train.y }) {
  setRandomSeed(1);
  const hidden = (more) => [layers.dense({ units: 500, activation: 'sigmoid', ...more }), ...(dropout ? [layers.dropout({ rate: dropout })] : [])];
  const model = new Sequential([...hidden({ inputShape: [784] }), ...hidden({}), layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ loss, optimizer, metrics: ['accuracy'] });
  const t0 = performance.now();
  const history = await model.fit(x, y, { epochs: epochsOf, batchSize, verbose: 0, seed: 2, ...fit });
  const seconds = (performance.now() - t0) / 1000 / history.epoch.length;
  const [, accuracy] = await model.evaluate(test.x, test.y);
  model.dispose();
  return { history, accuracy, seconds };
}
const curves = (title, runs, key = 'loss') => ({
  title, width: 300, height: 200,
  data: { values: Object.entries(runs).flatMap(([name, r]) => r.history.history[key].map((v, e) => ({ epoch: e + 1, value: v, run: `${name} (test acc. ${r.accuracy.toFixed(3)})` }))) },
  mark: { type: 'line', point: true },
  encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: key }, color: { field: 'run', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1 } } },
});
const report = (title, runs) => {
  console.log(title);
  for (const [name, r] of Object.entries(runs)) console.log(`  ${name.padEnd(34)} loss ${r.history.history.loss.at(-1).toFixed(4)}  accuracy ${r.history.history.accuracy.at(-1).toFixed(4)}  test ${r.accuracy.toFixed(4)}  ${r.seconds.toFixed(2)} s/epoch`);
};

// 1. Mean squared error vs cross-entropy: the same network learns far faster with the latter.
const losses = { 'categorical cross-entropy': await run({}), 'mean squared error': await run({ loss: 'meanSquaredError' }) };
report('Loss functions', losses);
// 2. Batch size 1 vs 100 (one epoch of batch 1 on a tenth of the data: many more, smaller updates).
const small = await load('train', n / 10);
// The loss after each update (the running mean fit logs), to plot against the number of updates.
const perUpdate = (name, every) => {
  const points = [];
  return { points, callback: { onBatchEnd: (batch, logs) => { if (batch % every === 0) points.push({ update: batch + 1, loss: logs.loss, run: name }); } } };
};
const trace100 = perUpdate('batch 100', 1), trace1 = perUpdate('batch 1', 10);
const batches = {
  'batch 100': await run({ x: small.x, y: small.y, epochsOf: 1, fit: { callbacks: [trace100.callback] } }),
  'batch 1': await run({ x: small.x, y: small.y, batchSize: 1, epochsOf: 1, fit: { callbacks: [trace1.callback] } }),
};
report(`Batch size (one epoch on ${n / 10} images)`, batches);
// 3. Learning rates.
const rates = {};
for (const lr of [0.01, 0.1, 1]) rates[`SGD, learning rate ${lr}`] = await run({ optimizer: optimizers.sgd({ learningRate: lr }) });
report('Learning rates', rates);
// 4. Momentum.
const momentum = { 'SGD 0.1': rates['SGD, learning rate 0.1'], 'SGD 0.1, momentum 0.9': await run({ optimizer: optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }) }) };
report('Momentum', momentum);
// 5. Dropout.
const dropout = { 'no dropout': losses['categorical cross-entropy'], 'dropout 0.2': await run({ dropout: 0.2 }) };
report('Dropout', dropout);
// 6. Early stopping on a 10 % validation split (patience 2, best weights kept).
const stopper = callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
const early = await run({ epochsOf: 4 * epochs, fit: { validationSplit: 0.1, callbacks: [stopper] } });
console.log(`Early stopping: stopped after ${early.history.epoch.length} of ${4 * epochs} epochs; test accuracy ${early.accuracy.toFixed(4)}`);

// The lecture's picture of momentum: gradient descent on f(x) = x⁴ − 3x² + x from x = 2.5; plain
// steps stop in the first valley, momentum (v ← 0.9v − η f′(x); x ← x + v) rolls over the bump.
const f = (x) => x ** 4 - 3 * x ** 2 + x, df = (x) => 4 * x ** 3 - 6 * x + 1;
const descend = (beta) => {
  let x = 2.5, v = 0;
  return Array.from({ length: 60 }, (_, step) => {
    const point = { step, x, fx: f(x) };
    v = beta * v - 0.01 * df(x);
    x += v;
    return point;
  });
};
const paths = [...descend(0).map((p) => ({ ...p, method: 'gradient descent' })), ...descend(0.9).map((p) => ({ ...p, method: 'with momentum 0.9' }))];
console.log(`1-D descent ends at x = ${paths[59].x.toFixed(3)} (plain) and x = ${paths.at(-1).x.toFixed(3)} (momentum); the global minimum is near x = −1.30`);

const files = [
  await saveChart('mlp-recipes', { columns: 3, concat: [curves('Loss: cross-entropy vs mse (training accuracy)', losses, 'accuracy'),
    { title: `Batch 1 vs 100: mean loss by update (one epoch; ${batches['batch 1'].seconds.toFixed(2)} s vs ${batches['batch 100'].seconds.toFixed(2)} s)`, width: 300, height: 200, data: { values: [...trace1.points, ...trace100.points] }, mark: 'line',
      encoding: { x: { field: 'update', type: 'quantitative', scale: { type: 'log' }, title: 'updates (log scale)' }, y: { field: 'loss', type: 'quantitative' }, color: { field: 'run', type: 'nominal', title: null, legend: { orient: 'bottom' } } } },
    curves('Learning rate (training loss)', rates), curves('Momentum (training loss)', momentum), curves('Dropout (training loss)', dropout), curves('Early stopping (validation loss)', { 'val_loss': early }, 'val_loss')] }),
  await saveChart('mlp-momentum-1d', {
    title: 'f(x) = x⁴ − 3x² + x: where plain steps and momentum end', width: 420, height: 260,
    layer: [
      { data: { sequence: { start: -2.2, stop: 2.6, step: 0.02, as: 'x' } }, transform: [{ calculate: 'pow(datum.x, 4) - 3 * pow(datum.x, 2) + datum.x', as: 'fx' }], mark: { type: 'line', color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'fx', type: 'quantitative', title: 'f(x)' } } },
      { data: { values: paths }, mark: { type: 'point', filled: true, size: 25 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'fx', type: 'quantitative' }, color: { field: 'method', type: 'nominal' } } },
    ],
  }),
];
console.log(`figures: ${files.join(', ')}`);
