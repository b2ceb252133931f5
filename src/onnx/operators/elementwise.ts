// Element-wise arithmetic, comparisons and Where, with broadcasting. The transcendental
// functions come from ../elementary.ts, so the bits are the same in every JavaScript engine.
// Float32 results are rounded once from f64: for +, −, ×, ÷ and √ that is exactly f32 arithmetic.
import { FormatError } from '../../errors.js';
import { exp, log } from '../../elementary.js';
import { broadcastDims, broadcastIndex } from '../broadcast.js';
import { addArrays } from '../kernels.js';
import { input, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, ChannelsLast, isInteger, sizeOf, Value, type Numbers, type OnnxType } from '../value.js';

type Unary = (x: number) => number;
type Binary = (a: number, b: number) => number;

/** Applies f to every element; keeps a channels-last value channels-last. */
export function mapValue(x: Value, f: Unary, type: OnnxType = x.type): Value {
  const source = (x instanceof ChannelsLast ? x.channelsLast : x.data) as Numbers;
  const out = allocate(type, source.length) as Numbers;
  for (let i = 0; i < source.length; i++) out[i] = f(source[i]);
  return x instanceof ChannelsLast && type === 'float32' ? new ChannelsLast(x.dims, out as Float32Array) : new Value(type, x.dims, out);
}

/** A per-channel operand [C, 1, 1] or [1, C, 1, 1] (or a scalar) of a channels-last [N, C, H, W] value, as a [C] row. */
function channelRow(x: ChannelsLast, other: Value): Numbers | null {
  const c = x.dims[1];
  const d = other.dims;
  if (sizeOf(d) === 1) return null;
  const trimmed = [...d];
  while (trimmed.length > 3 && trimmed[0] === 1) trimmed.shift();
  if (trimmed.length === 3 && trimmed[0] === c && trimmed[1] === 1 && trimmed[2] === 1) return other.data as Numbers;
  return null;
}

/** f(a, b) with broadcasting, of the given output type; channels-last values stay so where the other operand allows. */
export function binaryValue(where: string, a: Value, b: Value, f: Binary, type: OnnxType): Value {
  if (a instanceof ChannelsLast || b instanceof ChannelsLast) {
    const fast = channelsLastBinary(a, b, f, type);
    if (fast) return fast;
  }
  const dims = broadcastDims(where, a.dims, b.dims);
  const n = sizeOf(dims);
  const x = a.data as Numbers, y = b.data as Numbers;
  const ia = broadcastIndex(a.dims, dims), ib = broadcastIndex(b.dims, dims);
  const out = allocate(type, n) as Numbers;
  if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]);
  else if (!ia) for (let i = 0; i < n; i++) out[i] = f(x[i], y[ib![i]]);
  else if (!ib) for (let i = 0; i < n; i++) out[i] = f(x[ia[i]], y[i]);
  else for (let i = 0; i < n; i++) out[i] = f(x[ia[i]], y[ib[i]]);
  return new Value(type, dims, out);
}

function channelsLastBinary(a: Value, b: Value, f: Binary, type: OnnxType): Value | null {
  if (type !== 'float32') return null;
  const base = (a instanceof ChannelsLast ? a : b) as ChannelsLast;
  const other = base === a ? b : a;
  const x = base.channelsLast;
  const out = new Float32Array(x.length);
  const swap = base !== a;
  const g: Binary = swap ? (p, q) => f(q, p) : f;
  if (other instanceof ChannelsLast && other.dims.every((d, i) => d === base.dims[i])) {
    const y = other.channelsLast;
    for (let i = 0; i < x.length; i++) out[i] = g(x[i], y[i]);
    return new ChannelsLast(base.dims, out);
  }
  if (other.dims.length > 4) return null;
  if (sizeOf(other.dims) === 1) {
    const s = (other.data as Numbers)[0];
    for (let i = 0; i < x.length; i++) out[i] = g(x[i], s);
    return new ChannelsLast(base.dims, out);
  }
  const row = channelRow(base, other);
  if (!row) return null;
  const c = base.dims[1];
  for (let i = 0; i < x.length; i++) out[i] = g(x[i], row[i % c]);
  return new ChannelsLast(base.dims, out);
}

/** The numeric element type both inputs of an arithmetic operator share. */
function sameType(node: NodeInfo, a: Value, b: Value): OnnxType {
  if (a.type !== b.type) throw new FormatError(`${node.where}: both inputs must have one type; they are ${a.type} and ${b.type}`);
  if (a.type === 'string' || a.type === 'bool') throw new FormatError(`${node.where}: ${a.type} tensors have no arithmetic`);
  return a.type;
}

const arithmetic = (f: Binary, integer: Binary = f) => (node: NodeInfo): NodeRun => (inputs) => {
  const a = input(node, inputs, 0, 'A'), b = input(node, inputs, 1, 'B');
  const type = sameType(node, a, b);
  return [binaryValue(node.where, a, b, isInteger(type) ? integer : f, type)];
};

/** Add: two float32 tensors of one shape and layout on the kernel (residual connections), the rest as arithmetic. */
function add(node: NodeInfo): NodeRun {
  const general = arithmetic((p, q) => p + q)(node);
  return (inputs) => {
    const a = input(node, inputs, 0, 'A'), b = input(node, inputs, 1, 'B');
    const sameShape = a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i]);
    if (a.type === 'float32' && b.type === 'float32' && sameShape && (a instanceof ChannelsLast) === (b instanceof ChannelsLast) && (a.resident || b.resident)) {
      const sum = addArrays(a.storage, b.storage, a.size);
      return [a instanceof ChannelsLast ? new ChannelsLast(a.dims, sum) : Value.f32(sum, a.dims)];
    }
    return general(inputs);
  };
}

const unary = (f: Unary) => (node: NodeInfo): NodeRun => (inputs) => {
  const x = input(node, inputs, 0, 'X');
  if (x.type === 'string' || x.type === 'bool') throw new FormatError(`${node.where}: input X must be numeric; it is ${x.type}`);
  return [mapValue(x, f)];
};

const comparison = (f: (a: number | string, b: number | string) => boolean) => (node: NodeInfo): NodeRun => (inputs) => {
  const a = input(node, inputs, 0, 'A'), b = input(node, inputs, 1, 'B');
  if (a.type !== b.type) throw new FormatError(`${node.where}: both inputs must have one type; they are ${a.type} and ${b.type}`);
  if (a.type === 'string') return [compareStrings(node, a, b, f)];
  return [binaryValue(node.where, a, b, (p, q) => (f(p, q) ? 1 : 0), 'bool')];
};

function compareStrings(node: NodeInfo, a: Value, b: Value, f: (p: string, q: string) => boolean): Value {
  const dims = broadcastDims(node.where, a.dims, b.dims);
  const ia = broadcastIndex(a.dims, dims), ib = broadcastIndex(b.dims, dims);
  const x = a.data as string[], y = b.data as string[];
  const out = new Uint8Array(sizeOf(dims));
  for (let i = 0; i < out.length; i++) out[i] = f(x[ia ? ia[i] : i], y[ib ? ib[i] : i]) ? 1 : 0;
  return new Value('bool', dims, out);
}

/** x^y: repeated multiplication for whole exponents (exact where f32 is), exp(y·log x) otherwise. */
export function power(x: number, y: number): number {
  if (Number.isInteger(y) && Math.abs(y) <= 64) {
    let result = 1, base = x, e = Math.abs(y);
    while (e > 0) {
      if (e & 1) result *= base;
      base *= base;
      e >>= 1;
    }
    return y < 0 ? 1 / result : result;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (x < 0) return NaN;
  if (x === 0) return y > 0 ? 0 : Infinity;
  return exp(y * log(x));
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function in f64: its Taylor series below 1 (terms to 1e-17), and above, 1 − erfc with
 * erfc from the Chebyshev fit of Numerical Recipes §6.2 (fractional error < 1.2e-7 of erfc, which is
 * below 0.16 there, so within 2e-8 of erf).
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (z < 1) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 40; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc : erfc - 1;
}

function where(node: NodeInfo): NodeRun {
  return (inputs) => {
    const c = input(node, inputs, 0, 'condition'), x = input(node, inputs, 1, 'X'), y = input(node, inputs, 2, 'Y');
    if (x.type !== y.type) throw new FormatError(`${node.where}: X and Y must have one type; they are ${x.type} and ${y.type}`);
    const dims = broadcastDims(node.where, c.dims, x.dims, y.dims);
    const ic = broadcastIndex(c.dims, dims), ix = broadcastIndex(x.dims, dims), iy = broadcastIndex(y.dims, dims);
    const n = sizeOf(dims);
    const out = allocate(x.type, n) as unknown as (number | string)[];
    const cond = c.data as Numbers, xs = x.data as unknown as (number | string)[], ys = y.data as unknown as (number | string)[];
    for (let i = 0; i < n; i++) out[i] = cond[ic ? ic[i] : i] ? xs[ix ? ix[i] : i] : ys[iy ? iy[i] : i];
    return [new Value(x.type, dims, out as never)];
  };
}

function not(node: NodeInfo): NodeRun {
  return (inputs) => [mapValue(input(node, inputs, 0, 'X'), (v) => (v ? 0 : 1), 'bool')];
}

const logical = (f: (a: boolean, b: boolean) => boolean) => (node: NodeInfo): NodeRun => (inputs) => {
  const a = input(node, inputs, 0, 'A'), b = input(node, inputs, 1, 'B');
  return [binaryValue(node.where, a, b, (p, q) => (f(p !== 0, q !== 0) ? 1 : 0), 'bool')];
};

/** Sum, Max, Min, Mean of any number of inputs (variadic, broadcast). */
const variadic = (f: Binary, mean = false) => (node: NodeInfo): NodeRun => (inputs) => {
  const present = inputs.filter((v): v is Value => v !== undefined);
  if (present.length === 0) throw new FormatError(`${node.where}: needs at least one input`);
  let acc = present[0];
  for (let i = 1; i < present.length; i++) acc = binaryValue(node.where, acc, present[i], f, acc.type);
  if (mean && present.length > 1) acc = mapValue(acc, (v) => v / present.length);
  else if (present.length === 1) acc = mapValue(acc, (v) => v);
  return [acc];
};

export const ELEMENTWISE: OperatorTable = {
  Add: add,
  Sub: arithmetic((a, b) => a - b),
  Mul: arithmetic((a, b) => a * b),
  Div: arithmetic((a, b) => a / b, (a, b) => Math.trunc(a / b)),
  Pow: (node) => (inputs) => {
    const a = input(node, inputs, 0, 'X'), b = input(node, inputs, 1, 'Y');
    return [binaryValue(node.where, a, b, isInteger(a.type) ? (p, q) => Math.trunc(power(p, q)) : power, a.type)];
  },
  Mod: (node) => {
    const fmod = node.attrs.int('fmod', 0) === 1;
    // fmod: the sign of the dividend (C's fmod); otherwise the sign of the divisor (Python's %).
    const f: Binary = fmod ? (a, b) => a % b : (a, b) => { const r = a % b; return r !== 0 && (r < 0) !== (b < 0) ? r + b : r; };
    return arithmetic(f)(node);
  },
  Sqrt: unary(Math.sqrt),
  Exp: unary(exp),
  Log: unary(log),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Reciprocal: unary((x) => 1 / x),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Round: unary((x) => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; }),
  Sign: unary(Math.sign),
  Erf: unary(erf),
  Equal: comparison((a, b) => a === b),
  Greater: comparison((a, b) => a > b),
  GreaterOrEqual: comparison((a, b) => a >= b),
  Less: comparison((a, b) => a < b),
  LessOrEqual: comparison((a, b) => a <= b),
  Not: not,
  And: logical((a, b) => a && b),
  Or: logical((a, b) => a || b),
  Xor: logical((a, b) => a !== b),
  Where: where,
  Sum: variadic((a, b) => a + b),
  Max: variadic((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b))),
  Min: variadic((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b))),
  Mean: variadic((a, b) => a + b, true),
};
