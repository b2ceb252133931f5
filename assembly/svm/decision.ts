// Decision values of the one-vs-one classifiers (libsvm's svm_predict_values): for the pair of
// classes (a, b), a < b, in libsvm's order (0,1), (0,2), …, (1,2), …:
//   f_ab(x) = Σ_{s ∈ SV_a} coef[b−1, s] K(x, s) + Σ_{s ∈ SV_b} coef[a, s] K(x, s) − ρ_ab
// from the kernel matrix K between the queries and all support vectors (grouped by class).

/**
 * out[r, pair] for rows rowStart ≤ r < rowEnd. k: m × nSV (f64), start: i32[nClass + 1] where
 * class c's support vectors begin, coef: (nClass − 1) × nSV (f64), rho: f64 per pair.
 *
 * Each pair's sum is accumulated in libsvm's order (class a's support vectors, then b's, each in
 * order), but the sums of all pairs that share a class advance together in out's row: one long
 * chain of dependent additions per pair would wait on the adder's latency at every term.
 */
export function ovoDecision(
  k: usize, nSV: i32, nClass: i32, start: usize, coef: usize, rho: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  const pairs = nClass * (nClass - 1) / 2;
  for (let r = rowStart; r < rowEnd; r++) {
    const kr = k + (<usize>r * nSV << 3);
    const o = out + (<usize>r * pairs << 3);
    memory.fill(o, 0, <usize>pairs << 3);
    for (let c = 0; c < nClass; c++) {
      const sc = load<i32>(start + (<usize>c << 2)), ec = load<i32>(start + (<usize>(c + 1) << 2));
      for (let s = sc; s < ec; s++) {
        const kv = load<f64>(kr + (<usize>s << 3));
        // Pairs (a, c), a < c: class c is b, its coefficients in row a; pair index of (a, c).
        for (let a = 0; a < c; a++) {
          const acc = o + (<usize>pairIndex(a, c, nClass) << 3);
          store<f64>(acc, load<f64>(acc) + load<f64>(coef + ((<usize>a * nSV + s) << 3)) * kv);
        }
        // Pairs (c, b), b > c: class c is a, its coefficients in row b − 1.
        const first = o + (<usize>pairIndex(c, c + 1, nClass) << 3);
        for (let b = c + 1; b < nClass; b++) {
          const acc = first + (<usize>(b - c - 1) << 3);
          store<f64>(acc, load<f64>(acc) + load<f64>(coef + ((<usize>(b - 1) * nSV + s) << 3)) * kv);
        }
      }
    }
    for (let pair = 0; pair < pairs; pair++) {
      store<f64>(o + (<usize>pair << 3), load<f64>(o + (<usize>pair << 3)) - load<f64>(rho + (<usize>pair << 3)));
    }
  }
}

/** The index of the pair (a, b), a < b, in the order (0,1), (0,2), …, (1,2), …. */
// @ts-ignore: decorator
@inline
function pairIndex(a: i32, b: i32, nClass: i32): i32 {
  return a * (2 * nClass - a - 1) / 2 + (b - a - 1);
}
