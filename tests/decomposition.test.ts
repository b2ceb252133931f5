// PCA against scikit-learn 1.2 (tests/fixtures/decomposition.json, made by
// scripts/fixtures/decomposition.py): components (with svd_flip's signs), variances and their
// ratios, singular values, mean, noise variance, projections and their inverse, to 1e-6.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FormatError, LinearDiscriminantAnalysis, NotFittedError, PCA, ValueError, backendInfo } from '../dist/index.js';

interface PCACase {
  name: string;
  params: { n_components?: number; whiten?: boolean };
  X: number[][];
  components: number[][];
  explained_variance: number[];
  explained_variance_ratio: number[];
  singular_values: number[];
  mean: number[];
  noise_variance: number;
  n_components: number;
  transform_head: number[][];
  inverse_head: number[][];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/decomposition.json', import.meta.url), 'utf8')) as { pca: PCACase[] };

/** |a − b| ≤ tolerance · max(1, |b|), element by element. */
function close(actual: ArrayLike<number> | number[][], expected: ArrayLike<number> | number[][], tolerance = 1e-6): void {
  const a = Array.from(actual as ArrayLike<number>).flat() as number[], b = Array.from(expected as ArrayLike<number>).flat() as number[];
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[i]))));
}

describe.each(fixtures.pca)('PCA: $name', (c) => {
  test('matches scikit-learn', async () => {
    const before = backendInfo().arenaBytesInUse;
    const pca = new PCA({ nComponents: c.params.n_components ?? null, whiten: c.params.whiten ?? false });
    expect(await pca.fit(c.X)).toBe(pca);
    expect(pca.nComponents).toBe(c.n_components);
    close(pca.components, c.components);
    close(pca.explainedVariance, c.explained_variance);
    close(pca.explainedVarianceRatio, c.explained_variance_ratio);
    close(pca.singularValues, c.singular_values);
    close(pca.mean, c.mean);
    expect(Math.abs(pca.noiseVariance - c.noise_variance)).toBeLessThanOrEqual(1e-6 * Math.max(1, c.noise_variance));
    close(pca.transform(c.X.slice(0, 5)), c.transform_head);
    close(pca.inverseTransform(c.transform_head), c.inverse_head);
    const loaded = PCA.fromBytes(pca.toBytes());
    expect(loaded.transform(c.X.slice(0, 5))).toEqual(pca.transform(c.X.slice(0, 5)));
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('PCA errors', () => {
  const iris = fixtures.pca[0].X;
  test.each([
    ['too many components', () => new PCA({ nComponents: 5 }).fit(iris), ValueError, /nComponents = 5 exceeds min\(samples, features\) = 4/],
    ['a bad fraction', async () => new PCA({ nComponents: 1.5 }), ValueError, /nComponents must be null, a positive integer, or a fraction in \(0, 1\)/],
    ['NaN', () => new PCA().fit([[1, NaN], [2, 3]]), ValueError, /finite numbers/],
    ['one sample', () => new PCA().fit([[1, 2]]), ValueError, /at least 2 samples/],
    ['transform before fit', async () => new PCA().transform([[1]]), NotFittedError, /not available before fit/],
    ['feature count', () => new PCA({ nComponents: 2 }).fit(iris).then((p) => p.transform([[1, 2]])), ValueError, /X has 2 features, but the PCA was fitted with 4/],
    ['corrupt bytes', async () => PCA.fromBytes(new Uint8Array([1, 2, 3])), FormatError, /./],
  ])('%s', async (_name, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});

interface LDACase {
  name: string;
  params: { n_components?: number; solver?: 'svd' | 'eigen'; shrinkage?: number | 'auto'; priors?: number[] };
  X: number[][];
  y: number[];
  explained_variance_ratio: number[];
  scalings: number[][];
  transform_head: number[][];
  predict: number[];
  proba_head: number[][];
  coef: number[][];
  intercept: number[];
  means: number[][];
  priors: number[];
}

const ldaCases = (JSON.parse(readFileSync(new URL('./fixtures/decomposition.json', import.meta.url), 'utf8')) as { lda: LDACase[] }).lda;

/** Columns equal up to each column's sign (the decompositions fix no signs). */
function closeUpToSign(actual: number[][], expected: number[][], columns: number, tolerance = 1e-6): void {
  for (let j = 0; j < columns; j++) {
    const a = actual.map((r) => r[j]), b = expected.map((r) => r[j]);
    const big = b.reduce((m, v, i) => (Math.abs(v) > Math.abs(b[m]) ? i : m), 0);
    const sign = Math.sign(a[big]) === Math.sign(b[big]) ? 1 : -1;
    close(a.map((v) => sign * v), b, tolerance);
  }
}

describe.each(ldaCases)('LinearDiscriminantAnalysis: $name', (c) => {
  test('matches scikit-learn (directions up to sign)', async () => {
    const before = backendInfo().arenaBytesInUse;
    const lda = new LinearDiscriminantAnalysis({ nComponents: c.params.n_components ?? null, solver: c.params.solver ?? 'svd', shrinkage: c.params.shrinkage ?? null, priors: c.params.priors ?? null });
    expect(await lda.fit(c.X, c.y)).toBe(lda);
    close(lda.explainedVarianceRatio, c.explained_variance_ratio);
    close(lda.means, c.means, 1e-12);
    close(lda.priors, c.priors, 1e-12);
    const shown = Math.min(c.transform_head[0].length, c.scalings[0].length);
    closeUpToSign(lda.scalings, c.scalings, shown, c.params.shrinkage === 'auto' ? 1e-5 : 1e-6);
    closeUpToSign(lda.transform(c.X.slice(0, 5)), c.transform_head, shown);
    close(lda.coef, c.coef, 1e-6);
    close(lda.intercept, c.intercept, 1e-6);
    expect(lda.predict(c.X)).toEqual(c.predict);
    close(lda.predictProba(c.X.slice(0, 5)), c.proba_head, 1e-6);
    const loaded = LinearDiscriminantAnalysis.fromBytes(lda.toBytes());
    expect(loaded.predictProba(c.X.slice(0, 5))).toEqual(lda.predictProba(c.X.slice(0, 5)));
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('LDA errors', () => {
  const { X, y } = ldaCases[0];
  test.each([
    ['too many components', () => new LinearDiscriminantAnalysis({ nComponents: 3 }).fit(X, y), ValueError, /nComponents = 3 exceeds min\(classes − 1, features\) = 2/],
    ['one class', () => new LinearDiscriminantAnalysis().fit(X.slice(0, 10), y.slice(0, 10)), ValueError, /single class/],
    ['shrinkage with svd', () => new LinearDiscriminantAnalysis({ shrinkage: 0.5 }).fit(X, y), ValueError, /shrinkage needs solver 'eigen'/],
    ['singular scatter with eigen', () => new LinearDiscriminantAnalysis({ solver: 'eigen' }).fit(X.map((r) => [...r, r[0]]), y), ValueError, /within-class covariance is singular; use solver 'svd' or shrinkage/],
    ['predict before fit', async () => new LinearDiscriminantAnalysis().predict([[1]]), NotFittedError, /not available before fit/],
    ['unknown solver', async () => new LinearDiscriminantAnalysis({ solver: 'lsqr' as never }), ValueError, /solver must be one of 'svd', 'eigen'/],
  ])('%s', async (_name, run, kind, message) => {
    const error = await Promise.resolve().then(run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(String((error as Error).message)).toMatch(message);
  });
});
