// The ONNX operators' way onto the layers' kernels: GEMM, im2col convolution, depthwise
// convolution, col2im (transposed convolution) and pooling, on channels-last images. Inputs are
// read where they are (a run's memory, or copied in once per run); outputs stay in the run's
// memory (run.ts) until the graph is done with them; a model's constant weights stay in memory
// with the model (WeightStore); scratch (patch matrices, GEMM workspace) is freed as each call returns.
import { Activation, biasActivation } from '../ops/activation.js';
import { IDENTITY, type Normalizing } from '../ops/batch-norm.js';
import { col2im, im2col, type ConvGeometry } from '../ops/conv.js';
import { depthwiseForward } from '../ops/depthwise.js';
import { gemm, gemmPacked, imageRowOrder, type Image } from '../ops/gemm.js';
import { copyBytes, putI32, zeroBytes } from '../ops/memory.js';
import { addInto } from '../ops/merge.js';
import { avgPool, maxPool, meanPositions } from '../ops/pooling.js';
import type { RectifierParameters } from '../ops/rectifiers.js';
import type { Backend } from '../runtime/backend.js';
import { Resident, Run } from './run.js';
import type { WeightStore } from './weights.js';

/** float32 elements wherever they are. */
export type F32 = Float32Array | Resident;

/** The run in progress, or a run of its own for a kernel called outside one (constant folding runs inside one too). */
function runOf(): Run {
  const run = Run.current;
  if (!run) throw new Error('internal: an ONNX kernel ran outside a graph run');
  return run;
}

/**
 * What a kernel applies to its output: a bias per output column and a ReLU-family rectifier as it
 * writes it, or a bias and one of the layers' activations (sigmoid, tanh, softmax by row, …) in a
 * pass over it while it is still in memory.
 */
export interface Epilogue {
  bias?: Float32Array;
  /** A BatchNormalization at inference after the bias, per output column: (y + bias)·scale + shift (graph.ts folds it here). */
  scale?: Float32Array;
  shift?: Float32Array;
  rectifier?: RectifierParameters;
  activation?: Activation;
}

/** The bias and activation pass of an epilogue with an activation, on rows × cols values at y. */
function activate(be: Backend, store: WeightStore, e: Epilogue | undefined, y: number, rows: number, cols: number): void {
  if (e?.activation === undefined) return;
  biasActivation(be, y, e.bias ? store.ptr(e.bias) : 0, rows, cols, e.activation);
}

/** An epilogue that applies nothing (null pointers: no bias, scale or shift). */
const NO_POINTER = 0;
const NOTHING: Normalizing = { bias: NO_POINTER, scale: NO_POINTER, shift: NO_POINTER, rectifier: IDENTITY };

const ones = new Map<number, Float32Array>();
const zeros = new Map<number, Float32Array>();
function filled(cache: Map<number, Float32Array>, n: number, v: number): Float32Array {
  let a = cache.get(n);
  if (!a) cache.set(n, (a = new Float32Array(n).fill(v)));
  return a;
}

/**
 * The epilogue as the kernels' Normalizing, or undefined when there is none or its activation
 * needs a pass of its own. `gemm`: the GEMM kernels apply an element-wise activation themselves,
 * to each block of the output as they finish it (softmax, over whole rows, stays a pass).
 */
function normalizing(store: WeightStore, e: Epilogue | undefined, n: number, gemm = false): Normalizing | undefined {
  if (!e) return undefined;
  const folded = gemm && e.activation !== undefined && e.activation !== Activation.Softmax;
  if (e.activation !== undefined ? !folded : !e.bias && !e.rectifier && !e.scale) return undefined;
  return {
    bias: e.bias ? store.ptr(e.bias) : 0,
    scale: store.ptr(e.scale ?? filled(ones, n, 1)),
    shift: store.ptr(e.shift ?? filled(zeros, n, 0)),
    rectifier: e.rectifier ?? IDENTITY,
    ...(folded ? { activation: e.activation } : {}),
  };
}

export interface GemmOperands {
  m: number;
  n: number;
  k: number;
  a: F32;
  b: F32;
  transA: boolean;
  transB: boolean;
  /** Whether b is a model constant (kept in memory between runs). */
  bConstant: boolean;
  /** A constant b's rows of op(B), stored in C, H, W order, read in this image's H, W, C order. */
  bOrder?: Image;
}

/** op(A)·op(B) [m×n], then the epilogue per column; aOffset / bOffset: first elements (a batch's item). */
export function gemmArrays(store: WeightStore, o: GemmOperands, epilogue?: Epilogue, aOffset = 0, bOffset = 0): Resident {
  const run = runOf(), be = run.be;
  const pa = run.pointer(o.a) + aOffset * 4;
  const out = run.output(o.m * o.n);
  const lda = o.transA ? o.m : o.k, ldb = o.transB ? o.k : o.n, norm = normalizing(store, epilogue, o.n, true);
  const inFile = o.bConstant && o.b instanceof Float32Array ? store.unpackedOnce(o.b, bOffset) : undefined;
  if (inFile !== undefined) {
    // Weights read in image order (bOrder) are gathered row by row as the GEMM packs them: the same
    // bits as the reordered packed copy the next run reads.
    be.scoped((alloc) => gemm(be, o.transA, o.transB, o.m, o.n, o.k, pa, lda, inFile, ldb, 0, out.ptr, o.n, run.gemmWorkspace(), norm,
      o.bOrder && putI32(be, alloc, imageRowOrder(o.bOrder, o.k))));
  } else if (o.bConstant && o.b instanceof Float32Array) {
    // Constant weights are packed once, as the GEMM would pack them on every call.
    gemmPacked(be, o.transA, o.m, o.n, o.k, pa, lda, store.packedB(o.b, o.transB, o.k, o.n, ldb, bOffset, o.bOrder), out.ptr, o.n, run.gemmWorkspace(), norm);
  } else {
    gemm(be, o.transA, o.transB, o.m, o.n, o.k, pa, lda, run.pointer(o.b) + bOffset * 4, ldb, 0, out.ptr, o.n, run.gemmWorkspace(), norm);
  }
  if (norm?.activation === undefined) activate(be, store, epilogue, out.ptr, o.m, o.n);
  return out;
}

/** A convolution of channels-last images: geometry of one image (all channels) and its filters. */
export interface ConvPlan {
  geometry: ConvGeometry;
  filters: number;
  groups: number;
  /** [kh, kw, channels/groups, filters] for im2col + GEMM; [kh, kw, channels, multiplier] when depthwise; [filters, channels/groups] when transposed. */
  kernel: Float32Array;
  depthwise: boolean;
  /** Whether kernel is in ONNX's [filters, patch] order (1 × 1 kernels, whose patch is the channels). */
  transposed?: boolean;
  /** Each group's geometry for im2col (its channels), made at the first run of the plan. */
  groupGeometry?: ConvGeometry[];
}

/** y [batch, outH, outW, filters] of x [batch, H, W, C]. */
export function convArrays(store: WeightStore, x: F32, batch: number, plan: ConvPlan, epilogue?: Epilogue): Resident {
  const run = runOf(), be = run.be;
  const g = plan.geometry;
  const rows = batch * g.outHeight * g.outWidth;
  const px = run.pointer(x);
  const out = run.output(rows * plan.filters);
  const py = out.ptr;
  be.scoped((alloc) => {
    // Through the GEMM (not the depthwise kernel) an element-wise activation is applied as each block is finished.
    const norm = normalizing(store, epilogue, plan.filters, !plan.depthwise);
    if (plan.depthwise) {
      depthwiseForward(be, px, store.ptr(plan.kernel), py, batch, g, plan.filters / g.channels, norm ?? NOTHING);
      activate(be, store, epilogue, py, rows, plan.filters);
      return;
    }
    const cg = g.channels / plan.groups, fg = plan.filters / plan.groups;
    const patch = g.kernel[0] * g.kernel[1] * cg;
    const pointwise = g.kernel[0] === 1 && g.kernel[1] === 1 && g.strides[0] === 1 && g.strides[1] === 1 && g.padTop === 0 && g.padLeft === 0
      && g.outHeight === g.height && g.outWidth === g.width;
    const col = pointwise ? 0 : alloc(Math.max(1, rows * patch) * 4);
    const work = run.gemmWorkspace();
    for (let group = 0; group < plan.groups; group++) {
      const off = group * fg * 4;
      const groupNorm = norm && { ...norm, bias: norm.bias && norm.bias + off, scale: norm.scale + off, shift: norm.shift + off };
      const packed = plan.transposed
        ? store.packedB(plan.kernel, true, patch, fg, patch, group * fg * patch)
        : store.packedB(plan.kernel, false, patch, fg, plan.filters, group * fg);
      if (pointwise) {
        gemmPacked(be, false, rows, fg, patch, px + group * cg * 4, g.channels, packed, py + off, plan.filters, work, groupNorm);
      } else {
        // Made once per plan: a copy per call cost more than the patch copy of a small layer.
        plan.groupGeometry ??= Array.from({ length: plan.groups }, (_, i) => ({ ...g, channelStart: i * cg, channelCount: cg }));
        im2col(be, px, col, batch, plan.groupGeometry[group]);
        gemmPacked(be, false, rows, fg, patch, col, patch, packed, py + off, plan.filters, work, groupNorm);
      }
    }
    if (norm?.activation === undefined) activate(be, store, epilogue, py, rows, plan.filters);
  });
  return out;
}

/**
 * A transposed convolution: the patch matrix x·Kᵀ [batch·H·W, kh·kw·filters] summed into the
 * output image by col2im, whose geometry is the convolution that maps the output back onto x.
 */
export function convTransposeArrays(store: WeightStore, x: F32, batch: number, channels: number, filters: number,
  kernel: Float32Array, reverse: ConvGeometry, epilogue?: Epilogue): Resident {
  const run = runOf(), be = run.be;
  const rowsIn = batch * reverse.outHeight * reverse.outWidth;
  const spread = reverse.kernel[0] * reverse.kernel[1] * filters;
  const outSize = batch * reverse.height * reverse.width * filters;
  const px = run.pointer(x);
  const out = run.output(outSize);
  be.scoped((alloc) => {
    const col = alloc(Math.max(1, rowsIn * spread) * 4);
    zeroBytes(be, out.ptr, outSize * 4);
    gemmPacked(be, false, rowsIn, spread, channels, px, channels, store.packedB(kernel, true, channels, spread, channels), col, spread, run.gemmWorkspace());
    col2im(be, col, out.ptr, batch, reverse);
  });
  // The bias per filter: the rows of a channels-last image are filters wide.
  if (epilogue?.bias) biasActivation(be, out.ptr, store.ptr(epilogue.bias), outSize / filters, filters, Activation.Linear);
  return out;
}

/** Max or average pooling of channels-last images (padding positions skipped, as ONNX's default). */
export function poolArrays(kind: 'max' | 'average', x: F32, batch: number, g: ConvGeometry): Resident {
  const run = runOf(), be = run.be;
  const outSize = batch * g.outHeight * g.outWidth * g.channels;
  const px = run.pointer(x);
  const out = run.output(outSize);
  // Inference: no argmax kept.
  if (kind === 'max') maxPool(be, px, out.ptr, 0, batch, g);
  else avgPool(be, px, out.ptr, batch, g);
  return out;
}

/** The mean of each channel over every position of each channels-last image: [batch, channels]. */
export function meanPositionsArrays(x: F32, batch: number, positions: number, channels: number): Resident {
  const run = runOf();
  const out = run.output(batch * channels);
  meanPositions(run.be, run.pointer(x), out.ptr, batch, positions, channels);
  return out;
}

/** a + b elementwise, same length (residual connections). */
export function addArrays(a: F32, b: F32, n: number): Resident {
  const run = runOf(), be = run.be;
  const out = run.output(n);
  copyBytes(be, run.pointer(a), out.ptr, n * 4);
  addInto(be, out.ptr, run.pointer(b), n);
  return out;
}
