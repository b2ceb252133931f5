// Typed wrappers of the histogram booster's kernels (assembly/boosting/): the binned samples,
// gradients, raw predictions and histograms of one fit held in the arena for its whole length,
// one tree step at a time on the pool (split by features), and the prediction of stored trees.
import { WasmlearnError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { BOOST_BIN_SLOTS, BOOST_BINS, BOOST_LOSS_CHUNK, BOOST_JOB_SLOTS, BOOST_SPLIT_SLOTS, BoostJob, BoostLoss } from '../runtime/bindings.js';
import { fillF64, putF64, putI32, readF64, readI32, readU8, writeF64, putU8, type Alloc } from './memory.js';

export { BoostLoss, BoostSplit, BOOST_SPLIT_SLOTS } from '../runtime/bindings.js';

/** Rows binned per kernel call: the f64 copy of the data in the arena stays this small. */
const BIN_BLOCK_ROWS = 2048;
/** Bytes of one histogram (every feature's bins). */
const featureHistogramBytes = BOOST_BINS * BOOST_BIN_SLOTS * 8;

/** A booster's tree as arrays over its nodes (root first, children after their parent); child indices are the tree's own. */
export interface BoostTree {
  /** The split feature, −1 at a leaf. */
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** Raw-value threshold (a value ≤ it goes left; the largest double: every non-missing value). */
  threshold: Float64Array;
  /** The same threshold as a bin. */
  bin: Int32Array;
  /** Bit 0: missing values go left; bit 1: a categorical split. */
  flags: Int32Array;
  /** A categorical split's bitset (index into the bitsets), else −1. */
  bitsetIndex: Int32Array;
  /** Leaf values (learning rate applied); internal nodes hold their value before shrinkage. */
  value: Float64Array;
  /** Training samples per node. */
  count: Int32Array;
  /** Left categories of each categorical split: raw category values and bins, 8 u32 each. */
  rawBitsets: Uint32Array;
  binnedBitsets: Uint32Array;
}

export const MISSING_LEFT = 1;
export const CATEGORICAL = 2;

/**
 * Bins the n rows of X (f64, row-major with d columns) with each feature's thresholds, NaN into
 * missingBin: a block of u8 codes, feature-major (d × n).
 */
export function binRows(be: Backend, alloc: Alloc, X: Float64Array, n: number, d: number, thresholds: Float64Array[], missingBin: number): number {
  const offsets = new Int32Array(d + 1);
  thresholds.forEach((t, f) => { offsets[f + 1] = offsets[f] + t.length; });
  const all = new Float64Array(offsets[d]);
  thresholds.forEach((t, f) => all.set(t, offsets[f]));
  const codes = alloc(n * d);
  be.scoped((inner) => {
    const t = putF64(be, inner, all), o = putI32(be, inner, offsets);
    const block = Math.min(BIN_BLOCK_ROWS, n);
    const x = inner(block * d * 8);
    for (let at = 0; at < n; at += block) {
      const size = Math.min(block, n - at);
      writeF64(be, x, X.subarray(at * d, (at + size) * d));
      be.launch('boostBin', [x, size, d, t, o, missingBin, codes, n, at], d, 1, size * d * 8);
    }
  });
  return codes;
}

/** The codes (u8, d×n, feature-major) of the rows `rows`, in that order: a new block of d × rows.length. */
export function selectRows(be: Backend, alloc: Alloc, codes: number, n: number, d: number, rows: Int32Array): number {
  const out = alloc(rows.length * d);
  be.scoped((inner) => be.launch('boostSelectRows', [codes, n, putI32(be, inner, rows), rows.length, out], d, 1, rows.length * d * 2));
  return out;
}

/** Per feature of binned rows (u8, d×n), 1 when some row has the missing bin. */
export function missingFeatures(be: Backend, codes: number, n: number, d: number, missingBin: number): Uint8Array {
  return be.scoped((alloc) => {
    const out = alloc(d);
    be.launch('boostHasMissing', [codes, n, missingBin, out], d, 1, n * d);
    return readU8(be, out, d);
  });
}

/** A partition runs in at most this many chunks of at least PARTITION_CHUNK_MIN samples (the pool shares the chunks). */
const PARTITION_CHUNKS_MAX = 64;
const PARTITION_CHUNK_MIN = 4096;

/** Features whose thresholds are computed per kernel call: their columns' f64 copy in the arena stays this small. */
const THRESHOLD_BLOCK = 16;

/**
 * The bin thresholds (assembly/boosting/thresholds.ts) of the numeric features (numeric[f]) of
 * the sample rows of X (f64, row-major with d columns), each feature on its own thread; null for
 * the others.
 */
export function numericThresholds(be: Backend, X: Float64Array, d: number, sample: ArrayLike<number>, numeric: boolean[], maxBins: number): (Float64Array | null)[] {
  const m = sample.length;
  const features = numeric.flatMap((yes, f) => (yes ? [f] : []));
  const out: (Float64Array | null)[] = numeric.map(() => null);
  be.scoped((alloc) => {
    const block = Math.min(THRESHOLD_BLOCK, Math.max(1, features.length));
    const x = alloc(block * m * 8), thresholds = alloc(block * (maxBins - 1) * 8), counts = alloc(block * 4);
    const scratch = alloc(Math.max(1, be.threadsRequested) * be.call('boostThresholdScratchBytes', m));
    const columns = new Float64Array(block * m);
    for (let at = 0; at < features.length; at += block) {
      const group = features.slice(at, at + block);
      // Row by row: each sample row's features are read together, not once per feature.
      const width = group.length;
      for (let t = 0; t < m; t++) {
        const row = sample[t] * d;
        for (let j = 0; j < width; j++) columns[j * m + t] = X[row + group[j]];
      }
      writeF64(be, x, columns.subarray(0, group.length * m));
      be.launch('boostThresholds', [x, m, maxBins, thresholds, counts, scratch], group.length, 1, group.length * m * 40);
      const n = readI32(be, counts, group.length), values = readF64(be, thresholds, group.length * (maxBins - 1));
      group.forEach((f, j) => { out[f] = values.slice(j * (maxBins - 1), j * (maxBins - 1) + n[j]); });
    }
  });
  return out;
}

/** Per-feature facts the split search reads: bins in use, missing values, monotonic constraint, categorical. */
export interface FeatureMeta {
  nonMissing: Int32Array;
  hasMissing: Uint8Array;
  monotonic: Int8Array;
  categorical: Uint8Array;
}

/** A node's sums and bounds, as the split search reads them. */
export interface NodeStats {
  sumG: number;
  sumH: number;
  count: number;
  value: number;
  lower: number;
  upper: number;
}

/** The split rules every node meets. */
export interface SplitRules {
  l2: number;
  minSamplesLeaf: number;
  minHessian: number;
}

/**
 * One fit's state in the arena: binned samples (u8, d×n), targets, weights, raw predictions
 * (f64, k×n), gradients and hessians (f32, k×n), the partition of samples into nodes, and a pool
 * of histograms reused from tree to tree.
 */
export class BoostData {
  readonly codes: number;
  private readonly y: number;
  private readonly w: number;
  /** Σ weights in order (or n): every iteration's mean loss divides by it. */
  private readonly weightTotal: number;
  readonly raw: number;
  private readonly g: number;
  private readonly h: number;
  /** Two buffers of the samples' rows (i32) and their (gradient, hessian) pairs: a partition reads a node from one and writes its children to the other. */
  private readonly rowBuffers: number[];
  private readonly pairBuffers: number[];
  private readonly lefts: number;
  private readonly job: number;
  private readonly meta: number;
  private readonly outSmall: number;
  private readonly outLarge: number;
  private readonly scratch: number;
  private readonly allowed: number;
  private readonly histograms: number[] = [];
  private readonly free: number[] = [];

  constructor(private readonly be: Backend, private readonly alloc: Alloc, codes: number, readonly n: number, readonly d: number, readonly k: number,
    y: Float64Array, weights: Float64Array | undefined, readonly constantHessian: boolean, meta: FeatureMeta, readonly missingBin: number) {
    this.codes = codes;
    this.y = putF64(be, alloc, y);
    this.w = weights ? putF64(be, alloc, weights) : 0;
    this.weightTotal = weights ? weightTotal(weights) : n;
    this.raw = alloc(k * n * 8);
    this.g = alloc(k * n * 4);
    this.h = constantHessian ? 0 : alloc(k * n * 4);
    this.rowBuffers = [alloc(n * 4), alloc(n * 4)];
    this.pairBuffers = [alloc(n * 8), alloc(n * 8)];
    this.lefts = alloc(PARTITION_CHUNKS_MAX * 4);
    this.job = alloc(BOOST_JOB_SLOTS * 8);
    this.outSmall = alloc(d * BOOST_SPLIT_SLOTS * 8);
    this.outLarge = alloc(d * BOOST_SPLIT_SLOTS * 8);
    this.scratch = alloc(Math.max(1, be.threadsRequested) * be.call('boostScratchBytes'));
    this.allowed = alloc(d);
    const block = new Uint8Array(7 * d);
    new Int32Array(block.buffer, 0, d).set(meta.nonMissing);
    block.set(meta.hasMissing, 4 * d);
    block.set(new Uint8Array(meta.monotonic.buffer, meta.monotonic.byteOffset, d), 5 * d);
    block.set(meta.categorical, 6 * d);
    this.meta = putU8(be, alloc, block);
  }

  /** Sets every raw prediction of output c to base[c]. */
  setRaw(base: Float64Array): void {
    for (let c = 0; c < this.k; c++) fillF64(this.be, this.raw + c * this.n * 8, this.n, base[c]);
  }

  /** Raw predictions (k×n, class-major), copied out. */
  readRaw(): Float64Array {
    return readF64(this.be, this.raw, this.k * this.n);
  }

  writeRaw(values: Float64Array): void {
    writeF64(this.be, this.raw, values);
  }

  /** Gradients (and hessians) of every output from the raw predictions; with `mean`, the mean loss there too (from the same pass). */
  gradients(loss: BoostLoss, quantile: number, mean = false): number {
    return this.be.scoped((alloc) => {
      const chunks = Math.ceil(this.n / BOOST_LOSS_CHUNK), losses = mean ? alloc(chunks * 8) : 0;
      this.be.launch('boostGradients', [loss, quantile, this.y, this.raw, this.w, this.n, this.k, this.g, this.h, losses], this.n, mean ? BOOST_LOSS_CHUNK : 1,
        this.n * this.k * 20);
      return mean ? this.be.call('boostLossMean', losses, chunks, this.weightTotal) : Number.NaN;
    });
  }

  /** Σ gradients and Σ hessians of output c over every sample (f64 sums in sample order). */
  sums(c: number): { sumG: number; sumH: number } {
    return this.be.scoped((alloc) => {
      const out = alloc(16);
      this.be.call('boostSums', this.g + c * this.n * 4, this.constantHessian ? 0 : this.h + c * this.n * 4, this.n, out);
      const [sumG, sumH] = readF64(this.be, out, 2);
      return { sumG, sumH };
    });
  }

  /** Puts every sample in the root's partition, in order, in buffer 0. */
  resetRows(): void {
    this.be.call('boostResetRows', this.rowBuffers[0], this.n);
  }

  /** A histogram block from the pool (d features × BOOST_BINS bins). */
  takeHistogram(): number {
    const free = this.free.pop();
    if (free !== undefined) return free;
    const ptr = this.alloc(this.d * featureHistogramBytes);
    this.histograms.push(ptr);
    return ptr;
  }

  giveHistogram(ptr: number): void {
    this.free.push(ptr);
  }

  /**
   * The histograms of a node's samples rows[start, start + count) into `small` (for output c),
   * and, when parent is given, large = parent − small; then the best split of every allowed feature
   * for each of the two that `split` asks for: their records (d × BOOST_SPLIT_SLOTS), or null.
   */
  step(c: number, side: number, start: number, count: number, small: number, parent: number, large: number, split: [boolean, boolean],
    stats: [NodeStats, NodeStats | null], rules: SplitRules, allowed: Uint8Array | null): [Float64Array | null, Float64Array | null] {
    const be = this.be, root = start === 0 && count === this.n && parent === 0;
    // The root's pairs are gathered from the gradients; a child's were moved with its rows by the partition.
    if (root) be.launch('boostGather', [0, this.g + c * this.n * 4, this.constantHessian ? 0 : this.h + c * this.n * 4, this.pairBuffers[0]], count, 1, count * 4);
    const rows = root ? 0 : this.rowBuffers[side] + start * 4;
    const job = new Float64Array(BOOST_JOB_SLOTS);
    job[BoostJob.Codes] = this.codes;
    job[BoostJob.Samples] = this.n;
    job[BoostJob.Rows] = rows;
    job[BoostJob.Count] = count;
    job[BoostJob.Pairs] = this.pairBuffers[side] + start * 8;
    job[BoostJob.ConstantHessian] = this.constantHessian ? 1 : 0;
    job[BoostJob.Small] = small;
    job[BoostJob.Parent] = parent;
    job[BoostJob.Large] = large;
    job[BoostJob.Meta] = this.meta;
    job[BoostJob.OutSmall] = this.outSmall;
    job[BoostJob.OutLarge] = this.outLarge;
    job[BoostJob.SplitSmall] = split[0] ? 1 : 0;
    job[BoostJob.SplitLarge] = split[1] ? 1 : 0;
    stats.forEach((s, i) => {
      if (s) job.set([s.sumG, s.sumH, s.count, s.value, s.lower, s.upper], i === 0 ? BoostJob.SmallStats : BoostJob.LargeStats);
    });
    job[BoostJob.L2] = rules.l2;
    job[BoostJob.MinLeaf] = rules.minSamplesLeaf;
    job[BoostJob.MinHessian] = rules.minHessian;
    job[BoostJob.Features] = this.d;
    job[BoostJob.MissingBin] = this.missingBin;
    job[BoostJob.Scratch] = this.scratch;
    if (allowed) {
      new Uint8Array(be.memory.buffer, this.allowed, this.d).set(allowed);
      job[BoostJob.Allowed] = this.allowed;
    }
    writeF64(be, this.job, job);
    be.launch('boostNodes', [this.job], this.d, 1, count * this.d * 4 + this.d * BOOST_BINS * 8);
    return [split[0] ? readF64(be, this.outSmall, this.d * BOOST_SPLIT_SLOTS) : null, split[1] ? readF64(be, this.outLarge, this.d * BOOST_SPLIT_SLOTS) : null];
  }

  /**
   * Partitions the node at [start, start + count) of buffer `side` into the other buffer, the
   * samples going left first (stably); `left` of them go left, as the split's histogram counted.
   * bitset: a categorical split's left bins (8 u32), else null. On up to two threads one pass
   * from both ends does it; on more, a counting pass over chunks and a scatter pass.
   */
  partition(side: number, start: number, count: number, left: number, feature: number, bin: number, missingLeft: boolean, bitset: Uint32Array | null): void {
    const be = this.be;
    const rows = this.rowBuffers[side] + start * 4, pairs = this.pairBuffers[side] + start * 8;
    const outRows = this.rowBuffers[1 - side] + start * 4, outPairs = this.pairBuffers[1 - side] + start * 8;
    let moved = 0;
    be.scoped((alloc) => {
      const set = bitset ? putI32(be, alloc, new Int32Array(bitset.buffer, bitset.byteOffset, 8)) : 0;
      const rule = [bin, missingLeft ? 1 : 0, this.missingBin, set];
      if (be.threads <= 2) {
        be.launch('boostPartitionEnds', [this.codes, this.n, feature, rows, pairs, count, ...rule, outRows, outPairs, left, this.lefts] as never, 2, 1, count * 8);
        for (const l of readI32(be, this.lefts, 2)) moved += l;
        return;
      }
      const chunkSize = Math.max(PARTITION_CHUNK_MIN, Math.ceil(count / PARTITION_CHUNKS_MAX)), chunks = Math.ceil(count / chunkSize);
      be.launch('boostPartitionCount', [this.codes, this.n, feature, rows, count, ...rule, this.lefts, chunkSize] as never, chunks, 1, count * 2);
      be.launch('boostPartitionScatter', [this.codes, this.n, feature, rows, pairs, count, ...rule, outRows, outPairs, this.lefts, chunkSize, chunks] as never,
        chunks, 1, count * 8);
      for (const l of readI32(be, this.lefts, chunks)) moved += l;
    });
    if (moved !== left) throw new WasmlearnError(`internal: a booster split sent ${moved} samples left where its histogram counted ${left}`);
  }

  /** The samples of [start, start + count) of buffer `side`. */
  rowsOf(side: number, start: number, count: number): Int32Array {
    return readI32(this.be, this.rowBuffers[side] + start * 4, count);
  }

  /** Adds value to output c's raw prediction of the samples at [start, start + count) of buffer `side`. */
  addLeaf(c: number, side: number, start: number, count: number, value: number): void {
    this.be.call('boostAddLeaf', this.rowBuffers[side] + start * 4, count, this.raw + c * this.n * 8, value);
  }
}

/** Bytes of a node record of the prediction kernels (assembly/boosting/predict.ts). */
const NODE_BYTES = 24;

/**
 * Trees packed into the arena as the prediction kernels read them: roots (i32), 24-byte node
 * records, and the bitsets (raw categories, or bins when `binned`).
 */
function packTrees(be: Backend, alloc: Alloc, trees: BoostTree[], binned: boolean): [roots: number, nodes: number, bitsets: number] {
  const total = trees.reduce((s, t) => s + t.feature.length, 0);
  const roots = new Int32Array(trees.length);
  const records = new ArrayBuffer(total * NODE_BYTES);
  const f64 = new Float64Array(records), i32 = new Int32Array(records);
  const bitsets = new Uint32Array(trees.reduce((s, t) => s + t.rawBitsets.length, 0));
  let at = 0, bitsetAt = 0;
  trees.forEach((t, i) => {
    roots[i] = at;
    for (let j = 0; j < t.feature.length; j++) {
      const r = at + j, leaf = t.feature[j] < 0;
      f64[r * 3] = leaf ? t.value[j] : binned ? t.bin[j] : t.threshold[j];
      i32[r * 6 + 2] = t.feature[j];
      i32[r * 6 + 3] = t.left[j];
      i32[r * 6 + 4] = t.right[j];
      i32[r * 6 + 5] = ((t.bitsetIndex[j] < 0 ? 0 : t.bitsetIndex[j] + bitsetAt / 8) << 2) | t.flags[j];
    }
    bitsets.set(binned ? t.binnedBitsets : t.rawBitsets, bitsetAt);
    at += t.feature.length;
    bitsetAt += t.rawBitsets.length;
  });
  return [putI32(be, alloc, roots), putF64(be, alloc, f64), putI32(be, alloc, new Int32Array(bitsets.buffer, 0, bitsets.length))];
}

/**
 * Adds to out (k×m, class-major, at ptr `out` in the arena) the trees' values for the m rows of X
 * (f64, row-major with d columns, at ptr x): tree t adds to output t mod k.
 */
export function predictTrees(be: Backend, trees: BoostTree[], k: number, x: number, m: number, d: number, out: number): void {
  if (trees.length === 0) return;
  be.scoped((alloc) => {
    const [roots, nodes, bitsets] = packTrees(be, alloc, trees, false);
    be.launch('boostPredict', [x, m, d, trees.length, k, roots, nodes, bitsets, out], m, 1, m * trees.length * 24);
  });
}

/** As predictTrees for binned rows (codes: u8, d×m, feature-major). */
export function predictTreesBinned(be: Backend, trees: BoostTree[], k: number, codes: number, m: number, missingBin: number, out: number): void {
  if (trees.length === 0) return;
  be.scoped((alloc) => {
    const [roots, nodes, bitsets] = packTrees(be, alloc, trees, true);
    be.launch('boostPredictBinned', [codes, m, trees.length, k, roots, nodes, bitsets, missingBin, out], m, 1, m * trees.length * 24);
  });
}

/** Probabilities (rows × classes) from raw predictions (k×m, class-major): logistic for one output, softmax for several (assembly/boosting/links.ts). */
export function probabilitiesOf(be: Backend, raw: Float64Array, k: number, m: number): number[][] {
  const width = k === 1 ? 2 : k;
  const flat = be.scoped((alloc) => {
    const out = alloc(m * width * 8);
    be.launch('boostProbabilities', [putF64(be, alloc, raw), k, m, out], m, 1, m * width * 20);
    return readF64(be, out, m * width);
  });
  return Array.from({ length: m }, (_, i) => Array.from(flat.subarray(i * width, (i + 1) * width)));
}

/** e^v for each value (a new array). */
export function expOf(be: Backend, values: Float64Array): Float64Array {
  return be.scoped((alloc) => {
    const ptr = putF64(be, alloc, values);
    be.call('boostExp', ptr, values.length);
    return readF64(be, ptr, values.length);
  });
}

/** The natural logarithm, the same in every runtime. */
export function logOf(be: Backend, x: number): number {
  return be.call('boostLog', x);
}

/**
 * The mean loss (chunks of samples summed on the pool, then in order) of raw predictions
 * (k×m, class-major) against y and weights w, all in the arena (w 0: unweighted); total: Σ w
 * (weightTotal) or m.
 */
export function meanLoss(be: Backend, loss: BoostLoss, quantile: number, y: number, raw: number, w: number, total: number, m: number, k: number): number {
  return be.scoped((alloc) => {
    const chunks = Math.ceil(m / BOOST_LOSS_CHUNK), values = alloc(chunks * 8);
    be.launch('boostLosses', [loss, quantile, y, raw, w, m, k, values], m, BOOST_LOSS_CHUNK, m * k * 30);
    return be.call('boostLossMean', values, chunks, total);
  });
}

/** Σ weights in order (f64, as the kernels add): what a weighted mean loss divides by. */
export function weightTotal(weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  return sum;
}

/** Raw predictions (k×m, class-major) of m rows of X: base plus every tree's values; stages, if given, receives a copy after each group of k trees. */
export function rawPredict(be: Backend, trees: BoostTree[], k: number, base: Float64Array, X: Float64Array | Float32Array, m: number, d: number,
  stages?: (raw: Float64Array, iteration: number) => void): Float64Array {
  return be.scoped((alloc) => {
    const x = putF64(be, alloc, X.subarray(0, m * d));
    const out = alloc(k * m * 8);
    for (let c = 0; c < k; c++) fillF64(be, out + c * m * 8, m, base[c]);
    if (!stages) {
      predictTrees(be, trees, k, x, m, d, out);
      return readF64(be, out, k * m);
    }
    for (let i = 0; i * k < trees.length; i++) {
      predictTrees(be, trees.slice(i * k, (i + 1) * k), k, x, m, d, out);
      stages(readF64(be, out, k * m), i);
    }
    return readF64(be, out, k * m);
  });
}

