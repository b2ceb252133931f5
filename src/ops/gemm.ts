import { WasmlearnError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { Activation, GEMM_PANEL_COLUMNS, type SplitArguments } from '../runtime/bindings.js';
import { pushNormalizingArgs, type Normalizing } from './batch-norm.js';
import { gatherRowsF32, putI32, writeF32 } from './memory.js';

/**
 * C[m×n] = op(A)·op(B) + beta·C on the pool, where op transposes when asked (A is read as k×m
 * when transposed, B as n×k). Splits C by rows, or by columns when it is wider than tall (less
 * repeated packing; see assembly/gemm.ts). `work` is a GEMM workspace for every thread
 * (gemmWorkspaceBytes × threads); leading dimensions are those of the stored matrices. With
 * `normalizing`, each block of C gets f(r((C + bias)·scale + shift)) per column as it is finished.
 * With `rowsB` (a pointer to k i32 indices below k), row p of op(B) is row rowsB[p] of op(B) as
 * stored: the same bits as on B reordered first (assembly/gemm.ts gemmGatheredNormalized).
 */
export function gemm(
  be: Backend, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  normalizing?: Normalizing, rowsB?: number,
): void {
  // An empty product (no rows, or no columns: e.g. a model without support vectors) writes nothing.
  if (m === 0 || n === 0) return;
  const splitColumns = n > m;
  const args = [+transA, +transB, m, n, k, 1, a, lda, b, ldb];
  if (rowsB !== undefined) args.push(rowsB);
  args.push(beta, c, ldc, work);
  if (normalizing || rowsB !== undefined) pushEpilogue(args, normalizing);
  args.push(+splitColumns);
  be.launch(
    rowsB !== undefined ? 'gemmGatheredNormalized' : normalizing ? 'gemmNormalized' : 'gemm',
    args as SplitArguments['gemmNormalized'] & SplitArguments['gemm'] & SplitArguments['gemmGatheredNormalized'],
    splitColumns ? n : m,
    splitColumns ? be.exports.gemmColumnBlock() : be.exports.gemmRowBlock(),
    m * n * k,
  );
}

/**
 * Appends the GEMM kernels' epilogue arguments: a Normalizing's (zeros: none), then its
 * element-wise activation. Pushed, not spread: a batch-1 run makes a few launches, and each
 * spread was an array more to make and collect.
 */
function pushEpilogue(args: number[], n: Normalizing | undefined): void {
  pushNormalizingArgs(args, n);
  args.push(n?.activation ?? Activation.Linear);
}

/** How many rows' multiply-adds a product of fewer rows than a micro-tile costs (gemmPacked). */
const GEMV_WEIGHT = 4;

/**
 * gemm with op(B) laid out once by packGemmB at `packed` (a model's constant weights): the same
 * bits as gemm on B, with no packing per call; a one-row product streams B's panels in order.
 */
export function gemmPacked(
  be: Backend, transA: boolean, m: number, n: number, k: number, a: number, lda: number, packed: number,
  c: number, ldc: number, work: number, normalizing?: Normalizing,
): void {
  if (m === 0 || n === 0) return;
  const splitColumns = n > m;
  // Fewer rows than a micro-tile stream B once per row: the cost is B's bytes more than the
  // multiply-adds (measured: a 784 × 500 one-row product took as long as 4 rows through the
  // micro-kernel), so it is weighed as 4 rows when deciding whether threads are worth it.
  const cost = Math.max(m, GEMV_WEIGHT) * n * k;
  const args = [+transA, m, n, k, 1, a, lda, packed, 0, c, ldc, work];
  pushEpilogue(args, normalizing);
  args.push(+splitColumns);
  be.launch('gemmPackedNormalized', args as SplitArguments['gemmPackedNormalized'],
    splitColumns ? n : m, splitColumns ? be.exports.gemmColumnBlock() : be.exports.gemmRowBlock(), cost);
}

/** Floats of weights staged at a time by packGemmB: 64 KiB, touched once and reused. */
const STAGE_FLOATS = 1 << 14;

/**
 * Lays op(B) out at `out` as gemmPacked reads it, from weights in JavaScript memory: op(B) is k×n,
 * starting `offset` elements into `values` (B stored n×k when transB), rows ldb apart as stored.
 * The weights go into WebAssembly memory part by part through one small buffer — runs of rows of
 * op(B), or when B is stored transposed, runs of whole panels of its columns (rows as stored) — not
 * in one copy: on a cold start, memory touched for the first time costs a page fault per 4 KiB
 * (~3 ms per MB measured on this machine kind, against ~0.06 ms per MB to copy), and a whole copy
 * would touch as much fresh memory as the weights. `at`: where `values` already are in the
 * module (a file read into it), which then need no staging.
 */
export function packGemmB(be: Backend, values: Float32Array, offset: number, transB: boolean, k: number, n: number, ldb: number, out: number, image?: Image, at?: number): void {
  if (k === 0 || n === 0) return;
  if (image) return packImageRows(be, values, offset, transB, k, n, ldb, out, image, at);
  if (at !== undefined) return be.call('packGemmB', +transB, k, n, at + offset * 4, ldb, out, 0, k, 0, n);
  // A part of `count` rows as stored spans (count - 1)·ldb + length floats.
  const length = transB ? k : n, total = transB ? n : k;
  const fits = length >= STAGE_FLOATS ? 1 : Math.floor((STAGE_FLOATS - length) / ldb) + 1;
  const step = transB ? panelsStep(total, fits) : Math.min(total, fits);
  be.scoped((alloc) => {
    const stage = alloc(((step - 1) * ldb + length) * 4);
    for (let first = 0; first < total; first += step) {
      const end = Math.min(total, first + step), from = offset + first * ldb;
      writeF32(be, stage, values.subarray(from, from + (end - first - 1) * ldb + length));
      if (transB) be.call('packGemmB', 1, k, n, stage, ldb, out, 0, k, first, end);
      else be.call('packGemmB', 0, k, n, stage, ldb, out, first, end, 0, n);
    }
  });
}

/** Columns of op(B) per part when `fits` fit the staging buffer: whole panels, or all n of them. */
const panelsStep = (n: number, fits: number) => (fits >= n ? n : Math.min(n, Math.max(GEMM_PANEL_COLUMNS, fits - (fits % GEMM_PANEL_COLUMNS))));

/** An image's height, width and channels. */
export type Image = readonly [number, number, number];

/**
 * packGemmB for weights stored for a channels-first flatten of `image` (k = C·H·W rows of op(B) in
 * C, H, W order) read by a channels-last one (H, W, C order): the rows are staged in the order the
 * GEMM reads them, so no reordered copy of the weights is made.
 */
function packImageRows(be: Backend, values: Float32Array, offset: number, transB: boolean, k: number, n: number, ldb: number, out: number, [h, w, c]: Image, at: number | undefined): void {
  const hw = h * w;
  // A weight read under a flatten is one whole matrix: [k, n], or [n, k] with transB.
  if (k !== c * hw || offset !== 0 || ldb !== (transB ? k : n)) throw new WasmlearnError(`internal: packing ${k} rows for a ${h}×${w}×${c} image`);
  be.scoped((alloc) => {
    if (!transB) {
      const rows = imageRowOrder([h, w, c], k);
      const step = Math.min(k, Math.max(1, Math.floor(STAGE_FLOATS / n)));
      const stage = alloc(step * n * 4), order = at === undefined ? 0 : putI32(be, alloc, rows);
      for (let first = 0; first < k; first += step) {
        const end = Math.min(k, first + step);
        if (at === undefined) gatherRowsF32(be, stage, values, n, end - first, first, rows);
        else be.call('gatherRows', at, n, order, first, end - first, stage);
        be.call('packGemmB', 0, k, n, stage, n, out, first, end, 0, n);
      }
      return;
    }
    // B stored transposed: each stored row (a column of op(B)) is C·H·W long; staged whole panels at
    // a time, then each row's values swapped to H, W, C order in the module.
    const step = panelsStep(n, Math.max(1, Math.floor(STAGE_FLOATS / k)));
    const stage = at === undefined ? alloc(step * k * 4) : 0, swapped = alloc(step * k * 4);
    for (let first = 0; first < n; first += step) {
      const end = Math.min(n, first + step);
      if (at === undefined) writeF32(be, stage, values.subarray(first * k, end * k));
      be.call('swapAxes', at === undefined ? stage : at + first * k * 4, swapped, end - first, c, 1, hw, 1);
      be.call('packGemmB', 1, k, n, swapped, k, out, 0, k, first, end);
    }
  });
}

/**
 * Where each of the k rows of op(B) read in an image's H, W, C order is stored, for weights stored
 * for its C, H, W order (a channels-first flatten): row p is stored row (p mod C)·H·W + ⌊p / C⌋.
 */
export function imageRowOrder([h, w, c]: Image, k: number): Int32Array {
  const hw = h * w;
  if (k !== c * hw) throw new WasmlearnError(`internal: ${k} rows of weights read in the order of a ${h}×${w}×${c} image`);
  const rows = new Int32Array(k);
  for (let q = 0, p = 0; q < hw; q++) for (let ch = 0; ch < c; ch++, p++) rows[p] = ch * hw + q;
  return rows;
}

/** Bytes packGemmB writes for a k×n op(B). */
export function packedGemmBBytes(be: Backend, k: number, n: number): number {
  return be.exports.packedBFloats(k, n) * 4;
}

/** Bytes of GEMM workspace a call needs for every thread the backend may use. */
export function gemmWorkspace(be: Backend): number {
  return be.exports.gemmWorkspaceBytes() * Math.max(1, be.threadsRequested);
}

/** Where each matrix of a batch starts: item (o, h) at pointer + o·outer + h·inner elements, rows `ld` apart. */
export interface BatchOperand {
  ptr: number;
  ld: number;
  outer: number;
  inner: number;
}

/**
 * C_i = alpha·op(A_i)·op(B_i) + beta·C_i for the `count` = outer × inner items (o, h) of a batch,
 * on the pool by item (see assembly/gemm.ts gemmBatch): the products of attention's heads.
 */
export function gemmBatch(
  be: Backend, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: BatchOperand, b: BatchOperand, beta: number, c: BatchOperand, count: number, inner: number, work: number,
): void {
  if (m === 0 || n === 0 || count === 0) return;
  be.launch('gemmBatch', [+transA, +transB, m, n, k, alpha, a.ptr, a.ld, a.outer, a.inner, b.ptr, b.ld, b.outer, b.inner,
    beta, c.ptr, c.ld, c.outer, c.inner, inner, work], count, 1, count * m * n * k);
}
