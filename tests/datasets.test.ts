// The IDX reader (MNIST's format) and toCategorical, against hand-made files and the real
// Fashion-MNIST files in data/.
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { FormatError, ValueError, loadIdx, parseIdx, toCategorical } from '../dist/index.js';

/** An IDX file written from the specification: magic 0 0 type rank, big-endian sizes, big-endian values. */
function idx(type: number, width: number, shape: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + width * values.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const at = 4 + 4 * shape.length;
  values.forEach((v, i) => {
    const o = at + i * width;
    if (type === 0x08) view.setUint8(o, v);
    else if (type === 0x09) view.setInt8(o, v);
    else if (type === 0x0b) view.setInt16(o, v, false);
    else if (type === 0x0c) view.setInt32(o, v, false);
    else if (type === 0x0d) view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  });
  return out;
}

describe('IDX', () => {
  test.each([
    [0x08, 1, 'uint8', [0, 7, 255, 1, 2, 3]],
    [0x09, 1, 'int8', [-128, 7, 127, -1, 0, 3]],
    [0x0b, 2, 'int16', [-30000, 7, 300, -1, 0, 3]],
    [0x0c, 4, 'int32', [-2e9, 7, 2e9, -1, 0, 3]],
    [0x0d, 4, 'float32', [1.5, -2.25, 1e-3, 0, 3e38, -0]],
    [0x0e, 8, 'float64', [Math.PI, -1e300, 1e-300, 0, 2, 3]],
  ])('type 0x%s reads as %s, big-endian, with its shape', (type, width, name, values) => {
    const parsed = parseIdx(idx(type as number, width as number, [2, 3], values as number[]));
    expect(parsed.type).toBe(name);
    expect(parsed.shape).toEqual([2, 3]);
    const expected = name === 'float32' ? Array.from(new Float32Array(values as number[])) : values;
    expect(Array.from(parsed.data)).toEqual(expected);
  });

  test('gzip bytes and paths are read; Fashion-MNIST has its documented shapes and first labels', async () => {
    const file = idx(0x08, 1, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from((await loadIdx(gzipSync(file))).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const labels = await loadIdx('data/fashion-mnist/t10k-labels-idx1-ubyte.gz');
    expect(labels.shape).toEqual([10000]);
    // The first test labels of Fashion-MNIST: ankle boot, pullover, trouser, trouser, shirt.
    expect(Array.from(labels.data.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
    const images = await loadIdx('data/fashion-mnist/t10k-images-idx3-ubyte.gz');
    expect(images.shape).toEqual([10000, 28, 28]);
    expect(images.type).toBe('uint8');
  });

  test.each([
    ['not IDX', new Uint8Array([1, 2, 3, 4, 5]), /not an IDX file/],
    ['unknown type', new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 1, 5]), /unknown element type 0xa/],
    ['truncated header', new Uint8Array([0, 0, 8, 3, 0, 0]), /truncated header/],
    ['truncated data', idx(0x08, 1, [4], [1, 2, 3, 4]).subarray(0, 10), /needs 12 bytes; the file has 10 \(truncated\)/],
    ['corrupt gzip', new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]), /the gzip data is corrupt/],
  ])('%s → FormatError', async (_name, bytes, message) => {
    await expect(loadIdx(bytes)).rejects.toThrow(FormatError);
    await expect(loadIdx(bytes)).rejects.toThrow(message);
  });
});

describe('toCategorical', () => {
  test('one-hot rows, from arrays and typed arrays, with or without numClasses', () => {
    expect(toCategorical([0, 2, 1]).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(toCategorical(new Uint8Array([1, 1]), 4).toArray()).toEqual([[0, 1, 0, 0], [0, 1, 0, 0]]);
    expect(toCategorical([[2], [0]], 3).shape).toEqual([2, 3]);
  });

  test('bad labels name the problem', () => {
    expect(() => toCategorical([0, 1.5])).toThrow(ValueError);
    expect(() => toCategorical([0, 1.5])).toThrow(/y\[1\] must be a non-negative integer class index; received 1.5/);
    expect(() => toCategorical([0, 3], 3)).toThrow(/y holds class 3, which needs numClasses > 3; received 3/);
    expect(() => toCategorical([[1, 2]])).toThrow(/must be a list of class indices/);
  });
});
