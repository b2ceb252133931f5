// The lecture's "hello world" of deep learning: a 784-500-500-10 perceptron with sigmoid hidden
// units and a softmax output, trained by plain SGD (learning rate 0.1, batches of 100, 20 epochs)
// with categorical cross-entropy. On Fashion-MNIST, MNIST's drop-in stand-in.
//
//   node examples/hello-world-mlp.js [--epochs N] [--threads N] [--save path|none]
import { Sequential, layers, optimizers, loadIdx, toCategorical, backendInfo, init, setRandomSeed } from 'wasmlearn';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const epochs = Number(option('epochs', 20));
const threads = option('threads', 'auto');
const savePath = option('save', 'data/hello-world-mlp.wasmlearn');
const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;

await init({ threads: threads === 'auto' ? 'auto' : Number(threads) });
setRandomSeed(1); // the same weights, shuffling and results on every run

/** Images as [n, 784] floats in [0, 1]; labels one-hot [n, 10]. */
async function load(prefix) {
  const images = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`);
  const labels = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  const [n, rows, cols] = images.shape;
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  return { x: { data: x, shape: [n, rows * cols] }, y: toCategorical(labels.data, 10) };
}

const train = await load('train');
const test = await load('t10k');

const model = new Sequential([
  layers.dense({ units: 500, inputShape: [784], activation: 'sigmoid' }),
  layers.dense({ units: 500, activation: 'sigmoid' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
model.summary();
const info = backendInfo();
console.log(`backend: ${info.runtime}, ${info.build} build, ${info.threadsRequested} thread(s)`);

const started = performance.now();
const history = await model.fit(train.x, train.y, { batchSize: 100, epochs, seed: 1 });
const seconds = (performance.now() - started) / 1000;

const [loss, accuracy] = await model.evaluate(test.x, test.y);
console.log(`time per epoch: ${(seconds / history.epoch.length).toFixed(2)} s`);
console.log(`test loss: ${loss.toFixed(4)}`);
console.log(`test accuracy: ${accuracy.toFixed(4)}`);
if (savePath !== 'none') {
  await model.save(savePath);
  console.log(`saved the model to ${savePath}`);
}
