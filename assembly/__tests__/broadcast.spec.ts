import { broadcastCopy, broadcastSum } from '../broadcast';
import { at, close, randomBuffer, seedTests } from './helpers';

function ints(values: i32[]): usize {
  const p = heap.alloc(<usize>values.length << 2);
  for (let i = 0; i < values.length; i++) store<i32>(p + (<usize>i << 2), values[i]);
  return p;
}

describe('broadcast kernels', () => {
  it('copy stretches [2, 1] to [2, 3] per sample; sum is its adjoint: <copy(x), dy> = <x, sum(dy)>', () => {
    seedTests(81);
    const batch = 3, size = 6, inSize = 2;
    const shape = ints([2, 3]), strides = ints([1, 0]);
    const x = randomBuffer(batch * inSize), dy = randomBuffer(batch * size);
    const y = heap.alloc(<usize>(batch * size) << 2), dx = heap.alloc(<usize>(batch * inSize) << 2);
    broadcastCopy(x, y, batch, 2, shape, strides, size, inSize);
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) expect<f32>(at(y, b * size + r * 3 + c)).toBe(at(x, b * inSize + r));
    }
    broadcastSum(dy, dx, batch, 2, shape, strides, size, inSize);
    let left: f64 = 0, right: f64 = 0;
    for (let i = 0; i < batch * size; i++) left += <f64>at(y, i) * <f64>at(dy, i);
    for (let i = 0; i < batch * inSize; i++) right += <f64>at(x, i) * <f64>at(dx, i);
    expect<bool>(close(left, right, 1e-5, 1e-6)).toBe(true);
  });
});
