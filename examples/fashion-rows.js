// Fashion-MNIST images as sequences for the sequence examples: each 28 × 28 image is 28 steps
// (its rows) of 28 features (the pixels / 255), with integer labels.
import { loadIdx } from 'wasmlearn';

const dir = new URL('../data/fashion-mnist/', import.meta.url).pathname;

/** The first `count` images of 'train' or 't10k': x [count, 28, 28] and the labels. */
export async function fashionRows(prefix, count) {
  const x = await loadIdx(`${dir}${prefix}-images-idx3-ubyte.gz`), y = await loadIdx(`${dir}${prefix}-labels-idx1-ubyte.gz`);
  return { x: { data: Float32Array.from(x.data.subarray(0, count * 784), (v) => v / 255), shape: [count, 28, 28] }, y: Array.from(y.data.subarray(0, count)) };
}
