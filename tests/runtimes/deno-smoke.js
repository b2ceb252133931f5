// Run by tests/runtimes/deno.test.ts: npx deno run --allow-read tests/runtimes/deno-smoke.js THREADS [relaxed]
import * as lib from '../../dist/index.js';
import { smoke } from './smoke.js';

const threads = Deno.args[0] === 'false' ? false : Number(Deno.args[0]);
const relaxedSimd = Deno.args[1] === 'relaxed';
console.log(JSON.stringify(await smoke(lib, { threads, relaxedSimd })));
