// What a randomized search draws parameter values from, as scipy.stats' distributions do for
// scikit-learn: uniform(loc, scale) on [loc, loc + scale], logUniform(a, b) (log-uniform on [a, b],
// scipy's loguniform), randint(low, high) (integers in [low, high)); a list is a uniform choice.
import { exp, log } from '../elementary.js';
import { ValueError, describe } from '../errors.js';
import type { Generator } from '../ops/generator.js';

/** A distribution a search samples: draw(random) gives one value. */
export interface Distribution {
  readonly kind: 'uniform' | 'logUniform' | 'randint';
  readonly args: readonly number[];
  draw(random: Generator): number;
}

function finite(v: unknown, name: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: ${name} must be a finite number; received ${describe(v)}`);
  return v;
}

/** Continuous uniform on [loc, loc + scale] (scipy.stats.uniform). */
export function uniform(loc = 0, scale = 1): Distribution {
  finite(loc, 'loc', 'uniform');
  if (!(finite(scale, 'scale', 'uniform') > 0)) throw new ValueError(`uniform: scale must be > 0; received ${scale}`);
  return { kind: 'uniform', args: [loc, scale], draw: (random) => loc + scale * random.uniform01() };
}

/** Log-uniform on [a, b], 0 < a < b: exp of a uniform draw between ln a and ln b (scipy.stats.loguniform). */
export function logUniform(a: number, b: number): Distribution {
  finite(a, 'a', 'logUniform'); finite(b, 'b', 'logUniform');
  if (!(a > 0 && b > a)) throw new ValueError(`logUniform: needs 0 < a < b; received a = ${a}, b = ${b}`);
  // ln and exp of src/elementary.ts: the same bits in every engine (Math's are not).
  const la = log(a), lb = log(b);
  return { kind: 'logUniform', args: [a, b], draw: (random) => exp(la + (lb - la) * random.uniform01()) };
}

/** Integers in [low, high) (scipy.stats.randint). */
export function randint(low: number, high: number): Distribution {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) throw new ValueError(`randint: needs integers low < high; received ${describe(low)}, ${describe(high)}`);
  return { kind: 'randint', args: [low, high], draw: (random) => low + random.below(high - low) };
}

export function isDistribution(v: unknown): v is Distribution {
  return !!v && typeof v === 'object' && typeof (v as Distribution).draw === 'function' && typeof (v as Distribution).kind === 'string';
}
