// Reading a request body in an edge worker with a size cap (the edge examples' POST bodies).

/**
 * Reads and drops the rest of a refused body, up to `limit` bytes in all: a client still
 * sending when the 413 comes back would otherwise see the connection close under it (EPIPE)
 * instead of the answer. Past the limit the stream is cancelled.
 */
async function drain(reader, size, limit) {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
    if (size > limit) return reader.cancel();
  }
}

/**
 * The body as text, refused past maxBody bytes whether or not a Content-Length says so. A refused
 * body is drained up to eight times maxBody, so the client reads the refusal.
 */
export async function readBody(request, maxBody) {
  const drainLimit = 8 * maxBody;
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBody) {
    if (request.body && declared <= drainLimit) await drain(request.body.getReader(), 0, drainLimit);
    return { refused: `the body is ${declared} bytes; at most ${maxBody} (${maxBody / 2 ** 20} MB) are accepted` };
  }
  if (!request.body) return { text: '' };
  const reader = request.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBody) {
      await drain(reader, size, drainLimit);
      return { refused: `the body is over ${maxBody} bytes (${maxBody / 2 ** 20} MB), the most accepted` };
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { text: new TextDecoder().decode(bytes) };
}
