import { describe, expect, it } from 'vitest';
import { randomNormal, randomUniform, ValueError } from '../dist/index.js';

// An independent xoshiro128** (Blackman & Vigna's reference C code, transcribed) seeded with
// splitmix64 in BigInt, to check the WebAssembly generator's exact stream.
function splitmix64(x: bigint): bigint {
  const mask = (1n << 64n) - 1n;
  let z = (x + 0x9e3779b97f4a7c15n) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return z ^ (z >> 31n);
}

function referenceStream(seed: number): () => number {
  const s = BigInt(seed);
  const a = splitmix64(s);
  const b = splitmix64((s + 0x9e3779b97f4a7c15n) & ((1n << 64n) - 1n));
  const state = new Uint32Array([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(state[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (state[1] << 9) >>> 0;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 11);
    return result;
  };
}

describe('random', () => {
  it('randomUniform is exactly the xoshiro128** stream, 24 bits per value', () => {
    for (const seed of [0, 1, 42, 2 ** 32 + 5, 2 ** 53 - 1]) {
      const next = referenceStream(seed);
      const got = randomUniform([1000], { seed, low: -3, high: 5 }).data;
      const width = Math.fround(5 - -3);
      for (let i = 0; i < got.length; i++) {
        const unit = Math.fround((next() >>> 8) / 16777216);
        expect(got[i]).toBe(Math.fround(-3 + Math.fround(width * unit)));
      }
    }
  });

  it('randomNormal is Box–Muller over the same stream', () => {
    const next = referenceStream(7);
    const got = randomNormal([999], { seed: 7, mean: 2, stddev: 3 }).data;
    const unit53 = () => {
      const hi = next() >>> 5;
      const lo = next() >>> 6;
      return (hi * 67108864 + lo) / 9007199254740992;
    };
    for (let i = 0; i < got.length; i += 2) {
      const u1 = 1 - unit53();
      const u2 = unit53();
      const r = Math.sqrt(-2 * Math.log(u1));
      expect(got[i]).toBeCloseTo(2 + 3 * r * Math.cos(2 * Math.PI * u2), 5);
      if (i + 1 < got.length) expect(got[i + 1]).toBeCloseTo(2 + 3 * r * Math.sin(2 * Math.PI * u2), 5);
    }
  });

  it('the same seed gives the same tensor; shapes are kept', () => {
    const a = randomUniform([3, 4], { seed: 9 });
    const b = randomUniform([3, 4], { seed: 9 });
    expect(a.shape).toEqual([3, 4]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(randomUniform([3, 4], { seed: 10 }).data)).not.toEqual(Array.from(a.data));
  });

  it('rejects bad options with named errors', () => {
    expect(() => randomUniform([2], { seed: -1 })).toThrow(ValueError);
    expect(() => randomUniform([2], { seed: 1.5 })).toThrow(/seed must be an integer in \[0, 2\^53\); received 1.5/);
    expect(() => randomUniform([2], { low: 1, high: 1 })).toThrow(/high must be greater than low/);
    expect(() => randomNormal([2], { stddev: -1 })).toThrow(/stddev must be ≥ 0; received -1/);
    expect(() => randomNormal([2, -1])).toThrow(/shape must be an array of non-negative integers/);
    expect(() => randomNormal([2], { std: 1 } as never)).toThrow(/unknown option 'std'; known options are mean, stddev, seed/);
  });
});
