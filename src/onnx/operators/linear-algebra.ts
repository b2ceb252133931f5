// MatMul (numpy's matmul: batched, broadcast, 1-d operands promoted) and Gemm
// (Y = α·op(A)·op(B) + β·C), on the layers' GEMM for float32; other types in plain loops.
import { FormatError, ShapeError } from '../../errors.js';
import { broadcastDims, broadcastIndex } from '../broadcast.js';
import { gemmArrays } from '../kernels.js';
import { dimsText, input, withBiasOf, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import type { Image } from '../../ops/gemm.js';
import { allocate, FlatChannelsLast, sizeOf, Value, type Numbers } from '../value.js';

/**
 * The image whose H, W, C order B's rows are read in, for an A held channels-last per row and a
 * constant B [C·H·W, n] (or [n, C·H·W] with transB) stored for C, H, W order: the packing reads the
 * rows in that order (ops/gemm.ts packGemmB). Undefined when A is in C, H, W order.
 */
function rowOrderFor(A: Value, B: Value, constant: Value | undefined): Image | undefined {
  return A instanceof FlatChannelsLast && B === constant && B.type === 'float32' && B.dims.length === 2 ? A.image : undefined;
}

/** A as the GEMM reads it: as held, unless it is held channels-last and B's rows are not read in its order. */
const operandA = (A: Value, order: Image | undefined) => (A instanceof FlatChannelsLast && !order ? (A.data as Float32Array) : A.storage);

import { binaryValue } from './elementwise.js';

/** A[m×k]·B[k×n] in f64 loops (float64 and integer types). */
function plainProduct(a: Numbers, b: Numbers, m: number, k: number, n: number, out: Numbers, ao = 0, bo = 0, oo = 0): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * k + p] * b[bo + p * n + j];
      out[oo + i * n + j] = s;
    }
  }
}

function matMul(node: NodeInfo): NodeRun {
  const constantB = node.constants[1];
  return (inputs) => {
    const A = input(node, inputs, 0, 'A'), B = input(node, inputs, 1, 'B');
    if (A.type !== B.type) throw new FormatError(`${node.where}: A and B must have one type; they are ${A.type} and ${B.type}`);
    const ad = A.dims.length === 1 ? [1, A.dims[0]] : [...A.dims];
    const bd = B.dims.length === 1 ? [B.dims[0], 1] : [...B.dims];
    if (ad.length < 2 || bd.length < 2) throw new ShapeError(`${node.where}: A and B must not be scalars`);
    const [m, k] = ad.slice(-2), [kb, n] = bd.slice(-2);
    if (k !== kb) throw new ShapeError(`${node.where}: A ${dimsText(A.dims)} and B ${dimsText(B.dims)} do not multiply (${k} ≠ ${kb})`);
    const batchDims = broadcastDims(node.where, ad.slice(0, -2), bd.slice(0, -2));
    let outDims = [...batchDims, m, n];
    if (A.dims.length === 1) outDims.splice(outDims.length - 2, 1);
    if (B.dims.length === 1) outDims = outDims.slice(0, -1);
    const float = A.type === 'float32';
    if (bd.length === 2 && float) {
      // One GEMM: every leading dimension of A folds into the rows.
      const rows = sizeOf(ad.slice(0, -1));
      const order = rowOrderFor(A, B, constantB);
      const data = gemmArrays(node.weights, { m: rows, n, k, a: operandA(A, order), b: B.storage, bOrder: order, transA: false, transB: false, bConstant: B === constantB }, node.epilogue);
      return [Value.f32(data, outDims)];
    }
    const count = sizeOf(batchDims);
    const ia = broadcastIndex(ad.slice(0, -2), batchDims), ib = broadcastIndex(bd.slice(0, -2), batchDims);
    const out = allocate(A.type, count * m * n) as Numbers;
    for (let t = 0; t < count; t++) {
      const at = (ia ? ia[t] : t) * m * k, bt = (ib ? ib[t] : t) * k * n;
      if (float) {
        const y = gemmArrays(node.weights, { m, n, k, a: A.storage, b: B.storage, transA: false, transB: false, bConstant: false }, undefined, at, bt);
        out.set(y.read(), t * m * n);
        y.run.release(y);
      } else {
        plainProduct(A.data as Numbers, B.data as Numbers, m, k, n, out, at, bt, t * m * n);
      }
    }
    let result = new Value(A.type, outDims, out);
    if (node.epilogue?.bias) result = binaryValue(node.where, result, Value.f32(node.epilogue.bias, [n]), (p, q) => p + q, 'float32');
    return [result];
  };
}

function gemmOperator(node: NodeInfo): NodeRun {
  const alpha = node.attrs.float('alpha', 1), beta = node.attrs.float('beta', 1);
  const transA = node.attrs.int('transA', 0) === 1, transB = node.attrs.int('transB', 0) === 1;
  const constantB = node.constants[1];
  const withBias = withBiasOf(node);
  return (inputs) => {
    const A = input(node, inputs, 0, 'A'), B = input(node, inputs, 1, 'B'), C = inputs[2];
    if (A.dims.length !== 2 || B.dims.length !== 2) throw new ShapeError(`${node.where}: A and B must be matrices; they are ${dimsText(A.dims)} and ${dimsText(B.dims)}`);
    const [m, k] = transA ? [A.dims[1], A.dims[0]] : A.dims;
    const [kb, n] = transB ? [B.dims[1], B.dims[0]] : B.dims;
    if (k !== kb) throw new ShapeError(`${node.where}: op(A) is [${m}, ${k}] and op(B) [${kb}, ${n}]: they do not multiply`);
    // C as a row of n (or a scalar broadcast to one) is a bias the GEMM adds as it writes.
    const row = C && alpha === 1 && beta === 1 && C.type === 'float32' && sizeOf(C.dims) === n && C.dims[C.dims.length - 1] === n && (C.dims.length < 2 || C.dims[0] === 1);
    if (A.type === 'float32' && B.type === 'float32') {
      const epilogue = row ? withBias(C) : C ? undefined : node.epilogue;
      const order = transA ? undefined : rowOrderFor(A, B, constantB);
      let y = Value.f32(gemmArrays(node.weights, { m, n, k, a: operandA(A, order), b: B.storage, bOrder: order, transA, transB, bConstant: B === constantB }, epilogue), [m, n]);
      if (alpha !== 1) y = binaryValue(node.where, y, Value.scalar('float32', alpha), (p, q) => p * q, 'float32');
      if (C && !row && beta !== 0) y = binaryValue(node.where, y, C, (p, q) => p + beta * q, 'float32');
      return [y];
    }
    const a = A.data as Numbers, b = B.data as Numbers;
    const out = allocate(A.type, m * n) as Numbers;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
      out[i * n + j] = alpha * s;
    }
    let y = new Value(A.type, [m, n], out);
    if (C && beta !== 0) y = binaryValue(node.where, y, C, (p, q) => p + beta * q, A.type);
    return [y];
  };
}

export const LINEAR_ALGEBRA: OperatorTable = {
  MatMul: matMul,
  Gemm: gemmOperator,
};
