import { swapAxes } from '../swap-axes';
import { at, randomBuffer, randomInt, seedTests } from './helpers';

describe('swapAxes', () => {
  it('y[o][j][m][i][t] = x[o][i][m][j][t] for random sizes (inner runs of 1 and more), against the index formula', () => {
    seedTests(77);
    for (let trial = 0; trial < 40; trial++) {
      const outer = randomInt(1, 3), a = randomInt(1, 9), mid = randomInt(1, 4), b = randomInt(1, 9), inner = trial % 2 == 0 ? 1 : randomInt(1, 6);
      const size = outer * a * mid * b * inner;
      const x = randomBuffer(size);
      const y = heap.alloc(<usize>size << 2);
      swapAxes(x, y, outer, a, mid, b, inner);
      for (let o = 0; o < outer; o++) for (let i = 0; i < a; i++) for (let m = 0; m < mid; m++) for (let j = 0; j < b; j++) for (let t = 0; t < inner; t++) {
        const from = (((o * a + i) * mid + m) * b + j) * inner + t;
        const to = (((o * b + j) * mid + m) * a + i) * inner + t;
        expect<f32>(at(y, to)).toBe(at(x, from));
      }
    }
  });
});
