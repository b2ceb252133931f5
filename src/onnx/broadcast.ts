// Multidirectional broadcasting (numpy's rules, ONNX's Broadcasting.md): the output dims of two
// or more inputs, and each input's element index for every output element.
import { ShapeError } from '../errors.js';
import { dimsText } from './operator.js';
import { sizeOf } from './value.js';

export function broadcastDims(where: string, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new ShapeError(`${where}: shapes ${shapes.map(dimsText).join(' and ')} do not broadcast (dimension ${o}: ${out[o]} and ${d})`);
    }
  }
  return out;
}

/**
 * For each output element of dims `out`, the index into an input of dims `dims` (broadcast to
 * `out`). Identity (null) when the shapes are equal; the common cases (a scalar, a suffix such as a
 * bias row) are plain arithmetic.
 */
export function broadcastIndex(dims: readonly number[], out: readonly number[]): Int32Array | null {
  const n = sizeOf(out);
  const size = sizeOf(dims);
  if (dims.length === out.length && dims.every((d, i) => d === out[i])) return null;
  const index = new Int32Array(n);
  if (size === 1) return index;
  // A suffix of the output's dims (after leading 1s): repeat it.
  const trimmed = [...dims];
  while (trimmed.length && trimmed[0] === 1) trimmed.shift();
  const suffix = out.slice(out.length - trimmed.length);
  if (trimmed.every((d, i) => d === suffix[i])) {
    for (let i = 0; i < n; i++) index[i] = i % size;
    return index;
  }
  const rank = out.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const o = rank - dims.length + i;
    strides[o] = dims[i] === 1 ? 0 : stride;
    stride *= dims[i];
  }
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    index[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      at += strides[d];
      if (counter[d] < out[d]) break;
      at -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return index;
}
