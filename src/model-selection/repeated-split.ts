// scikit-learn's RepeatedKFold and RepeatedStratifiedKFold: k-fold cross-validation repeated with
// a different shuffle each time (the repeats' seeds drawn in order from the one given).
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { nextSeed } from '../seed.js';
import { KFold, StratifiedKFold, type Split, type Splitter } from './splitters.js';

export interface RepeatedKFoldOptions {
  /** Folds per repeat (default 5). */
  nSplits?: number;
  /** Repeats (default 10). */
  nRepeats?: number;
  seed?: number | null;
}

abstract class Repeated implements Splitter {
  private readonly nSplits: number;
  private readonly nRepeats: number;
  private readonly seed: number | null;

  protected constructor(options: unknown, private readonly where: string, private readonly Folds: typeof KFold | typeof StratifiedKFold) {
    const o = checkOptions<Record<string, unknown>>(options, ['nSplits', 'nRepeats', 'seed'], where);
    const nRepeats = o.nRepeats ?? 10;
    if (!Number.isSafeInteger(nRepeats) || (nRepeats as number) < 1) throw new ValueError(`${where}: nRepeats must be an integer ≥ 1; received ${describe(nRepeats)}`);
    const seed = o.seed ?? null;
    if (seed !== null && !Number.isSafeInteger(seed)) throw new ValueError(`${where}: seed must be an integer or null; received ${describe(seed)}`);
    this.nSplits = (o.nSplits ?? 5) as number;
    new Folds({ nSplits: this.nSplits });
    this.nRepeats = nRepeats as number;
    this.seed = seed as number | null;
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  getParams(): Record<string, unknown> {
    return { nSplits: this.nSplits, nRepeats: this.nRepeats, seed: this.seed };
  }

  split(X: unknown, y?: ArrayLike<unknown> | null, groups?: ArrayLike<unknown> | null): Split[] {
    const base = nextSeed(this.seed ?? undefined, `${this.where}.split`);
    return Array.from({ length: this.nRepeats }, (_, r) =>
      (new this.Folds({ nSplits: this.nSplits, shuffle: true, seed: (base + r) % 2 ** 53 }) as Splitter).split(X, y, groups)).flat();
  }
}

/** KFold repeated with different shuffles. */
export class RepeatedKFold extends Repeated {
  constructor(options?: RepeatedKFoldOptions) {
    super(options, 'RepeatedKFold', KFold);
  }
}

/** StratifiedKFold repeated with different shuffles. */
export class RepeatedStratifiedKFold extends Repeated {
  constructor(options?: RepeatedKFoldOptions) {
    super(options, 'RepeatedStratifiedKFold', StratifiedKFold);
  }
}
