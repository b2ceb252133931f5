// Generates src/onnx/onnx-proto.js (+ .d.ts) from src/onnx/onnx.proto with protobufjs' own
// generator: a static decoder and encoder on protobufjs/minimal, so reading an ONNX file needs no
// code generation at run time (edge runtimes refuse `new Function`). Called by scripts/build.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;
const proto = new URL('src/onnx/onnx.proto', root).pathname;
const js = new URL('src/onnx/onnx-proto.js', root).pathname;
const dts = new URL('src/onnx/onnx-proto.d.ts', root).pathname;

const fresh = existsSync(js) && existsSync(dts) && statSync(js).mtimeMs >= statSync(proto).mtimeMs;
if (!fresh || process.argv.includes('--force')) {
  const pbjs = (out, comments) => execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--no-create', '--no-verify', '--no-convert',
    '--no-delimited', '--no-service', '--no-beautify', ...(comments ? [] : ['--no-comments']), '-o', out, proto], { cwd: root, stdio: 'inherit' });
  // The types come from the generator's JSDoc (pbts reads it); the module ships without it.
  const documented = join(mkdtempSync(join(tmpdir(), 'onnx-proto-')), 'onnx-proto.js');
  pbjs(documented, true);
  execFileSync(bin('pbts'), ['-o', dts, documented], { cwd: root, stdio: 'inherit' });
  rmSync(dirname(documented), { recursive: true, force: true });
  pbjs(js, false);
}
