// Edge inference: a Cloudflare-Workers-style worker that loads a saved wasmlearn model (shipped
// with the worker as a data module) and answers POST /predict with JSON.
//
//   POST /predict  { "inputs": [[784 pixel values in 0…1], …] }  or  { "input": [784 values] }
//   → 200 { "predictions": [{ "label": 3, "probabilities": [10 values] }, …], "milliseconds": … }
//   → 400 { "error": "ValueError", "message": "…" } for a malformed body, never a crash
//
// The .wasm arrives as a module binding (workers may not compile bytes at run time) and the
// library runs on one thread, as it does in every edge runtime.
import wasm from './simd.wasm';
import modelBytes from './model.wasmlearn';
import { init, loadModel, WasmlearnError } from './dist/edge.js';

let model;
const ready = () => (model ??= init({ module: wasm }).then(() => loadModel(new Uint8Array(modelBytes))));
const bad = (message) => Response.json({ error: 'ValueError', message }, { status: 400 });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    if (url.pathname !== '/predict') return Response.json({ error: 'NotFound', message: 'POST /predict { inputs: [[…784 values]] }' }, { status: 404 });
    if (request.method !== 'POST') return Response.json({ error: 'MethodNotAllowed', message: 'use POST' }, { status: 405 });
    let body;
    try {
      body = await request.json();
    } catch {
      return bad('the body must be JSON: { "inputs": [[784 values], …] } or { "input": [784 values] }');
    }
    const inputs = Array.isArray(body?.inputs) ? body.inputs : Array.isArray(body?.input) ? [body.input] : null;
    if (!inputs || inputs.length === 0) return bad('the body needs "inputs" (an array of images) or "input" (one image)');
    if (inputs.length > 1000) return bad(`at most 1000 images a request; received ${inputs.length}`);
    try {
      const net = await ready();
      const features = net.inputShape.reduce((a, b) => a * b, 1);
      const t0 = performance.now();
      const probabilities = net.predict(inputs.map((x) => (Array.isArray(x) && x.length === features ? x : invalid(x, features))));
      const classes = probabilities.shape[1];
      const predictions = inputs.map((_, i) => {
        const p = Array.from(probabilities.data.subarray(i * classes, (i + 1) * classes));
        return { label: p.indexOf(Math.max(...p)), probabilities: p };
      });
      probabilities.dispose?.();
      return Response.json({ predictions, milliseconds: performance.now() - t0 });
    } catch (error) {
      if (error instanceof WasmlearnError) return Response.json({ error: error.name, message: error.message }, { status: 400 });
      return Response.json({ error: 'InternalError', message: String(error?.message ?? error) }, { status: 500 });
    }
  },
};

function invalid(x, features) {
  throw new WasmlearnError(`each image must be an array of ${features} numbers; received ${Array.isArray(x) ? `an array of ${x.length}` : typeof x}`);
}
