// The Iris data, trainTestSplit, the scalers and the scores against scikit-learn 1.2
// (tests/fixtures/preprocessing.json, made by scripts/fixtures/preprocessing.py).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  FormatError, MinMaxScaler, NotFittedError, ShapeError, StandardScaler, ValueError, accuracyScore, classificationReport, confusionMatrix, datasets,
  loadIris, meanSquaredError, r2Score, trainTestSplit,
} from '../dist/index.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/preprocessing.json', import.meta.url), 'utf8'));

function close(actual: number[][] | ArrayLike<number>, expected: number[][] | number[], tolerance = 1e-12): void {
  const a = (Array.from(actual as ArrayLike<number>) as unknown[]).flat() as number[], b = (expected as unknown[]).flat() as number[];
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[i]))));
}

describe('datasets', () => {
  test('loadIris is scikit-learn\'s load_iris', () => {
    const iris = loadIris();
    expect(iris.data).toEqual(fx.iris.data);
    expect(iris.target).toEqual(fx.iris.target);
    expect(iris.featureNames).toEqual(fx.iris.feature_names);
    expect(iris.targetNames).toEqual(fx.iris.target_names);
    expect(datasets.loadIris().data).toEqual(iris.data);
  });
});

describe('trainTestSplit', () => {
  const { data, target } = loadIris();
  test('splits every sample once; a seed repeats it; stratify keeps each class\'s share', () => {
    const a = trainTestSplit(data, target, { testSize: 0.3, stratify: target, seed: 1 });
    expect(a.xTest.length).toBe(45);
    expect([...a.trainIndex, ...a.testIndex].sort((x, y) => x - y)).toEqual(data.map((_, i) => i));
    a.testIndex.forEach((s, i) => { expect(a.xTest[i]).toEqual(data[s]); expect(a.yTest[i]).toBe(target[s]); });
    for (const c of [0, 1, 2]) expect(a.yTest.filter((v) => v === c).length).toBe(15);
    expect(trainTestSplit(data, target, { testSize: 0.3, stratify: target, seed: 1 })).toEqual(a);
    expect(trainTestSplit(data, target, { testSize: 0.3, seed: 2 }).testIndex).not.toEqual(trainTestSplit(data, target, { testSize: 0.3, seed: 3 }).testIndex);
    expect(trainTestSplit(data, target, { testSize: 10, shuffle: false }).testIndex).toEqual([140, 141, 142, 143, 144, 145, 146, 147, 148, 149]);
  });
  test.each([
    ['a bad testSize', () => trainTestSplit(data, target, { testSize: 1.5 }), ValueError, /testSize must be a fraction in \(0, 1\) or a whole number of samples in \[1, 149\]; received 1.5/],
    ['lengths', () => trainTestSplit(data, target.slice(1)), ShapeError, /y has 149 values but X has 150 samples/],
    ['an unknown option', () => trainTestSplit(data, target, { test_size: 0.2 } as never), ValueError, /unknown option 'test_size'/],
    ['a class too small to stratify', () => trainTestSplit(data.slice(0, 51), target.slice(0, 51), { stratify: target.slice(0, 51) }), ValueError, /at least 2 samples of every class/],
  ])('%s', (_n, run, kind, message) => {
    expect(run).toThrow(kind);
    expect(run).toThrow(message);
  });
});

describe('scalers', () => {
  const { X } = fx.scalers;
  test('StandardScaler: mean, population standard deviation, a constant feature to 0; inverse; save and load', async () => {
    const s = await new StandardScaler().fit(X);
    close(s.mean, fx.scalers.mean);
    close(s.scale, fx.scalers.scale);
    close(s.transform(X.slice(0, 5)), fx.scalers.standard_head);
    close(s.inverseTransform(s.transform(X.slice(0, 5))), X.slice(0, 5));
    expect(StandardScaler.fromBytes(s.toBytes()).transform(X.slice(0, 5))).toEqual(s.transform(X.slice(0, 5)));
  });
  test('MinMaxScaler onto [-1, 2]; inverse; save and load', async () => {
    const s = await new MinMaxScaler({ featureRange: [-1, 2] }).fit(X);
    close(s.dataMin, fx.scalers.data_min);
    close(s.transform(X.slice(0, 5)), fx.scalers.minmax_head);
    close(s.inverseTransform(s.transform(X.slice(0, 5))), X.slice(0, 5));
    expect(MinMaxScaler.fromBytes(s.toBytes()).transform(X.slice(0, 5))).toEqual(s.transform(X.slice(0, 5)));
  });
  test.each([
    ['NaN', () => new StandardScaler().fit([[1, NaN]]), ValueError, /finite numbers/],
    ['transform before fit', async () => new MinMaxScaler().transform([[1]]), NotFittedError, /not available before fit/],
    ['feature count', () => new StandardScaler().fit(X).then((s) => s.transform([[1, 2]])), ValueError, /X has 2 features, but the scaler was fitted with 14/],
    ['a bad range', async () => new MinMaxScaler({ featureRange: [1, 0] }), ValueError, /featureRange must be a pair \[min, max\]/],
    ['corrupt bytes', async () => StandardScaler.fromBytes(new Uint8Array(8)), FormatError, /./],
  ])('%s', async (_n, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

describe('scores', () => {
  const c = fx.classification, r = fx.regression;
  test('accuracy, confusion matrix and the classification report as scikit-learn prints them', () => {
    expect(accuracyScore(c.y_true, c.y_pred)).toBeCloseTo(c.accuracy, 15);
    expect(confusionMatrix(c.y_true, c.y_pred)).toEqual(c.confusion);
    expect(classificationReport(c.y_true, c.y_pred, { targetNames: ['setosa', 'versicolor', 'virginica'] })).toBe(c.report);
    expect(classificationReport(c.y_true, c.y_pred, { digits: 4 })).toBe(c.report_digits_4);
  });
  test('R² and mean squared error', () => {
    expect(r2Score(r.y_true, r.y_pred)).toBeCloseTo(r.r2, 14);
    expect(meanSquaredError(r.y_true, r.y_pred)).toBeCloseTo(r.mse, 14);
    expect(() => r2Score([1, 2], [1])).toThrow(/yTrue has 2 values but yPred has 1/);
    expect(() => meanSquaredError([1, NaN], [1, 2])).toThrow(/yTrue must hold finite numbers; element 1 is NaN/);
  });
});
