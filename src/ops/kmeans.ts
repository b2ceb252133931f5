// Typed wrappers of the k-means kernels (assembly/kmeans.ts) over one copy of the samples held in
// the arena for a whole fit: exact assignment (through f32 dot products with an exact f64
// re-check when the work is large, as the neighbour search), the update step's sums, Elkan's bounds and
// squared distances to given points. Every path gives the exact f64 answer; ties go to the lower
// centre.
import type { Backend } from '../runtime/backend.js';
import { fillI32, putF64, readF64, readI32, writeF32, writeF64, writeI32, type Alloc } from './memory.js';
import { squaredNorms } from './svm.js';

/** Work (rows × centres × features) above which assignment goes through f32 dot products. */
const DOTS_WORK = 1 << 21;
/** Bytes of dot products computed per block of rows. */
const DOTS_BYTES = 32 << 20;

/**
 * n samples of d features in the arena for the length of a scope, with buffers for k centres
 * that every call reuses (a fit makes hundreds of calls; nothing is allocated per call).
 */
export class KMeansData {
  readonly x: number;
  private readonly sq: number;
  private readonly weights: number;
  private readonly labels: number;
  private readonly best: number;
  private readonly c: number;
  private readonly kk: number;
  private readonly small: number;
  private readonly sums_: number;
  private x32 = 0;
  private c32 = 0;
  /** The samples' squared norms and norms, read once for the error bounds of every assignment. */
  private sqHere: Float64Array | undefined;
  private normsHere: Float64Array | undefined;
  private dots = 0;
  private bound = 0;
  private block = 0;
  private summed: Int32Array | undefined;
  private previous = 0;
  private changed = 0;
  private upper = 0;
  private lower = 0;
  private points = 0;
  private pointDistances = 0;
  private pointCapacity = 0;

  /** The column means the samples were moved by (zeros unless `centre`). */
  readonly mean: Float64Array;

  /**
   * X (n×d, row-major f64; with `centre`, moved by −(column means) in the arena, the caller's
   * array untouched), at most k centres, and the sample weights (none: every weight 1).
   */
  constructor(private readonly be: Backend, private readonly alloc: Alloc, X: Float64Array, readonly n: number, readonly d: number, readonly k: number,
    weights?: Float64Array, centre = false) {
    this.x = putF64(be, alloc, X.subarray(0, n * d));
    this.labels = alloc(n * 4);
    this.sums_ = alloc(k * d * 8);
    this.mean = new Float64Array(d);
    if (centre) {
      // Column sums as the update step's sums with every sample in cluster 0.
      fillI32(be, this.labels, n, 0);
      be.launch('groupSums', [this.x, n, d, this.labels, 0, 1, this.sums_], d, 1, n * d);
      readF64(be, this.sums_, d).forEach((v, f) => { this.mean[f] = v / n; });
      be.scoped((inner) => be.call('centreRows', this.x, n, d, putF64(be, inner, this.mean)));
    }
    this.sq = alloc(n * 8);
    squaredNorms(be, this.x, n, d, this.sq);
    this.weights = weights ? putF64(be, alloc, weights) : 0;
    this.best = alloc(n * 8);
    this.c = alloc(k * d * 8);
    this.kk = alloc(k * k * 8);
    // Per-centre vectors: squared norms, Elkan's nearest-other half distance, shifts.
    this.small = alloc(3 * k * 8);
  }

  /** The mean over features of each feature's variance, Σ_f Σ_i (x_if − mean_f)² / (n·d), from the centred rows' squared norms. */
  meanVariance(): number {
    let s = 0;
    for (const v of readF64(this.be, this.sq, this.n)) s += v;
    return s / (this.n * this.d);
  }

  /** Sample i (d values, centred when the data were). */
  row(i: number): Float64Array {
    return readF64(this.be, this.x + i * this.d * 8, this.d);
  }

  /**
   * Each sample's nearest centre (centres: k×d), exactly, and its squared distance (with `exact`
   * false, NaN where the nearest centre was certain without measuring it: the iterations only need labels).
   */
  assign(centres: Float64Array, exact = true): { labels: Int32Array; distances: Float64Array } {
    const { be, n, d, k } = this;
    writeF64(be, this.c, centres);
    if (n * k * d < DOTS_WORK || k === 1) {
      be.launch('kmeansAssign', [this.x, this.c, k, d, this.labels, this.best], n, 1, n * k * d);
    } else {
      this.assignByDots(centres, exact);
    }
    return { labels: readI32(be, this.labels, n), distances: readF64(be, this.best, n) };
  }

  /**
   * Candidates from x·c in f32: |fl(x·c) − x·c| ≤ (d + 2)·2⁻²⁴·‖x‖‖c‖ for f32 inputs and sums, so
   * a² is within twice that of ‖x − c‖², and four times more is kept as the margin (the bound of
   * the neighbour search); the kernel measures every centre within it exactly.
   */
  private assignByDots(centres: Float64Array, exact: boolean): void {
    const { be, alloc, n, d, k } = this;
    if (this.x32 === 0) {
      this.x32 = alloc(n * d * 4);
      be.launch('kmeansNarrow', [this.x, this.x32], n * d, 1, n * d);
      this.sqHere = readF64(be, this.sq, n);
      this.normsHere = this.sqHere.map(Math.sqrt);
      this.c32 = alloc(k * d * 4);
      this.block = Math.max(1, Math.min(n, Math.floor(DOTS_BYTES / (k * 4))));
      this.dots = alloc(this.block * k * 4);
      this.bound = alloc(this.block * 8);
    }
    writeF32(be, this.c32, centres);
    const sqC = this.small;
    squaredNorms(be, this.c, k, d, sqC);
    let maxC = 0;
    for (const v of readF64(be, sqC, k)) maxC = Math.max(maxC, Math.sqrt(v));
    const unit = 8 * (d + 2) * 2 ** -24;
    const sq = this.sqHere!, norms = this.normsHere!;
    for (let start = 0; start < n; start += this.block) {
      const count = Math.min(this.block, n - start);
      const b = new Float64Array(count);
      for (let r = 0; r < count; r++) b[r] = unit * norms[start + r] * maxC + 1e-9 * (sq[start + r] + maxC * maxC);
      writeF64(be, this.bound, b);
      be.launch('kmeansDots', [this.x32 + start * d * 4, d, this.c32, k, this.dots], count, 4, count * k * d);
      be.launch('kmeansAssignFromDots', [this.dots, this.sq + start * 8, sqC, this.bound, this.x + start * d * 8, this.c, k, d, +exact, this.labels + start * 4, this.best + start * 8],
        count, 1, count * k * 4);
    }
  }

  /** Forgets the labels the sums were carried for (a new run starts). */
  newRun(): void {
    this.summed = undefined;
  }

  /**
   * Σ w·x per cluster (k×d) for the given labels. Within a run the sums are carried from the last
   * labels, moving only the samples whose label changed, unless more than half did (then summed
   * afresh in sample order): the same bits on any thread count, a pass over few rows late in a run.
   */
  sums(labels: Int32Array): Float64Array {
    const { be, alloc, n, d, k } = this;
    const before = this.summed;
    const changed: number[] = [];
    if (before) for (let i = 0; i < n; i++) if (labels[i] !== before[i]) changed.push(i);
    if (!before || changed.length * 2 > n) {
      writeI32(be, this.labels, labels);
      be.launch('groupSums', [this.x, n, d, this.labels, this.weights, k, this.sums_], d, 1, n * d);
    } else if (changed.length > 0) {
      if (this.previous === 0) {
        this.previous = alloc(n * 4);
        this.changed = alloc(n * 4);
      }
      writeI32(be, this.previous, before);
      writeI32(be, this.labels, labels);
      writeI32(be, this.changed, changed);
      be.launch('groupSumsMove', [this.x, d, this.changed, changed.length, this.previous, this.labels, this.weights, this.sums_], d, 1, changed.length * d * 2);
    }
    this.summed = labels.slice();
    return readF64(be, this.sums_, k * d);
  }

  /** Elkan's start from the centres and half their pairwise distances (k×k): labels, and the bounds kept for elkanAssign. */
  elkanStart(centres: Float64Array, half: Float64Array): Int32Array {
    const { be, alloc, n, d, k } = this;
    if (this.upper === 0) {
      this.upper = alloc(n * 8);
      this.lower = alloc(n * k * 8);
    }
    writeF64(be, this.c, centres);
    writeF64(be, this.kk, half);
    be.launch('elkanStart', [this.x, this.c, k, d, this.kk, this.labels, this.upper, this.lower], n, 1, n * k * d);
    return readI32(be, this.labels, n);
  }

  /** One Elkan assignment against the centres (half: k×k half distances; next: each centre's nearest other's). */
  elkanAssign(centres: Float64Array, half: Float64Array, next: Float64Array): Int32Array {
    const { be, n, d, k } = this;
    writeF64(be, this.c, centres);
    writeF64(be, this.kk, half);
    writeF64(be, this.small + k * 8, next);
    be.launch('elkanAssign', [this.x, this.c, k, d, this.kk, this.small + k * 8, this.labels, this.upper, this.lower], n, 1, n * k * d);
    return readI32(be, this.labels, n);
  }

  /** Elkan's bounds after the centres moved by shift (k), for the labels elkanAssign gave. */
  elkanShift(shift: Float64Array, labels: Int32Array): void {
    const { be, n, k } = this;
    writeI32(be, this.labels, labels);
    writeF64(be, this.small + 2 * k * 8, shift);
    be.launch('elkanShift', [k, this.small + 2 * k * 8, this.labels, this.upper, this.lower], n, 1, n * k);
  }

  /** ‖x_i − p_t‖² for m points p (m×d): m×n. */
  squaredDistancesTo(points: Float64Array, m: number): Float64Array {
    const { be, alloc, n, d } = this;
    if (m > this.pointCapacity) {
      this.points = alloc(m * d * 8);
      this.pointDistances = alloc(m * n * 8);
      this.pointCapacity = m;
    }
    writeF64(be, this.points, points);
    be.launch('squaredDistancesTo', [this.x, n, d, this.points, m, this.pointDistances], n, 1, n * m * d);
    return readF64(be, this.pointDistances, m * n);
  }

  /** Each sample's squared distance to its own centre. */
  labelDistances(centres: Float64Array, labels: Int32Array): Float64Array {
    const { be, n, d } = this;
    writeF64(be, this.c, centres);
    writeI32(be, this.labels, labels);
    be.launch('kmeansLabelDistances', [this.x, this.c, d, this.labels, this.best], n, 1, n * d);
    return readF64(be, this.best, n);
  }
}
