import { ShapeError, ValueError } from '../errors.js';
import { checkBoolean, checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';

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
 * changed. Runs on the WebAssembly SIMD GEMM, split across threads by rows of the result, so
 * the result is bit-for-bit the same for any thread count.
 *
 * @example
 * matMul([[1, 2], [3, 4]], [[5], [6]]).toArray(); // [[17], [39]]
 */
export function matMul(a: TensorLike, b: TensorLike, options?: MatMulOptions): Tensor {
  const o = checkOptions<MatMulOptions>(options, ['transposeA', 'transposeB'], 'matMul');
  const transposeA = checkBoolean(o.transposeA, 'transposeA', 'matMul', false);
  const transposeB = checkBoolean(o.transposeB, 'transposeB', 'matMul', false);
  const A = toTensor(a, 'matMul: a', true);
  const B = toTensor(b, 'matMul: b', true);
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
  return new Tensor(gemm(A.data, B.data, m, n, k, transposeA, transposeB), [m, n]);
}

/** C = op(A)·op(B) on the backend, for already-validated row-major data. */
export function gemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): Float32Array {
  const be = backend();
  return be.scoped((alloc) => {
    const pa = alloc(a.length * 4);
    const pb = alloc(b.length * 4);
    const pc = alloc(m * n * 4);
    const work = alloc(be.exports.gemmWorkspaceBytes() * Math.max(1, be.threadsRequested));
    be.write(pa, a);
    be.write(pb, b);
    const lda = transposeA ? m : k;
    const ldb = transposeB ? k : n;
    be.launch('gemm', [+transposeA, +transposeB, m, n, k, 1, pa, lda, pb, ldb, 0, pc, n, work], m, be.exports.gemmRowBlock(), m * n * k);
    return be.read(pc, m * n);
  });
}
