// Runs one ONNX file in wasmlearn and in onnxruntime-node and compares every output: floats within
// a tolerance (absolute plus relative), integers, booleans and strings exactly.
import { expect } from 'vitest';
import { loadOnnx, OnnxTensor } from '../dist/onnx.js';
import { modelBytes, runOrt, type Feeds, type ModelSpec } from './onnx-builder.js';

export interface CheckOptions {
  /** Absolute and relative tolerance for float outputs (default 1e-5). */
  tol?: number;
  /** Outputs to compare (default all). */
  outputs?: string[];
}

/** The model's outputs in both runtimes; throws (via expect) on the first difference. */
export async function checkAgainstOrt(spec: ModelSpec | Uint8Array, feeds: Feeds, options: CheckOptions = {}): Promise<Record<string, OnnxTensor>> {
  const bytes = spec instanceof Uint8Array ? spec : modelBytes(spec);
  const tol = options.tol ?? 1e-5;
  const reference = await runOrt(bytes, feeds, options.outputs);
  const model = await loadOnnx(bytes);
  const given = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { data: v.type === 'int64' && !(v.data instanceof BigInt64Array) ? BigInt64Array.from(v.data as ArrayLike<number>, (x) => BigInt(x)) : v.type === 'bool' ? Uint8Array.from(v.data as ArrayLike<number>) : v.data, dims: v.dims, type: v.type }]));
  const before = Object.values(given).map((g) => Array.from(g.data as ArrayLike<unknown>, String));
  const ours = await model.run(given, options.outputs);
  model.dispose();
  // Inputs are held as given while the graph runs: no operator may write into them, and no output may share them.
  expect(Object.values(given).map((g) => Array.from(g.data as ArrayLike<unknown>, String)), 'the inputs after the run').toEqual(before);
  for (const [name, out] of Object.entries(ours)) {
    const data = (out as OnnxTensor).data;
    if (!ArrayBuffer.isView(data)) continue;
    for (const g of Object.values(given)) if (ArrayBuffer.isView(g.data)) expect(data.buffer === g.data.buffer, `output ${name} shares an input's array`).toBe(false);
  }
  for (const [name, ref] of Object.entries(reference)) {
    const got = ours[name] as OnnxTensor;
    expect(got, `output ${name}`).toBeInstanceOf(OnnxTensor);
    expect([...got.dims], `dims of ${name}`).toEqual([...ref.dims]);
    const type = ref.type === 'bool' ? 'bool' : ref.type;
    expect(got.type, `type of ${name}`).toBe(type);
    const a = Array.from(got.data as ArrayLike<number | bigint | string>), b = Array.from(ref.data);
    if (type === 'float32' || type === 'float64') {
      let worst = 0, at = -1;
      for (let k = 0; k < b.length; k++) {
        const x = a[k] as number, y = b[k] as number;
        if (Number.isNaN(y) && Number.isNaN(x)) continue;
        const err = Math.abs(x - y) / (tol + tol * Math.abs(y));
        if (!(err <= worst)) { worst = err; at = k; }
      }
      expect(worst, `${name}[${at}]: ${a[at]} vs onnxruntime ${b[at]}`).toBeLessThanOrEqual(1);
    } else {
      expect(a.map(String), `values of ${name}`).toEqual(b.map(String));
    }
  }
  return ours as Record<string, OnnxTensor>;
}
