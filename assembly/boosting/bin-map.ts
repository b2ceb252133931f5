// Mapping raw values to the bins of a histogram booster (scikit-learn's _map_to_bins): a value goes
// to the first bin whose upper threshold is ≥ it, i.e. bin i holds thresholds[i−1] < v ≤
// thresholds[i]; a NaN goes to the bin reserved for missing values. Categorical features use their
// sorted categories as thresholds, so a known category lands in the bin of its rank.

/**
 * For rows of x (f64, rows×d, row-major) and features fStart ≤ f < fEnd: out[f·stride + at + i]
 * (u8) = the bin of x[i, f]. Feature f's thresholds (f64, ascending) are thresholds[offsets[f],
 * offsets[f+1]); missingBin is the bin of NaN.
 */
export function boostBin(x: usize, rows: i32, d: i32, thresholds: usize, offsets: usize, missingBin: i32, out: usize, stride: i32, at: i32,
  fStart: i32, fEnd: i32): void {
  // Feature by feature over the block of rows (which stays in cache): the feature's thresholds
  // stay in L1 and its column is written in order. Four rows are searched in lockstep (the
  // search's steps do not depend on the data), so four chains of loads are in flight at once.
  for (let f = fStart; f < fEnd; f++) {
    const lo = load<i32>(offsets + (<usize>f << 2)), count = load<i32>(offsets + (<usize>(f + 1) << 2)) - lo;
    const t = thresholds + (<usize>lo << 3);
    const column = out + <usize>f * stride + at;
    let i = 0;
    if (count > 0) {
      for (; i + 4 <= rows; i += 4) {
        const v0 = load<f64>(x + ((<usize>i * d + f) << 3)), v1 = load<f64>(x + ((<usize>(i + 1) * d + f) << 3));
        const v2 = load<f64>(x + ((<usize>(i + 2) * d + f) << 3)), v3 = load<f64>(x + ((<usize>(i + 3) * d + f) << 3));
        let b0 = 0, b1 = 0, b2 = 0, b3 = 0, size = count;
        while (size > 1) {
          const half = size >> 1;
          b0 = select(b0 + half, b0, load<f64>(t + (<usize>(b0 + half) << 3)) < v0);
          b1 = select(b1 + half, b1, load<f64>(t + (<usize>(b1 + half) << 3)) < v1);
          b2 = select(b2 + half, b2, load<f64>(t + (<usize>(b2 + half) << 3)) < v2);
          b3 = select(b3 + half, b3, load<f64>(t + (<usize>(b3 + half) << 3)) < v3);
          size -= half;
        }
        store<u8>(column + i, <u8>finish(t, b0, v0, missingBin));
        store<u8>(column + i + 1, <u8>finish(t, b1, v1, missingBin));
        store<u8>(column + i + 2, <u8>finish(t, b2, v2, missingBin));
        store<u8>(column + i + 3, <u8>finish(t, b3, v3, missingBin));
      }
    }
    for (; i < rows; i++) store<u8>(column + i, <u8>binOf(t, count, load<f64>(x + ((<usize>i * d + f) << 3)), missingBin));
  }
}

/** The last step of the lockstep search: the first threshold ≥ v from the candidate base; NaN's bin for NaN. */
// @ts-ignore: decorator
@inline function finish(t: usize, base: i32, v: f64, missingBin: i32): i32 {
  return v != v ? missingBin : base + <i32>(load<f64>(t + (<usize>base << 3)) < v);
}

/** The bin of v among count thresholds at t: the number of thresholds < v; NaN's bin for NaN. */
function binOf(t: usize, count: i32, v: f64, missingBin: i32): i32 {
  if (v != v) return missingBin;
  if (count == 0) return 0;
  let base = 0, size = count;
  while (size > 1) {
    const half = size >> 1;
    base = select(base + half, base, load<f64>(t + (<usize>(base + half) << 3)) < v);
    size -= half;
  }
  return base + <i32>(load<f64>(t + (<usize>base << 3)) < v);
}

/** out[f·m + t] = codes[f·n + rows[t]] for t < m, features fStart ≤ f < fEnd: the binned rows of a subset (u8, feature-major). */
export function boostSelectRows(codes: usize, n: i32, rows: usize, m: i32, out: usize, fStart: i32, fEnd: i32): void {
  for (let f = fStart; f < fEnd; f++) {
    const from = codes + <usize>f * <usize>n, to = out + <usize>f * <usize>m;
    for (let t = 0; t < m; t++) store<u8>(to + t, load<u8>(from + <usize>load<i32>(rows + (<usize>t << 2))));
  }
}

/** out[f] = 1 when feature f's column of codes (u8, n per feature) holds the missing bin, else 0, for fStart ≤ f < fEnd. */
export function boostHasMissing(codes: usize, n: i32, missingBin: i32, out: usize, fStart: i32, fEnd: i32): void {
  for (let f = fStart; f < fEnd; f++) {
    const column = codes + <usize>f * <usize>n;
    let found: i32 = 0;
    for (let i = 0; i < n; i++) found |= <i32>(<i32>load<u8>(column + i) == missingBin);
    store<u8>(out + f, <u8>found);
  }
}
