// A booster's links from raw predictions to probabilities and predictions, and the logarithm its
// constant start uses: computed here rather than with JavaScript's Math, whose exp and log differ
// between engine versions (Node's V8 and Deno's gave different bits), so every runtime gives the
// same numbers.

/**
 * Rows start ≤ i < end of raw predictions (f64, k×m, class-major) as probabilities into out (f64,
 * row-major): for k = 1 the two classes' [1 − p, p] with p = 1 / (1 + e^−r), else the softmax
 * over the k outputs (the largest subtracted first).
 */
export function boostProbabilities(raw: usize, k: i32, m: i32, out: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    if (k == 1) {
      const p = 1.0 / (1.0 + Math.exp(-load<f64>(raw + (<usize>i << 3))));
      store<f64>(out + (<usize>(2 * i) << 3), 1.0 - p);
      store<f64>(out + (<usize>(2 * i + 1) << 3), p);
      continue;
    }
    let top = -Infinity;
    for (let c = 0; c < k; c++) top = max(top, load<f64>(raw + ((<usize>c * m + i) << 3)));
    let sum = 0.0;
    const row = out + (<usize>(i * k) << 3);
    for (let c = 0; c < k; c++) {
      const e = Math.exp(load<f64>(raw + ((<usize>c * m + i) << 3)) - top);
      store<f64>(row + (<usize>c << 3), e);
      sum += e;
    }
    for (let c = 0; c < k; c++) store<f64>(row + (<usize>c << 3), load<f64>(row + (<usize>c << 3)) / sum);
  }
}

/** values[i] = e^values[i] for i < n (the Poisson loss's predictions). */
export function boostExp(values: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(values + (<usize>i << 3), Math.exp(load<f64>(values + (<usize>i << 3))));
}

/** The natural logarithm of x. */
export function boostLog(x: f64): f64 {
  return Math.log(x);
}
