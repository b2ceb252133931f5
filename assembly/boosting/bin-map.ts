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
  // Row by row (each row read once), each feature's column written in order.
  for (let i = 0; i < rows; i++) {
    const row = x + (<usize>i * d << 3);
    for (let f = fStart; f < fEnd; f++) {
      const lo = load<i32>(offsets + (<usize>f << 2)), count = load<i32>(offsets + (<usize>(f + 1) << 2)) - lo;
      const t = thresholds + (<usize>lo << 3);
      const v = load<f64>(row + (<usize>f << 3));
      let bin = missingBin;
      if (v == v) {
        // Binary search for the first threshold ≥ v.
        let left = 0, right = count;
        while (left < right) {
          const middle = (left + right - 1) >> 1;
          if (v <= load<f64>(t + (<usize>middle << 3))) right = middle;
          else left = middle + 1;
        }
        bin = left;
      }
      store<u8>(out + <usize>f * stride + at + i, <u8>bin);
    }
  }
}
