// scikit-learn models as ONNX files in skl2onnx's layout (tests/fixtures/onnx, written by
// scripts/fixtures/onnx_sklearn.py): a Scaler → SVMClassifier → ZipMap pipeline, a polynomial SVC,
// a random forest, gradient boosting, logistic regression and four regressors. wasmlearn must give
// onnxruntime-node's labels and probabilities (1e-5), and scikit-learn's own within float32 precision.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOnnx, OnnxTensor } from '../dist/onnx.js';
import { runOrt } from './onnx-builder.js';

interface Case {
  name: string;
  file: string;
  X: number[][];
  labels?: number[];
  probabilities?: number[][];
  predictions?: number[];
}

const fixture = JSON.parse(readFileSync(new URL('fixtures/onnx_sklearn.json', import.meta.url), 'utf8')) as { cases: Case[] };
const bytesOf = (c: Case) => new Uint8Array(readFileSync(new URL(`fixtures/${c.file}`, import.meta.url)));

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    expect(Math.abs(actual[k] - expected[k]), `${what}[${k}]: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[k])));
  }
}

describe('scikit-learn models as ONNX files (skl2onnx layout) against onnxruntime and scikit-learn', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const bytes = bytesOf(c);
      const rows = c.X.length, cols = c.X[0].length;
      const x = Float32Array.from(c.X.flat());
      const model = await loadOnnx(bytes);
      expect(model.inputNames).toEqual(['X']);
      const ours = await model.run({ X: { data: x, dims: [rows, cols] } });
      if (c.labels) {
        const ref = await runOrt(bytes, { X: { type: 'float32', data: x, dims: [rows, cols] } }, ['label', 'probabilities']);
        const label = ours.label as OnnxTensor, probabilities = ours.probabilities as OnnxTensor;
        expect(label.type).toBe('int64');
        expect(Array.from(label.data as BigInt64Array, Number)).toEqual(Array.from(ref.label.data as BigInt64Array, Number));
        expect([...probabilities.dims]).toEqual([...ref.probabilities.dims]);
        // SVC probabilities come out of libsvm's coupling iteration, which stops once its error is
        // below 0.005/k: rounding in the kernel values (float32 in onnxruntime, f64 from float32 dot
        // products here) can end it an iteration earlier or later. With the polynomial kernel that
        // moves them by up to 3e-4 (onnxruntime itself is 1.4e-4 from scikit-learn's f64 libsvm).
        const tol = c.name.includes('svc') ? 5e-4 : 1e-5;
        close(probabilities.data as Float32Array, ref.probabilities.data as Float32Array, tol, `${c.name} probabilities vs onnxruntime`);
        // scikit-learn computes in f64 from the f64 model; the file holds f32 weights.
        expect(Array.from(label.data as BigInt64Array, Number)).toEqual(c.labels);
        close(probabilities.data as Float32Array, c.probabilities!.flat(), c.name.includes('svc') ? 5e-4 : 2e-4, `${c.name} probabilities vs scikit-learn`);
        // ZipMap: one { label: probability } object per row, the same values.
        const maps = ours.output_probability as Record<string, number>[];
        expect(maps).toHaveLength(rows);
        expect(Object.keys(maps[0])).toEqual(['0', '1', '2']);
        expect(maps.flatMap((m) => Object.values(m))).toEqual(Array.from(probabilities.data as Float32Array));
        const predicted = await model.predict({ data: x, dims: [rows, cols] }) as OnnxTensor;
        expect(Array.from(predicted.data as BigInt64Array, Number)).toEqual(c.labels);
      } else {
        const ref = await runOrt(bytes, { X: { type: 'float32', data: x, dims: [rows, cols] } });
        const variable = ours.variable as OnnxTensor;
        expect([...variable.dims]).toEqual([rows, 1]);
        close(variable.data as Float32Array, ref.variable.data as Float32Array, 1e-5, `${c.name} vs onnxruntime`);
        close(variable.data as Float32Array, c.predictions!, 1e-5, `${c.name} vs scikit-learn`);
      }
      model.dispose();
    });
  }
});
