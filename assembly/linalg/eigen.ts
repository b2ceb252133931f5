// Eigendecomposition of a real symmetric matrix in f64: Householder reduction to tridiagonal form
// (accumulating the orthogonal transform), then the implicit QL method with Wilkinson-type shifts
// (Wilkinson & Reinsch, Handbook for Automatic Computation II, tred2 / tql2; Golub & Van Loan §8.3).
// Eigenvectors are kept as rows, so each plane rotation updates two contiguous rows (SIMD). The
// inner loops are functions of their own: V8 optimises a hot function at its next call, never
// inside one long-running call.

/** y[0..n) += alpha · x[0..n) (f64). */
function axpy64(n: i32, alpha: f64, x: usize, y: usize): void {
  const a = f64x2.splat(alpha);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(a, v128.load(x + o))));
  }
  for (; k < n; k++) store<f64>(y + (<usize>k << 3), load<f64>(y + (<usize>k << 3)) + alpha * load<f64>(x + (<usize>k << 3)));
}

/** Σ x[k]·y[k], k < n (f64). */
function dot64(n: i32, x: usize, y: usize): f64 {
  let acc = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < n; k++) s += load<f64>(x + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return s;
}

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

/**
 * Eigenvalues (values, ascending) and eigenvectors (the rows of a, in the same order) of the
 * symmetric n×n matrix a (f64, row-major, overwritten). work: 8n bytes. Returns 0, or −1 if the
 * QL iteration did not converge (never seen for finite input).
 */
export function symmetricEigen(a: usize, n: i32, values: usize, work: usize): i32 {
  const d = values, e = work;
  // Householder: for i = n−1 … 1, annihilate row i left of the subdiagonal; u is kept in row i,
  // u/h in column i (Wilkinson & Reinsch's tred2, rows for columns as a is symmetric).
  const dotf = dot64, axpyf = axpy64;
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
        let f = load<f64>(row + (<usize>l << 3));
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        store<f64>(e + (<usize>i << 3), scale * g);
        h -= f * g;
        store<f64>(row + (<usize>l << 3), f - g);
        // p = A u / h into e[0..l], the lower triangle of A being rows j (k ≤ j) and columns (k > j).
        f = 0;
        for (let j = 0; j <= l; j++) {
          store<f64>(at(a, n, j, i), load<f64>(row + (<usize>j << 3)) / h);
          g = dotf(j + 1, at(a, n, j, 0), row);
          for (let k = j + 1; k <= l; k++) g += load<f64>(at(a, n, k, j)) * load<f64>(row + (<usize>k << 3));
          store<f64>(e + (<usize>j << 3), g / h);
          f += g / h * load<f64>(row + (<usize>j << 3));
        }
        const hh = f / (h + h);
        // A ← A − u qᵀ − q uᵀ with q = p − hh·u, on the lower triangle (rows j, columns ≤ j).
        for (let j = 0; j <= l; j++) {
          f = load<f64>(row + (<usize>j << 3));
          g = load<f64>(e + (<usize>j << 3)) - hh * f;
          store<f64>(e + (<usize>j << 3), g);
          const rj = at(a, n, j, 0);
          axpyf(j + 1, -f, e, rj);
          axpyf(j + 1, -g, row, rj);
        }
      }
    } else {
      store<f64>(e + (<usize>i << 3), load<f64>(row + (<usize>l << 3)));
    }
    store<f64>(d + (<usize>i << 3), h);
  }
  store<f64>(d, 0);
  store<f64>(e, 0);
  // Accumulate the transformations: Q in a (rows of Qᵀ are built in place of the vectors).
  for (let i = 0; i < n; i++) {
    const l = i - 1;
    if (load<f64>(d + (<usize>i << 3)) != 0) {
      for (let j = 0; j <= l; j++) {
        let g: f64 = 0;
        for (let k = 0; k <= l; k++) g += load<f64>(at(a, n, i, k)) * load<f64>(at(a, n, k, j));
        for (let k = 0; k <= l; k++) store<f64>(at(a, n, k, j), load<f64>(at(a, n, k, j)) - g * load<f64>(at(a, n, k, i)));
      }
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
