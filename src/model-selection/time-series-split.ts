// scikit-learn's TimeSeriesSplit: folds in time order, each test fold after its training rows (a
// gap between them if asked, the training rows capped at maxTrainSize) — never training on the
// future. Index for index scikit-learn's.
import { ValueError, describe } from '../errors.js';
import { countRows, type Split, type Splitter } from './splitters.js';
import { checkOptions } from '../options.js';

export interface TimeSeriesSplitOptions {
  /** Number of splits (default 5, at least 2). */
  nSplits?: number;
  /** The most training rows (the latest ones); default all before the test rows. */
  maxTrainSize?: number | null;
  /** Rows per test fold (default n / (nSplits + 1), rounded down). */
  testSize?: number | null;
  /** Rows left out between the training rows and the test fold (default 0). */
  gap?: number;
}

const count = (v: unknown, name: string, min: number, where: string): void => {
  if (v !== undefined && v !== null && !(Number.isSafeInteger(v) && (v as number) >= min)) throw new ValueError(`${where}: ${name} must be an integer ≥ ${min}; received ${describe(v)}`);
};

/** Expanding-window (or sliding, with maxTrainSize) splits of ordered samples. */
export class TimeSeriesSplit implements Splitter {
  private readonly o: { nSplits: number; maxTrainSize: number | null; testSize: number | null; gap: number };

  constructor(options?: TimeSeriesSplitOptions) {
    const where = 'TimeSeriesSplit';
    const o = checkOptions<Record<string, unknown>>(options, ['nSplits', 'maxTrainSize', 'testSize', 'gap'], where) as TimeSeriesSplitOptions;
    count(o.nSplits, 'nSplits', 2, where);
    count(o.maxTrainSize, 'maxTrainSize', 1, where);
    count(o.testSize, 'testSize', 1, where);
    count(o.gap, 'gap', 0, where);
    this.o = { nSplits: o.nSplits ?? 5, maxTrainSize: o.maxTrainSize ?? null, testSize: o.testSize ?? null, gap: o.gap ?? 0 };
  }

  getNSplits(): number {
    return this.o.nSplits;
  }

  getParams(): Record<string, unknown> {
    return { ...this.o };
  }

  split(X: unknown): Split[] {
    const where = 'TimeSeriesSplit.split';
    const n = countRows(X, where);
    const { nSplits, maxTrainSize, gap } = this.o;
    const testSize = this.o.testSize ?? Math.floor(n / (nSplits + 1));
    if (nSplits + 1 > n) throw new ValueError(`${where}: ${nSplits + 1} folds (nSplits + 1) are more than the ${n} samples`);
    if (n - gap - testSize * nSplits <= 0) throw new ValueError(`${where}: too many splits (${nSplits}) for ${n} samples with testSize ${testSize} and gap ${gap}`);
    const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
    const out: Split[] = [];
    for (let testStart = n - nSplits * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - gap;
      const trainStart = maxTrainSize && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
      out.push([range(trainStart, trainEnd), range(testStart, testStart + testSize)]);
    }
    return out;
  }
}
