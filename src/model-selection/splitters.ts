// Cross-validation splitters (scikit-learn 1.2's): KFold, StratifiedKFold and GroupKFold. Without
// shuffling their folds are scikit-learn's index for index: KFold's contiguous folds (the first
// n mod k one larger); StratifiedKFold's classes numbered by first appearance and dealt to the
// folds round robin over the sorted labels, each class's samples given to folds in blocks; the
// groups of GroupKFold given, largest first, to the fold with fewest samples so far. Shuffling
// uses the library's one seeded generator.
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { withGenerator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';

/** One split: the training rows' indices and the test rows', each ascending. */
export type Split = [train: number[], test: number[]];

export interface KFoldOptions {
  /** Number of folds (default 5, at least 2). */
  nSplits?: number;
  /** Shuffle before splitting (default false: folds in data order, as scikit-learn's). */
  shuffle?: boolean;
  /** Seed of the shuffle. */
  seed?: number | null;
}

/** What crossValScore and the searches take as cv: a splitter of this shape. */
export interface Splitter {
  split(X: unknown, y?: ArrayLike<unknown> | null, groups?: ArrayLike<unknown> | null): Split[];
  getNSplits(): number;
  /** The options that rebuild it (wasmlearn's splitters have them; a saved search keeps its splitter by them). */
  getParams?(): Record<string, unknown>;
}

function readOptions(options: unknown, where: string, known: string[]): { nSplits: number; shuffle: boolean; seed: number | null } {
  const o = checkOptions<Record<string, unknown>>(options, known, where);
  const nSplits = o.nSplits ?? 5;
  if (!Number.isSafeInteger(nSplits) || (nSplits as number) < 2) throw new ValueError(`${where}: nSplits must be an integer ≥ 2; received ${describe(nSplits)}`);
  const shuffle = o.shuffle ?? false;
  if (typeof shuffle !== 'boolean') throw new ValueError(`${where}: shuffle must be true or false; received ${describe(shuffle)}`);
  const seed = o.seed ?? null;
  if (seed !== null && !Number.isSafeInteger(seed)) throw new ValueError(`${where}: seed must be an integer or null; received ${describe(seed)}`);
  if (!shuffle && seed !== null) throw new ValueError(`${where}: seed has no effect without shuffle: true (scikit-learn refuses random_state without shuffle too)`);
  return { nSplits: nSplits as number, shuffle, seed: seed as number | null };
}

/** The number of samples of X (any input estimators take). */
export function countRows(X: unknown, where: string): number {
  const x = X as { length?: number; shape?: readonly number[]; numRows?: number };
  if (Array.isArray(X)) return X.length;
  if (x && typeof x === 'object') {
    if (typeof x.numRows === 'number') return x.numRows;
    if (Array.isArray(x.shape)) return x.shape[0];
    const columns = Object.values(x as Record<string, unknown>);
    if (columns.length && columns.every((c) => Array.isArray(c) || ArrayBuffer.isView(c))) return (columns[0] as ArrayLike<unknown>).length;
  }
  throw new ValueError(`${where}: X must be a matrix or tabular data; received ${describe(X)}`);
}

/** Test folds as splits (train: every other index). */
function fromFolds(n: number, fold: Int32Array | number[], k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    return [train, test] as Split;
  });
}

/** A permutation of [0, n) from the seeded generator. */
function permutation(n: number, seed: number | null, where: string): number[] {
  return Array.from(withGenerator(backend(), nextSeed(seed ?? undefined, where), (random) => random.permutation(n)));
}

/** The options and fold count every splitter of k folds has. */
abstract class Folds implements Splitter {
  protected readonly o: { nSplits: number; shuffle: boolean; seed: number | null };

  protected constructor(options: unknown, where: string, known: string[]) {
    this.o = readOptions(options, where, known);
  }

  getNSplits(): number {
    return this.o.nSplits;
  }

  getParams(): Record<string, unknown> {
    return { ...this.o };
  }

  abstract split(X: unknown, y?: ArrayLike<unknown> | null, groups?: ArrayLike<unknown> | null): Split[];
}

/** k contiguous folds, the first n mod k one sample larger (scikit-learn's KFold). */
export class KFold extends Folds {
  constructor(options?: KFoldOptions) {
    super(options, 'KFold', ['nSplits', 'shuffle', 'seed']);
  }

  split(X: unknown): Split[] {
    const n = countRows(X, 'KFold.split');
    const k = this.o.nSplits;
    if (k > n) throw new ValueError(`KFold.split: nSplits = ${k} is more than the ${n} samples`);
    const order = this.o.shuffle ? permutation(n, this.o.seed, 'KFold.split') : Array.from({ length: n }, (_, i) => i);
    const fold = new Int32Array(n);
    let at = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      for (let i = 0; i < size; i++) fold[order[at++]] = f;
    }
    return fromFolds(n, fold, k);
  }
}

/** Folds that keep each class's share (scikit-learn's StratifiedKFold). */
export class StratifiedKFold extends Folds {
  constructor(options?: KFoldOptions) {
    super(options, 'StratifiedKFold', ['nSplits', 'shuffle', 'seed']);
  }

  split(X: unknown, y?: ArrayLike<unknown> | null): Split[] {
    const where = 'StratifiedKFold.split';
    const n = countRows(X, where);
    if (!y || y.length !== n) throw new ValueError(`${where}: y must hold one label per sample of X (${n}); received ${describe(y)}`);
    const k = this.o.nSplits;
    // Classes numbered by first appearance.
    const code = new Map<unknown, number>();
    const encoded = Array.from(y, (label) => {
      if (!code.has(label)) code.set(label, code.size);
      return code.get(label)!;
    });
    const classes = code.size, counts = new Array<number>(classes).fill(0);
    for (const c of encoded) counts[c]++;
    if (counts.every((c) => k > c)) throw new ValueError(`${where}: nSplits = ${k} is more than the number of members of every class`);
    // Round robin over the sorted labels: fold f takes sorted[f], sorted[f + k], ….
    const sorted = [...encoded].sort((a, b) => a - b);
    const allocation = Array.from({ length: k }, () => new Array<number>(classes).fill(0));
    sorted.forEach((c, i) => allocation[i % k][c]++);
    const fold = new Int32Array(n);
    const seed = this.o.shuffle ? nextSeed(this.o.seed ?? undefined, where) : 0;
    for (let c = 0; c < classes; c++) {
      let blocks: number[] = allocation.flatMap((row, f) => new Array<number>(row[c]).fill(f));
      if (this.o.shuffle) blocks = permutation(blocks.length, seed + c, where).map((i) => blocks[i]);
      let next = 0;
      for (let i = 0; i < n; i++) if (encoded[i] === c) fold[i] = blocks[next++];
    }
    return fromFolds(n, fold, k);
  }
}

/** Folds that keep each group whole, balanced by sample count (scikit-learn's GroupKFold). */
export class GroupKFold extends Folds {
  constructor(options?: { nSplits?: number }) {
    super(options, 'GroupKFold', ['nSplits']);
  }

  override getParams(): Record<string, unknown> {
    return { nSplits: this.o.nSplits };
  }

  split(X: unknown, _y?: ArrayLike<unknown> | null, groups?: ArrayLike<unknown> | null): Split[] {
    const where = 'GroupKFold.split';
    const n = countRows(X, where);
    if (!groups || groups.length !== n) throw new ValueError(`${where}: groups must hold one group per sample of X (${n}); received ${describe(groups)}`);
    // Groups in sorted order (np.unique), their sizes.
    const unique = [...new Set(Array.from(groups))].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    if (this.o.nSplits > unique.length) throw new ValueError(`${where}: nSplits = ${this.o.nSplits} is more than the ${unique.length} groups`);
    const index = new Map(unique.map((g, i) => [g, i]));
    const sizes = new Array<number>(unique.length).fill(0);
    for (const g of Array.from(groups)) sizes[index.get(g)!]++;
    // Largest first (the ascending order reversed), each to the lightest fold so far.
    const order = sizes.map((s, i) => [s, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((p) => p[1]).reverse();
    const load = new Array<number>(this.o.nSplits).fill(0), foldOf = new Array<number>(unique.length);
    for (const g of order) {
      const lightest = load.indexOf(Math.min(...load));
      load[lightest] += sizes[g];
      foldOf[g] = lightest;
    }
    return fromFolds(n, Array.from(groups, (g) => foldOf[index.get(g)!]), this.o.nSplits);
  }
}
