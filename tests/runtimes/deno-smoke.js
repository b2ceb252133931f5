// Run by tests/runtimes/deno.test.ts: npx deno run --allow-read tests/runtimes/deno-smoke.js THREADS [relaxed | contract]
import * as lib from '../../dist/index.js';
import { smoke } from './smoke.js';
import { contract } from '../conformance/contract.js';

const threads = Deno.args[0] === 'false' ? false : Number(Deno.args[0]);
if (Deno.args[1] === 'contract') {
  await lib.init({ threads });
  console.log(JSON.stringify({ info: lib.backendInfo(), contract: await contract(lib) }));
} else {
  const relaxedSimd = Deno.args[1] === 'relaxed';
  console.log(JSON.stringify(await smoke(lib, { threads, relaxedSimd })));
}
