import { describe, expect, it } from 'vitest';
import { Tensor, toTensor, ShapeError, ValueError } from '../dist/index.js';

describe('Tensor', () => {
  it('holds a Float32Array and a frozen shape, and converts back to nested arrays', () => {
    const t = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t.rank).toBe(2);
    expect(t.size).toBe(6);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(new Tensor(new Float32Array([7]), []).toArray()).toBe(7);
    expect(new Tensor(new Float32Array([1, 2]), [2]).toArray()).toEqual([1, 2]);
    expect(new Tensor(new Float32Array(8).map((_, i) => i), [2, 2, 2]).toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    expect(new Tensor(new Float32Array(0), [0, 3]).toArray()).toEqual([]);
  });

  it('rejects data that does not match its shape, bad shapes and other arrays', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/data has 5 elements but shape \[2, 3\] needs 6/);
    expect(() => new Tensor(new Float32Array(2), [-1, -2])).toThrow(/shape must hold non-negative integers/);
    expect(() => new Tensor(new Float64Array(2) as never, [2])).toThrow(/data must be a Float32Array \(use toTensor for other inputs\); received Float64Array\(2\)/);
  });
});

describe('toTensor', () => {
  it('converts nested arrays, typed arrays with a shape and Tensors, always copying', () => {
    const nested = [[1, 2], [3, 4]];
    const t = toTensor(nested, 'x');
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    const source = new Float32Array([1, 2, 3]);
    const u = toTensor({ data: source, shape: [3] }, 'x');
    source[0] = 9;
    expect(u.data[0]).toBe(1);
    const v = toTensor(new Tensor(new Float32Array([5, 6]), [1, 2]), 'x');
    expect(v.toArray()).toEqual([[5, 6]]);
    expect(toTensor({ data: new Uint8Array([255, 0]), shape: [2] }, 'x').data).toEqual(new Float32Array([255, 0]));
  });

  it('names the argument and the place of a bad value', () => {
    expect(() => toTensor([[1, 2], [3, NaN]], 'x')).toThrow(/x must hold finite numbers; element 3 \(at \[1, 1\]\) is NaN/);
    expect(() => toTensor([[1], [2, 3]], 'x')).toThrow(ShapeError);
    expect(() => toTensor([[[1]], [[true]]], 'x')).toThrow(/x\[1\]\[0\]\[0\] must be a number; received a boolean/);
    expect(() => toTensor([['a']], 'x')).toThrow(ValueError);
    expect(() => toTensor({ data: 'abc', shape: [3] }, 'x')).toThrow(/x.data must be a typed array or an array of numbers; received the string "abc"/);
    expect(() => toTensor({ data: [1, 'b'], shape: [2] }, 'x')).toThrow(/x.data\[1\] must be a number; received the string "b"/);
    expect(() => toTensor({ data: new DataView(new ArrayBuffer(8)), shape: [2] }, 'x')).toThrow(/x.data must be a typed array/);
    expect(() => toTensor(42, 'x')).toThrow(/x must be a Tensor, nested arrays of numbers, or \{ data: typed array, shape \}; received 42/);
  });
});
