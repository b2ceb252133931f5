// The same ONNX runs in every runtime: plain JavaScript that receives wasmlearn/onnx's module
// namespace and the files' bytes (or paths), and returns each output as bits (a hash of float32 data, the
// values of integer data), so runtimes compare bit for bit with Node.
import { bitsHash } from './smoke.js';

/** The inputs of each file of the ONNX check, from its name. */
export const ONNX_FEEDS = {
  cnn: { input: { data: Float32Array.from({ length: 2 * 2 * 8 * 8 }, (_, i) => Math.cos(i)), dims: [2, 2, 8, 8] } },
  pipeline_scaler_svc: { X: { data: Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3, 5.9, 3.0, 4.2, 1.5]), dims: [3, 4] } },
  gradient_boosting: { X: { data: Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3, 5.9, 3.0, 4.2, 1.5]), dims: [3, 4] } },
  svr_rbf: { X: { data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(i) / 10), dims: [3, 10] } },
};

export async function onnxCheck(lib, files) {
  const out = {};
  for (const [name, source] of Object.entries(files)) {
    const model = await lib.loadOnnx(source);
    const result = await model.run(ONNX_FEEDS[name]);
    out[name] = Object.fromEntries(Object.entries(result).map(([k, v]) => [k,
      Array.isArray(v) ? JSON.stringify(v) : v.data instanceof Float32Array ? bitsHash(v.data) : Array.from(v.data, String).join(',')]));
    model.dispose();
  }
  return out;
}
