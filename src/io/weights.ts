// Decoding a weights manifest and its blob (the TF.js layers format): float32 and int32 values,
// and weights the converter quantized — uint8 / uint16 with { min, scale }, restored as
// q · scale + min, and float16 — each checked for its length, type and finiteness. Entries of the
// group 'optimizer' (model.save with includeOptimizer) are kept apart for the optimizer's state.
import { FormatError, describe } from '../errors.js';

export interface DecodedWeight {
  /** The name in the file, ':0' removed. */
  name: string;
  shape: number[];
  values: Float32Array;
  group: 'model' | 'optimizer';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** IEEE 754 half → float: sign, 5 exponent bits (bias 15), 10 fraction bits; subnormals and ±∞/NaN included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Every entry of the manifest read from the blob, in order; FormatError on anything inconsistent. */
export function decodeWeights(specs: unknown, data: Uint8Array): DecodedWeight[] {
  if (!Array.isArray(specs)) throw new FormatError(`weights manifest: expected a list of weight specs; found ${describe(specs)}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  const decoded = specs.map((spec, i): DecodedWeight => {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new FormatError(`weights manifest: entry ${i} must be { name, shape, dtype }; found ${describe(spec)}`);
    }
    const name = spec.name.replace(/:0$/, '');
    const shape = spec.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const dtype = spec.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'int32') throw new FormatError(`weights manifest: ${name} has dtype ${String(dtype)}; float32 and int32 are supported`);
    const q = spec.quantization;
    if (q !== undefined && !(isObject(q) && ['uint8', 'uint16', 'float16'].includes(q.dtype as string))) {
      throw new FormatError(`weights manifest: ${name} has quantization ${JSON.stringify(q)}; uint8, uint16 (with min and scale) and float16 are supported`);
    }
    const qtype = q?.dtype as 'uint8' | 'uint16' | 'float16' | undefined;
    if ((qtype === 'uint8' || qtype === 'uint16') && !(typeof q!.min === 'number' && Number.isFinite(q!.min) && typeof q!.scale === 'number' && Number.isFinite(q!.scale))) {
      throw new FormatError(`weights manifest: ${name} is quantized to ${qtype} without a finite min and scale`);
    }
    const bytesPer = qtype === 'uint8' ? 1 : qtype ? 2 : 4;
    if (offset + size * bytesPer > data.byteLength) {
      throw new FormatError(`weights: ${name} needs ${size * bytesPer} bytes at offset ${offset}; the data has ${data.byteLength}`);
    }
    const values = new Float32Array(size);
    for (let k = 0, o = offset; k < size; k++, o += bytesPer) {
      values[k] = qtype === 'uint8' ? view.getUint8(o) * (q!.scale as number) + (q!.min as number)
        : qtype === 'uint16' ? view.getUint16(o, true) * (q!.scale as number) + (q!.min as number)
          : qtype === 'float16' ? halfToFloat(view.getUint16(o, true))
            : dtype === 'int32' ? view.getInt32(o, true) : view.getFloat32(o, true);
      if (values[k] - values[k] !== 0) throw new FormatError(`weights: ${name} holds a non-finite value (${values[k]}) at element ${k}; the file is corrupt`);
    }
    offset += size * bytesPer;
    return { name, shape, values, group: spec.group === 'optimizer' ? 'optimizer' : 'model' };
  });
  if (offset !== data.byteLength) throw new FormatError(`weights: the manifest describes ${offset} bytes; the data has ${data.byteLength}`);
  return decoded;
}
