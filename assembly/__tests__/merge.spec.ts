import { Merge } from '../codes';
import { addInto, concatBackward, concatForward, mergeBackward, mergeForward } from '../merge';
import { at, copyBuffer, randomBuffer, randomInt, seedTests, set } from './helpers';

/** k pointers as the i32 list the kernels read. */
function list(ptrs: usize[]): usize {
  const p = heap.alloc(<usize>ptrs.length << 2);
  for (let i = 0; i < ptrs.length; i++) store<i32>(p + (<usize>i << 2), <i32>ptrs[i]);
  return p;
}

describe('merge kernels', () => {
  it('multiply: y = Π x_i and dx_i = dy · Π_{j≠i} x_j, against naive loops', () => {
    seedTests(61);
    const k = 3, n = 13;
    const xs: usize[] = [randomBuffer(n), randomBuffer(n), randomBuffer(n)];
    const y = heap.alloc(n << 2), dy = randomBuffer(n);
    const dxs: usize[] = [heap.alloc(n << 2), 0, heap.alloc(n << 2)];
    mergeForward(Merge.Multiply, list(xs), k, n, y);
    mergeBackward(Merge.Multiply, list(xs), k, n, y, dy, list(dxs));
    for (let j = 0; j < n; j++) {
      expect<f32>(at(y, j)).toBe(at(xs[0], j) * at(xs[1], j) * at(xs[2], j));
      expect<f32>(at(dxs[0], j)).toBe(at(dy, j) * at(xs[1], j) * at(xs[2], j));
      expect<f32>(at(dxs[2], j)).toBe(at(dy, j) * at(xs[0], j) * at(xs[1], j));
    }
  });

  it('maximum: a tie sends the gradient to the first input only', () => {
    const a = heap.alloc(8), b = heap.alloc(8), y = heap.alloc(8), dy = heap.alloc(8), da = heap.alloc(8), db = heap.alloc(8);
    set(a, 0, 2); set(b, 0, 2); set(a, 1, -1); set(b, 1, 3);
    set(dy, 0, 5); set(dy, 1, 7);
    mergeForward(Merge.Maximum, list([a, b]), 2, 2, y);
    mergeBackward(Merge.Maximum, list([a, b]), 2, 2, y, dy, list([da, db]));
    expect<f32>(at(y, 0)).toBe(2);
    expect<f32>(at(y, 1)).toBe(3);
    expect<f32>(at(da, 0)).toBe(5);
    expect<f32>(at(db, 0)).toBe(0);
    expect<f32>(at(da, 1)).toBe(0);
    expect<f32>(at(db, 1)).toBe(7);
  });

  it('concatenation backward gives back what forward joined; addInto adds (SIMD body and tail)', () => {
    seedTests(62);
    for (let trial = 0; trial < 10; trial++) {
      const outer = randomInt(1, 9), w0 = randomInt(1, 7), w1 = randomInt(1, 7);
      const x0 = randomBuffer(outer * w0), x1 = randomBuffer(outer * w1);
      const widths = heap.alloc(8);
      store<i32>(widths, w0);
      store<i32>(widths + 4, w1);
      const y = heap.alloc(<usize>(outer * (w0 + w1)) << 2);
      concatForward(list([x0, x1]), widths, 2, outer, y);
      const d0 = heap.alloc(<usize>(outer * w0) << 2), d1 = heap.alloc(<usize>(outer * w1) << 2);
      concatBackward(y, widths, 2, outer, list([d0, d1]));
      for (let i = 0; i < outer * w0; i++) expect<f32>(at(d0, i)).toBe(at(x0, i));
      for (let i = 0; i < outer * w1; i++) expect<f32>(at(d1, i)).toBe(at(x1, i));
      const sum = copyBuffer(x0, outer * w0);
      addInto(sum, d0, outer * w0);
      for (let i = 0; i < outer * w0; i++) expect<f32>(at(sum, i)).toBe(at(x0, i) + at(x0, i));
    }
  });
});
