// The rest of scikit-learn's transformers against scikit-learn (tests/fixtures/tabular.json):
// KBinsDiscretizer (each strategy and encoding, bins per feature, constant features, narrow bins
// merged), RobustScaler's unitVariance and the normal quantile under it, LabelEncoder,
// LabelBinarizer, FeatureUnion (weights, names) and FunctionTransformer; each saves and loads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../dist/index.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/tabular.json', import.meta.url), 'utf8'));
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const near = (a: unknown, b: unknown, tol = 1e-12, path = ''): void => {
  if (Array.isArray(b)) { const x = Array.from(a as ArrayLike<unknown>); expect(x.length, path).toBe(b.length); b.forEach((v, i) => near(x[i], v, tol, `${path}[${i}]`)); return; }
  if (typeof b === 'number') { expect(Math.abs((a as number) - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b))); return; }
  expect(a, path).toEqual(b);
};
w.warnings.filter('ignore', 'data');

describe('KBinsDiscretizer', () => {
  it.each(fx.kbins.map((c: any) => [JSON.stringify(c.options), c]))('%s', async (_name, c: any) => {
    const o = Object.fromEntries(Object.entries<any>(c.options).map(([k, v]) => [camel(k), v]));
    const kb = await new w.KBinsDiscretizer(o).fit(fx.kbins_X);
    near(kb.binEdges.map((e) => Array.from(e)), c.edges, 1e-12, 'edges');
    const out = kb.transform(fx.kbins_X);
    expect(out).toEqual(c.out);
    near(kb.inverseTransform(out), c.inverse, 1e-12, 'inverse');
    expect(kb.getFeatureNamesOut(['a', 'b', 'c'])).toEqual(c.names);
    const back = w.KBinsDiscretizer.fromBytes(kb.toBytes());
    expect(back.transform(fx.kbins_X)).toEqual(c.out);
  });
  it('a constant feature gets one bin; errors name the option', async () => {
    const kb = await new w.KBinsDiscretizer({ nBins: 3, encode: 'ordinal', strategy: 'uniform' }).fit(fx.kbins_constant.X);
    expect(kb.transform(fx.kbins_constant.X)).toEqual(fx.kbins_constant.out);
    expect(Array.from(kb.nBinsFitted)).toEqual([3, 1]);
    expect(() => new w.KBinsDiscretizer({ nBins: 1 })).toThrow(/nBins must be an integer ≥ 2/);
    await expect(new w.KBinsDiscretizer({ nBins: [2, 3] }).fit(fx.kbins_X)).rejects.toThrow(/nBins has 2 counts for 3 features/);
    await expect(new w.KBinsDiscretizer().fit([[1], [NaN]])).rejects.toThrow(/SimpleImputer/);
  });
});

describe('RobustScaler unitVariance and the normal quantile', () => {
  it('scales by the normal quantile range as scikit-learn does', async () => {
    const S = fx.scalers.X;
    near(Array.from((await new w.RobustScaler({ unitVariance: true }).fit(S)).scale), fx.scalers.robust_unit);
    near(Array.from((await new w.RobustScaler({ unitVariance: true, quantileRange: [10, 90] }).fit(S)).scale), fx.scalers.robust_unit_10_90);
  });
});

describe('LabelEncoder and LabelBinarizer', () => {
  const l = fx.labels;
  it('codes, classes, one column per class (or one for two), and back', async () => {
    const le = await new w.LabelEncoder().fit(l.y);
    expect(le.classes).toEqual(l.classes);
    expect(Array.from(le.transform(l.y))).toEqual(l.codes);
    expect(le.inverseTransform(l.codes)).toEqual(l.y);
    expect(() => le.transform(['oslo'])).toThrow(/labels fit did not see: the string "oslo"/);
    expect(() => le.inverseTransform([7])).toThrow(/codes\[0\] must be an integer in \[0, 4\)/);
    expect(Array.from(w.LabelEncoder.fromBytes(le.toBytes()).transform(l.y))).toEqual(l.codes);
    const lb = await new w.LabelBinarizer({ negLabel: -1, posLabel: 2 }).fit(l.y);
    expect(lb.transform(l.y)).toEqual(l.binarized);
    expect(lb.inverseTransform([[2, -1, -1, -1], [-1, 0.5, 1.5, -1]])).toEqual(l.inverse);
    const lb2 = await new w.LabelBinarizer().fit(['no', 'yes', 'no']);
    expect(lb2.transform(['yes', 'no', 'no', 'yes'])).toEqual(l.binary);
    expect(lb2.inverseTransform([[0.2], [0.8], [0.5]])).toEqual(l.inverse_binary);
    expect(w.LabelBinarizer.fromBytes(lb.toBytes()).transform(l.y)).toEqual(l.binarized);
    expect(() => new w.LabelBinarizer({ negLabel: 1, posLabel: 1 })).toThrow(/negLabel \(1\) must be less than posLabel \(1\)/);
  });
});

describe('FeatureUnion and FunctionTransformer', () => {
  it('FeatureUnion: outputs side by side with weights, names, parameters, save and load', async () => {
    const u = fx.union;
    const union = new w.FeatureUnion({ transformerList: [['scale', new w.StandardScaler()], ['poly', new w.PolynomialFeatures({ degree: 2, includeBias: false })]], transformerWeights: { poly: 0.5 } });
    near(await union.fitTransform(u.X), u.out);
    expect(union.getFeatureNamesOut(['a', 'b', 'c'])).toEqual(u.names);
    expect(union.getParams().poly__degree).toBe(2);
    const back = (await w.load(union.toBytes())) as w.FeatureUnion;
    near(back.transform(u.X), u.out);
    union.setParams({ scale: 'drop' });
    expect((await union.fitTransform(u.X))[0].length).toBe(9);
    expect(w.makeUnion(new w.StandardScaler(), new w.MinMaxScaler()).getParams({ deep: false }).transformerList.map((p: unknown[]) => p[0])).toEqual(['standardscaler', 'minmaxscaler']);
    expect(() => new w.FeatureUnion({ transformerList: [['a', new w.StandardScaler()]], transformerWeights: { b: 1 } })).toThrow(/transformerWeights names 'b'/);
  });
  it('FunctionTransformer: a named function saves and loads, a JavaScript function does not; names one-to-one; the inverse checked', async () => {
    const f = fx.function;
    const ft = await new w.FunctionTransformer({ func: 'log1p', inverseFunc: 'expm1', featureNamesOut: 'one-to-one' }).fit(f.X);
    near(ft.transform(f.X), f.out);
    near(ft.inverseTransform(f.out), f.X, 1e-12);
    expect(ft.getFeatureNamesOut(['a', 'b', 'c'])).toEqual(f.names);
    near((await w.load(ft.toBytes()) as w.FunctionTransformer).transform(f.X), f.out);
    const js = await new w.FunctionTransformer({ func: (X: number[][]) => X.map((r) => [r[0] * 2]) }).fit(f.X);
    expect(js.transform(f.X)).toEqual(f.X.map((r: number[]) => [r[0] * 2]));
    expect(() => js.toBytes()).toThrow(/func is a JavaScript function, which cannot be saved/);
    expect(await new w.FunctionTransformer().fitTransform({ a: [1, 2] })).toEqual({ a: [1, 2] });
    w.warnings.filter('error', 'data');
    await expect(new w.FunctionTransformer({ func: 'sqrt', inverseFunc: 'exp' }).fit(f.X)).rejects.toThrow(/not inverses of each other/);
    w.warnings.filter('ignore', 'data');
    expect(() => new w.FunctionTransformer({ func: 'cube' as never })).toThrow(/func must be a function, null or one of/);
  });
});
