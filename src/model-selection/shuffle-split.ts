// scikit-learn's ShuffleSplit and StratifiedShuffleSplit: independent random splits of a given
// size (with replacement between splits, not within one), and their stratified form, which gives
// each class its share of the training and the test rows by scikit-learn's _approximate_mode (the
// floor of each class's share, the rest to the largest remainders, ties broken at random). The
// draws come from the library's one seeded generator; each split's indices are ascending.
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { withGenerator, type Generator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { countRows, type Split, type Splitter } from './splitters.js';

export interface ShuffleSplitOptions {
  /** Number of splits (default 10). */
  nSplits?: number;
  /** The test rows: a fraction in (0, 1) or a count (default 0.1, or the rest when trainSize is given). */
  testSize?: number;
  /** The training rows: a fraction or a count (default the rest). */
  trainSize?: number;
  seed?: number | null;
}

interface Sizes { nSplits: number; testSize?: number; trainSize?: number; seed: number | null }

function readOptions(options: unknown, where: string): Sizes {
  const o = checkOptions<Record<string, unknown>>(options, ['nSplits', 'testSize', 'trainSize', 'seed'], where);
  const nSplits = o.nSplits ?? 10;
  if (!Number.isSafeInteger(nSplits) || (nSplits as number) < 1) throw new ValueError(`${where}: nSplits must be an integer ≥ 1; received ${describe(nSplits)}`);
  for (const k of ['testSize', 'trainSize'] as const) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && ((v > 0 && v < 1) || (Number.isSafeInteger(v) && v >= 1)))) throw new ValueError(`${where}: ${k} must be a fraction in (0, 1) or a whole number ≥ 1; received ${describe(v)}`);
  }
  const seed = o.seed ?? null;
  if (seed !== null && !Number.isSafeInteger(seed)) throw new ValueError(`${where}: seed must be an integer or null; received ${describe(seed)}`);
  return { nSplits: nSplits as number, testSize: o.testSize as number | undefined, trainSize: o.trainSize as number | undefined, seed: seed as number | null };
}

/** The training and test counts of n samples (scikit-learn's _validate_shuffle_split). */
function counts(n: number, s: Sizes, where: string): { nTrain: number; nTest: number } {
  const size = (v: number) => (v < 1 ? v * n : v);
  const testSize = s.testSize ?? (s.trainSize === undefined ? 0.1 : undefined);
  let nTest = testSize === undefined ? undefined : testSize < 1 ? Math.ceil(size(testSize)) : testSize;
  let nTrain = s.trainSize === undefined ? undefined : s.trainSize < 1 ? Math.floor(size(s.trainSize)) : s.trainSize;
  if (nTest === undefined) nTest = n - nTrain!;
  if (nTrain === undefined) nTrain = n - nTest;
  if (nTest > n || nTrain > n) throw new ValueError(`${where}: ${nTest > n ? `testSize (${nTest} samples)` : `trainSize (${nTrain} samples)`} is more than the ${n} samples`);
  if (nTrain + nTest > n) throw new ValueError(`${where}: trainSize + testSize = ${nTrain + nTest} samples is more than the ${n} samples`);
  if (nTrain === 0) throw new ValueError(`${where}: with ${n} samples and these sizes the training set is empty`);
  if (nTest === 0) throw new ValueError(`${where}: with ${n} samples and these sizes the test set is empty`);
  return { nTrain, nTest };
}

const ascending = (v: ArrayLike<number>) => Array.from(v).sort((a, b) => a - b);

abstract class RandomSplits implements Splitter {
  protected readonly o: Sizes;

  protected constructor(options: unknown, protected readonly where: string) {
    this.o = readOptions(options, where);
  }

  getNSplits(): number {
    return this.o.nSplits;
  }

  getParams(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.o).filter(([, v]) => v !== undefined));
  }

  split(X: unknown, y?: ArrayLike<unknown> | null): Split[] {
    const where = `${this.where}.split`;
    const n = countRows(X, where);
    const { nTrain, nTest } = counts(n, this.o, where);
    const draw = this.prepare(n, nTrain, nTest, y ?? null, where);
    return withGenerator(backend(), nextSeed(this.o.seed ?? undefined, where), (random) =>
      Array.from({ length: this.o.nSplits }, () => {
        const [train, test] = draw(random);
        return [ascending(train), ascending(test)] as Split;
      }));
  }

  /** A function drawing one split's rows. */
  protected abstract prepare(n: number, nTrain: number, nTest: number, y: ArrayLike<unknown> | null, where: string): (random: Generator) => [number[], number[]];
}

/** Random splits of fixed sizes (scikit-learn's ShuffleSplit). */
export class ShuffleSplit extends RandomSplits {
  constructor(options?: ShuffleSplitOptions) {
    super(options, 'ShuffleSplit');
  }

  protected prepare(n: number, nTrain: number, nTest: number): (random: Generator) => [number[], number[]] {
    return (random) => {
      const p = Array.from(random.permutation(n));
      return [p.slice(nTest, nTest + nTrain), p.slice(0, nTest)];
    };
  }
}

/** `draws` spread over classes in proportion to their counts: floors, then the largest remainders (ties at random). */
function approximateMode(classCounts: number[], draws: number, random: Generator): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (c / total) * draws);
  const floored = continuous.map(Math.floor);
  let need = draws - floored.reduce((a, b) => a + b, 0);
  if (need > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    for (const value of [...new Set(remainder)].sort((a, b) => b - a)) {
      const tied = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const chosen = Array.from(random.shuffle(Int32Array.from(tied))).slice(0, Math.min(tied.length, need));
      for (const i of chosen) floored[i]++;
      need -= chosen.length;
      if (need === 0) break;
    }
  }
  return floored;
}

/** Random splits that keep each class's share in both parts (scikit-learn's StratifiedShuffleSplit). */
export class StratifiedShuffleSplit extends RandomSplits {
  constructor(options?: ShuffleSplitOptions) {
    super(options, 'StratifiedShuffleSplit');
  }

  protected prepare(n: number, nTrain: number, nTest: number, y: ArrayLike<unknown> | null, where: string): (random: Generator) => [number[], number[]] {
    if (!y || y.length !== n) throw new ValueError(`${where}: y must hold one label per sample of X (${n}); received ${describe(y)}`);
    const members = new Map<unknown, number[]>();
    Array.from(y).forEach((label, i) => { if (!members.has(label)) members.set(label, []); members.get(label)!.push(i); });
    const classes = [...members.values()], classCounts = classes.map((c) => c.length);
    const least = Math.min(...classCounts);
    if (least < 2) throw new ValueError(`${where}: the least populated class in y has only ${least} member, which is too few (at least 2)`);
    if (nTrain < classes.length) throw new ValueError(`${where}: the training set (${nTrain} samples) should be at least the number of classes (${classes.length})`);
    if (nTest < classes.length) throw new ValueError(`${where}: the test set (${nTest} samples) should be at least the number of classes (${classes.length})`);
    return (random) => {
      const trainCounts = approximateMode(classCounts, nTrain, random);
      const testCounts = approximateMode(classCounts.map((c, i) => c - trainCounts[i]), nTest, random);
      const train: number[] = [], test: number[] = [];
      classes.forEach((rows, c) => {
        const order = Array.from(random.permutation(rows.length), (k) => rows[k]);
        train.push(...order.slice(0, trainCounts[c]));
        test.push(...order.slice(trainCounts[c], trainCounts[c] + testCounts[c]));
      });
      return [train, test];
    };
  }
}
