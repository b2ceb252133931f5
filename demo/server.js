// The demo's dev server: serves the repository's demo/, dist/ and data/ on 127.0.0.1 with the
// COOP/COEP headers that make the page cross-origin isolated (so WebAssembly threads can share
// memory). `npm run demo` starts it; --port P (default 8080), --seconds S stops it after S seconds.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.wasm': 'application/wasm', '.gz': 'application/octet-stream', '.json': 'application/json' };
const SERVED = ['/demo/', '/dist/', '/data/fashion-mnist/'];

/** Starts the server; resolves to { url, close }. */
export function startDemoServer({ port = 0 } = {}) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-cache' };
    if (path === '/' || path === '/index.html') {
      response.writeHead(302, { ...headers, Location: '/demo/' }).end();
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!SERVED.some((prefix) => file.startsWith(join(root, prefix)))) {
      response.writeHead(404, headers).end('not found');
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, headers).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    resolve({ url, close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }) });
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
  const { url, close } = await startDemoServer({ port: option('port', 8080) });
  console.log(`wasmlearn demo: ${url}/demo/ (cross-origin isolated: threads on). Ctrl-C stops it.`);
  const seconds = option('seconds', 0);
  if (seconds > 0) setTimeout(() => close().then(() => process.exit(0)), seconds * 1000);
}
