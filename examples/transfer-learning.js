// Transfer learning as Keras users do it, on Fashion-MNIST: a MobileNetV2 (Keras Applications'
// architecture, alpha 0.35) learns the first five classes (T-shirt … coat); then its base is
// frozen (trainable false: its batch normalization keeps its statistics too, as in Keras 3) and a
// new head learns the other five (sandal … ankle boot) on a tenth of the images. Compared with the
// same head on a base left as it was made: what the learned features are worth.
//
//   node examples/transfer-learning.js [--train N] [--epochs E]
import { applications, init, input, layers, loadIdx, model, optimizers, setRandomSeed } from 'wasmlearn';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 6000), epochs = option('epochs', 3);
await init({ threads: 'auto' });
const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;

/** Images of the classes in [from, from + 5), labels counted from `from`, at most `count` of them. */
async function load(prefix, from, count) {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  const keep = [];
  for (let i = 0; i < y.data.length && keep.length < count; i++) if (y.data[i] >= from && y.data[i] < from + 5) keep.push(i);
  const data = new Float32Array(keep.length * 784);
  keep.forEach((i, k) => data.set(x.data.subarray(i * 784, i * 784 + 784), k * 784));
  return { x: { data, shape: [keep.length, 28, 28, 1] }, y: keep.map((i) => y.data[i] - from) };
}

/** A classifier: 28 × 28 pixels (0…255) rescaled and padded to 32 × 32, the base, a dense softmax head. */
function classifier(base) {
  const pixels = input({ shape: [28, 28, 1] });
  const image = layers.zeroPadding2d({ padding: 2 }).apply(layers.rescaling({ scale: 1 / 255 }).apply(pixels));
  return model({ inputs: pixels, outputs: layers.dense({ units: 5, activation: 'softmax' }).apply(base.apply(image)) });
}

async function fitAndScore(net, train, test, label) {
  net.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 2e-3 }), metrics: ['accuracy'] });
  const t0 = performance.now();
  await net.fit(train.x, train.y, { epochs, batchSize: 64, verbose: 0, seed: 1 });
  const [, accuracy] = await net.evaluate(test.x, test.y);
  console.log(`${label}: test accuracy ${accuracy.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return accuracy;
}

// Trained from scratch for a few hundred steps: a batch-normalization momentum of 0.9 (Keras' is
// 0.999, for long runs) lets the moving statistics that inference uses catch up.
const make = () => applications.mobileNetV2({ alpha: 0.35, inputShape: [32, 32, 1], includeTop: false, pooling: 'avg', batchNormMomentum: 0.9 });
setRandomSeed(1);
const base = make();
console.log(`base: ${base.name}, ${base.countParams().toLocaleString('en-US')} parameters`);
// 1. The base learns classes 0–4.
await fitAndScore(classifier(base), await load('train', 0, n), await load('t10k', 0, 2000), 'classes 0–4, base and head trained');
// 2. Frozen, it serves a new head for classes 5–9, trained on a tenth of the images.
base.trainable = false;
const second = await load('train', 5, Math.floor(n / 10)), secondTest = await load('t10k', 5, 2000);
const transferred = await fitAndScore(classifier(base), second, secondTest, 'classes 5–9, frozen trained base, new head');
// The same head on a base as it was made (frozen too): no learned features.
setRandomSeed(1);
const fresh = make();
fresh.trainable = false;
const untrained = await fitAndScore(classifier(fresh), second, secondTest, 'classes 5–9, frozen untrained base, new head');
console.log(`transfer: ${transferred > untrained ? 'the learned features help' : 'no gain'} (${transferred.toFixed(3)} vs ${untrained.toFixed(3)})`);
