// Run by tests/relaxed.test.ts in a Node started with --experimental-wasm-relaxed-simd (Node 20
// has relaxed SIMD behind that flag): the relaxed build's results for several thread counts.
import * as lib from '../dist/index.js';
import { bitsHash, smoke } from './runtimes/smoke.js';

const out = { smoke: {}, hashes: {}, info: {} };
for (const threads of [1, 2, 4]) {
  out.smoke[threads] = await smoke(lib, { relaxedSimd: true, threads });
  const a = lib.randomUniform([300, 257], { low: -1, high: 1, seed: 5 });
  const b = lib.randomUniform([257, 190], { low: -1, high: 1, seed: 6 });
  out.hashes[threads] = bitsHash(lib.matMul(a, b).data);
  out.info[threads] = lib.backendInfo();
}
// The same product from the standard build (the arena is empty, so the build may change).
await lib.init({ relaxedSimd: false, threads: 1 });
const a = lib.randomUniform([300, 257], { low: -1, high: 1, seed: 5 });
const b = lib.randomUniform([257, 190], { low: -1, high: 1, seed: 6 });
out.standard = { info: lib.backendInfo(), hash: bitsHash(lib.matMul(a, b).data) };
await lib.init({ relaxedSimd: true, threads: 1 });
out.relaxedProduct = Array.from(lib.matMul(a, b).data.slice(0, 2000));
out.a = Array.from(a.data);
out.b = Array.from(b.data);
console.log(JSON.stringify(out));
