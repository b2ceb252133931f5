import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsNode, nodeReference, type SmokeResult } from './expected.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const workerd = join(repo, 'node_modules/.bin/workerd');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The worker and the built edge entry as workerd modules: every dist/*.js is listed under its
// own name so that the bundle's relative imports resolve.
function writeConfig(dir: string, port: number): string {
  mkdirSync(join(dir, 'dist'));
  const chunks = readdirSync(join(repo, 'dist')).filter((f) => f.endsWith('.js'));
  for (const f of chunks) copyFileSync(join(repo, 'dist', f), join(dir, 'dist', f));
  copyFileSync(join(repo, 'dist/wasm/simd.wasm'), join(dir, 'simd.wasm'));
  copyFileSync(join(repo, 'tests/runtimes/workerd-worker.js'), join(dir, 'worker.js'));
  copyFileSync(join(repo, 'tests/runtimes/smoke.js'), join(dir, 'smoke.js'));
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    '(name = "smoke.js", esModule = embed "smoke.js")',
    '(name = "simd.wasm", wasm = embed "simd.wasm")',
    ...chunks.map((f) => `(name = "dist/${f}", esModule = embed "dist/${f}")`),
  ];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .mainWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const mainWorker :Workerd.Worker = (
  modules = [ ${modules.join(',\n    ')} ],
  compatibilityDate = "2024-09-23",
);
`;
  const file = join(dir, 'config.capnp');
  writeFileSync(file, config);
  return file;
}

describe('Cloudflare workerd (edge entry, .wasm imported as a module)', () => {
  let dir: string;
  let child: ChildProcess;
  let base: string;
  let log = '';
  let reference: SmokeResult;

  beforeAll(async () => {
    reference = await nodeReference();
    dir = mkdtempSync(join(tmpdir(), 'wasmlearn-workerd-'));
    const port = await freePort();
    const config = writeConfig(dir, port);
    child = spawn(workerd, ['serve', config, '--verbose'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    base = `http://127.0.0.1:${port}`;
    // Bounded wait for the socket: 240 tries, 250 ms apart.
    for (let i = 0; i < 240; i++) {
      if (child.exitCode !== null) throw new Error(`workerd exited: ${log}`);
      try {
        await fetch(`${base}/health`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error(`workerd did not start within 60 s: ${log}`);
  });

  afterAll(() => {
    child?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the smoke test on one thread and matches Node bit for bit', async () => {
    const response = await fetch(`${base}/smoke`);
    const text = await response.text();
    expect(response.status, `${text}\n${log}`).toBe(200);
    const result = JSON.parse(text) as SmokeResult;
    expect(result.info).toMatchObject({ runtime: 'workerd', build: 'simd', threads: 1 });
    expectSameAsNode(result, reference, expect);
  });

  it('answers a matMul over HTTP', async () => {
    const response = await fetch(`${base}/matmul`, {
      method: 'POST',
      body: JSON.stringify({ a: [[1, 2, 3], [4, 5, 6]], b: [[1, 2], [3, 4], [5, 6]], transposeA: true, transposeB: true }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.shape).toEqual([3, 3]);
    // aᵀ·bᵀ = (b·a)ᵀ
    expect(body.data).toEqual([9, 19, 29, 12, 26, 40, 15, 33, 51]);
  });

  it('turns bad input into a 400 with the library\'s named error', async () => {
    const response = await fetch(`${base}/matmul`, { method: 'POST', body: JSON.stringify({ a: [[1, 2]], b: [[1, 2]] }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'ShapeError', message: expect.stringMatching(/inner sizes differ/) });
    const nan = await fetch(`${base}/matmul`, { method: 'POST', body: JSON.stringify({ a: [[1, 'x']], b: [[1], [2]] }) });
    expect(nan.status).toBe(400);
    expect((await nan.json()).message).toMatch(/a\[0\]\[1\] must be a number/);
  });
});
