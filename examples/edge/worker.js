// Edge inference: a Cloudflare-Workers-style worker that loads a saved wasmlearn model (shipped
// with the worker as a data module) and answers POST /predict with JSON.
//
//   GET /memory    the library's memory: { memoryBytes, arenaBytesInUse, arenaPeakBytes, maxMemory }
//   POST /predict  { "inputs": [[784 pixel values in 0…1], …] }  or  { "input": [784 values] }
//   → 200 { "predictions": [{ "label": 3, "probabilities": [10 values] }, …], "milliseconds": … }
//   → 400 { "error": "ValueError", "message": "…" } for a malformed body, never a crash
//   → 413 { "error": "PayloadTooLarge", "message": "…" } for a body over 8 MB, or a batch that
//     would take WebAssembly memory past its cap (an OutOfMemoryError), never a killed isolate
//
// The .wasm arrives as a module binding (workers may not compile bytes at run time) and the
// library runs on one thread, as it does in every edge runtime. An isolate of 128 MB (Cloudflare
// Workers, Vercel Edge) is ended, not given an error, when it outgrows its limit: the library's
// WebAssembly memory is capped at 64 MB (init's maxMemory) and bodies at 8 MB, which leaves the
// JavaScript heap room to parse the largest accepted body.
import wasm from './simd.wasm';
import modelBytes from './model.wasmlearn';
import { backendInfo, init, loadModel, OutOfMemoryError, WasmlearnError } from './dist/edge.js';
import { readBody } from './body.js';

const MAX_MEMORY = 64 * 2 ** 20;
const MAX_BODY = 8 * 2 ** 20;

let model;
const ready = () => (model ??= init({ module: wasm, maxMemory: MAX_MEMORY }).then(() => loadModel(new Uint8Array(modelBytes))));
const bad = (message) => Response.json({ error: 'ValueError', message }, { status: 400 });
const tooLarge = (message) => Response.json({ error: 'PayloadTooLarge', message }, { status: 413 });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    // The library's memory: WebAssembly memory, the arena's bytes in use and peak, the cap.
    if (url.pathname === '/memory') {
      await ready();
      const { memoryBytes, arenaBytesInUse, arenaPeakBytes, maxMemory } = backendInfo();
      return Response.json({ memoryBytes, arenaBytesInUse, arenaPeakBytes, maxMemory });
    }
    if (url.pathname !== '/predict') return Response.json({ error: 'NotFound', message: 'POST /predict { inputs: [[…784 values]] }' }, { status: 404 });
    if (request.method !== 'POST') return Response.json({ error: 'MethodNotAllowed', message: 'use POST' }, { status: 405 });
    const { text, refused } = await readBody(request, MAX_BODY);
    if (refused) return tooLarge(refused);
    let body;
    try {
      body = JSON.parse(text);
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
      if (error instanceof OutOfMemoryError) return tooLarge(error.message);
      if (error instanceof WasmlearnError) return Response.json({ error: error.name, message: error.message }, { status: 400 });
      return Response.json({ error: 'InternalError', message: String(error?.message ?? error) }, { status: 500 });
    }
  },
};

function invalid(x, features) {
  throw new WasmlearnError(`each image must be an array of ${features} numbers; received ${Array.isArray(x) ? `an array of ${x.length}` : typeof x}`);
}
