// A Cloudflare-Workers-style worker for tests/runtimes/workerd.test.ts: the .wasm arrives as a
// module binding (workerd refuses to compile bytes at run time), handed to init({ module }).
import wasm from './simd.wasm';
import * as lib from './dist/edge.js';
import { smoke } from './smoke.js';
import { contract } from './contract.js';

let ready;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (url.pathname === '/smoke') return Response.json(await smoke(lib, { module: wasm }));
      if (url.pathname === '/contract') {
        ready ??= lib.init({ module: wasm });
        await ready;
        return Response.json({ info: lib.backendInfo(), contract: await contract(lib) });
      }
      ready ??= lib.init({ module: wasm });
      await ready;
      if (url.pathname === '/matmul' && request.method === 'POST') {
        let body;
        try {
          body = await request.json();
        } catch {
          return Response.json({ error: 'ValueError', message: 'the body must be JSON: { a, b, transposeA?, transposeB? }' }, { status: 400 });
        }
        const { a, b, ...options } = body ?? {};
        const product = lib.matMul(a, b, options);
        return Response.json({ shape: product.shape, data: Array.from(product.data), info: lib.backendInfo() });
      }
      return new Response('not found', { status: 404 });
    } catch (error) {
      const status = error instanceof lib.WasmlearnError ? 400 : 500;
      return Response.json({ error: error.name, message: error.message }, { status });
    }
  },
};
