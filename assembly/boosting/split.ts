// The best split of one feature from a node's histogram (scikit-learn's HistGradientBoosting
// splitter; Chen & Guestrin, "XGBoost", KDD 2016, eqs. 5–7). A child's value is −G/(H + λ),
// clipped to the node's bounds (monotonic constraints); a split's gain is the node's loss G·v
// minus its children's. Numeric features scan the bins left to right with missing values going
// right, and, when the feature has missing values, right to left with them going left (XGBoost's
// algorithm 3). Categorical features sort the categories with enough support by G/(H + 10) and
// scan that order from both ends to the middle (Fisher, "On grouping for maximum homogeneity",
// 1958), the missing values being one more category.
import { BOOST_BIN_SLOTS, BoostSplit } from '../codes';

/** Categories need this much hessian (in samples) to be sorted; the rest always go right (LightGBM's cat_smooth). */
const MIN_CATEGORY_SUPPORT: f64 = 10.0;

/** The constraints every candidate meets: set by boostNodes from its job. */
export let l2: f64 = 0;
export let minLeaf: f64 = 20;
export let minHessian: f64 = 1e-3;
export let constantHessian: bool = false;

export function setSplitRules(l2_: f64, minLeaf_: f64, minHessian_: f64, constant: bool): void {
  l2 = l2_;
  minLeaf = minLeaf_;
  minHessian = minHessian_;
  constantHessian = constant;
}

/** A node's value −G/(H + λ) within [lower, upper] (shrinkage is applied later). */
// @ts-ignore: decorator
@inline export function nodeValue(g: f64, h: f64, lower: f64, upper: f64): f64 {
  let v = -g / (h + l2 + 1e-15);
  if (v < lower) v = lower;
  else if (v > upper) v = upper;
  return v;
}

/** The gain of a split, −1 when its values break the monotonic constraint. */
// @ts-ignore: decorator
@inline function gainOf(gl: f64, hl: f64, gr: f64, hr: f64, nodeLoss: f64, monotonic: i32, lower: f64, upper: f64): f64 {
  const vl = nodeValue(gl, hl, lower, upper), vr = nodeValue(gr, hr, lower, upper);
  if ((monotonic > 0 && vl > vr) || (monotonic < 0 && vl < vr)) return -1;
  return nodeLoss - gl * vl - gr * vr;
}

// @ts-ignore: decorator
@inline function binG(hist: usize, b: i32): f64 { return load<f64>(hist + (<usize>(b * BOOST_BIN_SLOTS) << 3)); }
// @ts-ignore: decorator
@inline function binN(hist: usize, b: i32): f64 { return load<f64>(hist + (<usize>(b * BOOST_BIN_SLOTS + 2) << 3)); }
// @ts-ignore: decorator
@inline function binH(hist: usize, b: i32): f64 { return constantHessian ? binN(hist, b) : load<f64>(hist + (<usize>(b * BOOST_BIN_SLOTS + 1) << 3)); }

// @ts-ignore: decorator
@inline function slot(out: usize, s: i32): usize { return out + (<usize>s << 3); }

function record(out: usize, gain: f64, bin: i32, missingLeft: bool, gl: f64, hl: f64, nl: f64, sumG: f64, sumH: f64, lower: f64, upper: f64): void {
  store<f64>(slot(out, BoostSplit.Gain), gain);
  store<f64>(slot(out, BoostSplit.Bin), <f64>bin);
  store<f64>(slot(out, BoostSplit.MissingLeft), missingLeft ? 1 : 0);
  store<f64>(slot(out, BoostSplit.GradientLeft), gl);
  store<f64>(slot(out, BoostSplit.HessianLeft), hl);
  store<f64>(slot(out, BoostSplit.CountLeft), nl);
  store<f64>(slot(out, BoostSplit.ValueLeft), nodeValue(gl, hl, lower, upper));
  store<f64>(slot(out, BoostSplit.ValueRight), nodeValue(sumG - gl, sumH - hl, lower, upper));
}

/**
 * Writes into out (BOOST_SPLIT_SLOTS f64) the best split of a numeric feature with nonMissing
 * bins from its histogram hist, for a node with stats
 * [ΣG, ΣH, n, value, lower, upper]; Gain −1 when no split meets the constraints.
 */
export function numericSplit(hist: usize, nonMissing: i32, hasMissing: bool, monotonic: i32, stats: usize, out: usize): void {
  const sumG = load<f64>(stats), sumH = load<f64>(stats, 8), n = load<f64>(stats, 16);
  const nodeLoss = sumG * load<f64>(stats, 24), lower = load<f64>(stats, 32), upper = load<f64>(stats, 40);
  let best: f64 = -1, bestBin = 0, bestLeft = false, bestG = 0.0, bestH = 0.0, bestN = 0.0;
  // Left to right, missing values right: the last non-missing bin may go left only when there are missing values.
  let gl = 0.0, hl = 0.0, nl = 0.0;
  const end = nonMissing - 1 + (hasMissing ? 1 : 0);
  for (let b = 0; b < end; b++) {
    nl += binN(hist, b);
    hl += binH(hist, b);
    gl += binG(hist, b);
    if (nl < minLeaf) continue;
    if (n - nl < minLeaf) break;
    if (hl < minHessian) continue;
    if (sumH - hl < minHessian) break;
    const gain = gainOf(gl, hl, sumG - gl, sumH - hl, nodeLoss, monotonic, lower, upper);
    if (gain > best && gain > 0) {
      best = gain; bestBin = b; bestLeft = false; bestG = gl; bestH = hl; bestN = nl;
    }
  }
  if (hasMissing) {
    // Right to left, missing values left.
    let gr = 0.0, hr = 0.0, nr = 0.0;
    for (let b = nonMissing - 2; b >= 0; b--) {
      nr += binN(hist, b + 1);
      hr += binH(hist, b + 1);
      gr += binG(hist, b + 1);
      if (nr < minLeaf) continue;
      if (n - nr < minLeaf) break;
      if (hr < minHessian) continue;
      if (sumH - hr < minHessian) break;
      const g = sumG - gr, h = sumH - hr;
      const gain = gainOf(g, h, gr, hr, nodeLoss, monotonic, lower, upper);
      if (gain > best && gain > 0) {
        best = gain; bestBin = b; bestLeft = true; bestG = g; bestH = h; bestN = n - nr;
      }
    }
  }
  store<f64>(slot(out, BoostSplit.Gain), best);
  if (best > 0) record(out, best, bestBin, bestLeft, bestG, bestH, bestN, sumG, sumH, lower, upper);
  }

/**
 * The best split of a categorical feature (bins 0..nonMissing−1 are its categories, missingBin
 * its missing values): out as numericSplit, with the left categories' bins in the bitset slots.
 * scratch: CATEGORY_SCRATCH_BYTES of the calling thread's own.
 */
/** Bytes of categoricalSplit's scratch: the sorted categories' bins (i32) and keys (f64). */
export const CATEGORY_SCRATCH_BYTES: i32 = 256 * 12;

export function categoricalSplit(hist: usize, nonMissing: i32, missingBin: i32, hasMissing: bool, monotonic: i32, stats: usize, out: usize, scratch: usize): void {
  const sumG = load<f64>(stats), sumH = load<f64>(stats, 8), n = load<f64>(stats, 16);
  const nodeLoss = sumG * load<f64>(stats, 24), lower = load<f64>(stats, 32), upper = load<f64>(stats, 40);
  store<f64>(slot(out, BoostSplit.Gain), -1);
  const bins = scratch, key = scratch + 256 * 4;
  const support = n / sumH; // 1 for a constant hessian
  let used = 0;
  for (let c = 0; c <= nonMissing; c++) {
    const b = c < nonMissing ? c : missingBin;
    if (c == nonMissing && !hasMissing) break;
    const h = binH(hist, b);
    if (h * support < MIN_CATEGORY_SUPPORT) continue;
    const v = binG(hist, b) / (h + MIN_CATEGORY_SUPPORT);
    // Insertion into ascending order (stable).
    let p = used;
    while (p > 0 && load<f64>(key + (<usize>(p - 1) << 3)) > v) {
      store<f64>(key + (<usize>p << 3), load<f64>(key + (<usize>(p - 1) << 3)));
      store<i32>(bins + (<usize>p << 2), load<i32>(bins + (<usize>(p - 1) << 2)));
      p--;
    }
    store<f64>(key + (<usize>p << 3), v);
    store<i32>(bins + (<usize>p << 2), b);
    used++;
  }
  if (used <= 1) return;
  let best: f64 = -1, bestAt = 0, bestDirection = 1, bestG = 0.0, bestH = 0.0, bestN = 0.0;
  for (let direction = 1; direction >= -1; direction -= 2) {
    const middle = direction == 1 ? (used + 1) >> 1 : ((used + 1) >> 1) - 1;
    let gl = 0.0, hl = 0.0, nl = 0.0;
    for (let i = 0; i < middle; i++) {
      const at = direction == 1 ? i : used - 1 - i;
      const b = load<i32>(bins + (<usize>at << 2));
      nl += binN(hist, b);
      hl += binH(hist, b);
      gl += binG(hist, b);
      if (nl < minLeaf || hl < minHessian) continue;
      if (n - nl < minLeaf || sumH - hl < minHessian) break;
      const gain = gainOf(gl, hl, sumG - gl, sumH - hl, nodeLoss, monotonic, lower, upper);
      if (gain > best && gain > 0) {
        best = gain; bestAt = at; bestDirection = direction; bestG = gl; bestH = hl; bestN = nl;
      }
    }
  }
  if (!(best > 0)) return;
  let missingLeft = false;
  const bitset = slot(out, BoostSplit.Bitset);
  for (let w = 0; w < 8; w++) store<u32>(bitset + (<usize>w << 2), 0);
  const from = bestDirection == 1 ? 0 : bestAt, to = bestDirection == 1 ? bestAt : used - 1;
  for (let i = from; i <= to; i++) {
    const b = load<i32>(bins + (<usize>i << 2));
    const word = bitset + (<usize>(b >> 5) << 2);
    store<u32>(word, load<u32>(word) | (1 << (b & 31)));
    if (b == missingBin) missingLeft = true;
  }
  record(out, best, 0, missingLeft, bestG, bestH, bestN, sumG, sumH, lower, upper);
}
