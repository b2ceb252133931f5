// `npm run build`: the WebAssembly builds from assembly/ (asc: simd, threads and their
// relaxed-SIMD twins), a type check, and the
// bundles and declarations in dist/ (rollup). Spawns the tools directly: no nested npm.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { minifySync } from 'rolldown/utils';

const root = new URL('..', import.meta.url);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;
const run = (name, args) => execFileSync(bin(name), args, { cwd: root, stdio: 'inherit' });

rmSync(new URL('dist', root), { recursive: true, force: true });
execFileSync(process.execPath, ['scripts/bindings.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/onnx-proto.mjs', '--force'], { cwd: root, stdio: 'inherit' });
for (const target of ['simd', 'threads', 'relaxed-simd', 'relaxed-threads']) run('asc', ['--config', 'asconfig.json', '--target', target]);
run('tsc', ['-p', 'tsconfig.json', '--noEmit']);
run('rollup', ['-c', 'rollup.config.js', '--silent']);
minifyDist();
console.error('build: dist/ is up to date');

/**
 * Minifies dist/'s JavaScript in place. A cold start pays to read, decode and parse every byte it
 * imports (wasmlearn/onnx: 548 kB of commented source before, against an empty module's 7 ms),
 * and comments and whitespace are most of it. Function and class names are kept: errors name
 * themselves by their class (`new.target.name`), and stack traces stay readable. Non-ASCII
 * characters (≥, × in messages) are escaped: one of them makes a module's whole source a two-byte
 * string for the engine to decode and scan (~2 ms of wasmlearn/onnx's import here).
 */
function minifyDist() {
  const dir = new URL('dist/', root);
  const keep = { function: true, class: true };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const path = new URL(file, dir);
    const { code, errors } = minifySync(file, readFileSync(path, 'utf8'), { module: true, compress: { keepNames: keep }, mangle: { keepNames: keep }, codegen: { asciiOnly: true } });
    if (errors.length > 0) throw new Error(`build: minifying dist/${file} failed: ${errors.map((e) => e.message).join('; ')}`);
    writeFileSync(path, code);
  }
}
