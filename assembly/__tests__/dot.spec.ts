import { dotBackward, dotForward, l2NormalizeForward } from '../dot';
import { at, close, randomBuffer, randomInt, seedTests } from './helpers';

describe('dot kernels', () => {
  it('forward and backward of x (p × k, stored k × p) · y (k × q) against naive loops', () => {
    seedTests(71);
    for (let trial = 0; trial < 10; trial++) {
      const batch = randomInt(1, 4), p = randomInt(1, 5), q = randomInt(1, 5), k = randomInt(1, 6);
      // x stored transposed (k × p): x(i, c) at c·p + i; y stored as k × q.
      const x = randomBuffer(batch * p * k), y = randomBuffer(batch * k * q), dz = randomBuffer(batch * p * q);
      const z = heap.alloc(<usize>(batch * p * q) << 2), dx = heap.alloc(<usize>(batch * p * k) << 2), dy = heap.alloc(<usize>(batch * k * q) << 2);
      dotForward(x, y, z, batch, p, q, k, 1, p, q, 1, p * k, k * q);
      dotBackward(x, y, dz, dx, dy, batch, p, q, k, 1, p, q, 1, p * k, k * q);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < p; i++) {
          for (let j = 0; j < q; j++) {
            let s: f64 = 0;
            for (let c = 0; c < k; c++) s += <f64>at(x, b * p * k + c * p + i) * <f64>at(y, b * k * q + c * q + j);
            expect<bool>(close(at(z, (b * p + i) * q + j), s, 1e-5, 1e-6)).toBe(true);
          }
        }
        for (let i = 0; i < p; i++) {
          for (let c = 0; c < k; c++) {
            let s: f64 = 0;
            for (let j = 0; j < q; j++) s += <f64>at(dz, (b * p + i) * q + j) * <f64>at(y, b * k * q + c * q + j);
            expect<bool>(close(at(dx, b * p * k + c * p + i), s, 1e-5, 1e-6)).toBe(true);
          }
        }
        for (let c = 0; c < k; c++) {
          for (let j = 0; j < q; j++) {
            let s: f64 = 0;
            for (let i = 0; i < p; i++) s += <f64>at(dz, (b * p + i) * q + j) * <f64>at(x, b * p * k + c * p + i);
            expect<bool>(close(at(dy, b * k * q + c * q + j), s, 1e-5, 1e-6)).toBe(true);
          }
        }
      }
    }
  });

  it('l2 normalization over the middle axis gives unit vectors and keeps the norms', () => {
    seedTests(72);
    const outer = 3, n = 5, inner = 2;
    const x = randomBuffer(outer * n * inner), u = heap.alloc(<usize>(outer * n * inner) << 2), norms = heap.alloc(<usize>(outer * inner) << 2);
    l2NormalizeForward(x, u, norms, outer, n, inner);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < inner; r++) {
        let s: f64 = 0, su: f64 = 0;
        for (let c = 0; c < n; c++) {
          s += <f64>at(x, (o * n + c) * inner + r) ** 2;
          su += <f64>at(u, (o * n + c) * inner + r) ** 2;
        }
        expect<bool>(close(at(norms, o * inner + r), Math.sqrt(s), 1e-6, 0)).toBe(true);
        expect<bool>(close(su, 1, 1e-5, 0)).toBe(true);
      }
    }
  });
});
