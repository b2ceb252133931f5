// Edge inference of an ONNX model: a Cloudflare-Workers-style worker that serves a model trained
// elsewhere (PyTorch, scikit-learn, Keras) and exported to ONNX, shipped with the worker as a data
// module (model.onnx), on wasmlearn/onnx — a few hundred kB where onnxruntime-web's wasm alone
// is over 10 MB.
//
//   GET /model     the model's inputs and outputs: names, types, dims
//   POST /predict  { "inputs": [row, …] } (rows of the model's first input, nested as its dims say)
//                  or { "feeds": { name: { "data": [...], "dims": [...] }, … } } for several inputs
//   → 200 { "outputs": { name: { "type", "dims", "data" } | [{ label: probability }, …] }, "milliseconds" }
//   → 400 { "error", "message" } for a malformed body or a tensor the model refuses, never a crash
//   → 413 for a body over 8 MB or a batch past the 64 MB memory cap
//
// The .wasm arrives as a module binding and the library runs on one thread, as in every edge runtime.
import wasm from './simd.wasm';
import modelBytes from './model.onnx';
import { init, loadOnnx, OutOfMemoryError, WasmlearnError } from './dist/onnx.js';
import { readBody } from './body.js';

const MAX_MEMORY = 64 * 2 ** 20;
const MAX_BODY = 8 * 2 ** 20;

let model;
const ready = () => (model ??= init({ module: wasm, threads: false, maxMemory: MAX_MEMORY }).then(() => loadOnnx(new Uint8Array(modelBytes))));
const reply = (status, error, message) => Response.json({ error, message }, { status });

/** JSON for an output: 64-bit integers as numbers, typed arrays as arrays. */
function plain(output) {
  if (Array.isArray(output)) return output;
  return { type: output.type, dims: output.dims, data: Array.from(output.data, (v) => (typeof v === 'bigint' ? Number(v) : v)) };
}

/** The feeds of a request: rows of the first input, or every input by name. */
function feedsOf(body, net) {
  if (body && typeof body.feeds === 'object' && body.feeds !== null) return body.feeds;
  if (!Array.isArray(body?.inputs) || body.inputs.length === 0) throw new WasmlearnError('the body needs "inputs" (an array of rows) or "feeds" (tensors by input name)');
  if (body.inputs.length > 1000) throw new WasmlearnError(`at most 1000 rows a request; received ${body.inputs.length}`);
  if (net.inputNames.length !== 1) throw new WasmlearnError(`the model has ${net.inputNames.length} inputs (${net.inputNames.join(', ')}): send "feeds"`);
  // Nested arrays are read as the input's type; their shape is checked against the model's dims.
  return { [net.inputNames[0]]: body.inputs };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    if (url.pathname === '/model') {
      const net = await ready();
      return Response.json({ inputs: net.inputs, outputs: net.outputs, producer: net.producer });
    }
    if (url.pathname !== '/predict') return reply(404, 'NotFound', 'POST /predict { inputs: [rows] }, GET /model');
    if (request.method !== 'POST') return reply(405, 'MethodNotAllowed', 'use POST');
    const { text, refused } = await readBody(request, MAX_BODY);
    if (refused) return reply(413, 'PayloadTooLarge', refused);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return reply(400, 'ValueError', 'the body must be JSON: { "inputs": [rows] } or { "feeds": { name: { data, dims } } }');
    }
    try {
      const net = await ready();
      const feeds = feedsOf(body, net);
      const t0 = performance.now();
      const outputs = await net.run(feeds);
      const json = Object.fromEntries(Object.entries(outputs).map(([name, v]) => [name, plain(v)]));
      return Response.json({ outputs: json, milliseconds: performance.now() - t0 });
    } catch (error) {
      if (error instanceof OutOfMemoryError) return reply(413, 'PayloadTooLarge', error.message);
      if (error instanceof WasmlearnError) return reply(400, error.name, error.message);
      return reply(500, 'InternalError', String(error?.message ?? error));
    }
  },
};
