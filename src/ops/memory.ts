// The one way values cross into and out of WebAssembly memory (DESIGN.md §10): a helper per
// element type to copy in and out, one finite check. Every other file hands pointers to ops and
// never makes a view of the module's memory itself. Views are made afresh at each call: the memory
// may have grown (and its buffer been replaced) since the last one.
import { WasmlearnError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { firstNonFinite as firstNonFiniteInJs } from '../finite.js';
import { nonFiniteAt, type Tensor } from '../tensor.js';

/** An allocator that frees its blocks when its scope ends (Backend.scoped). */
export type Alloc = (bytes: number) => number;

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array | Int16Array;
type TypedConstructor<T extends Typed> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

function view<T extends Typed>(be: Backend, type: TypedConstructor<T>, ptr: number, length: number): T {
  return new type(be.memory.buffer, ptr, length);
}

function put<T extends Typed>(be: Backend, alloc: Alloc, type: TypedConstructor<T>, values: ArrayLike<number>): number {
  // At least one element: an empty array still gets a distinct, valid pointer.
  const ptr = alloc(Math.max(1, values.length) * type.BYTES_PER_ELEMENT);
  view(be, type, ptr, values.length).set(values);
  return ptr;
}

function take<T extends Typed>(be: Backend, type: TypedConstructor<T>, ptr: number, length: number): T {
  // A fresh array filled with set(): slice() of a view on shared memory measured slower here.
  const out = new (type as unknown as { new (n: number): T })(length);
  out.set(view(be, type, ptr, length) as never);
  return out;
}

/** Copies values into the module at ptr, converting to f32 / f64 / i32 / i16 as the name says. */
export const writeF32 = (be: Backend, ptr: number, values: ArrayLike<number>, at = 0): void => view(be, Float32Array, ptr + at * 4, values.length).set(values);
export const writeF64 = (be: Backend, ptr: number, values: ArrayLike<number>, at = 0): void => view(be, Float64Array, ptr + at * 8, values.length).set(values);
export const writeI32 = (be: Backend, ptr: number, values: ArrayLike<number>, at = 0): void => view(be, Int32Array, ptr + at * 4, values.length).set(values);
export const writeI16 = (be: Backend, ptr: number, values: ArrayLike<number>, at = 0): void => view(be, Int16Array, ptr + at * 2, values.length).set(values);

/** Allocates a block and copies values into it (f32 / f64 / i32 / u8 / i16): the pointer to them in the module. */
export const putF32 = (be: Backend, alloc: Alloc, values: ArrayLike<number>): number => put(be, alloc, Float32Array, values);
export const putF64 = (be: Backend, alloc: Alloc, values: ArrayLike<number>): number => put(be, alloc, Float64Array, values);
export const putI32 = (be: Backend, alloc: Alloc, values: ArrayLike<number>): number => put(be, alloc, Int32Array, values);
export const putU8 = (be: Backend, alloc: Alloc, values: ArrayLike<number>): number => put(be, alloc, Uint8Array, values);
export const putI16 = (be: Backend, alloc: Alloc, values: ArrayLike<number>): number => put(be, alloc, Int16Array, values);

/** Copies `length` values out of the module into a fresh array the caller owns. */
export const readF32 = (be: Backend, ptr: number, length: number): Float32Array => take(be, Float32Array, ptr, length);
export const readF64 = (be: Backend, ptr: number, length: number): Float64Array => take(be, Float64Array, ptr, length);
export const readI32 = (be: Backend, ptr: number, length: number): Int32Array => take(be, Int32Array, ptr, length);
export const readU8 = (be: Backend, ptr: number, length: number): Uint8Array => take(be, Uint8Array, ptr, length);

/** Reads one value. */
export const loadF64 = (be: Backend, ptr: number, index = 0): number => view(be, Float64Array, ptr + index * 8, 1)[0];
export const loadI32 = (be: Backend, ptr: number, index = 0): number => view(be, Int32Array, ptr + index * 4, 1)[0];

/** Sets `length` values at ptr to one value. */
export const fillF32 = (be: Backend, ptr: number, length: number, value: number): void => void view(be, Float32Array, ptr, length).fill(value);
export const fillF64 = (be: Backend, ptr: number, length: number, value: number): void => void view(be, Float64Array, ptr, length).fill(value);
export const fillI16 = (be: Backend, ptr: number, length: number, value: number): void => void view(be, Int16Array, ptr, length).fill(value);
export const fillI32 = (be: Backend, ptr: number, length: number, value: number): void => void view(be, Int32Array, ptr, length).fill(value);

/** target[i] += module[ptr + i] for every i: sums of partial results kept in JavaScript. */
export function addF64Into(be: Backend, ptr: number, target: Float64Array): void {
  const part = view(be, Float64Array, ptr, target.length);
  for (let i = 0; i < target.length; i++) target[i] += part[i];
}

/** Σ v² over `length` f64 values at ptr. */
export function sumOfSquaresF64(be: Backend, ptr: number, length: number): number {
  let sum = 0;
  for (const v of view(be, Float64Array, ptr, length)) sum += v * v;
  return sum;
}

/** Copies `bytes` bytes inside the module (overlapping ranges allowed). */
export function copyBytes(be: Backend, from: number, to: number, bytes: number): void {
  // memory.copy: copyWithin on the threads build's shared memory copies with relaxed atomics, several times slower.
  if (from !== to && bytes > 0) be.call('moveBytes', to, from, bytes);
}

/** Writes `bytes` zero bytes at ptr. */
export function zeroBytes(be: Backend, ptr: number, bytes: number): void {
  new Uint8Array(be.memory.buffer, ptr, bytes).fill(0);
}

/** Index of the first NaN or ±Infinity among `length` f32 values at ptr, or −1 (SIMD). */
export function firstNonFinite(be: Backend, ptr: number, length: number): number {
  return be.call('firstNonFinite', ptr, length);
}

/** Copies a user's tensor into the module at ptr and checks there that every value is finite. */
export function writeFinite(be: Backend, ptr: number, tensor: Tensor, name: string): void {
  writeF32(be, ptr, tensor.data);
  refuseNonFinite(be, ptr, tensor, name);
}

/** Checks in the module that the copy of `tensor` at ptr is all finite; a ValueError naming the first value that is not. */
export function refuseNonFinite(be: Backend, ptr: number, tensor: Tensor, name: string): void {
  const bad = firstNonFinite(be, ptr, tensor.size);
  if (bad >= 0) throw nonFiniteAt(name, bad, tensor.data[bad], tensor.shape);
}

/** Values of a large input checked in the module at a time (4 MB of f32). */
const CHECK_CHUNK = 1 << 20;

/**
 * Checks that every value of a tensor is finite without keeping it in the module: a few samples
 * in JavaScript (cheaper than a trip through WebAssembly memory), more through the SIMD check in chunks.
 */
export function checkFinite(be: Backend, X: Tensor, name: string): void {
  if (X.size <= 4096) {
    const bad = firstNonFiniteInJs(X.data);
    if (bad >= 0) throw nonFiniteAt(name, bad, X.data[bad], X.shape);
    return;
  }
  be.scoped((alloc) => {
    const ptr = alloc(Math.min(CHECK_CHUNK, X.size) * 4);
    for (let start = 0; start < X.size; start += CHECK_CHUNK) {
      const count = Math.min(CHECK_CHUNK, X.size - start);
      writeF32(be, ptr, X.data.subarray(start, start + count));
      const bad = firstNonFinite(be, ptr, count);
      if (bad >= 0) throw nonFiniteAt(name, start + bad, X.data[start + bad], X.shape);
    }
  });
}

/** out row i = src row indices[first + i] (width f32 values each, all in the module), for i < count. */
export function gatherRows(be: Backend, src: number, width: number, indices: number, first: number, count: number, out: number): void {
  be.call('gatherRows', src, width, indices, first, count, out);
}

/**
 * Copies rows of a source into the module at ptr: rows[i] (or first + i when rows is omitted) of
 * `source`, each `width` values long, for i < count; as f32.
 */
export function gatherRowsF32(be: Backend, ptr: number, source: Float32Array, width: number, count: number, first: number, rows?: Int32Array): void {
  const out = view(be, Float32Array, ptr, count * width);
  if (!rows) {
    out.set(source.subarray(first * width, (first + count) * width));
    return;
  }
  for (let i = 0; i < count; i++) {
    const r = rows[first + i];
    out.set(source.subarray(r * width, (r + 1) * width), i * width);
  }
}

/**
 * `values` with two axes swapped, as a new array: values is [outer][a][mid][b][inner], the result
 * [outer][b][mid][a][inner] (weights and images relaid for the kernels). Copied in the module:
 * a JavaScript loop over float elements runs interpreted at first, and there every value it reads
 * is a new heap number — a convolution's weights relaid on a cold start left megabytes of garbage
 * for the collector, in memory touched for the first time.
 */
export function swapAxesF32(be: Backend, values: Float32Array, outer: number, a: number, mid: number, b: number, inner: number): Float32Array {
  if (values.length !== outer * a * mid * b * inner) throw new WasmlearnError(`internal: swapAxes of ${values.length} values as [${outer}, ${a}, ${mid}, ${b}, ${inner}]`);
  if (values.length === 0) return new Float32Array(0);
  return be.scoped((alloc) => {
    const x = putF32(be, alloc, values), y = alloc(values.length * 4);
    be.call('swapAxes', x, y, outer, a, mid, b, inner);
    return readF32(be, y, values.length);
  });
}
