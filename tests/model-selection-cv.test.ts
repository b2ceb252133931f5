// Cross-validation against scikit-learn (tests/fixtures/model_selection.json, made by
// scripts/fixtures/model_selection.py): KFold, StratifiedKFold and GroupKFold split indices equal
// to scikit-learn's, and crossValScore of deterministic pipelines equal to its cross_val_score.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GroupKFold, KFold, KNeighborsClassifier, Ridge, StandardScaler, StratifiedKFold, ValueError, crossValScore, makePipeline } from '../dist/index.js';

const f = JSON.parse(readFileSync(new URL('./fixtures/model_selection.json', import.meta.url), 'utf8')) as {
  y: string[]; groups: number[]; kfold: Record<string, number[][][]>; stratified: Record<string, number[][][]>; group: Record<string, number[][][]>;
  iris: { X: number[][]; y: number[]; knn_accuracy: number[] }; diabetes: { X: number[][]; y: number[]; ridge_r2: number[]; ridge_mse: number[] };
};
const X = Array.from({ length: 23 }, (_, i) => [2 * i, 2 * i + 1]);

describe('cross-validation against scikit-learn', () => {
  it('KFold, StratifiedKFold and GroupKFold give scikit-learn\'s indices, split for split', () => {
    for (const [k, expected] of Object.entries(f.kfold)) expect(new KFold({ nSplits: Number(k) }).split(X)).toEqual(expected);
    for (const [k, expected] of Object.entries(f.stratified)) expect(new StratifiedKFold({ nSplits: Number(k) }).split(X, f.y)).toEqual(expected);
    for (const [k, expected] of Object.entries(f.group)) expect(new GroupKFold({ nSplits: Number(k) }).split(X.slice(0, f.groups.length), null, f.groups)).toEqual(expected);
    // Shuffled: every index once in a test fold, the same folds for the same seed.
    const shuffled = new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 3 }).split(X, f.y);
    expect(shuffled.flatMap(([, test]) => test).sort((a, b) => a - b)).toEqual(X.map((_, i) => i));
    expect(new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 3 }).split(X, f.y)).toEqual(shuffled);
  });

  it('crossValScore equals cross_val_score: a scaled KNN on Iris (stratified, accuracy), ridge on diabetes (r2, and MSE on KFold)', async () => {
    const knn = await crossValScore(makePipeline(new StandardScaler(), new KNeighborsClassifier({ nNeighbors: 5 })), f.iris.X, f.iris.y, { cv: 5 });
    knn.forEach((v, i) => expect(Math.abs(v - f.iris.knn_accuracy[i])).toBeLessThanOrEqual(1e-12));
    const r2 = await crossValScore(new Ridge({ alpha: 0.5 }), f.diabetes.X, f.diabetes.y, { cv: 4 });
    r2.forEach((v, i) => expect(Math.abs(v - f.diabetes.ridge_r2[i])).toBeLessThanOrEqual(1e-9));
    const mse = await crossValScore(new Ridge({ alpha: 0.5 }), f.diabetes.X, f.diabetes.y, { cv: new KFold({ nSplits: 3 }), scoring: 'negMeanSquaredError' });
    mse.forEach((v, i) => expect(Math.abs(v - f.diabetes.ridge_mse[i])).toBeLessThanOrEqual(1e-9 * Math.abs(f.diabetes.ridge_mse[i])));
  });

  it('clear errors: options, fold counts, labels and groups', async () => {
    expect(() => new KFold({ nSplits: 1 })).toThrow(/KFold: nSplits must be an integer ≥ 2; received 1/);
    expect(() => new KFold({ seed: 3 })).toThrow(/seed has no effect without shuffle: true/);
    expect(() => new KFold({ folds: 3 } as never)).toThrow(/unknown option 'folds'/);
    expect(() => new KFold({ nSplits: 30 }).split(X)).toThrow(/nSplits = 30 is more than the 23 samples/);
    expect(() => new StratifiedKFold().split(X, f.y.slice(1))).toThrow(/y must hold one label per sample of X \(23\)/);
    expect(() => new StratifiedKFold({ nSplits: 12 }).split(X, f.y)).toThrow(/more than the number of members of every class/);
    expect(() => new GroupKFold({ nSplits: 7 }).split(X.slice(0, 23), null, f.groups)).toThrow(/nSplits = 7 is more than the 6 groups/);
    await expect(crossValScore(new Ridge(), X, X.map((r) => r[0]), { scoring: 'f9' })).rejects.toThrow(ValueError);
    await expect(crossValScore(new Ridge(), X, X.map((r) => r[0]), { cv: 'five' as never })).rejects.toThrow(/cv must be a number of folds or a splitter/);
    await expect(crossValScore(new Ridge(), X, [1, 2])).rejects.toThrow(/y has 2 values but X has 23 samples/);
  });
});

describe('GridSearchCV against scikit-learn', () => {
  it('a scaled KNN over nNeighbors × weights on the wine data: candidates in scikit-learn\'s order, its mean and std scores, ranks, best candidate and predictions', async () => {
    const { GridSearchCV } = await import('../dist/index.js');
    const g = (f as unknown as { grid: { X: number[][]; y: number[]; params: Record<string, unknown>[]; mean: number[]; std: number[]; rank: number[]; split0: number[]; best_index: number; best_score: number; predict: number[] } }).grid;
    const search = await new GridSearchCV({
      estimator: makePipeline(new StandardScaler(), new KNeighborsClassifier()),
      paramGrid: { kneighborsclassifier__weights: ['uniform', 'distance'], kneighborsclassifier__nNeighbors: [1, 3, 5, 9] }, cv: 4,
    }).fit(g.X, g.y);
    const r = search.cvResults;
    expect(r.params).toEqual(g.params);
    (r.meanTestScore as number[]).forEach((v, i) => expect(Math.abs(v - g.mean[i])).toBeLessThanOrEqual(1e-12));
    (r.stdTestScore as number[]).forEach((v, i) => expect(Math.abs(v - g.std[i])).toBeLessThanOrEqual(1e-12));
    (r.split0TestScore as number[]).forEach((v, i) => expect(Math.abs(v - g.split0[i])).toBeLessThanOrEqual(1e-12));
    expect(r.rankTestScore).toEqual(g.rank);
    expect(search.bestIndex).toBe(g.best_index);
    expect(Math.abs(search.bestScore - g.best_score)).toBeLessThanOrEqual(1e-12);
    expect(Array.from(search.predict(g.X.slice(0, 20)) as ArrayLike<number>)).toEqual(g.predict);
    expect(r.param_kneighborsclassifier__nNeighbors).toEqual(g.params.map((p) => p.kneighborsclassifier__nNeighbors));
    expect(() => new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [] } })).toThrow(/paramGrid's 'alpha' must be a non-empty array of values/);
    expect(() => new GridSearchCV({ estimator: 3, paramGrid: {} } as never)).toThrow(/estimator must be an estimator \(with fit and setParams\)/);
    expect(() => new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, nJobs: 0 })).toThrow(/nJobs must be an integer ≥ 1, or −1/);
    expect(() => new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] } }).bestParams).toThrow(/before fit/);
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [-1] } }).fit(X, X.map((r) => r[0]))).rejects.toThrow(/alpha must be/);
  });
});
