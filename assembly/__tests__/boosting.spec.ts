import { boostBin, boostHasMissing, boostSelectRows } from '../boosting/bin-map';
import { boostGather, boostPartitionCount, boostPartitionEnds, boostPartitionScatter } from '../boosting/nodes';
import { boostLossMean, boostLosses } from '../boosting/losses';
import { BoostLoss } from '../codes';
import { boostPredict } from '../boosting/predict';
import { boostThresholds } from '../boosting/thresholds';
import { at, randomBuffer, randomInt, seedTests } from './helpers';

function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
function i32At(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

/** n f64 values: test-generator f32 values rounded to a tenth (many ties), every sixth NaN when gaps. */
function values(n: i32, gaps: bool): usize {
  const f = randomBuffer(n);
  const p = heap.alloc(<usize>max(n, 1) << 3);
  for (let i = 0; i < n; i++) store<f64>(p + (<usize>i << 3), gaps && i % 6 == 5 ? NaN : Math.round(<f64>at(f, i) * 10) / 10);
  return p;
}

/** The number of thresholds below v (the bin of v), by a plain scan. */
function naiveBin(t: usize, count: i32, v: f64, missingBin: i32): i32 {
  if (v != v) return missingBin;
  let b = 0;
  while (b < count && f64At(t, b) < v) b++;
  return b;
}

/** Writes node record j: [value or threshold, feature, left, right, bitset index · 4 + flags]. */
function node(nodes: usize, j: i32, value: f64, feature: i32, left: i32, right: i32, tag: i32): void {
  const p = nodes + <usize>j * 24;
  store<f64>(p, value);
  store<i32>(p, feature, 8);
  store<i32>(p, left, 12);
  store<i32>(p, right, 16);
  store<i32>(p, tag, 20);
}

describe('booster kernels', () => {
  it('thresholds are the midpoints between distinct values, or increasing quantiles, ignoring NaN', () => {
    seedTests(71);
    for (let trial = 0; trial < 6; trial++) {
      const m = randomInt(1, 300), maxBins = trial % 2 == 0 ? 255 : randomInt(2, 12);
      const x = values(m, trial % 3 == 0);
      const out = heap.alloc(<usize>(maxBins - 1) << 3), counts = heap.alloc(4), scratch = heap.alloc(<usize>(m * 16 + 8 * 256 * 4));
      boostThresholds(x, m, maxBins, out, counts, scratch, 0, 1, 0);
      // The distinct values by a plain quadratic pass.
      const distinct = heap.alloc(<usize>m << 3);
      let k = 0;
      for (let i = 0; i < m; i++) {
        const v = f64At(x, i);
        if (v != v) continue;
        let seen = false;
        for (let j = 0; j < k; j++) if (f64At(distinct, j) == v) seen = true;
        if (!seen) { store<f64>(distinct + (<usize>k << 3), v); k++; }
      }
      const count = i32At(counts, 0);
      if (k <= maxBins) {
        expect<i32>(count).toBe(max(0, k - 1));
        // Each threshold lies strictly between two distinct values, with exactly i + 1 distinct values below it.
        for (let i = 0; i < count; i++) {
          const t = f64At(out, i);
          let below = 0;
          for (let j = 0; j < k; j++) if (f64At(distinct, j) < t) below++;
          expect<i32>(below).toBe(i + 1);
        }
      } else {
        expect<i32>(count).toBe(maxBins - 1);
        for (let i = 1; i < count; i++) expect<bool>(f64At(out, i) >= f64At(out, i - 1)).toBe(true);
      }
    }
  });

  it('binning matches a plain scan, NaN to the missing bin; rows are selected and missing features found', () => {
    seedTests(72);
    const n = 37, d = 3, missingBin = 9;
    const x = values(n * d, true);
    const thresholds = heap.alloc(3 * 8 << 3), offsets = heap.alloc(4 << 2);
    store<i32>(offsets, 0);
    const counts: i32[] = [0, 5, 8];
    for (let f = 0; f < d; f++) {
      for (let i = 0; i < counts[f]; i++) store<f64>(thresholds + (<usize>(i32At(offsets, f) + i) << 3), -1 + <f64>i * 0.3);
      store<i32>(offsets + (<usize>(f + 1) << 2), i32At(offsets, f) + counts[f]);
    }
    const codes = heap.alloc(<usize>(n * d));
    boostBin(x, n, d, thresholds, offsets, missingBin, codes, n, 0, 0, d);
    for (let f = 0; f < d; f++) {
      for (let i = 0; i < n; i++) {
        const t = thresholds + (<usize>i32At(offsets, f) << 3);
        expect<i32>(<i32>load<u8>(codes + f * n + i)).toBe(naiveBin(t, counts[f], f64At(x, i * d + f), missingBin));
      }
    }
    const rows = heap.alloc(4 << 2);
    const picked: i32[] = [36, 0, 7, 12];
    for (let t = 0; t < 4; t++) store<i32>(rows + (<usize>t << 2), picked[t]);
    const selected = heap.alloc(<usize>(4 * d));
    boostSelectRows(codes, n, rows, 4, selected, 0, d);
    for (let f = 0; f < d; f++) for (let t = 0; t < 4; t++) expect<u8>(load<u8>(selected + f * 4 + t)).toBe(load<u8>(codes + f * n + picked[t]));
    const missing = heap.alloc(d);
    boostHasMissing(codes, n, missingBin, missing, 0, d);
    // values() puts NaN at every sixth position of the row-major data: only in feature 2 here.
    for (let f = 0; f < d; f++) expect<u8>(load<u8>(missing + f)).toBe(f == 2 ? 1 : 0);
  });

  it('the chunked partition into the other buffer is stable and moves each sample’s pairs with it, whatever the chunks', () => {
    seedTests(73);
    const n = 50, count = 50;
    const codes = heap.alloc(<usize>n), rows = heap.alloc(<usize>n << 2), g = heap.alloc(<usize>n << 2), pairs = heap.alloc(<usize>n << 3);
    for (let i = 0; i < n; i++) {
      store<u8>(codes + i, <u8>randomInt(0, 10));
      store<i32>(rows + (<usize>i << 2), i);
      store<f32>(g + (<usize>i << 2), <f32>i);
    }
    boostGather(0, g, 0, pairs, 0, count);
    const outRows = heap.alloc(<usize>n << 2), outPairs = heap.alloc(<usize>n << 3);
    const lefts = heap.alloc(16 << 2);
    const chunkSize = 7, chunks = (count + chunkSize - 1) / chunkSize;
    // Numeric split at bin 4: bins ≤ 4 go left; the chunks in two calls as two threads would run them.
    boostPartitionCount(codes, n, 0, rows, count, 4, false, 9, 0, lefts, chunkSize, 0, 3);
    boostPartitionCount(codes, n, 0, rows, count, 4, false, 9, 0, lefts, chunkSize, 3, chunks);
    boostPartitionScatter(codes, n, 0, rows, pairs, count, 4, false, 9, 0, outRows, outPairs, lefts, chunkSize, chunks, 0, 4);
    boostPartitionScatter(codes, n, 0, rows, pairs, count, 4, false, 9, 0, outRows, outPairs, lefts, chunkSize, chunks, 4, chunks);
    let t = 0;
    for (let i = 0; i < n; i++) if (load<u8>(codes + i) <= 4) { expect<i32>(i32At(outRows, t)).toBe(i); t++; }
    for (let i = 0; i < n; i++) if (load<u8>(codes + i) > 4) { expect<i32>(i32At(outRows, t)).toBe(i); t++; }
    for (let j = 0; j < n; j++) expect<f32>(load<f32>(outPairs + (<usize>j << 3))).toBe(<f32>i32At(outRows, j));
    // From both ends in one pass, given how many go left: the same partition, the two parts' left counts adding up.
    let totalLeft = 0;
    for (let i = 0; i < n; i++) if (load<u8>(codes + i) <= 4) totalLeft++;
    const endRows = heap.alloc(<usize>n << 2), endPairs = heap.alloc(<usize>n << 3);
    boostPartitionEnds(codes, n, 0, rows, pairs, count, 4, false, 9, 0, endRows, endPairs, totalLeft, lefts, 1, 2);
    boostPartitionEnds(codes, n, 0, rows, pairs, count, 4, false, 9, 0, endRows, endPairs, totalLeft, lefts, 0, 1);
    expect<i32>(i32At(lefts, 0) + i32At(lefts, 1)).toBe(totalLeft);
    for (let j = 0; j < n; j++) {
      expect<i32>(i32At(endRows, j)).toBe(i32At(outRows, j));
      expect<u64>(load<u64>(endPairs + (<usize>j << 3))).toBe(load<u64>(outPairs + (<usize>j << 3)));
    }
  });

  it('chunked losses: one logarithm per product of factors equals a logarithm per sample, whatever the ranges', () => {
    seedTests(91);
    // 1000 samples: 3 full chunks of 256 and a short one; raw predictions up to ±40 (e^−|r| down to 4e−18).
    const n = 1000;
    const y = heap.alloc(<usize>n << 3), raw = heap.alloc(<usize>n << 3), w = heap.alloc(<usize>n << 3), out = heap.alloc(8 << 3);
    let plain = 0.0, weighted = 0.0, total = 0.0;
    for (let i = 0; i < n; i++) {
      const r = (<f64>randomInt(0, 8001) - 4000) / 100, t = <f64>randomInt(0, 2), wi = <f64>randomInt(1, 4);
      store<f64>(raw + (<usize>i << 3), r);
      store<f64>(y + (<usize>i << 3), t);
      store<f64>(w + (<usize>i << 3), wi);
      // log(1 + e^r) − y·r, per sample, through log1p.
      const l = max(r, 0.0) + Math.log1p(Math.exp(-Math.abs(r))) - t * r;
      plain += l;
      weighted += wi * l;
      total += wi;
    }
    boostLosses(BoostLoss.Binomial, 0, y, raw, 0, n, 1, out, 0, n);
    const whole = boostLossMean(out, 4, <f64>n);
    // Relative 1e−14: the sums of values up to 40 run in another order.
    expect<f64>(Math.abs(whole - plain / n)).toBeLessThan(1e-14 * (plain / n));
    // Two ranges split at a chunk boundary, as two threads run them: the same bits.
    boostLosses(BoostLoss.Binomial, 0, y, raw, 0, n, 1, out, 0, 512);
    boostLosses(BoostLoss.Binomial, 0, y, raw, 0, n, 1, out, 512, n);
    expect<f64>(boostLossMean(out, 4, <f64>n)).toBe(whole);
    boostLosses(BoostLoss.Binomial, 0, y, raw, w, n, 1, out, 0, n);
    expect<f64>(Math.abs(boostLossMean(out, 4, total) - weighted / total)).toBeLessThan(1e-14 * (weighted / total));
  });

  it('prediction walks the node records: thresholds, missing values to their side, categories by bitset, four rows at a time', () => {
    // One tree: root splits feature 0 at 0.5 (missing left); its right child splits feature 1 on categories {1, 3} (missing right).
    const nodes = heap.alloc(5 * 24), roots = heap.alloc(4), bitsets = heap.alloc(32);
    store<i32>(roots, 0);
    node(nodes, 0, 0.5, 0, 1, 2, 1);
    node(nodes, 1, 10, -1, 0, 0, 0);
    node(nodes, 2, 0, 1, 3, 4, 2);
    node(nodes, 3, 20, -1, 0, 0, 0);
    node(nodes, 4, 30, -1, 0, 0, 0);
    store<u32>(bitsets, (1 << 1) | (1 << 3));
    const rows: f64[] = [0.2, 0, NaN, 7, 0.9, 1, 0.9, 2, 0.9, 3, 0.9, NaN, 0.9, -1, 0.9, 300];
    const expected: f64[] = [10, 10, 20, 30, 20, 30, 30, 30];
    const x = heap.alloc(16 << 3), out = heap.alloc(8 << 3);
    for (let i = 0; i < 16; i++) store<f64>(x + (<usize>i << 3), rows[i]);
    for (let i = 0; i < 8; i++) store<f64>(out + (<usize>i << 3), 1);
    boostPredict(x, 8, 2, 1, 1, roots, nodes, bitsets, out, 0, 8);
    for (let i = 0; i < 8; i++) expect<f64>(f64At(out, i)).toBe(1 + expected[i]);
  });
});
