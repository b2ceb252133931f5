// f64 products of the data with a few directions: Y = X·Q for X (n×d) and Q (d×l), both
// row-major, in 4×4 register tiles (four rows of X broadcast, two vectors of a row of Q: 16
// multiply-adds for six loads, against one per load for row-by-row dot products). The pool splits
// the rows of X.

/** out[r][j] = Σ_c x[r][c]·q[c][j] (f64, rows × l) for rowStart ≤ r < rowEnd. */
export function rowsTimes(x: usize, d: i32, q: usize, l: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  const tile = timesTile, edge = timesEdge;
  const fullJ = l & ~3;
  let r = rowStart;
  for (; r + 4 <= rowEnd; r += 4) {
    for (let j = 0; j < fullJ; j += 4) tile(x, d, q, l, r, j, out);
    edge(x, d, q, l, r, r + 4, fullJ, out);
  }
  edge(x, d, q, l, r, rowEnd, 0, out);
}

function timesTile(x: usize, d: i32, q: usize, l: i32, r: i32, j: i32, out: usize): void {
  const rowBytes = <usize>d << 3, qStride = <usize>l << 3;
  const x0 = x + <usize>r * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let p = q + (<usize>j << 3);
  for (let c: usize = 0; c < rowBytes; c += 8, p += qStride) {
    const b0 = v128.load(p), b1 = v128.load(p, 16);
    const a0 = v128.load64_splat(x0 + c), a1 = v128.load64_splat(x1 + c), a2 = v128.load64_splat(x2 + c), a3 = v128.load64_splat(x3 + c);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
  }
  const os = <usize>l << 3;
  let o = out + ((<usize>r * l + j) << 3);
  v128.store(o, c00); v128.store(o, c01, 16);
  o += os;
  v128.store(o, c10); v128.store(o, c11, 16);
  o += os;
  v128.store(o, c20); v128.store(o, c21, 16);
  o += os;
  v128.store(o, c30); v128.store(o, c31, 16);
}

/** Rows r0 ≤ r < r1, columns j0 ≤ j < l of out, one at a time. */
function timesEdge(x: usize, d: i32, q: usize, l: i32, r0: i32, r1: i32, j0: i32, out: usize): void {
  for (let r = r0; r < r1; r++) {
    const row = x + (<usize>r * d << 3);
    for (let j = j0; j < l; j++) {
      let s: f64 = 0;
      for (let c = 0; c < d; c++) s += load<f64>(row + (<usize>c << 3)) * load<f64>(q + ((<usize>c * l + j) << 3));
      store<f64>(out + ((<usize>r * l + j) << 3), s);
    }
  }
}

/** x[r][c] −= mean[c] (f64, rows × d, in place). */
export function centreRows(x: usize, rows: i32, d: i32, mean: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = x + (<usize>r * d << 3);
    let c = 0;
    for (; c + 2 <= d; c += 2) v128.store(p + (<usize>c << 3), f64x2.sub(v128.load(p + (<usize>c << 3)), v128.load(mean + (<usize>c << 3))));
    for (; c < d; c++) store<f64>(p + (<usize>c << 3), load<f64>(p + (<usize>c << 3)) - load<f64>(mean + (<usize>c << 3)));
  }
}
