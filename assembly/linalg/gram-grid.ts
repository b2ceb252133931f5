// Exact Gram matrices of small-integer data (pixels: bytes, or bytes / 255), for PCA on images:
// out[i][j] = Σ_s b[s][i]·b[s][j] over i16 codes stored with each pair of samples interleaved
// (grid-codes.ts). One i32x4.dot_i16x8_s of the pair's two codes of feature i (broadcast) with
// their codes of features j … j + 3 adds both samples' products to four outputs: eight products
// a step, exact in i32 within a chunk of samples and exact in f64 (integers below 2^53) after,
// against two multiplies and two adds per two products in f64.
//
// Tiles of 4×8 outputs (eight i32x4 sums, four broadcasts and two loads a step: no spills on
// x86's 16 registers) run over chunks of samples that stay in L2. Threads take blocks of four
// rows in a folded order (0, last, 1, last − 1, …) so that each slice of the upper triangle has
// the same work.

/** Pairs of samples per chunk: 128 pairs × 784 features × 4 bytes = 392 KB stay in L2; i32 sums ≤ 256·255² fit. */
const CHUNK_PAIRS: i32 = 128;

/**
 * out (dPad × dPad, f64, zeroed by the caller) += the upper-triangle tiles for the row blocks of
 * folded index blockStart ≤ v < blockEnd (block v is rows 4b … 4b + 3 with b = v/2 for even v,
 * dPad/4 − 1 − (v − 1)/2 for odd v), from t (i16, pairs × dPad × 2, dPad a multiple of 8,
 * |codes| ≤ 255). Entries left of the diagonal inside a tile are written too; the caller mirrors
 * the upper triangle over them.
 */
export function gramGridRows(t: usize, pairs: i32, dPad: i32, out: usize, blockStart: i32, blockEnd: i32): void {
  const blocks = dPad >> 2;
  const pairBytes = <usize>dPad << 2;
  const tile = tile4x8;
  for (let p0 = 0; p0 < pairs; p0 += CHUNK_PAIRS) {
    const count = min(CHUNK_PAIRS, pairs - p0);
    const chunk = t + <usize>p0 * pairBytes;
    for (let v = blockStart; v < blockEnd; v++) {
      const i = ((v & 1) == 0 ? v >> 1 : blocks - 1 - (v >> 1)) << 2;
      for (let j = i & ~7; j < dPad; j += 8) tile(chunk, count, pairBytes, i, j, out + ((<usize>i * dPad + j) << 3), <usize>dPad << 3);
    }
  }
}

/** The 4×8 tile at rows i, columns j of out += its sums over `count` pairs of samples. */
function tile4x8(chunk: usize, count: i32, pairBytes: usize, i: i32, j: i32, out: usize, outStride: usize): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0), c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  let p = chunk;
  const oi = <usize>i << 2, oj = <usize>j << 2;
  for (let s = 0; s < count; s++, p += pairBytes) {
    const b0 = v128.load(p + oj), b1 = v128.load(p + oj, 16);
    const a0 = v128.load32_splat(p + oi), a1 = v128.load32_splat(p + oi, 4), a2 = v128.load32_splat(p + oi, 8), a3 = v128.load32_splat(p + oi, 12);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a0, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a0, b1));
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a1, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a1, b1));
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a2, b0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a2, b1));
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a3, b0)); c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a3, b1));
  }
  addRow(out, c00, c01);
  addRow(out + outStride, c10, c11);
  addRow(out + 2 * outStride, c20, c21);
  addRow(out + 3 * outStride, c30, c31);
}

/** out[0..7] (f64) += the lanes of lo and hi. */
// @ts-ignore: decorator
@inline function addRow(out: usize, lo: v128, hi: v128): void {
  v128.store(out, f64x2.add(v128.load(out), f64x2.convert_low_i32x4_s(lo)));
  v128.store(out, f64x2.add(v128.load(out, 16), f64x2.convert_low_i32x4_s(i8x16.shuffle(lo, lo, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))), 16);
  v128.store(out, f64x2.add(v128.load(out, 32), f64x2.convert_low_i32x4_s(hi)), 32);
  v128.store(out, f64x2.add(v128.load(out, 48), f64x2.convert_low_i32x4_s(i8x16.shuffle(hi, hi, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))), 48);
}
