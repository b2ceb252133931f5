// The demo's dev server: serves the repository's demo/, dist/ and data/ (Fashion-MNIST, the sonnets) on 127.0.0.1 with the
// COOP/COEP headers that make the page cross-origin isolated (so WebAssembly threads can share
// memory). `npm run demo` starts it; --port P (default 8080), --seconds S stops it after S seconds.
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Starts the server; resolves to { url, close }. */
export function startDemoServer({ port = 0 } = {}) {
  return serveStatic({ root, served: ['/demo/', '/dist/', '/data/fashion-mnist/', '/data/sonnets/'], redirects: { '/': '/demo/', '/index.html': '/demo/' }, port });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
  const { url, close } = await startDemoServer({ port: option('port', 8080) });
  console.log(`wasmlearn demo: ${url}/demo/ (cross-origin isolated: threads on). Ctrl-C stops it.`);
  const seconds = option('seconds', 0);
  if (seconds > 0) setTimeout(() => close().then(() => process.exit(0)), seconds * 1000);
}
