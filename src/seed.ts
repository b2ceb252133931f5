import { checkSeed } from './ops/random.js';

let sequence: number | undefined;

/**
 * Makes every later random choice that has no `seed` of its own (weight initialisation, fit's
 * shuffling and dropout) deterministic, as keras.utils.set_random_seed does: each one takes the
 * next seed of a sequence started here. Pass undefined to go back to fresh random seeds.
 */
export function setRandomSeed(seed: number | undefined): void {
  sequence = seed === undefined ? undefined : checkSeed(seed, 'setRandomSeed');
}

/** The seed for a random choice: the given one, the next of setRandomSeed's sequence, or a fresh one. */
export function nextSeed(seed: unknown, where: string): number {
  if (seed !== undefined && seed !== null) return checkSeed(seed, where);
  if (sequence === undefined) return checkSeed(undefined, where);
  // splitmix-style step in doubles below 2^53: distinct, well spread seeds from one integer.
  sequence = (sequence + 0x9e3779b9) % 2 ** 53;
  return sequence;
}
