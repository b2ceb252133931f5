// ONNX files under corruption, as the suite fuzzes saved estimators: truncated, bit-flipped and
// byte-changed files, random bytes, and files whose protobuf decodes but says something else (an
// attribute, a dimension, a data type, an operator, a node's inputs changed), re-encoded with the
// same encoder. Every file is refused with a FormatError or loads into a model that answers a valid
// input (or refuses it with a WasmlearnError); no other error and no trap reaches the caller, no
// error wraps an unexpected JavaScript one, and WebAssembly memory is where it was afterwards.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import * as wl from '../../dist/index.js';
import { FormatError, loadOnnx, WasmlearnError } from '../../dist/onnx.js';
import { onnx } from '../../src/onnx/onnx-proto-full.js';
// @ts-expect-error: a plain JavaScript helper of the benchmarks
import { kerasToOnnx } from '../../bench/keras-to-onnx.js';
import { record, writeReport } from './report.js';

afterAll(() => writeReport('onnx'));

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

interface Subject {
  name: string;
  bytes: Uint8Array;
  feeds: Record<string, { data: Float32Array; dims: number[] }>;
}

function subjects(): Subject[] {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${name}.onnx`, import.meta.url)));
  wl.setRandomSeed(12);
  const L = wl.layers;
  const cnn = new wl.Sequential([
    L.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }), L.batchNormalization(), L.maxPooling2d({ poolSize: 2 }),
    L.flatten(), L.dense({ units: 4, activation: 'softmax' }),
  ]);
  const rows = (n: number, d: number) => ({ data: Float32Array.from({ length: n * d }, (_, i) => Math.sin(i) * 2), dims: [n, d] });
  return [
    { name: 'CNN (PyTorch layout)', bytes: new Uint8Array(kerasToOnnx(cnn.toTfjs())), feeds: { input: { data: Float32Array.from({ length: 2 * 128 }, (_, i) => Math.cos(i)), dims: [2, 2, 8, 8] } } },
    { name: 'Scaler → SVMClassifier → ZipMap', bytes: fixture('pipeline_scaler_svc'), feeds: { X: rows(3, 4) } },
    { name: 'random forest', bytes: fixture('random_forest'), feeds: { X: rows(3, 4) } },
    { name: 'gradient boosting', bytes: fixture('gradient_boosting'), feeds: { X: rows(3, 4) } },
    { name: 'logistic regression', bytes: fixture('logistic_regression'), feeds: { X: rows(3, 4) } },
    { name: 'SVR', bytes: fixture('svr_rbf'), feeds: { X: rows(3, 10) } },
  ];
}

/** Values a decoded field may be changed to. */
const NUMBERS = [-1, 0, 1, 2, 3, 7, 1e9, -1e9, 0.5, Number.NaN];
const STRINGS = ['', 'Conv', 'NotAnOp', 'BRANCH_LEQ', 'LEAF', 'x', 'SAME_UPPER', 'SOFTMAX'];

/** Files whose protobuf decodes: one field of a node, attribute, initializer or value info changed, re-encoded. */
function rewritten(bytes: Uint8Array, next: () => number, count: number): { what: string; bytes: Uint8Array }[] {
  const out: { what: string; bytes: Uint8Array }[] = [];
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)];
  for (let k = 0; k < count; k++) {
    const m = onnx.ModelProto.decode(bytes);
    const g = m.graph!;
    const kind = Math.floor(next() * 7);
    let what = '';
    if (kind === 0 && g.node.length) {
      const n = pick(g.node);
      const a = n.attribute.length ? pick(n.attribute) : undefined;
      if (a) {
        const field = pick(['i', 'f', 'ints', 'floats', 's', 'strings', 'type'] as const);
        if (field === 'ints' || field === 'floats') (a as Record<string, unknown>)[field] = Array.from({ length: Math.floor(next() * 4) }, () => pick(NUMBERS));
        else if (field === 's') a.s = new TextEncoder().encode(pick(STRINGS));
        else if (field === 'strings') a.strings = [new TextEncoder().encode(pick(STRINGS))];
        else if (field === 'type') a.type = Math.floor(next() * 12);
        else (a as Record<string, unknown>)[field] = pick(NUMBERS);
        what = `attribute ${a.name}.${field} of ${n.opType}`;
      } else {
        n.opType = pick(STRINGS);
        what = `op_type of node ${n.name}`;
      }
    } else if (kind === 1 && g.node.length) {
      const n = pick(g.node);
      n.opType = pick(['Relu', 'Conv', 'MatMul', 'Gemm', 'Reshape', 'NotAnOp', 'Softmax', 'Concat']);
      what = `node ${n.name} became ${n.opType}`;
    } else if (kind === 2 && g.node.length) {
      const n = pick(g.node);
      const names = [...g.node.flatMap((x) => x.output), ...g.initializer.map((t) => t.name), 'missing', ''];
      if (n.input.length) n.input[Math.floor(next() * n.input.length)] = pick(names);
      else n.input.push(pick(names));
      what = `an input of ${n.name}`;
    } else if (kind === 3 && g.initializer.length) {
      const t = pick(g.initializer);
      if (t.dims.length) t.dims[Math.floor(next() * t.dims.length)] = pick([0, 1, 2, 3, -1, 1e6]);
      else t.dims = [pick([0, 2, 5])];
      what = `dims of initializer ${t.name}`;
    } else if (kind === 4 && g.initializer.length) {
      const t = pick(g.initializer);
      t.dataType = pick([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 14, 16, 99]);
      what = `data type of initializer ${t.name}`;
    } else if (kind === 5 && g.initializer.length) {
      const t = pick(g.initializer);
      if (t.rawData?.length) t.rawData = t.rawData.subarray(0, Math.floor(next() * t.rawData.length));
      else t.floatData = t.floatData?.slice(0, -1) ?? [];
      what = `data of initializer ${t.name} cut`;
    } else {
      const v = pick([...g.input, ...g.output]);
      const dims = v.type?.tensorType?.shape?.dim;
      if (dims?.length) dims[Math.floor(next() * dims.length)] = pick([{ dimValue: 0 }, { dimValue: 3 }, { dimValue: -2 }, { dimParam: 'n' }]);
      else if (v.type?.tensorType) v.type.tensorType.elemType = pick([1, 7, 8, 11, 0]);
      what = `type of graph value ${v.name}`;
    }
    out.push({ what, bytes: onnx.ModelProto.encode(m).finish() });
  }
  return out;
}

function damaged(bytes: Uint8Array, next: () => number): { what: string; bytes: Uint8Array }[] {
  const out: { what: string; bytes: Uint8Array }[] = [];
  for (const length of [1, 2, 5, 16, bytes.length >> 2, bytes.length >> 1, bytes.length - 9, bytes.length - 1, ...Array.from({ length: 12 }, () => Math.floor(next() * bytes.length))]) {
    out.push({ what: `truncated to ${length}`, bytes: bytes.slice(0, Math.max(1, length)) });
  }
  for (let i = 0; i < 40; i++) {
    const b = bytes.slice();
    const at = Math.floor(next() * b.length);
    b[at] ^= 1 << Math.floor(next() * 8);
    out.push({ what: `bit flipped at ${at}`, bytes: b });
  }
  for (let i = 0; i < 20; i++) {
    const b = bytes.slice();
    b[Math.floor(next() * b.length)] = Math.floor(next() * 256);
    out.push({ what: `byte changed (${i})`, bytes: b });
  }
  for (let i = 0; i < 5; i++) out.push({ what: `random bytes (${i})`, bytes: Uint8Array.from({ length: 64 + i * 300 }, () => Math.floor(next() * 256)) });
  return out;
}

describe('ONNX files under corruption', () => {
  for (const subject of subjects()) {
    test(`${subject.name}: refused with a FormatError, or loaded into a model that answers or refuses the input with a WasmlearnError`, async () => {
      const clean = await loadOnnx(subject.bytes);
      const reference = await clean.run(subject.feeds);
      expect(Object.keys(reference).length).toBeGreaterThan(0);
      clean.dispose();
      const before = wl.backendInfo().arenaBytesInUse;
      const next = random(subject.bytes.length);
      const cases = [...damaged(subject.bytes, next), ...rewritten(subject.bytes, next, 150)];
      let refused = 0, answered = 0, refusedAtRun = 0;
      for (const { what, bytes } of cases) {
        let model;
        try {
          model = await loadOnnx(bytes);
        } catch (error) {
          expect(error, what).toBeInstanceOf(FormatError);
          expect(String((error as Error).message), what).not.toMatch(/ failed: /);
          refused++;
          continue;
        }
        try {
          await model.run(subject.feeds);
          answered++;
        } catch (error) {
          expect(error, `${what}: ${(error as Error)?.stack}`).toBeInstanceOf(WasmlearnError);
          expect(String((error as Error).message), what).not.toMatch(/ failed: /);
          refusedAtRun++;
        }
        model.dispose();
      }
      expect(refused).toBeGreaterThan(20);
      expect(answered).toBeGreaterThan(5);
      expect(wl.backendInfo().arenaBytesInUse).toBe(before);
      record(`ONNX ${subject.name}`, 'corrupt files', cases.length, { refused, answered, refusedAtRun });
    });
  }
});
