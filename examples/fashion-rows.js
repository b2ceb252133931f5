// The sequence examples' shared parts: Fashion-MNIST images as sequences — each 28 × 28 image is
// 28 steps (its rows) of 28 features (the pixels / 255), with integer labels — and a training run
// that prints and draws the loss and test accuracy after each epoch.
import { loadIdx } from 'wasmlearn';
import { saveChart } from './plot.js';

const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;

/** The first `count` images of 'train' or 't10k': x [count, 28, 28] and the labels. */
export async function fashionRows(prefix, count) {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  return { x: { data: Float32Array.from(x.data.subarray(0, count * 784), (v) => v / 255), shape: [count, 28, 28] }, y: Array.from(y.data.subarray(0, count)) };
}

/**
 * Trains `model` on (x, y) for `epochs` epochs of batches of 128, printing the training loss and
 * the test accuracy after each, then draws both as examples/out/`name`.svg; returns the seconds taken.
 */
export async function fitWithCurve(model, { x, y, testX, testY, epochs, name, title }) {
  const curve = [];
  const started = performance.now();
  await model.fit(x, y, {
    epochs, batchSize: 128, verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        const [, accuracy] = await model.evaluate(testX, testY);
        curve.push({ epoch: epoch + 1, measure: 'training loss', value: logs.loss }, { epoch: epoch + 1, measure: 'test accuracy', value: accuracy });
        console.log(`epoch ${epoch + 1}: training loss ${logs.loss.toFixed(4)}, test accuracy ${accuracy.toFixed(4)}`);
      },
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const file = await saveChart(name, {
    data: { values: curve }, width: 360, height: 200,
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'epoch', type: 'ordinal' }, y: { field: 'value', type: 'quantitative', title: null }, color: { field: 'measure', type: 'nominal', title: null } },
    title,
  });
  console.log(`figure: ${file}`);
  return seconds;
}
