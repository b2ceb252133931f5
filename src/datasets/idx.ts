// The IDX format of MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// number (0, 0, element type, number of dimensions), the sizes as big-endian u32, then the values
// in row-major order, big-endian for multi-byte types. Files are often gzipped.
import { FormatError, ValueError, describe } from '../errors.js';
import { asBytes, gunzip, readFileBytes } from '../io/files.js';

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** An IDX array: values in their own type, and the shape from the file. */
export interface IdxArray {
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  shape: number[];
  type: IdxType;
}

const TYPES: Record<number, [IdxType, number]> = {
  0x08: ['uint8', 1], 0x09: ['int8', 1], 0x0b: ['int16', 2], 0x0c: ['int32', 4], 0x0d: ['float32', 4], 0x0e: ['float64', 8],
};

/** Parses IDX bytes (not gzipped; see loadIdx). */
export function parseIdx(bytes: ArrayBuffer | ArrayBufferView): IdxArray {
  if (!(bytes instanceof ArrayBuffer) && !ArrayBuffer.isView(bytes)) throw new ValueError(`parseIdx: expected bytes; received ${describe(bytes)}`);
  const b = asBytes(bytes);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) {
    throw new FormatError(`IDX: not an IDX file (it must start with two zero bytes; it starts with ${[...b.subarray(0, 4)].map((v) => v.toString(16).padStart(2, '0')).join(' ')})`);
  }
  const typeInfo = TYPES[b[2]];
  if (!typeInfo) throw new FormatError(`IDX: unknown element type 0x${b[2].toString(16)} (known: 08 u8, 09 i8, 0B i16, 0C i32, 0D f32, 0E f64)`);
  const [type, width] = typeInfo;
  const rank = b[3];
  if (rank === 0) throw new FormatError('IDX: the file declares 0 dimensions');
  const header = 4 + 4 * rank;
  if (b.length < header) throw new FormatError(`IDX: truncated header (${b.length} bytes; ${rank} dimensions need ${header})`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, c) => a * c, 1);
  const expected = header + count * width;
  if (b.length !== expected) {
    throw new FormatError(`IDX: shape [${shape.join(', ')}] of ${type} needs ${expected} bytes; the file has ${b.length}${b.length < expected ? ' (truncated)' : ''}`);
  }
  let data: IdxArray['data'];
  switch (type) {
    case 'uint8': data = b.slice(header); break;
    case 'int8': data = new Int8Array(b.slice(header).buffer); break;
    default: {
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type];
      const out = new Ctor(count);
      const get = { int16: view.getInt16, int32: view.getInt32, float32: view.getFloat32, float64: view.getFloat64 }[type].bind(view);
      for (let i = 0; i < count; i++) out[i] = get(header + i * width, false);
      data = out;
    }
  }
  return { data, shape, type };
}

/**
 * Reads an IDX file (MNIST's format), gzipped or not: from bytes, or from a path in Node and Deno.
 * @example const images = await loadIdx('data/fashion-mnist/train-images-idx3-ubyte.gz'); // shape [60000, 28, 28], uint8
 */
export async function loadIdx(source: string | ArrayBuffer | ArrayBufferView): Promise<IdxArray> {
  let bytes: Uint8Array;
  if (typeof source === 'string') bytes = readFileBytes(source, 'loadIdx');
  else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) bytes = asBytes(source);
  else throw new ValueError(`loadIdx: source must be a path or bytes; received ${describe(source)}`);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzip(bytes);
    } catch (cause) {
      throw new FormatError(`loadIdx: the gzip data is corrupt (${String(cause)})`, { cause });
    }
  }
  return parseIdx(bytes);
}
