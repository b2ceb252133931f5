// One step of growing a booster's tree, split over threads by features: the histograms of a node
// (the root, or the smaller child of a split) from its samples, the larger child's as its
// parent's minus the smaller's (LightGBM's subtraction trick: Ke et al., NeurIPS 2017), and each
// feature's best split for the children still to split. Every feature's sums run over the
// node's samples in order, so the result does not depend on the thread count.
import { BOOST_BIN_SLOTS, BOOST_BINS, BOOST_SPLIT_SLOTS, BoostJob } from '../codes';
import { CATEGORY_SCRATCH_BYTES, categoricalSplit, numericSplit, setSplitRules } from './split';

/** Bytes of one feature's histogram. */
const FEATURE_BYTES: usize = <usize>(BOOST_BINS * BOOST_BIN_SLOTS) << 3;

/** Bytes of scratch boostNodes needs per thread. */
export function boostScratchBytes(): i32 {
  return CATEGORY_SCRATCH_BYTES;
}

// @ts-ignore: decorator
@inline function slot(job: usize, s: i32): f64 { return load<f64>(job + (<usize>s << 3)); }
// @ts-ignore: decorator
@inline function ptr(job: usize, s: i32): usize { return <usize>slot(job, s); }

/** Features whose histograms one pass over the samples builds. */
const WIDTH: i32 = 4;

/** Bytes of one bin. */
const BIN_BYTES: usize = <usize>BOOST_BIN_SLOTS << 3;

/**
 * The histograms of features f0..f0+width−1 (width ≤ 4) into hist (consecutive per feature) over
 * the samples (rows[t], or t when rows is 0), pairs[t] holding (gradient, hessian) as two f32
 * (the precision the losses store them in), widened to f64x2 for the sums: 8 bytes per sample
 * moved by the partition and read here instead of 16.
 * Several features per pass keep several independent chains of additions in flight: a run of
 * samples in one bin otherwise waits on each store. Each feature's sums still run in sample
 * order.
 */
function build(hist: usize, codes: usize, n: usize, f0: i32, width: i32, rows: usize, count: i32, pairs: usize): void {
  memory.fill(hist, 0, FEATURE_BYTES * <usize>width);
  const c0 = codes + <usize>f0 * n;
  if (width == 4) {
    const h1 = hist + FEATURE_BYTES, h2 = h1 + FEATURE_BYTES, h3 = h2 + FEATURE_BYTES;
    const c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let t = 0; t < count; t++) {
      const i = rows != 0 ? <usize>load<i32>(rows + (<usize>t << 2)) : <usize>t;
      const p = pairAt(pairs, t);
      const e0 = hist + <usize>load<u8>(c0 + i) * BIN_BYTES, e1 = h1 + <usize>load<u8>(c1 + i) * BIN_BYTES;
      const e2 = h2 + <usize>load<u8>(c2 + i) * BIN_BYTES, e3 = h3 + <usize>load<u8>(c3 + i) * BIN_BYTES;
      v128.store(e0, f64x2.add(v128.load(e0), p));
      store<f64>(e0, load<f64>(e0, 16) + 1.0, 16);
      v128.store(e1, f64x2.add(v128.load(e1), p));
      store<f64>(e1, load<f64>(e1, 16) + 1.0, 16);
      v128.store(e2, f64x2.add(v128.load(e2), p));
      store<f64>(e2, load<f64>(e2, 16) + 1.0, 16);
      v128.store(e3, f64x2.add(v128.load(e3), p));
      store<f64>(e3, load<f64>(e3, 16) + 1.0, 16);
    }
    return;
  }
  if (width == 2) {
    const h1 = hist + FEATURE_BYTES, c1 = c0 + n;
    for (let t = 0; t < count; t++) {
      const i = rows != 0 ? <usize>load<i32>(rows + (<usize>t << 2)) : <usize>t;
      const p = pairAt(pairs, t);
      const e0 = hist + <usize>load<u8>(c0 + i) * BIN_BYTES, e1 = h1 + <usize>load<u8>(c1 + i) * BIN_BYTES;
      v128.store(e0, f64x2.add(v128.load(e0), p));
      store<f64>(e0, load<f64>(e0, 16) + 1.0, 16);
      v128.store(e1, f64x2.add(v128.load(e1), p));
      store<f64>(e1, load<f64>(e1, 16) + 1.0, 16);
    }
    return;
  }
  for (let w = 0; w < width; w++) {
    const h = hist + <usize>w * FEATURE_BYTES, c = c0 + <usize>w * n;
    for (let t = 0; t < count; t++) {
      const i = rows != 0 ? <usize>load<i32>(rows + (<usize>t << 2)) : <usize>t;
      const e = h + <usize>load<u8>(c + i) * BIN_BYTES;
      v128.store(e, f64x2.add(v128.load(e), pairAt(pairs, t)));
      store<f64>(e, load<f64>(e, 16) + 1.0, 16);
    }
  }
}

/** Sample t's (gradient, hessian) as f64x2. */
// @ts-ignore: decorator
@inline function pairAt(pairs: usize, t: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(pairs + (<usize>t << 3)));
}

/** Runs job (BOOST_JOB_SLOTS f64, codes.ts BoostJob) for features fStart ≤ f < fEnd. */
export function boostNodes(job: usize, fStart: i32, fEnd: i32, thread: i32): void {
  const codes = ptr(job, BoostJob.Codes), n = <usize>slot(job, BoostJob.Samples);
  const rows = ptr(job, BoostJob.Rows), count = <i32>slot(job, BoostJob.Count);
  const pairs = ptr(job, BoostJob.Pairs), constant = slot(job, BoostJob.ConstantHessian) != 0;
  const small = ptr(job, BoostJob.Small), parent = ptr(job, BoostJob.Parent), large = ptr(job, BoostJob.Large);
  const allowed = ptr(job, BoostJob.Allowed), meta = ptr(job, BoostJob.Meta), d = <usize>slot(job, BoostJob.Features);
  const outSmall = ptr(job, BoostJob.OutSmall), outLarge = ptr(job, BoostJob.OutLarge);
  const splitSmall = slot(job, BoostJob.SplitSmall) != 0, splitLarge = slot(job, BoostJob.SplitLarge) != 0;
  const missingBin = <i32>slot(job, BoostJob.MissingBin);
  const scratch = ptr(job, BoostJob.Scratch) + <usize>thread * CATEGORY_SCRATCH_BYTES;
  const statsSmall = job + (<usize>BoostJob.SmallStats << 3), statsLarge = job + (<usize>BoostJob.LargeStats << 3);
  setSplitRules(slot(job, BoostJob.L2), slot(job, BoostJob.MinLeaf), slot(job, BoostJob.MinHessian), constant);
  // Histograms first, four consecutive allowed features at a time; then each feature's splits.
  for (let f = fStart; f < fEnd;) {
    if (allowed != 0 && load<u8>(allowed + f) == 0) {
      f++;
      continue;
    }
    let width = 1;
    while (width < WIDTH && f + width < fEnd && (allowed == 0 || load<u8>(allowed + f + width) != 0)) width++;
    build(small + <usize>f * FEATURE_BYTES, codes, n, f, width, rows, count, pairs);
    f += width;
  }
  for (let f = fStart; f < fEnd; f++) {
    const recordSmall = outSmall + <usize>f * (<usize>BOOST_SPLIT_SLOTS << 3), recordLarge = outLarge + <usize>f * (<usize>BOOST_SPLIT_SLOTS << 3);
    if (allowed != 0 && load<u8>(allowed + f) == 0) {
      if (splitSmall) store<f64>(recordSmall, -1);
      if (splitLarge) store<f64>(recordLarge, -1);
      continue;
    }
    const hs = small + <usize>f * FEATURE_BYTES;
    const hl = large + <usize>f * FEATURE_BYTES;
    if (parent != 0) {
      const hp = parent + <usize>f * FEATURE_BYTES;
      for (let e: usize = 0; e < FEATURE_BYTES; e += 16) v128.store(hl + e, f64x2.sub(v128.load(hp + e), v128.load(hs + e)));
    }
    const nonMissing = load<i32>(meta + (<usize>f << 2));
    const hasMissing = load<u8>(meta + 4 * d + f) != 0, monotonic = <i32>load<i8>(meta + 5 * d + f), categorical = load<u8>(meta + 6 * d + f) != 0;
    if (splitSmall) {
      if (categorical) categoricalSplit(hs, nonMissing, missingBin, hasMissing, monotonic, statsSmall, recordSmall, scratch);
      else numericSplit(hs, nonMissing, hasMissing, monotonic, statsSmall, recordSmall);
    }
    if (splitLarge) {
      if (categorical) categoricalSplit(hl, nonMissing, missingBin, hasMissing, monotonic, statsLarge, recordLarge, scratch);
      else numericSplit(hl, nonMissing, hasMissing, monotonic, statsLarge, recordLarge);
    }
  }
}

/**
 * pairs[t] = (g[i], h[i]) as two f32, i = rows[t] (or t when rows is 0), for start ≤ t < end: a
 * node's gradients and hessians in its samples' order, ready for the histogram's f64x2 additions;
 * h 0: a constant hessian, stored as 0 (the split search counts samples instead).
 */
export function boostGather(rows: usize, g: usize, h: usize, pairs: usize, start: i32, end: i32): void {
  for (let t = start; t < end; t++) {
    const i = rows != 0 ? <usize>load<i32>(rows + (<usize>t << 2)) << 2 : <usize>t << 2;
    store<f32>(pairs + (<usize>t << 3), load<f32>(g + i));
    store<f32>(pairs + (<usize>t << 3), h != 0 ? load<f32>(h + i) : <f32>0, 4);
  }
}

// @ts-ignore: decorator
@inline function goesLeft(b: i32, bin: i32, missingLeft: bool, missingBin: i32, bitset: usize): bool {
  return bitset != 0 ? (load<u32>(bitset + (<usize>(b >> 5) << 2)) & (1 << (b & 31))) != 0 : (b <= bin || (missingLeft && b == missingBin));
}

/**
 * The first pass of a stable partition of a node's samples rows[0, count), in chunks of chunkSize
 * samples (chunks cStart ≤ c < cEnd): lefts[c] (i32) = how many of chunk c's samples go left.
 * Numeric splits send bins ≤ bin left, and the missing bin left when missingLeft; categorical
 * splits (bitset ≠ 0: 8 u32) send the bins in the bitset left.
 */
export function boostPartitionCount(codes: usize, n: i32, feature: i32, rows: usize, count: i32, bin: i32, missingLeft: bool, missingBin: i32, bitset: usize,
  lefts: usize, chunkSize: i32, cStart: i32, cEnd: i32): void {
  const column = codes + <usize>feature * <usize>n;
  for (let c = cStart; c < cEnd; c++) {
    const first = c * chunkSize, last = min(count, first + chunkSize);
    let left = 0;
    for (let t = first; t < last; t++) left += <i32>goesLeft(<i32>load<u8>(column + load<i32>(rows + (<usize>t << 2))), bin, missingLeft, missingBin, bitset);
    store<i32>(lefts + (<usize>c << 2), left);
  }
}

/**
 * The second pass: chunks cStart ≤ c < cEnd write their samples (rows, and their (gradient,
 * hessian) pairs) into the other buffer, outRows/outPairs: those going left after the left ones
 * of the chunks before them, the others after every left one. The result is the stable partition
 * whatever the threads did; the caller's node now lives in the other buffer.
 */
export function boostPartitionScatter(codes: usize, n: i32, feature: i32, rows: usize, pairs: usize, count: i32, bin: i32, missingLeft: bool, missingBin: i32,
  bitset: usize, outRows: usize, outPairs: usize, lefts: usize, chunkSize: i32, chunks: i32, cStart: i32, cEnd: i32): void {
  const column = codes + <usize>feature * <usize>n;
  let totalLeft = 0;
  for (let c = 0; c < chunks; c++) totalLeft += load<i32>(lefts + (<usize>c << 2));
  let leftAt = 0, rightAt = totalLeft;
  for (let c = 0; c < cStart; c++) {
    const l = load<i32>(lefts + (<usize>c << 2));
    leftAt += l;
    rightAt += min(count, (c + 1) * chunkSize) - c * chunkSize - l;
  }
  const first = cStart * chunkSize, last = min(count, cEnd * chunkSize);
  for (let t = first; t < last; t++) {
    const i = load<i32>(rows + (<usize>t << 2));
    const left = goesLeft(<i32>load<u8>(column + i), bin, missingLeft, missingBin, bitset);
    const at = select(leftAt, rightAt, left);
    store<i32>(outRows + (<usize>at << 2), i);
    store<u64>(outPairs + (<usize>at << 3), load<u64>(pairs + (<usize>t << 3)));
    leftAt += <i32>left;
    rightAt += 1 - <i32>left;
  }
}

/**
 * A stable partition in one pass, from both ends, when the number going left (totalLeft) is
 * known from the split's histogram: part 0 takes samples [0, count/2) front to back, writing its
 * left ones from 0 up and its right ones from totalLeft up; part 1 takes [count/2, count) back
 * to front, writing its right ones from count − 1 down and its left ones from totalLeft − 1
 * down. The two meet exactly because their left counts add up to totalLeft; each stores its
 * left count in lefts[part] so the caller can check that they do. Parts pStart ≤ p < pEnd.
 */
export function boostPartitionEnds(codes: usize, n: i32, feature: i32, rows: usize, pairs: usize, count: i32, bin: i32, missingLeft: bool, missingBin: i32,
  bitset: usize, outRows: usize, outPairs: usize, totalLeft: i32, lefts: usize, pStart: i32, pEnd: i32): void {
  const column = codes + <usize>feature * <usize>n, mid = count >> 1;
  for (let part = pStart; part < pEnd; part++) {
    let left = 0;
    if (part == 0) {
      let leftAt = 0, rightAt = totalLeft;
      for (let t = 0; t < mid; t++) {
        const i = load<i32>(rows + (<usize>t << 2));
        const goes = goesLeft(<i32>load<u8>(column + i), bin, missingLeft, missingBin, bitset);
        const at = select(leftAt, rightAt, goes);
        store<i32>(outRows + (<usize>at << 2), i);
        store<u64>(outPairs + (<usize>at << 3), load<u64>(pairs + (<usize>t << 3)));
        leftAt += <i32>goes;
        rightAt += 1 - <i32>goes;
      }
      left = leftAt;
    } else {
      let leftAt = totalLeft - 1, rightAt = count - 1;
      for (let t = count - 1; t >= mid; t--) {
        const i = load<i32>(rows + (<usize>t << 2));
        const goes = goesLeft(<i32>load<u8>(column + i), bin, missingLeft, missingBin, bitset);
        const at = select(leftAt, rightAt, goes);
        store<i32>(outRows + (<usize>at << 2), i);
        store<u64>(outPairs + (<usize>at << 3), load<u64>(pairs + (<usize>t << 3)));
        leftAt -= <i32>goes;
        rightAt -= 1 - <i32>goes;
      }
      left = totalLeft - 1 - leftAt;
    }
    store<i32>(lefts + (<usize>part << 2), left);
  }
}

/** raw[rows[t]] += value for t < count: a leaf's contribution to its samples' raw predictions. */
export function boostAddLeaf(rows: usize, count: i32, raw: usize, value: f64): void {
  for (let t = 0; t < count; t++) {
    const e = raw + (<usize>load<i32>(rows + (<usize>t << 2)) << 3);
    store<f64>(e, load<f64>(e) + value);
  }
}

/** rows[i] = i for i < n: every sample in the root's partition. */
export function boostResetRows(rows: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(rows + (<usize>i << 2), i);
}

/** out[0] = Σ g[i], out[1] = Σ h[i] (h 0: n), f32 values summed in f64 in order: a root's sums. */
export function boostSums(g: usize, h: usize, n: i32, out: usize): void {
  let sg = 0.0, sh = 0.0;
  for (let i = 0; i < n; i++) sg += <f64>load<f32>(g + (<usize>i << 2));
  if (h != 0) for (let i = 0; i < n; i++) sh += <f64>load<f32>(h + (<usize>i << 2));
  else sh = <f64>n;
  store<f64>(out, sg);
  store<f64>(out, sh, 8);
}
