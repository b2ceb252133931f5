// The entry for edge runtimes (Cloudflare Workers / workerd and the like): the same API on one
// thread. Such runtimes refuse to compile WebAssembly from bytes at run time, so the .wasm is
// imported as a module by the worker's bundler and handed over:
//
//   import wasm from 'wasmlearn/wasm/simd.wasm';
//   import { init, matMul } from 'wasmlearn/edge';
//   await init({ module: wasm });
import { init as initCore, type BackendInfo } from './runtime/backend.js';
import { ValueError, describe } from './errors.js';

// Everything the main entry has, with this init in place of its own (a local export shadows the
// star export of the same name).
export * from './index.js';

export interface EdgeInitOptions {
  /** `simd.wasm` (or `relaxed-simd.wasm`) imported as a WebAssembly.Module, or its bytes where the runtime compiles them. */
  module: WebAssembly.Module | BufferSource;
  /**
   * The most bytes of WebAssembly memory to use (at least 1 MiB): past it a call throws an
   * OutOfMemoryError instead of the isolate being ended (e.g. 64 MB in a 128 MB isolate).
   */
  maxMemory?: number | null;
}

/** Instantiates the single-thread build from the module the runtime imported. Call once. */
export function init(options: EdgeInitOptions): Promise<BackendInfo> {
  if (options === null || typeof options !== 'object' || options.module === undefined) {
    throw new ValueError(
      `init: the edge entry needs { module }: import the .wasm as a module (import wasm from 'wasmlearn/wasm/simd.wasm') ` +
        `and pass it; received ${describe(options)}`,
    );
  }
  return initCore({ module: options.module, threads: false, ...(options.maxMemory !== undefined ? { maxMemory: options.maxMemory } : {}) });
}
