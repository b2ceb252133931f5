// The common contract of every estimator (registry.ts), as scikit-learn's common estimator
// checks: fit and NotFittedError, input forms, bad data and options, determinism over seeds and
// thread counts, save/load, corrupt files (a fuzz corpus), arena leaks and concurrent calls.
// Each check counts what it tried into report.ts; `npm run conformance` prints the table.
import { tableFromJSON } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as wl from '../../dist/index.js';
import { ESTIMATORS, dataset, fitArgs, outputs, type Entry, type Fittable } from './registry.js';
import { corruptions } from './corrupt.js';
import { record, writeReport } from './report.js';

const { WasmlearnError, NotFittedError, FormatError, ValueError } = wl;

beforeAll(async () => {
  await wl.init({ threads: 2 });
});
afterAll(() => writeReport('checks'));

/** The error a call throws (undefined when it returns), awaiting promises. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Same bits (NaN equal to NaN). */
function sameBits(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

// Messages name the argument: X and y for estimators, x and y for models (Keras' names).
const X_NAME = /\b[Xx]\b/, Y_NAME = /\b[Yy]\b/, FEATURES = /\b[Xx]\b|feature/;

/** Whether `name` is a method that reads X (not a fitted property, whose getter is on a prototype). */
const readsX = (model: Fittable, name: string): boolean => {
  for (let proto = Object.getPrototypeOf(model); proto; proto = Object.getPrototypeOf(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d) return typeof d.value === 'function';
  }
  return false;
};

/** A method called with X, or a fitted property read (an estimator such as DBSCAN shows what it learnt only so). */
const call = (model: Fittable, method: string, X: unknown): unknown => {
  const v = (model as unknown as Record<string, unknown>)[method];
  return typeof v === 'function' ? (v as (x: unknown) => unknown).call(model, X) : v;
};

describe.each(ESTIMATORS)('$name', (e: Entry) => {
  const data = dataset(90, 5, 11);
  const fitted = async (X: unknown = data.X, options?: Record<string, unknown>): Promise<Fittable> => {
    const model = e.make(options);
    await model.fit(...fitArgs(e, X, data));
    return model;
  };

  test('fit returns the estimator; before fit every method and toBytes throw NotFittedError (a model predicts with its initial weights)', async () => {
    const model = e.make();
    expect(model.isFitted).toBe(false);
    if (e.model) {
      expect(outputs(model, e.methods, data.X).every(Number.isFinite)).toBe(true);
      expect(await model.fit(...fitArgs(e, data.X, data))).toBe(model);
      (model as unknown as { dispose(): void }).dispose();
      record(e.name, 'fit / NotFittedError', e.methods.length + 1);
      return;
    }
    for (const method of [...e.methods, 'toBytes']) {
      const error = await thrown(() => (method === 'toBytes' ? model.toBytes() : call(model, method, data.X)));
      expect(error, method).toBeInstanceOf(NotFittedError);
      expect(String((error as Error).message)).toMatch(/before fit/);
    }
    // Every fitted property (each getter of the class and its bases but isFitted and the configuration: names, a pipeline's steps).
    const configuration = ['isFitted', 'estimatorName', 'className', 'steps', 'namedSteps', 'length', 'memoryBytes'];
    const getters: string[] = [];
    for (let proto = Object.getPrototypeOf(model); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (d.get && !configuration.includes(name)) getters.push(name);
    }
    for (const name of getters) {
      const error = await thrown(() => (model as unknown as Record<string, unknown>)[name]);
      expect(error, name).toBeInstanceOf(NotFittedError);
    }
    expect(await model.fit(...fitArgs(e, data.X, data))).toBe(model);
    expect(model.isFitted).toBe(true);
    record(e.name, 'fit / NotFittedError', e.methods.length + 2 + getters.length);
  });

  test('memoryBytes: 0 before fit, the fitted state after (a model: at least 4 bytes a weight, with SGD no more), and again after save → load', async () => {
    const resident = (m: Fittable): number => (e.model ? (m as unknown as { model: wl.LayersModel }).model.memoryBytes : (m as unknown as { memoryBytes: number }).memoryBytes);
    if (!e.model) expect(resident(e.make())).toBe(0);
    const model = await fitted();
    const bytes = resident(model);
    expect(bytes).toBeGreaterThan(0);
    if (e.model) {
      // Weights are f32 blocks of 64-byte multiples; plain SGD keeps no slots.
      const params = (model as unknown as { model: wl.LayersModel }).model.countParams();
      expect(bytes).toBeGreaterThanOrEqual(4 * params);
      expect(bytes).toBeLessThanOrEqual(4 * params + 64 * 64);
    }
    const loaded = await e.load(model.toBytes());
    expect(resident(loaded)).toBeGreaterThan(0);
    (loaded as { dispose?: () => void }).dispose?.();
    record(e.name, 'memoryBytes', 3);
  });

  test('nested arrays, typed arrays with a shape (f64 and f32), tensors and tabular data give the same results', async () => {
    const flat = data.X.flat();
    const forms: unknown[] = [
      data.X,
      { data: Float64Array.from(flat), shape: [data.X.length, 5] },
      { data: Float32Array.from(flat), shape: [data.X.length, 5] },
      wl.toTensor(data.X),
    ];
    // Tabular data (estimators, not Keras models): row objects, column objects, an Arrow table.
    if (!e.model) {
      const rows = data.X.map((r) => Object.fromEntries(r.map((v, j) => [`f${j}`, v])));
      forms.push(rows, Object.fromEntries(data.X[0].map((_, j) => [`f${j}`, data.X.map((r) => r[j])])), tableFromJSON(rows));
    }
    const results: number[][] = [];
    for (const form of forms) results.push(outputs(await fitted(form), e.methods, form));
    for (const r of results.slice(1)) expect(sameBits(r, results[0])).toBe(true);
    record(e.name, 'input forms', forms.length);
  });

  test('column names flow: featureNamesIn from tabular data, kept by save/load; other columns after fit are a ValueError naming them', async () => {
    if (e.model) return;
    const named = (names: string[]) => data.X.map((r) => Object.fromEntries(r.map((v, j) => [names[j], v])));
    const names = ['f0', 'f1', 'f2', 'f3', 'f4'];
    const model = await fitted(named(names)) as Fittable & { featureNamesIn?: string[] };
    expect(model.featureNamesIn).toEqual(names);
    const back = await e.load(model.toBytes()) as Fittable & { featureNamesIn?: string[] };
    expect(back.featureNamesIn).toEqual(names);
    for (const method of e.methods.filter((m) => readsX(model, m))) {
      const error = await thrown(() => call(model, method, named(['f0', 'f1', 'f2', 'f3', 'g4'])));
      expect(error, method).toBeInstanceOf(ValueError);
      expect(String((error as Error).message), method).toMatch(/other columns than fit saw \(missing 'f4'; unseen 'g4'\)/);
      // A matrix after tabular data is taken by position, as scikit-learn takes it.
      expect(outputs(model, [method], data.X)).toEqual(outputs(model, [method], named(names)));
    }
    expect((await fitted() as Fittable & { featureNamesIn?: string[] }).featureNamesIn).toBeUndefined();
    record(e.name, 'column names', e.methods.length + 3);
  });

  test('bad data → a WasmlearnError naming the argument, never a trap or a silent answer', async () => {
    const cases: [string, () => unknown, RegExp][] = [];
    const y = e.kind === 'classifier' ? data.classes : data.target;
    // A gap (NaN) is data to a transformer of tabular data and to an estimator handling missing values; ±Infinity never is.
    for (const bad of e.tabular || e.gaps ? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] : [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const X = data.X.map((row, i) => (i === 7 ? [row[0], bad, ...row.slice(2)] : row));
      cases.push([`fit with ${bad} in X`, () => e.make().fit(...fitArgs(e, X, data)), X_NAME]);
    }
    cases.push(['fit with empty X', () => e.make().fit(...fitArgs(e, [], { classes: [], target: [] })), X_NAME]);
    cases.push(['fit with a vector for X', () => e.make().fit(...fitArgs(e, [1, 2, 3], data)), X_NAME]);
    cases.push(['fit with a ragged X', () => e.make().fit(...fitArgs(e, [[1, 2], [3]], data)), X_NAME]);
    if (!e.tabular) cases.push(['fit with a string in X', () => e.make().fit(...fitArgs(e, [['a', 1], [2, 3]], data)), X_NAME]);
    else cases.push(['fit with a column mixing numbers and strings', () => e.make().fit(...fitArgs(e, [['a', 1], [2, 3]], data)), X_NAME]);
    if (e.kind !== 'unsupervised') {
      cases.push(['fit with fewer labels than samples', () => e.make().fit(data.X, y.slice(1)), Y_NAME]);
      cases.push(['fit with more labels than samples', () => e.make().fit(data.X, [...y, y[0]]), Y_NAME]);
    }
    if (e.kind === 'regressor') cases.push(['fit with NaN in y', () => e.make().fit(data.X, y.map((v, i) => (i === 3 ? Number.NaN : v))), Y_NAME]);
    const model = await fitted();
    for (const method of e.methods.filter((m) => readsX(model, m))) {
      cases.push([`${method} with 4 features`, () => call(model, method, data.X.map((row) => row.slice(0, 4))), FEATURES]);
      const gap = e.tabular || e.gaps;
      cases.push([`${method} with ${gap ? 'Infinity' : 'NaN'}`, () => call(model, method, [[1, 2, gap ? Number.POSITIVE_INFINITY : Number.NaN, 4, 5]]), X_NAME]);
      cases.push([`${method} with empty X`, () => call(model, method, []), X_NAME]);
    }
    for (const [what, run, names] of cases) {
      const error = await thrown(run);
      expect(error, what).toBeInstanceOf(WasmlearnError);
      expect(String((error as Error).message), what).toMatch(names);
    }
    record(e.name, 'bad data', cases.length);
  });

  test('unknown options and out-of-range values → ValueError naming the option', async () => {
    const options: Record<string, unknown>[] = [{ notAnOption: 1 }, ...e.bad];
    for (const option of options) {
      const name = Object.keys(option)[0];
      // Refused in the constructor, or at fit for values that depend on the data.
      const error = await thrown(async () => e.make(option).fit(...fitArgs(e, data.X, data)));
      expect(error, name).toBeInstanceOf(ValueError);
      expect(String((error as Error).message), name).toContain(name);
    }
    record(e.name, 'bad options', options.length);
  });

  test('one sample, one class: a working fit or a ValueError, never anything else', async () => {
    const tries: [unknown, { classes: number[]; target: number[] }][] = [
      [data.X.slice(0, 1), { classes: data.classes.slice(0, 1), target: data.target.slice(0, 1) }],
      [data.X.slice(0, 30), { classes: data.classes.slice(0, 30).map(() => 2), target: data.target.slice(0, 30).map(() => 1.5) }],
    ];
    for (const [X, labels] of tries) {
      const model = e.make();
      const error = await thrown(() => model.fit(...fitArgs(e, X, labels)));
      if (error !== undefined) {
        expect(error).toBeInstanceOf(ValueError);
        expect(String((error as Error).message)).toMatch(/X|y|sample|class/);
        continue;
      }
      // Fitted: every method answers with finite numbers or refuses with a ValueError (k
      // neighbours of one sample); a classifier of one class predicts it.
      for (const method of e.methods) {
        let out: number[] = [];
        const refused = await thrown(() => { out = outputs(model, [method], data.X.slice(0, 5)); });
        if (refused !== undefined) expect(refused, method).toBeInstanceOf(ValueError);
        else expect(out.every((v) => Number.isFinite(v)), method).toBe(true);
      }
      if (e.kind === 'classifier' && !e.model && (X as unknown[]).length === 30) {
        expect((call(model, 'predict', data.X.slice(0, 5)) as number[]).every((v) => v === 2)).toBe(true);
      }
    }
    record(e.name, 'one sample / one class', tries.length);
  });

  test('the same options and seed give the same bits, on 1, 2 and 4 threads', async () => {
    // Large enough that the kernels split across threads.
    const big = dataset(600, 24, 5);
    const runs: number[][] = [];
    for (const threads of [1, 2, 4, 2]) {
      await wl.init({ threads });
      const model = e.make();
      await model.fit(...fitArgs(e, big.X, big));
      runs.push(outputs(model, e.methods, big.X.slice(0, 50)));
    }
    await wl.init({ threads: 2 });
    for (const r of runs.slice(1)) expect(sameBits(r, runs[0])).toBe(true);
    record(e.name, 'seeds and threads', runs.length);
  });

  test('save → load gives identical outputs (bytes and a file)', async () => {
    const model = await fitted();
    const loaded = await e.load(model.toBytes());
    expect(sameBits(outputs(loaded, e.methods, data.X), outputs(model, e.methods, data.X))).toBe(true);
    record(e.name, 'save / load', 1);
  });

  test('the one load(bytes) restores it as its own class, with identical outputs', async () => {
    const model = await fitted();
    const restored = await wl.load(model.toBytes());
    const wrapped = e.model ? await e.load(model.toBytes()) : restored;
    if (!e.model) expect(restored.constructor).toBe(model.constructor);
    else expect(restored.constructor).toBe((model as unknown as { model: object }).model.constructor);
    expect(sameBits(outputs(wrapped as Fittable, e.methods, data.X), outputs(model, e.methods, data.X))).toBe(true);
    (restored as { dispose?: () => void }).dispose?.();
    if (wrapped !== restored) (wrapped as { dispose?: () => void }).dispose?.();
  });

  test('corrupt bytes → FormatError, or (checksum re-made over changed values) a model that answers or refuses with a WasmlearnError', async () => {
    const model = await fitted();
    let refused = 0, loadedAndAnswered = 0, loadedAndRefused = 0;
    for (const { what, bytes, checksummed } of corruptions(model.toBytes(), e.name.length * 7919)) {
      let loaded: Fittable;
      try {
        loaded = await e.load(bytes);
      } catch (error) {
        expect(error, what).toBeInstanceOf(WasmlearnError);
        if (!checksummed) expect(error, what).toBeInstanceOf(FormatError);
        refused++;
        continue;
      }
      expect(checksummed, `${what} loaded`).toBe(true);
      for (const method of e.methods) {
        const error = await thrown(() => call(loaded, method, data.X.slice(0, 4)));
        if (error === undefined) loadedAndAnswered++;
        else {
          expect(error, `${what}: ${method}`).toBeInstanceOf(WasmlearnError);
          if (process.env.CONFORMANCE_VERBOSE) console.log(`${e.name} ${what} ${method}: ${(error as Error).message}`);
          loadedAndRefused++;
        }
      }
    }
    record(e.name, 'corrupt bytes', refused + loadedAndAnswered + loadedAndRefused, { refused, loadedAndAnswered, loadedAndRefused });
  });

  test('no arena growth over 10 000 predictions and 100 fits', async () => {
    const model = await fitted();
    const before = wl.backendInfo().arenaBytesInUse;
    const row = data.X.slice(0, 1);
    for (let i = 0; i < 10_000; i++) call(model, e.methods[i % e.methods.length], row);
    const small = dataset(30, 3, 2);
    for (let i = 0; i < 100; i++) {
      const m = e.make();
      await m.fit(...fitArgs(e, small.X, small));
      (m as unknown as { dispose?: () => void }).dispose?.();
    }
    const leaked = wl.backendInfo().arenaBytesInUse - before;
    expect(leaked).toBe(0);
    record(e.name, 'no leaks', 10_100, { leaked });
  });

  test('fits and predictions started together give the one-at-a-time results', async () => {
    const sets = [dataset(60, 5, 1), dataset(70, 5, 2), dataset(80, 5, 3)];
    const alone: number[][] = [];
    for (const s of sets) {
      const model = e.make();
      await model.fit(...fitArgs(e, s.X, s));
      alone.push(outputs(model, e.methods, s.X));
    }
    const together = await Promise.all(sets.map(async (s) => {
      const model = e.make();
      await model.fit(...fitArgs(e, s.X, s));
      return outputs(model, e.methods, s.X);
    }));
    together.forEach((r, i) => expect(sameBits(r, alone[i])).toBe(true));
    record(e.name, 'concurrency', sets.length * 2);
  });
});

describe('model memory', () => {
  test('dispose() returns a model\'s memory at once; garbage collection returns an abandoned one\'s', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(typeof gc, 'the conformance project runs with --expose-gc').toBe('function');
    // Let models abandoned by earlier checks go first, so that the baseline is steady.
    const settle = async (): Promise<void> => {
      for (let i = 0, last = -1; i < 50 && wl.backendInfo().arenaBytesInUse !== last; i++) {
        last = wl.backendInfo().arenaBytesInUse;
        gc!();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await settle();
    const before = wl.backendInfo().arenaBytesInUse;
    const build = (): wl.Sequential => new wl.Sequential([wl.layers.dense({ units: 64, activation: 'relu', inputShape: [128] }), wl.layers.dense({ units: 10, activation: 'softmax' })]);
    const kept = build();
    kept.predict({ data: new Float32Array(128), shape: [1, 128] });
    expect(wl.backendInfo().arenaBytesInUse).toBeGreaterThan(before);
    kept.dispose();
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    (() => { for (let i = 0; i < 20; i++) build().predict({ data: new Float32Array(128), shape: [1, 128] }); })();
    expect(wl.backendInfo().arenaBytesInUse).toBeGreaterThan(before);
    for (let i = 0; i < 50 && wl.backendInfo().arenaBytesInUse > before; i++) {
      gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Everything abandoned came back (and perhaps some earlier garbage the settling missed).
    expect(wl.backendInfo().arenaBytesInUse).toBeLessThanOrEqual(before);
    record('Sequential', 'dispose / garbage collection', 21);
  });
});

describe('fits that interleave', () => {
  test('Sequential fits long enough to yield mid-epoch give the one-at-a-time weights', async () => {
    // 3 000 samples in batches of 20 through two models of different sizes: each fit yields to
    // the event loop every 15 ms, so the trainings interleave batch by batch, and the training
    // loop's memory must stay its own until it ends (it was released at the first yield).
    const big = dataset(3000, 64, 8);
    const make = (units: number): wl.Sequential => {
      const model = new wl.Sequential([
        wl.layers.dense({ units, activation: 'sigmoid', inputShape: [64], kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
        wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
      ]);
      model.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
      return model;
    };
    const onehot = wl.toCategorical(big.classes, 3);
    const weights = (m: wl.Sequential): number[] => m.layers.flatMap((l) => l.getWeights().flatMap((t) => Array.from(t.data)));
    const train = (m: wl.Sequential, seed: number) => m.fit(big.X, onehot, { epochs: 2, batchSize: 20, verbose: 0, seed });
    const alone = [make(200), make(120), make(64)];
    for (const [i, m] of alone.entries()) await train(m, i + 1);
    const together = [make(200), make(120), make(64)];
    await Promise.all(together.map((m, i) => train(m, i + 1)));
    together.forEach((m, i) => expect(sameBits(weights(m), weights(alone[i])), `model ${i}`).toBe(true));
    for (const m of [...alone, ...together]) m.dispose();
    record('Sequential', 'interleaved fits', 6);
  });
});

describe('out of memory', () => {
  test('a fit needing more than WebAssembly memory can hold is an OutOfMemoryError, and the library keeps working', async () => {
    // 2 samples × 20 000 features: the full PCA needs a 20 000² covariance (3.2 GB of f64).
    const before = wl.backendInfo().arenaBytesInUse;
    const wide = { data: new Float64Array(2 * 20_000).map((_, i) => (i * 7) % 13), shape: [2, 20_000] };
    const error = await thrown(() => new wl.PCA({ svdSolver: 'full' }).fit(wide));
    expect(error).toBeInstanceOf(wl.OutOfMemoryError);
    expect(String((error as Error).message)).toMatch(/out of memory: a request for/);
    const after = await new wl.PCA({ nComponents: 2 }).fit(dataset(50, 4).X);
    expect(after.explainedVarianceRatio.length).toBe(2);
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    record('library', 'out of memory', 2);
  });
});

// Transformers of targets take y where the others take X: the same contract, on labels.
describe.each([
  { name: 'LabelEncoder', make: () => new wl.LabelEncoder(), load: (b: Uint8Array) => wl.LabelEncoder.fromBytes(b) },
  { name: 'LabelBinarizer', make: () => new wl.LabelBinarizer({ negLabel: -1 }), load: (b: Uint8Array) => wl.LabelBinarizer.fromBytes(b) },
])('$name (labels)', ({ name, make, load }) => {
  const y = ['b', 'a', 'c', 'a', 'b', 'd', 'c'];
  const out = (t: { transform(y: unknown): unknown }) => JSON.stringify(Array.from(t.transform(y) as ArrayLike<unknown>, (v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)));
  test('NotFittedError before fit; fit returns it; bad labels → an error naming y', async () => {
    const t = make();
    expect(() => t.transform(y)).toThrow(NotFittedError);
    expect(() => t.toBytes()).toThrow(NotFittedError);
    expect(await t.fit(y)).toBe(t);
    for (const bad of [[], 'abc', null, [1, 'a'], [Number.NaN, 1], [{ a: 1 }], [[1], [2]]]) {
      const error = await thrown(() => make().fit(bad));
      expect(error, JSON.stringify(bad)).toBeInstanceOf(WasmlearnError);
      expect(String((error as Error).message)).toMatch(/\by\b/);
    }
    record(name, 'bad data', 7);
  });
  test('save → load and the one load give identical outputs; corrupt bytes → FormatError or a transformer that answers', async () => {
    const t = await make().fit(y);
    expect(out(load(t.toBytes()))).toBe(out(t));
    const restored = await wl.load(t.toBytes());
    expect(restored.constructor).toBe(t.constructor);
    expect(out(restored as never)).toBe(out(t));
    let tried = 0;
    for (const { what, bytes, checksummed } of corruptions(t.toBytes(), name.length * 7919)) {
      tried++;
      let loaded: { transform(y: unknown): unknown };
      try {
        loaded = load(bytes);
      } catch (error) {
        expect(error, what).toBeInstanceOf(WasmlearnError);
        if (!checksummed) expect(error, what).toBeInstanceOf(FormatError);
        continue;
      }
      const error = await thrown(() => loaded.transform(y));
      if (error !== undefined) expect(error, what).toBeInstanceOf(WasmlearnError);
    }
    record(name, 'corrupt bytes', tried);
  });
});
