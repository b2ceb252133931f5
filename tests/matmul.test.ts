import { describe, expect, it } from 'vitest';
import {
  matMul, Tensor, backendInfo, ShapeError, ValueError, WasmlearnError, OutOfMemoryError,
} from '../dist/index.js';
import { naiveMatMul, randomArray, testRandom } from './reference.js';

function expectClose(got: Float32Array, want: { value: Float64Array; magnitude: Float64Array }, k: number): void {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    // f32 accumulation error bound: about k·ε·Σ|a·b|.
    const tolerance = 2e-7 * (k + 2) * want.magnitude[i] + 1e-30;
    worst = Math.max(worst, Math.abs(got[i] - want.value[i]) / tolerance);
  }
  expect(worst).toBeLessThanOrEqual(1);
}

describe('matMul against a naive f64 reference', () => {
  it('random shapes 1..67 with every transpose combination', () => {
    const next = testRandom(1);
    for (let trial = 0; trial < 40; trial++) {
      const [m, n, k] = [1 + Math.floor(next() * 67), 1 + Math.floor(next() * 67), 1 + Math.floor(next() * 67)];
      const transposeA = (trial & 1) === 1;
      const transposeB = (trial & 2) === 2;
      const a = randomArray(m * k, next);
      const b = randomArray(k * n, next);
      const c = matMul(
        { data: a, shape: transposeA ? [k, m] : [m, k] },
        { data: b, shape: transposeB ? [n, k] : [k, n] },
        { transposeA, transposeB },
      );
      expect(c).toBeInstanceOf(Tensor);
      expect(c.shape).toEqual([m, n]);
      expectClose(c.data, naiveMatMul(a, b, m, n, k, transposeA, transposeB), k);
    }
  });

  it("the MLP's shapes (large enough to use the worker pool)", () => {
    const next = testRandom(2);
    for (const [m, n, k, tA, tB] of [[100, 500, 784, false, false], [784, 500, 100, true, false], [100, 784, 500, false, true]] as const) {
      const a = randomArray(m * k, next);
      const b = randomArray(k * n, next);
      const c = matMul({ data: a, shape: tA ? [k, m] : [m, k] }, { data: b, shape: tB ? [n, k] : [k, n] }, { transposeA: tA, transposeB: tB });
      expectClose(c.data, naiveMatMul(a, b, m, n, k, tA, tB), k);
    }
  });

  it('a hand-computed product from nested arrays', () => {
    const c = matMul([[1, 2, 3], [4, 5, 6]], [[7, 8], [9, 10], [11, 12]]);
    expect(c.toArray()).toEqual([[58, 64], [139, 154]]);
    expect(matMul([[2]], [[3]]).toArray()).toEqual([[6]]);
    expect(matMul([[1, 2], [3, 4]], [[1, 2], [3, 4]], { transposeA: true }).toArray()).toEqual([[10, 14], [14, 20]]);
  });

  it('accepts Tensors, typed arrays of other types and number arrays with a shape', () => {
    const viaTensor = matMul(new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]), { data: new Float64Array([1, 0, 0, 1]), shape: [2, 2] });
    expect(viaTensor.toArray()).toEqual([[1, 2], [3, 4]]);
    const viaArray = matMul({ data: [1, 2, 3, 4, 5, 6], shape: [3, 2] }, { data: new Int32Array([1, 1]), shape: [2, 1] });
    expect(viaArray.toArray()).toEqual([[3], [7], [11]]);
  });

  it('never mutates or keeps its inputs, and returns a fresh array', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const nested = [[1, 0], [0, 1]];
    const c = matMul({ data: a, shape: [2, 2] }, nested);
    expect(Array.from(a)).toEqual([1, 2, 3, 4]);
    expect(nested).toEqual([[1, 0], [0, 1]]);
    a[0] = 100;
    expect(c.data[0]).toBe(1);
    expect(c.data.buffer).not.toBe(a.buffer);
  });

  it('frees every block it took (the arena returns to where it was)', () => {
    const before = backendInfo().arenaBytesInUse;
    matMul(randomArray2(50, 60), randomArray2(60, 70));
    expect(backendInfo().arenaBytesInUse).toBe(before);
    expect(() => matMul([[1, 2]], [[1, 2]])).toThrow(ShapeError);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

function randomArray2(rows: number, cols: number): { data: Float32Array; shape: number[] } {
  return { data: randomArray(rows * cols, testRandom(rows * 31 + cols)), shape: [rows, cols] };
}

describe('matMul rejects bad input with a named error, never a trap', () => {
  const cases: [string, () => unknown, typeof WasmlearnError, RegExp][] = [
    ['inner sizes differ', () => matMul([[1, 2]], [[1, 2]]), ShapeError, /inner sizes differ: a is \[1, 2\] and b is \[1, 2\]/],
    ['inner sizes differ (transposed)', () => matMul([[1, 2], [3, 4], [5, 6]], [[1, 2]], { transposeA: true }), ShapeError, /aᵀ is \[2, 3\] and b is \[1, 2\]/],
    ['rank 1', () => matMul([1, 2, 3], [[1], [2], [3]]), ShapeError, /a must be a matrix \(rank 2\); received shape \[3\]/],
    ['rank 3', () => matMul([[1]], [[[1]]]), ShapeError, /b must be a matrix \(rank 2\); received shape \[1, 1, 1\]/],
    ['empty array', () => matMul([], [[1]]), ShapeError, /a must be a matrix \(rank 2\); received shape \[0\]/],
    ['empty rows', () => matMul({ data: [], shape: [0, 3] }, [[1], [2], [3]]), ValueError, /a must not be empty; received shape \[0, 3\]/],
    ['NaN', () => matMul([[1, NaN]], [[1], [2]]), ValueError, /a must hold finite numbers; element 1 \(at \[0, 1\]\) is NaN/],
    ['Infinity', () => matMul([[1, 2]], { data: new Float32Array([1, Infinity]), shape: [2, 1] }), ValueError, /b must hold finite numbers; element 1 \(at \[1, 0\]\) is Infinity/],
    ['a string', () => matMul('abc' as never, [[1]]), ValueError, /a must be a Tensor, nested arrays of numbers, or \{ data: typed array, shape \}; received the string "abc"/],
    ['null', () => matMul(null as never, [[1]]), ValueError, /received null/],
    ['a string inside', () => matMul([[1, '2' as never]], [[1], [2]]), ValueError, /a\[0\]\[1\] must be a number; received the string "2"/],
    ['ragged', () => matMul([[1, 2], [3]], [[1], [2]]), ShapeError, /a is ragged: matMul: a\[1\] should be an array of length 2/],
    ['data/shape mismatch', () => matMul({ data: new Float32Array(5), shape: [2, 3] }, [[1]]), ShapeError, /data has 5 elements but shape \[2, 3\] needs 6/],
    ['bad shape', () => matMul({ data: new Float32Array(2), shape: [2, -1] }, [[1]]), ShapeError, /shape must hold non-negative integers/],
    ['bigint data', () => matMul({ data: new BigInt64Array(1) as never, shape: [1, 1] }, [[1]]), ValueError, /must hold numbers, not bigints/],
    ['unknown option', () => matMul([[1]], [[1]], { transpose: true } as never), ValueError, /unknown option 'transpose'; known options are transposeA, transposeB/],
    ['non-boolean option', () => matMul([[1]], [[1]], { transposeA: 1 } as never), ValueError, /transposeA must be true or false; received 1/],
    ['options not an object', () => matMul([[1]], [[1]], 'yes' as never), ValueError, /options must be an object/],
  ];
  for (const [name, call, type, message] of cases) {
    it(name, () => {
      const before = backendInfo().arenaBytesInUse;
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(WasmlearnError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).name).toBe(type.name);
      expect(backendInfo().arenaBytesInUse).toBe(before);
    });
  }

  it('out of memory is a clear error, after which the library still works', () => {
    // Tiny inputs, a 30000×30000 result: 3.6 GB, beyond the 2 GiB wasm memory.
    const a = { data: new Float32Array(30000).fill(1), shape: [30000, 1] };
    const b = { data: new Float32Array(30000).fill(1), shape: [1, 30000] };
    const before = backendInfo().arenaBytesInUse;
    expect(() => matMul(a, b)).toThrow(OutOfMemoryError);
    expect(() => matMul(a, b)).toThrow(/out of memory: a request for 3\.35 GiB/);
    expect(backendInfo().arenaBytesInUse).toBe(before);
    expect(matMul([[1, 2]], [[3], [4]]).toArray()).toEqual([[11]]);
  });
});
