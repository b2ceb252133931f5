// Histogram gradient boosting against scikit-learn 1.2 (tests/fixtures/boosting.json, made by
// scripts/fixtures/boosting.py): bin thresholds identical; on every data set (missing values,
// categorical features, every loss, sample and class weights, constraints, limits, early
// stopping on the same validation split) the same iterations, scores and predictions (to 1e-9);
// then what scikit-learn's tests check by other means: warm start, staged predictions, saving,
// tabular data, and the errors.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FormatError, HistGradientBoostingClassifier, HistGradientBoostingRegressor, NotFittedError, ValueError, init, load } from '../dist/index.js';
import { binThresholds } from '../src/ensemble/bin-mapper.js';
import { backend, init as initSource } from '../src/runtime/backend.js';

interface Case {
  name: string; kind: 'classifier' | 'regressor'; data: string; options: Record<string, unknown>; weights: number[] | null;
  n_iter: number; train_score: number[]; validation_score: number[]; predict: (number | null)[]; proba?: number[][]; decision?: number[] | number[][];
  staged_proba_3?: number[][]; staged_predict_3?: number[]; score: number; train_index?: number[]; validation_index?: number[];
}
type Rows = (number | null)[][];
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/boosting.json', import.meta.url), 'utf8')) as {
  bins: { name: string; X: Rows; max_bins: number; thresholds: number[][] }[];
  data: Record<string, { X: Rows; y: number[]; X_test: Rows; y_test: number[] }>;
  cases: Case[];
};

const gaps = (rows: Rows): number[][] => rows.map((r) => r.map((v) => (v === null ? Number.NaN : v)));
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('bin thresholds equal scikit-learn’s _BinMapper', () => {
  for (const b of fixtures.bins) {
    test(b.name, async () => {
      const X = gaps(b.X), d = X[0].length;
      await initSource({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
      const thresholds = binThresholds(backend(), Float64Array.from(X.flat()), d, Int32Array.from(X.keys()), b.max_bins, X[0].map(() => null));
      b.thresholds.forEach((expected, f) => expect(Array.from(thresholds[f]), `feature ${f}`).toEqual(expected));
    });
  }
});

/** Fits a case as the fixture did: the split scikit-learn drew given as validationData. */
async function fitCase(c: Case, extra: Record<string, unknown> = {}) {
  const d = fixtures.data[c.data];
  let X = gaps(d.X), y = d.y;
  const options: Record<string, unknown> = { ...c.options, seed: 0, ...extra };
  const fitOptions: Record<string, unknown> = { sampleWeight: c.weights ?? undefined };
  if (c.train_index) {
    fitOptions.validationData = [c.validation_index!.map((i) => X[i]), c.validation_index!.map((i) => y[i])];
    X = c.train_index.map((i) => X[i]);
    y = c.train_index.map((i) => y[i]);
  }
  const Model = c.kind === 'classifier' ? HistGradientBoostingClassifier : HistGradientBoostingRegressor;
  return new Model(options as never).fit(X, y, fitOptions as never);
}

describe('fits equal scikit-learn’s', () => {
  for (const c of fixtures.cases) {
    test(c.name, async () => {
      const model = await fitCase(c);
      const d = fixtures.data[c.data];
      const Xt = gaps(d.X_test);
      expect(model.nIter).toBe(c.n_iter);
      // The bar is 0.5 %; the same trees give the same score.
      expect(Math.abs(model.score(Xt, d.y_test) - c.score)).toBeLessThanOrEqual(0.005 * Math.abs(c.score));
      expect(close(model.score(Xt, d.y_test), c.score)).toBe(true);
      expect(model.trainScore.length).toBe(c.train_score.length);
      model.trainScore.forEach((v, i) => expect(close(v, c.train_score[i]), `train score ${i}`).toBe(true));
      expect(model.validationScore.length).toBe(c.validation_score.length);
      model.validationScore.forEach((v, i) => expect(close(v, c.validation_score[i]), `validation score ${i}`).toBe(true));
      if (c.kind === 'classifier') {
        const m = model as HistGradientBoostingClassifier;
        expect(m.predict(Xt)).toEqual(c.predict);
        m.predictProba(Xt).forEach((row, i) => row.forEach((v, j) => expect(close(v, c.proba![i][j]), `proba [${i}][${j}]`).toBe(true)));
        const decision = m.decisionFunction(Xt);
        (c.decision as (number | number[])[]).forEach((e, i) => {
          const got = decision[i] as number | number[];
          if (Array.isArray(e)) (e as number[]).forEach((v, j) => expect(close((got as number[])[j], v)).toBe(true));
          else expect(close(got as number, e)).toBe(true);
        });
        const staged = [...m.stagedPredictProba(Xt)];
        expect(staged.length).toBe(c.n_iter);
        staged[2].forEach((row, i) => row.forEach((v, j) => expect(close(v, c.staged_proba_3![i][j])).toBe(true)));
      } else {
        const m = model as HistGradientBoostingRegressor;
        m.predict(Xt).forEach((v, i) => expect(close(v, c.predict[i] as number), `predict ${i}`).toBe(true));
        const staged = [...m.stagedPredict(Xt)];
        expect(staged.length).toBe(c.n_iter);
        staged[2].forEach((v, i) => expect(close(v, c.staged_predict_3![i])).toBe(true));
      }
    });
  }
});

const byName = (name: string) => fixtures.cases.find((c) => c.name === name)!;

describe('HistGradientBoosting behaviour', () => {
  test('warm start: 10 iterations then 10 more equal 20 at once, and maxIter below the fitted count is refused', async () => {
    const c = byName('binary-missing');
    const d = fixtures.data[c.data];
    const X = gaps(d.X), Xt = gaps(d.X_test);
    const once = await new HistGradientBoostingClassifier({ maxIter: 20, earlyStopping: false, seed: 1 }).fit(X, d.y);
    const warm = new HistGradientBoostingClassifier({ maxIter: 10, earlyStopping: false, warmStart: true, seed: 1 });
    await warm.fit(X, d.y);
    expect(warm.nIter).toBe(10);
    await warm.setParams({ maxIter: 20 }).fit(X, d.y);
    expect(warm.nIter).toBe(20);
    expect(warm.predictProba(Xt)).toEqual(once.predictProba(Xt));
    await expect(warm.setParams({ maxIter: 5 }).fit(X, d.y)).rejects.toThrow(/maxIter 5 must be ≥ the 20 iterations/);
  });

  test('the same bits on 1 and 2 threads, for classification with categories and missing values', async () => {
    const c = byName('categorical-binary');
    const Xt = gaps(fixtures.data[c.data].X_test);
    await init({ threads: 1 });
    const one = (await fitCase(c) as HistGradientBoostingClassifier).predictProba(Xt);
    await init({ threads: 2 });
    const two = (await fitCase(c) as HistGradientBoostingClassifier).predictProba(Xt);
    expect(two).toEqual(one);
  });

  test('save and load (bytes, and the one load) give identical predictions; a truncated file is a FormatError', async () => {
    const model = await fitCase(byName('categorical')) as HistGradientBoostingRegressor;
    const Xt = gaps(fixtures.data.categorical.X_test);
    const bytes = model.toBytes();
    expect(HistGradientBoostingRegressor.fromBytes(bytes).predict(Xt)).toEqual(model.predict(Xt));
    const loaded = await load(bytes) as HistGradientBoostingRegressor;
    expect(loaded).toBeInstanceOf(HistGradientBoostingRegressor);
    expect(loaded.predict(Xt)).toEqual(model.predict(Xt));
    expect(() => HistGradientBoostingRegressor.fromBytes(bytes.subarray(0, bytes.length - 9))).toThrow(FormatError);
  });

  test('tabular data: null is a missing value, categorical features by column name, names kept', async () => {
    const rng = (() => { let s = 7; return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32; })();
    const rows = Array.from({ length: 600 }, () => {
      const colour = Math.floor(rng() * 5), size = rng() * 10;
      return { colour: rng() < 0.1 ? null : colour, size: rng() < 0.1 ? null : size, label: (colour === 1 || colour === 3) !== size > 5 ? 'yes' : 'no' };
    });
    const X = rows.map(({ colour, size }) => ({ colour, size }));
    const y = rows.map((r) => r.label);
    const model = await new HistGradientBoostingClassifier({ categoricalFeatures: ['colour'], maxIter: 30, seed: 0 }).fit(X, y);
    expect(model.featureNamesIn).toEqual(['colour', 'size']);
    expect(model.isCategorical).toEqual([true, false]);
    expect(model.score(X, y)).toBeGreaterThan(0.9);
    // The same data as a matrix with categoricalFeatures by index gives the same model.
    const matrix = X.map((r) => [r.colour ?? Number.NaN, r.size ?? Number.NaN]);
    const same = await new HistGradientBoostingClassifier({ categoricalFeatures: [0], maxIter: 30, seed: 0 }).fit(matrix, y);
    expect(same.predictProba(matrix)).toEqual(model.predictProba(X));
    // A category not seen in training goes right at each split instead of failing; a negative one counts as missing.
    expect(model.predict([{ colour: 9, size: 2 }, { colour: -1, size: 2 }]).length).toBe(2);
  });

  test('early stopping: auto above 10 000 samples, a held-out fraction drawn by the seed, a scorer by name', async () => {
    const n = 12000;
    const X = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 13) / 13]);
    const y = X.map((r) => (r[0] + r[1] * r[2] > 0 ? 1 : 0));
    const auto = await new HistGradientBoostingClassifier({ maxIter: 15, seed: 2 }).fit(X, y);
    expect(auto.doEarlyStopping).toBe(true);
    expect(auto.validationScore.length).toBe(auto.nIter + 1);
    const again = await new HistGradientBoostingClassifier({ maxIter: 15, seed: 2 }).fit(X, y);
    expect(again.validationScore).toEqual(auto.validationScore);
    const small = await new HistGradientBoostingClassifier({ maxIter: 5, seed: 2 }).fit(X.slice(0, 500), y.slice(0, 500));
    expect(small.doEarlyStopping).toBe(false);
    expect(small.trainScore.length).toBe(0);
    const scored = await new HistGradientBoostingClassifier({ maxIter: 8, earlyStopping: true, scoring: 'accuracy', seed: 2 }).fit(X.slice(0, 3000), y.slice(0, 3000));
    scored.validationScore.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    scored.validationScore.forEach((v) => expect(v).toBeLessThanOrEqual(1));
  });

  test('monotonic constraints hold: predictions never decrease along an increasing feature', async () => {
    const c = byName('monotonic');
    const model = await fitCase(c) as HistGradientBoostingRegressor;
    const grid = Array.from({ length: 101 }, (_, i) => [-2 + i * 0.04, 0.3, -0.5, 1]);
    const p = model.predict(grid);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThanOrEqual(p[i - 1]);
    const q = model.predict(grid.map((r) => [0.1, r[0], -0.5, 1]));
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeLessThanOrEqual(q[i - 1]);
  });

  test('refusals name the argument', async () => {
    const X = Array.from({ length: 60 }, (_, i) => [i % 7, i / 10, (i * 7) % 5]);
    const y = X.map((r) => (r[1] > 3 ? 1 : 0));
    const yr = X.map((r) => r[1] * 2);
    const multi = X.map((_, i) => i % 3);
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['negative category', () => new HistGradientBoostingClassifier({ categoricalFeatures: [0] }).fit(X.map((r) => [-r[0] - 1, r[1], r[2]]), y), /categorical feature at index 0 must hold integer category codes ≥ 0/],
      ['fractional category', () => new HistGradientBoostingClassifier({ categoricalFeatures: [1] }).fit(X, y), /at index 1 must hold integer category codes/],
      ['category ≥ maxBins', () => new HistGradientBoostingClassifier({ categoricalFeatures: [0], maxBins: 5 }).fit(X, y), /maxBins = 5/],
      ['names without names', () => new HistGradientBoostingClassifier({ categoricalFeatures: ['a'] }).fit(X, y), /categoricalFeatures names columns, but X has no column names/],
      ['mask of the wrong length', () => new HistGradientBoostingClassifier({ categoricalFeatures: [true] }).fit(X, y), /boolean mask must have one entry per feature \(3\)/],
      ['index out of range', () => new HistGradientBoostingClassifier({ categoricalFeatures: [3] }).fit(X, y), /index 3 is out of range/],
      ['monotonic on multiclass', () => new HistGradientBoostingClassifier({ monotonicCst: [1, 0, 0] }).fit(X, multi), /monotonicCst is not supported for multiclass/],
      ['monotonic on a categorical feature', () => new HistGradientBoostingRegressor({ monotonicCst: [1, 0, 0], categoricalFeatures: [0] }).fit(X, yr), /categorical and cannot have a monotonic constraint/],
      ['monotonic of the wrong length', () => new HistGradientBoostingRegressor({ monotonicCst: [1] }).fit(X, yr), /monotonicCst has 1 entries but X has 3 features/],
      ['interaction index out of range', () => new HistGradientBoostingRegressor({ interactionCst: [[0, 5]] }).fit(X, yr), /interactionCst holds feature 5/],
      ['poisson with negative y', () => new HistGradientBoostingRegressor({ loss: 'poisson' }).fit(X, yr.map((v) => v - 3)), /loss 'poisson' needs y ≥ 0/],
      ['quantile without a quantile', () => new HistGradientBoostingRegressor({ loss: 'quantile' }).fit(X, yr), /needs the quantile option/],
      ['one class', () => new HistGradientBoostingClassifier().fit(X, X.map(() => 1)), /y has a single class/],
      ['validationData of other features', () => new HistGradientBoostingClassifier({ earlyStopping: true }).fit(X, y, { validationData: [[[1, 2]], [1]] }), /validationData X has 2 features, but X has 3/],
      ['validationData with an unknown class', () => new HistGradientBoostingClassifier({ earlyStopping: true }).fit(X, y, { validationData: [[[1, 2, 3]], [7]] }), /validationData y holds 7, not a class of y/],
      ['infinite X', () => new HistGradientBoostingRegressor().fit(X.map((r, i) => (i === 4 ? [r[0], Number.POSITIVE_INFINITY, r[2]] : r)), yr), /X/],
      ['negative sample weight', () => new HistGradientBoostingRegressor().fit(X, yr, { sampleWeight: X.map((_, i) => (i === 2 ? -1 : 1)) }), /sampleWeight\[2\] must be ≥ 0/],
      ['warm start with other classes', async () => {
        const m = new HistGradientBoostingClassifier({ warmStart: true, maxIter: 3 });
        await m.fit(X, y);
        return m.setParams({ maxIter: 6 }).fit(X, multi);
      }, /classes differ from those of the warm-started model/],
    ];
    for (const [what, run, message] of cases) {
      const error = await run().then(() => undefined, (e: unknown) => e);
      expect(error, what).toBeInstanceOf(ValueError);
      expect(String((error as Error).message), what).toMatch(message);
    }
    expect(() => new HistGradientBoostingRegressor().predict(X)).toThrow(NotFittedError);
    expect(() => new HistGradientBoostingRegressor({ maxBins: 300 })).toThrow(/maxBins must be an integer in \[2, 255\]/);
  });
});
