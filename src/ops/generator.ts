// The one seeded generator every random choice draws from (DESIGN.md §6): xoshiro128** in
// assembly/random.ts, its 16-byte state in the module. Weight initialisation, shuffles, dropout
// masks, bootstrap draws, cross-validation folds and train/test splits all take their numbers
// here, so a seed gives the same choices in every runtime.
import type { Backend } from '../runtime/backend.js';
import { readF32, writeF32, type Alloc } from './memory.js';

export class Generator {
  private constructor(private readonly be: Backend, readonly state: number) {}

  /** A generator whose state lives in a block of `alloc`'s scope, seeded with an integer in [0, 2^53). */
  static seeded(be: Backend, alloc: Alloc, seed: number): Generator {
    const generator = new Generator(be, alloc(16));
    generator.reseed(seed);
    return generator;
  }

  /** Restarts the stream from a seed (an integer in [0, 2^53): both halves are used). */
  reseed(seed: number): void {
    this.be.call('randomSeed', this.state, seed % 2 ** 32, Math.floor(seed / 2 ** 32));
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextU32(): number {
    return this.be.call('randomNextU32', this.state) >>> 0;
  }

  /** A uniform integer in [0, n) from one draw (Lemire's multiply-shift, n ≤ 2^32). */
  below(n: number): number {
    return Math.floor((this.nextU32() * n) / 2 ** 32);
  }

  /** A uniform double in [0, 1) with 53 random bits (two draws: 27 high bits, 26 low). */
  uniform01(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  /** Shuffles in place: Fisher–Yates from the last position down, one draw per swap. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A shuffled copy of 0 … n − 1. */
  permutation(n: number): Int32Array {
    return this.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  }

  /** Fills n f32 values at ptr with uniform values in [low, high) (24 random bits each). */
  uniform(ptr: number, n: number, low: number, high: number): void {
    this.be.call('randomUniform', this.state, ptr, n, low, high);
  }

  /** Fills n f32 values at ptr with normal values (Box–Muller in f64). */
  normal(ptr: number, n: number, mean: number, stddev: number): void {
    this.be.call('randomNormal', this.state, ptr, n, mean, stddev);
  }

  /**
   * Fills n f32 values at ptr with normal values truncated at ±2 standard deviations (draws
   * beyond are redrawn), scaled by `scale`: Keras' truncated normal.
   */
  truncatedNormal(alloc: Alloc, ptr: number, n: number, scale: number): void {
    const out = new Float32Array(n);
    const draw = alloc(Math.max(64, n) * 4);
    let filled = 0;
    while (filled < n) {
      const batch = Math.max(64, n - filled);
      this.normal(draw, batch, 0, 1);
      const z = readF32(this.be, draw, batch);
      for (let i = 0; i < batch && filled < n; i++) if (Math.abs(z[i]) <= 2) out[filled++] = z[i] * scale;
    }
    writeF32(this.be, ptr, out);
  }
}

/** Runs `use` with a generator seeded for it alone (its state freed after). */
export function withGenerator<T>(be: Backend, seed: number, use: (random: Generator) => T): T {
  return be.scoped((alloc) => use(Generator.seeded(be, alloc, seed)));
}
