// Saved estimators: "WLRNESTM", u32 format version, u32 JSON length, u32 checksum of everything
// after the header (io/save.ts), the JSON (class, options, small fitted values, and the name,
// type and length of every array), zero padding to 8 bytes, then the arrays one after another
// (little-endian f64 / i32, each padded to 8 bytes). The loader checks the magic, version,
// checksum, class and every length before it reads a value.
import { FormatError, ValueError, describe } from '../errors.js';
import { asBytes } from './files.js';
import { checksum } from './save.js';

export const ESTIMATOR_MAGIC = 'WLRNESTM';
const MAGIC = ESTIMATOR_MAGIC;
const VERSION = 1;
const HEADER = 20;

export type SavedArray = Float64Array | Int32Array;

export interface SavedEstimator {
  className: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: Record<string, SavedArray>;
}

export function estimatorToBytes(saved: SavedEstimator): Uint8Array {
  const entries = Object.entries(saved.arrays);
  const json = new TextEncoder().encode(JSON.stringify({
    className: saved.className, params: saved.params, meta: saved.meta,
    arrays: entries.map(([name, a]) => ({ name, type: a instanceof Float64Array ? 'f64' : 'i32', length: a.length })),
  }));
  const pad8 = (n: number) => Math.ceil(n / 8) * 8;
  let size = pad8(HEADER + json.length);
  for (const [, a] of entries) size += pad8(a.byteLength);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, HEADER);
  let offset = pad8(HEADER + json.length);
  for (const [, a] of entries) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += pad8(a.byteLength);
  }
  view.setUint32(16, checksum(out.subarray(HEADER)), true);
  return out;
}

/**
 * Reads saved estimator bytes, checking everything; `className` is the class the caller restores
 * (a mismatch is a FormatError), or undefined to accept any and report it in the result.
 */
export function estimatorFromBytes(source: unknown, expected: string | undefined): SavedEstimator {
  const className = expected ?? 'load';
  if (!(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source)) {
    throw new ValueError(`${className}.fromBytes: expected the bytes of a saved ${className}; received ${describe(source)}`);
  }
  const b = asBytes(source as ArrayBuffer);
  const where = `${className}.fromBytes`;
  if (b.length < HEADER || new TextDecoder().decode(b.subarray(0, 8)) !== MAGIC) throw new FormatError(`${where}: not a saved wasmlearn estimator (it must start with "${MAGIC}")`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw new FormatError(`${where}: format version ${version} is not supported (this wasmlearn reads version ${VERSION})`);
  const length = view.getUint32(12, true);
  if (HEADER + length > b.length) throw new FormatError(`${where}: truncated: the header announces ${length} bytes of JSON but ${b.length - HEADER} follow`);
  if (checksum(b.subarray(HEADER)) !== view.getUint32(16, true)) throw new FormatError(`${where}: the data is corrupt or truncated (its checksum does not match)`);
  let json: { className?: unknown; params?: unknown; meta?: unknown; arrays?: unknown };
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(HEADER, HEADER + length)));
  } catch (cause) {
    throw new FormatError(`${where}: the description is corrupt (${String(cause)})`, { cause });
  }
  if (expected === undefined ? typeof json.className !== 'string' : json.className !== expected) {
    throw new FormatError(`${where}: the bytes hold a ${String(json.className)}, not a ${className}`);
  }
  if (!Array.isArray(json.arrays) || typeof json.params !== 'object' || typeof json.meta !== 'object' || !json.params || !json.meta) {
    throw new FormatError(`${where}: the description lacks params, meta or arrays`);
  }
  const pad8 = (n: number) => Math.ceil(n / 8) * 8;
  let offset = pad8(HEADER + length);
  const arrays: Record<string, SavedArray> = {};
  for (const entry of json.arrays as { name?: unknown; type?: unknown; length?: unknown }[]) {
    if (typeof entry?.name !== 'string' || (entry.type !== 'f64' && entry.type !== 'i32') || !Number.isInteger(entry.length) || (entry.length as number) < 0) {
      throw new FormatError(`${where}: an array entry is malformed: ${JSON.stringify(entry)}`);
    }
    const bytes = (entry.length as number) * (entry.type === 'f64' ? 8 : 4);
    if (offset + bytes > b.length) throw new FormatError(`${where}: truncated: array ${entry.name} needs ${bytes} bytes at ${offset}; the data has ${b.length}`);
    const copy = b.slice(offset, offset + bytes);
    const array = entry.type === 'f64' ? new Float64Array(copy.buffer) : new Int32Array(copy.buffer);
    // Every saved f64 value is a fitted number (coefficients, thresholds, samples…): never NaN or ±Infinity.
    if (array instanceof Float64Array) {
      const bad = array.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new FormatError(`${where}: array ${entry.name} holds ${array[bad]} at ${bad}; saved values are finite`);
    }
    arrays[entry.name] = array;
    offset += pad8(bytes);
  }
  if (offset !== b.length) throw new FormatError(`${where}: ${b.length - offset} unexpected bytes after the arrays`);
  // The feature count every estimator keeps: an integer a matrix can have.
  const features = (json.meta as Record<string, unknown>).features;
  if (features !== undefined && !(Number.isInteger(features) && (features as number) >= 1 && (features as number) < 2 ** 31)) {
    throw new FormatError(`${where}: meta.features must be a positive integer below 2^31; found ${JSON.stringify(features)}`);
  }
  return { className: json.className as string, params: json.params as Record<string, unknown>, meta: json.meta as Record<string, unknown>, arrays };
}
