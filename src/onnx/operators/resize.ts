// Resize (opsets 10–19; and the older Upsample): nearest and (multi)linear interpolation with
// ONNX's coordinate transformation modes. Separable: one pass per resized axis, in f64.
import { FormatError, ShapeError } from '../../errors.js';
import { dimsText, floatInput, input, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, sizeOf, Value, type Numbers } from '../value.js';

type Transform = (out: number, scale: number, inSize: number, outSize: number) => number;

const TRANSFORMS: Record<string, Transform> = {
  half_pixel: (o, s) => (o + 0.5) / s - 0.5,
  pytorch_half_pixel: (o, s, _, outSize) => (outSize > 1 ? (o + 0.5) / s - 0.5 : 0),
  // The resized length as the scale gives it, before rounding (ONNX's length_resized = in · scale).
  align_corners: (o, s, inSize) => (inSize * s <= 1 ? 0 : (o * (inSize - 1)) / (inSize * s - 1)),
  asymmetric: (o, s) => o / s,
  tf_half_pixel_for_nn: (o, s) => (o + 0.5) / s,
  half_pixel_symmetric: (o, s, inSize, outSize) => {
    const adjustment = outSize / (s * inSize);
    const center = inSize / 2;
    const offset = center * (1 - adjustment);
    return offset + (o + 0.5) / s - 0.5;
  },
};

const ROUNDINGS: Record<string, (x: number) => number> = {
  round_prefer_floor: (x) => (x % 1 === 0.5 ? Math.floor(x) : Math.round(x)),
  round_prefer_ceil: (x) => Math.round(x),
  floor: Math.floor,
  ceil: Math.ceil,
};

/** Output index o of an axis as (input index, weight) pairs. */
type Taps = [number, number][][];

function taps(mode: string, transform: Transform, round: (x: number) => number, inSize: number, outSize: number, scale: number): Taps {
  return Array.from({ length: outSize }, (_, o) => {
    const x = transform(o, scale, inSize, outSize);
    if (mode === 'nearest') return [[Math.min(inSize - 1, Math.max(0, round(x))), 1]];
    const clamped = Math.min(inSize - 1, Math.max(0, x));
    const lo = Math.floor(clamped), hi = Math.min(inSize - 1, lo + 1);
    const t = clamped - lo;
    return hi === lo ? [[lo, 1]] : [[lo, 1 - t], [hi, t]];
  });
}

/** Resamples one axis of [outer, size, inner] data. */
function resampleAxis(x: Float64Array | Numbers, outer: number, inSize: number, inner: number, t: Taps): Float64Array {
  const outSize = t.length;
  const y = new Float64Array(outer * outSize * inner);
  for (let a = 0; a < outer; a++) for (let o = 0; o < outSize; o++) {
    const dst = (a * outSize + o) * inner;
    for (const [i, w] of t[o]) {
      const src = (a * inSize + i) * inner;
      for (let j = 0; j < inner; j++) y[dst + j] += w * x[src + j];
    }
  }
  return y;
}

function resize(node: NodeInfo, legacy: boolean): NodeRun {
  const mode = node.attrs.oneOf('mode', 'nearest', ['nearest', 'linear', 'bilinear', 'cubic']);
  if (mode === 'cubic') throw new FormatError(`${node.where}: wasmlearn resizes with mode nearest or linear; this node asks for cubic`);
  const modeName = mode === 'bilinear' ? 'linear' : mode;
  const coordinate = legacy || node.opset < 11 ? 'asymmetric' : node.attrs.string('coordinate_transformation_mode', 'half_pixel');
  const transform = TRANSFORMS[coordinate];
  if (!transform) throw new FormatError(`${node.where}: coordinate_transformation_mode '${coordinate}' is not supported (${Object.keys(TRANSFORMS).join(', ')}; tf_crop_and_resize is not)`);
  const nearestMode = legacy || node.opset < 11 ? 'floor' : node.attrs.string('nearest_mode', 'round_prefer_floor');
  const round = ROUNDINGS[nearestMode];
  if (!round) throw new FormatError(`${node.where}: nearest_mode '${nearestMode}' is not one of ${Object.keys(ROUNDINGS).join(', ')}`);
  if (node.attrs.int('antialias', 0) === 1) throw new FormatError(`${node.where}: antialias is not supported`);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X');
    const rank = x.dims.length;
    let scales: readonly number[] | undefined, sizes: readonly number[] | undefined;
    if (legacy) scales = node.opset < 9 ? node.attrs.floats('scales') : input(node, inputs, 1, 'scales').numbers();
    else if (node.opset < 11) scales = input(node, inputs, 1, 'scales').numbers();
    else {
      if (inputs[3] && inputs[3].size > 0) sizes = inputs[3].numbers();
      else if (inputs[2] && inputs[2].size > 0) scales = inputs[2].numbers();
    }
    let axes = node.attrs.ints('axes', [...Array(rank).keys()]).map((a) => (a < 0 ? a + rank : a));
    const given = sizes ?? scales;
    if (!given) throw new FormatError(`${node.where}: needs scales or sizes`);
    if (given.length !== axes.length) {
      if (given.length === rank) axes = [...Array(rank).keys()];
      else throw new ShapeError(`${node.where}: ${sizes ? 'sizes' : 'scales'} [${given}] must have one entry per axis of X ${dimsText(x.dims)}`);
    }
    const outDims = [...x.dims];
    const axisScales = x.dims.map(() => 1);
    axes.forEach((a, i) => {
      if (sizes) {
        outDims[a] = sizes[i];
        axisScales[a] = sizes[i] / x.dims[a];
      } else {
        axisScales[a] = scales![i];
        outDims[a] = Math.floor(x.dims[a] * scales![i]);
      }
    });
    if (outDims.some((d) => !(d >= 0))) throw new ShapeError(`${node.where}: the output dims ${dimsText(outDims)} are invalid`);
    let data: Float64Array | Numbers = x.data as Numbers;
    const dims = [...x.dims];
    for (let a = 0; a < rank; a++) {
      if (outDims[a] === dims[a] && axisScales[a] === 1) continue;
      const t = taps(modeName, transform, round, dims[a], outDims[a], axisScales[a]);
      data = resampleAxis(data, sizeOf(dims.slice(0, a)), dims[a], sizeOf(dims.slice(a + 1)), t);
      dims[a] = outDims[a];
    }
    const out = allocate(x.type, sizeOf(outDims)) as Numbers;
    out.set(data);
    return [new Value(x.type, outDims, out)];
  };
}

export const RESIZE: OperatorTable = {
  Resize: (node) => resize(node, false),
  Upsample: (node) => resize(node, true),
};
