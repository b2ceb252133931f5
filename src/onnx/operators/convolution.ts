// Conv and ConvTranspose (1-d and 2-d, groups, dilations, pads, auto_pad), MaxPool, AveragePool
// and the global pools, on the layers' channels-last kernels. ONNX images are N, C, H, W: the
// outputs stay channels-last (ChannelsLast values) so a chain of them never transposes.
import { FormatError, ShapeError } from '../../errors.js';
import type { ConvGeometry } from '../../ops/conv.js';
import { swapAxesF32 } from '../../ops/memory.js';
import { backend } from '../../runtime/backend.js';
import { convArrays, convTransposeArrays, meanPositionsArrays, poolArrays, type ConvPlan, type F32 } from '../kernels.js';
import { Resident } from '../run.js';
import { dimsText, floatInput, withBiasOf, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { ChannelsLast, transposeChannels, Value } from '../value.js';

/** An image batch as the kernels read it: channels-last f32, with its sizes (1-d images have height 1). */
interface Images {
  data: F32;
  batch: number;
  channels: number;
  height: number;
  width: number;
  oneD: boolean;
}

function imagesOf(node: NodeInfo, x: Value): Images {
  if (x.type !== 'float32') throw new FormatError(`${node.where}: X must be float32; it is ${x.type}`);
  if (x.dims.length !== 3 && x.dims.length !== 4) {
    throw new ShapeError(`${node.where}: wasmlearn runs 1-d and 2-d ${node.opType} (X of rank 3 or 4); X is ${dimsText(x.dims)}`);
  }
  const oneD = x.dims.length === 3;
  const [batch, channels, height, width] = oneD ? [x.dims[0], x.dims[1], 1, x.dims[2]] : x.dims;
  // Channels-last as held; one channel or one pixel is the same either way; otherwise transposed once.
  const data = x instanceof ChannelsLast || channels === 1 || height * width === 1 ? x.storage : transposeChannels(x.f32, batch, channels, height * width);
  return { data, batch, channels, height, width, oneD };
}

/** The output value of channels-last results: ChannelsLast for 2-d, N, C, L for 1-d. */
function imagesOut(y: F32, im: Images, channels: number, height: number, width: number): Value {
  if (!im.oneD) return new ChannelsLast([im.batch, channels, height, width], y);
  return Value.f32(channels === 1 ? y : transposeChannels(js(y), im.batch, width, channels), [im.batch, channels, width]);
}

/** The elements in JavaScript. */
const js = (f: F32): Float32Array => (f instanceof Resident ? f.read() : f);

interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
}

/** Output size and leading padding along one axis (ONNX's Conv / pooling formulas, auto_pad included). */
function axis(size: number, k: number, s: number, d: number, begin: number, end: number, autoPad: string, ceil: boolean): [number, number] {
  const span = (k - 1) * d + 1;
  if (autoPad === 'VALID') return [Math.floor((size - span) / s) + 1, 0];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const out = Math.ceil(size / s);
    const total = Math.max(0, (out - 1) * s + span - size);
    return [out, autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2)];
  }
  const exact = (size + begin + end - span) / s;
  let out = (ceil ? Math.ceil(exact) : Math.floor(exact)) + 1;
  // With ceil_mode, a last window that would start in the end padding is dropped (as onnxruntime does).
  if (ceil && (out - 1) * s >= size + begin) out--;
  return [out, begin];
}

/** The window of a node over images of height × width (kernel from the weights or the attribute). */
function windowOf(node: NodeInfo, im: Images, kernel: readonly number[], pooling: boolean): Window {
  const a = node.attrs;
  const spatial = im.oneD ? 1 : 2;
  const strides = a.ints('strides', new Array(spatial).fill(1));
  const dilations = a.ints('dilations', new Array(spatial).fill(1));
  const pads = a.ints('pads', new Array(spatial * 2).fill(0));
  const autoPad = a.oneOf('auto_pad', 'NOTSET', ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID']);
  const ceil = pooling && a.int('ceil_mode', 0) === 1;
  if (kernel.length !== spatial || strides.length !== spatial || dilations.length !== spatial || pads.length !== 2 * spatial) {
    throw new FormatError(`${node.where}: kernel, strides, dilations and pads must match ${spatial} spatial dimension(s)`);
  }
  if ([...kernel, ...strides, ...dilations].some((v) => !(v >= 1)) || pads.some((p) => p < 0)) {
    throw new FormatError(`${node.where}: kernel sizes, strides and dilations must be ≥ 1 and pads ≥ 0`);
  }
  const k: [number, number] = im.oneD ? [1, kernel[0]] : [kernel[0], kernel[1]];
  const s: [number, number] = im.oneD ? [1, strides[0]] : [strides[0], strides[1]];
  const d: [number, number] = im.oneD ? [1, dilations[0]] : [dilations[0], dilations[1]];
  const [oh, pt] = im.oneD ? [1, 0] : axis(im.height, k[0], s[0], d[0], pads[0], pads[2], autoPad, ceil);
  const [ow, pl] = im.oneD ? axis(im.width, k[1], s[1], d[1], pads[0], pads[1], autoPad, ceil) : axis(im.width, k[1], s[1], d[1], pads[1], pads[3], autoPad, ceil);
  if (oh < 1 || ow < 1) throw new ShapeError(`${node.where}: the window does not fit the input (${im.height}×${im.width}); the output would be empty`);
  return { kernel: k, strides: s, dilation: d, padTop: pt, padLeft: pl, outHeight: oh, outWidth: ow };
}

/**
 * windowOf, worked out once per kernel and image size: a run's fixed costs count at batch 1, and
 * the attributes it reads (strides, pads, auto_pad) do not change between runs.
 */
function windowFor(cache: Map<string, Window>, node: NodeInfo, im: Images, kernel: readonly number[], pooling: boolean): Window {
  const key = `${kernel.join(',')};${im.height},${im.width},${+im.oneD}`;
  let w = cache.get(key);
  if (!w) cache.set(key, (w = windowOf(node, im, kernel, pooling)));
  return w;
}

const geometry = (im: Images, w: Window): ConvGeometry => ({ height: im.height, width: im.width, channels: im.channels, ...w });

/** ONNX's weights W[filters, channels/groups, kh, kw] in the layout the kernels read. */
export function kernelLayout(w: Float32Array, filters: number, cg: number, kh: number, kw: number, depthwise: boolean): Float32Array {
  // Depthwise: [kh, kw, channels, multiplier] (output channel f = c·M + m reads input channel c);
  // otherwise [kh, kw, channels/groups, filters]: rows in im2col's (ky, kx, c) patch order, columns the filters.
  return swapAxesF32(backend(), w, 1, filters, depthwise ? 1 : cg, kh * kw, 1);
}

function conv(node: NodeInfo): NodeRun {
  const groups = node.attrs.int('group', 1);
  const plans = new Map<string, ConvPlan>();
  const windows = new Map<string, Window>();
  let laidOut: { w: Value; kernel: Float32Array } | undefined;
  const withBias = withBiasOf(node);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X'), w = floatInput(node, inputs, 1, 'W'), b = inputs[2];
    const im = imagesOf(node, x);
    if (w.dims.length !== x.dims.length) throw new ShapeError(`${node.where}: W ${dimsText(w.dims)} must have X's rank (${x.dims.length})`);
    const [filters, cg] = w.dims;
    const kernel = w.dims.slice(2);
    if (node.attrs.has('kernel_shape') && node.attrs.ints('kernel_shape', []).some((v, i) => v !== kernel[i])) {
      throw new FormatError(`${node.where}: kernel_shape [${node.attrs.ints('kernel_shape', [])}] differs from W's ${dimsText(kernel)}`);
    }
    if (groups < 1 || im.channels !== cg * groups || filters % groups !== 0) {
      throw new ShapeError(`${node.where}: X has ${im.channels} channels; W ${dimsText(w.dims)} with group ${groups} needs ${cg * groups} and filters divisible by the groups`);
    }
    const win = windowFor(windows, node, im, kernel, false);
    const depthwise = groups > 1 && groups === im.channels && cg === 1;
    const [kh, kw] = win.kernel;
    // A 1 × 1 kernel's patch is its channels: W [filters, channels] is the GEMM's B transposed as it
    // is, and the packing transposes it (no layout pass in JavaScript over most of MobileNetV2's weights).
    const transposed = !depthwise && kh * kw === 1;
    if (!laidOut || laidOut.w !== w) laidOut = { w, kernel: transposed ? w.f32 : kernelLayout(w.f32, filters, cg, kh, kw, depthwise) };
    const key = `${im.height},${im.width}`;
    let plan = plans.get(key);
    if (!plan || plan.kernel !== laidOut.kernel) {
      plan = { geometry: geometry(im, win), filters, groups, kernel: laidOut.kernel, depthwise, transposed };
      plans.set(key, plan);
    }
    if (b && (b.type !== 'float32' || b.size !== filters)) throw new ShapeError(`${node.where}: B must hold ${filters} float32 values; it is ${b.type} ${dimsText(b.dims)}`);
    const epilogue = b ? withBias(b) : node.epilogue;
    const y = convArrays(node.weights, im.data, im.batch, plan, epilogue);
    return [imagesOut(y, im, filters, win.outHeight, win.outWidth)];
  };
}

function convTranspose(node: NodeInfo): NodeRun {
  const groups = node.attrs.int('group', 1);
  let laidOut: { w: Value; kernel: Float32Array } | undefined;
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X'), w = floatInput(node, inputs, 1, 'W'), b = inputs[2];
    const im = imagesOf(node, x);
    if (groups !== 1) throw new FormatError(`${node.where}: wasmlearn runs ConvTranspose with group 1; this node has group ${groups}`);
    if (w.dims.length !== x.dims.length || w.dims[0] !== im.channels) {
      throw new ShapeError(`${node.where}: W ${dimsText(w.dims)} must be [${im.channels}, filters, kernel…] for X ${dimsText(x.dims)}`);
    }
    const filters = w.dims[1];
    const spatial = im.oneD ? 1 : 2;
    const kernel = w.dims.slice(2);
    const a = node.attrs;
    const strides = a.ints('strides', new Array(spatial).fill(1));
    const dilations = a.ints('dilations', new Array(spatial).fill(1));
    const outputPadding = a.ints('output_padding', new Array(spatial).fill(0));
    let pads = a.ints('pads', new Array(spatial * 2).fill(0));
    const autoPad = a.oneOf('auto_pad', 'NOTSET', ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID']);
    const sizes = im.oneD ? [im.width] : [im.height, im.width];
    const full = sizes.map((n, i) => strides[i] * (n - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1);
    let out = full.map((f, i) => f - pads[i] - pads[i + spatial]);
    const shape = a.ints('output_shape');
    if (shape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      // The output size is given (or n·stride for SAME): the padding is what is left over.
      out = shape ? shape.slice(-spatial) : sizes.map((n, i) => n * strides[i]);
      const total = full.map((f, i) => Math.max(0, f - out[i]));
      pads = [...total.map((t) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2))), ...total.map((t) => t - (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)))];
    }
    const [kh, kw] = im.oneD ? [1, kernel[0]] : kernel;
    if (!laidOut || laidOut.w !== w) {
      // [kh, kw, filters, channels]: row (ky, kx, f) of the patch matrix x·Kᵀ.
      const k = new Float32Array(w.size);
      const src = w.f32;
      for (let c = 0; c < im.channels; c++) for (let f = 0; f < filters; f++) for (let t = 0; t < kh * kw; t++) k[(t * filters + f) * im.channels + c] = src[(c * filters + f) * kh * kw + t];
      laidOut = { w, kernel: k };
    }
    const [oh, ow] = im.oneD ? [1, out[0]] : out;
    const reverse: ConvGeometry = {
      height: oh, width: ow, channels: filters, kernel: [kh, kw],
      strides: im.oneD ? [1, strides[0]] : [strides[0], strides[1]],
      dilation: im.oneD ? [1, dilations[0]] : [dilations[0], dilations[1]],
      padTop: im.oneD ? 0 : pads[0], padLeft: im.oneD ? pads[0] : pads[1], outHeight: im.height, outWidth: im.width,
    };
    const y = convTransposeArrays(node.weights, im.data, im.batch, im.channels, filters, laidOut.kernel, reverse, b ? { bias: b.f32 } : undefined);
    return [imagesOut(y, im, filters, oh, ow)];
  };
}

const pool = (kind: 'max' | 'average') => (node: NodeInfo): NodeRun => {
  const kernel = node.attrs.required(node.attrs.ints('kernel_shape'), 'kernel_shape');
  const includePad = node.attrs.int('count_include_pad', 0) === 1;
  const dilated = node.attrs.ints('dilations', []).some((d) => d !== 1);
  if (node.outputCount > 1 && kind === 'max') throw new FormatError(`${node.where}: wasmlearn does not return MaxPool's Indices output`);
  if (node.attrs.int('storage_order', 0) !== 0) throw new FormatError(`${node.where}: storage_order 1 is not supported`);
  const windows = new Map<string, Window>();
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X');
    const im = imagesOf(node, x);
    const win = windowFor(windows, node, im, kernel, true);
    if (dilated || (includePad && kind === 'average')) return [imagesOut(plainPool(kind, im, win, includePad), im, im.channels, win.outHeight, win.outWidth)];
    const y = poolArrays(kind, im.data, im.batch, geometry(im, win));
    return [imagesOut(y, im, im.channels, win.outHeight, win.outWidth)];
  };
};

/** Pooling the kernels do not cover (dilated windows; averages counting the padding), in loops. */
function plainPool(kind: 'max' | 'average', im: Images, w: Window, includePad: boolean): Float32Array {
  const { channels: c, height, width } = im;
  const data = js(im.data);
  const y = new Float32Array(im.batch * w.outHeight * w.outWidth * c);
  for (let b = 0; b < im.batch; b++) for (let oy = 0; oy < w.outHeight; oy++) for (let ox = 0; ox < w.outWidth; ox++) for (let ch = 0; ch < c; ch++) {
    let acc = kind === 'max' ? -Infinity : 0, count = 0;
    for (let ky = 0; ky < w.kernel[0]; ky++) for (let kx = 0; kx < w.kernel[1]; kx++) {
      const iy = oy * w.strides[0] - w.padTop + ky * w.dilation[0], ix = ox * w.strides[1] - w.padLeft + kx * w.dilation[1];
      const inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
      // count_include_pad counts the positions inside the padded image (pads, not beyond).
      if (!inside) {
        if (includePad && iy < height + w.padTop && ix < width + w.padLeft) count++;
        continue;
      }
      const v = data[((b * height + iy) * width + ix) * c + ch];
      acc = kind === 'max' ? Math.max(acc, v) : acc + v;
      count++;
    }
    y[((b * w.outHeight + oy) * w.outWidth + ox) * c + ch] = kind === 'max' ? acc : acc / count;
  }
  return y;
}

const globalPool = (kind: 'max' | 'average') => (node: NodeInfo): NodeRun => (inputs) => {
  const x = floatInput(node, inputs, 0, 'X');
  if (x.dims.length < 3) throw new ShapeError(`${node.where}: X must be [N, C, spatial…]; it is ${dimsText(x.dims)}`);
  const [n, c] = x.dims;
  const positions = x.size / (n * c);
  const outDims = [n, c, ...x.dims.slice(2).map(() => 1)];
  if (x instanceof ChannelsLast && kind === 'average') return [Value.f32(meanPositionsArrays(x.storage, n, positions, c), outDims)];
  const data = x.f32;
  const y = new Float32Array(n * c);
  for (let i = 0; i < n * c; i++) {
    let acc = kind === 'max' ? -Infinity : 0;
    const base = i * positions;
    for (let p = 0; p < positions; p++) acc = kind === 'max' ? Math.max(acc, data[base + p]) : acc + data[base + p];
    y[i] = kind === 'max' ? acc : acc / positions;
  }
  return [Value.f32(y, outDims)];
};

export const CONVOLUTION: OperatorTable = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool('max'),
  AveragePool: pool('average'),
  GlobalAveragePool: globalPool('average'),
  GlobalMaxPool: globalPool('max'),
};
