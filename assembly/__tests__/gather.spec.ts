import { gatherRows } from '../gather';
import { at, randomBuffer, randomInt, seedTests } from './helpers';

describe('gatherRows', () => {
  it('copies the indexed rows in order, against a naive loop', () => {
    seedTests(51);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(1, 40), width = randomInt(1, 37), count = randomInt(1, 30), first = randomInt(0, 5);
      const src = randomBuffer(rows * width);
      const indices = heap.alloc(<usize>(first + count) << 2);
      for (let i = 0; i < first + count; i++) store<i32>(indices + (<usize>i << 2), randomInt(0, rows - 1));
      const out = heap.alloc(<usize>(count * width) << 2);
      gatherRows(src, width, indices, first, count, out);
      for (let i = 0; i < count; i++) {
        const row = load<i32>(indices + (<usize>(first + i) << 2));
        for (let j = 0; j < width; j++) expect<f32>(at(out, i * width + j)).toBe(at(src, row * width + j));
      }
    }
  });
});
