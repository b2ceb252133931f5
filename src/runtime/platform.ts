// What the current JavaScript runtime is and how a .wasm file reaches it (DESIGN.md §4).
// No static import of a runtime's own modules: Node's come through process.getBuiltinModule,
// so this file bundles for browsers and edge runtimes unchanged.
import { RuntimeUnavailableError } from '../errors.js';

export type RuntimeName = 'node' | 'deno' | 'browser' | 'worker' | 'workerd' | 'unknown';
export type Build = 'simd' | 'threads';

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}
interface DenoGlobal {
  readFile(path: URL): Promise<Uint8Array<ArrayBuffer>>;
  readFileSync(path: URL): Uint8Array<ArrayBuffer>;
}

const g = globalThis as unknown as {
  process?: NodeProcess;
  Deno?: DenoGlobal;
  navigator?: { userAgent?: string; hardwareConcurrency?: number };
  document?: unknown;
  WorkerGlobalScope?: unknown;
  crossOriginIsolated?: boolean;
  Worker?: unknown;
};

export function runtimeName(): RuntimeName {
  if (g.Deno) return 'deno';
  if (g.process?.versions?.node) return 'node';
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (g.document !== undefined) return 'browser';
  if (g.WorkerGlobalScope !== undefined) return 'worker';
  return 'unknown';
}

/** A Node built-in module, or undefined outside Node (Node ≥ 20.16 has process.getBuiltinModule). */
export function nodeModule<T>(id: string): T {
  const get = g.process?.getBuiltinModule;
  if (!get) throw new RuntimeUnavailableError(`wasmlearn needs Node.js ≥ 20.16 (process.getBuiltinModule) to load ${id}`);
  return get(id) as T;
}

/** A build and whether it is the relaxed-SIMD twin (fused multiply-add in the GEMM). */
export interface Variant {
  build: Build;
  relaxed: boolean;
}

export function wasmUrl(variant: Variant): URL {
  return new URL(`./wasm/${variant.relaxed ? 'relaxed-' : ''}${variant.build}.wasm`, import.meta.url);
}

/** The smallest module that uses a relaxed-SIMD instruction (f32x4.relaxed_madd). */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 13, 1, 11,
  0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

/** Whether this runtime accepts relaxed SIMD (Node ≥ 22, Deno, Chromium; Node 20 only with a flag). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/**
 * Compiled builds, kept: a later init that switches back to a build reuses its module and the
 * optimised code V8 already made for it, instead of compiling and warming up again.
 */
const compiled = new Map<string, WebAssembly.Module>();

/** Compiles a build asynchronously (once), the way each runtime allows. */
export async function compileBuild(variant: Variant): Promise<WebAssembly.Module> {
  const key = wasmUrl(variant).href;
  let module = compiled.get(key);
  if (!module) {
    module = await compileBuildUncached(variant);
    compiled.set(key, module);
  }
  return module;
}

async function compileBuildUncached(variant: Variant): Promise<WebAssembly.Module> {
  const url = wasmUrl(variant);
  switch (runtimeName()) {
    case 'node': {
      // fetch(file:) fails in Node 20: read the file next to the module.
      const fs = nodeModule<{ readFile(p: URL): Promise<Uint8Array<ArrayBuffer>> }>('node:fs/promises');
      return WebAssembly.compile(await fs.readFile(url));
    }
    case 'deno':
      return WebAssembly.compile(await g.Deno!.readFile(url));
    case 'workerd':
      throw new RuntimeUnavailableError(
        'in Cloudflare Workers (workerd) code generation from bytes is disallowed: import the .wasm ' +
          "as a module (import wasm from 'wasmlearn/wasm/simd.wasm') and call await init({ module: wasm })",
      );
    default: {
      const response = await fetch(url);
      if (!response.ok) throw new RuntimeUnavailableError(`could not fetch ${url.href}: HTTP ${response.status}`);
      if (response.headers.get('content-type')?.startsWith('application/wasm')) {
        return WebAssembly.compileStreaming(response);
      }
      // Servers that send another content type: compile the bytes instead of failing.
      return WebAssembly.compile(await response.arrayBuffer());
    }
  }
}

/**
 * Compiles a build synchronously where the runtime can read files synchronously (Node, Deno),
 * so that synchronous functions such as matMul work without an explicit init.
 */
export function compileBuildSync(variant: Variant): WebAssembly.Module {
  const url = wasmUrl(variant);
  const cached = compiled.get(url.href);
  if (cached) return cached;
  let module: WebAssembly.Module;
  switch (runtimeName()) {
    case 'node': {
      const fs = nodeModule<{ readFileSync(p: URL): Uint8Array<ArrayBuffer> }>('node:fs');
      module = new WebAssembly.Module(fs.readFileSync(url));
      break;
    }
    case 'deno':
      module = new WebAssembly.Module(g.Deno!.readFileSync(url));
      break;
    default:
      throw new RuntimeUnavailableError(
        `wasmlearn is not initialised: in this runtime (${runtimeName()}) call \`await init()\` once before ` +
          'synchronous functions such as matMul (the .wasm can only be fetched asynchronously here)',
      );
  }
  compiled.set(url.href, module);
  return module;
}

/** Why threads cannot be used here, or undefined when they can. */
export function threadsUnavailableReason(): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined') {
    if (runtimeName() === 'browser' || runtimeName() === 'worker') {
      return 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
    }
    return 'SharedArrayBuffer is not available';
  }
  const runtime = runtimeName();
  if ((runtime === 'browser' || runtime === 'worker') && g.crossOriginIsolated === false) {
    return 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (runtime === 'workerd') return 'Cloudflare Workers have no Worker threads';
  if (runtime !== 'node' && typeof g.Worker !== 'function') return 'this runtime has no Worker';
  return undefined;
}

/** The number of cores the runtime reports (at least 1). */
export function hardwareThreads(): number {
  if (runtimeName() === 'node') {
    const os = nodeModule<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
    return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

/** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
export function canBlock(control: Int32Array, slot: number): boolean {
  try {
    Atomics.wait(control, slot, 1, 0);
    return true;
  } catch {
    return false;
  }
}
