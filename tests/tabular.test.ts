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
