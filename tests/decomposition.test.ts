// PCA against scikit-learn 1.2 (tests/fixtures/decomposition.json, made by
// scripts/fixtures/decomposition.py): components (with svd_flip's signs), variances and their
// ratios, singular values, mean, noise variance, projections and their inverse, to 1e-6.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FormatError, LinearDiscriminantAnalysis, NotFittedError, PCA, ValueError, backendInfo, init } from '../dist/index.js';

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

interface Solution { components: number[][]; explained_variance: number[]; explained_variance_ratio: number[]; noise_variance: number }
interface RandomizedCase { name: string; X: number[][]; n_components: number; exact: Solution; sklearn_errors: { component: number[]; variance: number[] } }

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/decomposition.json', import.meta.url), 'utf8')) as { pca: PCACase[]; pca_randomized: RandomizedCase[] };

/** |a − b| ≤ tolerance · max(1, |b|), element by element. */
function close(actual: ArrayLike<number> | number[][], expected: ArrayLike<number> | number[][], tolerance = 1e-6): void {
  const a = Array.from(actual as ArrayLike<number>).flat() as number[], b = Array.from(expected as ArrayLike<number>).flat() as number[];
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[i]))));
}

describe.each(fixtures.pca)('PCA: $name', (c) => {
  test('matches scikit-learn', async () => {
    const before = backendInfo().arenaBytesInUse;
    const pca = new PCA({ nComponents: c.params.n_components ?? null, whiten: c.params.whiten ?? false, svdSolver: 'full' });
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

// The randomized solver is an approximation, as scikit-learn's is, and its error depends on the
// random start. Over eight starts, its errors from the exact (full) answer are held to
// scikit-learn's over eight starts of its own: the median within 3× scikit-learn's median, every
// one within 10× scikit-learn's largest (or 1e-9 where scikit-learn is exact to rounding). The
// leading variance is always within 1e-5, and the signs are svd_flip's (a flipped component would
// be off by 2|v|, far outside either bound).
describe.each(fixtures.pca_randomized)('PCA randomized: $name', (c) => {
  test('errors from the exact answer within scikit-learn\'s randomized spread, svd_flip signs', async () => {
    const before = backendInfo().arenaBytesInUse;
    const componentError: number[] = [], varianceError: number[] = [];
    for (let seed = 0; seed < 8; seed++) {
      const pca = await new PCA({ nComponents: c.n_components, svdSolver: 'randomized', seed }).fit(c.X);
      const comps = pca.components, variance = pca.explainedVariance;
      componentError.push(Math.max(...comps.flatMap((row, i) => row.map((v, j) => Math.abs(v - c.exact.components[i][j])))));
      varianceError.push(Math.max(...Array.from(variance, (v, i) => Math.abs(v - c.exact.explained_variance[i]) / c.exact.explained_variance[i])));
      expect(Math.abs(variance[0] - c.exact.explained_variance[0])).toBeLessThanOrEqual(1e-5 * c.exact.explained_variance[0]);
      const ratios = pca.explainedVarianceRatio;
      ratios.forEach((r, i) => expect(Math.abs(r / variance[i] - c.exact.explained_variance_ratio[i] / c.exact.explained_variance[i])).toBeLessThanOrEqual(1e-9 * (r / variance[i])));
    }
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    for (const [ours, theirs] of [[componentError, c.sklearn_errors.component], [varianceError, c.sklearn_errors.variance]]) {
      expect(median(ours)).toBeLessThanOrEqual(Math.max(3 * median(theirs), 1e-9));
      expect(Math.max(...ours)).toBeLessThanOrEqual(Math.max(10 * Math.max(...theirs), 1e-9));
    }
    // The same seed gives the same bits; 'auto' picks this solver for more than 500 samples.
    const a = await new PCA({ nComponents: c.n_components, svdSolver: 'randomized', seed: 0 }).fit(c.X);
    const b = await new PCA({ nComponents: c.n_components, svdSolver: c.X.length > 500 ? 'auto' : 'randomized', seed: 0 }).fit(c.X);
    expect(b.components).toEqual(a.components);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

describe('PCA solvers', () => {
  test("'auto' chooses as scikit-learn 1.2: full for small data or fractions, randomized otherwise", async () => {
    const digits = fixtures.pca_randomized[0].X;
    const full = await new PCA({ nComponents: 10, svdSolver: 'full' }).fit(digits);
    // A fraction of the variance or data of at most 500 rows and columns: the full solver's exact bits.
    expect((await new PCA({ nComponents: 0.5 }).fit(digits)).components).toEqual((await new PCA({ nComponents: 0.5, svdSolver: 'full' }).fit(digits)).components);
    expect((await new PCA({ nComponents: 10 }).fit(digits.slice(0, 400))).components).toEqual((await new PCA({ nComponents: 10, svdSolver: 'full' }).fit(digits.slice(0, 400))).components);
    // Otherwise randomized: a different seed changes the last bits, not the answer.
    const a = await new PCA({ nComponents: 10, seed: 1 }).fit(digits), b = await new PCA({ nComponents: 10, seed: 2 }).fit(digits);
    expect(a.components).not.toEqual(b.components);
    close(a.explainedVariance.slice(0, 5), full.explainedVariance.slice(0, 5), 1e-5);
  });

  test('the same bits on 1 and 2 threads, for generic and pixel data and both solvers', async () => {
    const digits = fixtures.pca_randomized[0].X, standardized = fixtures.pca_randomized[1].X;
    const fits = async (): Promise<number[][][]> => Promise.all([
      ...[digits, standardized].map(async (X) => (await new PCA({ nComponents: 10, svdSolver: 'full' }).fit(X)).components),
      ...[digits, standardized].map(async (X) => (await new PCA({ nComponents: 10, svdSolver: 'randomized', seed: 4 }).fit(X)).components),
    ]);
    await init({ threads: 1 });
    const one = await fits();
    await init({ threads: 2 });
    const two = await fits();
    await init({ threads: 'auto' });
    expect(two).toEqual(one);
  });

  test('pixel data (bytes, and bytes / 255 in f32) take the exact integer covariance: the same answer as the f64 path', async () => {
    // Bytes with an odd sample count and a feature count that is not a multiple of 8; the f64 path
    // sees the same values shifted off the grid by 0.5 (which changes no variance).
    let state = 7;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) >> 8) & 255;
    const bytes = Array.from({ length: 601 }, () => Array.from({ length: 37 }, (_, c) => (c % 5 === 0 ? next() & 15 : next())));
    const shifted = bytes.map((row) => row.map((v) => v + 0.5));
    const scaled = { data: Float32Array.from(bytes.flat(), (v) => v / 255), shape: [601, 37] };
    const onGrid = await new PCA({ svdSolver: 'full' }).fit(bytes);
    const offGrid = await new PCA({ svdSolver: 'full' }).fit(shifted);
    close(onGrid.explainedVariance, offGrid.explainedVariance, 1e-11);
    close(onGrid.components, offGrid.components, 1e-9);
    const f32 = await new PCA({ svdSolver: 'full' }).fit(scaled);
    close(f32.explainedVariance, Array.from(onGrid.explainedVariance, (v) => v / 255 ** 2), 1e-6);
  });
});

describe('a constant feature', () => {
  test('PCA: the same components with a 0 for it, both solvers; LDA (svd): the same predictions and probabilities', async () => {
    const iris = fixtures.pca[0].X, withConstant = iris.map((row) => [...row, 7]);
    for (const svdSolver of ['full', 'randomized'] as const) {
      const plain = await new PCA({ nComponents: 2, svdSolver, seed: 0 }).fit(iris);
      const padded = await new PCA({ nComponents: 2, svdSolver, seed: 0 }).fit(withConstant);
      close(padded.components, plain.components.map((row) => [...row, 0]), 1e-9);
      close(padded.explainedVarianceRatio, plain.explainedVarianceRatio, 1e-9);
    }
    const { X, y } = ldaCases[0];
    const plain = await new LinearDiscriminantAnalysis().fit(X, y);
    // 0.1 is not a sum of equal binary fractions: its class means round off 0.1 by an ulp, and that
    // spread must not be scaled up into a feature.
    for (const constant of [-3, 0.1]) {
      const padded = await new LinearDiscriminantAnalysis().fit(X.map((row) => [...row, constant]), y);
      expect(padded.predict(X.map((row) => [...row, constant]))).toEqual(plain.predict(X));
      close(padded.predictProba(X.map((row) => [...row, constant])), plain.predictProba(X), 1e-9);
      close(padded.explainedVarianceRatio, plain.explainedVarianceRatio, 1e-9);
    }
  });
});

describe('PCA errors', () => {
  const iris = fixtures.pca[0].X;
  test.each([
    ['too many components', () => new PCA({ nComponents: 5 }).fit(iris), ValueError, /nComponents = 5 exceeds min\(samples, features\) = 4/],
    ['a bad fraction', async () => new PCA({ nComponents: 1.5 }), ValueError, /nComponents must be null, a positive integer, or a fraction in \(0, 1\)/],
    ['NaN', () => new PCA().fit([[1, NaN], [2, 3]]), ValueError, /finite numbers/],
    ['fraction with randomized', () => new PCA({ nComponents: 0.9, svdSolver: 'randomized' }).fit(iris), ValueError, /nComponents = 0.9 \(a fraction of the variance\) needs svdSolver 'full' or 'auto'/],
    ['unknown solver', () => new PCA({ svdSolver: 'arpack' as 'full' }), ValueError, /svdSolver must be one of 'auto', 'full', 'randomized'/],
    ['iteratedPower', () => new PCA({ iteratedPower: -1 }), ValueError, /iteratedPower must be 'auto' or an integer ≥ 0/],
    ['nOversamples', () => new PCA({ nOversamples: 1.5 }), ValueError, /nOversamples must be an integer ≥ 0/],
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
