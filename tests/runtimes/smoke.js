// The same smoke test for every runtime (Node, Deno, Chromium, workerd): plain JavaScript that
// receives the library's module namespace, so each runtime imports it its own way.

/** FNV-1a over the bit patterns of a Float32Array: equal hashes mean equal bits. */
export function bitsHash(data) {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export async function smoke(lib, initOptions) {
  const started = Date.now();
  await lib.init(initOptions);
  // 150×130·130×170: large enough that a running pool splits it.
  const a = lib.randomUniform([150, 130], { low: -1, high: 1, seed: 1 });
  const b = lib.randomUniform([130, 170], { low: -1, high: 1, seed: 2 });
  const product = lib.matMul(a, b);
  const transposed = lib.matMul(b, a, { transposeA: true, transposeB: true });
  const small = lib.matMul([[1, 2], [3, 4]], [[5], [6]]).toArray();
  let error = null;
  try {
    lib.matMul([[1, 2]], [[1, 2]]);
  } catch (e) {
    error = { name: e.name, wasmlearn: e instanceof lib.WasmlearnError, message: e.message };
  }
  return {
    info: lib.backendInfo(),
    small,
    randomHash: bitsHash(a.data),
    productHash: bitsHash(product.data),
    transposedHash: bitsHash(transposed.data),
    error,
    milliseconds: Date.now() - started,
  };
}
