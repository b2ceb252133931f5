// An orthonormal basis of the columns of a tall matrix by Householder QR (Golub & Van Loan,
// Matrix Computations, §5.2): Q = H₀…H_{cols−1} applied to the first cols columns of the
// identity. Its columns are orthonormal even when the matrix is rank-deficient (the reflector of
// a zero column is the identity). Columns are worked on contiguously (a column-major copy), so
// each reflection is two SIMD passes (dot64, axpy64).
import { axpy64, dot64 } from './vector';

/**
 * Replaces a (rows×cols, f64, row-major, rows ≥ cols) by Q (same layout). work: f64 scratch of
 * 2·rows·cols + cols values.
 */
export function orthonormalBasis(a: usize, rows: i32, cols: i32, work: usize): void {
  const colBytes = <usize>rows << 3;
  const w = work, v = w + <usize>cols * colBytes, betas = v + <usize>cols * colBytes;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) store<f64>(w + <usize>j * colBytes + (<usize>i << 3), load<f64>(a + ((<usize>i * cols + j) << 3)));
  memory.fill(v, 0, <usize>cols * colBytes);
  for (let j = 0; j < cols; j++) {
    const x = w + <usize>j * colBytes + (<usize>j << 3), vj = v + <usize>j * colBytes + (<usize>j << 3);
    const len = rows - j;
    const norm = Math.sqrt(dot64(len, x, x));
    store<f64>(betas + (<usize>j << 3), 0);
    if (norm == 0) continue;
    // v = x − αe₁ with α = −sign(x₀)‖x‖: no cancellation in v₀.
    const alpha = load<f64>(x) >= 0 ? -norm : norm;
    memory.copy(vj, x, <usize>len << 3);
    store<f64>(vj, load<f64>(vj) - alpha);
    const vv = dot64(len, vj, vj);
    const beta = vv > 0 ? 2 / vv : 0;
    store<f64>(betas + (<usize>j << 3), beta);
    for (let c = j + 1; c < cols; c++) reflect(vj, beta, w + <usize>c * colBytes + (<usize>j << 3), len);
  }
  memory.fill(w, 0, <usize>cols * colBytes);
  for (let j = 0; j < cols; j++) store<f64>(w + <usize>j * colBytes + (<usize>j << 3), 1);
  for (let j = cols - 1; j >= 0; j--) {
    const beta = load<f64>(betas + (<usize>j << 3));
    if (beta == 0) continue;
    const vj = v + <usize>j * colBytes + (<usize>j << 3);
    for (let c = j; c < cols; c++) reflect(vj, beta, w + <usize>c * colBytes + (<usize>j << 3), rows - j);
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) store<f64>(a + ((<usize>i * cols + j) << 3), load<f64>(w + <usize>j * colBytes + (<usize>i << 3)));
}

/** y ← (I − βvvᵀ)y over len entries. */
function reflect(v: usize, beta: f64, y: usize, len: i32): void {
  axpy64(len, -beta * dot64(len, v, y), v, y);
}
