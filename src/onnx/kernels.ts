// The ONNX operators' way onto the layers' kernels: GEMM, im2col convolution, depthwise
// convolution, col2im (transposed convolution) and pooling, on channels-last images. Arrays go in
// and come out as JavaScript arrays; a model's constant weights stay in memory (WeightStore), the
// rest is freed when each call returns.
import { IDENTITY, type Normalizing } from '../ops/batch-norm.js';
import { col2im, im2col, type ConvGeometry } from '../ops/conv.js';
import { depthwiseForward } from '../ops/depthwise.js';
import { gemm, gemmWorkspace } from '../ops/gemm.js';
import { putF32, readF32, zeroBytes } from '../ops/memory.js';
import { avgPool, maxPool, meanPositions } from '../ops/pooling.js';
import type { RectifierParameters } from '../ops/rectifiers.js';
import { backend, type Backend } from '../runtime/backend.js';
import type { WeightStore } from './weights.js';

/** What a kernel applies to its output as it writes it: a bias per output column and a ReLU-family rectifier. */
export interface Epilogue {
  bias?: Float32Array;
  rectifier?: RectifierParameters;
}

type Alloc = (bytes: number) => number;

/** A constant goes through the model's store (uploaded once), anything else into this call's memory. */
function place(be: Backend, alloc: Alloc, store: WeightStore, values: Float32Array, constant: boolean): number {
  return constant ? store.ptr(values) : putF32(be, alloc, values);
}

const ones = new Map<number, Float32Array>();
const zeros = new Map<number, Float32Array>();
function filled(cache: Map<number, Float32Array>, n: number, v: number): Float32Array {
  let a = cache.get(n);
  if (!a) cache.set(n, (a = new Float32Array(n).fill(v)));
  return a;
}

function normalizing(store: WeightStore, e: Epilogue | undefined, n: number): Normalizing | undefined {
  if (!e || (!e.bias && !e.rectifier)) return undefined;
  return {
    bias: e.bias ? store.ptr(e.bias) : 0,
    scale: store.ptr(filled(ones, n, 1)),
    shift: store.ptr(filled(zeros, n, 0)),
    rectifier: e.rectifier ?? IDENTITY,
  };
}

export interface GemmOperands {
  m: number;
  n: number;
  k: number;
  a: Float32Array;
  b: Float32Array;
  transA: boolean;
  transB: boolean;
  /** Whether b is a model constant (kept in memory between runs). */
  bConstant: boolean;
}

/** op(A)·op(B) [m×n], then the epilogue per column. */
export function gemmArrays(store: WeightStore, o: GemmOperands, epilogue?: Epilogue): Float32Array {
  const be = backend();
  return be.scoped((alloc) => {
    const pa = putF32(be, alloc, o.a);
    const pb = place(be, alloc, store, o.b, o.bConstant);
    const pc = alloc(Math.max(1, o.m * o.n) * 4);
    gemm(be, o.transA, o.transB, o.m, o.n, o.k, pa, o.transA ? o.m : o.k, pb, o.transB ? o.k : o.n, 0, pc, o.n, alloc(gemmWorkspace(be)),
      normalizing(store, epilogue, o.n));
    return readF32(be, pc, o.m * o.n);
  });
}

/** A convolution of channels-last images: geometry of one image (all channels) and its filters. */
export interface ConvPlan {
  geometry: ConvGeometry;
  filters: number;
  groups: number;
  /** [kh, kw, channels/groups, filters] for im2col + GEMM; [kh, kw, channels, multiplier] when depthwise. */
  kernel: Float32Array;
  depthwise: boolean;
}

/** y [batch, outH, outW, filters] of x [batch, H, W, C]. */
export function convArrays(store: WeightStore, x: Float32Array, batch: number, plan: ConvPlan, epilogue?: Epilogue): Float32Array {
  const be = backend();
  const g = plan.geometry;
  const rows = batch * g.outHeight * g.outWidth;
  return be.scoped((alloc) => {
    const px = putF32(be, alloc, x);
    const py = alloc(Math.max(1, rows * plan.filters) * 4);
    const kernel = store.ptr(plan.kernel);
    const norm = normalizing(store, epilogue, plan.filters);
    if (plan.depthwise) {
      depthwiseForward(be, px, kernel, py, batch, g, plan.filters / g.channels, norm ?? { bias: 0, scale: 0, shift: 0, rectifier: IDENTITY });
      return readF32(be, py, rows * plan.filters);
    }
    const cg = g.channels / plan.groups, fg = plan.filters / plan.groups;
    const patch = g.kernel[0] * g.kernel[1] * cg;
    const pointwise = g.kernel[0] === 1 && g.kernel[1] === 1 && g.strides[0] === 1 && g.strides[1] === 1 && g.padTop === 0 && g.padLeft === 0
      && g.outHeight === g.height && g.outWidth === g.width;
    const col = pointwise ? 0 : alloc(Math.max(1, rows * patch) * 4);
    const work = alloc(gemmWorkspace(be));
    for (let group = 0; group < plan.groups; group++) {
      const off = group * fg * 4;
      const groupNorm = norm && { ...norm, bias: norm.bias && norm.bias + off, scale: norm.scale + off, shift: norm.shift + off };
      if (pointwise) {
        gemm(be, false, false, rows, fg, patch, px + group * cg * 4, g.channels, kernel + off, plan.filters, 0, py + off, plan.filters, work, groupNorm);
      } else {
        im2col(be, px, col, batch, { ...g, channelStart: group * cg, channelCount: cg });
        gemm(be, false, false, rows, fg, patch, col, patch, kernel + off, plan.filters, 0, py + off, plan.filters, work, groupNorm);
      }
    }
    return readF32(be, py, rows * plan.filters);
  });
}

/**
 * A transposed convolution: the patch matrix x·Kᵀ [batch·H·W, kh·kw·filters] summed into the
 * output image by col2im, whose geometry is the convolution that maps the output back onto x.
 */
export function convTransposeArrays(store: WeightStore, x: Float32Array, batch: number, channels: number, filters: number,
  kernel: Float32Array, reverse: ConvGeometry, epilogue?: Epilogue): Float32Array {
  const be = backend();
  const rowsIn = batch * reverse.outHeight * reverse.outWidth;
  const spread = reverse.kernel[0] * reverse.kernel[1] * filters;
  const outSize = batch * reverse.height * reverse.width * filters;
  return be.scoped((alloc) => {
    const px = putF32(be, alloc, x);
    const col = alloc(Math.max(1, rowsIn * spread) * 4);
    const py = alloc(Math.max(1, outSize) * 4);
    zeroBytes(be, py, outSize * 4);
    gemm(be, false, true, rowsIn, spread, channels, px, channels, store.ptr(kernel), channels, 0, col, spread, alloc(gemmWorkspace(be)));
    col2im(be, col, py, batch, reverse);
    const y = readF32(be, py, outSize);
    if (epilogue?.bias) {
      const b = epilogue.bias;
      for (let i = 0; i < y.length; i++) y[i] += b[i % filters];
    }
    return y;
  });
}

/** Max or average pooling of channels-last images (padding positions skipped, as ONNX's default). */
export function poolArrays(kind: 'max' | 'average', x: Float32Array, batch: number, g: ConvGeometry): Float32Array {
  const be = backend();
  const outSize = batch * g.outHeight * g.outWidth * g.channels;
  return be.scoped((alloc) => {
    const px = putF32(be, alloc, x);
    const py = alloc(Math.max(1, outSize) * 4);
    if (kind === 'max') maxPool(be, px, py, alloc(Math.max(1, outSize) * 4), batch, g);
    else avgPool(be, px, py, batch, g);
    return readF32(be, py, outSize);
  });
}

/** The mean of each channel over every position of each channels-last image: [batch, channels]. */
export function meanPositionsArrays(x: Float32Array, batch: number, positions: number, channels: number): Float32Array {
  const be = backend();
  return be.scoped((alloc) => {
    const px = putF32(be, alloc, x);
    const py = alloc(Math.max(1, batch * channels) * 4);
    meanPositions(be, px, py, batch, positions, channels);
    return readF32(be, py, batch * channels);
  });
}
