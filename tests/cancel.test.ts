// Cancelling long fits (issue 21): `signal` and `timeoutMs` stop a fit soon after they fire, with
// an AbortError, and leave the estimator as it was; the fit yields to the event loop meanwhile
// (timers run), and a fit that is not stopped gives the same bits as one without the options.
import { describe, expect, it } from 'vitest';
import * as wl from '../dist/index.js';

/** Blobs: k classes in d features, n rows, from a seeded generator. */
function blobs(n: number, d: number, k: number, seed: number): { X: number[][]; y: number[] } {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    X.push(Array.from({ length: d }, (_, j) => (j % k === c ? 1 : 0) + 3 * (r() - 0.5)));
    y.push(c);
  }
  return { X, y };
}

const big = blobs(6000, 40, 10, 1);
const small = blobs(200, 40, 10, 2);

interface Fits {
  fit(X: unknown, y?: unknown, options?: object): Promise<unknown>;
}

/** What a fitted estimator answers on the small data, to tell whether an aborted refit changed it. */
function answers(estimator: unknown): unknown {
  const e = estimator as Record<string, (X: unknown) => unknown>;
  return 'predict' in e ? e.predict(small.X) : undefined;
}

/**
 * Fits `make()` on the small data, then refits it on the big data and aborts 60 ms in: the refit
 * must reject with an AbortError soon after the abort, timers must have run during it, and the
 * estimator must answer as before.
 */
async function stopsSoon(make: () => Fits, unsupervised = false): Promise<number> {
  const estimator = make();
  await estimator.fit(small.X, unsupervised ? undefined : small.y);
  const before = answers(estimator);
  const controller = new AbortController();
  let abortedAt = 0, ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  setTimeout(() => {
    abortedAt = performance.now();
    controller.abort();
  }, 60);
  let error: unknown;
  try {
    await estimator.fit(big.X, unsupervised ? undefined : big.y, { signal: controller.signal });
  } catch (e) {
    error = e;
  }
  const stoppedAt = performance.now();
  clearInterval(ticker);
  expect(error).toBeInstanceOf(wl.AbortError);
  expect((error as Error).name).toBe('AbortError');
  expect((error as Error).message).toMatch(/aborted \(its signal fired\); nothing was changed/);
  expect(abortedAt).toBeGreaterThan(0);
  // Timers ran during the fit (the abort's own timer did too).
  expect(ticks).toBeGreaterThan(0);
  expect(answers(estimator)).toEqual(before);
  return stoppedAt - abortedAt;
}

describe('cancelling a long fit', () => {
  it('SVC (its pairs solved in slices on the pool)', async () => {
    expect(await stopsSoon(() => new wl.SVC({ C: 100 }))).toBeLessThan(250);
  });

  it('SVR (one dual, solved in slices on this thread)', async () => {
    expect(await stopsSoon(() => new wl.SVR({ C: 100 }))).toBeLessThan(250);
  });

  it('a random forest (between trees)', async () => {
    expect(await stopsSoon(() => new wl.RandomForestClassifier({ nEstimators: 300, seed: 1 }))).toBeLessThan(250);
  });

  it('gradient boosting (between iterations)', async () => {
    expect(await stopsSoon(() => new wl.HistGradientBoostingClassifier({ maxIter: 300, earlyStopping: false, seed: 1 }))).toBeLessThan(250);
  });

  it('k-means (between iterations)', async () => {
    expect(await stopsSoon(() => new wl.KMeans({ nClusters: 60, nInit: 40, seed: 1 }), true)).toBeLessThan(250);
  });

  it('a grid search (inside a candidate\'s fit), and a pipeline', async () => {
    const search = () => new wl.GridSearchCV({ estimator: new wl.SVC(), paramGrid: { C: [1, 10, 100] }, cv: 3 }) as unknown as Fits;
    expect(await stopsSoon(search)).toBeLessThan(250);
    const pipeline = () => wl.makePipeline(new wl.StandardScaler(), new wl.SVC({ C: 100 })) as unknown as Fits;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    await expect(pipeline().fit(big.X, big.y, { signal: controller.signal })).rejects.toThrow(wl.AbortError);
    controller.abort();
    await expect(wl.crossValScore(new wl.SVC(), big.X, big.y, { signal: controller.signal })).rejects.toThrow(/crossValScore: aborted/);
  });

  it('timeoutMs stops a fit too, and an already aborted signal stops it before it starts', async () => {
    const began = performance.now();
    await expect(new wl.SVC({ C: 100 }).fit(big.X, big.y, { timeoutMs: 80 })).rejects.toThrow(/SVC\.fit: stopped after its timeoutMs \(80 ms\)/);
    expect(performance.now() - began).toBeLessThan(600);
    await expect(new wl.KMeans({ nClusters: 3 }).fit(small.X, undefined, { signal: AbortSignal.abort() })).rejects.toThrow(/KMeans\.fit: aborted/);
  });

  it('a fit that is not stopped gives the same bits as one without the options', async () => {
    const data = blobs(600, 20, 5, 3);
    const plain = await new wl.SVC({ C: 10, probability: true, seed: 4 }).fit(data.X, data.y);
    const watched = await new wl.SVC({ C: 10, probability: true, seed: 4 }).fit(data.X, data.y, { signal: new AbortController().signal, timeoutMs: 60_000 });
    expect(watched.decisionFunction(data.X)).toEqual(plain.decisionFunction(data.X));
    expect(watched.predictProba(data.X)).toEqual(plain.predictProba(data.X));
    const forest = async (options?: object) => (await new wl.RandomForestRegressor({ nEstimators: 8, seed: 5 }).fit(data.X, data.y, options)).predict(data.X);
    expect(await forest({ timeoutMs: 60_000 })).toEqual(await forest());
  });

  it('refuses a bad signal or timeoutMs by name', async () => {
    await expect(new wl.SVC().fit(small.X, small.y, { signal: 'stop' } as never)).rejects.toThrow(/SVC\.fit: signal must be an AbortSignal; received the string "stop"/);
    await expect(new wl.RandomForestClassifier().fit(small.X, small.y, { timeoutMs: -5 })).rejects.toThrow(/RandomForestClassifier\.fit: timeoutMs must be a positive number of milliseconds; received -5/);
    await expect(wl.crossValidate(new wl.SVC(), small.X, small.y, { timeoutMs: 'soon' } as never)).rejects.toThrow(/crossValidate: timeoutMs must be a positive number/);
  });
});
