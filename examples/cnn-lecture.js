// The lecture's convolution, by hand and then learned. A 6×6 black-and-white image and two 3×3
// filters (a diagonal and a vertical line): the feature maps with stride 1 and stride 2, and
// 2×2 max pooling — the same numbers as the lecture's slides, checked here. Then a small CNN
// (conv 3×3 ×16 → pool → conv 3×3 ×32 → pool → dense 10) on Fashion-MNIST.
//
//   node examples/cnn-lecture.js [--train N] [--epochs E]   → examples/out/cnn-feature-maps.svg
import { Sequential, init, layers, loadIdx, optimizers, setRandomSeed } from 'wasmlearn';
import { saveChart } from './plot.js';

const image = [
  [1, 0, 0, 0, 0, 1],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 1, 0, 0],
  [1, 0, 0, 0, 1, 0],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 0, 1, 0],
];
const filters = [
  [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]], // the diagonal
  [[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]], // the vertical line
];
// The slides' answers.
const expected = {
  stride1: [
    [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]],
    [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]],
  ],
  stride2: [[[3, -3], [-3, 0]], [[-1, -1], [-1, -2]]],
  pooled: [[[3, 0], [3, 1]], [[-1, 1], [0, 3]]],
};

/** Runs the image through conv (the two filters, no bias) with `strides`, then optionally 2×2 max pooling; maps as [filter][row][col]. */
function featureMaps(strides, pool) {
  const model = new Sequential([
    layers.conv2d({ filters: 2, kernelSize: 3, strides, useBias: false, inputShape: [6, 6, 1] }),
    ...(pool ? [layers.maxPooling2d({ poolSize: 2 })] : []),
  ]);
  // Kernel layout [rows, cols, input channels, filters].
  const kernel = new Float32Array(3 * 3 * 2);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let f = 0; f < 2; f++) kernel[(r * 3 + c) * 2 + f] = filters[f][r][c];
  model.layers[0].setWeights([{ data: kernel, shape: [3, 3, 1, 2] }]);
  const out = model.predict({ data: Float32Array.from(image.flat()), shape: [1, 6, 6, 1] });
  const [, h, w] = out.shape;
  const maps = [0, 1].map((f) => Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => out.data[(r * w + c) * 2 + f])));
  model.dispose();
  return maps;
}

const results = { stride1: featureMaps(1, false), stride2: featureMaps(2, false), pooled: featureMaps(1, true) };
for (const [name, maps] of Object.entries(results)) {
  const same = JSON.stringify(maps) === JSON.stringify(expected[name]);
  console.log(`${name}: ${same ? 'the lecture\'s numbers' : 'DIFFERENT from the lecture'}`);
  maps.forEach((m, f) => console.log(`  filter ${f + 1}: ${m.map((row) => row.map((v) => String(v).padStart(3)).join('')).join('\n            ')}`));
  if (!same) process.exitCode = 1;
}
const cells = Object.entries(results).flatMap(([name, maps]) => maps.flatMap((m, f) => m.flatMap((row, r) => row.map((v, c) => ({ map: `${name}, filter ${f + 1}`, r, c, v })))));
const file = await saveChart('cnn-feature-maps', {
  data: { values: cells }, facet: { field: 'map', type: 'nominal', title: null }, columns: 2,
  spec: {
    width: 120, height: 120,
    layer: [
      { mark: 'rect', encoding: { x: { field: 'c', type: 'ordinal', title: null }, y: { field: 'r', type: 'ordinal', title: null }, color: { field: 'v', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0 } } } },
      { mark: { type: 'text', fontSize: 12 }, encoding: { x: { field: 'c', type: 'ordinal' }, y: { field: 'r', type: 'ordinal' }, text: { field: 'v' } } },
    ],
  },
});
console.log(`figure: ${file}`);

// A small CNN learns its own filters on Fashion-MNIST.
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const n = option('train', 10000), epochs = option('epochs', 2);
if (n > 0) {
  await init({ threads: 'auto' });
  setRandomSeed(1);
  const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;
  const load = async (prefix, count) => {
    const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
    return { x: { data: Float32Array.from(x.data.subarray(0, count * 784), (v) => v / 255), shape: [count, 28, 28, 1] }, y: Array.from(y.data.subarray(0, count)) };
  };
  const train = await load('train', n), test = await load('t10k', 2000);
  const cnn = new Sequential([
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  cnn.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.001 }), metrics: ['accuracy'] });
  cnn.summary();
  await cnn.fit(train.x, train.y, { epochs, batchSize: 64, verbose: 1 });
  const [loss, accuracy] = await cnn.evaluate(test.x, test.y);
  console.log(`CNN on ${n} training images, ${epochs} epochs: test loss ${loss.toFixed(4)}, test accuracy ${accuracy.toFixed(4)} (2 000 test images)`);
  cnn.dispose();
}
