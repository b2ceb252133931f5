// Splitting data for evaluation (scikit-learn's train_test_split): a seeded shuffle, optionally
// stratified so that each class keeps its share in both parts.
import { ShapeError, ValueError } from './errors.js';
import { toMatrix, type MatrixLike } from './matrix.js';
import { nextSeed } from './seed.js';

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

/** A 32-bit generator for the shuffle (mulberry32): small, seeded, the same in every runtime. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffled(indices: number[], next: () => number): number[] {
  const a = [...indices];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Splits X (and y, if given) into train and test parts.
 * @example const { xTrain, xTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.3, stratify: y, seed: 0 });
 */
export function trainTestSplit<T extends number | string>(X: MatrixLike, y?: ArrayLike<T> | null, options: SplitOptions = {}): {
  xTrain: number[][]; xTest: number[][]; yTrain: T[]; yTest: T[]; trainIndex: number[]; testIndex: number[];
} {
  const where = 'trainTestSplit';
  const known = ['testSize', 'stratify', 'shuffle', 'seed'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new ValueError(`${where}: unknown option '${key}'; known options are ${known.join(', ')}`);
  const data = toMatrix(X, `${where}: X`);
  const n = data.rows;
  if (y && y.length !== n) throw new ShapeError(`${where}: y has ${y.length} values but X has ${n} samples`);
  const size = options.testSize ?? 0.25;
  if (!(typeof size === 'number' && ((size > 0 && size < 1) || (Number.isInteger(size) && size >= 1 && size < n)))) {
    throw new ValueError(`${where}: testSize must be a fraction in (0, 1) or a whole number of samples in [1, ${n - 1}]; received ${String(size)}`);
  }
  const nTest = size < 1 ? Math.ceil(size * n) : size;
  if (nTest >= n) throw new ValueError(`${where}: testSize ${size} leaves no training samples out of ${n}`);
  const shuffle = options.shuffle ?? true;
  const seed = shuffle ? nextSeed(options.seed ?? undefined, where) : 0;
  const next = generator((seed % 2 ** 32) ^ Math.floor(seed / 2 ** 32));
  const all = Array.from({ length: n }, (_, i) => i);
  let test: number[];
  if (options.stratify) {
    if (!shuffle) throw new ValueError(`${where}: stratify needs shuffle: true`);
    const labels = options.stratify;
    if (labels.length !== n) throw new ShapeError(`${where}: stratify has ${labels.length} labels but X has ${n} samples`);
    const groups = new Map<number | string, number[]>();
    for (let i = 0; i < n; i++) groups.set(labels[i], [...(groups.get(labels[i]) ?? []), i]);
    if ([...groups.values()].some((g) => g.length < 2)) throw new ValueError(`${where}: stratify needs at least 2 samples of every class`);
    // Each class's share of the test part, rounded down, then the remainders by largest fraction.
    const entries = [...groups.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const exact = entries.map(([, g]) => (g.length * nTest) / n);
    const counts = exact.map(Math.floor);
    let left = nTest - counts.reduce((a, b) => a + b, 0);
    const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) if (left-- > 0) counts[i]++;
    test = entries.flatMap(([, g], i) => shuffled(g, next).slice(0, counts[i]));
    test = shuffled(test, next);
  } else {
    test = (shuffle ? shuffled(all, next) : all.slice(n - nTest)).slice(0, nTest);
  }
  const inTest = new Set(test);
  const train = shuffle ? shuffled(all.filter((i) => !inTest.has(i)), next) : all.filter((i) => !inTest.has(i));
  const rowsOf = (idx: number[]) => idx.map((i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)));
  return {
    xTrain: rowsOf(train), xTest: rowsOf(test),
    yTrain: y ? train.map((i) => y[i]) : [], yTest: y ? test.map((i) => y[i]) : [],
    trainIndex: train, testIndex: test,
  };
}
