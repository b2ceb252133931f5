// f32 general matrix multiply, row-major: C = alpha·op(A)·op(B) + beta·C.
//
// The loop nest is the Goto/BLIS one (Goto & van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication", ACM TOMS 2008; Van Zee & van de Geijn, "BLIS", ACM TOMS 2015):
//
//   for jc in steps of NC over the columns:       B block  KC×NC, packed once per (jc, pc)
//     for pc in steps of KC over k:               into panels of NR columns (stays in L2/L3)
//       pack B[pc:pc+KC, jc:jc+NC]
//       for ic in steps of MC over the row range: A block  MC×KC, packed into panels of MR rows
//         pack A[ic:ic+MC, pc:pc+KC]              (stays in L2)
//         for each NR panel, for each MR panel:   micro-kernel: an MR×NR tile of C in registers,
//           C_tile += alpha · Apanel · Bpanel     kc rank-1 updates with f32x4 (v128) lanes
//
// op(A) is A or Aᵀ, op(B) is B or Bᵀ: both are read through a row stride and a column stride,
// so the transposes cost nothing but the packing order.
//
// Determinism: every element of C is the same sequence of operations whichever thread computes
// it and wherever its tile sits (edge tiles are zero-padded and use the same micro-kernel; the
// k blocking depends on k alone), so splitting C's rows or columns across threads gives
// bit-identical results for any thread count.
//
// Pure function over memory: no allocation. `work` is scratch owned by the caller
// (gemmWorkspaceBytes() bytes per thread), `thread` selects this thread's slice of it.

import { scaleShiftRun } from './batch-norm';
import { activateRun } from './activation';
import { Activation, GEMM_PANEL_COLUMNS } from './codes';

// Micro-tile: 4 rows × 8 columns = 8 f32x4 accumulators. A 6×8 tile (12 accumulators) is the
// textbook choice for 16 xmm registers, but V8 hoists the six broadcasts to the top of the loop
// and spills accumulators: measured here, 6×8 ran at 15 GFLOP/s and 4×8 at 21–27.
export const MR: i32 = 4;
export const NR: i32 = GEMM_PANEL_COLUMNS;
// Block sizes: an MC×KC block of A (144 KB) stays in L2, a KC×NR panel of B (12 KB) in L1.
export const MC: i32 = 96;
export const KC: i32 = 384;
export const NC: i32 = 1024;

const PACK_A_FLOATS: i32 = MC * KC;
const PACK_B_FLOATS: i32 = KC * NC;
const TILE_FLOATS: i32 = MR * NR;

/** Bytes of scratch one thread needs for gemm. */
export function gemmWorkspaceBytes(): i32 {
  return (PACK_A_FLOATS + PACK_B_FLOATS + TILE_FLOATS) << 2;
}

/** Row block of the micro-kernel: row splits in multiples of it waste no edge tiles. */
export function gemmRowBlock(): i32 {
  return MR;
}

/** Column block of the micro-kernel, for column splits. */
export function gemmColumnBlock(): i32 {
  return NR;
}

/**
 * C = alpha·op(A)·op(B) + beta·C over one slice of C: rows start ≤ i < end (all columns), or
 * with `splitColumns` columns start ≤ j < end (all rows). op(A) is m×k, op(B) is k×n, C is m×n;
 * lda, ldb, ldc are row strides in elements of the matrices as stored (A is m×k if !transA,
 * k×m if transA; likewise B).
 *
 * Threads split C by rows when m ≥ n and by columns otherwise, because each thread packs all
 * of op(B) for a row slice and all of op(A) for a column slice: the split that repeats less
 * packing. Either way, each element of C sees the same operations.
 */
export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  work: usize, splitColumns: i32, start: i32, end: i32, thread: i32,
): void {
  gemmThen(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0, 0, beta, c, ldc, work, 0, 0, 0, 0, 0, 0, Activation.Linear, splitColumns, start, end, thread);
}

/**
 * gemm, then C[i, j] = f(r((C[i, j] + bias[j])·scale[j] + shift[j])) — a layer's bias (0: none), batch normalization at inference, a
 * ReLU-family rectifier (a the maximum, b the slope below the threshold c), as
 * assembly/batch-norm.ts's scaleShiftColumns computes them, and an element-wise activation f
 * (Activation.Linear: none; not softmax) as activation.ts's activateRun computes it — applied to each block of C as its
 * last k block is written, while it is still in cache: a convolution followed by those layers
 * costs no pass of theirs, with the same bits as the three one after the other.
 */
export function gemmNormalized(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  work: usize, bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, activation: i32, splitColumns: i32, start: i32, end: i32, thread: i32,
): void {
  gemmThen(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0, 0, beta, c, ldc, work, bias, scale, shift, ra, rb, rc, activation, splitColumns, start, end, thread);
}

/**
 * gemmNormalized with the rows of op(B) taken in another order: row p of op(B) is row (column,
 * when transB) rowsB[p] of B as stored, for an i32 table of k indices below k. The
 * weights of a dense layer after a channels-first flatten, read by a channels-last image, used
 * where a file put them on a model's first run instead of first making a reordered packed copy
 * (memory touched for the first time is what a cold start's first prediction mostly costs). The
 * same bits as gemmNormalized on the reordered B, and as gemmPackedNormalized on it packed by
 * packGemmB: B is packed block by block as gemm packs it (packPanelsBGathered), and every
 * element sees the micro-kernel's operations.
 */
export function gemmGatheredNormalized(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, rowsB: usize, beta: f32, c: usize, ldc: i32,
  work: usize, bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, activation: i32, splitColumns: i32, start: i32, end: i32, thread: i32,
): void {
  assert(rowsB != 0, 'gemmGatheredNormalized: no row order');
  for (let p = 0; p < k; p++) {
    const r = load<i32>(rowsB + (<usize>p << 2));
    assert(r >= 0 && r < k, 'gemmGatheredNormalized: a row index out of range');
  }
  gemmThen(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0, rowsB, beta, c, ldc, work, bias, scale, shift, ra, rb, rc, activation, splitColumns, start, end, thread);
}

/**
 * Floats of op(B) (k×n) laid out by packGemmB: every panel of NR columns, zero-padded, for each k
 * block of the GEMM's own blocking.
 */
export function packedBFloats(k: i32, n: i32): i32 {
  return k * ((n + NR - 1) / NR * NR);
}

/**
 * Lays op(B) (k×n; B as stored is n×k when transB) out as the GEMM packs it for itself, once:
 * for each k block pc (the blocking gemm uses for this k), the ⌈n/NR⌉ panels of kc×NR values of
 * B[pc:pc+kc, :] — a model's constant weights packed once, at first use, so that no call packs them again
 * and a one-row product streams each panel in order (gemmPackedNormalized).
 *
 * This call lays out the part op(B)[r0:r1, c0:c1], read from `b`, which holds that part's first
 * element (rows ldb apart as stored): the caller stages a model's weights part by part through a
 * small buffer, as memory touched for the first time costs more than the copy (a page fault per
 * 4 KiB). c0 is a multiple of NR, and c1 is too unless it is n (a part spans whole panels).
 */
export function packGemmB(transB: i32, k: i32, n: i32, b: usize, ldb: i32, out: usize, r0: i32, r1: i32, c0: i32, c1: i32): void {
  assert(k >= 0 && n >= 0 && ldb >= 1 && 0 <= r0 && r0 <= r1 && r1 <= k && 0 <= c0 && c0 <= c1 && c1 <= n, 'packGemmB: bad shape');
  assert(c0 % NR == 0 && (c1 % NR == 0 || c1 == n), 'packGemmB: a part must span whole panels');
  const rs = transB ? 1 : ldb, cs = transB ? ldb : 1;
  const kBlock = evenBlock(k, KC, 1);
  const width = (n + NR - 1) / NR * NR;
  for (let r = r0; r < r1;) {
    const pc = r / kBlock * kBlock;
    const kc = min(kBlock, k - pc);
    const end = min(r1, pc + kc);
    // Block pc starts pc·width floats in, its panel of column c0 c0·kc further, row p of it p·NR further.
    packPanelsB(b + ((<usize>(r - r0) * rs) << 2), rs, cs, end - r, c1 - c0, out + ((<usize>pc * width + <usize>c0 * kc + <usize>(r - pc) * NR) << 2), kc);
    r = end;
  }
}

/**
 * gemmNormalized with op(B) laid out by packGemmB at `packed`: the same operations on the same values
 * in the same order, so the same bits, without packing B.
 */
export function gemmPackedNormalized(
  transA: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, packed: usize, beta: f32, c: usize, ldc: i32,
  work: usize, bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, activation: i32, splitColumns: i32, start: i32, end: i32, thread: i32,
): void {
  assert(packed != 0, 'gemmPackedNormalized: no packed B');
  if (m < MR) {
    // One sample's prediction: no packing of A; B's panels streamed in order (fewRowsPacked).
    assert(lda >= max(1, transA ? m : k) && ldc >= max(1, n), 'gemm: leading dimension too small');
    const rowStart = splitColumns ? 0 : start, rowEnd = splitColumns ? m : min(end, m);
    const colStart = splitColumns ? start : 0, colEnd = splitColumns ? min(end, n) : n;
    if (rowStart >= rowEnd || colStart >= colEnd) return;
    scaleBlock(c, ldc, rowStart, rowEnd, colStart, colEnd, beta);
    if (k > 0 && alpha != 0) {
      fewRowsPacked(rowStart, rowEnd, colStart, colEnd, k, evenBlock(k, KC, 1), (n + NR - 1) / NR * NR, alpha, a, transA ? 1 : lda, transA ? lda : 1,
        packed, c, ldc, work + <usize>thread * <usize>gemmWorkspaceBytes());
    }
    if (scale != 0) normalizeBlock(c, ldc, rowStart, rowEnd, colStart, colEnd, bias, scale, shift, ra, rb, rc, activation);
    return;
  }
  gemmThen(transA, 0, m, n, k, alpha, a, lda, 0, max(1, n), packed, 0, beta, c, ldc, work, bias, scale, shift, ra, rb, rc, activation, splitColumns, start, end, thread);
}

/**
 * A batch of products C_i = alpha·op(A_i)·op(B_i) + beta·C_i (each m×n, k inner), split across
 * threads by batch item start ≤ i < end. Item i is (o, h) = (i / inner, i % inner), and each
 * matrix starts at its pointer + o·outer + h·innerStride elements: the two levels let attention
 * read one head of one sample straight from a [batch, steps, heads, dim] tensor (rows strided by
 * the leading dimension) with no permute. Each item is one whole gemm on one thread, so the bits
 * do not depend on the thread count.
 */
export function gemmBatch(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, aOuter: i32, aInner: i32, b: usize, ldb: i32, bOuter: i32, bInner: i32,
  beta: f32, c: usize, ldc: i32, cOuter: i32, cInner: i32, inner: i32,
  work: usize, start: i32, end: i32, thread: i32,
): void {
  assert(inner >= 1, 'gemmBatch: inner count must be positive');
  for (let i = start; i < end; i++) {
    const o = i / inner, h = i % inner;
    gemmThen(transA, transB, m, n, k, alpha, itemAt(a, o, h, aOuter, aInner), lda, itemAt(b, o, h, bOuter, bInner), ldb, 0, 0,
      beta, itemAt(c, o, h, cOuter, cInner), ldc, work, 0, 0, 0, 0, 0, 0, 0, 0, 0, m, thread);
  }
}

// @ts-ignore: decorator
@inline function itemAt(p: usize, o: i32, h: i32, outer: i32, innerStride: i32): usize {
  return p + ((<usize>o * <usize>outer + <usize>h * <usize>innerStride) << 2);
}

function gemmThen(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, packed: usize, rowsB: usize, beta: f32, c: usize, ldc: i32,
  work: usize, bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, activation: i32, splitColumns: i32, start: i32, end: i32, thread: i32,
): void {
  // The TypeScript side validates shapes before any call; these guard the ABI itself, and
  // reach the user as a WasmlearnError naming the kernel, never as a bare trap.
  assert(m >= 0 && n >= 0 && k >= 0, 'gemm: negative size');
  assert(lda >= max(1, transA ? m : k) && ldb >= max(1, transB ? k : n) && ldc >= max(1, n), 'gemm: leading dimension too small');
  assert(activation != Activation.Softmax, 'gemm: softmax needs whole rows; it is not an epilogue');
  const rowStart = splitColumns ? 0 : start;
  const rowEnd = splitColumns ? m : min(end, m);
  const colStart = splitColumns ? start : 0;
  const colEnd = splitColumns ? min(end, n) : n;
  if (rowStart >= rowEnd || colStart >= colEnd) return;
  scaleBlock(c, ldc, rowStart, rowEnd, colStart, colEnd, beta);
  if (k <= 0 || alpha == 0) {
    if (scale != 0) normalizeBlock(c, ldc, rowStart, rowEnd, colStart, colEnd, bias, scale, shift, ra, rb, rc, activation);
    return;
  }

  // Element (i, p) of op(A) is at a + 4·(i·rsA + p·csA); likewise op(B).
  const rsA = transA ? 1 : lda;
  const csA = transA ? lda : 1;
  const rsB = transB ? 1 : ldb;
  const csB = transB ? ldb : 1;

  const base = work + <usize>thread * <usize>gemmWorkspaceBytes();
  const packA = base;
  const packB = packA + (<usize>PACK_A_FLOATS << 2);
  const tile = packB + (<usize>PACK_B_FLOATS << 2);

  // Equal blocks along k (784 = 3 × 262, not 384 + 384 + 16): a thin last block would cost a
  // full load and store of C for little work. The block size depends on k alone, so the sum
  // order of every element is fixed.
  const kBlock = evenBlock(k, KC, 1);
  // Panels of op(B) laid out by packGemmB: block pc starts at pc·width floats, its panel of column j0 j0·kc further.
  const width = (n + NR - 1) / NR * NR;

  if (m < MR && !transB && rowsB == 0) {
    fewRows(rowStart, rowEnd, colStart, colEnd, k, kBlock, alpha, a, rsA, csA, b, ldb, c, ldc, packB, tile);
    if (scale != 0) normalizeBlock(c, ldc, rowStart, rowEnd, colStart, colEnd, bias, scale, shift, ra, rb, rc, activation);
    return;
  }
  const mBlock = evenBlock(rowEnd - rowStart, MC, MR);

  for (let jc = colStart; jc < colEnd; jc += NC) {
    const nc = min(NC, colEnd - jc);
    for (let pc = 0; pc < k; pc += kBlock) {
      const kc = min(kBlock, k - pc);
      let panels = packB;
      if (packed != 0) panels = packed + ((<usize>pc * width + <usize>jc * kc) << 2);
      else if (rowsB != 0) packPanelsBGathered(b + (<usize>jc * csB << 2), rsB, csB, rowsB + (<usize>pc << 2), kc, nc, packB);
      else packPanelsB(b + ((<usize>pc * rsB + <usize>jc * csB) << 2), rsB, csB, kc, nc, packB, kc);
      for (let ic = rowStart; ic < rowEnd; ic += mBlock) {
        const mc = min(mBlock, rowEnd - ic);
        packPanelsA(a + ((<usize>ic * rsA + <usize>pc * csA) << 2), rsA, csA, mc, kc, packA);
        macroKernel(mc, nc, kc, alpha, packA, panels, c + ((<usize>ic * ldc + <usize>jc) << 2), ldc, tile);
        if (scale != 0 && pc + kc >= k) normalizeBlock(c, ldc, ic, ic + mc, jc, jc + nc, bias, scale, shift, ra, rb, rc, activation);
      }
    }
  }
}

/**
 * C += alpha·op(A)·B for fewer rows than a micro-tile (one sample's prediction): packing B would
 * cost more than the product, so B is streamed row by row instead. Each element still sees the
 * micro-kernel's exact operations — per k-block an accumulator from 0, acc = madd(a, b, acc) in
 * order of p, then C += alpha·acc — so the result is the same bits as the packed path's.
 * `acc` and `tail` are 4 floats of scratch each.
 */
function fewRows(
  rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32, k: i32, kBlock: i32, alpha: f32,
  a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: usize, tail: usize,
): void {
  const va = f32x4.splat(alpha);
  const ldB = <usize>ldb << 2;
  for (let i = rowStart; i < rowEnd; i++) {
    const crow = c + (<usize>i * ldc << 2);
    for (let pc = 0; pc < k; pc += kBlock) {
      const kc = min(kBlock, k - pc);
      const arow = a + ((<usize>i * rsA + <usize>pc * csA) << 2);
      const aStep = <usize>csA << 2;
      let j = colStart;
      // 32 columns (two cache lines of a B row) at a time in eight register accumulators,
      // B read row by row; then 16.
      for (; j + 32 <= colEnd; j += 32) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
        let pa = arow;
        let pb = b + ((<usize>pc * ldb + <usize>j) << 2);
        for (let p = 0; p < kc; p++) {
          const av = v128.load32_splat(pa);
          c0 = madd(av, v128.load(pb), c0);
          c1 = madd(av, v128.load(pb, 16), c1);
          c2 = madd(av, v128.load(pb, 32), c2);
          c3 = madd(av, v128.load(pb, 48), c3);
          c4 = madd(av, v128.load(pb, 64), c4);
          c5 = madd(av, v128.load(pb, 80), c5);
          c6 = madd(av, v128.load(pb, 96), c6);
          c7 = madd(av, v128.load(pb, 112), c7);
          pa += aStep;
          pb += ldB;
        }
        const o = crow + (<usize>j << 2);
        v128.store(o, f32x4.add(v128.load(o), f32x4.mul(va, c0)));
        v128.store(o, f32x4.add(v128.load(o, 16), f32x4.mul(va, c1)), 16);
        v128.store(o, f32x4.add(v128.load(o, 32), f32x4.mul(va, c2)), 32);
        v128.store(o, f32x4.add(v128.load(o, 48), f32x4.mul(va, c3)), 48);
        v128.store(o, f32x4.add(v128.load(o, 64), f32x4.mul(va, c4)), 64);
        v128.store(o, f32x4.add(v128.load(o, 80), f32x4.mul(va, c5)), 80);
        v128.store(o, f32x4.add(v128.load(o, 96), f32x4.mul(va, c6)), 96);
        v128.store(o, f32x4.add(v128.load(o, 112), f32x4.mul(va, c7)), 112);
      }
      for (; j + 16 <= colEnd; j += 16) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        let pa = arow;
        let pb = b + ((<usize>pc * ldb + <usize>j) << 2);
        for (let p = 0; p < kc; p++) {
          const av = v128.load32_splat(pa);
          c0 = madd(av, v128.load(pb), c0);
          c1 = madd(av, v128.load(pb, 16), c1);
          c2 = madd(av, v128.load(pb, 32), c2);
          c3 = madd(av, v128.load(pb, 48), c3);
          pa += aStep;
          pb += ldB;
        }
        const o = crow + (<usize>j << 2);
        v128.store(o, f32x4.add(v128.load(o), f32x4.mul(va, c0)));
        v128.store(o, f32x4.add(v128.load(o, 16), f32x4.mul(va, c1)), 16);
        v128.store(o, f32x4.add(v128.load(o, 32), f32x4.mul(va, c2)), 32);
        v128.store(o, f32x4.add(v128.load(o, 48), f32x4.mul(va, c3)), 48);
      }
      // The rest 4 columns at a time; the last few through a zero-padded vector, so every
      // column sees the same lane operation.
      for (; j < colEnd; j += 4) {
        const width = min(4, colEnd - j);
        let c0 = f32x4.splat(0);
        let pa = arow;
        let pb = b + ((<usize>pc * ldb + <usize>j) << 2);
        for (let p = 0; p < kc; p++) {
          let bv: v128;
          if (width == 4) bv = v128.load(pb);
          else {
            v128.store(tail, f32x4.splat(0));
            for (let t = 0; t < width; t++) store<f32>(tail + (<usize>t << 2), load<f32>(pb + (<usize>t << 2)));
            bv = v128.load(tail);
          }
          c0 = madd(v128.load32_splat(pa), bv, c0);
          pa += aStep;
          pb += ldB;
        }
        v128.store(acc, f32x4.mul(va, c0));
        for (let t = 0; t < width; t++) {
          const o = crow + (<usize>(j + t) << 2);
          store<f32>(o, load<f32>(o) + load<f32>(acc + (<usize>t << 2)));
        }
      }
    }
  }
}

/**
 * fewRows over op(B) laid out by packGemmB, with fewRows' (and the micro-kernel's) operations per
 * element: per k block an accumulator from 0, madd in order of p, then C += alpha·acc. Column
 * starts are multiples of NR (the split's alignment), so every panel is whole; padding columns
 * are computed and not stored. Scratch at `work`: KC floats (a strided row of A made contiguous),
 * then NC floats of sums.
 */
function fewRowsPacked(
  rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32, k: i32, kBlock: i32, width: i32, alpha: f32,
  a: usize, rsA: i32, csA: i32, packed: usize, c: usize, ldc: i32, work: usize,
): void {
  const va = f32x4.splat(alpha);
  const row = work, sums = work + (<usize>KC << 2);
  for (let i = rowStart; i < rowEnd; i++) {
    const crow = c + (<usize>i * ldc << 2);
    for (let pc = 0; pc < k; pc += kBlock) {
      const kc = min(kBlock, k - pc);
      let arow = a + ((<usize>i * rsA + <usize>pc * csA) << 2);
      if (csA != 1) {
        for (let p = 0; p < kc; p++) store<f32>(row + (<usize>p << 2), load<f32>(arow + (<usize>p * csA << 2)));
        arow = row;
      }
      const block = packed + (<usize>pc * width << 2);
      for (let jc = colStart; jc < colEnd; jc += NC) {
        const cols = min(NC, colEnd - jc);
        const whole = cols & ~31;
        strips(kc, whole, arow, block + (<usize>jc * kc << 2), sums);
        const o = crow + (<usize>jc << 2);
        for (let t: usize = 0; t < <usize>whole << 2; t += 16) v128.store(o + t, f32x4.add(v128.load(o + t), f32x4.mul(va, v128.load(sums + t))));
        // The last columns one panel at a time; a partial last panel's padding is not stored.
        for (let j = whole; j < cols; j += NR) {
          panel(kc, arow, block + (<usize>(jc + j) * kc << 2), sums);
          const n = min(NR, cols - j);
          for (let t = 0; t < n; t++) {
            const q = o + (<usize>(j + t) << 2);
            store<f32>(q, load<f32>(q) + alpha * load<f32>(sums + (<usize>t << 2)));
          }
        }
      }
    }
  }
}

// The two loops below keep a shape V8 runs fast, measured on this machine (784 × 500: 38 against
// 21 GFLOP/s): two values of p per trip, an odd first p before the loop rather than after it, the
// four panel pointers kept apart, and sums stored as they are rather than added into C.

/** sums[0:n32] = a[0:kc] · (the panels of kc×NR values at `panels`), 32 columns (four panels) at a time. */
function strips(kc: i32, n32: i32, a: usize, panels: usize, sums: usize): void {
  const panelBytes = <usize>kc * NR << 2;
  for (let j = 0; j < n32; j += 32) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let pa = a;
    let p0 = panels + (<usize>j * kc << 2);
    let p1 = p0 + panelBytes, p2 = p1 + panelBytes, p3 = p2 + panelBytes;
    let p = 0;
    if (kc & 1) {
      const av = v128.load32_splat(pa);
      c0 = madd(av, v128.load(p0), c0);
      c1 = madd(av, v128.load(p0, 16), c1);
      c2 = madd(av, v128.load(p1), c2);
      c3 = madd(av, v128.load(p1, 16), c3);
      c4 = madd(av, v128.load(p2), c4);
      c5 = madd(av, v128.load(p2, 16), c5);
      c6 = madd(av, v128.load(p3), c6);
      c7 = madd(av, v128.load(p3, 16), c7);
      pa += 4;
      p0 += NR << 2;
      p1 += NR << 2;
      p2 += NR << 2;
      p3 += NR << 2;
      p = 1;
    }
    for (; p + 2 <= kc; p += 2) {
      let av = v128.load32_splat(pa);
      c0 = madd(av, v128.load(p0), c0);
      c1 = madd(av, v128.load(p0, 16), c1);
      c2 = madd(av, v128.load(p1), c2);
      c3 = madd(av, v128.load(p1, 16), c3);
      c4 = madd(av, v128.load(p2), c4);
      c5 = madd(av, v128.load(p2, 16), c5);
      c6 = madd(av, v128.load(p3), c6);
      c7 = madd(av, v128.load(p3, 16), c7);
      av = v128.load32_splat(pa, 4);
      c0 = madd(av, v128.load(p0, 32), c0);
      c1 = madd(av, v128.load(p0, 48), c1);
      c2 = madd(av, v128.load(p1, 32), c2);
      c3 = madd(av, v128.load(p1, 48), c3);
      c4 = madd(av, v128.load(p2, 32), c4);
      c5 = madd(av, v128.load(p2, 48), c5);
      c6 = madd(av, v128.load(p3, 32), c6);
      c7 = madd(av, v128.load(p3, 48), c7);
      pa += 8;
      p0 += NR << 3;
      p1 += NR << 3;
      p2 += NR << 3;
      p3 += NR << 3;
    }
    const o = sums + (<usize>j << 2);
    v128.store(o, c0);
    v128.store(o, c1, 16);
    v128.store(o, c2, 32);
    v128.store(o, c3, 48);
    v128.store(o, c4, 64);
    v128.store(o, c5, 80);
    v128.store(o, c6, 96);
    v128.store(o, c7, 112);
  }
}

/** sums[0:NR] = a[0:kc] · (one panel of kc×NR values). */
function panel(kc: i32, a: usize, p0: usize, sums: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pa = a;
  let p = 0;
  if (kc & 1) {
    const av = v128.load32_splat(pa);
    c0 = madd(av, v128.load(p0), c0);
    c1 = madd(av, v128.load(p0, 16), c1);
    pa += 4;
    p0 += NR << 2;
    p = 1;
  }
  for (; p + 2 <= kc; p += 2) {
    let av = v128.load32_splat(pa);
    c0 = madd(av, v128.load(p0), c0);
    c1 = madd(av, v128.load(p0, 16), c1);
    av = v128.load32_splat(pa, 4);
    c0 = madd(av, v128.load(p0, 32), c0);
    c1 = madd(av, v128.load(p0, 48), c1);
    pa += 8;
    p0 += NR << 3;
  }
  v128.store(sums, c0);
  v128.store(sums, c1, 16);
}

/** The size of ⌈total / limit⌉ equal blocks covering total, rounded up to a multiple of align (≤ limit). */
function evenBlock(total: i32, limit: i32, align: i32): i32 {
  if (total <= 0) return limit;
  const blocks = (total + limit - 1) / limit;
  const size = (total + blocks - 1) / blocks;
  return min(limit, (size + align - 1) / align * align);
}

/** C[rows, cols] *= beta; beta = 0 sets them to 0 (so NaN in an uninitialised C does not survive). */
function scaleBlock(c: usize, ldc: i32, rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32, beta: f32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = rowStart; i < rowEnd; i++) {
    const row = c + ((<usize>i * ldc + <usize>colStart) << 2);
    const n = colEnd - colStart;
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= n; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(0));
      for (; j < n; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= n; j += 4) {
        const p = row + (<usize>j << 2);
        v128.store(p, f32x4.mul(v128.load(p), vb));
      }
      for (; j < n; j++) {
        const p = row + (<usize>j << 2);
        store<f32>(p, load<f32>(p) * beta);
      }
    }
  }
}

/**
 * Stores the transpose of the 4×4 block whose rows are r0..r3: column q goes to dst + q·stride.
 * Two rounds of 32-bit shuffles (unpack low/high, then 64-bit halves).
 */
// @ts-ignore: decorator
@inline
function storeTransposed4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/** Packs an mc×kc block of op(A) into ⌈mc/MR⌉ panels; a panel holds MR values per p, zero-padded. */
function packPanelsA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, out: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panel = out + (<usize>i0 * kc << 2);
    let p = 0;
    if (rows == MR && cs == 1) {
      // Rows of A are contiguous: read 4×4 blocks and store them transposed (MR = 4).
      const r0 = a + (<usize>i0 * rs << 2);
      const step = <usize>rs << 2;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        storeTransposed4x4(
          v128.load(r0 + o), v128.load(r0 + step + o), v128.load(r0 + 2 * step + o), v128.load(r0 + 3 * step + o),
          panel + (<usize>p * MR << 2), MR << 2,
        );
      }
    } else if (rows == MR && rs == 1) {
      // Columns of A are contiguous (A transposed): the MR values of each p are one vector.
      for (; p < kc; p++) {
        v128.store(panel + (<usize>p * MR << 2), v128.load(a + ((<usize>i0 + <usize>p * cs) << 2)));
      }
    }
    // Remaining p, and partial panels (zero-padded), one value at a time.
    for (; p < kc; p++) {
      const src = a + ((<usize>i0 * rs + <usize>p * cs) << 2);
      const dst = panel + (<usize>p * MR << 2);
      for (let r = 0; r < MR; r++) {
        store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r * rs << 2)) : 0);
      }
    }
  }
}

/**
 * Packs a kc×nc block of op(B) into ⌈nc/NR⌉ panels; a panel holds NR values per p, zero-padded.
 * Panels are `height` rows apart (kc, or the whole k block's when this is a run of its rows).
 */
function packPanelsB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, out: usize, height: i32): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = out + (<usize>j0 * height << 2);
    let p = 0;
    if (cols == NR && cs == 1) {
      // Rows of op(B) are contiguous: NR values per p are two vectors.
      let src = b + (<usize>j0 << 2);
      const step = <usize>rs << 2;
      for (; p < kc; p++) {
        const dst = panel + (<usize>p * NR << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
      }
    } else if (cols == NR && rs == 1) {
      // B transposed: column j of op(B) is contiguous. Two 4×4 transposes per 4 values of p.
      const c0 = b + (<usize>j0 * cs << 2);
      const step = <usize>cs << 2;
      const c4 = c0 + 4 * step;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const dst = panel + (<usize>p * NR << 2);
        storeTransposed4x4(v128.load(c0 + o), v128.load(c0 + step + o), v128.load(c0 + 2 * step + o), v128.load(c0 + 3 * step + o), dst, NR << 2);
        storeTransposed4x4(v128.load(c4 + o), v128.load(c4 + step + o), v128.load(c4 + 2 * step + o), v128.load(c4 + 3 * step + o), dst + 16, NR << 2);
      }
    }
    for (; p < kc; p++) panelRowB(b + ((<usize>p * rs + <usize>j0 * cs) << 2), cs, cols, panel + (<usize>p * NR << 2));
  }
}

/** One row of a B panel, one value at a time: `cols` values `cs` apart from `src`, zero-padded to NR. */
// @ts-ignore: decorator
@inline function panelRowB(src: usize, cs: i32, cols: i32, dst: usize): void {
  for (let col = 0; col < NR; col++) store<f32>(dst + (<usize>col << 2), col < cols ? load<f32>(src + (<usize>col * cs << 2)) : 0);
}

/**
 * packPanelsB of a kc×nc block whose row p is row rows[p] of op(B) as stored (`b` at its first
 * column; `rows` the block's first entry): the same panels, one row at a time.
 */
function packPanelsBGathered(b: usize, rs: i32, cs: i32, rows: usize, kc: i32, nc: i32, out: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = out + (<usize>j0 * kc << 2);
    const contiguous = cols == NR && cs == 1;
    for (let p = 0; p < kc; p++) {
      const src = b + ((<usize>load<i32>(rows + (<usize>p << 2)) * rs + <usize>j0 * cs) << 2);
      const dst = panel + (<usize>p * NR << 2);
      if (contiguous) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        panelRowB(src, cs, cols, dst);
      }
    }
  }
}

function macroKernel(
  mc: i32, nc: i32, kc: i32, alpha: f32, packA: usize, packB: usize, c: usize, ldc: i32, tile: usize,
): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const pb = packB + (<usize>j0 * kc << 2);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = min(MR, mc - i0);
      const pa = packA + (<usize>i0 * kc << 2);
      const ct = c + ((<usize>i0 * ldc + <usize>j0) << 2);
      if (rows == MR && cols == NR) {
        microKernel(kc, alpha, pa, pb, ct, ldc);
      } else {
        // Edge tile: same arithmetic into a scratch tile, then add the valid part.
        for (let t = 0; t < TILE_FLOATS; t += 4) v128.store(tile + (<usize>t << 2), f32x4.splat(0));
        microKernel(kc, alpha, pa, pb, tile, NR);
        for (let r = 0; r < rows; r++) {
          for (let col = 0; col < cols; col++) {
            const dst = ct + ((<usize>r * ldc + <usize>col) << 2);
            store<f32>(dst, load<f32>(dst) + load<f32>(tile + ((<usize>r * NR + <usize>col) << 2)));
          }
        }
      }
    }
  }
}

/** a·b + c per lane: fused (one rounding) in the relaxed-SIMD build, multiply then add otherwise. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** C[0:4, 0:8] += alpha · Σ_p a[p, 0:4] ⊗ b[p, 0:8] over packed panels. */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, alpha: f32, pa: usize, pb: usize, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    pa += MR << 2;
    pb += NR << 2;
  }
  const va = f32x4.splat(alpha);
  const ld = <usize>ldc << 2;
  let row = c;
  v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c00)));
  v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c01)), 16);
  row += ld;
  v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c10)));
  v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c11)), 16);
  row += ld;
  v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c20)));
  v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c21)), 16);
  row += ld;
  v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c30)));
  v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c31)), 16);
}

/** C[i, j] = f(r((C[i, j] + bias[j])·scale[j] + shift[j])) over rows [r0, r1) and columns [c0, c1) (see gemmNormalized). */
function normalizeBlock(c: usize, ldc: i32, r0: i32, r1: i32, c0: i32, c1: i32, bias: usize, scale: usize, shift: usize, ra: f32, rb: f32, rc: f32, activation: i32): void {
  const at = <usize>c0 << 2;
  for (let i = r0; i < r1; i++) {
    const row = c + (<usize>i * ldc << 2) + at;
    scaleShiftRun(row, row, c1 - c0, bias != 0 ? bias + at : 0, scale + at, shift + at, ra, rb, rc);
    if (activation != Activation.Linear) activateRun(row, c1 - c0, activation);
  }
}
