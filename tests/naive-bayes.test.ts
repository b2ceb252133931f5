// Naive Bayes against scikit-learn 1.2 (tests/fixtures/naive_bayes.json, made by
// scripts/fixtures/naive_bayes.py): what the models learn and their joint log likelihoods and
// probabilities to 1e-9, the same predictions; partialFit over batches equals one fit; saving,
// tabular input and the errors.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BernoulliNB, FormatError, GaussianNB, MinMaxScaler, MultinomialNB, NotFittedError, ShapeError, ValueError, crossValScore, load, makePipeline, warnings } from '../dist/index.js';

interface Case {
  name: string; estimator: 'GaussianNB' | 'MultinomialNB' | 'BernoulliNB'; options: Record<string, unknown>;
  X: number[][]; y: (number | string)[]; weights: number[] | null; X_test: number[][];
  classes: (number | string)[]; class_count: number[]; joint: number[][]; log_proba: number[][]; proba: number[][]; predict: (number | string)[];
  theta?: number[][]; var?: number[][]; epsilon?: number; class_prior?: number[];
  feature_count?: number[][]; feature_log_prob?: number[][]; class_log_prior?: number[];
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/naive_bayes.json', import.meta.url), 'utf8')) as { cases: Case[] };
const classes = { GaussianNB, MultinomialNB, BernoulliNB };
type Model = GaussianNB & MultinomialNB;
const make = (c: Case) => new (classes[c.estimator] as unknown as new (o: unknown) => Model)(c.options);

const close = (a: number, b: number, rel = 1e-9) => (a === b) || Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-9): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(close(actual[i], expected[i], rel), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBe(true);
}
const flat = (rows: number[][]) => rows.flat();

describe('naive Bayes equals scikit-learn', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const m = await make(c).fit(c.X, c.y, c.weights ? { sampleWeight: c.weights } : {});
      expect(m.classes).toEqual(c.classes);
      expectClose(m.classCount, c.class_count, 'classCount');
      if (c.theta) {
        const g = m as unknown as GaussianNB;
        expectClose(flat(g.theta), flat(c.theta), 'theta');
        expectClose(flat(g.var), flat(c.var!), 'var');
        expect(close(g.epsilon, c.epsilon!)).toBe(true);
        expectClose(g.classPrior, c.class_prior!, 'classPrior');
      } else {
        expectClose(flat(m.featureCount), flat(c.feature_count!), 'featureCount');
        expectClose(flat(m.featureLogProb), flat(c.feature_log_prob!), 'featureLogProb');
        expectClose(m.classLogPrior, c.class_log_prior!, 'classLogPrior');
      }
      expectClose(flat(m.predictJointLogProba(c.X_test)), flat(c.joint), 'joint');
      expectClose(flat(m.predictLogProba(c.X_test)), flat(c.log_proba), 'log proba', 1e-8);
      expectClose(flat(m.predictProba(c.X_test)), flat(c.proba), 'proba');
      expect(m.predict(c.X_test)).toEqual(c.predict);
    });
  }
});

describe('partialFit', () => {
  for (const c of cases) {
    test(`${c.name}: three batches equal one fit`, async () => {
      const whole = await make(c).fit(c.X, c.y, c.weights ? { sampleWeight: c.weights } : {});
      const parts = make(c);
      const n = c.X.length, cuts = [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n];
      for (let b = 0; b < 3; b++) {
        const rows = c.X.slice(cuts[b], cuts[b + 1]), labels = c.y.slice(cuts[b], cuts[b + 1]);
        const weights = c.weights?.slice(cuts[b], cuts[b + 1]);
        await parts.partialFit(rows, labels, { classes: b === 0 ? c.classes : undefined, sampleWeight: weights });
      }
      expectClose(flat(parts.predictJointLogProba(c.X_test)), flat(whole.predictJointLogProba(c.X_test)), 'joint', 1e-9);
      expect(parts.predict(c.X_test)).toEqual(whole.predict(c.X_test));
    });
  }

  test('a class absent from the first batches, declared up front', async () => {
    const m = new MultinomialNB();
    await m.partialFit([[1, 0], [2, 1]], ['a', 'a'], { classes: ['a', 'b', 'c'] });
    expect(m.classes).toEqual(['a', 'b', 'c']);
    expect(Array.from(m.classCount)).toEqual([2, 0, 0]);
    await m.partialFit([[0, 3]], ['c']);
    expect(Array.from(m.classCount)).toEqual([2, 0, 1]);
    expect(m.predict([[0, 5]])).toEqual(['c']);
  });
});

describe('naive Bayes API', () => {
  const iris = cases[0];

  test('save and load every model; tabular input keeps its column names', async () => {
    for (const c of [cases[0], cases[4], cases[7]]) {
      const m = await make(c).fit(c.X, c.y);
      const back = (await load(m.toBytes())) as Model;
      expect(back.predictProba(c.X_test)).toEqual(m.predictProba(c.X_test));
    }
    const rows = iris.X.map(([a, b, c, d]) => ({ a, b, c, d }));
    const g = await new GaussianNB().fit(rows, iris.y);
    expect(g.featureNamesIn).toEqual(['a', 'b', 'c', 'd']);
    await g.partialFit(rows.slice(0, 10), iris.y.slice(0, 10));
    expect(g.featureNamesIn).toEqual(['a', 'b', 'c', 'd']);
    expect(() => g.predict([{ a: 1, b: 2, c: 3, e: 4 }])).toThrow(/column|name/i);
    expect(g.score(iris.X, iris.y)).toBeGreaterThan(0.9);
  });

  test('in a pipeline and a cross-validation, as scikit-learn users write it', async () => {
    const c = cases[4];
    const pipe = await makePipeline(new MinMaxScaler(), new MultinomialNB()).fit(c.X, c.y);
    const alone = await new MultinomialNB().fit(await new MinMaxScaler().fitTransform(c.X), c.y);
    const scaled = await new MinMaxScaler().fit(c.X);
    expect(pipe.predictLogProba(c.X_test)).toEqual(alone.predictLogProba(scaled.transform(c.X_test)));
    const scores = await crossValScore(new GaussianNB(), iris.X, iris.y, { cv: 5 });
    expect(scores.length).toBe(5);
    expect(Math.min(...scores)).toBeGreaterThan(0.8);
  });

  test('clear errors, and the user data untouched', async () => {
    expect(() => new GaussianNB({ varSmoothing: -1 })).toThrow(/varSmoothing must be a number ≥ 0/);
    expect(() => new GaussianNB({ priors: [0.5, -0.5] })).toThrow(/priors/);
    expect(() => new MultinomialNB({ alpha: -1 })).toThrow(/alpha/);
    expect(() => new BernoulliNB({ binarize: 'yes' as never })).toThrow(/binarize/);
    await expect(new GaussianNB({ priors: [0.5, 0.6, 0.1] }).fit(iris.X, iris.y)).rejects.toThrow(/sum to 1/);
    await expect(new GaussianNB({ priors: [0.5, 0.5] }).fit(iris.X, iris.y)).rejects.toThrow(/2 values but there are 3 classes/);
    await expect(new MultinomialNB().fit([[1, -2], [3, 4]], [0, 1])).rejects.toThrow(/X\[0\]\[1\] is -2.*≥ 0/);
    await expect(new MultinomialNB({ classPrior: [1] }).fit([[1, 2], [3, 4]], [0, 1])).rejects.toThrow(/classPrior has 1 values/);
    await expect(new MultinomialNB({ alpha: [1, 1, 1] }).fit([[1, 2], [3, 4]], [0, 1])).rejects.toThrow(/alpha has 3 values but X has 2 features/);
    await expect(new GaussianNB().partialFit([[1, 2]], [0])).rejects.toThrow(/first call needs classes/);
    const m = await new GaussianNB().partialFit([[1, 2], [2, 3]], [0, 1], { classes: [0, 1] });
    await expect(m.partialFit([[1, 2]], [2])).rejects.toThrow(/y\[0\] is 2, which is not one of the classes/);
    await expect(m.partialFit([[1, 2]], [0], { classes: [0, 1, 2] })).rejects.toThrow(/differ from the first call/);
    await expect(m.partialFit([[1, 2, 3]], [0])).rejects.toThrow(ShapeError);
    await expect(new GaussianNB().fit([[1, Number.NaN]], [0])).rejects.toThrow(/SimpleImputer/);
    await expect(new GaussianNB().fit([[1, 2]], [0], { sampleWeight: [-1] })).rejects.toThrow(/sampleWeight\[0\] must be ≥ 0/);
    expect(() => new BernoulliNB().predict([[1]])).toThrow(NotFittedError);
    expect(() => m.predictProba([[1, 2, 3]])).toThrow(/3 features, but GaussianNB was fitted with 2/);
    const bytes = m.toBytes();
    bytes[bytes.length - 5] ^= 0xff;
    expect(() => GaussianNB.fromBytes(bytes)).toThrow(FormatError);
    const X = [[1, 2], [3, 4], [5, 6]], copy = JSON.stringify(X);
    await new BernoulliNB({ binarize: 2.5 }).fit(X, [0, 1, 1]);
    expect(JSON.stringify(X)).toBe(copy);
  });

  test('an alpha below 1e-10 is raised with a warning unless forceAlpha', async () => {
    warnings.filter('error', 'runtime');
    try {
      await expect(new MultinomialNB({ alpha: 0 }).fit([[1, 2], [3, 4]], [0, 1])).rejects.toThrow(/alpha too small/);
      const kept = await new MultinomialNB({ alpha: 0, forceAlpha: true }).fit([[1, 0], [0, 4]], [0, 1]);
      expect(kept.featureLogProb[0][1]).toBe(-Infinity);
    } finally {
      warnings.reset();
    }
    expect(ValueError).toBeDefined();
  });
});
