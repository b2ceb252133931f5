import { ShapeError, ValueError } from '../errors.js';
import { checkBoolean, checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';
import { gemm, gemmWorkspace } from './gemm.js';
import { readF32, writeFinite } from './memory.js';

export interface MatMulOptions {
  /** Multiply by aᵀ instead of a (default false). */
  transposeA?: boolean;
  /** Multiply by bᵀ instead of b (default false). */
  transposeB?: boolean;
}

/**
 * Matrix product `op(a) · op(b)` in f32, where op is identity or transpose.
 *
 * Shapes: op(a) is [m, k] and op(b) is [k, n]; the result is [m, n]. Inputs may be Tensors,
 * nested arrays (`number[][]`) or `{ data, shape }` with a typed array. They are copied, never
 * changed. Runs on the WebAssembly SIMD GEMM, split across threads by rows (or columns) of the result, so
 * the result is bit-for-bit the same for any thread count.
 *
 * @example
 * matMul([[1, 2], [3, 4]], [[5], [6]]).toArray(); // [[17], [39]]
 */
export function matMul(a: TensorLike, b: TensorLike, options?: MatMulOptions): Tensor {
  const o = checkOptions<MatMulOptions>(options, ['transposeA', 'transposeB'], 'matMul');
  const transposeA = checkBoolean(o.transposeA, 'transposeA', 'matMul', false);
  const transposeB = checkBoolean(o.transposeB, 'transposeB', 'matMul', false);
  // Finiteness is checked in WebAssembly memory, on the copy the GEMM reads.
  const A = toTensor(a, 'matMul: a', true, false);
  const B = toTensor(b, 'matMul: b', true, false);
  for (const [t, name] of [[A, 'a'], [B, 'b']] as const) {
    if (t.rank !== 2) {
      throw new ShapeError(`matMul: ${name} must be a matrix (rank 2); received shape [${t.shape.join(', ')}]`);
    }
    if (t.size === 0) {
      throw new ValueError(`matMul: ${name} must not be empty; received shape [${t.shape.join(', ')}]`);
    }
  }
  const [m, k] = transposeA ? [A.shape[1], A.shape[0]] : [A.shape[0], A.shape[1]];
  const [kb, n] = transposeB ? [B.shape[1], B.shape[0]] : [B.shape[0], B.shape[1]];
  if (k !== kb) {
    throw new ShapeError(
      `matMul: inner sizes differ: ${transposeA ? 'aᵀ' : 'a'} is [${m}, ${k}] and ${transposeB ? 'bᵀ' : 'b'} is ` +
        `[${kb}, ${n}]; the columns of the first must equal the rows of the second`,
    );
  }
  const be = backend();
  const product = be.scoped((alloc) => {
    const pa = alloc(A.size * 4);
    const pb = alloc(B.size * 4);
    writeFinite(be, pa, A, 'matMul: a');
    writeFinite(be, pb, B, 'matMul: b');
    const pc = alloc(m * n * 4);
    const lda = transposeA ? m : k;
    const ldb = transposeB ? k : n;
    gemm(be, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, 0, pc, n, alloc(gemmWorkspace(be)));
    return readF32(be, pc, m * n);
  });
  return new Tensor(product, [m, n]);
}
