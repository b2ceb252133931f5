// The conformance contract in any runtime (issue 21): for every entry of entries.js, the checks
// that need no test framework — NotFittedError before fit, fit returning the estimator, its
// outputs, save → load, bad data and bad options refused by name, a second fit repeating the
// first, memoryBytes, and the arena back where it was. Plain JavaScript that receives the library's
// module namespace, so Node, Deno, Chromium and workerd run the same code; the result is plain
// data (hashes of bit patterns, error names, flags), compared with Node's bit for bit.
import { dataset, estimators, fitArgs, outputs } from './entries.js';

/** FNV-1a over the bit patterns of numbers as f64: equal hashes mean equal bits. */
export function hashNumbers(values) {
  const words = new Uint32Array(Float64Array.from(values).buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function hashBytes(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

async function thrown(run) {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A method called with X, or a fitted property read. */
function call(model, method, X) {
  const v = model[method];
  return typeof v === 'function' ? v.call(model, X) : v;
}

const X_NAME = /\b[Xx]\b/;

/**
 * Runs the contract over every entry on `samples` samples of 5 features; returns, per entry, what
 * must be the same in every runtime. `only` limits it to entries whose name it matches.
 */
export async function contract(wl, { samples = 90, only } = {}) {
  const data = dataset(samples, 5, 11);
  // Estimators without a seed draw from the global sequence: start it the same way everywhere.
  wl.setRandomSeed(1234);
  const results = {};
  for (const e of estimators(wl)) {
    if (only && !only.test(e.name)) continue;
    const r = {};
    const arenaBefore = wl.backendInfo().arenaBytesInUse;
    const resident = (m) => (e.model ? m.model.memoryBytes : m.memoryBytes);
    const dispose = (m) => m?.dispose?.();

    // Before fit: every method throws NotFittedError (a Keras model predicts with its initial weights).
    const fresh = e.make();
    if (!e.model) {
      r.notFitted = [];
      for (const method of [...e.methods, 'toBytes']) {
        const error = await thrown(() => (method === 'toBytes' ? fresh.toBytes() : call(fresh, method, data.X)));
        r.notFitted.push(error instanceof wl.NotFittedError && /before fit/.test(error.message));
      }
      r.memoryBeforeFit = resident(fresh);
    }
    dispose(fresh);

    // Fit, outputs, save → load.
    const model = e.make();
    r.fitReturnsSelf = (await model.fit(...fitArgs(e, data.X, data))) === model;
    const answers = outputs(model, e.methods, data.X);
    r.outputs = hashNumbers(answers);
    r.outputsFinite = answers.every((v) => Number.isFinite(v) || Number.isNaN(v));
    const bytes = model.toBytes();
    r.savedBytes = hashBytes(bytes);
    const loaded = await e.load(bytes);
    r.loadedSame = hashNumbers(outputs(loaded, e.methods, data.X)) === r.outputs;
    r.memory = resident(model) > 0 && resident(loaded) > 0;
    dispose(loaded);

    // A second fit from the same options repeats the first.
    const again = e.make();
    await again.fit(...fitArgs(e, data.X, data));
    r.repeats = hashNumbers(outputs(again, e.methods, data.X)) === r.outputs;
    // Saved bytes are compared across runtimes and must repeat, but a search's hold its fit times
    // and a model's its layers' names (numbered in the order a process makes layers).
    if (e.timed) r.savedBytes = 'holds timings';
    else if (e.model) r.savedBytes = 'holds layer names';
    else r.savedBytesRepeat = hashBytes(again.toBytes()) === r.savedBytes;
    dispose(again);

    // Bad data: NaN and ±Infinity in X (data to estimators that take gaps: then only ∞), refused by name.
    r.badData = [];
    for (const bad of e.tabular || e.gaps ? [Infinity] : [Number.NaN, Infinity, -Infinity]) {
      const X = data.X.map((row, i) => (i === 3 ? row.map((v, j) => (j === 1 ? bad : v)) : row));
      const error = await thrown(async () => {
        const m = e.make();
        try {
          await m.fit(...fitArgs(e, X, data));
        } finally {
          dispose(m);
        }
      });
      r.badData.push(e.tabular && bad === Infinity ? error === undefined || error instanceof wl.WasmlearnError : error instanceof wl.WasmlearnError && X_NAME.test(error.message));
    }
    // Bad options: a ValueError naming the option.
    r.badOptions = [];
    for (const option of e.bad) {
      const error = await thrown(async () => {
        const m = e.make(option);
        try {
          await m.fit(...fitArgs(e, data.X, data));
        } finally {
          dispose(m);
        }
      });
      r.badOptions.push(error instanceof wl.ValueError && error.message.includes(Object.keys(option)[0]));
    }
    dispose(model);
    r.arenaBack = wl.backendInfo().arenaBytesInUse === arenaBefore;
    results[e.name] = r;
  }
  return results;
}

/** The failures in a contract result: entries and the checks they did not pass. */
export function failures(results) {
  const out = [];
  for (const [name, r] of Object.entries(results)) {
    const flags = { fitReturnsSelf: r.fitReturnsSelf, outputsFinite: r.outputsFinite, loadedSame: r.loadedSame, memory: r.memory, repeats: r.repeats, arenaBack: r.arenaBack, savedBytesRepeat: r.savedBytesRepeat ?? true };
    for (const [check, ok] of Object.entries(flags)) if (!ok) out.push(`${name}: ${check}`);
    (r.notFitted ?? []).forEach((ok, i) => { if (!ok) out.push(`${name}: NotFittedError ${i}`); });
    if (r.memoryBeforeFit !== undefined && r.memoryBeforeFit !== 0) out.push(`${name}: memoryBytes before fit`);
    r.badData.forEach((ok, i) => { if (!ok) out.push(`${name}: bad data ${i}`); });
    r.badOptions.forEach((ok, i) => { if (!ok) out.push(`${name}: bad option ${i}`); });
  }
  return out;
}
