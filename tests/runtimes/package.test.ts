// The package as users get it: npm pack, install the tarball into a fresh project, import it
// from Node and from Deno, and type-check a TypeScript user of it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules/.bin', name);
// The system npm: a dev dependency (via as-pect) links an old npm 6 into node_modules/.bin.
const npmEnv = { ...process.env, PATH: (process.env.PATH ?? '').split(':').filter((p) => !p.includes('node_modules')).join(':') };

describe('the packed package', () => {
  let dir: string;
  let tarball: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wasmlearn-pack-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8', env: npmEnv }));
    tarball = join(dir, packed[0].filename);
    const project = join(dir, 'user');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: project, encoding: 'utf8', env: npmEnv });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the .wasm builds (each ≤ 1 MB), the bundles and the types, and nothing else', () => {
    const installed = join(dir, 'user/node_modules/wasmlearn');
    const files = readdirSync(join(installed, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'edge.js', 'edge.d.ts', 'worker.js', 'wasm']));
    for (const build of ['simd', 'threads', 'relaxed-simd', 'relaxed-threads']) {
      expect(statSync(join(installed, 'dist/wasm', `${build}.wasm`)).size).toBeLessThanOrEqual(1024 * 1024);
    }
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
    expect(statSync(tarball).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('imports from Node by package name, with threads, and through the ./edge entry', () => {
    const script = `
      import { matMul, init, backendInfo, ShapeError } from 'wasmlearn';
      import * as edge from 'wasmlearn/edge';
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      await init({ threads: 2 });
      const product = matMul([[1, 2], [3, 4]], [[5], [6]]).toArray();
      const wasmPath = createRequire(import.meta.url).resolve('wasmlearn/wasm/simd.wasm');
      let edgeError;
      try { await edge.init({}); } catch (e) { edgeError = e.name; }
      console.log(JSON.stringify({ product, info: backendInfo(), wasm: readFileSync(wasmPath).length > 0, edgeError,
        shapeError: (() => { try { matMul([[1]], [[1, 2], [3, 4]]); } catch (e) { return e instanceof ShapeError; } })() }));`;
    writeFileSync(join(dir, 'user/node-check.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['node-check.mjs'], { cwd: join(dir, 'user'), encoding: 'utf8' }));
    expect(out).toMatchObject({ product: [[17], [39]], info: { runtime: 'node', build: 'threads', threads: 2 }, wasm: true, edgeError: 'ValueError', shapeError: true });
  });

  it('imports from Deno by package name (node_modules resolution)', () => {
    writeFileSync(join(dir, 'user/deno-check.js'), `
      import { matMul, backendInfo } from 'wasmlearn';
      console.log(JSON.stringify({ product: matMul([[1, 2], [3, 4]], [[5], [6]]).toArray(), runtime: backendInfo().runtime }));`);
    const out = execFileSync(bin('deno'), ['run', '--allow-read', 'deno-check.js'], {
      cwd: join(dir, 'user'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ product: [[17], [39]], runtime: 'deno' });
  });

  it('type-checks a TypeScript user against the shipped declarations', () => {
    const user = join(dir, 'user');
    writeFileSync(join(user, 'check.ts'), `
      import { matMul, Tensor, init, type MatMulOptions } from 'wasmlearn';
      import { init as edgeInit } from 'wasmlearn/edge';
      import { SVC, type SVCOptions } from 'wasmlearn/svm';
      import { Sequential, layers } from 'wasmlearn/nn';
      import { loadOnnx, type OnnxTensor } from 'wasmlearn/onnx';
      // toModel gives nn's own Sequential; outputs are OnnxTensors or ZipMap's lists.
      void loadOnnx(new Uint8Array(1)).then(async (m) => { const s: Sequential = await m.toModel(); const t = (await m.run({})).y as OnnxTensor; void s; void t.dims; });
      const svcOptions: SVCOptions = { kernel: 'rbf', C: 2 };
      void new SVC(svcOptions); void new Sequential([layers.dense({ units: 1, inputShape: [2] })]);
      // @ts-expect-error: kernel names are checked
      void new SVC({ kernel: 'sigmoidal' });
      const options: MatMulOptions = { transposeA: true };
      const t: Tensor = matMul([[1]], [[2]], options);
      const shape: readonly number[] = t.shape;
      void init({ threads: 2 }); void edgeInit; void shape;
      // @ts-expect-error: transposeA is a boolean
      matMul([[1]], [[2]], { transposeA: 'yes' });
    `);
    writeFileSync(join(user, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, lib: ['ES2022', 'DOM'], types: [] },
      files: ['check.ts'],
    }));
    execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: user, encoding: 'utf8' });
  });
});
