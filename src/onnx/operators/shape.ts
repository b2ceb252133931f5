// Operators that move elements without computing on them: shapes, reshapes, transposes,
// concatenation, splits, slices, gathers, padding, casts and constants (opset differences noted
// where an attribute became an input).
import { FormatError, ShapeError } from '../../errors.js';
import { broadcastDims, broadcastIndex } from '../broadcast.js';
import { axisOf, dimsText, input, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, ChannelsLast, convert, sizeOf, TYPE_CODES, Value, type Elements, type Numbers } from '../value.js';

type Items = { length: number; [i: number]: number | string };

/** Row-major strides of dims. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** The elements of x permuted: output axis i is input axis perm[i]. */
export function permute(x: Value, perm: readonly number[]): Value {
  const dims = x.dims;
  const out = perm.map((p) => dims[p]);
  const n = x.size;
  const src = x.data as unknown as Items;
  const dst = allocate(x.type, n) as unknown as Items;
  const inStrides = stridesOf(dims);
  const stride = perm.map((p) => inStrides[p]);
  const rank = out.length;
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    dst[i] = src[at];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += stride[d];
      if (counter[d] < out[d]) break;
      at -= stride[d] * counter[d];
      counter[d] = 0;
    }
  }
  return new Value(x.type, out, dst as unknown as Elements);
}

const reshaped = (x: Value, dims: readonly number[]): Value => x.withDims(dims);

function integers(node: NodeInfo, v: Value | undefined, name: string): number[] {
  if (!v) throw new FormatError(`${node.where}: input ${name} is required`);
  if (v.type !== 'int64' && v.type !== 'int32') throw new FormatError(`${node.where}: ${name} must be int64; it is ${v.type}`);
  return v.numbers();
}

function reshape(node: NodeInfo): NodeRun {
  const allowZero = node.attrs.int('allowzero', 0) === 1;
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const target = node.opset < 5 ? node.attrs.ints('shape', []) : integers(node, inputs[1], 'shape');
    const dims = target.map((d, i) => (d === 0 && !allowZero ? x.dims[i] : d));
    if (dims.filter((d) => d === -1).length > 1) throw new ShapeError(`${node.where}: shape ${dimsText(target)} has more than one -1`);
    const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const unknown = dims.indexOf(-1);
    if (unknown >= 0) dims[unknown] = known === 0 ? 0 : x.size / known;
    if (dims.some((d) => d < 0 || !Number.isInteger(d)) || sizeOf(dims) !== x.size) {
      throw new ShapeError(`${node.where}: cannot reshape ${dimsText(x.dims)} (${x.size} elements) to ${dimsText(target)}`);
    }
    return [reshaped(x, dims)];
  };
}

function flatten(node: NodeInfo): NodeRun {
  const axisAttr = node.attrs.int('axis', 1);
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    const axis = axisAttr < 0 ? axisAttr + x.dims.length : axisAttr;
    if (axis < 0 || axis > x.dims.length) throw new ShapeError(`${node.where}: axis ${axisAttr} is out of range for ${dimsText(x.dims)}`);
    return [reshaped(x, [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis))])];
  };
}

function transpose(node: NodeInfo): NodeRun {
  const permAttr = node.attrs.ints('perm');
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const rank = x.dims.length;
    const perm = permAttr ?? [...Array(rank).keys()].reverse();
    if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) throw new ShapeError(`${node.where}: perm [${perm}] is not a permutation of ${rank} axes`);
    // N, C, H, W → N, H, W, C of a channels-last value is the data as held (tf2onnx writes this).
    if (x instanceof ChannelsLast && perm.join() === '0,2,3,1') return [Value.f32(x.channelsLast, [x.dims[0], x.dims[2], x.dims[3], x.dims[1]])];
    return [permute(x, perm)];
  };
}

function axesOf(node: NodeInfo, inputs: readonly (Value | undefined)[], at: number): readonly number[] | undefined {
  return node.opset < 13 ? node.attrs.ints('axes') : inputs[at] ? integers(node, inputs[at], 'axes') : undefined;
}

function squeeze(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const axes = axesOf(node, inputs, 1)?.map((a) => axisOf(node, a, x.dims.length));
    for (const a of axes ?? []) if (x.dims[a] !== 1) throw new ShapeError(`${node.where}: cannot squeeze axis ${a} of ${dimsText(x.dims)}: its size is not 1`);
    const dims = x.dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
    return [reshaped(x, dims)];
  };
}

function unsqueeze(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const raw = axesOf(node, inputs, 1);
    if (!raw) throw new FormatError(`${node.where}: axes are required`);
    const rank = x.dims.length + raw.length;
    const axes = raw.map((a) => axisOf(node, a, rank)).sort((a, b) => a - b);
    const dims = [...x.dims];
    for (const a of axes) dims.splice(a, 0, 1);
    return [reshaped(x, dims)];
  };
}

/** Copies `count` blocks: block i of each part in turn (concatenation along an axis with `outer` blocks). */
function concatBlocks(parts: { data: Items; width: number }[], outer: number, out: Items): void {
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const base = o * p.width;
      for (let j = 0; j < p.width; j++) out[at++] = p.data[base + j];
    }
  }
}

function concat(node: NodeInfo): NodeRun {
  const axisAttr = node.attrs.required(node.attrs.int('axis'), 'axis');
  return (inputs) => {
    const xs = inputs.filter((v): v is Value => v !== undefined);
    if (xs.length === 0) throw new FormatError(`${node.where}: needs at least one input`);
    const rank = xs[0].dims.length;
    const axis = axisOf(node, axisAttr, rank);
    for (const x of xs) {
      if (x.type !== xs[0].type) throw new FormatError(`${node.where}: inputs must have one type; they are ${xs.map((v) => v.type).join(', ')}`);
      if (x.dims.length !== rank || x.dims.some((d, i) => i !== axis && d !== xs[0].dims[i])) {
        throw new ShapeError(`${node.where}: inputs ${xs.map((v) => dimsText(v.dims)).join(', ')} differ outside axis ${axis}`);
      }
    }
    const dims = [...xs[0].dims];
    dims[axis] = xs.reduce((s, x) => s + x.dims[axis], 0);
    if (axis === 1 && rank === 4 && xs.every((x) => x instanceof ChannelsLast)) {
      // Channels of channels-last images: the channel runs of each pixel side by side.
      const y = new Float32Array(sizeOf(dims));
      concatBlocks(xs.map((x) => ({ data: (x as ChannelsLast).channelsLast, width: x.dims[1] })), dims[0] * dims[2] * dims[3], y);
      return [new ChannelsLast(dims, y)];
    }
    const outer = sizeOf(dims.slice(0, axis));
    const out = allocate(xs[0].type, sizeOf(dims)) as unknown as Items;
    concatBlocks(xs.map((x) => ({ data: x.data as unknown as Items, width: x.size / outer })), outer, out);
    return [new Value(xs[0].type, dims, out as unknown as Elements)];
  };
}

/** Elements [start, end) along `axis` of x, every `step`-th. */
function sliceAxis(x: Value, axis: number, start: number, step: number, count: number): Value {
  const dims = [...x.dims];
  dims[axis] = count;
  const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1));
  const src = x.data as unknown as Items;
  const out = allocate(x.type, sizeOf(dims)) as unknown as Items;
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const base = (o * x.dims[axis] + start + k * step) * inner;
      for (let j = 0; j < inner; j++) out[at++] = src[base + j];
    }
  }
  return new Value(x.type, dims, out as unknown as Elements);
}

function split(node: NodeInfo): NodeRun {
  const axisAttr = node.attrs.int('axis', 0);
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    const axis = axisOf(node, axisAttr, x.dims.length);
    const size = x.dims[axis];
    let sizes = node.opset < 13 ? node.attrs.ints('split') : inputs[1] ? integers(node, inputs[1], 'split') : undefined;
    if (!sizes) {
      const parts = node.attrs.int('num_outputs', node.outputCount);
      const each = Math.ceil(size / parts);
      sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(each, size - i * each)));
    }
    if (sizes.reduce((a, b) => a + b, 0) !== size) throw new ShapeError(`${node.where}: split sizes [${sizes}] do not add up to ${size} along axis ${axis}`);
    let start = 0;
    return sizes.map((n) => {
      const part = sliceAxis(x, axis, start, 1, n);
      start += n;
      return part;
    });
  };
}

function slice(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const legacy = node.opset < 10;
    const starts = legacy ? node.attrs.required(node.attrs.ints('starts'), 'starts') : integers(node, inputs[1], 'starts');
    const ends = legacy ? node.attrs.required(node.attrs.ints('ends'), 'ends') : integers(node, inputs[2], 'ends');
    const axes = (legacy ? node.attrs.ints('axes') : inputs[3] && integers(node, inputs[3], 'axes')) ?? starts.map((_, i) => i);
    const steps = (!legacy && inputs[4] && integers(node, inputs[4], 'steps')) || starts.map(() => 1);
    if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) throw new ShapeError(`${node.where}: starts, ends, axes and steps must have one length`);
    let y = x;
    axes.forEach((a, i) => {
      const axis = axisOf(node, a, x.dims.length);
      const n = x.dims[axis], step = steps[i];
      if (step === 0) throw new ShapeError(`${node.where}: a step of 0`);
      const clampIndex = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + n : v));
      const [lo, hi] = step > 0 ? [0, n] : [-1, n - 1];
      const s = clampIndex(starts[i], lo, hi), e = clampIndex(ends[i], lo, hi);
      const count = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
      y = sliceAxis(y, axis, s, step, count);
    });
    return [y];
  };
}

function gather(node: NodeInfo): NodeRun {
  const axisAttr = node.attrs.int('axis', 0);
  return (inputs) => {
    const x = input(node, inputs, 0, 'data'), indices = input(node, inputs, 1, 'indices');
    const axis = axisOf(node, axisAttr, x.dims.length);
    const n = x.dims[axis];
    const idx = integers(node, indices, 'indices').map((i) => {
      if (i < -n || i >= n) throw new ShapeError(`${node.where}: index ${i} is out of range for axis ${axis} of size ${n}`);
      return i < 0 ? i + n : i;
    });
    const dims = [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)];
    const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1));
    const src = x.data as unknown as Items;
    const out = allocate(x.type, sizeOf(dims)) as unknown as Items;
    let at = 0;
    for (let o = 0; o < outer; o++) for (const i of idx) {
      const base = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[at++] = src[base + j];
    }
    return [new Value(x.type, dims, out as unknown as Elements)];
  };
}

function shape(node: NodeInfo): NodeRun {
  return (inputs) => {
    const dims = input(node, inputs, 0, 'data').dims;
    const r = dims.length;
    const clampAxis = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
    const start = clampAxis(node.attrs.int('start', 0)), end = clampAxis(node.attrs.int('end', r));
    return [Value.int64(dims.slice(start, Math.max(start, end)))];
  };
}

function constant(node: NodeInfo): NodeRun {
  const a = node.attrs;
  let value: Value | undefined = a.tensor('value');
  if (!value && a.has('value_float')) value = Value.scalar('float32', a.float('value_float', 0));
  if (!value && a.has('value_floats')) value = Value.f32(Float32Array.from(a.floats('value_floats', [])), [a.floats('value_floats', []).length]);
  if (!value && a.has('value_int')) value = Value.scalar('int64', a.int('value_int', 0));
  if (!value && a.has('value_ints')) value = Value.int64(a.ints('value_ints', []));
  if (!value && a.has('value_string')) value = new Value('string', [], [a.string('value_string', '')]);
  if (!value && a.has('value_strings')) value = new Value('string', [a.strings('value_strings', []).length], a.strings('value_strings', []));
  if (!value) throw new FormatError(`${node.where}: a Constant needs a value (value, value_float(s), value_int(s) or value_string(s)); the node has ${a.names().join(', ') || 'none'}`);
  const v = value;
  return () => [v];
}

function constantOfShape(node: NodeInfo): NodeRun {
  const fill = node.attrs.tensor('value') ?? Value.scalar('float32', 0);
  return (inputs) => {
    const dims = integers(node, inputs[0], 'input');
    if (dims.some((d) => d < 0)) throw new ShapeError(`${node.where}: dims ${dimsText(dims)} must not be negative`);
    const out = allocate(fill.type, sizeOf(dims)) as unknown as Items;
    const v = (fill.data as unknown as Items)[0];
    for (let i = 0; i < out.length; i++) out[i] = v;
    return [new Value(fill.type, dims, out as unknown as Elements)];
  };
}

function cast(node: NodeInfo): NodeRun {
  const code = node.attrs.required(node.attrs.int('to'), 'to');
  const to = TYPE_CODES[code];
  if (!to) throw new FormatError(`${node.where}: cannot cast to data type ${code}`);
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    if (x.type === to) return [x];
    if (x instanceof ChannelsLast && to === 'float32') return [x];
    const target = to === 'float16' ? 'float32' : to;
    let data = convert(x.data, target);
    // float16: rounded through f32 (wasmlearn holds half floats as f32; rounding to 11 bits is not applied).
    if (x.type === 'string' && !Array.isArray(data) && Array.from(data as Numbers).some(Number.isNaN) && target !== 'float32' && target !== 'float64') {
      throw new FormatError(`${node.where}: a string that is not a number cannot be cast to ${to}`);
    }
    if (target === 'float32' || target === 'float64') data = data as Numbers;
    return [new Value(target, x.dims, data)];
  };
}

function identity(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    return node.outputCount > 1 ? [x, new Value('bool', x.dims, new Uint8Array(x.size).fill(1))] : [x];
  };
}

function expand(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    const dims = broadcastDims(node.where, x.dims, integers(node, inputs[1], 'shape'));
    const index = broadcastIndex(x.dims, dims);
    if (!index) return [x];
    const src = x.data as unknown as Items;
    const out = allocate(x.type, sizeOf(dims)) as unknown as Items;
    for (let i = 0; i < out.length; i++) out[i] = src[index[i]];
    return [new Value(x.type, dims, out as unknown as Elements)];
  };
}

function tile(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    const repeats = integers(node, inputs[1], 'repeats');
    if (repeats.length !== x.dims.length) throw new ShapeError(`${node.where}: repeats [${repeats}] must have one entry per axis of ${dimsText(x.dims)}`);
    const dims = x.dims.map((d, i) => d * repeats[i]);
    const src = x.data as unknown as Items;
    const out = allocate(x.type, sizeOf(dims)) as unknown as Items;
    const inStrides = stridesOf(x.dims), outStrides = stridesOf(dims);
    for (let i = 0; i < out.length; i++) {
      let at = 0, rest = i;
      for (let d = 0; d < dims.length; d++) {
        const c = Math.floor(rest / outStrides[d]);
        rest -= c * outStrides[d];
        at += (c % x.dims[d]) * inStrides[d];
      }
      out[i] = src[at];
    }
    return [new Value(x.type, dims, out as unknown as Elements)];
  };
}

function range(node: NodeInfo): NodeRun {
  return (inputs) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => input(node, inputs, i, ['start', 'limit', 'delta'][i]));
    const s = (start.data as Numbers)[0], l = (limit.data as Numbers)[0], d = (delta.data as Numbers)[0];
    const n = Math.max(0, Math.ceil((l - s) / d));
    const out = allocate(start.type, n) as Numbers;
    for (let i = 0; i < n; i++) out[i] = s + i * d;
    return [new Value(start.type, [n], out)];
  };
}

function pad(node: NodeInfo): NodeRun {
  const mode = node.attrs.oneOf('mode', 'constant', ['constant', 'reflect', 'edge', 'wrap']);
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const rank = x.dims.length;
    let pads = node.opset < 11 ? node.attrs.required(node.attrs.ints('pads'), 'pads') : integers(node, inputs[1], 'pads');
    const fill = node.opset < 11 ? node.attrs.float('value', 0) : inputs[2] ? (inputs[2].data as Numbers)[0] ?? 0 : 0;
    const axes = inputs[3] ? integers(node, inputs[3], 'axes').map((a) => axisOf(node, a, rank)) : undefined;
    if (axes) {
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, i) => { full[a] = pads[i]; full[a + rank] = pads[i + axes.length]; });
      pads = full;
    }
    if (pads.length !== 2 * rank) throw new ShapeError(`${node.where}: pads [${pads}] must have 2 × ${rank} entries`);
    const dims = x.dims.map((d, i) => d + pads[i] + pads[i + rank]);
    if (dims.some((d) => d < 0)) throw new ShapeError(`${node.where}: pads [${pads}] crop ${dimsText(x.dims)} below zero`);
    const src = x.data as unknown as Items;
    const out = allocate(x.type, sizeOf(dims)) as unknown as Items;
    const inStrides = stridesOf(x.dims), outStrides = stridesOf(dims);
    for (let i = 0; i < out.length; i++) {
      let at = 0, rest = i, outside = false;
      for (let d = 0; d < rank; d++) {
        const c = Math.floor(rest / outStrides[d]);
        rest -= c * outStrides[d];
        let p = c - pads[d];
        const n = x.dims[d];
        if (p < 0 || p >= n) {
          if (mode === 'constant' || n === 0) outside = true;
          else if (mode === 'edge') p = p < 0 ? 0 : n - 1;
          else if (mode === 'wrap') p = ((p % n) + n) % n;
          else {
            // reflect: mirror without repeating the edge.
            const period = 2 * (n - 1) || 1;
            p = ((p % period) + period) % period;
            if (p >= n) p = period - p;
          }
        }
        at += p * inStrides[d];
      }
      out[i] = outside ? (x.type === 'string' ? '' : fill) : src[at];
    }
    return [new Value(x.type, dims, out as unknown as Elements)];
  };
}

function size(node: NodeInfo): NodeRun {
  return (inputs) => [Value.scalar('int64', input(node, inputs, 0, 'data').size)];
}

export const SHAPE: OperatorTable = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Shape: shape,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Cast: cast,
  Identity: identity,
  Dropout: (node) => {
    const run = identity(node);
    return (inputs) => {
      // Inference: the identity. Training mode (a true third input) would need ONNX's random mask.
      if (inputs[2] && (inputs[2].data as Numbers)[0]) throw new FormatError(`${node.where}: Dropout in training mode (training_mode true) is not supported; wasmlearn runs inference`);
      return run(inputs);
    };
  },
  Expand: expand,
  Tile: tile,
  Range: range,
  Pad: pad,
};
