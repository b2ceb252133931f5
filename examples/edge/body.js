// Reading a request body in an edge worker with a size cap (the edge examples' POST bodies).

/**
 * The body as text, or why it is refused: past maxBody bytes, whether a Content-Length says so or
 * the bytes do. A refused body is still read to its end and dropped, up to eight times maxBody
 * (then the stream is cancelled): a client still sending when the 413 comes back would otherwise
 * see the connection close under it (EPIPE) instead of the answer.
 */
export async function readBody(request, maxBody) {
  const drainLimit = 8 * maxBody;
  const declared = Number(request.headers.get('content-length'));
  const parts = [];
  let size = 0;
  if (request.body && !(declared > drainLimit)) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > drainLimit) {
        await reader.cancel();
        break;
      }
      if (size <= maxBody) parts.push(value);
    }
  }
  if (declared > maxBody) return { refused: `the body is ${declared} bytes; at most ${maxBody} (${maxBody / 2 ** 20} MB) are accepted` };
  if (size > maxBody) return { refused: `the body is over ${maxBody} bytes (${maxBody / 2 ** 20} MB), the most accepted` };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { text: new TextDecoder().decode(bytes) };
}
