// scikit-learn's MiniBatchKMeans (Sculley, "Web-scale k-means clustering", WWW 2010): each step
// draws a batch of samples with replacement, assigns them to their nearest centre and moves each
// centre to the weighted mean of everything it has been given so far (a per-centre learning rate
// of 1/count); centres that have received far less weight than the busiest one are moved onto
// random samples of the batch (reassignmentRatio). Fitting stops after maxIter passes' worth of
// steps, when the centres move less than tol (relative to the data's mean variance), or when an
// exponentially weighted average of the batch inertia has not improved for maxNoImprovement steps.
// partialFit takes one step on the batch it is given, as scikit-learn's partial_fit.
import { Cancellation } from '../cancel.js';
import { FormatError } from '../errors.js';
import { restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { toSampleWeight, type Matrix, type MatrixLike } from '../matrix.js';
import { Generator } from '../ops/generator.js';
import { KMeansData } from '../ops/kmeans.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { warn } from '../warnings.js';
import { CentroidClusterer, START_RULES, readCentres, startsOf, weightedSum, type Centres, type ClusterFitOptions, type StartOptions } from './centroid-clusterer.js';
import { kmeansPlusPlus, randomCentres } from './k-means-init.js';

export interface MiniBatchKMeansOptions extends StartOptions {
  /** Passes over the data at most, in steps of batchSize samples (default 100). */
  maxIter?: number;
  /** Samples per step (default 1024). */
  batchSize?: number;
  /** After fit, label every sample and compute the inertia over all of them (default true). */
  computeLabels?: boolean;
  /** Stop when the centres' squared moves in a step sum to at most tol × the data's mean variance (default 0: off). */
  tol?: number;
  /** Stop after this many steps without a better smoothed batch inertia (default 10; null: off). */
  maxNoImprovement?: number | null;
  /** Samples the starting centres are chosen from (default null: 3 × batchSize, at least 3 × nClusters). */
  initSize?: number | null;
  /** Centres with less than this share of the busiest centre's weight move onto random samples (default 0.01). */
  reassignmentRatio?: number;
}

interface State extends Centres {
  /** Each centre's total weight so far (its learning rate is 1 / count). */
  counts: Float64Array;
  /** Samples seen since the last reassignment, steps taken, and the seed partialFit's steps derive theirs from. */
  sinceReassign: number;
  steps: number;
  seed: number;
}

const OPTIONS: ParamTable<MiniBatchKMeansOptions> = {
  ...START_RULES,
  maxIter: rules.integer(100, 1),
  batchSize: rules.integer(1024, 1),
  computeLabels: rules.boolean(true),
  tol: rules.nonNegative(0),
  maxNoImprovement: rules.custom<number | null>(10, 'an integer ≥ 1 or null', (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 1)),
  initSize: rules.custom<number | null>(null, 'an integer ≥ 1 or null', (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 1)),
  reassignmentRatio: rules.nonNegative(0.01),
};

/** Mini-batch k-means (scikit-learn's MiniBatchKMeans). */
export class MiniBatchKMeans extends CentroidClusterer<MiniBatchKMeansOptions, State> {
  constructor(options?: MiniBatchKMeansOptions) {
    super(OPTIONS, options, 'MiniBatchKMeans');
  }

  /** Learns k centres from X (samples × features) in steps of batchSize samples. Returns this. */
  async fit(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): Promise<this> {
    const where = 'MiniBatchKMeans.fit';
    const cancel = Cancellation.of(options, where);
    const o = this.params;
    const data = this.fitMatrix(X, `${where}: X`);
    const { rows: n, cols: d } = data;
    const k = o.nClusters;
    const weights = toSampleWeight(options.sampleWeight, where, n);
    const { given, starts } = startsOf(o, data, 3, where);
    const tol = o.tol * meanVariance(data);
    const batchSize = Math.min(o.batchSize, n);
    const be = backend();
    const seed = nextSeed(o.seed ?? undefined, where);
    const state = await be.scoped(async (alloc) => {
      const random = Generator.seeded(be, alloc, seed);
      const initSize = this.initSize(n, k, where);
      // Starts are compared by their inertia on a held sample of initSize draws.
      const valid = draws(random, n, initSize);
      let centres: Float64Array = new Float64Array(0), best = Infinity;
      for (let r = 0; r < starts; r++) {
        const start = this.start(data, given, initSize, random, weights);
        const inertia = inertiaOn(data, valid, start, k, weights);
        if (r === 0 || inertia < best) { centres = start; best = inertia; }
      }
      const s: State = { centres, k, d, labels: new Int32Array(0), inertia: 0, nIter: 1, counts: new Float64Array(k), sinceReassign: 0, steps: 0, seed };
      const watch = { ewa: undefined as number | undefined, ewaMin: undefined as number | undefined, noImprovement: 0 };
      const nSteps = Math.floor((o.maxIter * n) / batchSize);
      let step = 0;
      for (; step < nSteps; step++) {
        if (step > 0) await cancel.tick();
        const batch = draws(random, n, batchSize);
        const before = s.centres;
        const batchInertia = this.step(s, gather(data, batch), Float64Array.from(batch, (i) => (weights ? weights[i] : 1)), random);
        let moved = 0;
        if (tol > 0) for (let t = 0; t < before.length; t++) moved += (s.centres[t] - before[t]) ** 2;
        if (converged(watch, step, n, batchSize, batchInertia, moved, tol, o.maxNoImprovement)) break;
      }
      s.steps = Math.min(step + 1, Math.max(nSteps, 1));
      s.nIter = Math.ceil((s.steps * batchSize) / n);
      if (o.computeLabels) {
        const { labels, distances } = be.scoped((inner) => new KMeansData(be, inner, data.data, n, d, k).assign(s.centres));
        s.labels = labels;
        s.inertia = weightedSum(distances, weights);
      } else {
        s.labels = new Int32Array(0);
        s.inertia = (watch.ewa ?? 0) * n;
      }
      return s;
    });
    this.setFitted(state);
    return this;
  }

  /** One step on the batch X (the first call chooses the starting centres from it). Returns this. */
  async partialFit(X: MatrixLike, _y?: unknown, options: ClusterFitOptions = {}): Promise<this> {
    const where = 'MiniBatchKMeans.partialFit';
    const o = this.params;
    const before = this.isFitted ? this.fitted(where) : undefined;
    const data = before ? this.checked(X, 'partialFit') : this.fitMatrix(X, `${where}: X`);
    const { rows: n, cols: d } = data;
    const k = o.nClusters;
    const weights = toSampleWeight(options.sampleWeight, where, n);
    const be = backend();
    const state = be.scoped((alloc) => {
      const seed = before ? before.seed : nextSeed(o.seed ?? undefined, where);
      // Each call its own stream, derived from the first call's seed and the step.
      const random = Generator.seeded(be, alloc, (seed + (before?.steps ?? 0) * 0x9e3779b9) % 2 ** 53);
      let s: State;
      if (before) {
        s = { ...before, centres: before.centres.slice(), counts: before.counts.slice() };
      } else {
        const { given } = startsOf(o, data, 3, where);
        const initSize = this.initSize(n, k, where);
        s = { centres: this.start(data, given, initSize, random, weights), k, d, labels: new Int32Array(0), inertia: 0, nIter: 1, counts: new Float64Array(k), sinceReassign: 0, steps: 0, seed };
      }
      this.step(s, data.data, Float64Array.from({ length: n }, (_, i) => (weights ? weights[i] : 1)), random);
      s.steps += 1;
      if (o.computeLabels) {
        const { labels, distances } = be.scoped((inner) => new KMeansData(be, inner, data.data, n, d, k).assign(s.centres));
        s.labels = labels;
        s.inertia = weightedSum(distances, weights);
      }
      return s;
    });
    if (before) this.rememberNames(this.fittedNames());
    this.setFitted(state);
    return this;
  }

  /** Steps taken (scikit-learn's n_steps_). */
  get nSteps(): number {
    return this.fitted('nSteps').steps;
  }

  /** Each centre's total weight so far. */
  get counts(): Float64Array {
    return this.fitted('counts').counts.slice();
  }

  /**
   * One step (scikit-learn's _mini_batch_step): assign the batch (rows × d, weights per row), move
   * each centre that received weight to the mean of all it was ever given, then maybe reassign
   * starved centres. Returns the batch's inertia.
   */
  private step(s: State, rows: Float64Array, w: Float64Array, random: Generator): number {
    const { k, d } = s;
    const m = w.length;
    // Whether this step may reassign, decided before it from the counts so far (scikit-learn's _random_reassign).
    s.sinceReassign += m;
    const reassign = s.counts.some((v) => v === 0) || s.sinceReassign >= 10 * k;
    if (reassign) s.sinceReassign = 0;
    const be = backend();
    const { labels, distances, sums } = be.scoped((alloc) => {
      const batch = new KMeansData(be, alloc, rows, m, d, k, w);
      const assigned = batch.assign(s.centres);
      return { ...assigned, sums: batch.sums(assigned.labels) };
    });
    const mass = new Float64Array(k);
    for (let i = 0; i < m; i++) mass[labels[i]] += w[i];
    const centres = s.centres.slice();
    for (let c = 0; c < k; c++) {
      if (!(mass[c] > 0)) continue;
      const count = s.counts[c];
      s.counts[c] += mass[c];
      const alpha = 1 / s.counts[c];
      for (let f = 0; f < d; f++) centres[c * d + f] = (s.centres[c * d + f] * count + sums[c * d + f]) * alpha;
    }
    const ratio = this.params.reassignmentRatio;
    if (reassign && ratio > 0) {
      const busiest = Math.max(...s.counts);
      const starved = Array.from(s.counts.keys()).filter((c) => s.counts[c] < ratio * busiest);
      // At most half a batch of them: the least fed.
      const moving = starved.length > 0.5 * m
        ? Array.from(s.counts.keys()).sort((a, b) => s.counts[a] - s.counts[b] || a - b).slice(0, Math.floor(0.5 * m)).filter((c) => starved.includes(c)).sort((a, b) => a - b)
        : starved;
      if (moving.length > 0) {
        const picks = random.permutation(m).subarray(0, moving.length);
        moving.forEach((c, t) => centres.set(rows.subarray(picks[t] * d, (picks[t] + 1) * d), c * d));
      }
      // Reset, though not so low that they are reassigned at once (scikit-learn's own remark).
      let least = Infinity;
      s.counts.forEach((v, c) => { if (!moving.includes(c)) least = Math.min(least, v); });
      if (Number.isFinite(least)) for (const c of moving) s.counts[c] = least;
    }
    s.centres = centres;
    return weightedSum(distances, w);
  }

  private initSize(n: number, k: number, where: string): number {
    let size = this.params.initSize ?? 3 * this.params.batchSize;
    if (size < k) {
      if (this.params.initSize !== null) warn('runtime', `${where}: initSize = ${size} is below nClusters = ${k}; using ${3 * k}`);
      size = 3 * k;
    }
    return Math.min(size, n);
  }

  /** Starting centres: given, or chosen from initSize samples drawn from the data. */
  private start(data: Matrix, given: Float64Array | undefined, initSize: number, random: Generator, weights?: Float64Array): Float64Array {
    if (given) return given.slice();
    const { rows: n, cols: d } = data;
    const k = this.params.nClusters;
    const pool = initSize < n ? draws(random, n, initSize) : Int32Array.from({ length: n }, (_, i) => i);
    const be = backend();
    return be.scoped((alloc) => {
      const sample = new KMeansData(be, alloc, gather(data, pool), pool.length, d, k);
      return this.params.init === 'random' ? randomCentres(sample, k, random) : kmeansPlusPlus(sample, k, random, weights ? Float64Array.from(pool, (i) => weights[i]) : undefined);
    });
  }

  protected override toSaved(s: State): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    const base = super.toSaved(s);
    return { meta: { ...base.meta, sinceReassign: s.sinceReassign, steps: s.steps, seed: s.seed }, arrays: { ...base.arrays, counts: s.counts } };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): MiniBatchKMeans {
    return restoreEstimator((p) => new MiniBatchKMeans(p as MiniBatchKMeansOptions), 'MiniBatchKMeans', source, (meta, a, where) => {
      const centres = readCentres({ ...meta, nIter: Math.max(1, meta.nIter as number) }, a, where);
      const { sinceReassign, steps, seed } = meta as Record<string, number>;
      if (!(a.counts instanceof Float64Array) || a.counts.length !== centres.k || !a.counts.every((v) => Number.isFinite(v) && v >= 0)
        || !Number.isInteger(sinceReassign) || sinceReassign < 0 || !Number.isInteger(steps) || steps < 1 || !Number.isSafeInteger(seed) || seed < 0) {
        throw new FormatError(`${where}: the saved mini-batch k-means is malformed`);
      }
      return { ...centres, counts: a.counts, sinceReassign, steps, seed };
    });
  }
}

/** m uniform draws of a sample index, with replacement (scikit-learn's randint). */
function draws(random: Generator, n: number, m: number): Int32Array {
  return Int32Array.from({ length: m }, () => random.below(n));
}

function gather(data: Matrix, rows: Int32Array): Float64Array {
  const d = data.cols, out = new Float64Array(rows.length * d);
  rows.forEach((i, r) => out.set(data.data.subarray(i * d, (i + 1) * d), r * d));
  return out;
}

/** Σ w‖x − nearest centre‖² over the given rows. */
function inertiaOn(data: Matrix, rows: Int32Array, centres: Float64Array, k: number, weights?: Float64Array): number {
  const be = backend();
  const { distances } = be.scoped((alloc) => new KMeansData(be, alloc, gather(data, rows), rows.length, data.cols, k).assign(centres));
  return weightedSum(distances, weights ? Float64Array.from(rows, (i) => weights[i]) : undefined);
}

/** The mean over features of each feature's (population) variance. */
function meanVariance(data: Matrix): number {
  const { rows: n, cols: d } = data;
  const mean = new Float64Array(d), v = new Float64Array(d);
  for (let i = 0; i < n * d; i += d) for (let f = 0; f < d; f++) mean[f] += data.data[i + f];
  for (let f = 0; f < d; f++) mean[f] /= n;
  for (let i = 0; i < n * d; i += d) for (let f = 0; f < d; f++) v[f] += (data.data[i + f] - mean[f]) ** 2;
  let s = 0;
  for (let f = 0; f < d; f++) s += v[f] / n;
  return s / d;
}

/**
 * scikit-learn's _mini_batch_convergence: an exponentially weighted average of the batch inertia
 * per sample (skipping the first step), stopping on a small move or a long lack of improvement.
 */
function converged(
  watch: { ewa: number | undefined; ewaMin: number | undefined; noImprovement: number }, step: number, n: number, batchSize: number,
  batchInertia: number, moved: number, tol: number, maxNoImprovement: number | null,
): boolean {
  const perSample = batchInertia / batchSize;
  if (step === 0) return false;
  if (watch.ewa === undefined) watch.ewa = perSample;
  else {
    const alpha = Math.min((batchSize * 2) / (n + 1), 1);
    watch.ewa = watch.ewa * (1 - alpha) + perSample * alpha;
  }
  if (tol > 0 && moved <= tol) return true;
  if (watch.ewaMin === undefined || watch.ewa < watch.ewaMin) {
    watch.noImprovement = 0;
    watch.ewaMin = watch.ewa;
  } else {
    watch.noImprovement++;
  }
  return maxNoImprovement !== null && watch.noImprovement >= maxNoImprovement;
}
