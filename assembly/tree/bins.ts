// Pre-binning for histogram split search (assembly/tree/grow.ts). A feature with at most
// MAX_BINS distinct f32 values gets one bin per value: its sorted values, and for every sample
// the code (u8) of its value. Split search over such bins sees exactly the boundaries a sort of
// the node's values would (the values between two non-empty bins are those of the empty bins in
// between, absent from the node), so the histogram search is exact, not an approximation as in
// LightGBM or scikit-learn's HistGradientBoosting. A feature with more distinct values gets
// nBins 0 and is searched by sorting.
// Values are found through a small open-addressing hash table per feature (value bits → order of
// first appearance), so each of the n·d values costs O(1) in both passes.
import { MAX_BINS } from '../codes';

const SLOTS: i32 = 1024;
const BLOCK: i32 = 16; // features binned together // hash slots per feature: a load of at most 1/4
const TABLE_BYTES: i32 = SLOTS * 8;
/** Scratch treeBins needs per feature: its hash table, values in order of appearance (f32), their ranks (u8). */
export const BIN_SCRATCH_BYTES: i32 = TABLE_BYTES + MAX_BINS * 5;

// @ts-ignore: decorator
@inline function slotOf(bits: u32): i32 { return <i32>((bits * 0x9e3779b1) >>> 22); }

/** The table entry (key, 1 + order of first appearance) holding bits, or the empty one where it belongs. */
// @ts-ignore: decorator
@inline function find(table: usize, bits: u32): usize {
  let slot = slotOf(bits);
  while (true) {
    const e = table + (<usize>slot << 3);
    if (load<i32>(e, 4) == 0 || load<u32>(e) == bits) return e;
    slot = (slot + 1) & (SLOTS - 1);
  }
}

/** Bytes of scratch treeBins needs for d features. */
export function treeBinsScratchBytes(d: i32): usize {
  return <usize>d * BIN_SCRATCH_BYTES;
}

/** Pass 1 over one row: new values of features fStart ≤ f < fEnd join their feature's list (unsorted). */
function collectRow(row: usize, nBins: usize, scratch: usize, fStart: i32, fEnd: i32): void {
  for (let f = fStart; f < fEnd; f++) {
    const count = load<i32>(nBins + (<usize>f << 2));
    if (count < 0) continue; // too many values already
    const bits = load<u32>(row + (<usize>f << 2));
    const table = scratch + <usize>f * BIN_SCRATCH_BYTES;
    const e = find(table, bits);
    if (load<i32>(e, 4) != 0) continue;
    if (count == MAX_BINS) {
      store<i32>(nBins + (<usize>f << 2), -1);
      continue;
    }
    store<u32>(e, bits);
    store<i32>(e, count + 1, 4);
    store<u32>(table + TABLE_BYTES + (<usize>count << 2), bits);
    store<i32>(nBins + (<usize>f << 2), count + 1);
  }
}

/** Pass 2 over one row: each value's code (its rank among the feature's sorted values). */
function codeRow(row: usize, i: i32, n: i32, codes: usize, nBins: usize, scratch: usize, fStart: i32, fEnd: i32): void {
  for (let f = fStart; f < fEnd; f++) {
    if (load<i32>(nBins + (<usize>f << 2)) <= 0) continue;
    const table = scratch + <usize>f * BIN_SCRATCH_BYTES;
    const e = find(table, load<u32>(row + (<usize>f << 2)));
    store<u8>(codes + <usize>f * n + i, load<u8>(table + TABLE_BYTES + (MAX_BINS << 2) + load<i32>(e, 4) - 1));
  }
}

/**
 * For features fStart ≤ f < fEnd of x (f32, n×d, row-major): values + f·MAX_BINS·4 holds the
 * feature's distinct values in ascending order (f32), nBins[f] their count (0 when more than
 * MAX_BINS), and codes + f·n (u8, one per sample) each sample's bin. scratch: BIN_SCRATCH_BYTES
 * per feature (d of them).
 */
export function treeBins(x: usize, n: i32, d: i32, codes: usize, values: usize, nBins: usize, scratch: usize, fStart: i32, fEnd: i32): void {
  memory.fill(scratch + <usize>fStart * BIN_SCRATCH_BYTES, 0, <usize>(fEnd - fStart) * BIN_SCRATCH_BYTES);
  for (let f = fStart; f < fEnd; f++) store<i32>(nBins + (<usize>f << 2), 0);
  // Blocks of BLOCK features (one cache line of each row; their hash tables stay in cache), row
  // by row, each row through a call: V8 optimises a hot function at its next call, never inside
  // one long-running call.
  const collect = collectRow, code = codeRow;
  for (let fb = fStart; fb < fEnd; fb += BLOCK) {
    const fe = min(fb + BLOCK, fEnd);
    for (let i = 0; i < n; i++) collect(x + (<usize>i * d << 2), nBins, scratch, fb, fe);
    for (let f = fb; f < fe; f++) {
      const count = load<i32>(nBins + (<usize>f << 2));
      if (count < 0) {
        store<i32>(nBins + (<usize>f << 2), 0);
        continue;
      }
      const table = scratch + <usize>f * BIN_SCRATCH_BYTES;
      rank(table + TABLE_BYTES, count, table + TABLE_BYTES + (MAX_BINS << 2), values + (<usize>f * MAX_BINS << 2));
    }
    for (let i = 0; i < n; i++) code(x + (<usize>i * d << 2), i, n, codes, nBins, scratch, fb, fe);
  }
}

/** The rank of each of count f32 values (ties by position) into ranks (u8), and the values in ascending order into sorted. */
function rank(list: usize, count: i32, ranks: usize, sorted: usize): void {
  for (let k = 0; k < count; k++) {
    const v = load<f32>(list + (<usize>k << 2));
    let r = 0;
    for (let j = 0; j < count; j++) {
      const u = load<f32>(list + (<usize>j << 2));
      if (u < v || (u == v && j < k)) r++;
    }
    store<u8>(ranks + k, <u8>r);
    store<f32>(sorted + (<usize>r << 2), v);
  }
}
