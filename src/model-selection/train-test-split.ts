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
    return splitIndices(n, nTest, shuffle, options.stratify ?? null, (indices) => random.shuffle(indices), where).map((part) => Array.from(part));
  });
  const rowsOf = (idx: number[]) => (tabular ? tabular.rows(idx) as TabularData : idx.map((i) => Array.from(data!.data.subarray(i * data!.cols, (i + 1) * data!.cols))));
  return {
    xTrain: rowsOf(train), xTest: rowsOf(test),
    yTrain: y ? train.map((i) => y[i]) : [], yTest: y ? test.map((i) => y[i]) : [],
    trainIndex: train, testIndex: test,
  };
}

/**
 * The train and test indices: shuffled (or in order), and stratified when labels are given.
 * `shuffled` shuffles an index array in place and returns it.
 */
export function splitIndices<T extends number | string>(n: number, nTest: number, shuffle: boolean, stratify: ArrayLike<T> | null,
  shuffled: (indices: Int32Array) => Int32Array, where: string): [train: Int32Array, test: Int32Array] {
  let test: Int32Array;
  if (stratify) {
    if (!shuffle) throw new ValueError(`${where}: stratify needs shuffle: true`);
    const labels = stratify;
    if (labels.length !== n) throw new ShapeError(`${where}: stratify has ${labels.length} labels but X has ${n} samples`);
    // Each sample's group (classes numbered as first seen), then each group's samples in order.
    const number = new Map<T, number>(), keys: T[] = [];
    const groupOf = new Int32Array(n);
    let sizes: number[] = [];
    for (let i = 0; i < n; i++) {
      let g = number.get(labels[i]);
      if (g === undefined) {
        g = keys.length;
        number.set(labels[i], g);
        keys.push(labels[i]);
        sizes.push(0);
      }
      groupOf[i] = g;
      sizes[g]++;
    }
    if (sizes.some((size) => size < 2)) throw new ValueError(`${where}: stratify needs at least 2 samples of every class`);
    const members = sizes.map((size) => new Int32Array(size));
    sizes = sizes.map(() => 0);
    for (let i = 0; i < n; i++) members[groupOf[i]][sizes[groupOf[i]]++] = i;
    // Each class's share of the test part, rounded down, then the remainders by largest fraction.
    const order = keys.map((_, g) => g).sort((a, b) => String(keys[a]).localeCompare(String(keys[b])));
    const exact = order.map((g) => (members[g].length * nTest) / n);
    const counts = exact.map(Math.floor);
    let left = nTest - counts.reduce((a, b) => a + b, 0);
    const byRemainder = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of byRemainder) if (left-- > 0) counts[i]++;
    test = new Int32Array(nTest);
    let at = 0;
    order.forEach((g, i) => {
      test.set(shuffled(members[g]).subarray(0, counts[i]), at);
      at += counts[i];
    });
    test = shuffled(test);
  } else {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    test = (shuffle ? shuffled(all) : all.subarray(n - nTest)).slice(0, nTest);
  }
  const inTest = new Uint8Array(n);
  for (let i = 0; i < nTest; i++) inTest[test[i]] = 1;
  const rest = new Int32Array(n - nTest);
  for (let i = 0, at = 0; i < n; i++) if (inTest[i] === 0) rest[at++] = i;
  return [shuffle ? shuffled(rest) : rest, test];
}
