// SVC, SVR and OneClassSVM against scikit-learn 1.2 (tests/fixtures/svm.json, made by
// scripts/fixtures/svm.py): the same support vectors, dual coefficients, intercepts, decision
// values and predictions; and the errors a scikit-learn user would expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FormatError, NotFittedError, NuSVC, NuSVR, OneClassSVM, SVC, SVR, ShapeError, ValueError, backendInfo, init } from '../dist/index.js';
import { tempDir } from './temp-dir.js';

interface Case {
  name: string;
  estimator: 'SVC' | 'SVR' | 'OneClassSVM' | 'NuSVC' | 'NuSVR';
  params: Record<string, unknown>;
  X: number[][];
  y: (number | string)[] | null;
  X_test: number[][];
  sample_weight?: number[];
  support: number[];
  n_support: number[];
  dual_coef: number[][];
  intercept: number[];
  decision_function: number[] | number[][] | null;
  predict: (number | string)[];
  classes?: (number | string)[];
  score_samples?: number[];
  predict_proba?: number[][];
  offset?: number;
  gamma_value?: number;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/svm.json', import.meta.url), 'utf8')) as { cases: Case[] };

function options(c: Case): Record<string, unknown> {
  const p = c.params;
  const common = { kernel: p.kernel, gamma: p.gamma, degree: p.degree, coef0: p.coef0, tol: p.tol, shrinking: p.shrinking };
  if (c.estimator === 'SVC') return { ...common, C: p.C, classWeight: p.class_weight, decisionFunctionShape: p.decision_function_shape, probability: p.probability, seed: 0 };
  if (c.estimator === 'NuSVC') return { ...common, nu: p.nu, classWeight: p.class_weight, decisionFunctionShape: p.decision_function_shape };
  if (c.estimator === 'SVR') return { ...common, C: p.C, epsilon: p.epsilon };
  if (c.estimator === 'NuSVR') return { ...common, C: p.C, nu: p.nu };
  return { ...common, nu: p.nu };
}

/** |a − b| ≤ 1e-3 · max(1, |b|) elementwise. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(expected[i])));
  }
}

describe.each(fixtures.cases)('$estimator: $name', (c) => {
  test('matches scikit-learn: support vectors, dual coefficients, intercepts, decisions, predictions', async () => {
    const before = backendInfo().arenaBytesInUse;
    const Model = { SVC, SVR, OneClassSVM, NuSVC, NuSVR }[c.estimator] as unknown as new (o: unknown) => SVC & SVR & OneClassSVM;
    const model = new Model(options(c));
    const fitted = await model.fit(c.X, c.y as never, c.sample_weight ? { sampleWeight: c.sample_weight } : {} as never);
    expect(fitted).toBe(model);
    expect(Array.from(model.support)).toEqual(c.support);
    expect(Array.from(model.nSupport)).toEqual(c.n_support);
    // Identical training samples (iris has some) can share their α in any proportion without
    // changing the model: the dual is unique only up to that, so coefficients are compared summed
    // over identical support vectors.
    const merged = (row: number[]) => {
      const sums = new Map<string, number>();
      row.forEach((v, i) => {
        const key = JSON.stringify(c.X[c.support[i]]);
        sums.set(key, (sums.get(key) ?? 0) + v);
      });
      return [...sums.values()];
    };
    model.dualCoef.forEach((row: number[], r: number) => expectClose(merged(row), merged(c.dual_coef[r]), `dualCoef[${r}]`));
    expectClose(model.intercept, c.intercept, 'intercept');
    if (c.estimator === 'SVR' || c.estimator === 'NuSVR') {
      expectClose(model.predict(c.X_test) as Float64Array, c.predict as number[], 'predict');
    } else {
      const decision = model.decisionFunction(c.X_test) as number[] | number[][] | Float64Array;
      expectClose(Array.from(decision as ArrayLike<number>).flat ? (Array.from(decision as never) as (number | number[])[]).flat() as number[] : [], (c.decision_function as (number | number[])[]).flat() as number[], 'decisionFunction');
      expect(Array.from(model.predict(c.X_test) as ArrayLike<number | string>)).toEqual(c.predict);
    }
    if (c.classes) expect(model.classes).toEqual(c.classes);
    if (c.score_samples) {
      expectClose(model.scoreSamples(c.X_test), c.score_samples, 'scoreSamples');
      expect(model.offset).toBeCloseTo(c.offset!, 3);
    }
    expect(model.fitStatus).toBe(0);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

const iris = fixtures.cases.find((c) => c.name === 'iris linear C=1')!;

describe('SVC API', () => {
  test("gamma 'scale' is 1 / (features · Var(X)) as scikit-learn computes it", async () => {
    const c = fixtures.cases.find((k) => k.name === 'iris rbf C=10 gamma scale')!;
    const svc = await new SVC({ C: 10 }).fit(c.X, c.y as number[]);
    expect(svc.gammaValue).toBeCloseTo(c.gamma_value!, 12);
  });

  test('score is the accuracy of predict; getParams / setParams', async () => {
    const svc = new SVC({ kernel: 'linear' });
    expect(svc.getParams().C).toBe(1);
    svc.setParams({ C: 2 });
    expect(svc.getParams()).toMatchObject({ C: 2, kernel: 'linear', gamma: 'scale', decisionFunctionShape: 'ovr' });
    await svc.fit(iris.X, iris.y as number[]);
    const p = svc.predict(iris.X);
    expect(svc.score(iris.X, iris.y as number[])).toBe(p.filter((v, i) => v === iris.y![i]).length / p.length);
  });

  test('two classes give one decision column, positive for the second class', async () => {
    const X = iris.X.slice(0, 100), y = (iris.y as number[]).slice(0, 100);
    const svc = await new SVC({ kernel: 'linear' }).fit(X, y);
    const d = svc.decisionFunction(X) as number[];
    expect(typeof d[0]).toBe('number');
    svc.predict(X).forEach((label, i) => expect(label).toBe(d[i] > 0 ? 1 : 0));
  });
});

describe('bad input', () => {
  const X = iris.X, y = iris.y as number[];
  test.each([
    ['unknown kernel', () => new SVC({ kernel: 'cubic' as never }), ValueError, /SVC: kernel must be one of 'linear', 'poly', 'rbf', 'sigmoid', 'precomputed'; received the string "cubic"/],
    ['unknown gamma', () => new SVC({ gamma: 'huge' as never }), ValueError, /gamma must be a positive number, 'scale' or 'auto'; received the string "huge"/],
    ['negative C', () => new SVC({ C: -1 }), ValueError, /SVC: C must be a positive number; received -1/],
    ['nu outside (0, 1]', () => new OneClassSVM({ nu: 1.5 }), ValueError, /OneClassSVM: nu must be a number in \(0, 1\]; received 1.5/],
    ['NuSVC nu of 0', () => new NuSVC({ nu: 0 }), ValueError, /NuSVC: nu must be a number in \(0, 1\]; received 0/],
    ['unknown option', () => new SVR({ epsilo: 1 } as never), ValueError, /SVR: unknown option 'epsilo'/],
    ['predict before fit', () => new SVC().predict(X), NotFittedError, /SVC: SVC.predict is not available before fit/],
    ['fitted property before fit', () => new SVR().supportVectors, NotFittedError, /not available before fit/],
  ])('%s', (_name, run, kind, message) => {
    expect(run).toThrow(kind);
    expect(run).toThrow(message);
  });

  test.each([
    ['one class only', () => new SVC().fit(X.slice(0, 40), y.slice(0, 40)), ValueError, /y has a single class \(0\); classification needs at least 2/],
    ['NaN in X', () => new SVC().fit(X.map((r, i) => (i === 3 ? [r[0], NaN, r[2], r[3]] : r)), y), ValueError, /SVC.fit: X must hold finite numbers; element \[3, 1\] is NaN/],
    ['Infinity in y', () => new SVR().fit(X, y.map((v, i) => (i === 5 ? Infinity : v))), ValueError, /SVR.fit: y\[5\] must be a finite number or a string; received Infinity/],
    ['mismatched lengths', () => new SVC().fit(X, y.slice(1)), ShapeError, /SVC.fit: y has 149 values but X has 150 samples/],
    ['empty X', () => new SVC().fit([], []), ValueError, /X is empty/],
    ['features differ from fit', async () => (await new SVC().fit(X, y)).predict([[1, 2, 3]]), ShapeError, /X has 3 features, but the estimator was fitted with 4/],
    ['precomputed kernel not square', () => new SVC({ kernel: 'precomputed' }).fit(X, y), ShapeError, /with kernel 'precomputed', X must be the square Gram matrix/],
    ['negative sample weight', () => new SVC().fit(X, y, { sampleWeight: y.map((_, i) => (i === 2 ? -1 : 1)) }), ValueError, /sampleWeight\[2\] must be ≥ 0; received -1/],
    ['infeasible nu', () => new NuSVC({ nu: 0.9 }).fit(X.slice(40), y.slice(40)), ValueError, /NuSVC.fit: nu 0.9 is infeasible for classes of 10 and 50 samples/],
    ['mixed label types', () => new SVC().fit(X.slice(0, 2), [1, 'a'] as never), ValueError, /mixes numbers and strings/],
  ])('%s', async (_name, run, kind, message) => {
    const before = backendInfo().arenaBytesInUse;
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('save and load', () => {
  const files = tempDir('wasmlearn-svm-');
  test.each(fixtures.cases.filter((c) => ['iris rbf gamma auto, ovo shape', 'iris string labels, balanced class weight on an unbalanced subset', 'breast cancer standardized linear C=0.1 (binary)', 'iris precomputed linear kernel', 'diabetes SVR linear C=10 epsilon 1', 'one-class rbf nu 0.1 gamma 0.5', 'iris NuSVC rbf nu 0.5', 'diabetes NuSVR linear C=10 nu 0.7'].includes(c.name)).map((c) => [c.name, c] as const))(
    '%s: toBytes → fromBytes and save(path) → fromBytes(path) predict the same',
    async (_name, c) => {
      const Model = { SVC, SVR, OneClassSVM, NuSVC, NuSVR }[c.estimator] as unknown as { new (o: unknown): SVC & SVR & OneClassSVM; fromBytes(b: unknown): SVC & SVR & OneClassSVM };
      const model = await new Model(options(c)).fit(c.X, c.y as never);
      const path = join(files, `${c.estimator}-${c.name.replace(/\W+/g, '-')}.bin`);
      const bytes = await model.save(path);
      for (const source of [bytes, path]) {
        const loaded = Model.fromBytes(source);
        expect(loaded.getParams()).toEqual(model.getParams());
        expect(Array.from(loaded.support)).toEqual(Array.from(model.support));
        expect(Array.from(loaded.predict(c.X_test) as ArrayLike<number>)).toEqual(Array.from(model.predict(c.X_test) as ArrayLike<number>));
      }
    },
  );

  test('corrupt, truncated, other-class and random bytes raise FormatError', async () => {
    const svc = await new SVC({ kernel: 'linear' }).fit(iris.X, iris.y as number[]);
    const bytes = svc.toBytes();
    const flip = bytes.slice();
    flip[flip.length - 20] ^= 4;
    const cases = [bytes.slice(0, 10), bytes.slice(0, bytes.length - 8), flip, new Uint8Array(300).fill(7)];
    for (const c of cases) expect(() => SVC.fromBytes(c)).toThrow(FormatError);
    const svr = await new SVR().fit(iris.X, iris.X.map((r) => r[0]));
    expect(() => SVC.fromBytes(svr.toBytes())).toThrow(/the bytes hold a SVR, not a SVC/);
    expect(() => new SVC().toBytes()).toThrow(NotFittedError);
  });
});

describe('threads', () => {
  test('SVC learns the same bits on 1 and 2 threads (one-vs-one problems solved in parallel)', async () => {
    const c = fixtures.cases.find((k) => k.name === 'digits (600) rbf C=10 gamma 0.05')!;
    const runs = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      const svc = await new SVC(options(c)).fit(c.X, c.y as number[]);
      runs.push({ coef: svc.dualCoef.flat(), intercept: svc.intercept, decision: (svc.decisionFunction(c.X_test) as number[][]).flat() });
    }
    await init({ threads: 'auto' });
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe('probabilities (Platt scaling over an internal 5-fold cross-validation)', () => {
  // The folds come from wasmlearn's seeded generator, not scikit-learn's, so the calibration
  // differs by the cross-validation's own variation: measured over seeds 0–2, at most 0.032 and
  // on average 0.0006–0.005 from scikit-learn's probabilities.
  test.each(fixtures.cases.filter((c) => c.predict_proba).map((c) => [c.name, c] as const))('%s: close to scikit-learn for several seeds', async (_name, c) => {
    for (const seed of [0, 1, 2]) {
      const svc = await new SVC({ ...options(c), seed } as never).fit(c.X, c.y as number[]);
      const p = svc.predictProba(c.X_test);
      let max = 0, sum = 0;
      p.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        row.forEach((v, j) => {
          const d = Math.abs(v - c.predict_proba![i][j]);
          max = Math.max(max, d);
          sum += d;
        });
      });
      expect(max, `seed ${seed}`).toBeLessThan(0.04);
      expect(sum / (p.length * p[0].length), `seed ${seed}`).toBeLessThan(0.006);
      const log = svc.predictLogProba(c.X_test.slice(0, 3));
      log.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(Math.log(p[i][j]), 10)));
    }
  });

  test('the same seed gives the same probabilities; saved and loaded they stay; without probability: true a clear error', async () => {
    const c = fixtures.cases.find((k) => k.predict_proba)!;
    const a = await new SVC({ ...options(c), seed: 5 } as never).fit(c.X, c.y as number[]);
    const b = await new SVC({ ...options(c), seed: 5 } as never).fit(c.X, c.y as number[]);
    expect(b.predictProba(c.X_test)).toEqual(a.predictProba(c.X_test));
    expect(SVC.fromBytes(a.toBytes()).predictProba(c.X_test)).toEqual(a.predictProba(c.X_test));
    const plain = await new SVC().fit(c.X, c.y as number[]);
    expect(() => plain.predictProba(c.X_test)).toThrow(/fitted without probability: true/);
  });
});
