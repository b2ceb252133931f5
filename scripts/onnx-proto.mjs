// Generates, from src/onnx/onnx.proto with protobufjs' own generator, static code on
// protobufjs/minimal, so reading an ONNX file needs no code generation at run time (edge runtimes
// refuse `new Function`): src/onnx/onnx-proto.js (+ .d.ts), the decoder wasmlearn/onnx ships, and
// src/onnx/onnx-proto-full.js (+ .d.ts), which also encodes, for the tests and benchmarks that
// write ONNX files (the library never imports it: encoders would be a third of the decoder's size
// to read and compile on every cold start). Called by scripts/build.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;
const proto = new URL('src/onnx/onnx.proto', root).pathname;
const outputs = [
  { name: 'onnx-proto', options: ['--no-encode', '--no-typeurl'] },
  // A root of its own: both modules register their types under protobufjs' roots by name.
  { name: 'onnx-proto-full', options: ['--root', 'onnx-full'] },
].map((o) => ({ ...o, js: new URL(`src/onnx/${o.name}.js`, root).pathname, dts: new URL(`src/onnx/${o.name}.d.ts`, root).pathname }));

const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= statSync(proto).mtimeMs;
if (process.argv.includes('--force') || !outputs.every((o) => fresh(o.js) && fresh(o.dts))) {
  const scratch = mkdtempSync(join(tmpdir(), 'onnx-proto-'));
  try {
    for (const o of outputs) {
      const pbjs = (out, comments) => execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--no-create', '--no-verify', '--no-convert',
        '--no-delimited', '--no-service', '--no-beautify', ...o.options, ...(comments ? [] : ['--no-comments']), '-o', out, proto], { cwd: root, stdio: 'inherit' });
      // The types come from the generator's JSDoc (pbts reads it); the module ships without it.
      const documented = join(scratch, `${o.name}.js`);
      pbjs(documented, true);
      execFileSync(bin('pbts'), ['-o', o.dts, documented], { cwd: root, stdio: 'inherit' });
      pbjs(o.js, false);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
