// Reductions over axes (ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL2,
// ReduceSumSquare) and ArgMax / ArgMin. Sums in f64. The axes are an attribute before opset 18
// (ReduceSum: 13) and an input from then on.
import { FormatError } from '../../errors.js';
import { axisOf, input, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, sizeOf, Value, type Numbers } from '../value.js';
import { stridesOf } from './shape.js';

interface Reducer {
  start: number;
  add: (acc: number, v: number) => number;
  end?: (acc: number, count: number) => number;
}

/** Reduces x over `axes`: for each output element, folds the inputs that map to it. */
function reduceAxes(x: Value, axes: readonly number[], keepDims: boolean, r: Reducer): Value {
  const dims = x.dims;
  const kept = dims.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = sizeOf(kept);
  const acc = new Float64Array(outSize).fill(r.start);
  const src = x.data as Numbers;
  const outStrides = stridesOf(kept), inStrides = stridesOf(dims);
  const rank = dims.length;
  for (let i = 0; i < src.length; i++) {
    let at = 0, rest = i;
    for (let d = 0; d < rank; d++) {
      const c = Math.floor(rest / inStrides[d]);
      rest -= c * inStrides[d];
      if (kept[d] !== 1) at += c * outStrides[d];
    }
    acc[at] = r.add(acc[at], src[i]);
  }
  const count = src.length / Math.max(1, outSize);
  const out = allocate(x.type, outSize) as Numbers;
  for (let i = 0; i < outSize; i++) out[i] = r.end ? r.end(acc[i], count) : acc[i];
  return new Value(x.type, keepDims ? kept : dims.filter((_, i) => !axes.includes(i)), out);
}

const reduce = (r: Reducer, inputSince: number) => (node: NodeInfo): NodeRun => {
  const keepDims = node.attrs.int('keepdims', 1) === 1;
  const noopWithEmptyAxes = node.attrs.int('noop_with_empty_axes', 0) === 1;
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    if (x.type === 'string' || x.type === 'bool') throw new FormatError(`${node.where}: data must be numeric; it is ${x.type}`);
    const raw = node.opset < inputSince ? node.attrs.ints('axes') : inputs[1]?.numbers();
    if ((!raw || raw.length === 0) && noopWithEmptyAxes) return [x];
    const axes = raw && raw.length ? raw.map((a) => axisOf(node, a, x.dims.length)) : x.dims.map((_, i) => i);
    return [reduceAxes(x, axes, keepDims, r)];
  };
};

const argReduce = (better: (a: number, b: number) => boolean) => (node: NodeInfo): NodeRun => {
  const axisAttr = node.attrs.int('axis', 0);
  const keepDims = node.attrs.int('keepdims', 1) === 1;
  const lastIndex = node.attrs.int('select_last_index', 0) === 1;
  return (inputs) => {
    const x = input(node, inputs, 0, 'data');
    const axis = axisOf(node, axisAttr, x.dims.length);
    const n = x.dims[axis];
    const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1));
    const src = x.data as Numbers;
    const out = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
      let best = 0, value = src[o * n * inner + j];
      for (let k = 1; k < n; k++) {
        const v = src[(o * n + k) * inner + j];
        if (better(v, value) || (lastIndex && v === value)) { best = k; value = v; }
      }
      out[o * inner + j] = best;
    }
    const dims = keepDims ? x.dims.map((d, i) => (i === axis ? 1 : d)) : x.dims.filter((_, i) => i !== axis);
    return [new Value('int64', dims, out)];
  };
};

export const REDUCE: OperatorTable = {
  ReduceMean: reduce({ start: 0, add: (a, v) => a + v, end: (a, n) => a / n }, 18),
  ReduceSum: reduce({ start: 0, add: (a, v) => a + v }, 13),
  ReduceMax: reduce({ start: -Infinity, add: (a, v) => (v > a || Number.isNaN(v) ? v : a) }, 18),
  ReduceMin: reduce({ start: Infinity, add: (a, v) => (v < a || Number.isNaN(v) ? v : a) }, 18),
  ReduceProd: reduce({ start: 1, add: (a, v) => a * v }, 18),
  ReduceSumSquare: reduce({ start: 0, add: (a, v) => a + v * v }, 18),
  ReduceL2: reduce({ start: 0, add: (a, v) => a + v * v, end: (a) => Math.sqrt(a) }, 18),
  ArgMax: argReduce((a, b) => a > b),
  ArgMin: argReduce((a, b) => a < b),
};
