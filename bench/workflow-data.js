// The data of bench/workflow.js (and workflow_sklearn.py computes the same): Fashion-MNIST images
// average-pooled 4 × 4 to 7 × 7 = 49 features — a multi-class table of a few thousand rows, the
// size searches are common on — and the full 784 pixels for the PCA → SVC pipeline.
import { loadFashion } from './fashion.js';

/** The first n training images pooled to 49 features (mean of each 4 × 4 block of pixels / 255), and their labels. */
export async function pooledFashion(n) {
  const { train } = await loadFashion({ trainLimit: n });
  const X = Array.from({ length: n }, (_, i) => {
    const row = new Array(49).fill(0);
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) row[Math.floor(r / 4) * 7 + Math.floor(c / 4)] += train.x.data[i * 784 + r * 28 + c];
    return row.map((v) => v / 16);
  });
  return { X, y: Array.from(train.labels) };
}
