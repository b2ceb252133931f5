// Eigendecomposition of a real symmetric matrix in f64: Householder reduction to tridiagonal form
// (accumulating the orthogonal transform), then the implicit QL method with Wilkinson-type shifts
// (Wilkinson & Reinsch, Handbook for Automatic Computation II, tred2 / tql2; Golub & Van Loan §8.3).
// Eigenvectors are kept as rows, so each plane rotation updates two contiguous rows (SIMD). The
// inner loops are functions of their own: V8 optimises a hot function at its next call, never
// inside one long-running call.
import { axpy64, dot64 } from './vector';

/** Rows p and q (n values each) ← (c·p − s·q, s·p + c·q). */
function rotate(n: i32, p: usize, q: usize, c: f64, s: f64): void {
  const cv = f64x2.splat(c), sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    const a = v128.load(p + o), b = v128.load(q + o);
    v128.store(p + o, f64x2.sub(f64x2.mul(cv, a), f64x2.mul(sv, b)));
    v128.store(q + o, f64x2.add(f64x2.mul(sv, a), f64x2.mul(cv, b)));
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    const a = load<f64>(p + o), b = load<f64>(q + o);
    store<f64>(p + o, c * a - s * b);
    store<f64>(q + o, s * a + c * b);
  }
}

function swapRows(n: i32, p: usize, q: usize): void {
  for (let k = 0; k < n; k++) {
    const o = <usize>k << 3;
    const t = load<f64>(p + o);
    store<f64>(p + o, load<f64>(q + o));
    store<f64>(q + o, t);
  }
}

// @ts-ignore: decorator
@inline function at(a: usize, n: i32, i: i32, j: i32): usize { return a + ((<usize>i * n + j) << 3); }

/** y[0..n) −= alpha·x[0..n) + beta·z[0..n) (f64): the symmetric rank-2 update, one row. */
function rank2Row(n: i32, alpha: f64, x: usize, beta: f64, z: usize, y: usize): void {
  const a = f64x2.splat(alpha), b = f64x2.splat(beta);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(f64x2.mul(a, v128.load(x + o)), f64x2.mul(b, v128.load(z + o)))));
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) - alpha * load<f64>(x + o) - beta * load<f64>(z + o));
  }
}

/**
 * Eigenvalues (values, ascending) and eigenvectors (the rows of a, in the same order) of the
 * symmetric n×n matrix a (f64, row-major, overwritten). work: 16n bytes. Returns 0, or −1 if the
 * QL iteration did not converge (never seen for finite input).
 */
export function symmetricEigen(a: usize, n: i32, values: usize, work: usize): i32 {
  const d = values, e = work, t1 = work + (<usize>n << 3);
  // Householder (tred2): for i = n−1 … 1, u (kept in row i) annihilates row i left of the
  // subdiagonal; u/h is kept in column i for the accumulation. The leading block is kept whole
  // (both triangles), so every product below runs along rows.
  const dotf = dot64, axpyf = axpy64, rank2 = rank2Row;
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h: f64 = 0;
    const row = at(a, n, i, 0);
    if (l > 0) {
      let scale: f64 = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(load<f64>(row + (<usize>k << 3)));
      if (scale == 0) {
        store<f64>(e + (<usize>i << 3), load<f64>(row + (<usize>l << 3)));
      } else {
        for (let k = 0; k <= l; k++) {
          const v = load<f64>(row + (<usize>k << 3)) / scale;
          store<f64>(row + (<usize>k << 3), v);
          h += v * v;
        }
        const f0 = load<f64>(row + (<usize>l << 3));
        const g0 = f0 >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        store<f64>(e + (<usize>i << 3), scale * g0);
        h -= f0 * g0;
        store<f64>(row + (<usize>l << 3), f0 - g0);
        // p = A u / h (into e[0..l]), f = uᵀp.
        let f: f64 = 0;
        for (let j = 0; j <= l; j++) {
          const uj = load<f64>(row + (<usize>j << 3));
          store<f64>(at(a, n, j, i), uj / h);
          const p = dotf(l + 1, at(a, n, j, 0), row) / h;
          store<f64>(e + (<usize>j << 3), p);
          f += p * uj;
        }
        // q = p − (f / 2h)·u; A ← A − u qᵀ − q uᵀ on the leading block.
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) store<f64>(e + (<usize>j << 3), load<f64>(e + (<usize>j << 3)) - hh * load<f64>(row + (<usize>j << 3)));
        for (let j = 0; j <= l; j++) {
          rank2(l + 1, load<f64>(row + (<usize>j << 3)), e, load<f64>(e + (<usize>j << 3)), row, at(a, n, j, 0));
        }
      }
    } else {
      store<f64>(e + (<usize>i << 3), load<f64>(row + (<usize>l << 3)));
    }
    store<f64>(d + (<usize>i << 3), h);
  }
  store<f64>(d, 0);
  store<f64>(e, 0);
  // Accumulate Q: for each i with a reflection, the leading block Q ← Q − (u/h)(uᵀQ), by rows.
  for (let i = 0; i < n; i++) {
    const l = i - 1;
    if (load<f64>(d + (<usize>i << 3)) != 0 && l >= 0) {
      const u = at(a, n, i, 0);
      memory.fill(t1, 0, <usize>(l + 1) << 3);
      for (let k = 0; k <= l; k++) axpyf(l + 1, load<f64>(u + (<usize>k << 3)), at(a, n, k, 0), t1); // g = uᵀQ
      for (let k = 0; k <= l; k++) axpyf(l + 1, -load<f64>(at(a, n, k, i)), t1, at(a, n, k, 0));
    }
    store<f64>(d + (<usize>i << 3), load<f64>(at(a, n, i, i)));
    store<f64>(at(a, n, i, i), 1);
    for (let j = 0; j <= l; j++) {
      store<f64>(at(a, n, j, i), 0);
      store<f64>(at(a, n, i, j), 0);
    }
  }
  // The eigenvectors are the columns of Q: transpose so that they are rows.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = load<f64>(at(a, n, i, j));
      store<f64>(at(a, n, i, j), load<f64>(at(a, n, j, i)));
      store<f64>(at(a, n, j, i), x);
    }
  }
  // Implicit QL on the tridiagonal (d diagonal, e subdiagonal shifted down by one).
  for (let i = 1; i < n; i++) store<f64>(e + (<usize>(i - 1) << 3), load<f64>(e + (<usize>i << 3)));
  if (n > 0) store<f64>(e + (<usize>(n - 1) << 3), 0);
  const rot = rotate;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(load<f64>(d + (<usize>m << 3))) + Math.abs(load<f64>(d + (<usize>(m + 1) << 3)));
        if (Math.abs(load<f64>(e + (<usize>m << 3))) <= 2.220446049250313e-16 * dd) break;
      }
      if (m == l) break;
      if (++iterations > 60) return -1;
      const dl = load<f64>(d + (<usize>l << 3)), el = load<f64>(e + (<usize>l << 3));
      let g = (load<f64>(d + (<usize>(l + 1) << 3)) - dl) / (2 * el);
      let r = Math.hypot(g, 1);
      g = load<f64>(d + (<usize>m << 3)) - dl + el / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s: f64 = 1, c: f64 = 1, p: f64 = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const ei = load<f64>(e + (<usize>i << 3));
        const f = s * ei, b = c * ei;
        r = Math.hypot(f, g);
        store<f64>(e + (<usize>(i + 1) << 3), r);
        if (r == 0) {
          store<f64>(d + (<usize>(i + 1) << 3), load<f64>(d + (<usize>(i + 1) << 3)) - p);
          store<f64>(e + (<usize>m << 3), 0);
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = load<f64>(d + (<usize>(i + 1) << 3)) - p;
        r = (load<f64>(d + (<usize>i << 3)) - g) * s + 2 * c * b;
        p = s * r;
        store<f64>(d + (<usize>(i + 1) << 3), g + p);
        g = c * r - b;
        // Vector i+1 ← s·v_i + c·v_{i+1}; vector i ← c·v_i − s·v_{i+1}.
        rot(n, at(a, n, i, 0), at(a, n, i + 1, 0), c, s);
      }
      if (deflated) continue;
      store<f64>(d + (<usize>l << 3), load<f64>(d + (<usize>l << 3)) - p);
      store<f64>(e + (<usize>l << 3), g);
      store<f64>(e + (<usize>m << 3), 0);
    }
  }
  // Ascending order (selection sort: n swaps of rows at most).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (load<f64>(d + (<usize>j << 3)) < load<f64>(d + (<usize>k << 3))) k = j;
    if (k == i) continue;
    const t = load<f64>(d + (<usize>i << 3));
    store<f64>(d + (<usize>i << 3), load<f64>(d + (<usize>k << 3)));
    store<f64>(d + (<usize>k << 3), t);
    swapRows(n, at(a, n, i, 0), at(a, n, k, 0));
  }
  return 0;
}
