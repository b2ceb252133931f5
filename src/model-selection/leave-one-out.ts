// scikit-learn's LeaveOneOut and LeavePOut: every sample (every set of p samples) the test fold
// once, the rest the training rows — n splits (C(n, p) splits), in scikit-learn's order.
import { ValueError, describe } from '../errors.js';
import { countRows, type Split, type Splitter } from './splitters.js';

/** Each sample its own test fold. */
export class LeaveOneOut implements Splitter {
  private n = 0;

  constructor(options?: Record<string, never>) {
    if (options !== undefined && (options === null || typeof options !== 'object' || Object.keys(options).length)) throw new ValueError(`LeaveOneOut: takes no options; received ${describe(options)}`);
  }

  /** The number of samples of the last split (scikit-learn's get_n_splits(X) needs X: call split first). */
  getNSplits(): number {
    return this.n;
  }

  getParams(): Record<string, unknown> {
    return {};
  }

  split(X: unknown): Split[] {
    const n = countRows(X, 'LeaveOneOut.split');
    if (n < 2) throw new ValueError(`LeaveOneOut.split: needs at least 2 samples; received ${n}`);
    this.n = n;
    return Array.from({ length: n }, (_, i) => [Array.from({ length: n - 1 }, (_, k) => (k < i ? k : k + 1)), [i]] as Split);
  }
}

/** Every set of p samples a test fold (combinations in lexicographic order). */
export class LeavePOut implements Splitter {
  private readonly p: number;
  private n = 0;

  constructor(options: { p: number }) {
    const p = (options as { p?: unknown })?.p;
    if (!Number.isSafeInteger(p) || (p as number) < 1) throw new ValueError(`LeavePOut: p must be an integer ≥ 1; received ${describe(p)}`);
    for (const k of Object.keys(options)) if (k !== 'p') throw new ValueError(`LeavePOut: unknown option '${k}'; known options are p`);
    this.p = p as number;
  }

  getNSplits(): number {
    let c = 1;
    for (let i = 0; i < this.p; i++) c = (c * (this.n - i)) / (i + 1);
    return Math.round(c);
  }

  getParams(): Record<string, unknown> {
    return { p: this.p };
  }

  split(X: unknown): Split[] {
    const where = 'LeavePOut.split';
    const n = countRows(X, where), p = this.p;
    if (p >= n) throw new ValueError(`${where}: p = ${p} must be less than the ${n} samples`);
    this.n = n;
    if (this.getNSplits() > 1e6) throw new ValueError(`${where}: C(${n}, ${p}) = ${this.getNSplits()} splits are too many; use KFold or ShuffleSplit`);
    const out: Split[] = [];
    const pick = Array.from({ length: p }, (_, i) => i);
    for (;;) {
      const test = pick.slice(), inTest = new Set(test);
      out.push([Array.from({ length: n }, (_, i) => i).filter((i) => !inTest.has(i)), test]);
      let k = p - 1;
      while (k >= 0 && pick[k] === n - p + k) k--;
      if (k < 0) break;
      pick[k]++;
      for (let j = k + 1; j < p; j++) pick[j] = pick[j - 1] + 1;
    }
    return out;
  }
}
