// The loaded module, its memory, the arena and the pool: one per program. Public functions get
// it with backend(), which initialises implicitly where the runtime can do so synchronously.
import { FormatError, OutOfMemoryError, RuntimeUnavailableError, ValueError, WasmlearnError, describe } from '../errors.js';
import { warn } from '../warnings.js';
import { Arena } from './arena.js';
import { instantiateCore, instantiateCoreAsync } from './instantiate.js';
import { REQUIRED_EXPORTS, type KernelExports, type ParallelKernel, type SerialKernel, type SplitArguments } from './bindings.js';
import {
  compileBuild, compileBuildSync, hardwareThreads, relaxedSimdSupported, runtimeName, threadsUnavailableReason,
  type Build, type RuntimeName, type Variant,
} from './platform.js';
import { callInPieces, ONE_ROW_CHUNKS, WHOLE_RANGE_KERNELS } from './kernels.js';
import { CrowdedWatch } from './crowded-watch.js';
import type { Pool } from './pool.js';

/** Options of `init`. */
export interface InitOptions {
  /**
   * Threads for kernels: a number (the main thread included), `false` or `1` for one thread,
   * or `'auto'` (default): every core where threads are available, started on first heavy use.
   * With an explicit number, `init` returns once the threads are running.
   */
  threads?: number | boolean | 'auto';
  /**
   * Use the relaxed-SIMD build, whose GEMM uses fused multiply-add (30–60 % faster here):
   * `true` (an error where the runtime lacks relaxed SIMD), `'auto'` (where it has it), or
   * `false` (default). Off by default because its results differ in the last bits from the
   * standard build's, and wasmlearn's default is the same bits in every runtime; within the
   * relaxed build results are still the same for any thread count.
   */
  relaxedSimd?: boolean | 'auto';
  /**
   * A compiled module or the bytes of one of the `.wasm` builds, for runtimes that cannot fetch
   * it themselves (Cloudflare Workers: import the .wasm as a module and pass it here). Which
   * build it is (threads, relaxed SIMD) is read from the module itself.
   */
  module?: WebAssembly.Module | BufferSource;
  /**
   * The most bytes of WebAssembly memory wasmlearn may use (at least 1 MiB), or `null` for no
   * cap (default): past it a call throws an OutOfMemoryError and changes nothing, instead of the
   * runtime ending an isolate that outgrows its limit (64–96 MB in a 128 MB edge isolate, leaving
   * the rest to the JavaScript heap).
   */
  maxMemory?: number | null;
}

/** What `backendInfo()` reports. */
export interface BackendInfo {
  runtime: RuntimeName;
  build: Build;
  simd: true;
  /** Whether the relaxed-SIMD build (fused multiply-add) is in use. */
  relaxedSimd: boolean;
  /** Whether this runtime accepts relaxed SIMD (so `init({ relaxedSimd: true })` would work). */
  relaxedSimdAvailable: boolean;
  /** Threads kernels may use now (1 until the pool has started). */
  threads: number;
  /** Threads asked for (the pool grows to this on first heavy use). */
  threadsRequested: number;
  /** Why the single-thread build was chosen, when threads were wanted but unavailable. */
  threadsUnavailable?: string;
  /** Bytes of WebAssembly memory (what the runtime has reserved for the module). */
  memoryBytes: number;
  /** Bytes the arena hands out now (models, estimators, a call's buffers). */
  arenaBytesInUse: number;
  /** The most bytes the arena has handed out at once: the high-water mark a memory cap must allow. */
  arenaPeakBytes: number;
  /** The cap of init({ maxMemory }), or null. */
  maxMemory: number | null;
}

/** Each thread gets at least this many multiply-adds (or elements): measured here, two threads
 * beat one from about 96³ (0.9 M multiply-adds) with the pool awake. */
const MIN_WORK_PER_THREAD = 1 << 18;
/** A kernel's first COLD_LAUNCHES launches make COLD_PIECES calls per thread (kernels.ts callInPieces). */
const COLD_LAUNCHES = 2;
const COLD_PIECES = 8;
/**
 * Chunks per thread of a launch on the pool: enough that a thread slowed by other processes
 * leaves its share to the others, few enough that the per-chunk costs (a GEMM packs its B panel
 * again) stay small.
 */
const CHUNKS_PER_THREAD = 2;
const INITIAL_PAGES = 16;
const MAXIMUM_PAGES = 32768; // 2 GiB: shared memories must declare a maximum (threads build)
const PAGE_BYTES = 65536;

/** Rows per chunk of a launch on the pool (0: every thread runs its static range; kernels.ts). */
function chunkRowsOf(kernel: ParallelKernel, rows: number, align: number, threads: number, cold: boolean): number {
  if (WHOLE_RANGE_KERNELS.has(kernel)) return 0;
  if (ONE_ROW_CHUNKS.has(kernel)) return align;
  const chunks = threads * (cold ? COLD_PIECES : CHUNKS_PER_THREAD);
  return Math.max(Math.ceil(rows / chunks / align), Math.ceil(rows / 0xffff / align)) * align;
}

export class Backend {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  readonly variant: Variant;
  readonly module: WebAssembly.Module;
  threadsRequested: number;
  threadsUnavailable: string | undefined;
  /** The worker script; the bundle's own unless a test of the sources says otherwise. */
  workerUrl: URL | undefined;
  /** Made from a module the user passed to init (not kept when init switches builds). */
  fromUserModule = false;
  private pool: Pool | undefined;
  private poolStart: Promise<void> | undefined;
  private poolFailed = false;
  /** Whether the pool has helped lately: with every core busy elsewhere, short launches run here alone. */
  private readonly crowded = new CrowdedWatch();
  /** Launches so far per kernel, counted up to COLD_LAUNCHES. */
  private readonly launches = new Map<ParallelKernel, number>();

  constructor(module: WebAssembly.Module, variant: Variant, exports: KernelExports, memory: WebAssembly.Memory) {
    this.module = module;
    this.variant = variant;
    this.exports = exports;
    this.memory = memory;
    this.arena = new Arena(memory, exports.heapBase());
    this.threadsRequested = 1;
    this.threadsUnavailable = undefined;
  }

  /** Threads a launch may use right now. */
  get threads(): number {
    if (this.threadsRequested <= 1) return 1;
    return Math.min(this.threadsRequested, 1 + (this.pool?.ready ?? 0));
  }

  /** Starts (or grows) the pool to `threadsRequested`; resolves when its threads serve tasks. */
  startPool(): Promise<void> {
    if (this.variant.build !== 'threads' || this.threadsRequested <= 1) return Promise.resolve();
    const wanted = this.threadsRequested;
    this.dropBrokenPool();
    const start = (async () => {
      if (!this.pool) {
        const { Pool } = await import('./pool.js');
        this.pool ??= new Pool(this.module, this.memory, this.exports, this.workerUrl);
      }
      if (wanted < 1 + this.pool.ready) await this.pool.shrink(wanted);
      else await this.pool.grow(wanted);
    })();
    this.poolStart = start;
    return start;
  }

  /** Lets go of a pool that lost a thread (it ended between calls or stopped responding in one). */
  private dropBrokenPool(): void {
    if (!this.pool?.broken) return;
    warn('runtime', `${this.pool.broken}; the worker threads will be started again`);
    const lost = this.pool;
    this.pool = undefined;
    this.poolStart = undefined;
    void lost.close();
  }

  /** Stops the pool's threads; kernels run on this thread until the next heavy use starts it again. */
  async stopPool(): Promise<void> {
    const pool = this.pool;
    await this.poolStart?.catch(() => undefined);
    this.pool = undefined;
    this.poolStart = undefined;
    this.poolFailed = false;
    await pool?.close();
  }

  /**
   * Runs a row-splittable kernel over `rows` rows: on the pool when it is running and the work
   * (`work`, about the multiply-adds) is worth it, else on this thread. Either way every row is
   * computed by the same instructions, so the result does not depend on the thread count.
   */
  launch<K extends ParallelKernel>(kernel: K, args: SplitArguments[K], rows: number, align: number, work: number): void {
    const threads = Math.min(this.threads, Math.floor(work / MIN_WORK_PER_THREAD), Math.ceil(rows / align));
    if (threads < this.threadsRequested && this.threadsRequested > 1 && !this.poolStart && !this.poolFailed
      && work >= 2 * MIN_WORK_PER_THREAD) {
      // First heavy use: start the pool in the background; this launch runs on one thread.
      this.startPool().catch((error: unknown) => {
        this.poolFailed = true;
        this.threadsRequested = 1;
        this.threadsUnavailable = `worker threads failed to start (${String(error)})`;
        warn('runtime', `${this.threadsUnavailable}; running on one thread`);
      });
    }
    // A pool that lost a thread (it exited or failed between calls) is let go: this call runs on the
    // threads still serving, and the next heavy use starts a fresh pool.
    this.dropBrokenPool();
    // A kernel's first launches run as several calls per thread, so that V8's optimized code takes over within them (kernels.ts callInPieces).
    const launched = this.launches.get(kernel) ?? 0;
    const cold = launched < COLD_LAUNCHES;
    if (cold) this.launches.set(kernel, launched + 1);
    try {
      const chunkRows = chunkRowsOf(kernel, rows, align, threads, cold);
      const short = chunkRows > 0 && !ONE_ROW_CHUNKS.has(kernel);
      if (threads > 1 && this.pool && !(short && this.crowded.skip())) {
        this.pool.run(kernel, args as number[], rows, align, threads, chunkRows);
        if (short) this.crowded.record(this.pool.last);
      }
      else callInPieces(this.exports[kernel] as unknown as (...a: number[]) => void, args as number[], 0, rows, align, cold && !WHOLE_RANGE_KERNELS.has(kernel) ? COLD_PIECES : 1, 0);
    } catch (error) {
      throw kernelError(kernel, error);
    }
  }

  /** Calls a single-thread kernel, turning a trap or an abort into a WasmlearnError. */
  call<K extends SerialKernel>(kernel: K, ...args: Parameters<KernelExports[K]>): ReturnType<KernelExports[K]> {
    try {
      return (this.exports[kernel] as unknown as (...a: number[]) => ReturnType<KernelExports[K]>)(...(args as number[]));
    } catch (error) {
      throw kernelError(kernel, error);
    }
  }

  /**
   * Runs `body` with an allocator whose blocks are all released when it returns or throws —
   * or, when it returns a promise (fit's training loop), when that promise settles: every public
   * call frees what it took, and nothing another call allocates meanwhile can land on it.
   */
  scoped<T>(body: (alloc: (bytes: number) => number) => T): T {
    const taken: number[] = [];
    const release = (): void => {
      for (const ptr of taken) this.arena.release(ptr);
      taken.length = 0;
    };
    let result: T;
    try {
      result = body((bytes) => {
        const ptr = this.arena.alloc(bytes);
        taken.push(ptr);
        return ptr;
      });
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Promise) return result.finally(release) as T;
    release();
    return result;
  }

  info(): BackendInfo {
    return {
      runtime: runtimeName(),
      build: this.variant.build,
      simd: true,
      relaxedSimd: this.variant.relaxed,
      relaxedSimdAvailable: relaxedSimdSupported(),
      threads: this.threads,
      threadsRequested: this.threadsRequested,
      ...(this.threadsUnavailable ? { threadsUnavailable: this.threadsUnavailable } : {}),
      memoryBytes: this.memory.buffer.byteLength,
      arenaBytesInUse: this.arena.bytesInUse,
      arenaPeakBytes: this.arena.peakBytes,
      maxMemory: Number.isFinite(this.arena.limit) ? this.arena.limit : null,
    };
  }
}

function kernelError(kernel: string, error: unknown): Error {
  if (error instanceof WasmlearnError) return error;
  if (error instanceof RangeError && /memory/i.test(error.message)) {
    return new OutOfMemoryError(`out of memory in kernel ${kernel}: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new WasmlearnError(
    `internal error in WebAssembly kernel ${kernel}: ${message}. The inputs passed validation, so this is a ` +
      'bug in wasmlearn; please report it with the shapes involved',
    { cause: error },
  );
}

let current: Backend | undefined;
let pending: Promise<Backend> | undefined;
/** Cores of other builds that init switched away from, by build name, ready to switch back to. */
const idle = new Map<string, Backend>();

/** Every core: the current one and the idle ones. */
function cores(): Backend[] {
  return [...(current ? [current] : []), ...idle.values()];
}

interface Plan {
  variant: Variant;
  threads: number;
  /** Why threads were wanted but the single-thread build was chosen. */
  unavailable?: string;
}

const INIT_OPTIONS = ['threads', 'relaxedSimd', 'module', 'maxMemory'] as const;

/** The memory cap every core gets (init({ maxMemory })). */
let memoryLimit = Infinity;

/** Checks init's maxMemory: bytes ≥ 1 MiB, or null. */
function checkMaxMemory(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) return Infinity;
  if (typeof value !== 'number' || !(value >= 1 << 20) || !Number.isFinite(value)) {
    throw new ValueError(`init: maxMemory must be a number of bytes ≥ 1048576 (1 MiB), or null for no cap; received ${describe(value)}`);
  }
  return value;
}

/** Which build and how many threads the options (validated here) ask for in this runtime. */
function plan(options: InitOptions): Plan {
  const threads = options.threads ?? 'auto';
  if (!(threads === 'auto' || typeof threads === 'boolean' || (typeof threads === 'number' && Number.isInteger(threads) && threads >= 1))) {
    throw new ValueError(`init: threads must be 'auto', true, false or a whole number ≥ 1; received ${describe(threads)}`);
  }
  const relaxedOption = options.relaxedSimd ?? false;
  if (!(relaxedOption === 'auto' || typeof relaxedOption === 'boolean')) {
    throw new ValueError(`init: relaxedSimd must be true, false or 'auto'; received ${describe(relaxedOption)}`);
  }
  const supported = relaxedSimdSupported();
  if (relaxedOption === true && !supported) {
    throw new RuntimeUnavailableError(
      'init: relaxedSimd was asked for, but this runtime does not accept relaxed SIMD ' +
        '(Node 20 needs the flag --experimental-wasm-relaxed-simd; Node ≥ 22, Deno and Chromium have it)',
    );
  }
  const relaxed = relaxedOption === true || (relaxedOption === 'auto' && supported);
  if (threads === false) return { variant: { build: 'simd', relaxed }, threads: 1 };
  const wanted = typeof threads === 'number' ? threads : hardwareThreads();
  const unavailable = threadsUnavailableReason();
  if (unavailable) {
    if (typeof threads === 'number' && threads > 1) {
      throw new RuntimeUnavailableError(`init: ${threads} threads were asked for, but ${unavailable}`);
    }
    return { variant: { build: 'simd', relaxed }, threads: 1, unavailable: wanted > 1 ? unavailable : undefined };
  }
  return { variant: { build: 'threads', relaxed }, threads: wanted };
}

function memoryFor(build: Build): WebAssembly.Memory | undefined {
  return build === 'threads' ? new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true }) : undefined;
}

function adopt(
  module: WebAssembly.Module, instance: WebAssembly.Instance, imported: WebAssembly.Memory | undefined, p: Plan, fromUserModule: boolean,
): Backend {
  const exports = instance.exports as unknown as KernelExports;
  const features = exports.buildFeatures();
  const variant: Variant = { build: features & 2 ? 'threads' : 'simd', relaxed: (features & 1) === 1 };
  const backend = new Backend(module, variant, exports, imported ?? exports.memory!);
  backend.arena.limit = memoryLimit;
  backend.fromUserModule = fromUserModule;
  backend.threadsRequested = variant.build === 'threads' ? p.threads : 1;
  backend.threadsUnavailable = p.unavailable;
  if (p.unavailable) warn('runtime', `running on one thread because ${p.unavailable}`);
  return backend;
}

/** A module's build, read from its imports: only the threads build imports its (shared) memory. */
function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.kind === 'memory');
}

async function create(options: InitOptions, p: Plan): Promise<Backend> {
  let module: WebAssembly.Module;
  if (options.module !== undefined) {
    if (options.module instanceof WebAssembly.Module) module = options.module;
    else if (ArrayBuffer.isView(options.module) || options.module instanceof ArrayBuffer) {
      try {
        module = await WebAssembly.compile(options.module);
      } catch (cause) {
        throw new FormatError(`init: module is not a valid WebAssembly module (${String(cause)})`, { cause });
      }
    } else {
      throw new ValueError(`init: module must be a WebAssembly.Module or the bytes of a wasmlearn .wasm; received ${describe(options.module)}`);
    }
    const missing = REQUIRED_EXPORTS.filter((name) => !WebAssembly.Module.exports(module).some((e) => e.name === name));
    if (missing.length > 0) {
      throw new FormatError(
        `init: module is not a wasmlearn build of this version (it lacks the exports ${missing.join(', ')}); ` +
          "pass the .wasm shipped with this package (wasmlearn/wasm/simd.wasm)",
      );
    }
    if (importsMemory(module) && threadsUnavailableReason()) {
      throw new RuntimeUnavailableError(`init: module is the threads build, but ${threadsUnavailableReason()}; pass simd.wasm`);
    }
  } else {
    module = await compileBuild(p.variant);
  }
  const memory = memoryFor(importsMemory(module) ? 'threads' : 'simd');
  // The module is compiled: instantiating it is quick, so only a page's main thread (where browsers
  // refuse large synchronous instantiations) waits for it.
  const instance = runtimeName() === 'browser' ? await instantiateCoreAsync(module, memory) : instantiateCore(module, memory);
  return adopt(module, instance, memory, p, options.module !== undefined);
}

/**
 * Stops the worker threads (for tests, command-line tools and hot reload): nothing keeps the
 * program alive afterwards. The library keeps working, with the same results: kernels run on the
 * calling thread, and the next heavy use (or `init({ threads })`) starts the threads again.
 * @example await shutdown();
 */
export async function shutdown(): Promise<void> {
  while (pending) await pending.catch(() => undefined);
  await Promise.all(cores().map((core) => core.stopPool()));
}

/**
 * Loads and instantiates the WebAssembly core. Implicit on first use in Node and Deno; call it
 * (once) in browsers and edge runtimes before synchronous functions. Calling it again with
 * another `threads` resizes the pool; asking for another build (threads or not, relaxed SIMD or
 * not, another module) replaces the core, which is allowed only while nothing lives in its memory.
 */
export async function init(options: InitOptions = {}): Promise<BackendInfo> {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`init: options must be an object; received ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(INIT_OPTIONS as readonly string[]).includes(key)) {
      throw new ValueError(`init: unknown option '${key}'; known options are ${INIT_OPTIONS.join(', ')}`);
    }
  }
  const cap = checkMaxMemory(options.maxMemory);
  while (pending) await pending.catch(() => undefined);
  if (cap !== undefined) {
    memoryLimit = cap;
    for (const core of cores()) core.arena.limit = cap;
  }
  if (current) {
    const relaxedSimd = options.relaxedSimd ?? current.variant.relaxed;
    const p = plan({ threads: options.threads ?? current.threadsRequested, relaxedSimd });
    const same = options.module !== undefined
      ? options.module === current.module
      : p.variant.build === current.variant.build && p.variant.relaxed === current.variant.relaxed;
        if (same) {
      current.threadsRequested = current.variant.build === 'threads' ? p.threads : 1;
      // More threads start now; fewer stop the surplus (one only stops using them: shutdown() stops them).
      if (typeof options.threads === 'number' && current.threadsRequested > 1) await current.startPool();
      return current.info();
    }
    if (current.arena.bytesInUse !== 0) {
      throw new RuntimeUnavailableError(
        `init: cannot change the build (${describeVariant(current.variant)} → ${describeVariant(p.variant)}) while ` +
          `${current.arena.bytesInUse} bytes of WebAssembly memory are in use; release models first`,
      );
    }
    // Keep the core we leave (its memory and its sleeping pool): switching back is then free.
    if (!current.fromUserModule) idle.set(describeVariant(current.variant), current);
    current = undefined;
  }
  const p = plan(options);
  const kept = options.module === undefined ? idle.get(describeVariant(p.variant)) : undefined;
  if (kept) {
    idle.delete(describeVariant(p.variant));
    kept.threadsRequested = kept.variant.build === 'threads' ? p.threads : 1;
    current = kept;
  } else {
    pending = create(options, p);
    try {
      current = await pending;
    } finally {
      pending = undefined;
    }
  }
  if (typeof options.threads === 'number' && current.threadsRequested > 1) await current.startPool();
  return current.info();
}

function describeVariant(variant: Variant): string {
  return `${variant.relaxed ? 'relaxed-' : ''}${variant.build}`;
}

/**
 * Starts the core now if nothing has started it and this runtime starts it synchronously (Node,
 * Deno): a caller with work under way on another thread (a file being read) overlaps the compile
 * with it. Elsewhere, or while an init() is under way, it leaves the core to the first use.
 */
export function warmUp(): void {
  const runtime = runtimeName();
  if (!current && !pending && (runtime === 'node' || runtime === 'deno')) backend();
}

/** Shared memory made before the core (earlyBlock), with the block in it the first backend() claims. */
let early: { memory: WebAssembly.Memory; ptr: number; bytes: number } | undefined;

/**
 * `bytes` of the core's memory to fill from another thread (a file read on an I/O thread) while
 * this thread starts the core: where the core's memory is shared (the threads build), whose views
 * stay valid as it grows, a view of a block the caller owns (it releases it with the arena's
 * release) — taken now when the core runs, else in a memory made before the core compiles, which
 * the core then adopts (call warmUp() next). Undefined elsewhere, or for more than a quarter of
 * the memory the core may grow to: the caller keeps its bytes in JavaScript.
 */
export function earlyBlock(bytes: number): { ptr: number; view: Uint8Array } | undefined {
  // A file of more than a quarter of the memory the core may grow to stays in JavaScript: what is
  // made from it (packed weights) must fit beside it.
  if (bytes > Math.min(memoryLimit, MAXIMUM_PAGES * PAGE_BYTES) / 4) return undefined;
  if (current) {
    if (!(current.memory.buffer instanceof SharedArrayBuffer)) return undefined;
    let ptr: number;
    try {
      ptr = current.arena.alloc(bytes);
    } catch {
      return undefined;
    }
    return { ptr, view: new Uint8Array(current.memory.buffer, ptr, bytes) };
  }
  const runtime = runtimeName();
  if (pending || early || !(runtime === 'node' || runtime === 'deno') || plan({}).variant.build !== 'threads') return undefined;
  // Above the initial pages, which hold the module's static data (Arena.claim refuses a block below its heap base).
  const ptr = INITIAL_PAGES * PAGE_BYTES;
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if ((INITIAL_PAGES + pages) * PAGE_BYTES > memoryLimit) return undefined;
  const memory = memoryFor('threads')!;
  try {
    memory.grow(pages);
  } catch {
    return undefined;
  }
  early = { memory, ptr, bytes };
  return { ptr, view: new Uint8Array(memory.buffer, ptr, bytes) };
}

/** The backend, initialising synchronously on first use where the runtime allows (Node, Deno). */
export function backend(): Backend {
  if (current) return current;
  if (pending) {
    throw new RuntimeUnavailableError('wasmlearn is still initialising: await the init() call before this one');
  }
  // The early block goes with its memory if the core fails to start.
  const block = early;
  early = undefined;
  const p = plan({});
  const module = compileBuildSync(p.variant);
  const memory = block?.memory ?? memoryFor(p.variant.build);
  current = adopt(module, instantiateCore(module, memory), memory, p, false);
  if (block) current.arena.claim(block.ptr, block.bytes);
  return current;
}

/** The build, threads and memory in use (initialises like any first use). */
export function backendInfo(): BackendInfo {
  return backend().info();
}
