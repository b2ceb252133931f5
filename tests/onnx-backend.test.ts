// The ONNX project's own operator tests (tests/fixtures/onnx-backend: 519 one-node models with
// inputs and expected outputs from ONNX's reference implementation, from Debian's
// libonnx-testdata): every case wasmlearn/onnx runs gives the expected outputs (floats within
// ONNX's backend tolerance, rtol 1e-3 with atol 1e-4; the rest equal), and leaves its inputs as they were.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../dist/onnx.js';
import { onnx } from '../src/onnx/onnx-proto-full.js';
import { tensorFromProto } from '../src/onnx/value.js';

const root = new URL('fixtures/onnx-backend/', import.meta.url);
const cases = readdirSync(root).filter((d) => d.startsWith('test_')).sort();
const read = (dir: string, file: string) => new Uint8Array(readFileSync(new URL(`${dir}/${file}`, root)));

describe('the ONNX backend node tests', () => {
  it('finds the cases (the check would pass vacuously otherwise)', () => {
    expect(cases.length).toBe(519);
  });
  for (const group of ['a-c', 'd-l', 'm-r', 's-z']) {
    const [lo, hi] = group.split('-');
    it(`cases test_${lo}… to test_${hi}…: the expected outputs`, async () => {
      const failures: string[] = [];
      let ran = 0;
      for (const dir of cases.filter((d) => d[5] >= lo && d[5] <= hi)) {
        const bytes = read(dir, 'model.onnx');
        const graph = onnx.ModelProto.decode(bytes).graph!;
        const initialized = new Set((graph.initializer ?? []).map((t) => t.name));
        const inputs = (graph.input ?? []).filter((v) => !initialized.has(v.name));
        const model = await loadOnnx(bytes);
        const feeds = Object.fromEntries(inputs.map((v, k) => {
          const t = tensorFromProto(onnx.TensorProto.decode(read(dir, `test_data_set_0/input_${k}.pb`)), dir);
          return [v.name, { type: t.type, dims: t.dims, data: t.type === 'int64' ? BigInt64Array.from(t.data as Float64Array, (x) => BigInt(x)) : t.data }];
        }));
        const before = Object.values(feeds).map((f) => Array.from(f.data as ArrayLike<unknown>, String).join());
        const out = await model.run(feeds);
        // Inputs are held as given while the graph runs: no operator writes into them.
        Object.values(feeds).forEach((f, k) => {
          if (Array.from(f.data as ArrayLike<unknown>, String).join() !== before[k]) failures.push(`${dir}: input ${k} was changed by the run`);
        });
        (graph.output ?? []).forEach((v, k) => {
          const file = `test_data_set_0/output_${k}.pb`;
          if (!existsSync(new URL(`${dir}/${file}`, root))) return;
          const want = tensorFromProto(onnx.TensorProto.decode(read(dir, file)), dir);
          const got = out[v.name!] as { dims: readonly number[]; data: ArrayLike<number | bigint | string> };
          if (got.dims.join() !== want.dims.join()) { failures.push(`${dir}: ${v.name} dims [${got.dims}] vs [${want.dims}]`); return; }
          const a = Array.from(got.data, (x) => (typeof x === 'bigint' ? Number(x) : x)), b = Array.from(want.data as ArrayLike<number | string>);
          const bad = b.findIndex((y, i) => {
            const x = a[i];
            if (typeof x !== 'number' || typeof y !== 'number') return String(x) !== String(y);
            if (Number.isNaN(y) || !Number.isFinite(y)) return !Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y));
            return !(Math.abs(x - y) <= 1e-4 + 1e-3 * Math.abs(y));
          });
          if (bad >= 0) failures.push(`${dir}: ${v.name}[${bad}] ${a[bad]} vs ${b[bad]}`);
        });
        model.dispose();
        ran++;
      }
      expect(ran).toBeGreaterThan(50);
      expect(failures).toEqual([]);
    });
  }
});
