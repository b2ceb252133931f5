// Decision trees against scikit-learn 1.2 (tests/fixtures/trees.json, made by
// scripts/fixtures/trees.py). The order features are visited in comes from each library's own
// generator, so trees are compared by what does not depend on it: the training score, the root
// split's impurity decrease, depth and leaves, test accuracy within 2 %, importances summing to 1.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DecisionTreeClassifier, DecisionTreeRegressor, FormatError, NotFittedError, RandomForestClassifier, RandomForestRegressor, ShapeError, ValueError, backendInfo, init } from '../dist/index.js';

interface Case {
  name: string;
  estimator: 'DecisionTreeClassifier' | 'DecisionTreeRegressor' | 'RandomForestClassifier' | 'RandomForestRegressor';
  oob_score?: number;
  params: { criterion: string; max_depth: number | null; min_samples_split: number; min_samples_leaf: number; max_leaf_nodes?: number | null; class_weight?: string | null };
  X: number[][];
  y: number[];
  X_test: number[][];
  y_test: number[];
  train_score: number;
  test_score: number;
  root_decrease: number;
  root_impurity: number;
  depth: number;
  leaves: number;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/trees.json', import.meta.url), 'utf8')) as { cases: Case[] };

const CRITERIA: Record<string, string> = { squared_error: 'squaredError', absolute_error: 'absoluteError', log_loss: 'logLoss' };
const CLASS_WEIGHTS: Record<string, string> = { balanced: 'balanced', balanced_subsample: 'balancedSubsample' };

function make(c: Case, seed = 0) {
  const p = c.params;
  const options = {
    criterion: CRITERIA[p.criterion] ?? p.criterion, maxDepth: p.max_depth, minSamplesSplit: p.min_samples_split, minSamplesLeaf: p.min_samples_leaf,
    maxLeafNodes: p.max_leaf_nodes ?? null, seed,
  };
  return c.estimator === 'DecisionTreeClassifier'
    ? new DecisionTreeClassifier({ ...options, classWeight: (CLASS_WEIGHTS[p.class_weight ?? ''] ?? null) as 'balanced' | null })
    : new DecisionTreeRegressor(options);
}

describe.each(fixtures.cases.filter((c) => c.estimator.startsWith('Decision')))('$estimator: $name', (c) => {
  test('training score, root split, depth and leaves as scikit-learn; test accuracy within 2 %', async () => {
    const before = backendInfo().arenaBytesInUse;
    const tree = make(c);
    expect(await tree.fit(c.X, c.y)).toBe(tree);
    expect(tree.score(c.X, c.y)).toBeCloseTo(c.train_score, 10);
    const t = tree.tree;
    const l = t.childrenLeft[0], r = t.childrenRight[0];
    const decrease = (t.weightedNNodeSamples[0] * t.impurity[0] - t.weightedNNodeSamples[l] * t.impurity[l] - t.weightedNNodeSamples[r] * t.impurity[r]) / t.weightedNNodeSamples[0];
    expect(decrease).toBeCloseTo(c.root_decrease, 9);
    expect(t.impurity[0]).toBeCloseTo(c.root_impurity, 10);
    expect(tree.getDepth()).toBe(c.depth);
    expect(tree.getNLeaves()).toBe(c.leaves);
    if (c.estimator === 'DecisionTreeClassifier') expect(Math.abs(tree.score(c.X_test, c.y_test) - c.test_score)).toBeLessThanOrEqual(0.02);
    expect(tree.featureImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('trees', () => {
  const iris = fixtures.cases[0];

  test('probabilities are leaf class fractions; exportText reads like scikit-learn; save and load', async () => {
    const tree = await new DecisionTreeClassifier({ maxDepth: 2, seed: 1 }).fit(iris.X, iris.y);
    tree.predictProba(iris.X_test).forEach((p) => expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12));
    const text = tree.exportText({ featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'] });
    expect(text.split('\n')[0]).toMatch(/^\|--- petal (length|width) <= \d+\.\d\d$/);
    expect(text).toMatch(/\|   \|--- class: \d/);
    const loaded = DecisionTreeClassifier.fromBytes(tree.toBytes());
    expect(loaded.predict(iris.X_test)).toEqual(tree.predict(iris.X_test));
    expect(() => DecisionTreeRegressor.fromBytes(tree.toBytes())).toThrow(FormatError);
  });

  test('the same seed grows the same tree; maxFeatures draws features per split', async () => {
    const a = await new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 3 }).fit(iris.X, iris.y);
    const b = await new DecisionTreeClassifier({ maxFeatures: 'sqrt', seed: 3 }).fit(iris.X, iris.y);
    expect(a.tree).toEqual(b.tree);
    expect(a.score(iris.X, iris.y)).toBe(1);
  });

  test.each([
    ['unknown criterion', async () => new DecisionTreeClassifier({ criterion: 'mse' }), ValueError, /criterion must be one of 'gini', 'entropy', 'logLoss'/],
    ['bad maxDepth', async () => new DecisionTreeRegressor({ maxDepth: 0 }), ValueError, /maxDepth must be a positive integer or null; received 0/],
    ['NaN', () => new DecisionTreeClassifier().fit([[NaN]], [1]), ValueError, /finite numbers/],
    ['empty', () => new DecisionTreeRegressor().fit([], []), ValueError, /X is empty/],
    ['predict before fit', async () => new DecisionTreeClassifier().predict([[1]]), NotFittedError, /not available before fit/],
    ['feature count', () => new DecisionTreeClassifier().fit(iris.X, iris.y).then((t) => t.predict([[1, 2]])), ValueError, /X has 2 features, but the tree was fitted with 4/],
    ['lengths', () => new DecisionTreeClassifier().fit(iris.X, iris.y.slice(1)), ShapeError, /has \d+ values but X has \d+ samples/],
    ['one leaf is no cap', async () => new DecisionTreeClassifier({ maxLeafNodes: 1 }), ValueError, /maxLeafNodes must be an integer ≥ 2 or null; received 1/],
    ['class weight of an unknown class', () => new DecisionTreeClassifier({ classWeight: { 7: 2 } }).fit(iris.X, iris.y), ValueError, /classWeight names class '7', which is not in y/],
    ['unknown class-weight mode', async () => new RandomForestClassifier({ classWeight: 'balanced_subsample' as never }), ValueError, /classWeight must be 'balanced', 'balancedSubsample', null/],
    ['absolute error for a classifier', async () => new DecisionTreeClassifier({ criterion: 'absoluteError' }), ValueError, /criterion must be one of 'gini', 'entropy', 'logLoss'/],
    ['class weights for a regressor', async () => new RandomForestRegressor({ classWeight: 'balanced' } as never), ValueError, /classWeight/],
  ])('%s', async (_name, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

describe.each(fixtures.cases.filter((c) => c.estimator.startsWith('RandomForest')))('$estimator: $name', (c) => {
  test('training and test scores within 2 % of scikit-learn (R² within 0.05), out-of-bag score within 0.03', async () => {
    const before = backendInfo().arenaBytesInUse;
    const classWeight = (CLASS_WEIGHTS[c.params.class_weight ?? ''] ?? null) as 'balancedSubsample' | null;
    const forest = c.estimator === 'RandomForestClassifier'
      ? await new RandomForestClassifier({ nEstimators: 100, oobScore: true, seed: 0, classWeight }).fit(c.X, c.y)
      : await new RandomForestRegressor({ nEstimators: 100, oobScore: true, seed: 0 }).fit(c.X, c.y);
    const tolerance = c.estimator === 'RandomForestClassifier' ? 0.02 : 0.05;
    expect(Math.abs(forest.score(c.X, c.y) - c.train_score)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(forest.score(c.X_test, c.y_test) - c.test_score)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(forest.oobScore - c.oob_score!)).toBeLessThanOrEqual(0.03);
    expect(forest.featureImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('a lone tree on two threads', () => {
  test('the helper thread scoring half the features gives the tree grown on one thread', async () => {
    const digits = fixtures.cases.find((c) => c.name.startsWith('digits gini'))!;
    const trees = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      trees.push((await new DecisionTreeClassifier({ seed: 4 }).fit(digits.X, digits.y)).tree);
    }
    await init({ threads: 'auto' });
    expect(trees[1]).toEqual(trees[0]);
  });
});

describe('random forests', () => {
  const iris = fixtures.cases[0];
  test('trees grown side by side on 1 and 2 threads give the same forest', async () => {
    const digits = fixtures.cases.find((c) => c.name.startsWith('digits random forest'))!;
    const runs = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      const forest = await new RandomForestClassifier({ nEstimators: 12, seed: 9, oobScore: true }).fit(digits.X, digits.y);
      runs.push({ proba: forest.predictProba(digits.X_test.slice(0, 50)), oob: forest.oobScore, importances: Array.from(forest.featureImportances) });
    }
    await init({ threads: 'auto' });
    expect(runs[1]).toEqual(runs[0]);
  });

  test('one row, and the last one to three rows of a block, walk several trees at a time: the bits of the rows in a block of four, on 1 and 2 threads', async () => {
    const digits = fixtures.cases.find((c) => c.name.startsWith('digits random forest'))!;
    const X = digits.X_test.slice(0, 70);
    const outs = [];
    for (const threads of [1, 2]) {
      await init({ threads });
      // 259 trees: enough for one row's walks to be split across two threads, and the walks by four
      // trees leave three to go one at a time.
      const classifier = await new RandomForestClassifier({ nEstimators: 259, maxDepth: 6, seed: 2 }).fit(digits.X, digits.y);
      const regressor = await new RandomForestRegressor({ nEstimators: 259, maxDepth: 6, seed: 2 }).fit(digits.X, digits.y);
      const whole = [classifier.predictProba(X), regressor.predict(X)];
      // 70 rows are a block of 64 (16 fours) and one of 6 (a four and two more).
      for (const [model, rows] of [[classifier, whole[0]], [regressor, whole[1]]] as const) {
        const one = (x: number[][]) => 'predictProba' in model ? model.predictProba(x) : model.predict(x);
        for (const r of [0, 1, 63, 64, 69]) expect(one([X[r]])).toEqual(rows.slice(r, r + 1));
        for (const [start, end] of [[0, 2], [0, 3], [5, 10], [64, 70]]) expect(one(X.slice(start, end))).toEqual(rows.slice(start, end));
      }
      outs.push(whole);
    }
    await init({ threads: 'auto' });
    expect(outs[1]).toEqual(outs[0]);
  });

  test('the same seed grows the same forest; saved and loaded it predicts the same; oob needs bootstrap', async () => {
    const a = await new RandomForestClassifier({ nEstimators: 10, seed: 5, oobScore: true }).fit(iris.X, iris.y);
    const b = await new RandomForestClassifier({ nEstimators: 10, seed: 5, oobScore: true }).fit(iris.X, iris.y);
    expect(b.predictProba(iris.X_test)).toEqual(a.predictProba(iris.X_test));
    expect(b.oobDecisionFunction).toEqual(a.oobDecisionFunction);
    const loaded = RandomForestClassifier.fromBytes(a.toBytes());
    expect(loaded.predictProba(iris.X_test)).toEqual(a.predictProba(iris.X_test));
    expect(loaded.oobScore).toBe(a.oobScore);
    await expect(new RandomForestClassifier({ bootstrap: false, oobScore: true }).fit(iris.X, iris.y)).rejects.toThrow(/oobScore needs bootstrap: true/);
    expect(() => new RandomForestRegressor({ nEstimators: 0 })).toThrow(/nEstimators must be an integer ≥ 1; received 0/);
  });
});
