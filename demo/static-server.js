// The one static file server of the repository: the demo's (demo/server.js) and the browser
// tests'. It listens on 127.0.0.1 only, serves files under `root` (restricted to `served`
// prefixes when given) and in-memory `pages`, optionally with the COOP/COEP headers that make a
// page cross-origin isolated (so WebAssembly threads can share memory), and closes when asked.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css',
  '.wasm': 'application/wasm', '.gz': 'application/octet-stream', '.json': 'application/json',
};

/**
 * Starts the server; resolves to { url, close }.
 * @param {{ root: string, served?: string[], pages?: Record<string, string>, redirects?: Record<string, string>,
 *   isolated?: boolean, port?: number }} options
 */
export function serveStatic({ root, served, pages = {}, redirects = {}, isolated = true, port = 0 }) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const headers = isolated
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-cache' }
      : { 'Cache-Control': 'no-cache' };
    if (redirects[path] !== undefined) {
      response.writeHead(302, { ...headers, Location: redirects[path] }).end();
      return;
    }
    if (pages[path] !== undefined) {
      response.writeHead(200, { ...headers, 'Content-Type': TYPES['.html'] }).end(pages[path]);
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const allowed = served ? served.some((prefix) => file.startsWith(join(root, prefix))) : file.startsWith(root);
    if (!allowed) {
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
