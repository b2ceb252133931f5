// What a fitted estimator keeps alive (issue 21: `memoryBytes`, so that a server can tell what a
// model costs beside init({ maxMemory })). A walk over the fitted state: typed arrays and
// ArrayBuffers count their bytes (each buffer once, however many views share it), numbers 8 bytes,
// strings 2 per character, arrays and plain objects their contents; a nested model or estimator
// counts its own memoryBytes.

/** The bytes `value` keeps alive, each buffer and object counted once. */
export function residentBytes(value: unknown, seen: Set<unknown> = new Set()): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'string':
      return 2 * value.length;
    case 'object':
      break;
    default:
      return 0;
  }
  if (ArrayBuffer.isView(value)) {
    if (seen.has(value.buffer)) return 0;
    seen.add(value.buffer);
    return value.buffer.byteLength;
  }
  if (value instanceof ArrayBuffer) {
    if (seen.has(value)) return 0;
    seen.add(value);
    return value.byteLength;
  }
  if (seen.has(value)) return 0;
  seen.add(value);
  const owned = (value as { memoryBytes?: unknown }).memoryBytes;
  if (typeof owned === 'number') return owned;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + residentBytes(v, seen), 0);
  if (value instanceof Map) {
    let sum = 0;
    for (const [k, v] of value) sum += residentBytes(k, seen) + residentBytes(v, seen);
    return sum;
  }
  if (value instanceof Set) {
    let sum = 0;
    for (const v of value) sum += residentBytes(v, seen);
    return sum;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return 0; // an object of another kind (a backend, a function's closure): not the model's
  let sum = 0;
  for (const v of Object.values(value)) sum += residentBytes(v, seen);
  return sum;
}
