// Generates src/onnx/onnx-proto.js (+ .d.ts) from src/onnx/onnx.proto with protobufjs' own
// generator: a static decoder and encoder on protobufjs/minimal, so reading an ONNX file needs no
// code generation at run time (edge runtimes refuse `new Function`). Called by scripts/build.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;
const proto = new URL('src/onnx/onnx.proto', root).pathname;
const js = new URL('src/onnx/onnx-proto.js', root).pathname;
const dts = new URL('src/onnx/onnx-proto.d.ts', root).pathname;

const fresh = existsSync(js) && existsSync(dts) && statSync(js).mtimeMs >= statSync(proto).mtimeMs;
if (!fresh || process.argv.includes('--force')) {
  execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--no-create', '--no-verify', '--no-convert', '--no-delimited',
    '--no-service', '--no-beautify', '--no-comments', '-o', js, proto], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('pbts'), ['-o', dts, js], { cwd: root, stdio: 'inherit' });
}
