import { randomNextU32, randomNormal, randomSeed, randomUniform } from '../random';
import { at } from './helpers';

// The exact stream is checked against an independent JavaScript xoshiro128** in tests/random.test.ts.

describe('random', () => {
  it('replays the same stream from the same seed and another from another seed', () => {
    const s1 = heap.alloc(16), s2 = heap.alloc(16), s3 = heap.alloc(16);
    randomSeed(s1, 42, 0);
    randomSeed(s2, 42, 0);
    randomSeed(s3, 43, 0);
    let same = 0, differ = 0;
    for (let i = 0; i < 100; i++) {
      const a = randomNextU32(s1), b = randomNextU32(s2), c = randomNextU32(s3);
      if (a == b) same++;
      if (a != c) differ++;
    }
    expect<i32>(same).toBe(100);
    expect<i32>(differ).toBeGreaterThan(97);
  });

  it('uniform values lie in [low, high) with the right mean and variance', () => {
    const s = heap.alloc(16);
    randomSeed(s, 7, 1);
    const n = 100000;
    const out = heap.alloc(<usize>n << 2);
    randomUniform(s, out, n, -2, 3);
    let sum: f64 = 0, sq: f64 = 0, lo: f64 = Infinity, hi: f64 = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = <f64>at(out, i);
      sum += v; sq += v * v;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
    const mean = sum / n, variance = sq / n - mean * mean;
    expect<bool>(lo >= -2 && hi < 3).toBe(true);
    expect<bool>(Math.abs(mean - 0.5) < 0.03).toBe(true, `mean ${mean}`);
    expect<bool>(Math.abs(variance - 25.0 / 12.0) < 0.05).toBe(true, `variance ${variance}`);
  });

  it('normal values have the asked mean and standard deviation (odd length too)', () => {
    const s = heap.alloc(16);
    randomSeed(s, 9, 0);
    const n = 100001;
    const out = heap.alloc(<usize>n << 2);
    randomNormal(s, out, n, 1.5, 0.5);
    let sum: f64 = 0, sq: f64 = 0, within1 = 0;
    for (let i = 0; i < n; i++) {
      const v = <f64>at(out, i);
      sum += v; sq += v * v;
      if (Math.abs(v - 1.5) < 0.5) within1++;
    }
    const mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
    expect<bool>(Math.abs(mean - 1.5) < 0.01).toBe(true, `mean ${mean}`);
    expect<bool>(Math.abs(std - 0.5) < 0.01).toBe(true, `std ${std}`);
    // 68.27 % of a normal lies within one standard deviation.
    expect<bool>(Math.abs(<f64>within1 / n - 0.6827) < 0.01).toBe(true);
  });
});
