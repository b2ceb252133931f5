// Yielding to the event loop inside a long computation (a fit's loop), so that timers, abort
// signals and page rendering run: setImmediate where there is one (Node, Deno), a MessageChannel
// message in browsers and workers (setTimeout(0) waits at least 1 to 4 ms), else setTimeout.

/** Resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: unknown };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A loop's yields at most every `ms` milliseconds: `await tick()` yields only when that long has passed. */
export function yieldEvery(ms: number): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < ms) return;
    await yieldToEventLoop();
    last = performance.now();
  };
}
