// Per-group sums of weighted rows: sums[g, f] = Σ_{i in group g} w_i·x[i, f], the numerators of
// k-means' update and naive Bayes' per-class counts, means and squared deviations. Split by
// features (columns), so every sum runs over the samples in order whatever the thread count.

/**
 * sums[j, f] = Σ_{i: labels[i] = j} w_i·x[i, f] for features colStart ≤ f < colEnd (sums: k×d
 * f64, zeroed here), samples in order: k-means' update numerators and naive Bayes' feature counts, split by features so that
 * each sum keeps one order whatever the thread count (two features a step: each lane is its own
 * sum). weights = 0: every weight is 1.
 */
export function groupSums(x: usize, n: i32, d: i32, labels: usize, weights: usize, k: i32, sums: usize, colStart: i32, colEnd: i32): void {
  for (let j = 0; j < k; j++) {
    for (let f = colStart; f < colEnd; f++) store<f64>(sums + ((<usize>j * d + f) << 3), 0);
  }
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * d << 3);
    const out = sums + (<usize>load<i32>(labels + (<usize>i << 2)) * d << 3);
    const w = weights == 0 ? 1.0 : load<f64>(weights + (<usize>i << 3));
    const wv = f64x2.splat(w);
    let f = colStart;
    if (weights == 0) {
      for (; f + 2 <= colEnd; f += 2) {
        const o = <usize>f << 3;
        v128.store(out + o, f64x2.add(v128.load(out + o), v128.load(row + o)));
      }
      for (; f < colEnd; f++) {
        const o = <usize>f << 3;
        store<f64>(out + o, load<f64>(out + o) + load<f64>(row + o));
      }
    } else {
      for (; f + 2 <= colEnd; f += 2) {
        const o = <usize>f << 3;
        v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(v128.load(row + o), wv)));
      }
      for (; f < colEnd; f++) {
        const o = <usize>f << 3;
        store<f64>(out + o, load<f64>(out + o) + load<f64>(row + o) * w);
      }
    }
  }
}

/**
 * groupSums' numerators carried from one labelling to the next: for each sample of `changed`
 * (m indices, ascending) its weighted row leaves the cluster it had (from) and joins the one it
 * has (to); a label < 0 is none. Features colStart ≤ f < colEnd, so each sum keeps one order
 * whatever the thread count. Late iterations move few samples, and only those are read.
 */
export function groupSumsMove(
  x: usize, d: i32, changed: usize, m: i32, from: usize, to: usize, weights: usize, sums: usize, colStart: i32, colEnd: i32,
): void {
  for (let t = 0; t < m; t++) {
    const i = load<i32>(changed + (<usize>t << 2));
    const row = x + (<usize>i * d << 3);
    const w = weights == 0 ? 1.0 : load<f64>(weights + (<usize>i << 3));
    const wv = f64x2.splat(w);
    const a = load<i32>(from + (<usize>i << 2)), b = load<i32>(to + (<usize>i << 2));
    const outA = sums + (<usize>a * d << 3), outB = sums + (<usize>b * d << 3);
    let f = colStart;
    for (; f + 2 <= colEnd; f += 2) {
      const o = <usize>f << 3;
      const v = f64x2.mul(v128.load(row + o), wv);
      if (a >= 0) v128.store(outA + o, f64x2.sub(v128.load(outA + o), v));
      v128.store(outB + o, f64x2.add(v128.load(outB + o), v));
    }
    for (; f < colEnd; f++) {
      const o = <usize>f << 3;
      const v = load<f64>(row + o) * w;
      if (a >= 0) store<f64>(outA + o, load<f64>(outA + o) - v);
      store<f64>(outB + o, load<f64>(outB + o) + v);
    }
  }
}

/**
 * out[g, f] = Σ_{i: labels[i] = g} w_i·(x[i, f] − centre[g, f])² for features colStart ≤ f <
 * colEnd (out: k×d f64, zeroed here), samples in order: per-group squared deviations about the
 * groups' means (naive Bayes' variances). weights = 0: every weight is 1.
 */
export function groupSquares(x: usize, n: i32, d: i32, labels: usize, weights: usize, k: i32, centre: usize, out: usize, colStart: i32, colEnd: i32): void {
  for (let j = 0; j < k; j++) {
    for (let f = colStart; f < colEnd; f++) store<f64>(out + ((<usize>j * d + f) << 3), 0);
  }
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * d << 3);
    const g = <usize>load<i32>(labels + (<usize>i << 2)) * d << 3;
    const o = out + g, c = centre + g;
    const w = weights == 0 ? 1.0 : load<f64>(weights + (<usize>i << 3));
    for (let f = colStart; f < colEnd; f++) {
      const b = <usize>f << 3;
      const t = load<f64>(row + b) - load<f64>(c + b);
      store<f64>(o + b, load<f64>(o + b) + w * (t * t));
    }
  }
}
