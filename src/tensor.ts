import { ShapeError, ValueError, describe } from './errors.js';
import { firstNonFinite, nonFiniteError } from './finite.js';

/** Nested arrays of numbers: `number[]`, `number[][]`, … */
export interface NestedArray extends Array<number | NestedArray> {}

/** Anything a public function accepts as a tensor. */
export type TensorLike =
  | Tensor
  | { data: ArrayLike<number>; shape: readonly number[] }
  | NestedArray
  | number[];

/**
 * The one data type users receive: a dense row-major f32 array and its shape.
 * A Tensor is plain data: it holds no WebAssembly memory, so it never needs disposing.
 */
export class Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];

  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw new ValueError(`Tensor: data must be a Float32Array (use toTensor for other inputs); received ${describe(data)}`);
    }
    checkShape(shape, 'Tensor');
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** Always 'float32' (TF.js' dtype; wasmlearn computes in f32). */
  get dtype(): 'float32' {
    return 'float32';
  }

  /** The values (TF.js' dataSync): the tensor's own array, not a copy; do not change it. */
  dataSync(): Float32Array {
    return this.data;
  }

  /** The values as nested arrays (TF.js' arraySync): toArray(). */
  arraySync(): number | NestedArray {
    return this.toArray();
  }

  /** The values as nested arrays, as a promise (TF.js' array()). */
  array(): Promise<number | NestedArray> {
    return Promise.resolve(this.toArray());
  }

  /** The values as nested arrays of the tensor's shape (a scalar for rank 0). */
  toArray(): number | NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (offset: number, axis: number): NestedArray => {
      const n = this.shape[axis];
      const out: NestedArray = new Array(n);
      if (axis === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[offset + i];
      } else {
        const stride = shapeSize(this.shape.slice(axis + 1));
        for (let i = 0; i < n; i++) out[i] = build(offset + i * stride, axis + 1);
      }
      return out;
    };
    return build(0, 0);
  }
}

export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

function checkShape(shape: unknown, name: string): readonly number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${name}.shape must be an array of sizes; received ${describe(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${name}.shape must hold non-negative integers; received [${shape.join(', ')}]`);
    }
  }
  return shape as readonly number[];
}

/**
 * Converts a user's input to a Tensor and checks that every value is finite. The caller's data
 * is never mutated; it is copied unless `share` is set and it already is a Float32Array (then
 * the Tensor views it: for internal use by functions that copy it into WebAssembly memory and
 * check finiteness there, with `checkFinite` false).
 * @param name the argument's name, for error messages
 */
export function toTensor(input: unknown, name: string, share = false, checkFinite = true): Tensor {
  input = fromTfjsTensor(input);
  let data: Float32Array;
  let shape: readonly number[];
  if (ArrayBuffer.isView(input) && !(input instanceof DataView)) {
    // A bare typed array is a vector.
    return toTensor({ data: input, shape: [(input as unknown as ArrayLike<number>).length] }, name, share, checkFinite);
  }
  if (Array.isArray(input)) {
    shape = nestedShape(input, name);
    data = new Float32Array(shapeSize(shape));
    flattenInto(input, data, name);
  } else if (input !== null && typeof input === 'object' && 'data' in input && 'shape' in input) {
    const like = input as { data: unknown; shape: unknown };
    shape = checkShape(like.shape, name);
    const source = like.data;
    if (!ArrayBuffer.isView(source) && !Array.isArray(source)) {
      throw new ValueError(`${name}.data must be a typed array or an array of numbers; received ${describe(source)}`);
    }
    if (source instanceof DataView || typeof (source as { length?: unknown }).length !== 'number') {
      throw new ValueError(`${name}.data must be a typed array or an array of numbers; received ${describe(source)}`);
    }
    if (typeof (source as unknown as BigInt64Array)[0] === 'bigint') {
      throw new ValueError(`${name}.data must hold numbers, not bigints; received ${describe(source)}`);
    }
    const values = source as ArrayLike<number>;
    const size = shapeSize(shape);
    if (values.length !== size) {
      throw new ShapeError(`${name}: data has ${values.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    data = share && source instanceof Float32Array ? source : ArrayBuffer.isView(source) ? new Float32Array(values) : Float32Array.from(values);
    if (Array.isArray(source)) {
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== 'number') {
          throw new ValueError(`${name}.data[${i}] must be a number; received ${describe(values[i])}`);
        }
      }
    }
  } else {
    throw new ValueError(
      `${name} must be a Tensor, nested arrays of numbers, or { data: typed array, shape }; received ${describe(input)}`,
    );
  }
  if (checkFinite) {
    const bad = firstNonFinite(data);
    if (bad >= 0) throw nonFiniteAt(name, bad, data[bad], shape);
  }
  return new Tensor(data, shape);
}

/**
 * A TF.js tensor (anything with a dataSync() method and a shape) as { data, shape }, read once,
 * with no dependency on TF.js; anything else as it is.
 */
export function fromTfjsTensor(input: unknown): unknown {
  if (input instanceof Tensor || input === null || typeof input !== 'object') return input;
  const t = input as { dataSync?: unknown; shape?: unknown };
  if (typeof t.dataSync !== 'function' || !Array.isArray(t.shape)) return input;
  return { data: (t.dataSync as () => unknown).call(input), shape: [...t.shape] };
}

/** The error for a NaN or ±Infinity at flat index `index` of an input of this shape. */
export function nonFiniteAt(name: string, index: number, value: number, shape: readonly number[]): ValueError {
  return nonFiniteError(name, `${index} (${indexOf(index, shape)})`, value);
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    idx.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return `at [${idx.join(', ')}]`;
}

function nestedShape(input: unknown[], name: string): number[] {
  const shape: number[] = [];
  let level: unknown = input;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (shape.length > 0 && shape[shape.length - 1] !== 0 && typeof level !== 'number') {
    throw new ValueError(`${name} must hold numbers; found ${describe(level)} at [${shape.map(() => 0).join(', ')}]`);
  }
  return shape;
}

function flattenInto(input: unknown[], out: Float32Array, name: string): void {
  let k = 0;
  const walk = (value: unknown, depth: number, path: number[], shape: number[]): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') {
        throw new ValueError(`${name}[${path.join('][')}] must be a number; received ${describe(value)}`);
      }
      out[k++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new ShapeError(
        `${name} is ragged: ${name}${path.map((p) => `[${p}]`).join('')} should be an array of length ` +
          `${shape[depth]} like the first one; received ${describe(value)}`,
      );
    }
    for (let i = 0; i < value.length; i++) walk(value[i], depth + 1, [...path, i], shape);
  };
  walk(input, 0, [], nestedShape(input, name));
}
