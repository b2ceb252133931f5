// The bin thresholds of numeric features (scikit-learn's _find_binning_thresholds), computed per
// feature on its own thread: the feature's non-missing values sorted by an LSD radix sort on
// their bits (8 passes of a byte, a pass skipped when every value has the same byte there), then
// the midpoints between distinct values when there are at most maxBins of them, else the
// maxBins-quantiles by NumPy's percentile with method 'midpoint'. The arithmetic is NumPy's, so
// the thresholds are scikit-learn's bit for bit (ensemble/bin-mapper.ts states the same rule).

/** The thresholds' upper clip (scikit-learn's ALMOST_INF). */
const ALMOST_INF: f64 = 1e300;

/** Bytes of scratch boostThresholds needs per thread for m rows: two key arrays and the byte counts. */
export function boostThresholdScratchBytes(m: i32): i32 {
  return m * 16 + 8 * 256 * 4;
}

/** An f64's bits as an unsigned key in the same order (negatives inverted, positives with the sign bit set). */
// @ts-ignore: decorator
@inline function keyOf(v: f64): u64 {
  const bits = reinterpret<u64>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (<u64>1 << 63);
}

// @ts-ignore: decorator
@inline function valueOf(key: u64): f64 {
  return reinterpret<f64>((key >> 63) != 0 ? key & ~(<u64>1 << 63) : ~key);
}

/** Sorts count keys at a (u64) using b as the other buffer; the sorted keys end in the returned one. */
function radixSort(a: usize, b: usize, count: i32, counts: usize): usize {
  memory.fill(counts, 0, 8 * 256 * 4);
  for (let i = 0; i < count; i++) {
    const k = load<u64>(a + (<usize>i << 3));
    for (let p = 0; p < 8; p++) {
      const c = counts + ((<usize>(p * 256) + <usize>((k >> (<u64>p * 8)) & 0xff)) << 2);
      store<i32>(c, load<i32>(c) + 1);
    }
  }
  let from = a, to = b;
  for (let p = 0; p < 8; p++) {
    const c = counts + (<usize>(p * 256) << 2);
    let skip = false;
    for (let d = 0; d < 256; d++) {
      const v = load<i32>(c + (<usize>d << 2));
      if (v == count) skip = true;
      if (v != 0) break;
    }
    if (skip || count == 0) continue;
    // Exclusive prefix sums into positions.
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const v = load<i32>(c + (<usize>d << 2));
      store<i32>(c + (<usize>d << 2), sum);
      sum += v;
    }
    for (let i = 0; i < count; i++) {
      const k = load<u64>(from + (<usize>i << 3));
      const slot = c + (<usize>((k >> (<u64>p * 8)) & 0xff) << 2);
      const at = load<i32>(slot);
      store<i32>(slot, at + 1);
      store<u64>(to + (<usize>at << 3), k);
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

/**
 * For columns fStart ≤ f < fEnd of x (f64, column-major: column f's m values at x + f·m·8): its
 * thresholds into out + f·(maxBins − 1)·8 (f64) and their number into counts[f] (i32). scratch:
 * boostThresholdScratchBytes(m) per thread.
 */
export function boostThresholds(x: usize, m: i32, maxBins: i32, out: usize, counts: usize, scratch: usize, fStart: i32, fEnd: i32, thread: i32): void {
  const own = scratch + <usize>thread * <usize>boostThresholdScratchBytes(m);
  const a = own, b = own + (<usize>m << 3), byteCounts = own + (<usize>m << 4);
  for (let f = fStart; f < fEnd; f++) {
    const column = x + (<usize>f * <usize>m << 3);
    let n = 0;
    for (let t = 0; t < m; t++) {
      const v = load<f64>(column + (<usize>t << 3));
      if (v != v) continue;
      store<u64>(a + (<usize>n << 3), keyOf(v));
      n++;
    }
    const sorted = radixSort(a, b, n, byteCounts);
    // Back to values, in place.
    for (let i = 0; i < n; i++) store<f64>(sorted + (<usize>i << 3), valueOf(load<u64>(sorted + (<usize>i << 3))));
    const dst = out + (<usize>f * <usize>(maxBins - 1) << 3);
    let distinct = 0;
    for (let i = 0; i < n && distinct <= maxBins; i++) {
      if (i == 0 || load<f64>(sorted + (<usize>i << 3)) != load<f64>(sorted + (<usize>(i - 1) << 3))) distinct++;
    }
    let written = 0;
    if (distinct <= maxBins) {
      let previous: f64 = 0;
      for (let i = 0; i < n; i++) {
        const v = load<f64>(sorted + (<usize>i << 3));
        if (i > 0 && v != previous) {
          store<f64>(dst + (<usize>written << 3), (previous + v) * 0.5);
          written++;
        }
        previous = v;
      }
    } else {
      // np.percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method='midpoint').
      const step: f64 = 100.0 / <f64>maxBins;
      const last = <f64>(n - 1);
      for (let j = 1; j < maxBins; j++) {
        const q = (<f64>j * step) / 100.0;
        const index = 0.5 * (Math.floor(last * q) + Math.ceil(last * q));
        let v: f64;
        if (index == Math.floor(index)) v = load<f64>(sorted + (<usize>(<i32>index) << 3));
        else {
          const lo = <i32>Math.floor(index);
          const lower = load<f64>(sorted + (<usize>lo << 3)), upper = load<f64>(sorted + (<usize>(lo + 1) << 3));
          v = upper - (upper - lower) * 0.5; // NumPy's _lerp at 0.5
        }
        store<f64>(dst + (<usize>written << 3), v);
        written++;
      }
    }
    for (let i = 0; i < written; i++) {
      const e = dst + (<usize>i << 3);
      if (load<f64>(e) > ALMOST_INF) store<f64>(e, ALMOST_INF);
    }
    store<i32>(counts + (<usize>f << 2), written);
  }
}
