// `npm run build`: the WebAssembly builds from assembly/ (asc: simd, threads and their
// relaxed-SIMD twins), a type check, and the
// bundles and declarations in dist/ (rollup). Spawns the tools directly: no nested npm.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;
const run = (name, args) => execFileSync(bin(name), args, { cwd: root, stdio: 'inherit' });

rmSync(new URL('dist', root), { recursive: true, force: true });
execFileSync(process.execPath, ['scripts/bindings.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/onnx-proto.mjs', '--force'], { cwd: root, stdio: 'inherit' });
for (const target of ['simd', 'threads', 'relaxed-simd', 'relaxed-threads']) run('asc', ['--config', 'asconfig.json', '--target', target]);
run('tsc', ['-p', 'tsconfig.json', '--noEmit']);
run('rollup', ['-c', 'rollup.config.js', '--silent']);
console.error('build: dist/ is up to date');
