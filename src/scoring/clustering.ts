// Scores of clusterings (scikit-learn 1.2's): the silhouette of clustered data, and agreements of
// two labellings — the Rand index and its adjusted form, mutual information, normalized and
// adjusted for chance (Vinh, Epps & Bailey 2010: the expected mutual information of random
// labellings with the same cluster sizes, from the hypergeometric model).
import { exp, log } from '../elementary.js';
import { ShapeError, ValueError, describe } from '../errors.js';
import { toMatrix } from '../matrix.js';
import { withGenerator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { paired, uniqueLabels, type Label } from './targets.js';

/** Dense integer codes of labels (0 … k − 1 in sorted label order) and k. */
function encode(labels: ArrayLike<Label>, name: string, where: string): { codes: Int32Array; k: number } {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw new ValueError(`${where}: ${name}[${i}] must be a label (a number, string or boolean); received ${describe(v)}`);
  }
  const classes = uniqueLabels(where, labels);
  const code = new Map(classes.map((c, i) => [c, i]));
  return { codes: Int32Array.from(labels as ArrayLike<Label>, (v) => code.get(v)!), k: classes.length };
}

/** The non-zero cells of the contingency table and its margins. */
function contingency(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>, where: string) {
  paired(labelsTrue, labelsPred, where, ['labelsTrue', 'labelsPred']);
  const a = encode(labelsTrue, 'labelsTrue', where), b = encode(labelsPred, 'labelsPred', where);
  const cells = new Map<number, number>();
  for (let i = 0; i < a.codes.length; i++) {
    const key = a.codes[i] * b.k + b.codes[i];
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const rows = new Array<number>(a.k).fill(0), cols = new Array<number>(b.k).fill(0);
  const nonzero = [...cells.entries()].sort((x, y) => x[0] - y[0]).map(([key, n]) => {
    const i = Math.floor(key / b.k), j = key % b.k;
    rows[i] += n; cols[j] += n;
    return { i, j, n };
  });
  return { nonzero, rows, cols, n: a.codes.length };
}

/** The pair confusion counts (ordered pairs): [[tn, fp], [fn, tp]], exact in BigInt. */
function pairCounts(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>, where: string): { tn: bigint; fp: bigint; fn: bigint; tp: bigint } {
  const c = contingency(labelsTrue, labelsPred, where);
  const n = BigInt(c.n);
  let squares = 0n, byCol = 0n, byRow = 0n;
  for (const { i, j, n: v } of c.nonzero) {
    const x = BigInt(v);
    squares += x * x;
    byCol += x * BigInt(c.cols[j]);
    byRow += x * BigInt(c.rows[i]);
  }
  const tp = squares - n, fp = byCol - squares, fn = byRow - squares;
  return { tn: n * n - fp - fn - squares, fp, fn, tp };
}

/** The share of sample pairs both labellings put together or apart alike. */
export function randScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const { tn, fp, fn, tp } = pairCounts(labelsTrue, labelsPred, 'randScore');
  const agree = tn + tp, total = tn + fp + fn + tp;
  return agree === total || total === 0n ? 1 : Number(agree) / Number(total);
}

/** The Rand index adjusted for chance (Hubert & Arabie): 1 for identical labellings, about 0 for random ones. */
export function adjustedRandScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const { tn, fp, fn, tp } = pairCounts(labelsTrue, labelsPred, 'adjustedRandScore');
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/** Shannon entropy (nats) of the cluster sizes; 0 for one cluster. */
function entropy(sizes: number[]): number {
  const nonzero = sizes.filter((s) => s > 0);
  if (nonzero.length <= 1) return 0;
  const total = nonzero.reduce((a, b) => a + b, 0), logTotal = log(total);
  let h = 0;
  for (const s of nonzero) h += (s / total) * (log(s) - logTotal);
  return -h;
}

function mutualInfo(c: ReturnType<typeof contingency>): number {
  if (c.rows.length === 1 || c.cols.length === 1) return 0;
  const total = c.n, logTotal = log(total), logRows = log(total), logCols = log(total);
  let mi = 0;
  for (const { i, j, n } of c.nonzero) {
    const p = n / total;
    const logOuter = -log(c.rows[i] * c.cols[j]) + logRows + logCols;
    const term = p * (log(n) - logTotal) + p * logOuter;
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

/** Mutual information (nats) of two labellings of the same samples. */
export function mutualInfoScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  return mutualInfo(contingency(labelsTrue, labelsPred, 'mutualInfoScore'));
}

export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

const AVERAGE_METHODS: readonly AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];

/** The average method given (default 'arithmetic'), checked. */
function averageMethod(options: { averageMethod?: AverageMethod }, where: string): AverageMethod {
  const method = options.averageMethod ?? 'arithmetic';
  if (!AVERAGE_METHODS.includes(method)) throw new ValueError(`${where}: averageMethod must be 'arithmetic', 'geometric', 'min' or 'max'; received ${describe(method)}`);
  return method;
}

function generalizedMean(u: number, v: number, method: AverageMethod): number {
  return method === 'arithmetic' ? (u + v) / 2 : method === 'geometric' ? Math.sqrt(u * v) : method === 'min' ? Math.min(u, v) : Math.max(u, v);
}

/** Mutual information divided by a mean of the two entropies (1 for identical labellings). */
export function normalizedMutualInfoScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>, options: { averageMethod?: AverageMethod } = {}): number {
  const where = 'normalizedMutualInfoScore';
  const c = contingency(labelsTrue, labelsPred, where);
  const method = averageMethod(options, where);
  if (c.rows.length === 1 && c.cols.length === 1) return 1;
  const mi = mutualInfo(c);
  if (mi === 0) return 0;
  return mi / generalizedMean(entropy(c.rows), entropy(c.cols), method);
}

/** ln(k!) for k ≤ n, summed with compensation so every entry is within an ulp or two. */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  let sum = 0, carry = 0;
  for (let k = 2; k <= n; k++) {
    const y = log(k) - carry, t = sum + y;
    carry = t - sum - y;
    sum = t;
    out[k] = sum;
  }
  return out;
}

/** E[MI] of random labellings with these cluster sizes (the hypergeometric sum over each cell's possible counts). */
function expectedMutualInfo(rows: number[], cols: number[], n: number): number {
  if (rows.length === 1 || cols.length === 1) return 0;
  const lf = logFactorials(n), logN = log(n);
  let emi = 0;
  for (const a of rows) {
    for (const b of cols) {
      const start = Math.max(1, a + b - n), end = Math.min(a, b);
      const fixed = lf[a] + lf[b] + lf[n - a] + lf[n - b] - lf[n];
      for (let nij = start; nij <= end; nij++) {
        const term2 = logN + log(nij) - log(a) - log(b);
        const gln = fixed - lf[nij] - lf[a - nij] - lf[b - nij] - lf[n - a - b + nij];
        emi += (nij / n) * term2 * exp(gln);
      }
    }
  }
  return emi;
}

/** Mutual information adjusted for chance: (MI − E[MI]) / (mean(H(U), H(V)) − E[MI]). */
export function adjustedMutualInfoScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>, options: { averageMethod?: AverageMethod } = {}): number {
  const where = 'adjustedMutualInfoScore';
  const c = contingency(labelsTrue, labelsPred, where);
  const method = averageMethod(options, where);
  if (c.rows.length === 1 && c.cols.length === 1) return 1;
  const mi = mutualInfo(c), emi = expectedMutualInfo(c.rows, c.cols, c.n);
  const normalizer = generalizedMean(entropy(c.rows), entropy(c.cols), method);
  let denominator = normalizer - emi;
  // E[MI] can exceed the normalizer by rounding when the labellings match: keep the sign, avoid 0.
  denominator = denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

export type SilhouetteMetric = 'euclidean' | 'manhattan' | 'cosine' | 'precomputed';

export interface SilhouetteOptions {
  /** Distance between samples (default 'euclidean'); 'precomputed' takes X as the n×n distances. */
  metric?: SilhouetteMetric;
  /** Score a random subset of this many samples (silhouetteScore only). */
  sampleSize?: number;
  seed?: number;
}

/** Pairwise distances of the rows, exact in f64 (no ‖x‖² + ‖y‖² − 2x·y shortcut). */
function distances(X: unknown, metric: SilhouetteMetric, where: string): { d: Float64Array; n: number } {
  const m = toMatrix(X, `${where}: X`);
  const n = m.rows, dims = m.cols, x = m.data;
  if (metric === 'precomputed') {
    if (dims !== n) throw new ShapeError(`${where}: X must be the n×n distances with metric 'precomputed'; received ${n}×${dims}`);
    for (let i = 0; i < n; i++) {
      if (x[i * n + i] !== 0) throw new ValueError(`${where}: the precomputed distances must have a zero diagonal; element [${i}, ${i}] is ${x[i * n + i]}`);
      for (let j = 0; j < n; j++) if (x[i * n + j] < 0) throw new ValueError(`${where}: the precomputed distances must not be negative; element [${i}, ${j}] is ${x[i * n + j]}`);
    }
    return { d: x, n };
  }
  const d = new Float64Array(n * n);
  const norms = metric === 'cosine' ? Float64Array.from({ length: n }, (_, i) => { let s = 0; for (let k = 0; k < dims; k++) s += x[i * dims + k] ** 2; return Math.sqrt(s); }) : null;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      if (metric === 'euclidean') { for (let k = 0; k < dims; k++) s += (x[i * dims + k] - x[j * dims + k]) ** 2; s = Math.sqrt(s); }
      else if (metric === 'manhattan') { for (let k = 0; k < dims; k++) s += Math.abs(x[i * dims + k] - x[j * dims + k]); }
      else {
        for (let k = 0; k < dims; k++) s += x[i * dims + k] * x[j * dims + k];
        const ni = norms![i] || 1, nj = norms![j] || 1;
        s = Math.max(0, 1 - s / ni / nj);
      }
      d[i * n + j] = d[j * n + i] = s;
    }
  }
  return { d, n };
}

/** Each sample's silhouette (b − a) / max(a, b): a its mean distance to its own cluster, b to the nearest other; 0 in a cluster of one. */
export function silhouetteSamples(X: unknown, labels: ArrayLike<Label>, options: Omit<SilhouetteOptions, 'sampleSize' | 'seed'> = {}): Float64Array {
  return silhouette(X, labels, options, 'silhouetteSamples');
}

function silhouette(X: unknown, labels: ArrayLike<Label>, options: SilhouetteOptions, where: string, subset?: (n: number) => number[]): Float64Array {
  const metric = options.metric ?? 'euclidean';
  if (!['euclidean', 'manhattan', 'cosine', 'precomputed'].includes(metric)) throw new ValueError(`${where}: metric must be 'euclidean', 'manhattan', 'cosine' or 'precomputed'; received ${describe(metric)}`);
  const { d, n: all } = distances(X, metric, where);
  if (!labels || labels.length !== all) throw new ShapeError(`${where}: labels must hold one label per sample (${all}); received ${describe(labels)}`);
  const rows = subset ? subset(all) : Array.from({ length: all }, (_, i) => i);
  const { codes, k } = encode(rows.map((i) => labels[i]), 'labels', where);
  const n = rows.length;
  if (k < 2 || k > n - 1) throw new ValueError(`${where}: there are ${k} labels; a silhouette needs from 2 to n − 1 = ${n - 1}`);
  const sizes = new Array<number>(k).fill(0);
  for (const c of codes) sizes[c]++;
  const out = new Float64Array(n), sums = new Float64Array(k);
  for (let a = 0; a < n; a++) {
    sums.fill(0);
    for (let b = 0; b < n; b++) sums[codes[b]] += d[rows[a] * all + rows[b]];
    const own = codes[a];
    if (sizes[own] === 1) continue;
    const intra = sums[own] / (sizes[own] - 1);
    let inter = Infinity;
    for (let c = 0; c < k; c++) if (c !== own) inter = Math.min(inter, sums[c] / sizes[c]);
    const s = (inter - intra) / Math.max(intra, inter);
    out[a] = Number.isNaN(s) ? 0 : s;
  }
  return out;
}

/** The mean silhouette of the samples (of a random subset of sampleSize of them if given). */
export function silhouetteScore(X: unknown, labels: ArrayLike<Label>, options: SilhouetteOptions = {}): number {
  const where = 'silhouetteScore';
  const size = options.sampleSize;
  let subset: ((n: number) => number[]) | undefined;
  if (size !== undefined) {
    subset = (n) => {
      if (!Number.isInteger(size) || size < 3 || size > n) throw new ValueError(`${where}: sampleSize must be an integer from 3 to the ${n} samples; received ${describe(size)}`);
      const order = withGenerator(backend(), nextSeed(options.seed, where), (random) => random.permutation(n));
      return Array.from(order.subarray(0, size));
    };
  }
  const s = silhouette(X, labels, options, where, subset);
  return s.reduce((a, b) => a + b, 0) / s.length;
}
