import { ShapeError, ValueError, describe } from '../errors.js';
import { checkNumber, checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { Tensor, shapeSize } from '../tensor.js';
import { Generator } from './generator.js';
import { readF32 } from './memory.js';

export interface RandomUniformOptions {
  /** Lower bound, included (default 0). */
  low?: number;
  /** Upper bound, excluded (default 1). */
  high?: number;
  /** Integer seed in [0, 2^53); the same seed gives the same values in every runtime. */
  seed?: number;
}

export interface RandomNormalOptions {
  mean?: number;
  /** Standard deviation (default 1). */
  stddev?: number;
  /** Integer seed in [0, 2^53); the same seed gives the same values in every runtime. */
  seed?: number;
}

/**
 * A tensor of uniform values in [low, high), from the xoshiro128** generator of the WebAssembly
 * core (24 random bits per value).
 * @example randomUniform([2, 3], { seed: 42 })
 */
export function randomUniform(shape: number[], options?: RandomUniformOptions): Tensor {
  const o = checkOptions<RandomUniformOptions>(options, ['low', 'high', 'seed'], 'randomUniform');
  const low = checkNumber(o.low, 'low', 'randomUniform', 0);
  const high = checkNumber(o.high, 'high', 'randomUniform', 1);
  if (!(high > low)) throw new ValueError(`randomUniform: high must be greater than low; received low ${low}, high ${high}`);
  return fill(shape, o.seed, 'randomUniform', (random, out, n) => random.uniform(out, n, low, high));
}

/**
 * A tensor of normal values (Box–Muller in f64 over the xoshiro128** stream).
 * @example randomNormal([100], { mean: 0, stddev: 0.05, seed: 1 })
 */
export function randomNormal(shape: number[], options?: RandomNormalOptions): Tensor {
  const o = checkOptions<RandomNormalOptions>(options, ['mean', 'stddev', 'seed'], 'randomNormal');
  const mean = checkNumber(o.mean, 'mean', 'randomNormal', 0);
  const stddev = checkNumber(o.stddev, 'stddev', 'randomNormal', 1);
  if (!(stddev >= 0)) throw new ValueError(`randomNormal: stddev must be ≥ 0; received ${stddev}`);
  return fill(shape, o.seed, 'randomNormal', (random, out, n) => random.normal(out, n, mean, stddev));
}

function fill(shape: unknown, seed: unknown, where: string, kernel: (random: Generator, out: number, n: number) => void): Tensor {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: shape must be an array of non-negative integers; received ${describe(shape)}`);
  }
  const s = checkSeed(seed, where);
  const n = shapeSize(shape);
  const be = backend();
  const data = be.scoped((alloc) => {
    const random = Generator.seeded(be, alloc, s);
    const out = alloc(n * 4);
    kernel(random, out, n);
    return readF32(be, out, n);
  });
  return new Tensor(data, shape);
}

/** A seed option: an integer in [0, 2^53), or a fresh random one when omitted. */
export function checkSeed(seed: unknown, where: string): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 53);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new ValueError(`${where}: seed must be an integer in [0, 2^53); received ${describe(seed)}`);
  }
  return seed;
}
