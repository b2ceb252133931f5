// The demo page: loads Fashion-MNIST, trains the chosen network with threads (when the page is
// cross-origin isolated), draws the loss and accuracy as training goes, and shows test images
// with their predicted labels. URL parameters (?model=&train=&epochs=&autostart=1) set the form;
// the result is left in window.demoResult for the headless test. The transfer-learning option
// trains a MobileNetV2 on five classes, freezes it and trains a new head on the other five; the
// text option (sonnets.js) trains a character-level LSTM on Shakespeare's sonnets and lets it write.
import { Sequential, applications, backendInfo, init, input, layers, loadIdx, model as functional, optimizers, setRandomSeed } from '/dist/index.js';
import { progressCallbacks } from './progress.js';
import { trainSonnets } from './sonnets.js';

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

/** Test images `indices` with the class the model gives each (class k named CLASSES[first + k]). */
function showPredictions(model, indices, image, first = 0) {
  const count = indices.length, x = { data: new Float32Array(count * 784), shape: image ? [count, 28, 28, 1] : [count, 784] };
  indices.forEach((i, k) => x.data.set(Float32Array.from(testImages.data.subarray(i * 784, i * 784 + 784), (v) => v / 255), k * 784));
  const probabilities = model.predict(x), classes = probabilities.shape[1];
  const grid = $('grid');
  grid.replaceChildren();
  for (let k = 0; k < count; k++) {
    const i = indices[k];
    const row = Array.from(probabilities.data.subarray(k * classes, (k + 1) * classes));
    const label = first + row.indexOf(Math.max(...row)), truth = testLabels.data[i];
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

/** The first `count` images of classes [from, from + 5) of a set (scaled to 0…1, 28 × 28 × 1), labels counted from `from`. */
function classesFrom(images, labels, from, count) {
  const keep = [];
  for (let i = 0; keep.length < count && i < labels.data.length; i++) if (labels.data[i] >= from && labels.data[i] < from + 5) keep.push(i);
  const data = new Float32Array(keep.length * 784);
  keep.forEach((i, k) => data.set(Float32Array.from(images.data.subarray(i * 784, i * 784 + 784), (v) => v / 255), k * 784));
  return { x: { data, shape: [keep.length, 28, 28, 1] }, y: Int32Array.from(keep, (i) => labels.data[i] - from), indices: keep };
}

/**
 * Transfer learning (examples/transfer-learning.js on this page): a MobileNetV2 base and a head
 * learn classes 0–4; the base is frozen and a new head learns classes 5–9 from a tenth as many images.
 */
async function trainTransfer(n, epochs) {
  setRandomSeed(1);
  const base = applications.mobileNetV2({ alpha: 0.35, inputShape: [32, 32, 1], includeTop: false, pooling: 'avg', batchNormMomentum: 0.9 });
  const classifier = () => {
    const pixels = input({ shape: [28, 28, 1] });
    const net = functional({ inputs: pixels, outputs: layers.dense({ units: 5, activation: 'softmax' }).apply(base.apply(layers.zeroPadding2d({ padding: 2 }).apply(pixels))) });
    net.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 2e-3 }), metrics: ['accuracy'] });
    return net;
  };
  const phases = [
    { name: 'base and head, T-shirt…coat', from: 0, count: n },
    { name: 'frozen base, new head, sandal…ankle boot', from: 5, count: Math.floor(n / 10) },
  ];
  const points = [], accuracies = [], nets = [];
  const t0 = performance.now();
  for (const [p, phase] of phases.entries()) {
    if (p === 1) base.trainable = false;
    const net = classifier(), train = classesFrom(trainImages, trainLabels, phase.from, phase.count);
    const test = classesFrom(testImages, testLabels, phase.from, 2000);
    const steps = Math.ceil(train.y.length / 64);
    let epochNow = 0;
    await net.fit(train.x, train.y, {
      epochs, batchSize: 64, seed: 1, verbose: 0,
      callbacks: [{
        onEpochBegin: (epoch) => { epochNow = epoch; },
        onBatchEnd: (batch, logs) => {
          const t = p * epochs + epochNow + (batch + 1) / steps;
          $('progress').value = t / (2 * epochs);
          points.push({ t, loss: logs.loss, accuracy: logs.accuracy });
          draw(points, 2 * epochs);
          $('status').textContent = `${phase.name}: epoch ${epochNow + 1}/${epochs}, batch ${batch + 1}/${steps}: loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(4)}`;
        },
      }],
    });
    const [, accuracy] = await net.evaluate(test.x, test.y);
    accuracies.push(accuracy);
    points.push({ t: (p + 1) * epochs, testAccuracy: accuracy });
    draw(points, 2 * epochs);
    showPredictions(net, test.indices.slice(0, 24), true, phase.from);
    nets.push(net);
  }
  const seconds = (performance.now() - t0) / 1000;
  $('status').textContent = `Done in ${seconds.toFixed(1)} s on ${backendInfo().threads} threads: test accuracy ${accuracies[0].toFixed(3)} on T-shirt…coat; then, the base frozen, ${accuracies[1].toFixed(3)} on sandal…ankle boot from ${Math.floor(n / 10)} images.`;
  window.demoResult = { model: 'transfer', train: n, epochs, seconds, firstAccuracy: accuracies[0], transferAccuracy: accuracies[1], threads: backendInfo().threads, crossOriginIsolated: globalThis.crossOriginIsolated, build: backendInfo().build };
  for (const net of nets) net.dispose();
}

async function train() {
  $('start').disabled = true;
  const kind = $('model').value, n = Number($('train').value), epochs = Number($('epochs').value);
  if (kind === 'transfer') {
    try {
      await trainTransfer(n, epochs);
    } finally {
      $('start').disabled = false;
    }
    return;
  }
  if (kind === 'sonnets') {
    try {
      const points = [];
      $('grid').replaceChildren();
      $('text').textContent = '';
      const result = await trainSonnets(n, epochs, ({ fraction, status, point, text }) => {
        if (fraction !== undefined) $('progress').value = fraction;
        if (status) $('status').textContent = status;
        if (point) {
          points.push(point);
          draw(points, epochs);
        }
        if (text) $('text').textContent += text;
      });
      $('status').textContent = `Done in ${result.seconds.toFixed(1)} s on ${backendInfo().threads} threads: loss ${result.loss.toFixed(4)}, accuracy ${result.accuracy.toFixed(4)} (next character, ${result.alphabet} possible).`;
      window.demoResult = { ...result, threads: backendInfo().threads, crossOriginIsolated: globalThis.crossOriginIsolated, build: backendInfo().build };
    } finally {
      $('start').disabled = false;
    }
    return;
  }
  const isCnn = kind === 'cnn';
  const x = pixels(trainImages, n, isCnn), y = trainLabels.data.subarray(0, n);
  const testX = pixels(testImages, testImages.shape[0], isCnn), testY = testLabels.data;
  const model = build(kind);
  const batchSize = 64, steps = Math.ceil(n / batchSize);
  const points = [];
  const t0 = performance.now();
  await model.fit(x, y, {
    epochs, batchSize, seed: 2, verbose: 0,
    callbacks: [{
      ...progressCallbacks(epochs, steps, 20, () => backendInfo().threads, ({ done, fraction, logs, due, status }) => {
        $('progress').value = fraction;
        if (!due) return;
        points.push({ t: done / steps, loss: logs.loss, accuracy: logs.accuracy });
        draw(points, epochs);
        $('status').textContent = status;
      }),
      onEpochEnd: async (epoch) => {
        const [, testAccuracy] = await model.evaluate(testX, testY);
        points.push({ t: epoch + 1, testAccuracy });
        draw(points, epochs);
        showPredictions(model, [...Array(24).keys()], isCnn);
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
