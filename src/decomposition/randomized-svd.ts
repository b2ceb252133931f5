// The leading singular pairs of the centred data M by randomized subspace iteration (Halko,
// Martinsson & Tropp, "Finding structure with randomness", SIAM Review 2011, Alg. 4.4 and 5.1;
// scikit-learn's randomized_svd): from a Gaussian start Ω (d×l, l = k + oversamples), q passes
// Q ← orth(Mᵀ(M Q)) turn Q toward the top right singular vectors; then, as scikit-learn, M is
// projected on the left basis P = orth(M Q) and B = PᵀM (l×d) is decomposed exactly.
//
// With Y = M Q and Z = MᵀY, everything that final step needs is small: YᵀY = E Λ Eᵀ gives
// P = Y E Λ^(−1/2), so B = Λ^(−1/2) Eᵀ Zᵀ, and B Bᵀ = Û S² Ûᵀ gives σ = S, V = Bᵀ Û S⁻¹ and the
// left vectors U = Y E Λ^(−1/2) Û (for svd_flip's signs).
//
// Two ways to get Y and Z:
// - pixel data (n ≥ d): the exact covariance C = MᵀM from integer dot products (linalg.gridGram)
//   costs less than one pass over the data in f64, and every pass is then a d×d product:
//   Y and Z never exist, only YᵀY = QᵀCQ and ZᵀZ… through C (see onGram);
// - other data: the q passes only steer the subspace, so they run in the f32 GEMM (the SIMD
//   core's fastest kernel) on an f32 copy of M, with Q orthonormalised in f64 after each; Y and
//   Z of the final step are f64 products over the f64 data, streamed through the module in
//   chunks, so the f32 rounding of the passes tilts the basis but not the final projection.
import { backend } from '../runtime/backend.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';
import { centredF32, centredProducts, eigh, gram, gridGram, orthonormalColumns, project } from '../ops/linalg.js';
import { fillF32, readF32, writeF32 } from '../ops/memory.js';
import { randomNormal } from '../ops/random.js';
import { flipByProjections } from './svd-flip.js';

export interface RandomizedSvdResult {
  /** Squared singular values σ², largest first (k). */
  squares: Float64Array;
  /** Right singular vectors as rows (k×d), signed as scikit-learn's svd_flip. */
  vectors: Float64Array;
  /** The total variance: the trace of the covariance (ddof 1), for the explained ratios. */
  total: number;
}

/**
 * The top k singular pairs of M = data − mean (n×d, row-major) with l = min(k + oversamples, d)
 * columns and `iterations` passes. Signs as svd_flip by the left vectors (scikit-learn flips by
 * the left vectors of M also when it works on Mᵀ, for n < d).
 */
export function randomizedSvd(
  data: Float64Array, n: number, d: number, mean: Float64Array, k: number, oversamples: number, iterations: number, seed: number,
): RandomizedSvdResult {
  const l = Math.min(k + oversamples, d);
  const start = Float64Array.from(randomNormal([d, l], { seed }).data);
  const c = n >= d ? gridGram(data, n, d) : null;
  return c ? onGram(c, data, n, d, mean, start, k, l, iterations) : onData(data, n, d, mean, start, k, l, iterations);
}

/** The passes in f32 over the data, the final step in f64 (see the file's comment). */
function onData(data: Float64Array, n: number, d: number, mean: Float64Array, start: Float64Array, k: number, l: number, iterations: number): RandomizedSvdResult {
  const be = backend();
  let q = start;
  let squaresSum = 0;
  be.scoped((alloc) => {
    // The f32 copy has rows of even length w (a zero feature when d is odd) for the two-lane kernel.
    const { matrix: pm, width: w, norms } = centredF32(be, alloc, data, n, d, mean);
    for (const norm of norms) squaresSum += norm * norm;
    const py = alloc(n * l * 4), pz = alloc(w * l * 4), pq = alloc(w * l * 4);
    const work = alloc(gemmWorkspace(be));
    for (let pass = 0; pass < iterations; pass++) {
      fillF32(be, pq, w * l, 0);
      writeF32(be, pq, q);
      gemm(be, false, false, n, l, w, pm, w, pq, l, 0, py, l, work); // Y = M Q
      gemm(be, true, false, w, l, n, pm, w, py, l, 0, pz, l, work); // Z = Mᵀ Y
      q = orthonormalColumns(Float64Array.from(readF32(be, pz, d * l)), d, l);
    }
  });
  if (iterations === 0) q = orthonormalColumns(q, d, l);

  // Y = M Q and Z = MᵀY in f64, a chunk of rows at a time.
  const { y, z } = centredProducts(data, n, d, mean, q, l);
  const { squares, vectors, left } = finalStep(gram(y, n, l), z, d, l, k);
  flipBy(project(y, n, l, left, k), n, k, vectors, d);
  return { squares, vectors, total: squaresSum / (n - 1) };
}

/**
 * The same iteration on the centred Gram matrix C = MᵀM: Q ← orth(C Q) for q passes, then the
 * final step with YᵀY = QᵀCQ and Z = CQ (so ZᵀZ = QᵀC²Q): scikit-learn's algorithm, term for term.
 */
function onGram(
  c: Float64Array, data: Float64Array, n: number, d: number, mean: Float64Array, start: Float64Array, k: number, l: number, iterations: number,
): RandomizedSvdResult {
  // C·Q as the rows of C against the rows of Qᵀ.
  const times = (q: Float64Array): Float64Array => project(c, d, d, transposed(q, d, l), l);
  let q = orthonormalColumns(start, d, l);
  for (let pass = 0; pass < iterations; pass++) q = orthonormalColumns(times(q), d, l);
  const z = times(q);
  // YᵀY = QᵀCQ = Qᵀ Z.
  const h = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += q[r * l + i] * z[r * l + j];
      h[i * l + j] = s;
      h[j * l + i] = s;
    }
  }
  const { squares, vectors } = finalStep(h, z, d, l, k);
  flipByProjections(data, n, d, mean, vectors, k);
  let trace = 0;
  for (let r = 0; r < d; r++) trace += c[r * d + r];
  return { squares, vectors, total: trace / (n - 1) };
}

/**
 * From YᵀY (l×l) and Z = MᵀY (d×l): the top k of σ², V (k×d, rows) and the coefficients of the
 * left vectors in Y's columns (k×l: u_i = Y·left_i). Directions of Y below rounding (rank < l)
 * are dropped, as a rank-revealing QR would.
 */
function finalStep(yty: Float64Array, z: Float64Array, d: number, l: number, k: number): { squares: Float64Array; vectors: Float64Array; left: Float64Array } {
  const { values, vectors: e } = eigh(yty, l, 'PCA.fit');
  const cutoff = Math.max(0, values[l - 1]) * l * 2 ** -52;
  // Rows of B = Λ^(−1/2) Eᵀ Zᵀ for the kept directions a, and their coefficients in Y.
  const kept: number[] = [];
  for (let a = l - 1; a >= 0; a--) if (values[a] > cutoff) kept.push(a);
  const r = kept.length;
  const b = new Float64Array(r * d), coef = new Float64Array(r * l);
  kept.forEach((a, row) => {
    const scale = 1 / Math.sqrt(values[a]);
    for (let j = 0; j < l; j++) coef[row * l + j] = e[a * l + j] * scale;
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let j = 0; j < l; j++) s += coef[row * l + j] * z[c * l + j];
      b[row * d + c] = s;
    }
  });
  // B Bᵀ = Û S² Ûᵀ.
  const bbt = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += b[i * d + c] * b[j * d + c];
      bbt[i * r + j] = s;
      bbt[j * r + i] = s;
    }
  }
  const { values: s2, vectors: u } = eigh(bbt, r, 'PCA.fit');
  const squares = new Float64Array(k), vectors = new Float64Array(k * d), left = new Float64Array(k * l);
  for (let i = 0; i < Math.min(k, r); i++) {
    const at = r - 1 - i;
    squares[i] = Math.max(0, s2[at]);
    const sigma = Math.sqrt(squares[i]);
    for (let row = 0; row < r; row++) {
      const w = u[at * r + row];
      for (let c = 0; c < d; c++) vectors[i * d + c] += w * b[row * d + c];
      for (let j = 0; j < l; j++) left[i * l + j] += w * coef[row * l + j];
    }
    if (sigma > 0) for (let c = 0; c < d; c++) vectors[i * d + c] /= sigma;
  }
  return { squares, vectors, left };
}

/** svd_flip: row i of `vectors` (k×d) is negated when the entry of largest magnitude (the first of equals) of column i of u (rows×k) is negative. */
function flipBy(u: Float64Array, rows: number, k: number, vectors: Float64Array, d: number): void {
  for (let i = 0; i < k; i++) {
    let best = -1, at = 0;
    for (let r = 0; r < rows; r++) {
      const v = u[r * k + i];
      if (Math.abs(v) > best) { best = Math.abs(v); at = v; }
    }
    if (at < 0) for (let c = 0; c < d; c++) vectors[i * d + c] = -vectors[i * d + c];
  }
}

/** The l×d transpose of a d×l row-major matrix. */
function transposed(q: Float64Array, d: number, l: number): Float64Array {
  const t = new Float64Array(l * d);
  for (let r = 0; r < d; r++) for (let j = 0; j < l; j++) t[j * d + r] = q[r * l + j];
  return t;
}
