// The starting centres of k-means, as scikit-learn's KMeans chooses them: 'k-means++' in its
// greedy form (Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007:
// each new centre is drawn with probability proportional to the squared distance to the nearest
// centre so far; scikit-learn draws 2 + ⌊ln k⌋ candidates and keeps the one that lowers the
// potential most), or 'random' (k distinct samples).
import { log } from '../elementary.js';
import type { Generator } from '../ops/generator.js';
import type { KMeansData } from '../ops/kmeans.js';

/** k-means++ centres (k×d) from the samples of data; weights scale each sample's share. */
export function kmeansPlusPlus(data: KMeansData, k: number, random: Generator, weights?: Float64Array): Float64Array {
  const { n, d } = data;
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(log(k));
  const w = (i: number) => (weights ? weights[i] : 1);
  const first = random.below(n);
  centres.set(data.row(first));
  let closest = data.squaredDistancesTo(data.row(first), 1);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += w(i) * closest[i];
  const cumulative = new Float64Array(n);
  const points = new Float64Array(trials * d);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) cumulative[i] = sum += w(i) * closest[i];
    // Candidates by inverse transform sampling: the first sample whose cumulative share reaches the draw.
    const candidates = Array.from({ length: trials }, () => Math.min(searchLeft(cumulative, random.uniform01() * potential), n - 1));
    candidates.forEach((id, t) => points.set(data.row(id), t * d));
    const distances = data.squaredDistancesTo(points, trials);
    let best = 0, bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let i = 0; i < n; i++) p += w(i) * Math.min(closest[i], distances[t * n + i]);
      if (p < bestPotential) { bestPotential = p; best = t; }
    }
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = Math.min(closest[i], distances[best * n + i]);
    closest = next;
    potential = bestPotential;
    centres.set(data.row(candidates[best]), c * d);
  }
  return centres;
}

/** k distinct samples chosen uniformly (the first k of a random permutation). */
export function randomCentres(data: KMeansData, k: number, random: Generator): Float64Array {
  const order = random.permutation(data.n);
  const centres = new Float64Array(k * data.d);
  for (let c = 0; c < k; c++) centres.set(data.row(order[c]), c * data.d);
  return centres;
}

/** The first index whose value is ≥ v in an ascending array (NumPy's searchsorted, side 'left'). */
function searchLeft(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
