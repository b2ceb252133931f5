// Deno's side of the ONNX check: reads the files named on the command line (name=path), runs them
// with wasmlearn/onnx on the threads asked for, and prints the outputs' bits as JSON. `how` is
// 'bytes' (read here, loadOnnx given the bytes) or 'path' (loadOnnx reads the file itself).
import * as lib from '../../dist/onnx.js';
import { onnxCheck } from './onnx-check.js';

const [threads, how, ...pairs] = Deno.args;
await lib.init({ threads: threads === 'false' ? false : Number(threads) });
const files = Object.fromEntries(pairs.map((p) => {
  const [name, path] = p.split('=');
  return [name, how === 'path' ? path : Deno.readFileSync(path)];
}));
console.log(JSON.stringify({ info: lib.backendInfo(), outputs: await onnxCheck(lib, files) }));
await lib.shutdown();
