// One k-means run from given centres, as scikit-learn's _kmeans_single_lloyd and
// _kmeans_single_elkan: assign, move each centre to the (weighted) mean of its samples, stop when
// no label changed (strict convergence) or when the centres moved less than tol in all (the sum
// of their squared shifts); then, unless strict, assign once more so that the labels match the
// final centres. Elkan's variant gives the same labels with fewer distances, from bounds.
import type { Cancellation } from '../cancel.js';
import type { KMeansData } from '../ops/kmeans.js';

export interface Run {
  labels: Int32Array;
  centres: Float64Array;
  nIter: number;
}

/** Lloyd's iterations from the centres (k×d). */
export async function lloyd(data: KMeansData, start: Float64Array, maxIter: number, tol: number, weights: Float64Array | undefined, cancel: Cancellation): Promise<Run> {
  data.newRun();
  let centres: Float64Array = start.slice();
  let labelsOld: Int32Array = new Int32Array(data.n).fill(-1);
  let labels: Int32Array = labelsOld;
  let strict = false, iter = 0;
  for (; iter < maxIter; iter++) {
    if (iter > 0) await cancel.tick();
    labels = data.assign(centres, false).labels;
    const moved = update(data, labels, centres, weights);
    centres = moved.centres;
    if (equal(labels, labelsOld)) { strict = true; break; }
    if (sumOfSquares(moved.shift) <= tol) break;
    labelsOld = labels;
  }
  if (!strict) labels = data.assign(centres, false).labels;
  return { labels, centres, nIter: Math.min(iter + 1, maxIter) };
}

/** Elkan's iterations from the centres (k×d). */
export async function elkan(data: KMeansData, start: Float64Array, maxIter: number, tol: number, weights: Float64Array | undefined, cancel: Cancellation): Promise<Run> {
  data.newRun();
  const k = data.k;
  let centres: Float64Array = start.slice();
  let { half, next } = centreDistances(centres, k, data.d);
  let labels = data.elkanStart(centres, half);
  // As scikit-learn, the start's labels do not count: the first iteration never converges strictly.
  let labelsOld: Int32Array = new Int32Array(data.n).fill(-1);
  let strict = false, iter = 0;
  for (; iter < maxIter; iter++) {
    if (iter > 0) await cancel.tick();
    labels = data.elkanAssign(centres, half, next);
    const moved = update(data, labels, centres, weights);
    data.elkanShift(moved.shift, labels);
    centres = moved.centres;
    ({ half, next } = centreDistances(centres, k, data.d));
    if (equal(labels, labelsOld)) { strict = true; break; }
    if (sumOfSquares(moved.shift) <= tol) break;
    labelsOld = labels;
  }
  if (!strict) labels = data.elkanAssign(centres, half, next);
  return { labels, centres, nIter: Math.min(iter + 1, maxIter) };
}

/**
 * The update step: each centre the weighted mean of its samples. A cluster left empty takes the
 * sample farthest from its centre, as scikit-learn's _relocate_empty_clusters (the farthest
 * first, ties to the lower index); that sample's weight leaves its own cluster's sums. Returns
 * the centres and how far each moved.
 */
function update(data: KMeansData, labels: Int32Array, old: Float64Array, weights?: Float64Array): { centres: Float64Array; shift: Float64Array } {
  const { k, d, n } = data;
  const sums = data.sums(labels);
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) mass[labels[i]] += weights ? weights[i] : 1;
  const empty = [...mass.keys()].filter((j) => mass[j] === 0);
  if (empty.length > 0) {
    const far = data.labelDistances(old, labels);
    const order = Array.from(far.keys()).sort((a, b) => far[b] - far[a] || a - b);
    empty.forEach((j, t) => {
      const i = order[t], w = weights ? weights[i] : 1, from = labels[i], x = data.row(i);
      for (let f = 0; f < d; f++) {
        sums[from * d + f] -= x[f] * w;
        sums[j * d + f] = x[f] * w;
      }
      mass[j] = w;
      mass[from] -= w;
    });
  }
  const centres = sums;
  for (let j = 0; j < k; j++) {
    if (mass[j] <= 0) continue;
    const scale = 1 / mass[j];
    for (let f = 0; f < d; f++) centres[j * d + f] *= scale;
  }
  const shift = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let f = 0; f < d; f++) s += (centres[j * d + f] - old[j * d + f]) ** 2;
    shift[j] = Math.sqrt(s);
  }
  return { centres, shift };
}

/** Half the distance between every two centres (k×k), and each centre's half distance to its nearest other. */
function centreDistances(centres: Float64Array, k: number, d: number): { half: Float64Array; next: Float64Array } {
  const half = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (centres[a * d + f] - centres[b * d + f]) ** 2;
      half[a * k + b] = half[b * k + a] = Math.sqrt(s) / 2;
    }
  }
  const next = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) if (a !== b) next[a] = Math.min(next[a], half[a * k + b]);
  return { half, next };
}

function equal(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sumOfSquares(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return s;
}
