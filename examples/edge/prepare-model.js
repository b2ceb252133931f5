// Trains the model the edge worker serves, a functional one: 784 → dense 128 relu → two branches
// (dense 64 relu, dense 64 tanh) side by side → dense 10 softmax; Adam, 3 epochs on 20 000
// Fashion-MNIST images (~10 s), saved to examples/edge/model.wasmlearn.
//
//   node examples/edge/prepare-model.js [--train N] [--epochs E]
import { init, input, layers, loadIdx, model as functional, optimizers, setRandomSeed } from 'wasmlearn';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 20000), epochs = option('epochs', 3);
await init({ threads: 'auto' });
setRandomSeed(1);
const dir = new URL('../../data/fashion-mnist/', import.meta.url).pathname;
const load = async (prefix, count) => {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  return { x: { data: Float32Array.from(x.data.subarray(0, count * 784), (v) => v / 255), shape: [count, 784] }, y: Array.from(y.data.subarray(0, count)) };
};
const train = await load('train', n), test = await load('t10k', 10000);
const pixels = input({ shape: [784], name: 'pixels' });
const h = layers.dense({ units: 128, activation: 'relu' }).apply(pixels);
const both = layers.concatenate().apply([layers.dense({ units: 64, activation: 'relu' }).apply(h), layers.dense({ units: 64, activation: 'tanh' }).apply(h)]);
const model = functional({ inputs: pixels, outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(both) });
model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.001 }), metrics: ['accuracy'] });
await model.fit(train.x, train.y, { epochs, batchSize: 64, verbose: 0, seed: 1 });
const [, accuracy] = await model.evaluate(test.x, test.y);
const file = new URL('./model.wasmlearn', import.meta.url).pathname;
await model.save(file);
console.log(`model: ${file} (test accuracy ${accuracy.toFixed(4)})`);
