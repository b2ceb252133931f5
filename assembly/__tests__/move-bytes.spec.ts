import { moveBytes } from '../move-bytes';
import { randomInt, seedTests } from './helpers';

describe('moveBytes', () => {
  it('moves bytes forwards and backwards over overlapping ranges as a copy through a second buffer would', () => {
    seedTests(91);
    for (let trial = 0; trial < 60; trial++) {
      const size = randomInt(1, 300);
      const buf = heap.alloc(<usize>size), before = heap.alloc(<usize>size);
      for (let i = 0; i < size; i++) store<u8>(buf + i, <u8>randomInt(0, 255));
      memory.copy(before, buf, size);
      const from = randomInt(0, size - 1), to = randomInt(0, size - 1);
      const bytes = randomInt(0, size - max(from, to));
      moveBytes(buf + to, buf + from, bytes);
      for (let i = 0; i < size; i++) {
        const want = i >= to && i < to + bytes ? load<u8>(before + from + i - to) : load<u8>(before + i);
        expect<u8>(load<u8>(buf + i)).toBe(want);
      }
      heap.free(buf);
      heap.free(before);
    }
  });
});
