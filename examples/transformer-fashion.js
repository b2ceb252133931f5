// A small transformer encoder on Fashion-MNIST read as sequences: each image is 28 steps (rows) of
// 28 pixels, projected to 64 features plus a learned position (an embedding of the step index, fed
// as a second input), then two encoder layers — multi-head self-attention (4 heads of 16) and a
// feed-forward 128 → 64, each added back and layer-normalized — mean-pooled and classified by a
// dense softmax. Built with the functional API; trains with Adam, prints the test accuracy after
// each epoch and draws the training loss and test accuracy.
//
//   node examples/transformer-fashion.js [--train N] [--epochs E]   → examples/out/transformer-fashion.svg
import { init, input, layers, model as functional, optimizers, setRandomSeed } from 'wasmlearn';
import { fashionRows, fitWithCurve } from './fashion-rows.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 60000), epochs = option('epochs', 3);

await init({ threads: 'auto' });
setRandomSeed(1);
const train = await fashionRows('train', n), test = await fashionRows('t10k', 10000);
// The position of each step, 0…27: what the position embedding looks up.
const withSteps = (x) => [x, { data: Float32Array.from({ length: x.shape[0] * 28 }, (_, i) => i % 28), shape: [x.shape[0], 28] }];

/** One post-norm encoder layer: x + attention(x), normalized; then x + feedForward(x), normalized. */
function encoderLayer(x) {
  const attended = layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x]);
  const h = layers.layerNormalization().apply(layers.add().apply([x, attended]));
  const fed = layers.dense({ units: 64 }).apply(layers.dense({ units: 128, activation: 'relu' }).apply(h));
  return layers.layerNormalization().apply(layers.add().apply([h, fed]));
}

const rows = input({ shape: [28, 28], name: 'rows' }), steps = input({ shape: [28], name: 'steps' });
let h = layers.add().apply([layers.dense({ units: 64 }).apply(rows), layers.embedding({ inputDim: 28, outputDim: 64 }).apply(steps)]);
h = encoderLayer(encoderLayer(h));
const model = functional({ inputs: [rows, steps], outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h)) });
model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.001 }), metrics: ['accuracy'] });
model.summary();
const seconds = await fitWithCurve(model, {
  x: withSteps(train.x), y: train.y, testX: withSteps(test.x), testY: test.y, epochs,
  name: 'transformer-fashion', title: 'A transformer encoder reading Fashion-MNIST images row by row',
});
console.log(`transformer encoder on ${n} training images, ${epochs} epochs in ${seconds.toFixed(1)} s`);
model.dispose();
