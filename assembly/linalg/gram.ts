// Gram and covariance matrices in f64: out = Xᵀ X for X (n×d, row-major), the upper triangle
// computed by output rows (the pool splits them) and mirrored by the caller or by gramMirror.
// Samples go in blocks so that a block of X stays in cache while the rows of out are updated.

/** out[i][j] = Σ_s x[s][i]·x[s][j] for rowStart ≤ i < rowEnd, j ≥ i (f64). */
export function gramRows(x: usize, n: i32, d: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) memory.fill(out + (<usize>i * d << 3), 0, <usize>d << 3);
  const BLOCK = 64;
  const update = addScaledTail;
  for (let s0 = 0; s0 < n; s0 += BLOCK) {
    const s1 = min(s0 + BLOCK, n);
    for (let i = rowStart; i < rowEnd; i++) {
      const row = out + (<usize>i * d << 3);
      for (let s = s0; s < s1; s++) {
        const xs = x + (<usize>s * d << 3);
        update(d - i, load<f64>(xs + (<usize>i << 3)), xs + (<usize>i << 3), row + (<usize>i << 3));
      }
    }
  }
}

/** y[0..m) += alpha · x[0..m) (f64). */
function addScaledTail(m: i32, alpha: f64, x: usize, y: usize): void {
  if (alpha == 0) return;
  const a = f64x2.splat(alpha);
  let k = 0;
  for (; k + 4 <= m; k += 4) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(a, v128.load(x + o))));
    v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(a, v128.load(x + o, 16))), 16);
  }
  for (; k < m; k++) store<f64>(y + (<usize>k << 3), load<f64>(y + (<usize>k << 3)) + alpha * load<f64>(x + (<usize>k << 3)));
}

/** Copies the upper triangle of the d×d matrix out into its lower triangle. */
export function gramMirror(out: usize, d: i32): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) store<f64>(out + ((<usize>i * d + j) << 3), load<f64>(out + ((<usize>j * d + i) << 3)));
  }
}
