// LinearRegression and Ridge against scikit-learn 1.2 (tests/fixtures/linear.json, made by
// scripts/fixtures/linear.py): coefficients and intercepts to 1e-6, including the minimum-norm
// solution of rank-deficient data that scikit-learn's lstsq gives.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FormatError, LinearRegression, LogisticRegression, NotFittedError, Ridge, ShapeError, ValueError, backendInfo } from '../dist/index.js';

interface Case {
  name: string;
  estimator: 'LinearRegression' | 'Ridge';
  params: { fit_intercept: boolean; alpha?: number };
  X: number[][];
  y: number[];
  coef: number[];
  intercept: number;
  score: number;
  predict_head: number[];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/linear.json', import.meta.url), 'utf8')) as { cases: Case[] };

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]))));
}

describe.each(fixtures.cases)('$estimator: $name', (c) => {
  test('coefficients, intercept, R² and predictions as scikit-learn; save and load', async () => {
    const before = backendInfo().arenaBytesInUse;
    const model = c.estimator === 'Ridge' ? new Ridge({ alpha: c.params.alpha, fitIntercept: c.params.fit_intercept }) : new LinearRegression({ fitIntercept: c.params.fit_intercept });
    expect(await model.fit(c.X, c.y)).toBe(model);
    close(model.coef, c.coef);
    close([model.intercept], [c.intercept]);
    expect(Math.abs(model.score(c.X, c.y) - c.score)).toBeLessThanOrEqual(1e-9);
    close(model.predict(c.X.slice(0, 5)), c.predict_head);
    const Restore = c.estimator === 'Ridge' ? Ridge : LinearRegression;
    expect(Restore.fromBytes(model.toBytes()).predict(c.X.slice(0, 5))).toEqual(model.predict(c.X.slice(0, 5)));
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('a constant feature and pixel data', () => {
  test('LinearRegression: a constant feature gets coefficient 0 (the minimum-norm answer), the rest unchanged', async () => {
    const c = fixtures.cases.find((x) => x.estimator === 'LinearRegression' && x.params.fit_intercept !== false) ?? fixtures.cases[0];
    const plain = await new LinearRegression().fit(c.X, c.y);
    const padded = await new LinearRegression().fit(c.X.map((row) => [...row, 5]), c.y);
    close(padded.coef, [...Array.from(plain.coef), 0], 1e-9);
    close([padded.intercept], [plain.intercept], 1e-9);
  });

  test('LinearRegression on bytes (the exact integer covariance) and on the same values off the byte grid agree', async () => {
    let state = 3;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) >> 8) & 255;
    const X = Array.from({ length: 400 }, () => Array.from({ length: 9 }, next));
    const y = X.map((row) => row.reduce((s, v, i) => s + (i + 1) * v, 0) / 100 + (next() - 128) / 50);
    const bytes = await new LinearRegression().fit(X, y);
    const shifted = await new LinearRegression().fit(X.map((row) => row.map((v) => v + 0.5)), y);
    close(bytes.coef, Array.from(shifted.coef), 1e-10);
    close([bytes.intercept - 0.5 * Array.from(bytes.coef).reduce((a, b) => a + b, 0)], [shifted.intercept], 1e-10);
  });
});

describe('linear model errors', () => {
  const { X, y } = fixtures.cases[0];
  test.each([
    ['NaN in y', () => new LinearRegression().fit(X, [NaN, ...y.slice(1)]), ValueError, /y\[0\] must be a/],
    ['lengths', () => new LinearRegression().fit(X, y.slice(1)), ShapeError, /has 441 values but X has 442 samples/],
    ['predict before fit', async () => new Ridge().predict([[1]]), NotFittedError, /not available before fit/],
    ['feature count', () => new LinearRegression().fit(X, y).then((m) => m.predict([[1, 2]])), ValueError, /X has 2 features, but the model was fitted with 10/],
    ['negative alpha', async () => new Ridge({ alpha: -1 }), ValueError, /alpha must be a number ≥ 0; received -1/],
    ['corrupt bytes', async () => LinearRegression.fromBytes(new Uint8Array(5)), FormatError, /./],
  ])('%s', async (_n, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

interface LogisticCase {
  name: string;
  params: { C: number; fit_intercept?: boolean };
  X: number[][];
  y: number[];
  coef: number[][];
  intercept: number[];
  proba: number[][];
  score: number;
}

const logistic = (JSON.parse(readFileSync(new URL('./fixtures/linear.json', import.meta.url), 'utf8')) as { logistic: LogisticCase[] }).logistic;

describe.each(logistic)('LogisticRegression: $name', (c) => {
  test('converges to scikit-learn\'s optimum: probabilities within 1e-3, the same accuracy; save and load', async () => {
    const model = await new LogisticRegression({ C: c.params.C, fitIntercept: c.params.fit_intercept ?? true, maxIter: 2000, tol: 1e-7 }).fit(c.X, c.y);
    const p = model.predictProba(c.X);
    let worst = 0;
    p.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - c.proba[i][j])))));
    expect(worst).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(model.score(c.X, c.y) - c.score)).toBeLessThanOrEqual(0.01);
    expect(model.coef.length).toBe(c.coef.length);
    expect(LogisticRegression.fromBytes(model.toBytes()).predictProba(c.X.slice(0, 5))).toEqual(p.slice(0, 5));
  });
});

describe('LogisticRegression errors', () => {
  const { X, y } = logistic[0];
  test.each([
    ['one class', () => new LogisticRegression().fit(X.slice(0, 10), y.slice(0, 10)), ValueError, /single class/],
    ['a bad C', async () => new LogisticRegression({ C: 0 }), ValueError, /C must be a positive number; received 0/],
    ['predict before fit', async () => new LogisticRegression().predict([[1]]), NotFittedError, /not available before fit/],
    ['feature count', () => new LogisticRegression().fit(X, y).then((m) => m.predict([[1, 2]])), ValueError, /X has 2 features, but the model was fitted with 4/],
  ])('%s', async (_n, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

describe('a null in a plain array given with a shape', () => {
  test('is a gap, refused by an estimator without gaps (never read as 0), and a missing value to the booster', async () => {
    const X = { data: [1, null, 3, 4, 5, 6], shape: [3, 2] } as unknown as { data: number[]; shape: number[] };
    const error = await new LinearRegression().fit(X, [1, 2, 3]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(String((error as Error).message)).toMatch(/X must hold finite numbers; element \[0, 1\] is NaN \(a gap: fill gaps with SimpleImputer first\)/);
    const { HistGradientBoostingRegressor } = await import('../dist/index.js');
    const model = await new HistGradientBoostingRegressor({ maxIter: 2, minSamplesLeaf: 1 }).fit(X, [1, 2, 3]);
    expect(model.predict({ data: [1, Number.NaN], shape: [1, 2] }).length).toBe(1);
  });
});
