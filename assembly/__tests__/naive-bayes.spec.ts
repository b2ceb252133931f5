import { gaussianSquares } from '../naive-bayes';
import { at, close, randomBuffer, randomInt, seedTests } from './helpers';

function randomF64(count: i32, shift: f64): usize {
  const f = randomBuffer(count);
  const p = heap.alloc(<usize>max(count, 1) << 3);
  for (let i = 0; i < count; i++) store<f64>(p + (<usize>i << 3), <f64>at(f, i) + shift);
  return p;
}

describe('naive Bayes kernels', () => {
  it('Gaussian squared deviations over variances against naive loops', () => {
    seedTests(94);
    for (let trial = 0; trial < 8; trial++) {
      const n = randomInt(1, 20), d = randomInt(1, 11), k = randomInt(1, 5);
      const x = randomF64(n * d, 0), theta = randomF64(k * d, 0), variance = randomF64(k * d, 1.5);
      const out = heap.alloc(<usize>n * k << 3);
      gaussianSquares(x, d, theta, variance, k, out, 0, n);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let s: f64 = 0;
          for (let f = 0; f < d; f++) {
            const u = load<f64>(x + ((<usize>i * d + f) << 3)) - load<f64>(theta + ((<usize>c * d + f) << 3));
            s += (u * u) / load<f64>(variance + ((<usize>c * d + f) << 3));
          }
          expect<bool>(close(load<f64>(out + ((<usize>i * k + c) << 3)), s, 1e-12, 1e-14)).toBe(true);
        }
      }
    }
  });
});
