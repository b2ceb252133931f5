// "MNIST with an LSTM" on Fashion-MNIST: each 28 × 28 image read as a sequence of 28 rows of 28
// pixels by an LSTM(128), its last state classified by a dense softmax layer. Trains with Adam,
// prints the test accuracy after each epoch and draws the training loss and test accuracy.
//
//   node examples/lstm-fashion.js [--train N] [--epochs E]   → examples/out/lstm-fashion.svg
import { Sequential, init, layers, optimizers, setRandomSeed } from 'wasmlearn';
import { fashionRows, fitWithCurve } from './fashion-rows.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 60000), epochs = option('epochs', 3);

await init({ threads: 'auto' });
setRandomSeed(1);
const train = await fashionRows('train', n), test = await fashionRows('t10k', 10000);

const model = new Sequential([
  layers.lstm({ units: 128, inputShape: [28, 28] }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.001 }), metrics: ['accuracy'] });
model.summary();
const seconds = await fitWithCurve(model, {
  x: train.x, y: train.y, testX: test.x, testY: test.y, epochs,
  name: 'lstm-fashion', title: 'LSTM(128) reading Fashion-MNIST images row by row',
});
console.log(`LSTM(128) on ${n} training images, ${epochs} epochs in ${seconds.toFixed(1)} s`);
model.dispose();
