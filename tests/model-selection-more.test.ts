// The rest of scikit-learn's model selection against scikit-learn (tests/fixtures/model_selection.json):
// crossValidate with several scorers and training scores, crossValPredict (labels, probabilities),
// learningCurve, validationCurve, a GridSearchCV of several scorers refitted by one; and what the
// random splitters and RandomizedSearchCV promise (sizes, class counts, draws inside their
// distributions, seeds), and permutationImportance.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../dist/index.js';

const f = JSON.parse(readFileSync(new URL('./fixtures/model_selection.json', import.meta.url), 'utf8'));
const knn = () => w.makePipeline(new w.StandardScaler(), new w.KNeighborsClassifier({ nNeighbors: 5 }));
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  Array.from(a).forEach((v, i) => expect(Math.abs(v - b[i]), `${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol));
};

describe('cross-validation routines against scikit-learn', () => {
  it('crossValidate: several scorers, training scores, times and estimators', async () => {
    const r = await w.crossValidate(knn(), f.iris.X, f.iris.y, { cv: 5, scoring: ['accuracy', 'f1_macro', 'balanced_accuracy'], returnTrainScore: true, returnEstimator: true });
    near(r.testAccuracy, f.cross_validate.test_accuracy);
    near(r.testF1Macro, f.cross_validate.test_f1_macro);
    near(r.testBalancedAccuracy, f.cross_validate.test_balanced_accuracy);
    near(r.trainAccuracy, f.cross_validate.train_accuracy);
    near(r.trainF1Macro, f.cross_validate.train_f1_macro);
    expect(r.fitTime.length).toBe(5);
    expect(r.estimator!.length).toBe(5);
    const one = await w.crossValidate(knn(), f.iris.X, f.iris.y, { cv: 5 });
    near(one.testScore, f.iris.knn_accuracy);
  });
  it('crossValPredict: labels and probabilities of each sample from the fold without it', async () => {
    expect(await w.crossValPredict(knn(), f.iris.X, f.iris.y, { cv: 5 })).toEqual(f.cross_val_predict);
    const p = await w.crossValPredict(knn(), f.iris.X, f.iris.y, { cv: 5, method: 'predictProba' }) as number[][];
    p.forEach((row, i) => near(row, f.cross_val_predict_proba[i]));
    await expect(w.crossValPredict(knn(), f.iris.X, f.iris.y, { cv: new w.ShuffleSplit({ nSplits: 2 }) })).rejects.toThrow(/exactly one test fold/);
    // On two workers: the same answers.
    expect(await w.crossValPredict(knn(), f.iris.X, f.iris.y, { cv: 5, nJobs: 2 })).toEqual(f.cross_val_predict);
    expect(await w.crossValPredict(knn(), f.iris.X, f.iris.y, { cv: 5, method: 'predictProba', nJobs: 2 })).toEqual(p);
    await expect(w.crossValPredict(new w.Ridge(), f.iris.X, f.iris.y, { method: 'predictProba', nJobs: 2 })).rejects.toThrow(/the estimator has no predictProba/);
  });
  it('learningCurve and validationCurve', async () => {
    const lc = await w.learningCurve(knn(), f.iris.X, f.iris.y, { cv: 5 });
    expect(lc.trainSizes).toEqual(f.learning_curve.sizes);
    lc.trainScores.forEach((row, i) => near(row, f.learning_curve.train[i]));
    lc.testScores.forEach((row, i) => near(row, f.learning_curve.test[i]));
    const vc = await w.validationCurve(knn(), f.iris.X, f.iris.y, { paramName: 'kneighborsclassifier__nNeighbors', paramRange: [1, 5, 15], cv: 4 });
    vc.trainScores.forEach((row, i) => near(row, f.validation_curve.train[i]));
    vc.testScores.forEach((row, i) => near(row, f.validation_curve.test[i]));
    await expect(w.validationCurve(knn(), f.iris.X, f.iris.y, { paramName: '', paramRange: [1] })).rejects.toThrow(/paramName must be/);
  });
  it('GridSearchCV with several scorers, refitted by the one named', async () => {
    const g = f.grid_multi;
    const s = await new w.GridSearchCV({
      estimator: w.makePipeline(new w.StandardScaler(), new w.KNeighborsClassifier()), paramGrid: { kneighborsclassifier__nNeighbors: [1, 3, 5, 9] },
      scoring: ['accuracy', 'f1_macro'], refit: 'f1_macro', cv: 4,
    }).fit(f.grid.X, f.grid.y);
    near(s.cvResults.meanTestAccuracy as number[], g.mean_accuracy);
    near(s.cvResults.meanTestF1Macro as number[], g.mean_f1);
    expect(s.cvResults.rankTestF1Macro).toEqual(g.rank_f1);
    expect(s.bestIndex).toBe(g.best_index);
    expect(Math.abs(s.bestScore - g.best_score)).toBeLessThanOrEqual(1e-12);
    expect(() => new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [1] }, scoring: ['r2', 'max_error'] })).toThrow(/refit must name the one/);
    expect(() => new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [1] }, refit: 'r2' })).toThrow(/refit 'r2' must be one of the scorers' names/);
  });
  it('a failing candidate scores errorScore with a warning; all failing throws', async () => {
    const X = Array.from({ length: 20 }, (_, i) => [i, (i * 7) % 5]), y = X.map((r) => r[0] + r[1]);
    w.warnings.filter('ignore', 'data');
    const s = await new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [-1, 1] }, cv: 3 }).fit(X, y);
    expect((s.cvResults.meanTestScore as number[]).map(Number.isNaN)).toEqual([true, false]);
    expect(s.bestParams).toEqual({ alpha: 1 });
    w.warnings.reset();
    await expect(new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [-1] }, errorScore: 'raise' }).fit(X, y)).rejects.toThrow(/alpha must be/);
  });
});

describe('random splitters and the randomized search', () => {
  it('ShuffleSplit and StratifiedShuffleSplit: scikit-learn\'s sizes and class counts, seeds repeat', () => {
    const X = Array.from({ length: 101 }, () => [0]);
    const a = new w.ShuffleSplit({ nSplits: 1, testSize: 0.25 }).split(X)[0], b = new w.ShuffleSplit({ nSplits: 1, trainSize: 0.5 }).split(X)[0];
    expect([[a[0].length, a[1].length], [b[0].length, b[1].length]]).toEqual(f.shuffle_sizes);
    const yy = [...Array(30).fill(0), ...Array(50).fill(1), ...Array(20).fill(2)];
    const s = new w.StratifiedShuffleSplit({ nSplits: 3, testSize: 0.3, seed: 1 }).split(X.slice(0, 100), yy);
    const counts = (idx: number[]) => [0, 1, 2].map((c) => idx.filter((i) => yy[i] === c).length);
    for (const [train, test] of s) {
      expect([counts(train), counts(test)]).toEqual(f.stratified_shuffle_counts[0]);
      expect(new Set([...train, ...test]).size).toBe(100);
    }
    expect(new w.StratifiedShuffleSplit({ nSplits: 3, testSize: 0.3, seed: 1 }).split(X.slice(0, 100), yy)).toEqual(s);
    expect(() => new w.StratifiedShuffleSplit().split([[0], [1], [2]], [0, 0, 1])).toThrow(/least populated class in y has only 1 member/);
    expect(() => new w.ShuffleSplit({ testSize: 1.5 })).toThrow(/testSize must be a fraction/);
  });
  it('RepeatedStratifiedKFold: each repeat a stratified partition, repeats differ', () => {
    const y = Array.from({ length: 30 }, (_, i) => i % 3), X = y.map((v) => [v]);
    const splits = new w.RepeatedStratifiedKFold({ nSplits: 3, nRepeats: 4, seed: 5 }).split(X, y);
    expect(splits.length).toBe(12);
    for (let r = 0; r < 4; r++) expect(splits.slice(3 * r, 3 * r + 3).flatMap(([, t]) => t).sort((a, b) => a - b)).toEqual(y.map((_, i) => i));
    expect(splits[0][1]).not.toEqual(splits[3][1]);
    expect(new w.RepeatedStratifiedKFold({ nSplits: 3, nRepeats: 4 }).getNSplits()).toBe(12);
  });
  it('RandomizedSearchCV: draws inside the distributions, lists without replacement, scores as GridSearchCV scores the same candidates', async () => {
    const estimator = w.makePipeline(new w.StandardScaler(), new w.KNeighborsClassifier());
    const s = await new w.RandomizedSearchCV({
      estimator, paramDistributions: { kneighborsclassifier__nNeighbors: w.randint(1, 20), kneighborsclassifier__weights: ['uniform', 'distance'] }, nIter: 6, seed: 4, cv: 4,
    }).fit(f.grid.X, f.grid.y);
    const params = s.cvResults.params as Record<string, unknown>[];
    expect(params.length).toBe(6);
    for (const p of params) expect(p.kneighborsclassifier__nNeighbors as number).toBeGreaterThanOrEqual(1);
    const grid = await new w.GridSearchCV({ estimator, paramGrid: params.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, [v]]))), cv: 4 }).fit(f.grid.X, f.grid.y);
    expect(grid.cvResults.meanTestScore).toEqual(s.cvResults.meanTestScore);
    const again = await new w.RandomizedSearchCV({ estimator, paramDistributions: { kneighborsclassifier__nNeighbors: w.randint(1, 20), kneighborsclassifier__weights: ['uniform', 'distance'] }, nIter: 6, seed: 4, cv: 4 }).fit(f.grid.X, f.grid.y);
    expect(again.cvResults.params).toEqual(params);
    const lists = new w.RandomizedSearchCV({ estimator: new w.Ridge(), paramDistributions: { alpha: [0.1, 1, 10] }, nIter: 3, seed: 1 });
    const X = Array.from({ length: 20 }, (_, i) => [i, (i * 7) % 5]), y = X.map((r) => r[0] + r[1]);
    await lists.fit(X, y);
    expect((lists.cvResults.params as { alpha: number }[]).map((p) => p.alpha).sort((a, b) => a - b)).toEqual([0.1, 1, 10]);
    const u = w.uniform(2, 3), l = w.logUniform(1e-3, 1e2);
    const draws = await new w.RandomizedSearchCV({ estimator: new w.SVR(), paramDistributions: { C: l, epsilon: u }, nIter: 20, seed: 2, cv: 2 }).fit(X, y);
    const drawn = draws.cvResults.params as { C: number; epsilon: number }[];
    for (const p of drawn) {
      expect(p.C).toBeGreaterThanOrEqual(1e-3); expect(p.C).toBeLessThanOrEqual(1e2);
      expect(p.epsilon).toBeGreaterThanOrEqual(2); expect(p.epsilon).toBeLessThanOrEqual(5);
    }
    // Log-uniform: about half the draws below the geometric middle (√(1e-3·1e2) ≈ 0.32).
    expect(drawn.filter((p) => p.C < Math.sqrt(1e-3 * 1e2)).length).toBeGreaterThan(3);
    expect(() => w.logUniform(0, 1)).toThrow(/0 < a < b/);
    expect(() => new w.RandomizedSearchCV({ estimator: new w.Ridge(), paramDistributions: { alpha: 3 } as never })).toThrow(/'alpha' must be a distribution/);
  });
});

describe('permutationImportance', () => {
  it('a column the model ignores has importance 0; each repeat is the baseline minus the score on X with that column permuted', async () => {
    const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i), (i * 13) % 7, Math.cos(3 * i)]);
    const y = X.map((r) => 3 * r[0] - 2 * r[2]);
    const model = await new w.LinearRegression().fit(X, y);
    const seen: number[][][] = [];
    const scorer = (e: any, data: number[][], t: number[]) => { seen.push(data); return w.r2Score(t, e.predict(data)) as number; };
    const r = await w.permutationImportance(model, X, y, { scoring: scorer, nRepeats: 4, seed: 9 }) as w.Importances;
    expect(r.importances.length).toBe(3);
    expect(Math.abs(r.importancesMean[1])).toBeLessThan(1e-9);
    expect(r.importancesMean[0]).toBeGreaterThan(0.5);
    // seen[0] is the baseline X; then 4 repeats per column.
    const baseline = w.r2Score(y, model.predict(X)) as number;
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 4; k++) {
        const data = seen[1 + 4 * j + k];
        expect(data.map((row) => row[j]).sort()).toEqual(X.map((row) => row[j]).sort());
        for (let c = 0; c < 3; c++) if (c !== j) expect(data.map((row) => row[c])).toEqual(X.map((row) => row[c]));
        expect(r.importances[j][k]).toBe(baseline - (w.r2Score(y, model.predict(data)) as number));
      }
    }
    const again = await w.permutationImportance(model, X, y, { nRepeats: 4, seed: 9 }) as w.Importances;
    expect(again.importancesMean).toEqual(r.importancesMean);
    const multi = await w.permutationImportance(model, X, y, { scoring: ['r2', 'neg_mean_absolute_error'], seed: 1 }) as Record<string, w.Importances>;
    expect(Object.keys(multi)).toEqual(['r2', 'neg_mean_absolute_error']);
    const table = await w.permutationImportance(model, { a: X.map((r) => r[0]), b: X.map((r) => r[1]), c: X.map((r) => r[2]) }, y, { nRepeats: 4, seed: 9 }) as w.Importances;
    expect(table.importancesMean).toEqual(r.importancesMean);
  });
});

describe('clone', () => {
  it('clones every estimator nested in a composite (none shared with the original), so a column transformer pipeline cross-validates and nested cross-validation runs', async () => {
    const scaler = new w.StandardScaler();
    const ct = new w.ColumnTransformer({ transformers: [['s', scaler, [0, 1]]], remainder: 'passthrough' });
    const pipe = w.makePipeline(ct, new w.LogisticRegression());
    const copy = w.clone(pipe);
    const inner = (copy.steps[0][1] as w.ColumnTransformer).getParams({ deep: false }).transformers as unknown[][];
    expect(inner[0][1]).not.toBe(scaler);
    expect(inner[0][1]).toBeInstanceOf(w.StandardScaler);
    const union = w.clone(new w.FeatureUnion({ transformerList: [['a', scaler]] }));
    expect((union.getParams({ deep: false }).transformerList as unknown[][])[0][1]).not.toBe(scaler);
    const scores = await w.crossValScore(pipe, f.iris.X, f.iris.y, { cv: 3 });
    expect(scores.length).toBe(3);
    expect(scaler.isFitted).toBe(false);
    const search = new w.GridSearchCV({ estimator: w.makePipeline(new w.StandardScaler(), new w.KNeighborsClassifier()), paramGrid: { kneighborsclassifier__nNeighbors: [1, 5] }, cv: 3 });
    const nested = await w.crossValScore(search, f.iris.X, f.iris.y, { cv: 3 });
    expect(nested.length).toBe(3);
    expect(search.isFitted).toBe(false);
    expect(search.getParams().estimator__kneighborsclassifier__nNeighbors).toBe(5);
    // A search over a regressor cross-validates with KFold, as its estimator would (its own classes getter does not make it a classifier).
    const Xr = Array.from({ length: 30 }, (_, i) => [i, Math.sin(i)]), yr = Xr.map((r) => 2 * r[0] + r[1] + 0.01 * (r[0] % 3));
    const regression = new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [0.1, 1] }, cv: 3 });
    near(await w.crossValScore(regression, Xr, yr, { cv: 3 }), await w.crossValScore(regression, Xr, yr, { cv: new w.KFold({ nSplits: 3 }) }));
    search.setParams({ cv: 4, estimator__kneighborsclassifier__nNeighbors: 7 });
    expect(search.getParams({ deep: false }).cv).toBe(4);
  });
});

describe('fits side by side (nJobs) and saved searches', () => {
  const strip = (r: Record<string, unknown[]>) => Object.fromEntries(Object.entries(r).filter(([k]) => !/Time$/.test(k)));
  it('a search on 2 workers gives the results of 1; crossValidate brings back its estimators', async () => {
    const make = (nJobs: number) => new w.GridSearchCV({ estimator: w.makePipeline(new w.StandardScaler(), new w.SVC()), paramGrid: { svc__C: [0.5, 5], svc__gamma: ['scale', 0.05] }, cv: 4, nJobs, scoring: ['accuracy', 'f1_macro'], refit: 'accuracy' });
    const one = await make(1).fit(f.grid.X, f.grid.y), two = await make(2).fit(f.grid.X, f.grid.y);
    expect(strip(two.cvResults)).toEqual(strip(one.cvResults));
    expect(two.predict(f.grid.X)).toEqual(one.predict(f.grid.X));
    const r = await w.crossValidate(knn(), f.iris.X, f.iris.y, { cv: 5, nJobs: 2, returnEstimator: true, returnTrainScore: true });
    near(r.testScore, f.iris.knn_accuracy);
    const seq = await w.crossValidate(knn(), f.iris.X, f.iris.y, { cv: 5, returnEstimator: true });
    r.estimator!.forEach((e, i) => expect((e as w.Pipeline).predict(f.iris.X)).toEqual((seq.estimator![i] as w.Pipeline).predict(f.iris.X)));
    const lc = await w.learningCurve(knn(), f.iris.X, f.iris.y, { cv: 5, nJobs: 2 });
    lc.testScores.forEach((row, i) => near(row, f.learning_curve.test[i]));
    // Tabular data with gaps and strings goes to the workers too.
    const rows = f.iris.X.map((x: number[], i: number) => ({ a: i % 7 === 0 ? null : x[0], b: x[1], kind: i % 2 ? 'odd' : 'even' }));
    const pipe = w.makePipeline(w.makeColumnTransformer([w.makePipeline(new w.SimpleImputer(), new w.StandardScaler()), ['a', 'b']], [new w.OneHotEncoder(), ['kind']]), new w.LogisticRegression());
    near(await w.crossValScore(pipe, rows, f.iris.y, { nJobs: 2 }), await w.crossValScore(pipe, rows, f.iris.y));
  });
  it('failing fits on workers score errorScore; all failing throws the error class; a function scorer runs here, with a warning', async () => {
    const X = Array.from({ length: 30 }, (_, i) => [i, (i * 7) % 5]), y = X.map((r) => r[0] + r[1]);
    w.warnings.filter('ignore', 'data');
    const s = await new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [-1, 1] }, cv: 3, nJobs: 2 }).fit(X, y);
    expect((s.cvResults.meanTestScore as number[]).map(Number.isNaN)).toEqual([true, false]);
    await expect(new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [-1, -2] }, cv: 3, nJobs: 2 }).fit(X, y)).rejects.toThrow(w.ValueError);
    w.warnings.reset();
    w.warnings.filter('error', 'runtime');
    const scorer = (e: any, Xs: number[][], t: number[]) => -(w.meanAbsoluteError(t, e.predict(Xs)) as number);
    await expect(w.crossValScore(new w.Ridge(), X, y, { scoring: scorer, nJobs: 2 })).rejects.toThrow(/a scorer given as a function cannot be sent to a worker/);
    w.warnings.filter('ignore', 'runtime');
    near(await w.crossValScore(new w.Ridge(), X, y, { scoring: scorer, nJobs: 2 }), await w.crossValScore(new w.Ridge(), X, y, { scoring: 'neg_mean_absolute_error' }));
    w.warnings.reset();
  });
  it('a fitted search saves and loads (grid and randomized, with their splitter and distributions) and predicts as before', async () => {
    const grid = await new w.GridSearchCV({ estimator: knn(), paramGrid: { kneighborsclassifier__nNeighbors: [1, 5] }, cv: new w.StratifiedKFold({ nSplits: 3, shuffle: true, seed: 2 }) }).fit(f.iris.X, f.iris.y);
    const back = await w.load(grid.toBytes()) as w.GridSearchCV;
    expect(back).toBeInstanceOf(w.GridSearchCV);
    expect(back.cvResults).toEqual(grid.cvResults);
    expect(back.bestParams).toEqual(grid.bestParams);
    expect(back.predict(f.iris.X)).toEqual(grid.predict(f.iris.X));
    expect(strip((await back.fit(f.iris.X, f.iris.y)).cvResults)).toEqual(strip(grid.cvResults));
    const random = await new w.RandomizedSearchCV({ estimator: new w.SVR(), paramDistributions: { C: w.logUniform(0.1, 10) }, nIter: 3, seed: 1, cv: 3 }).fit(f.diabetes.X.slice(0, 60), f.diabetes.y.slice(0, 60));
    const r2 = w.RandomizedSearchCV.fromBytes(random.toBytes());
    expect(r2.cvResults).toEqual(random.cvResults);
    expect(r2.predict(f.diabetes.X.slice(0, 5))).toEqual(random.predict(f.diabetes.X.slice(0, 5)));
    const fn = await new w.GridSearchCV({ estimator: new w.Ridge(), paramGrid: { alpha: [1] }, cv: 2, scoring: (e: any, Xs: unknown, t: number[]) => w.r2Score(t, e.predict(Xs)) as number }).fit(f.diabetes.X.slice(0, 20), f.diabetes.y.slice(0, 20));
    expect(() => fn.toBytes()).toThrow(/is a function, which another thread cannot rebuild, so the search cannot be saved/);
  });
});

describe('a search over a scaled SVC against scikit-learn', () => {
  it('GridSearchCV of C × gamma on the wine data (and crossValScore of one candidate): scores, ranks and best parameters equal', async () => {
    const g = f.grid_svc;
    const s = await new w.GridSearchCV({ estimator: w.makePipeline(new w.StandardScaler(), new w.SVC()), paramGrid: { svc__C: [0.1, 1, 10, 100], svc__gamma: [0.01, 0.1, 'scale'] }, cv: 5, nJobs: 2 }).fit(f.grid.X, f.grid.y);
    near(s.cvResults.meanTestScore as number[], g.mean, 1e-9);
    near(s.cvResults.split0TestScore as number[], g.split0, 1e-9);
    expect(s.cvResults.rankTestScore).toEqual(g.rank);
    expect(s.bestParams).toEqual(g.best);
    near(await w.crossValScore(w.makePipeline(new w.StandardScaler(), new w.SVC({ C: 10 })), f.grid.X, f.grid.y, { cv: 5 }), g.cv_score, 1e-9);
  });
});

describe('trainTestSplit of tabular data', () => {
  it('row objects stay row objects and column objects stay columns, gaps and strings kept, the same rows as for a matrix', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ a: i % 5 === 0 ? null : i, city: i % 2 ? 'oslo' : 'rome' }));
    const y = rows.map((_, i) => i % 2);
    const split = w.trainTestSplit(rows, y, { testSize: 0.25, stratify: y, seed: 4 });
    expect(split.xTest).toEqual(split.testIndex.map((i) => rows[i]));
    const matrix = w.trainTestSplit(rows.map((_, i) => [i]), y, { testSize: 0.25, stratify: y, seed: 4 });
    expect(split.testIndex).toEqual(matrix.testIndex);
    const columns = w.trainTestSplit({ a: rows.map((r) => r.a), city: rows.map((r) => r.city) }, y, { testSize: 0.25, stratify: y, seed: 4 });
    // A column object is read as a table: a gap in a number column comes back as NaN.
    expect(columns.xTrain).toEqual({ a: split.trainIndex.map((i) => rows[i].a ?? Number.NaN), city: split.trainIndex.map((i) => rows[i].city) });
  });
});

describe('ordered and exhaustive splitters', () => {
  it('TimeSeriesSplit, LeaveOneOut and LeavePOut give scikit-learn\'s indices', () => {
    const X = Array.from({ length: 23 }, (_, i) => [i]);
    const ts = f.time_series;
    expect(new w.TimeSeriesSplit().split(X)).toEqual(ts.default);
    expect(new w.TimeSeriesSplit({ nSplits: 3 }).split(X)).toEqual(ts['3']);
    expect(new w.TimeSeriesSplit({ nSplits: 4, maxTrainSize: 5 }).split(X)).toEqual(ts.max_train);
    expect(new w.TimeSeriesSplit({ nSplits: 3, testSize: 4, gap: 2 }).split(X)).toEqual(ts.test_gap);
    expect(new w.LeaveOneOut().split(X.slice(0, 5))).toEqual(f.leave_one_out);
    expect(new w.LeavePOut({ p: 2 }).split(X.slice(0, 5))).toEqual(f.leave_p_out);
    expect(() => new w.TimeSeriesSplit({ nSplits: 30 }).split(X)).toThrow(/31 folds \(nSplits \+ 1\) are more than the 23 samples/);
    expect(() => new w.TimeSeriesSplit({ gap: -1 })).toThrow(/gap must be an integer ≥ 0/);
  });
  it('cross-validation takes them; crossValPredict refuses splits that are not a partition', async () => {
    const X = Array.from({ length: 30 }, (_, i) => [i, Math.sin(i)]), y = X.map((r) => 2 * r[0] + r[1]);
    expect((await w.crossValScore(new w.Ridge(), X, y, { cv: new w.TimeSeriesSplit({ nSplits: 4 }) })).length).toBe(4);
    expect((await w.crossValScore(new w.Ridge(), X.slice(0, 8), y.slice(0, 8), { cv: new w.LeaveOneOut(), scoring: 'neg_mean_absolute_error' })).length).toBe(8);
    await expect(w.crossValPredict(new w.Ridge(), X, y, { cv: new w.TimeSeriesSplit() })).rejects.toThrow(/exactly one test fold/);
  });
});
