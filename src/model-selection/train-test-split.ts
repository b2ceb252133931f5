// Splitting data for evaluation (scikit-learn's train_test_split): a seeded shuffle (the library's
// one generator and shuffle), optionally
// stratified so that each class keeps its share in both parts.
import { ShapeError, ValueError } from '../errors.js';
import { toMatrix, type MatrixLike } from '../matrix.js';
import { Generator } from '../ops/generator.js';
import { backend } from '../runtime/backend.js';
import { checkOptions } from '../options.js';
import { nextSeed } from '../seed.js';
import { isTabular, type TabularData } from '../tabular/table.js';
import { samplesOf } from './samples.js';

export interface SplitOptions {
  /** Fraction (0, 1) or number of test samples (default 0.25). */
  testSize?: number;
  /** Labels to stratify by (usually y): each class is split in the same proportion. */
  stratify?: ArrayLike<number | string> | null;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default: fresh, or setRandomSeed's sequence). */
  seed?: number | null;
}

export interface Splits<X, T> {
  xTrain: X; xTest: X; yTrain: T[]; yTest: T[]; trainIndex: number[]; testIndex: number[];
}

/**
 * Splits X (and y, if given) into train and test parts: a matrix into rows of numbers; tabular
 * data (row objects, column objects, an Arrow table) into the same kind of table — row objects
 * as row objects, the others as column objects — gaps and strings kept.
 * @example const { xTrain, xTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.3, stratify: y, seed: 0 });
 */
export function trainTestSplit<T extends number | string>(X: TabularData, y?: ArrayLike<T> | null, options?: SplitOptions): Splits<TabularData, T>;
export function trainTestSplit<T extends number | string>(X: MatrixLike, y?: ArrayLike<T> | null, options?: SplitOptions): Splits<number[][], T>;
export function trainTestSplit<T extends number | string>(X: MatrixLike, y?: ArrayLike<T> | null, options: SplitOptions = {}): Splits<number[][] | TabularData, T> {
  const where = 'trainTestSplit';
  checkOptions<SplitOptions>(options, ['testSize', 'stratify', 'shuffle', 'seed'], where);
  const tabular = isTabular(X) ? samplesOf(X, null, where) : null;
  const data = tabular ? null : toMatrix(X, `${where}: X`);
  const n = tabular ? tabular.n : data!.rows;
  if (y && y.length !== n) throw new ShapeError(`${where}: y has ${y.length} values but X has ${n} samples`);
  const size = options.testSize ?? 0.25;
  if (!(typeof size === 'number' && ((size > 0 && size < 1) || (Number.isInteger(size) && size >= 1 && size < n)))) {
    throw new ValueError(`${where}: testSize must be a fraction in (0, 1) or a whole number of samples in [1, ${n - 1}]; received ${String(size)}`);
  }
  const nTest = size < 1 ? Math.ceil(size * n) : size;
  if (nTest >= n) throw new ValueError(`${where}: testSize ${size} leaves no training samples out of ${n}`);
  const shuffle = options.shuffle ?? true;
  const seed = shuffle ? nextSeed(options.seed ?? undefined, where) : 0;
  const be = backend();
  const [train, test] = be.scoped((alloc) => {
    // The one seeded generator and shuffle of every random choice (ops/generator.ts).
    const random = Generator.seeded(be, alloc, seed);
    const shuffled = (indices: number[]): number[] => Array.from(random.shuffle(Int32Array.from(indices)));
    return splitIndices(n, nTest, shuffle, options.stratify ?? null, shuffled, where);
  });
  const rowsOf = (idx: number[]) => (tabular ? tabular.rows(idx) as TabularData : idx.map((i) => Array.from(data!.data.subarray(i * data!.cols, (i + 1) * data!.cols))));
  return {
    xTrain: rowsOf(train), xTest: rowsOf(test),
    yTrain: y ? train.map((i) => y[i]) : [], yTest: y ? test.map((i) => y[i]) : [],
    trainIndex: train, testIndex: test,
  };
}

/** The train and test indices: shuffled (or in order), and stratified when labels are given. */
export function splitIndices<T extends number | string>(n: number, nTest: number, shuffle: boolean, stratify: ArrayLike<T> | null,
  shuffled: (indices: number[]) => number[], where: string): [train: number[], test: number[]] {
  const all = Array.from({ length: n }, (_, i) => i);
  let test: number[];
  if (stratify) {
    if (!shuffle) throw new ValueError(`${where}: stratify needs shuffle: true`);
    const labels = stratify;
    if (labels.length !== n) throw new ShapeError(`${where}: stratify has ${labels.length} labels but X has ${n} samples`);
    const groups = new Map<T, number[]>();
    for (let i = 0; i < n; i++) {
      const group = groups.get(labels[i]);
      if (group) group.push(i);
      else groups.set(labels[i], [i]);
    }
    if ([...groups.values()].some((g) => g.length < 2)) throw new ValueError(`${where}: stratify needs at least 2 samples of every class`);
    // Each class's share of the test part, rounded down, then the remainders by largest fraction.
    const entries = [...groups.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const exact = entries.map(([, g]) => (g.length * nTest) / n);
    const counts = exact.map(Math.floor);
    let left = nTest - counts.reduce((a, b) => a + b, 0);
    const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) if (left-- > 0) counts[i]++;
    test = entries.flatMap(([, g], i) => shuffled(g).slice(0, counts[i]));
    test = shuffled(test);
  } else {
    test = (shuffle ? shuffled(all) : all.slice(n - nTest)).slice(0, nTest);
  }
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const rest = all.filter((i) => inTest[i] === 0);
  const train = shuffle ? shuffled(rest) : rest;
  return [train, test];
}
