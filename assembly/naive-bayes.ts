// Gaussian naive Bayes' data term (scikit-learn's GaussianNB._joint_log_likelihood):
//   out[i, c] = Σ_f (x_if − θ_cf)² / σ²_cf
// for every sample and class, in f64 as the difference of each feature (no expansion into
// x²/σ² − 2xθ/σ² + θ²/σ², which would cancel). Rows rowStart ≤ i < rowEnd; the pool splits them.

export function gaussianSquares(x: usize, d: i32, theta: usize, variance: usize, k: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = x + (<usize>i * d << 3);
    for (let c = 0; c < k; c++) {
      const t = theta + (<usize>c * d << 3), v = variance + (<usize>c * d << 3);
      let a = f64x2.splat(0);
      let f = 0;
      for (; f + 2 <= d; f += 2) {
        const o = <usize>f << 3;
        const u = f64x2.sub(v128.load(row + o), v128.load(t + o));
        a = f64x2.add(a, f64x2.div(f64x2.mul(u, u), v128.load(v + o)));
      }
      let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
      for (; f < d; f++) {
        const o = <usize>f << 3;
        const u = load<f64>(row + o) - load<f64>(t + o);
        s += (u * u) / load<f64>(v + o);
      }
      store<f64>(out + ((<usize>i * k + c) << 3), s);
    }
  }
}
