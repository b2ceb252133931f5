// The one seeded generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom
// number generators", ACM TOMS 2021), 128 bits of state, period 2^128 − 1. The state (four u32)
// lives in caller-owned memory, so streams are plain data and every runtime replays the same one.
// Seeding expands a 64-bit seed with splitmix64 (Steele, Lea & Flood 2014), which never yields
// the forbidden all-zero state from different seeds in practice and decorrelates nearby seeds.

function splitmix64(x: u64): u64 {
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Fills the 16-byte state at `state` from a seed given as two u32 halves. */
export function randomSeed(state: usize, seedLow: u32, seedHigh: u32): void {
  const seed = (<u64>seedHigh << 32) | <u64>seedLow;
  const a = splitmix64(seed);
  const b = splitmix64(seed + 0x9e3779b97f4a7c15);
  store<u32>(state, <u32>a);
  store<u32>(state, <u32>(a >> 32), 4);
  store<u32>(state, <u32>b, 8);
  store<u32>(state, <u32>(b >> 32), 12);
  if ((<u32>a | <u32>(a >> 32) | <u32>b | <u32>(b >> 32)) == 0) store<u32>(state, 1);
}

/** Next u32 of the stream (xoshiro128**: rotl(s1 · 5, 7) · 9, then the linear state update). */
export function randomNextU32(state: usize): u32 {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
  return result;
}

/** Uniform in [0, 1) with 24 random bits: exactly representable in f32, never 1. */
// @ts-ignore: decorator
@inline
function nextUnitF32(state: usize): f32 {
  return <f32>(randomNextU32(state) >>> 8) * (1.0 / 16777216.0);
}

/** Uniform in [0, 1) with 53 random bits, for transforms that need f64 precision. */
// @ts-ignore: decorator
@inline
function nextUnitF64(state: usize): f64 {
  const hi = <u64>(randomNextU32(state) >>> 5);
  const lo = <u64>(randomNextU32(state) >>> 6);
  return <f64>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

/** out[i] = low + (high − low) · u, u uniform in [0, 1). */
export function randomUniform(state: usize, out: usize, n: i32, low: f32, high: f32): void {
  const width = high - low;
  for (let i = 0; i < n; i++) {
    store<f32>(out + (<usize>i << 2), low + width * nextUnitF32(state));
  }
}

/**
 * out[i] = mean + std · z, z standard normal by the Box–Muller transform in f64:
 * z0 = √(−2 ln u1) cos 2πu2, z1 = √(−2 ln u1) sin 2πu2, with u1 ∈ (0, 1].
 */
export function randomNormal(state: usize, out: usize, n: i32, mean: f32, std: f32): void {
  for (let i = 0; i < n; i += 2) {
    const u1 = 1.0 - nextUnitF64(state);
    const u2 = nextUnitF64(state);
    const r = Math.sqrt(-2.0 * Math.log(u1));
    const theta = 2.0 * Math.PI * u2;
    store<f32>(out + (<usize>i << 2), <f32>(mean + std * r * Math.cos(theta)));
    if (i + 1 < n) store<f32>(out + (<usize>(i + 1) << 2), <f32>(mean + std * r * Math.sin(theta)));
  }
}
