// Fashion-MNIST for the benchmarks: pixels / 255 as float32, labels one-hot, from data/.
import { loadIdx, toCategorical } from '../dist/index.js';

const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;

/** { train, test }, each { x: { data, shape }, y: Tensor [n, 10], labels: Uint8Array }; images [n, 784] or [n, 28, 28, 1]. */
export async function loadFashion({ images = false, trainLimit = 60000 } = {}) {
  const part = async (prefix, limit) => {
    const pixels = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`);
    const labels = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
    const n = Math.min(limit, pixels.shape[0]);
    const x = new Float32Array(n * 784);
    for (let i = 0; i < x.length; i++) x[i] = pixels.data[i] / 255;
    return { x: { data: x, shape: images ? [n, 28, 28, 1] : [n, 784] }, y: toCategorical(labels.data.subarray(0, n), 10), labels: labels.data.subarray(0, n) };
  };
  return { train: await part('train', trainLimit), test: await part('t10k', 10000) };
}

/** The first nTrain training and nTest test images as the estimator benchmarks use them: x matrices and label arrays. */
export async function loadFashionSubset(nTrain, nTest) {
  const { train, test } = await loadFashion({ trainLimit: nTrain });
  return {
    train,
    xTest: { data: test.x.data.subarray(0, nTest * 784), shape: [nTest, 784] },
    yTest: Array.from(test.labels.subarray(0, nTest)),
    yTrain: Array.from(train.labels),
  };
}
