// The values an ONNX graph passes between its nodes, and the tensors users hand in and get back
// (onnxruntime's shape: `{ type, data, dims }`). Integers of 64 bits are held as f64 numbers inside
// the graph (exact to 2^53, far past any shape, index or label) and handed out as BigInt64Array,
// as onnxruntime does.
import { FormatError, ShapeError, ValueError, describe } from '../errors.js';
import type { Image } from '../ops/gemm.js';
import { swapAxesF32 } from '../ops/memory.js';
import { backend } from '../runtime/backend.js';
import { Tensor } from '../tensor.js';
import { Resident } from './run.js';

/** The element types of ONNX tensors wasmlearn reads (TensorProto.DataType). */
export type OnnxType =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'bool' | 'string';

/** TensorProto.DataType codes, by the names above. */
export const TYPE_CODES: Readonly<Record<number, OnnxType>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
};

/** The array a value of each type is held in inside a graph. */
export type Numbers = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
export type Elements = Numbers | string[];

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, float16: Float32Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: Float64Array,
  uint64: Float64Array, bool: Uint8Array,
} as const;

/** A fresh array of `n` elements of a type (zeros, or empty strings). */
export function allocate(type: OnnxType, n: number): Elements {
  if (type === 'string') return new Array<string>(n).fill('');
  return new ARRAYS[type](n);
}

/** Converts values to a type's array (ONNX Cast: floats to integers truncate; to bool, non-zero is true). */
export function convert(values: Elements, type: OnnxType): Elements {
  if (type === 'string') {
    // Float32 values as their shortest decimal that reads back to the same float32 (as onnxruntime prints them).
    if (values instanceof Float32Array) return Array.from(values, shortestFloat32);
    return Array.from(values as ArrayLike<number | string>, String);
  }
  if (Array.isArray(values)) {
    const out = allocate(type, values.length) as Numbers;
    for (let i = 0; i < values.length; i++) out[i] = toNumber(values[i], type);
    return out;
  }
  if (values instanceof ARRAYS[type] && type !== 'bool') return copyOf(values as Numbers);
  const out = allocate(type, values.length) as Numbers;
  if (type === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 && !Number.isNaN(values[i]) ? 1 : 0;
  else if (isInteger(type)) for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
  else out.set(values);
  return out;
}

/** The shortest decimal of a float32 value that reads back to it. */
function shortestFloat32(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'INF' : '-INF';
  for (let p = 1; p <= 9; p++) {
    const text = v.toPrecision(p);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}

/** A number from text as ONNX's Cast reads it: decimal, or INF / INFINITY / NAN in any case, with a sign. */
function parseNumber(s: string): number {
  const t = s.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return Number(s);
}

function toNumber(s: string, type: OnnxType): number {
  const v = parseNumber(s);
  if (type === 'bool') return v !== 0 ? 1 : 0;
  return isInteger(type) ? Math.trunc(v) : v;
}

export const isInteger = (type: OnnxType): boolean => type !== 'float32' && type !== 'float64' && type !== 'float16' && type !== 'string';
export const isFloat = (type: OnnxType): boolean => type === 'float32' || type === 'float64' || type === 'float16';

export const sizeOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * A value inside a graph: an element type, its dimensions and its elements (row-major). Values are
 * never changed once made: operators make new ones, so constants can be shared between runs.
 */
export class Value {
  constructor(
    readonly type: OnnxType,
    readonly dims: readonly number[],
    protected elements: Elements | Resident,
  ) {}

  /** The elements in row-major order of dims (float32 elements in a run's memory are copied out once). */
  get data(): Elements {
    if (this.elements instanceof Resident) this.elements = this.elements.read();
    return this.elements;
  }

  /** float32 elements as held: in a run's memory or in JavaScript (kernels read them without a copy out). */
  get storage(): Float32Array | Resident {
    return this.elements instanceof Resident ? this.elements : (this.data as Float32Array);
  }

  /** The same elements with other dims (Reshape, Flatten, Squeeze, Unsqueeze: no copy, wherever they are). */
  withDims(dims: readonly number[]): Value {
    return new Value(this.type, dims, this.elements);
  }

  /** Copies elements still in a run's memory into JavaScript (before the run ends). */
  settle(): this {
    if (this.elements instanceof Resident) this.elements = this.elements.read();
    return this;
  }

  /** The run memory this value's elements are in, if any. */
  get resident(): Resident | undefined {
    return this.elements instanceof Resident ? this.elements : undefined;
  }

  /** The values as plain numbers (for shapes, axes, indices). */
  numbers(): number[] {
    return Array.from(this.data as ArrayLike<number>, Number);
  }

  /** The f32 elements (the value must be float32). */
  get f32(): Float32Array {
    return this.data as Float32Array;
  }

  /** Elements [start, end) as a value of the given dims. */
  slice(start: number, end: number, dims: readonly number[]): Value {
    const data = this.data;
    return new Value(this.type, dims, Array.isArray(data) ? data.slice(start, end) : copyOf(data.subarray(start, end)));
  }

  get size(): number {
    return sizeOf(this.dims);
  }

  /** The elements of several values of this type one after another, as a value of the given dims. */
  concatRows(parts: readonly Value[], dims: readonly number[]): Value {
    const out = allocate(this.type, sizeOf(dims));
    let at = 0;
    for (const p of parts) {
      const d = p.data;
      if (Array.isArray(out)) for (let i = 0; i < d.length; i++) out[at + i] = (d as string[])[i];
      else (out as Numbers).set(d as Numbers, at);
      at += d.length;
    }
    return new Value(this.type, dims, out);
  }

  static f32(data: Float32Array | Resident, dims: readonly number[]): Value {
    return new Value('float32', dims, data);
  }

  static int64(values: ArrayLike<number>, dims: readonly number[] = [values.length]): Value {
    return new Value('int64', dims, Float64Array.from(values));
  }

  static scalar(type: OnnxType, v: number): Value {
    const data = allocate(type, 1) as Numbers;
    data[0] = v;
    return new Value(type, [], data);
  }
}

/**
 * A float32 value whose elements are held in another order than its dims say (channels-last):
 * kernels read them as held (`storage`); `data` gives them in the dims' order, reordered once.
 */
abstract class Reordered extends Value {
  private inOrder: Float32Array | undefined;

  constructor(dims: readonly number[], private held: Float32Array | Resident) {
    super('float32', dims, held);
  }

  /** The elements as held, copied out of a run's memory once. */
  protected get heldData(): Float32Array {
    if (this.held instanceof Resident) this.held = this.held.read();
    return this.held;
  }

  /** The elements as held, for kernels. */
  override get storage(): Float32Array | Resident {
    return this.held;
  }

  override get resident(): Resident | undefined {
    return this.held instanceof Resident ? this.held : undefined;
  }

  override get data(): Float32Array {
    this.inOrder ??= this.reorder(this.heldData);
    return this.inOrder;
  }

  override withDims(dims: readonly number[]): Value {
    return new Value('float32', dims, this.data);
  }

  override settle(): this {
    void this.heldData;
    return this;
  }

  /** The held elements in the dims' order. */
  protected abstract reorder(held: Float32Array): Float32Array;
}

/**
 * A 4-d float value whose elements are held channels-last (N, H, W, C) while its dims stay ONNX's
 * (N, C, H, W): what the convolution and pooling kernels read and write, so a chain of them never
 * transposes. Operators that know the layout read `channelsLast`; any other reads `data`, which
 * transposes once, on first use.
 */
export class ChannelsLast extends Reordered {
  /** The elements in N, H, W, C order. */
  get channelsLast(): Float32Array {
    return this.heldData;
  }

  protected reorder(held: Float32Array): Float32Array {
    const [n, c, h, w] = this.dims;
    return c === 1 || h * w === 1 ? held : transposeChannels(held, n, h * w, c);
  }

  override withDims(dims: readonly number[]): Value {
    // Flattened per image ([N, C·H·W]): the channels-last elements stay as they are, and a MatMul /
    // Gemm with constant weights reorders its weight rows instead (FlatChannelsLast).
    const [n, c, h, w] = this.dims;
    if (dims.length === 2 && dims[0] === n && dims[1] === c * h * w && c > 1 && h * w > 1) return new FlatChannelsLast(dims, this.storage, [h, w, c]);
    return super.withDims(dims);
  }
}

/**
 * Images flattened per row ([N, C·H·W], as Flatten or Reshape after a convolution makes them) whose
 * elements are still held channels-last, (h, w, c) per row. A MatMul or Gemm with constant weights
 * reads them as held, its weight rows packed in that order; anything else reads `data`, in C, H, W order.
 */
export class FlatChannelsLast extends Reordered {
  constructor(dims: readonly number[], held: Float32Array | Resident, readonly image: Image) {
    super(dims, held);
  }

  protected reorder(held: Float32Array): Float32Array {
    const [h, w, c] = this.image;
    return transposeChannels(held, this.dims[0], h * w, c);
  }
}

/** Rows of n values in C, H, W order (after a channels-first flatten) → H, W, C order (a channels-last one). */
export function channelsLastRows(b: Float32Array, n: number, [h, w, c]: Image): Float32Array {
  return swapAxesF32(backend(), b, 1, c, 1, h * w, n);
}

/** [n, a, b] → [n, b, a] for each of n blocks (channels-last ↔ channels-first with a·b per image). */
export function transposeChannels(x: Float32Array, n: number, a: number, b: number): Float32Array {
  return swapAxesF32(backend(), x, n, a, 1, b, 1);
}

/** A tensor handed to or from an OnnxModel: onnxruntime's `{ type, data, dims }`, with `shape` as an alias. */
export class OnnxTensor {
  readonly type: OnnxType;
  readonly data: Float32Array | Float64Array | BigInt64Array | BigUint64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | string[];
  readonly dims: readonly number[];

  constructor(type: OnnxType, data: OnnxTensor['data'], dims: readonly number[]) {
    this.type = type;
    this.data = data;
    this.dims = Object.freeze([...dims]);
  }

  get shape(): readonly number[] {
    return this.dims;
  }

  get size(): number {
    return this.data.length;
  }

  /** A float32 tensor as wasmlearn's Tensor (the same array). */
  toTensor(): Tensor {
    if (this.type !== 'float32') throw new ValueError(`OnnxTensor.toTensor: the tensor is ${this.type}; only float32 tensors convert`);
    return new Tensor(this.data as Float32Array, this.dims);
  }
}

/** Hands a graph value out: 64-bit integers as BigInt64Array / BigUint64Array, the rest as held. */
export function toOnnxTensor(v: Value): OnnxTensor {
  if (v.type === 'int64') return new OnnxTensor('int64', BigInt64Array.from(v.data as Float64Array, (x) => BigInt(x)), v.dims);
  if (v.type === 'uint64') return new OnnxTensor('uint64', BigUint64Array.from(v.data as Float64Array, (x) => BigInt(x)), v.dims);
  if (v.type === 'float16') return new OnnxTensor('float32', v.data as Float32Array, v.dims);
  return new OnnxTensor(v.type, v.data, v.dims);
}

const TYPED_INPUTS: [new (...a: never[]) => unknown, OnnxType][] = [
  [Float32Array, 'float32'], [Float64Array, 'float64'], [BigInt64Array, 'int64'], [BigUint64Array, 'uint64'],
  [Int32Array, 'int32'], [Uint32Array, 'uint32'], [Int16Array, 'int16'], [Uint16Array, 'uint16'], [Int8Array, 'int8'], [Uint8Array, 'uint8'],
];

/**
 * Reads what a user hands in for one input: an OnnxTensor or onnxruntime Tensor (`{ type, data, dims }`),
 * a wasmlearn Tensor or `{ data, shape }`, or nested arrays of numbers (then of the input's type).
 * A typed array of the input's own type is held as given, not copied (a copy of a 784-float row
 * cost about 4 µs, a tenth of a small model's run): operators only read their inputs, and the
 * graph copies an output that would share the caller's array (Graph.run). Other data is converted
 * into new arrays. Either way the user's arrays are never changed.
 */
export function readInput(x: unknown, expected: OnnxType, what: string): Value {
  if (x === null || typeof x !== 'object') throw new ValueError(`${what}: expected a tensor ({ data, dims } or nested arrays); received ${describe(x)}`);
  const o = x as { data?: unknown; dims?: unknown; shape?: unknown; type?: unknown };
  if (Array.isArray(x)) return fromNested(x, expected, what);
  const dims = (o.dims ?? o.shape) as unknown;
  if (!Array.isArray(dims) && !ArrayBuffer.isView(dims)) throw new ValueError(`${what}: expected dims (or shape) as an array of sizes; received ${describe(dims)}`);
  // Plain loops, no closures: a batch-1 run's fixed costs count.
  const given = dims as ArrayLike<unknown>, sizes: number[] = [];
  for (let i = 0; i < given.length; i++) {
    const d = given[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new ShapeError(`${what}: every dimension must be a whole number ≥ 0; received dims [${Array.from(given).join(', ')}]`);
    sizes.push(d);
  }
  const data = o.data;
  let type: OnnxType | undefined;
  for (let i = 0; i < TYPED_INPUTS.length && type === undefined; i++) if (data instanceof TYPED_INPUTS[i][0]) type = TYPED_INPUTS[i][1];
  if (Array.isArray(data)) type = data.every((s) => typeof s === 'string') ? 'string' : expected;
  if (type === undefined) throw new ValueError(`${what}: data must be a typed array or an array; received ${describe(data)}`);
  if (typeof o.type === 'string' && o.type === 'bool' && data instanceof Uint8Array) type = 'bool';
  const n = sizeOf(sizes);
  const values = data as ArrayLike<unknown>;
  if (values.length !== n) throw new ShapeError(`${what}: data has ${values.length} elements but dims [${sizes.join(', ')}] need ${n}`);
  let elements: Elements;
  if (type === 'int64' || type === 'uint64') elements = Float64Array.from(values as ArrayLike<bigint>, (b) => Number(b));
  else if (type === 'string') elements = [...(values as string[])];
  else if (Array.isArray(data)) elements = convert(Float64Array.from(values as number[]), expected);
  else if (type === expected || (type === 'uint8' && expected === 'bool')) return new Value(expected, sizes, data as Numbers);
  else elements = data as Numbers;
  if (type !== expected) elements = convertInput(elements, type, expected, what);
  return new Value(expected, sizes, elements);
}

function convertInput(elements: Elements, from: OnnxType, to: OnnxType, what: string): Elements {
  // Numbers of one kind are accepted for another (a Float32Array for a double input, an
  // Int32Array for int64 labels); strings and numbers do not mix.
  if ((from === 'string') !== (to === 'string')) throw new ValueError(`${what}: the input is ${to}; received ${from} data`);
  return convert(elements, to);
}

function fromNested(x: unknown[], expected: OnnxType, what: string): Value {
  const dims: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    dims.push(level.length);
    level = level[0];
  }
  const flat = (x as unknown[]).flat(Infinity) as unknown[];
  if (flat.length !== sizeOf(dims)) throw new ShapeError(`${what}: nested arrays must be rectangular; received ${flat.length} values for dims [${dims.join(', ')}]`);
  if (expected === 'string') {
    if (!flat.every((v) => typeof v === 'string')) throw new ValueError(`${what}: the input holds strings; received other values`);
    return new Value('string', dims, flat as string[]);
  }
  if (!flat.every((v) => typeof v === 'number' || typeof v === 'boolean')) throw new ValueError(`${what}: nested arrays must hold numbers; received ${describe(flat.find((v) => typeof v !== 'number'))}`);
  return new Value(expected, dims, convert(Float64Array.from(flat as number[]), expected));
}

/**
 * A copy of a typed array in a new array of its own type (not a Node Buffer's pooled view), made
 * with set(): slice() of a view of shared memory — a file loadOnnx read into the threads build's
 * memory — copies element by element, 23× slower (11 ms for 4 MB here, against 0.5).
 */
export function copyOf<T extends Numbers | Uint8Array>(a: T): T {
  const out = new ((a instanceof Uint8Array ? Uint8Array : a.constructor) as new (n: number) => T)(a.length);
  out.set(a as never);
  return out;
}

/**
 * Moves bytes within the buffer of a file's bytes that the loader read itself (weights.ts: a plain
 * copyWithin, or a move in WebAssembly memory where the file was read into it).
 */
export interface BytesMover {
  moveBytes(buffer: ArrayBufferLike, to: number, from: number, bytes: number): void;
}

/**
 * A TensorProto's elements, from raw_data or the typed field its type uses. With `ownBytes` (the
 * file's bytes are the loader's own, read from a path or a URL), large float32 raw_data is used in
 * place rather than copied (fromRawInPlace), moved into alignment by `ownBytes`.
 */
export function tensorFromProto(t: {
  dims?: (number | { toNumber(): number })[] | null; dataType?: number | null; rawData?: Uint8Array | null;
  floatData?: number[] | null; int32Data?: number[] | null; int64Data?: (number | { toNumber(): number })[] | null;
  doubleData?: number[] | null; uint64Data?: (number | { toNumber(): number })[] | null; stringData?: Uint8Array[] | null;
  name?: string | null; dataLocation?: number | null;
}, where: string, ownBytes?: BytesMover): Value {
  const type = TYPE_CODES[t.dataType ?? 0];
  const name = t.name ? `'${t.name}'` : 'a tensor';
  if (!type) throw new FormatError(`${where}: ${name} has an unknown data type (${t.dataType}); wasmlearn reads float, double, float16, integers, bool and string tensors`);
  if (t.dataLocation === 1) throw new FormatError(`${where}: ${name} keeps its data in an external file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))`);
  const dims = (t.dims ?? []).map(int);
  if (dims.some((d) => d < 0 || !Number.isSafeInteger(d))) throw new FormatError(`${where}: ${name} has an invalid dimension in [${dims.join(', ')}]`);
  const n = sizeOf(dims);
  let data: Elements;
  const raw = t.rawData;
  if (type === 'string') {
    data = (t.stringData ?? []).map((b) => new TextDecoder().decode(b));
  } else if (raw && raw.length > 0) {
    data = ownBytes && type === 'float32' && raw.length === n * 4 && raw.length >= IN_PLACE_BYTES ? fromRawInPlace(t, raw, ownBytes) : fromRaw(raw, type, n, `${where}: ${name}`);
  } else if (type === 'float32' || type === 'float64') {
    data = type === 'float32' ? Float32Array.from(t.floatData ?? []) : Float64Array.from(t.doubleData ?? []);
  } else if (type === 'int64') {
    data = Float64Array.from(t.int64Data ?? [], int);
  } else if (type === 'uint64' || type === 'uint32') {
    data = convert(Float64Array.from(t.uint64Data ?? [], int), type);
  } else if (type === 'float16') {
    data = Float32Array.from(t.int32Data ?? [], halfToFloat);
  } else {
    data = convert(Float64Array.from(t.int32Data ?? []), type);
  }
  if (data.length !== n) throw new FormatError(`${where}: ${name} has ${data.length} elements but its dims [${dims.join(', ')}] need ${n}`);
  return new Value(type, dims, data);
}

/** Bytes per element in raw_data: the width of the array each type is stored as in the file. */
const FILE_ARRAYS: Record<Exclude<OnnxType, 'string'>, { BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
};

function fromRaw(raw: Uint8Array, type: Exclude<OnnxType, 'string'>, n: number, what: string): Elements {
  const width = FILE_ARRAYS[type].BYTES_PER_ELEMENT;
  if (raw.length !== n * width) throw new FormatError(`${what}: raw_data has ${raw.length} bytes but ${n} ${type} elements need ${n * width}`);
  // An aligned copy: raw_data may sit at any offset of the file's buffer (little-endian, as ONNX requires).
  const buffer = copyOf(raw).buffer;
  switch (type) {
    case 'float32': return new Float32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'float16': return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case 'int8': return new Int8Array(buffer);
    case 'uint8': return new Uint8Array(buffer);
    case 'bool': return Uint8Array.from(new Uint8Array(buffer), (b) => (b ? 1 : 0));
    case 'int16': return new Int16Array(buffer);
    case 'uint16': return new Uint16Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'uint32': return new Uint32Array(buffer);
    case 'int64': return Float64Array.from(new BigInt64Array(buffer), (b) => Number(b));
    case 'uint64': return Float64Array.from(new BigUint64Array(buffer), (b) => Number(b));
  }
}

/**
 * raw_data of at least this many bytes has a length prefix of two bytes or more: with its field tag,
 * at least the 3 bytes fromRawInPlace may move the elements back by.
 */
const IN_PLACE_BYTES = 128;

/**
 * float32 raw_data as a view of the file's own bytes, without a copy: a model's weights are most of
 * its file, and copying them is most of a cold start where memory touched the first time is dear
 * (~3 ms per MB on the benchmark machine). A Float32Array must start at a multiple of 4 bytes, so
 * elements at another offset are moved back by 1–3 bytes, over the field's tag and length, which the
 * decoder has read and nothing else points into. The tensor's rawData then points at the moved
 * elements (toModel reads the tensors again). Only for bytes the loader read itself: never the
 * caller's, which must not change.
 */
function fromRawInPlace(t: { rawData?: Uint8Array | null }, raw: Uint8Array, mover: BytesMover): Float32Array {
  const shift = raw.byteOffset % 4;
  if (shift !== 0) {
    mover.moveBytes(raw.buffer, raw.byteOffset - shift, raw.byteOffset, raw.length);
    t.rawData = new Uint8Array(raw.buffer, raw.byteOffset - shift, raw.length);
  }
  return new Float32Array(raw.buffer, raw.byteOffset - shift, raw.length / 4);
}

/** IEEE 754 half precision bits to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** A protobuf int64 (a number, or a Long when the long package is loaded) as a number. */
export function int(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
