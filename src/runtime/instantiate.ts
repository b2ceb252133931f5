// Instantiating the WebAssembly core: its one import besides the memory is AssemblyScript's abort,
// which reports a failed assertion in a kernel. (@assemblyscript/loader would also wrap every one
// of the ~200 exports in a closure, 2–4 ms of a cold start, for calls the backend makes on the raw
// exports anyway.)

/** The imports of a build: the shared memory (threads build) and an abort that throws its message. */
function importsFor(memory: WebAssembly.Memory | undefined, instance: () => WebAssembly.Instance | undefined): WebAssembly.Imports {
  const abort = (message: number, file: number, line: number, column: number): never => {
    const mem = memory ?? (instance()?.exports.memory as WebAssembly.Memory | undefined);
    const text = (ptr: number) => (mem ? readString(mem.buffer, ptr) : '<unknown>');
    throw new Error(`abort: ${text(message)} at ${text(file)}:${line}:${column}`);
  };
  return { env: memory ? { memory, abort } : { abort } };
}

/** An AssemblyScript string: UTF-16 code units after its header, whose last word is its size in bytes. */
function readString(buffer: ArrayBufferLike, ptr: number): string {
  if (ptr === 0) return 'null';
  const units = new Uint32Array(buffer, ptr - 4, 1)[0] >>> 1;
  const codes = new Uint16Array(buffer, ptr, units);
  let out = '';
  // In parts: a spread of many arguments overflows the stack.
  for (let i = 0; i < units; i += 1024) out += String.fromCharCode(...codes.subarray(i, Math.min(units, i + 1024)));
  return out;
}

/** The module instantiated on `memory` (the threads build) or its own (simd). */
export function instantiateCore(module: WebAssembly.Module, memory: WebAssembly.Memory | undefined): WebAssembly.Instance {
  let instance: WebAssembly.Instance | undefined;
  instance = new WebAssembly.Instance(module, importsFor(memory, () => instance));
  return instance;
}

/** instantiateCore without blocking the thread (a page's main thread refuses large synchronous instantiations). */
export async function instantiateCoreAsync(module: WebAssembly.Module, memory: WebAssembly.Memory | undefined): Promise<WebAssembly.Instance> {
  let instance: WebAssembly.Instance | undefined;
  instance = await WebAssembly.instantiate(module, importsFor(memory, () => instance));
  return instance;
}
