// Activations (ONNX Operators.md): element-wise ones, and Softmax / LogSoftmax along an axis.
// Computed in f64 from ../elementary.ts and rounded once to the output type.
import { FormatError } from '../../errors.js';
import { exp, log, tanh } from '../../elementary.js';
import { axisOf, floatInput, input, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, Value, type Numbers } from '../value.js';
import { binaryValue, erf, mapValue } from './elementwise.js';

const activation = (make: (node: NodeInfo) => (x: number) => number) => (node: NodeInfo): NodeRun => {
  const f = make(node);
  return (inputs) => [mapValue(floatInput(node, inputs, 0, 'X'), f)];
};

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)));

const SQRT_2_OVER_PI = 0.7978845608028654;

/** Softmax or log-softmax over `len` elements `inner` apart, for each of `outer` blocks. */
function softmax(x: Numbers, outer: number, len: number, inner: number, logarithm: boolean, out: Numbers): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * len * inner + j;
      let max = -Infinity;
      for (let k = 0; k < len; k++) max = Math.max(max, x[base + k * inner]);
      let sum = 0;
      for (let k = 0; k < len; k++) sum += exp(x[base + k * inner] - max);
      const logSum = log(sum);
      for (let k = 0; k < len; k++) {
        const z = x[base + k * inner] - max;
        out[base + k * inner] = logarithm ? z - logSum : exp(z) / sum;
      }
    }
  }
}

const softmaxOperator = (logarithm: boolean) => (node: NodeInfo): NodeRun => {
  // Opsets before 13 flatten to 2-d at the axis (default 1) and normalize each row; 13 on, one axis (default −1).
  const legacy = node.opset < 13;
  const axisAttr = node.attrs.int('axis', legacy ? 1 : -1);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'input');
    const dims = x.dims;
    const rank = dims.length;
    const out = allocate(x.type, x.size) as Numbers;
    if (rank === 0) {
      out[0] = logarithm ? 0 : 1;
      return [new Value(x.type, dims, out)];
    }
    const axis = axisOf(node, axisAttr, rank);
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const len = legacy ? dims.slice(axis).reduce((a, b) => a * b, 1) : dims[axis];
    const inner = legacy ? 1 : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    softmax(x.data as Numbers, outer, len, inner, logarithm, out);
    return [new Value(x.type, dims, out)];
  };
};

function prelu(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X'), slope = input(node, inputs, 1, 'slope');
    return [binaryValue(node.where, x, slope, (v, a) => (v < 0 ? a * v : v), x.type)];
  };
}

function clip(node: NodeInfo): NodeRun {
  const legacy = node.opset < 11;
  return (inputs) => {
    const x = input(node, inputs, 0, 'input');
    const lo = legacy ? node.attrs.float('min', -Infinity) : inputs[1] ? (inputs[1].data as Numbers)[0] : -Infinity;
    const hi = legacy ? node.attrs.float('max', Infinity) : inputs[2] ? (inputs[2].data as Numbers)[0] : Infinity;
    if (x.type === 'string' || x.type === 'bool') throw new FormatError(`${node.where}: input must be numeric; it is ${x.type}`);
    return [mapValue(x, (v) => (Number.isNaN(v) ? v : Math.min(hi, Math.max(lo, v))))];
  };
}

export const ACTIVATIONS: OperatorTable = {
  Relu: activation(() => (x) => (x > 0 ? x : 0)),
  LeakyRelu: activation((node) => {
    const alpha = node.attrs.float('alpha', 0.01);
    return (x) => (x >= 0 ? x : alpha * x);
  }),
  Elu: activation((node) => {
    const alpha = node.attrs.float('alpha', 1);
    return (x) => (x >= 0 ? x : alpha * (exp(x) - 1));
  }),
  Selu: activation((node) => {
    const alpha = node.attrs.float('alpha', 1.67326319217681884765625), gamma = node.attrs.float('gamma', 1.05070102214813232421875);
    return (x) => (x > 0 ? gamma * x : gamma * (alpha * exp(x) - alpha));
  }),
  Sigmoid: activation(() => sigmoid),
  HardSigmoid: activation((node) => {
    const alpha = node.attrs.float('alpha', 0.2), beta = node.attrs.float('beta', 0.5);
    return (x) => Math.max(0, Math.min(1, alpha * x + beta));
  }),
  HardSwish: activation(() => (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5))),
  Tanh: activation(() => tanh),
  Softplus: activation(() => (x) => (x > 0 ? x + log(1 + exp(-x)) : log(1 + exp(x)))),
  Softsign: activation(() => (x) => x / (1 + Math.abs(x))),
  Gelu: activation((node) => {
    const approximate = node.attrs.oneOf('approximate', 'none', ['none', 'tanh']);
    return approximate === 'tanh'
      ? (x) => 0.5 * x * (1 + tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
      : (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));
  }),
  PRelu: prelu,
  Clip: clip,
  Softmax: softmaxOperator(false),
  LogSoftmax: softmaxOperator(true),
};
