// Gram and covariance matrices in f64: out = Xᵀ X for X (n×d, row-major). Tiles of 4×4 outputs
// are summed in registers over blocks of samples that stay in cache (per sample: two vector
// loads and four broadcasts for 16 multiply-adds); the pool splits the output rows (in blocks of
// four, in a folded order that balances the triangle), each thread computing the tiles on and
// right of the diagonal, and gramMirror fills the rest.

const SAMPLES: i32 = 64; // samples per block: 64 rows of X stay in L2 for d up to ~800

/**
 * out[i][j] = Σ_s x[s][i]·x[s][j] (f64) for the rows i of the 4-row blocks with folded index
 * blockStart ≤ v < blockEnd, j ≥ i rounded down to 4. Block v is rows 4b … 4b + 3 with b = v/2
 * for even v and blocks − 1 − (v − 1)/2 for odd v: a contiguous slice of v then mixes long rows
 * of the triangle's top with short ones of its bottom, so every thread gets the same work.
 */
export function gramRows(x: usize, n: i32, d: i32, out: usize, blockStart: i32, blockEnd: i32): void {
  const blocks = (d + 3) >> 2;
  for (let v = blockStart; v < blockEnd; v++) {
    const i = foldedBlock(v, blocks) << 2;
    for (let r = i; r < min(i + 4, d); r++) memory.fill(out + (<usize>r * d << 3), 0, <usize>d << 3);
  }
  const tile = tile4x4, edge = edgeRows;
  const full = d & ~3;
  for (let s0 = 0; s0 < n; s0 += SAMPLES) {
    const count = min(SAMPLES, n - s0);
    const block = x + (<usize>s0 * d << 3);
    for (let v = blockStart; v < blockEnd; v++) {
      const i = foldedBlock(v, blocks) << 2;
      if (i + 4 <= full) {
        for (let j = i; j + 4 <= full; j += 4) tile(block, count, d, i, j, out);
        if (full < d) edge(block, count, d, i, i + 4, full, out);
      } else {
        edge(block, count, d, i, d, i, out);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function foldedBlock(v: i32, blocks: i32): i32 {
  return (v & 1) == 0 ? v >> 1 : blocks - 1 - (v >> 1);
}

/** The 4×4 tile of out at (i, j) += Σ over count samples of block (rows of d values). */
function tile4x4(block: usize, count: i32, d: i32, i: i32, j: i32, out: usize): void {
  const stride = <usize>d << 3;
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let p = block;
  const oi = <usize>i << 3, oj = <usize>j << 3;
  for (let s = 0; s < count; s++, p += stride) {
    const b0 = v128.load(p + oj), b1 = v128.load(p + oj, 16);
    const a0 = v128.load64_splat(p + oi), a1 = v128.load64_splat(p + oi, 8), a2 = v128.load64_splat(p + oi, 16), a3 = v128.load64_splat(p + oi, 24);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
  }
  let o = out + ((<usize>i * d + j) << 3);
  v128.store(o, f64x2.add(v128.load(o), c00)); v128.store(o, f64x2.add(v128.load(o, 16), c01), 16);
  o += stride;
  v128.store(o, f64x2.add(v128.load(o), c10)); v128.store(o, f64x2.add(v128.load(o, 16), c11), 16);
  o += stride;
  v128.store(o, f64x2.add(v128.load(o), c20)); v128.store(o, f64x2.add(v128.load(o, 16), c21), 16);
  o += stride;
  v128.store(o, f64x2.add(v128.load(o), c30)); v128.store(o, f64x2.add(v128.load(o, 16), c31), 16);
}

/** Rows i0 ≤ i < i1 of out, columns max(i, j0) ≤ j < d, += their sums over the block (the edges tiles miss). */
function edgeRows(block: usize, count: i32, d: i32, i0: i32, i1: i32, j0: i32, out: usize): void {
  const stride = <usize>d << 3;
  for (let i = i0; i < i1; i++) {
    for (let j = max(i, j0); j < d; j++) {
      let s: f64 = 0;
      let p = block;
      for (let t = 0; t < count; t++, p += stride) s += load<f64>(p + (<usize>i << 3)) * load<f64>(p + (<usize>j << 3));
      const o = out + ((<usize>i * d + j) << 3);
      store<f64>(o, load<f64>(o) + s);
    }
  }
}

/** Copies the upper triangle of the d×d matrix out into its lower triangle. */
export function gramMirror(out: usize, d: i32): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) store<f64>(out + ((<usize>i * d + j) << 3), load<f64>(out + ((<usize>j * d + i) << 3)));
  }
}

/**
 * out[i][j] = Σ_s x[s][i]·y[s][j] (f64, d×l) for rowStart ≤ i < rowEnd: XᵀY for X (n×d) and Y
 * (n×l), both row-major, in the same 4×4 register tiles over cached sample blocks as gramRows.
 */
export function gramCross(x: usize, n: i32, d: i32, y: usize, l: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) memory.fill(out + (<usize>i * l << 3), 0, <usize>l << 3);
  const tile = crossTile, edge = crossEdge;
  const fullI = rowStart + ((rowEnd - rowStart) & ~3), fullJ = l & ~3;
  for (let s0 = 0; s0 < n; s0 += SAMPLES) {
    const count = min(SAMPLES, n - s0);
    const xb = x + (<usize>s0 * d << 3), yb = y + (<usize>s0 * l << 3);
    for (let i = rowStart; i < fullI; i += 4) {
      for (let j = 0; j < fullJ; j += 4) tile(xb, d, yb, l, count, i, j, out);
    }
    edge(xb, d, yb, l, count, rowStart, fullI, fullJ, l, out);
    edge(xb, d, yb, l, count, fullI, rowEnd, 0, l, out);
  }
}

/** The 4×4 tile of out (d×l) at (i, j) += Σ over count samples of x[s][i..i+3]·y[s][j..j+3]. */
function crossTile(xb: usize, d: i32, yb: usize, l: i32, count: i32, i: i32, j: i32, out: usize): void {
  const xs = <usize>d << 3, ys = <usize>l << 3;
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let p = xb + (<usize>i << 3), q = yb + (<usize>j << 3);
  for (let s = 0; s < count; s++, p += xs, q += ys) {
    const b0 = v128.load(q), b1 = v128.load(q, 16);
    const a0 = v128.load64_splat(p), a1 = v128.load64_splat(p, 8), a2 = v128.load64_splat(p, 16), a3 = v128.load64_splat(p, 24);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
  }
  const os = <usize>l << 3;
  let o = out + ((<usize>i * l + j) << 3);
  v128.store(o, f64x2.add(v128.load(o), c00)); v128.store(o, f64x2.add(v128.load(o, 16), c01), 16);
  o += os;
  v128.store(o, f64x2.add(v128.load(o), c10)); v128.store(o, f64x2.add(v128.load(o, 16), c11), 16);
  o += os;
  v128.store(o, f64x2.add(v128.load(o), c20)); v128.store(o, f64x2.add(v128.load(o, 16), c21), 16);
  o += os;
  v128.store(o, f64x2.add(v128.load(o), c30)); v128.store(o, f64x2.add(v128.load(o, 16), c31), 16);
}

/** Rows i0 ≤ i < i1, columns j0 ≤ j < j1 of out += their sums over the block, one at a time. */
function crossEdge(xb: usize, d: i32, yb: usize, l: i32, count: i32, i0: i32, i1: i32, j0: i32, j1: i32, out: usize): void {
  const xs = <usize>d << 3, ys = <usize>l << 3;
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s: f64 = 0;
      let p = xb + (<usize>i << 3), q = yb + (<usize>j << 3);
      for (let t = 0; t < count; t++, p += xs, q += ys) s += load<f64>(p) * load<f64>(q);
      const o = out + ((<usize>i * l + j) << 3);
      store<f64>(o, load<f64>(o) + s);
    }
  }
}
