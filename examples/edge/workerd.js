// Runs a worker in Cloudflare's workerd (the npm package) on 127.0.0.1: the worker, the built
// edge entry (every dist chunk under its own name, so the bundle's relative imports resolve), the
// single-thread .wasm as a module, the edge examples' body reader (body.js) and any data files,
// written with a config to a temporary directory. Used by examples/edge/load-test.js and the
// runtime tests.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Whether any process (zombies included) is still in process group `pgid` (Linux's /proc; false elsewhere). */
function groupAlive(pgid) {
  let entries;
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return false;
  }
  return entries.some((pid) => {
    try {
      // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces, so read after its ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
    } catch {
      return false;
    }
  });
}

/** Resolves once process group `pgid` is empty, or after `ms`. */
async function groupGone(pgid, ms) {
  const until = Date.now() + ms;
  while (groupAlive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts workerd with `worker` (a file path) as worker.js, `modules` (paths) as more ES modules and
 * `data` files (paths) as data modules, each under its base name; `heapMb` caps V8's heap (the
 * JavaScript side of an isolate's memory limit). Resolves to { base, stop, log, rss } once the
 * socket answers a request for /health (within 60 s); rss() is the resident bytes of workerd's
 * processes (Linux), for load tests that watch memory.
 */
export async function startWorker(worker, { data = [], modules: more = [], port, heapMb } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-edge-'));
  mkdirSync(join(dir, 'dist'));
  const chunks = readdirSync(join(repo, 'dist')).filter((f) => f.endsWith('.js'));
  for (const f of chunks) copyFileSync(join(repo, 'dist', f), join(dir, 'dist', f));
  copyFileSync(join(repo, 'dist/wasm/simd.wasm'), join(dir, 'simd.wasm'));
  copyFileSync(worker, join(dir, 'worker.js'));
  copyFileSync(join(repo, 'examples/edge/body.js'), join(dir, 'body.js'));
  for (const file of [...data, ...more]) copyFileSync(file, join(dir, basename(file)));
  const listen = port ?? (await freePort());
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    '(name = "simd.wasm", wasm = embed "simd.wasm")',
    '(name = "body.js", esModule = embed "body.js")',
    ...more.map((file) => `(name = "${basename(file)}", esModule = embed "${basename(file)}")`),
    ...data.map((file) => `(name = "${basename(file)}", data = embed "${basename(file)}")`),
    ...chunks.map((f) => `(name = "dist/${f}", esModule = embed "dist/${f}")`),
  ];
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .mainWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${listen}", http = (), service = "main") ],${heapMb ? `
  v8Flags = [ "--max-old-space-size=${heapMb}" ],` : ''}
);
const mainWorker :Workerd.Worker = (
  modules = [ ${modules.join(',\n    ')} ],
  compatibilityDate = "2024-09-23",
);
`);
  // node_modules/.bin/workerd is a Node launcher that starts the workerd binary as its child:
  // killing the launcher alone would leave workerd running. It gets a process group of its own,
  // and stop ends the group (also when this process exits without calling stop).
  const child = spawn(join(repo, 'node_modules/.bin/workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  // Ends the group; the promise settles once no process of it is left, not even an unreaped one
  // (Linux: read from /proc; elsewhere at once), or after 10 s. Callers may ignore it.
  const stop = () => {
    process.off('exit', stop);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // the group is gone already
    }
    rmSync(dir, { recursive: true, force: true });
    return groupGone(child.pid, 10_000);
  };
  process.on('exit', stop);
  const base = `http://127.0.0.1:${listen}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${base}/health`); // any answer: the socket is up
      return { base, stop, log: () => log, rss: () => groupRss(child.pid) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`workerd did not answer within 60 s:\n${log}`);
}

/** Resident bytes of every process in process group `group` (from /proc; 0 where there is none). */
export function groupRss(group) {
  let total = 0;
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== group) continue;
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
