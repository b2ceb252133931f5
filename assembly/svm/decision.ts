// Decision values of the one-vs-one classifiers (libsvm's svm_predict_values): for the pair of
// classes (a, b), a < b, in libsvm's order (0,1), (0,2), …, (1,2), …:
//   f_ab(x) = Σ_{s ∈ SV_a} coef[b−1, s] K(x, s) + Σ_{s ∈ SV_b} coef[a, s] K(x, s) − ρ_ab
// from the kernel matrix K between the queries and all support vectors (grouped by class).

/**
 * out[r, pair] for rows rowStart ≤ r < rowEnd. k: m × nSV (f64), start: i32[nClass + 1] where
 * class c's support vectors begin, coef: (nClass − 1) × nSV (f64), rho: f64 per pair.
 *
 * Each sum runs in libsvm's order (class a's support vectors, then b's, each in order); four query
 * rows advance together, so four independent chains of additions hide the adder's latency that
 * one chain would wait on at every term.
 */
export function ovoDecision(
  k: usize, nSV: i32, nClass: i32, start: usize, coef: usize, rho: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  const pairs = nClass * (nClass - 1) / 2;
  const stride = <usize>nSV << 3;
  let r = rowStart;
  for (; r + 4 <= rowEnd; r += 4) {
    const k0 = k + <usize>r * stride;
    let pair = 0;
    for (let a = 0; a < nClass; a++) {
      for (let b = a + 1; b < nClass; b++) {
        let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
        for (let part = 0; part < 2; part++) {
          const c = part == 0 ? a : b;
          const cs = coef + (<usize>(part == 0 ? b - 1 : a) * nSV << 3);
          const from = load<i32>(start + (<usize>c << 2)), to = load<i32>(start + (<usize>(c + 1) << 2));
          for (let s = from; s < to; s++) {
            const o = <usize>s << 3;
            const w = load<f64>(cs + o);
            s0 += w * load<f64>(k0 + o);
            s1 += w * load<f64>(k0 + stride + o);
            s2 += w * load<f64>(k0 + 2 * stride + o);
            s3 += w * load<f64>(k0 + 3 * stride + o);
          }
        }
        const rh = load<f64>(rho + (<usize>pair << 3));
        const o = out + ((<usize>r * pairs + pair) << 3), step = <usize>pairs << 3;
        store<f64>(o, s0 - rh);
        store<f64>(o + step, s1 - rh);
        store<f64>(o + 2 * step, s2 - rh);
        store<f64>(o + 3 * step, s3 - rh);
        pair++;
      }
    }
  }
  for (; r < rowEnd; r++) {
    const kr = k + <usize>r * stride;
    let pair = 0;
    for (let a = 0; a < nClass; a++) {
      for (let b = a + 1; b < nClass; b++) {
        let sum: f64 = 0;
        const sa = load<i32>(start + (<usize>a << 2)), ea = load<i32>(start + (<usize>(a + 1) << 2));
        const sb = load<i32>(start + (<usize>b << 2)), eb = load<i32>(start + (<usize>(b + 1) << 2));
        const ca = coef + (<usize>(b - 1) * nSV << 3), cb = coef + (<usize>a * nSV << 3);
        for (let s = sa; s < ea; s++) sum += load<f64>(ca + (<usize>s << 3)) * load<f64>(kr + (<usize>s << 3));
        for (let s = sb; s < eb; s++) sum += load<f64>(cb + (<usize>s << 3)) * load<f64>(kr + (<usize>s << 3));
        store<f64>(out + ((<usize>r * pairs + pair) << 3), sum - load<f64>(rho + (<usize>pair << 3)));
        pair++;
      }
    }
  }
}
