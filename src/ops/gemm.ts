import type { Backend } from '../runtime/backend.js';
import { Activation } from '../runtime/bindings.js';
import { normalizingArgs, type Normalizing } from './batch-norm.js';

/**
 * C[m×n] = op(A)·op(B) + beta·C on the pool, where op transposes when asked (A is read as k×m
 * when transposed, B as n×k). Splits C by rows, or by columns when it is wider than tall (less
 * repeated packing; see assembly/gemm.ts). `work` is a GEMM workspace for every thread
 * (gemmWorkspaceBytes × threads); leading dimensions are those of the stored matrices. With
 * `normalizing`, each block of C gets f(r((C + bias)·scale + shift)) per column as it is finished.
 */
export function gemm(
  be: Backend, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  normalizing?: Normalizing,
): void {
  // An empty product (no rows, or no columns: e.g. a model without support vectors) writes nothing.
  if (m === 0 || n === 0) return;
  const splitColumns = n > m;
  const args = [+transA, +transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc, work] as const;
  be.launch(
    normalizing ? 'gemmNormalized' : 'gemm',
    normalizing ? [...args, ...epilogueArgs(normalizing), +splitColumns] : [...args, +splitColumns],
    splitColumns ? n : m,
    splitColumns ? be.exports.gemmColumnBlock() : be.exports.gemmRowBlock(),
    m * n * k,
  );
}

/** The GEMM kernels' epilogue arguments: a Normalizing's (zeros: none), then its element-wise activation. */
const epilogueArgs = (n: Normalizing | undefined) => [...normalizingArgs(n), n?.activation ?? Activation.Linear] as const;

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
  be.launch('gemmPackedNormalized', [+transA, m, n, k, 1, a, lda, packed, 0, c, ldc, work, ...epilogueArgs(normalizing), +splitColumns],
    splitColumns ? n : m, splitColumns ? be.exports.gemmColumnBlock() : be.exports.gemmRowBlock(), cost);
}

/** Lays op(B) (k×n; B stored n×k when transB, rows ldb apart) out at `out` as gemmPacked reads it. */
export function packGemmB(be: Backend, transB: boolean, k: number, n: number, b: number, ldb: number, out: number): void {
  be.call('packGemmB', +transB, k, n, b, ldb, out);
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
