// The demo page: loads Fashion-MNIST, trains the chosen network with threads (when the page is
// cross-origin isolated), draws the loss and accuracy as training goes, and shows test images
// with their predicted labels. URL parameters (?model=&train=&epochs=&autostart=1) set the form;
// the result is left in window.demoResult for the headless test.
import { Sequential, backendInfo, init, layers, loadIdx, optimizers, setRandomSeed } from '/dist/index.js';

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
for (const key of ['model', 'train', 'epochs']) if (params.has(key)) $(key).value = params.get(key);

const info = await init({ threads: 'auto' });
const fetchIdx = async (name) => loadIdx(new Uint8Array(await (await fetch(`/data/fashion-mnist/${name}`)).arrayBuffer()));
const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
  ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map(fetchIdx));
$('status').textContent = `Data loaded: ${trainImages.shape[0]} training and ${testImages.shape[0]} test images. Press Train.`;

const pixels = (idx, count, image) => {
  const data = Float32Array.from(idx.data.subarray(0, count * 784), (v) => v / 255);
  return { data, shape: image ? [count, 28, 28, 1] : [count, 784] };
};

function build(kind) {
  setRandomSeed(1);
  const model = new Sequential(kind === 'cnn'
    ? [layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }), layers.maxPooling2d({ poolSize: 2 }), layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' })]
    : [layers.dense({ units: 256, activation: 'relu', inputShape: [784] }), layers.dense({ units: 128, activation: 'relu' }), layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.001 }), metrics: ['accuracy'] });
  return model;
}

/** Loss (left axis) and accuracy (right axis, 0…1) against training progress. */
function draw(points, epochs) {
  const canvas = $('chart'), g = canvas.getContext('2d'), w = canvas.width, h = canvas.height, pad = 36;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = '#ddd';
  g.strokeRect(pad, 10, w - 2 * pad, h - pad - 10);
  g.fillStyle = '#555';
  g.font = '12px system-ui';
  g.fillText('loss', 4, 20);
  g.fillText('accuracy', w - pad - 50, 24);
  g.fillText('training progress (epochs)', w / 2 - 70, h - 8);
  const maxLoss = Math.max(0.5, ...points.filter((p) => p.loss !== undefined).map((p) => p.loss));
  const x = (t) => pad + (t / epochs) * (w - 2 * pad), yLoss = (v) => 10 + (1 - v / maxLoss) * (h - pad - 20), yAcc = (v) => 10 + (1 - v) * (h - pad - 20);
  for (const [key, y, color] of [['loss', yLoss, '#c62828'], ['accuracy', yAcc, '#1565c0'], ['testAccuracy', yAcc, '#2e7d32']]) {
    const series = points.filter((p) => p[key] !== undefined);
    g.strokeStyle = color;
    g.fillStyle = color;
    g.beginPath();
    series.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p[key])) : g.moveTo(x(p.t), y(p[key]))));
    g.stroke();
    if (key === 'testAccuracy') series.forEach((p) => { g.beginPath(); g.arc(x(p.t), y(p[key]), 4, 0, 7); g.fill(); g.fillText(p[key].toFixed(3), x(p.t) - 14, y(p[key]) - 8); });
  }
}

function showPredictions(model, kind) {
  const count = 24, x = pixels(testImages, count, kind === 'cnn');
  const probabilities = model.predict(x);
  const grid = $('grid');
  grid.replaceChildren();
  for (let i = 0; i < count; i++) {
    const row = Array.from(probabilities.data.subarray(i * 10, (i + 1) * 10));
    const label = row.indexOf(Math.max(...row)), truth = testLabels.data[i];
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    const image = canvas.getContext('2d').createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = 255 - testImages.data[i * 784 + p];
      image.data.set([v, v, v, 255], p * 4);
    }
    canvas.getContext('2d').putImageData(image, 0, 0);
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.className = label === truth ? 'right' : 'wrong';
    caption.textContent = CLASSES[label];
    caption.title = `true: ${CLASSES[truth]}`;
    figure.append(canvas, caption);
    grid.append(figure);
  }
}

async function train() {
  $('start').disabled = true;
  const kind = $('model').value, n = Number($('train').value), epochs = Number($('epochs').value);
  const isCnn = kind === 'cnn';
  const x = pixels(trainImages, n, isCnn), y = trainLabels.data.subarray(0, n);
  const testX = pixels(testImages, testImages.shape[0], isCnn), testY = testLabels.data;
  const model = build(kind);
  const batchSize = 64, steps = Math.ceil(n / batchSize);
  const points = [];
  let epochNow = 0;
  const t0 = performance.now();
  await model.fit(x, y, {
    epochs, batchSize, seed: 2, verbose: 0,
    callbacks: [{
      onEpochBegin: (epoch) => { epochNow = epoch; },
      onBatchEnd: (batch, logs) => {
        const done = epochNow * steps + batch + 1;
        $('progress').value = done / (epochs * steps);
        if (batch % 20 === 0 || batch === steps - 1) {
          points.push({ t: done / steps, loss: logs.loss, accuracy: logs.accuracy });
          draw(points, epochs);
          $('status').textContent = `Epoch ${epochNow + 1}/${epochs}, batch ${batch + 1}/${steps}: loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(4)} — ${backendInfo().threads} threads`;
        }
      },
      onEpochEnd: async (epoch) => {
        const [, testAccuracy] = await model.evaluate(testX, testY);
        points.push({ t: epoch + 1, testAccuracy });
        draw(points, epochs);
        showPredictions(model, kind);
      },
    }],
  });
  const seconds = (performance.now() - t0) / 1000;
  const [testLoss, testAccuracy] = await model.evaluate(testX, testY);
  $('status').textContent = `Done in ${seconds.toFixed(1)} s on ${backendInfo().threads} threads: test loss ${testLoss.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)} (10 000 test images).`;
  window.demoResult = { model: kind, train: n, epochs, seconds, testLoss, testAccuracy, threads: backendInfo().threads, crossOriginIsolated: globalThis.crossOriginIsolated, build: backendInfo().build };
  model.dispose();
  $('start').disabled = false;
}

$('threads').textContent = info.build === 'threads' ? `${backendInfo().threadsRequested} threads` : `one thread (${info.threadsUnavailable ?? 'no cross-origin isolation'})`;
$('start').addEventListener('click', () => train().catch((error) => {
  $('status').textContent = `Error: ${error.message}`;
  window.demoResult = { error: String(error.stack ?? error) };
  $('start').disabled = false;
}));
if (params.get('autostart') === '1') $('start').click();
