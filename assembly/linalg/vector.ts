// f64 vector helpers (SIMD) for the linear algebra kernels.

/** y[0..n) += alpha · x[0..n) (f64). */
export function axpy64(n: i32, alpha: f64, x: usize, y: usize): void {
  const a = f64x2.splat(alpha);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(a, v128.load(x + o))));
  }
  for (; k < n; k++) store<f64>(y + (<usize>k << 3), load<f64>(y + (<usize>k << 3)) + alpha * load<f64>(x + (<usize>k << 3)));
}

/** Σ x[k]·y[k], k < n (f64). */
export function dot64(n: i32, x: usize, y: usize): f64 {
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

/**
 * out[r·k + j] = x_r · v_j for rows rowStart ≤ r < rowEnd of x (f64, rows × d) and the k rows of
 * vectors (f64, k × d): projections on a few directions, split by rows across the pool.
 */
export function projectRows(x: usize, d: i32, vectors: usize, k: i32, out: usize, rowStart: i32, rowEnd: i32): void {
  const dot = dot64;
  for (let r = rowStart; r < rowEnd; r++) {
    const row = x + (<usize>r * d << 3);
    for (let j = 0; j < k; j++) store<f64>(out + ((<usize>r * k + j) << 3), dot(d, row, vectors + (<usize>j * d << 3)));
  }
}

/**
 * out[r][c] = f32(x[r][c] − mean[c]) (f32, rows×d) for X (f64, rows×d, row-major, d even), and
 * norms[r] = ‖x[r] − mean‖ in f64: the centred rows for an f32 GEMM, with the size of each one's
 * rounding.
 */
export function centreRowsF32(x: usize, rows: i32, d: i32, mean: usize, out: usize, norms: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = x + (<usize>r * d << 3), o = out + (<usize>r * d << 2);
    let sq = f64x2.splat(0);
    for (let c = 0; c < d; c += 2) {
      const v = f64x2.sub(v128.load(p + (<usize>c << 3)), v128.load(mean + (<usize>c << 3)));
      sq = f64x2.add(sq, f64x2.mul(v, v));
      v128.store64_lane(o + (<usize>c << 2), f32x4.demote_f64x2_zero(v), 0);
    }
    store<f64>(norms + (<usize>r << 3), Math.sqrt(f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1)));
  }
}
