// The loader paths issue 16 added, fuzzed as the suite fuzzes saved estimators: weight manifests
// with quantized entries (uint8 / uint16 with min and scale, float16), int32 and the optimizer's
// group, and layer descriptions with regularizers and constraints. Every damaged file is refused
// with a FormatError or loads into a model that answers (or refuses with a WasmlearnError), and
// the WebAssembly memory is where it was afterwards.
import { afterAll, describe, expect, test } from 'vitest';
import * as wl from '../../dist/index.js';
import { record, writeReport } from './report.js';

afterAll(() => writeReport('loaders'));

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

const x = { data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), shape: [3, 4] };

/** A trained model's artifacts with its weights quantized three ways and an Adam state saved beside them. */
async function artifacts(): Promise<{ modelTopology: Record<string, unknown>; weightSpecs: Record<string, unknown>[]; weightData: ArrayBuffer; trainingConfig: unknown }> {
  const model = new wl.Sequential([
    wl.layers.dense({ units: 5, inputShape: [4], activation: 'relu', kernelRegularizer: 'l2', kernelConstraint: 'maxNorm', kernelInitializer: { name: 'glorotUniform', seed: 1 } }),
    wl.layers.dense({ units: 3, activation: 'softmax', biasConstraint: 'nonNeg', activityRegularizer: 'l1', kernelInitializer: { name: 'glorotUniform', seed: 2 } }),
  ]);
  model.compile({ loss: 'categoricalCrossentropy', optimizer: wl.optimizers.adam(0.01) });
  const a = model.toTfjs();
  model.dispose();
  const floats = new Float32Array(a.weightData);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const quantizations = [{ dtype: 'uint8' }, { dtype: 'uint16' }, { dtype: 'float16' }, undefined];
  const specs: Record<string, unknown>[] = a.weightSpecs.map((spec, i) => {
    const n = spec.shape.reduce((p, q) => p * q, 1);
    const w = floats.subarray(offset, offset + n);
    offset += n;
    const q = quantizations[i];
    if (!q) { parts.push(new Uint8Array(w.slice().buffer)); return { ...spec }; }
    if (q.dtype === 'float16') { parts.push(new Uint8Array(Uint16Array.from(w, (v) => (v < 0 ? 0xb800 : 0x3800)).buffer)); return { ...spec, quantization: q }; }
    const min = Math.min(...w), scale = (Math.max(...w) - min) / (q.dtype === 'uint8' ? 255 : 65535) || 1;
    const codes = Array.from(w, (v) => Math.round((v - min) / scale));
    parts.push(q.dtype === 'uint8' ? Uint8Array.from(codes) : new Uint8Array(Uint16Array.from(codes).buffer));
    return { ...spec, quantization: { ...q, min, scale } };
  });
  // Adam's state: the step count (int32), then m and v of every weight.
  specs.push({ name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' });
  parts.push(new Uint8Array(Int32Array.of(7).buffer));
  for (const suffix of ['m', 'v']) {
    for (const spec of a.weightSpecs) {
      const n = spec.shape.reduce((p, q) => p * q, 1);
      specs.push({ name: `${spec.name}/${suffix}`, shape: spec.shape, dtype: 'float32', group: 'optimizer' });
      parts.push(new Uint8Array(Float32Array.from({ length: n }, (_, i) => (suffix === 'm' ? Math.sin(i) / 10 : 0.01)).buffer));
    }
  }
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { data.set(p, o); o += p.length; }
  return { modelTopology: a.modelTopology, weightSpecs: specs, weightData: data.buffer, trainingConfig: a.trainingConfig };
}

/** Loads every damaged file: each is refused with a FormatError, or predicts 3 × 3 values, or refuses to with a WasmlearnError. */
async function loadEach(cases: { what: string; artifacts: unknown }[]): Promise<{ refused: number; answered: number; refusedAtPredict: number }> {
  let refused = 0, answered = 0, refusedAtPredict = 0;
  for (const { what, artifacts: a } of cases) {
    let model: wl.LayersModel;
    try {
      model = await wl.loadModel(a as never);
    } catch (error) {
      expect(error, what).toBeInstanceOf(wl.FormatError);
      refused++;
      continue;
    }
    try {
      expect(model.predict(x).data.length, what).toBe(9);
      answered++;
    } catch (error) {
      expect(error, what).toBeInstanceOf(wl.WasmlearnError);
      refusedAtPredict++;
    }
    model.dispose();
  }
  return { refused, answered, refusedAtPredict };
}

const VALUES: unknown[] = [null, -1, 0, 1, 1e300, 2.5, 'x', [], {}, true, Number.NaN];

/** Copies of a topology with one value changed: every path once with a random value, and `extra` more (path, value) pairs drawn at random. */
function corruptions(base: unknown, next: () => number, extra: number): { what: string; topology: unknown }[] {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      paths.push(at);
      walk(child, at);
    }
  };
  walk(base, []);
  const value = () => VALUES[Math.floor(next() * VALUES.length)];
  const picks = [...paths.map((p) => [p, value()] as const), ...Array.from({ length: extra }, () => [paths[Math.floor(next() * paths.length)], value()] as const)];
  return picks.map(([at, v]) => {
    const topology = structuredClone(base) as Record<string | number, unknown>;
    let target = topology;
    for (const step of at.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
    target[at[at.length - 1]] = v;
    return { what: `${at.join('.')} = ${String(v)}`, topology };
  });
}

describe('loader paths of issue 16 under corruption', () => {
  test('quantized and optimizer manifests, regularizers and constraints: refused with a FormatError or loaded into a model that answers', async () => {
    const base = await artifacts();
    const clean = await wl.loadModel(base as never);
    expect(clean.optimizer?.iterations).toBe(7);
    expect(Array.from(clean.predict(x).data).every(Number.isFinite)).toBe(true);
    clean.dispose();
    const before = wl.backendInfo().arenaBytesInUse;
    const next = random(16);
    const cases: { what: string; artifacts: unknown }[] = [];
    const withSpecs = (what: string, change: (specs: Record<string, unknown>[]) => void) => {
      const specs = structuredClone(base.weightSpecs);
      change(specs);
      cases.push({ what, artifacts: { ...base, weightSpecs: specs } });
    };
    base.weightSpecs.forEach((spec, i) => {
      for (const key of ['name', 'shape', 'dtype', 'group', 'quantization']) {
        for (const value of VALUES) withSpecs(`spec ${i} ${key} = ${String(value)}`, (s) => { s[i][key] = value; });
        withSpecs(`spec ${i} without ${key}`, (s) => { delete s[i][key]; });
      }
      if (spec.quantization) {
        for (const key of ['dtype', 'min', 'scale']) {
          for (const value of VALUES) withSpecs(`spec ${i} quantization.${key} = ${String(value)}`, (s) => { (s[i].quantization as Record<string, unknown>)[key] = value; });
        }
      }
    });
    const bytes = new Uint8Array(base.weightData);
    for (const length of [0, 1, bytes.length >> 1, bytes.length - 1, bytes.length + 4]) {
      const data = new Uint8Array(length);
      data.set(bytes.subarray(0, Math.min(length, bytes.length)));
      cases.push({ what: `weight data of ${length} bytes`, artifacts: { ...base, weightData: data.buffer } });
    }
    for (let k = 0; k < 60; k++) {
      const data = bytes.slice();
      data[Math.floor(next() * data.length)] = Math.floor(next() * 256);
      cases.push({ what: `weight byte changed (${k})`, artifacts: { ...base, weightData: data.buffer } });
    }
    // Every value of the layer descriptions that carry regularizers and constraints.
    const walk = (node: unknown, path: (string | number)[]) => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node)) {
        const at = [...path, Array.isArray(node) ? Number(key) : key];
        if (/regularizer|constraint/.test(String(key)) || path.some((p) => /regularizer|constraint/.test(String(p)))) {
          for (const value of VALUES) {
            const topology = structuredClone(base.modelTopology);
            let target = topology as Record<string | number, unknown>;
            for (const step of at.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
            target[at[at.length - 1]] = value;
            cases.push({ what: `topology ${at.join('.')} = ${String(value)}`, artifacts: { ...base, modelTopology: topology } });
          }
        }
        walk(child, at);
      }
    };
    walk(base.modelTopology, []);
    const { refused, answered, refusedAtPredict } = await loadEach(cases);
    expect(refused).toBeGreaterThan(50);
    expect(answered).toBeGreaterThan(10);
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    record('Sequential (TF.js artifacts)', 'corrupt loader paths', cases.length, { refused, answered, refusedAtPredict });
  });

  test('functional and nested topologies: every value changed is refused with a FormatError or loads into a model that answers', async () => {
    // A graph (a tensor feeding three layers, add, concatenate) and a Sequential of a Sequential.
    const inp = wl.input({ shape: [4] });
    const a = wl.layers.dense({ units: 5, activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 3 } }).apply(inp);
    const b = wl.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 4 } }).apply(inp);
    const joined = wl.layers.concatenate().apply([wl.layers.add().apply([a, b]), inp]);
    const graph = wl.model({ inputs: inp, outputs: wl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 5 } }).apply(joined) });
    const functional = graph.toTfjs();
    graph.dispose();
    const stack = new wl.Sequential([wl.layers.dense({ units: 3, inputShape: [4], activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 6 } })]);
    const flat = stack.toTfjs();
    stack.dispose();
    const nested = { ...flat, modelTopology: { ...flat.modelTopology, config: { name: 'outer', layers: [flat.modelTopology] } } };
    const before = wl.backendInfo().arenaBytesInUse;
    const next = random(17);
    const cases: { what: string; artifacts: unknown }[] = [];
    for (const [label, base] of [['functional', functional], ['nested', nested]] as const) {
      for (const { what, topology } of corruptions(base.modelTopology, next, 300)) cases.push({ what: `${label} ${what}`, artifacts: { ...base, modelTopology: topology } });
    }
    const { refused, answered, refusedAtPredict } = await loadEach(cases);
    expect(refused).toBeGreaterThan(50);
    expect(answered).toBeGreaterThan(50);
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    record('Functional and nested (TF.js artifacts)', 'corrupt topologies', cases.length, { refused, answered, refusedAtPredict });
  });

  test('a model of sizes left to the data (null): every value changed is refused with a FormatError or loads into a model that answers or refuses the data', async () => {
    const x0 = wl.input({ shape: [null, null, 2] });
    const c = wl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: { name: 'glorotUniform', seed: 7 } }).apply(x0);
    const out = wl.layers.conv2d({ filters: 1, kernelSize: 1, kernelInitializer: { name: 'glorotUniform', seed: 8 } }).apply(wl.layers.maxPooling2d({ poolSize: 2 }).apply(c));
    const m = wl.model({ inputs: x0, outputs: out });
    const base = m.toTfjs();
    m.dispose();
    const before = wl.backendInfo().arenaBytesInUse;
    const images = { data: new Float32Array(2 * 6 * 8 * 2).map((_, i) => Math.sin(i)), shape: [2, 6, 8, 2] };
    let refused = 0, answered = 0, refusedAtPredict = 0;
    const picks = corruptions(base.modelTopology, random(19), 200);
    for (const { what, topology } of picks) {
      let model: wl.LayersModel;
      try {
        model = await wl.loadModel({ ...base, modelTopology: topology } as never);
      } catch (error) {
        expect(error, what).toBeInstanceOf(wl.FormatError);
        refused++;
        continue;
      }
      try {
        const p = model.predict(images) as wl.Tensor;
        expect(Array.from(p.data).every(Number.isFinite), what).toBe(true);
        answered++;
      } catch (error) {
        expect(error, what).toBeInstanceOf(wl.WasmlearnError);
        refusedAtPredict++;
      }
      model.dispose();
    }
    expect(refused).toBeGreaterThan(20);
    expect(answered).toBeGreaterThan(20);
    expect(wl.backendInfo().arenaBytesInUse).toBe(before);
    record('Functional with sizes left to the data (TF.js artifacts)', 'corrupt topologies', picks.length, { refused, answered, refusedAtPredict });
  });
});
