// Tabular data and its transformers against scikit-learn (tests/fixtures/tabular.json, made by
// scripts/fixtures/tabular.py): SimpleImputer, OrdinalEncoder and OneHotEncoder on a mixed table
// with gaps — statistics, categories, outputs, get_feature_names_out, unseen categories — and the
// same bits from row objects, column objects and an Apache Arrow table.
import { tableFromJSON } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotFittedError, OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler, ValueError, load } from '../dist/index.js';

type Row = Record<string, number | string | null>;
interface Case { columns: string[]; options: Record<string, unknown>; train: (number | string | null)[][]; test?: (number | string | null)[][] | null; names: string[]; statistics?: unknown[]; categories?: unknown[][]; infrequent?: unknown[] }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/tabular.json', import.meta.url), 'utf8')) as { train: Row[]; test: Row[]; imputer: Case[]; ordinal: Case[]; onehot: Case[] };

/** scikit-learn's snake_case options in camelCase, its string values too ('most_frequent' → 'mostFrequent'). */
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const options = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), typeof v === 'string' && k !== 'fill_value' ? camel(v) : v]));

/** The rows' chosen columns as row objects (flag as 'yes' / 'no' where the fixture made it a string). */
const pick = (rows: Row[], columns: string[], flagAsText = false) => rows.map((r) => Object.fromEntries(columns.map((c) => [c, c === 'flag' && flagAsText ? (r.flag ? 'yes' : 'no') : r[c]])));

/** Equal to scikit-learn's: strings exactly, numbers to 1e-12 (relative), gaps (null in the fixture) as NaN. */
function same(got: (number | string)[][], expected: (number | string | null)[][]): void {
  expect(got.length).toBe(expected.length);
  got.forEach((row, i) => {
    expect(row.length, `row ${i}`).toBe(expected[i].length);
    row.forEach((v, j) => {
      const e = expected[i][j];
      if (e === null) expect(v, `[${i}, ${j}]`).toBeNaN();
      else if (typeof e === 'string') expect(v, `[${i}, ${j}]`).toBe(e);
      else expect(Math.abs((v as number) - e), `[${i}, ${j}]: ${v} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
    });
  });
}

describe('tabular transformers against scikit-learn', () => {
  it.each(fixture.imputer.map((c) => [JSON.stringify(c.options), c.columns.join(', '), c] as const))('SimpleImputer %s on %s', async (_o, _c, c) => {
    const imputer = await new SimpleImputer(options(c.options) as never).fit(pick(fixture.train, c.columns));
    expect(imputer.statistics.length).toBe(c.statistics!.length);
    imputer.statistics.forEach((s, j) => (typeof s === 'number' ? expect(Math.abs(s - (c.statistics![j] as number))).toBeLessThanOrEqual(1e-12 * Math.abs(s)) : expect(s).toBe(c.statistics![j])));
    same(imputer.transform(pick(fixture.train, c.columns)), c.train);
    same(imputer.transform(pick(fixture.test, c.columns)), c.test!);
    expect(imputer.getFeatureNamesOut()).toEqual(c.names);
    expect(imputer.featureNamesIn).toEqual(c.columns);
  });

  it.each(fixture.ordinal.map((c) => [JSON.stringify(c.options), c] as const))('OrdinalEncoder %s', async (_o, c) => {
    const encoder = await new OrdinalEncoder(options(c.options) as never).fit(pick(fixture.train, c.columns));
    expect(encoder.categories).toEqual(c.categories);
    same(encoder.transform(pick(fixture.train, c.columns)), c.train);
    if (c.test) same(encoder.transform(pick(fixture.test, c.columns)), c.test);
    else expect(() => encoder.transform(pick(fixture.test, c.columns))).toThrow(/column 'city', row 0, holds the string "bodo", a category fit did not see/);
    expect(encoder.getFeatureNamesOut()).toEqual(c.names);
  });

  it.each(fixture.onehot.map((c) => [JSON.stringify(c.options), c] as const))('OneHotEncoder %s', async (_o, c) => {
    const asText = c.columns.includes('flag');
    const encoder = await new OneHotEncoder(options(c.options) as never).fit(pick(fixture.train, c.columns, asText));
    expect(encoder.categories).toEqual(c.categories);
    if (c.infrequent) expect(encoder.infrequentCategories).toEqual(c.infrequent);
    same(encoder.transform(pick(fixture.train, c.columns, asText)), c.train);
    if (c.test) same(encoder.transform(pick(fixture.test, c.columns, asText)), c.test);
    else expect(() => encoder.transform(pick(fixture.test, c.columns, asText))).toThrow(ValueError);
    expect(encoder.getFeatureNamesOut()).toEqual(c.names);
    // Saved and loaded: the same outputs.
    const back = await load(encoder.toBytes()) as OneHotEncoder;
    expect(back.transform(pick(fixture.train, c.columns, asText))).toEqual(encoder.transform(pick(fixture.train, c.columns, asText)));
  });
});

describe('tabular input', () => {
  const rows = fixture.train;
  const columns = Object.fromEntries(Object.keys(rows[0]).map((k) => [k, rows.map((r) => r[k])]));
  const arrow = tableFromJSON(rows as never);

  it('row objects, column objects and an Arrow table give the same bits, and the same names', async () => {
    for (const make of [() => new SimpleImputer({ strategy: 'mostFrequent', addIndicator: true }), () => new OneHotEncoder({ handleUnknown: 'ignore' }), () => new OrdinalEncoder()]) {
      const results = [];
      for (const form of [rows, columns, arrow]) {
        const t = make();
        results.push({ out: JSON.stringify((await t.fit(form)).transform(form)), names: t.getFeatureNamesOut(), namesIn: t.featureNamesIn });
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      expect(results[0].namesIn).toEqual(['age', 'income', 'city', 'size', 'flag']);
    }
  });

  it('numeric estimators take tabular data of numbers; a string column or a gap is refused by name, pointing to the encoders and SimpleImputer', async () => {
    const numbers = rows.map((r) => ({ flag: r.flag, twice: (r.flag as number) * 2 }));
    const scaler = await new StandardScaler().fit(numbers);
    expect(scaler.transform(numbers)).toEqual(scaler.transform(numbers.map((r) => [r.flag, r.twice])));
    await expect(new StandardScaler().fit(pick(rows, ['age', 'city']))).rejects.toThrow(/StandardScaler.fit: X: column 'city' holds strings; encode it into numbers first \(OneHotEncoder, OrdinalEncoder\)/);
    await expect(new StandardScaler().fit(pick(rows, ['age']))).rejects.toThrow(/column 'age', row \d+, is missing \(null, undefined or NaN\) \(a gap: fill gaps with SimpleImputer first\)/);
    await expect(new StandardScaler().fit([[1, Number.NaN]])).rejects.toThrow(/element \[0, 1\] is NaN \(a gap: fill gaps with SimpleImputer first\)/);
    // An imputer's output goes on: gaps filled, the scaler fits.
    const filled = (await new SimpleImputer().fit(pick(rows, ['age', 'income']))).transform(pick(rows, ['age', 'income']));
    expect((await new StandardScaler().fit(filled as number[][])).isFitted).toBe(true);
  });

  it('transform checks the columns against fit\'s by name; errors name the option, column and value', async () => {
    const imputer = await new SimpleImputer().fit(pick(rows, ['age', 'income']));
    expect(() => imputer.transform(pick(rows, ['income', 'age']))).toThrow(/SimpleImputer.transform: X has other columns than fit saw \(the same names in another order\); fit saw 'age', 'income'/);
    expect(() => imputer.transform(pick(rows, ['age', 'flag']))).toThrow(/missing 'income'; unseen 'flag'/);
    expect(() => imputer.transform([[1]])).toThrow(/X has 1 features, but the estimator was fitted with 2/);
    expect(() => new SimpleImputer().transform([[1]])).toThrow(NotFittedError);
    await expect(new SimpleImputer({ strategy: 'median' }).fit(pick(rows, ['city']))).rejects.toThrow(/column 'city' holds strings; strategy 'median' needs numbers/);
    await expect(new SimpleImputer().fit([{ a: 1 }, { a: 'x' }])).rejects.toThrow(/column 'a' mixes numbers and strings \(row 0: 1, row 1: the string "x"\)/);
    await expect(new SimpleImputer().fit([{ a: {} }])).rejects.toThrow(/column 'a', row 0, must be a number, a string or a gap/);
    await expect(new SimpleImputer().fit({ a: [1, 2], b: [1] })).rejects.toThrow(/column 'b' has 1 values but column 'a' has 2/);
    expect(() => new SimpleImputer({ strategy: 'mode' as never })).toThrow(/strategy must be one of 'mean', 'median', 'mostFrequent', 'constant'/);
    expect(() => new OneHotEncoder({ minFrequency: 0 })).toThrow(/minFrequency must be an integer ≥ 1, a fraction in \(0, 1\), or null/);
    await expect(new OrdinalEncoder({ handleUnknown: 'useEncodedValue' }).fit([[1]])).rejects.toThrow(/unknownValue must be set/);
    await expect(new OrdinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: 0 }).fit([[1], [2]])).rejects.toThrow(/unknownValue 0 is also the code of a category of column 0/);
    await expect(new OrdinalEncoder({ categories: [['a']] }).fit([['a'], ['b']])).rejects.toThrow(/column 'x0' holds the string "b", which is not among the given categories/);
    // A matrix's columns are x0, x1, … in feature names; getFeatureNamesOut takes others.
    const encoder = await new OneHotEncoder().fit([[1, 'a'], [2, 'b'], [1, 'b']]);
    expect(encoder.getFeatureNamesOut()).toEqual(['x0_1', 'x0_2', 'x1_a', 'x1_b']);
    expect(encoder.getFeatureNamesOut(['n', 'c'])).toEqual(['n_1', 'n_2', 'c_a', 'c_b']);
    expect(encoder.featureNamesIn).toBeUndefined();
    const floats = await new OneHotEncoder().fit([[0.5], [1], [Number.NaN], [1e-5]]);
    expect(floats.getFeatureNamesOut()).toEqual(['x0_1e-05', 'x0_0.5', 'x0_1.0', 'x0_nan']);
  });
});

describe('Pipeline', () => {
  const p = (fixture as unknown as { pipeline: { columns: string[]; y: number[]; steps: string[]; predict: number[]; score: number; names: string[] } }).pipeline;

  it('imputer → scaler → ridge: the predictions, score and feature names of scikit-learn\'s make_pipeline; steps, slicing, parameters, save and load', async () => {
    const { Pipeline, makePipeline, clone, Ridge, KNeighborsClassifier } = await import('../dist/index.js');
    const train = pick(fixture.train, p.columns), test = pick(fixture.test, p.columns);
    const pipe = makePipeline(new SimpleImputer({ strategy: 'median' }), new StandardScaler(), new Ridge({ alpha: 1 }));
    expect(pipe.steps.map(([n]) => n)).toEqual(p.steps);
    expect(await pipe.fit(train, p.y)).toBe(pipe);
    const predicted = pipe.predict(test) as Float64Array;
    predicted.forEach((v, i) => expect(Math.abs(v - p.predict[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(p.predict[i]))));
    expect(Math.abs((pipe.score(train, p.y) as number) - p.score)).toBeLessThanOrEqual(1e-9);
    expect(pipe.slice(0, -1).getFeatureNamesOut()).toEqual(p.names);
    expect(pipe.featureNamesIn).toEqual(p.columns);
    expect(pipe.namedSteps.ridge).toBe(pipe.get(-1));
    // Parameters by scikit-learn's double-underscore names; a clone is unfitted with the same parameters.
    expect(pipe.getParams().ridge__alpha).toBe(1);
    expect(pipe.getParams().simpleimputer__strategy).toBe('median');
    pipe.setParams({ ridge__alpha: 10 });
    expect((pipe.get('ridge') as InstanceType<typeof Ridge>).getParams().alpha).toBe(10);
    const copy = clone(pipe);
    expect(copy.isFitted).toBe(false);
    expect(copy.getParams().ridge__alpha).toBe(10);
    expect(copy.get('ridge')).not.toBe(pipe.get('ridge'));
    await pipe.fit(train, p.y);
    // Saved and loaded, here and through the one load: the same predictions.
    const back = await load(pipe.toBytes()) as InstanceType<typeof Pipeline>;
    expect(Array.from(back.predict(test) as Float64Array)).toEqual(Array.from(pipe.predict(test) as Float64Array));
    expect(Array.from(Pipeline.fromBytes(pipe.toBytes()).predict(test) as Float64Array)).toEqual(Array.from(pipe.predict(test) as Float64Array));
    // A classifier at the end: classes and probabilities come through; the data runs through the transformers.
    const labels = fixture.train.map((r) => r.size as string);
    const knn = await makePipeline(new SimpleImputer(), new StandardScaler(), 'passthrough', new KNeighborsClassifier({ nNeighbors: 3 })).fit(train, labels);
    expect(knn.classes).toEqual(['L', 'M', 'S', 'XL']);
    // The same steps by hand.
    const filled = (await new SimpleImputer().fit(train)).transform(train) as number[][];
    const scaled = await new StandardScaler().fitTransform(filled);
    const direct = await new KNeighborsClassifier({ nNeighbors: 3 }).fit(scaled, labels);
    expect(knn.predict(train)).toEqual(direct.predict(scaled));
    expect(knn.predictProba(train)).toEqual(direct.predictProba(scaled));
    expect(makePipeline(new StandardScaler(), new StandardScaler()).steps.map(([n]) => n)).toEqual(['standardscaler-1', 'standardscaler-2']);
  });

  it('clear errors: steps, names, methods the last step lacks, use before fit', async () => {
    const { Pipeline, makePipeline, Ridge } = await import('../dist/index.js');
    expect(() => new Pipeline({ steps: [] })).toThrow(/steps must be a non-empty array of \[name, estimator\] pairs/);
    expect(() => new Pipeline({ steps: [['a__b', new Ridge()]] })).toThrow(/step name 'a__b' contains '__'/);
    expect(() => new Pipeline({ steps: [['a', new StandardScaler()], ['a', new Ridge()]] })).toThrow(/two steps are named 'a'/);
    expect(() => new Pipeline({ steps: [['ridge', new Ridge()], ['scale', new StandardScaler()]] })).toThrow(/step 'ridge' \(Ridge\) is not the last, so it must be a transformer/);
    expect(() => new Pipeline({ steps: [['x', 3 as never]] })).toThrow(/step 'x' must be an estimator \(with fit\) or 'passthrough'; received 3/);
    expect(() => new Pipeline({ steps: [['r', new Ridge()]], memory: 1 } as never)).toThrow(/unknown option 'memory'/);
    const pipe = makePipeline(new StandardScaler(), new Ridge());
    expect(() => pipe.predict([[1]])).toThrow(NotFittedError);
    expect(() => pipe.toBytes()).toThrow(NotFittedError);
    await pipe.fit([[1], [2], [4]], [1, 2, 3]);
    expect(() => pipe.predictProba([[1]])).toThrow(/Pipeline.predictProba: the last step 'ridge' \(Ridge\) has no predictProba/);
    expect(() => pipe.setParams({ lasso__alpha: 1 })).toThrow(/no step 'lasso' \(in 'lasso__alpha'\); the steps are standardscaler, ridge/);
    expect(() => pipe.setParams({ ridge__alpha: -1 })).toThrow(/alpha must be/);
    expect(() => pipe.get('lasso')).toThrow(/no step the string "lasso"/);
  });
});

describe('ColumnTransformer', () => {
  const c = (fixture as unknown as { column_transformer: { train: (number | null)[][]; test: (number | null)[][]; names: string[]; predict: number[] } }).column_transformer;
  const y = (fixture as unknown as { pipeline: { y: number[] } }).pipeline.y;

  it('numbers imputed and scaled, categories one-hot encoded, the rest passed through: scikit-learn\'s outputs, names and a ridge pipeline\'s predictions', async () => {
    const { ColumnTransformer, makeColumnTransformer, makeColumnSelector, makePipeline, Ridge } = await import('../dist/index.js');
    const make = () => new ColumnTransformer({
      transformers: [['num', makePipeline(new SimpleImputer({ strategy: 'median' }), new StandardScaler()), ['age', 'income']], ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), ['city', 'size']]],
      remainder: 'passthrough',
    });
    const ct = make();
    same(await ct.fitTransform(fixture.train), c.train);
    same(ct.transform(fixture.test), c.test);
    expect(ct.getFeatureNamesOut()).toEqual(c.names);
    expect(ct.featureNamesIn).toEqual(['age', 'income', 'city', 'size', 'flag']);
    // The whole workflow: the column transformer, then ridge regression.
    const whole = await makePipeline(make(), new Ridge({ alpha: 1 })).fit(fixture.train, y);
    (whole.predict(fixture.test) as Float64Array).forEach((v, i) => expect(Math.abs(v - c.predict[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.predict[i]))));
    expect(whole.getParams().columntransformer__cat__handleUnknown).toBe('ignore');
    // Into a logistic regression converged tightly: the probabilities of scikit-learn's Newton solution (the optimum itself) to 1e-6.
    const cc = c as unknown as { classes: string[]; proba: number[][]; predict_class: string[] };
    const { LogisticRegression } = await import('../dist/index.js');
    const logistic = await makePipeline(make(), new LogisticRegression({ C: 1, tol: 1e-10, maxIter: 100000 })).fit(fixture.train, cc.classes);
    const proba = logistic.predictProba(fixture.test) as number[][];
    let worst = 0;
    proba.forEach((row, i) => row.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - cc.proba[i][j])))));
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(logistic.predict(fixture.test)).toEqual(cc.predict_class);
    // Columns by selector, by index and by mask give the same; makeColumnTransformer names after the classes.
    const bySelector = makeColumnTransformer(
      [makePipeline(new SimpleImputer({ strategy: 'median' }), new StandardScaler()), makeColumnSelector({ dtypeInclude: 'number', pattern: '^(age|income)$' })],
      [new OneHotEncoder({ handleUnknown: 'ignore' }), makeColumnSelector({ dtypeInclude: 'object' })],
      { remainder: 'passthrough' });
    expect(await bySelector.fitTransform(fixture.train)).toEqual(await make().fitTransform(fixture.train));
    expect(bySelector.getFeatureNamesOut()[0]).toBe('pipeline__age');
    const byIndex = new ColumnTransformer({ transformers: [['num', new SimpleImputer(), [0, 1]], ['cat', new OrdinalEncoder(), [false, false, true, true, false]]] });
    const byName = new ColumnTransformer({ transformers: [['num', new SimpleImputer(), ['age', 'income']], ['cat', new OrdinalEncoder(), ['city', 'size']]] });
    expect(JSON.stringify(await byIndex.fitTransform(fixture.train))).toEqual(JSON.stringify(await byName.fitTransform(fixture.train)));
    // Saved and loaded: the same outputs; a Pipeline holding it too.
    const back = await load(ct.toBytes()) as InstanceType<typeof ColumnTransformer>;
    expect(JSON.stringify(back.transform(fixture.test))).toEqual(JSON.stringify(ct.transform(fixture.test)));
    expect(back.getFeatureNamesOut()).toEqual(c.names);
    const wholeBack = await load(whole.toBytes()) as typeof whole;
    expect(Array.from(wholeBack.predict(fixture.test) as Float64Array)).toEqual(Array.from(whole.predict(fixture.test) as Float64Array));
  });

  it('clear errors: options, columns X lacks, selections, use before fit', async () => {
    const { ColumnTransformer, makeColumnSelector } = await import('../dist/index.js');
    expect(() => new ColumnTransformer({ transformers: [['a__b', 'drop', [0]]] })).toThrow(/transformer name 'a__b' contains '__'/);
    expect(() => new ColumnTransformer({ transformers: [['remainder', 'drop', [0]]] })).toThrow(/'remainder' is reserved/);
    expect(() => new ColumnTransformer({ transformers: [['t', 3 as never, [0]]] })).toThrow(/'t' must be a transformer \(with fit and transform\), 'drop' or 'passthrough'; received 3/);
    expect(() => new ColumnTransformer({ transformers: [], sparseThreshold: 0 } as never)).toThrow(/unknown option 'sparseThreshold'/);
    const ct = new ColumnTransformer({ transformers: [['num', new SimpleImputer(), ['age', 'height']]] });
    await expect(ct.fit(fixture.train)).rejects.toThrow(/'num' selects column 'height', which X does not have \(its columns: age, income, city, size, flag\)/);
    await expect(new ColumnTransformer({ transformers: [['num', new SimpleImputer(), [7]]] }).fit(fixture.train)).rejects.toThrow(/'num' selects column 7, outside X's 5 columns/);
    await expect(new ColumnTransformer({ transformers: [['num', new SimpleImputer(), [true]]] }).fit(fixture.train)).rejects.toThrow(/boolean mask of 'num' has 1 values; X has 5 columns/);
    expect(() => new ColumnTransformer({ transformers: [['n', new SimpleImputer(), [0]]] }).transform([[1]])).toThrow(NotFittedError);
    expect(() => makeColumnSelector({ dtypeInclude: 'datetime' })).toThrow(/dtypeInclude must name 'number' or 'string'/);
    const fitted = await new ColumnTransformer({ transformers: [['n', new SimpleImputer(), ['age']]] }).fit(fixture.train);
    expect(() => fitted.transform(pick(fixture.train, ['age', 'city']))).toThrow(/other columns than fit saw/);
  });
});

describe('RobustScaler, MaxAbsScaler and Normalizer against scikit-learn', () => {
  it('their outputs on numbers with negatives, a constant column and a zero row, to 1e-12; save and load; errors', async () => {
    const { RobustScaler, MaxAbsScaler, Normalizer } = await import('../dist/index.js');
    const s = (fixture as unknown as { scalers: Record<string, number[][]> }).scalers;
    same(await new RobustScaler().fitTransform(s.X), s.robust);
    const robust = await new RobustScaler().fit(s.X);
    same([Array.from(robust.center)], [s.robust_center as unknown as number[]]);
    same([Array.from(robust.scale)], [s.robust_scale as unknown as number[]]);
    same(await new RobustScaler({ withCentering: false, quantileRange: [10, 90] }).fitTransform(s.X), s.robust_10_90);
    same(await new MaxAbsScaler().fitTransform(s.X), s.maxabs);
    for (const norm of ['l2', 'l1', 'max'] as const) same(await new Normalizer({ norm }).fitTransform(s.X), s[norm]);
    for (const t of [robust, await new MaxAbsScaler().fit(s.X), await new Normalizer({ norm: 'l1' }).fit(s.X)]) {
      const back = await load(t.toBytes()) as typeof t;
      expect(back.transform(s.X)).toEqual(t.transform(s.X));
    }
    expect(() => new RobustScaler({ quantileRange: [75, 25] })).toThrow(/quantileRange must be a pair \[low, high\] with 0 ≤ low < high ≤ 100/);
    expect(() => new Normalizer({ norm: 'l3' as never })).toThrow(/norm must be one of 'l2', 'l1', 'max'/);
    expect(() => robust.transform([[1, 2]])).toThrow(/X has 2 features, but the scaler was fitted with 4/);
  });
});

describe('PolynomialFeatures against scikit-learn', () => {
  it('columns in scikit-learn\'s order and names, degree 1 to 3, interaction only, without the bias; errors', async () => {
    const { PolynomialFeatures } = await import('../dist/index.js');
    const cases = (fixture as unknown as { polynomial: { options: Record<string, unknown>; X: number[][]; out: number[][]; names: string[] }[] }).polynomial;
    for (const c of cases) {
      const t = await new PolynomialFeatures(options(c.options) as never).fit(c.X);
      same(t.transform(c.X), c.out);
      expect(t.getFeatureNamesOut(['a', 'b', 'c'])).toEqual(c.names);
      expect(t.nOutputFeatures).toBe(c.names.length);
    }
    expect(() => new PolynomialFeatures({ degree: 0 })).toThrow(/degree must be an integer ≥ 1; received 0/);
    await expect(new PolynomialFeatures({ degree: 40 }).fit([Array.from({ length: 30 }, () => 1)])).rejects.toThrow(/makes \d+ columns; at most 1048576/);
  });
});
