// The worker pool (DESIGN.md §5): threads that share the module's memory and run one slice of a
// kernel each. Created lazily, kept for the life of the program, unref'd in Node so that a script
// ends when its own work ends. One kernel launch is one task published through shared memory,
// not a message per row; the main thread computes slice 0 itself.
import { WasmlearnError } from '../errors.js';
import { callInPieces, Control, PARALLEL_KERNELS, rowRange, type KernelExports, type ParallelKernel } from './kernels.js';
import { canBlock, nodeModule, runtimeName } from './platform.js';
import type { WorkerReply, WorkerStart } from './worker.js';

/** Loads of an acknowledgement slot the main thread spins through before it sleeps. */
const SPIN = 1_000_000;

export class Pool {
  private readonly module: WebAssembly.Module;
  private readonly memory: WebAssembly.Memory;
  private readonly exports: KernelExports;
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly blocking: boolean;
  private readonly workerUrl: URL;
  /** Every worker spawned, started or not (a thread index is never reused). */
  private readonly workers: unknown[] = [];
  private readonly started = new Set<number>();
  private starting: Promise<void> = Promise.resolve();
  /** Set by close: the workers' exits are then expected. */
  private closing = false;
  private sequence = 0;
  /** Workers that have started and serve tasks (thread indices 1..ready). */
  ready = 0;
  /** Why the pool lost a thread after it started (it exited or failed): the backend then starts a fresh one. */
  broken: string | undefined;

  /** @param workerUrl the worker script; the bundle's own worker.js unless a test says otherwise */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, exports: KernelExports, workerUrl = new URL('./worker.js', import.meta.url)) {
    this.workerUrl = workerUrl;
    this.module = module;
    this.memory = memory;
    this.exports = exports;
    this.control = new Int32Array(new SharedArrayBuffer(Control.BYTES));
    this.args = new Float64Array(this.control.buffer, Control.ARGS_BYTE_OFFSET, Control.MAX_ARGS);
    this.blocking = canBlock(this.control, Control.PROBE);
  }

  /** Starts workers until `threads` threads (this one included) can run tasks. */
  grow(threads: number): Promise<void> {
    const wanted = Math.min(threads, Control.MAX_THREADS) - 1;
    this.starting = this.starting.then(async () => {
      const pending: Promise<void>[] = [];
      for (let index = this.workers.length + 1; index <= wanted; index++) pending.push(this.spawn(index));
      await Promise.all(pending);
    });
    return this.starting;
  }

  private spawn(index: number): Promise<void> {
    const url = this.workerUrl;
    const start: WorkerStart = { module: this.module, memory: this.memory, control: this.control.buffer as SharedArrayBuffer, index };
    return new Promise<void>((resolve, reject) => {
      const onReply = (message: WorkerReply) => {
        if (message.type === 'ready') {
          // Workers become ready in any order; tasks use threads 1..ready, so count contiguously.
          this.started.add(index);
          while (this.started.has(this.ready + 1)) this.ready++;
          resolve();
        } else reject(new WasmlearnError(`worker thread ${index} failed to start: ${message.message}`));
      };
      const onError = (error: unknown) => {
        // Before it is ready: the start failed. After: the thread died, so stop using it and
        // the ones after it (their slices would never be acknowledged).
        if (this.started.has(index)) this.broken ??= `worker thread ${index} failed: ${String(error)}`;
        this.started.delete(index);
        this.ready = Math.min(this.ready, index - 1);
        reject(new WasmlearnError(`worker thread ${index} failed: ${String(error)}`, { cause: error }));
      };
      // A thread that ends (terminated, out of memory) is not used again: tasks run on the threads before it.
      const onExit = (code: unknown) => {
        if (this.closing) return;
        onError(`it exited (code ${String(code)})`);
      };
      // Node, and Deno through its node:worker_threads (whose workers, unlike its Web Workers,
      // can be unref'd so that a script ends when its work ends).
      if (runtimeName() === 'node' || runtimeName() === 'deno') {
        const { Worker } = nodeModule<{ Worker: new (url: URL, options: object) => NodeEventTarget }>('node:worker_threads');
        // No inherited flags: Node refuses some in workers (--input-type, V8 flags such as
        // --experimental-wasm-relaxed-simd, which apply to the whole process anyway).
        const worker = new Worker(url, { workerData: start, execArgv: [] });
        // Keep the process alive while the worker starts (someone awaits it), then let go.
        worker.on('message', (message: WorkerReply) => {
          onReply(message);
          worker.unref();
        });
        worker.on('error', onError);
        worker.on('exit', onExit);
        this.workers.push(worker);
      } else {
        const WebWorker = (globalThis as unknown as { Worker: new (url: URL, options: object) => WebWorkerLike }).Worker;
        const worker = new WebWorker(url, { type: 'module' });
        worker.onmessage = (event) => onReply(event.data);
        worker.onerror = (event) => onError((event as { message?: string }).message ?? event);
        worker.postMessage(start);
        this.workers.push(worker);
      }
    });
  }

  /** Stops every worker (no task runs: launches are synchronous); the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closing = true;
    await this.starting.catch(() => undefined);
    this.ready = 0;
    this.started.clear();
    await Promise.all(this.workers.map((worker) => (worker as { terminate(): unknown }).terminate()));
    this.workers.length = 0;
  }

  /**
   * Runs `kernel(...args, rowStart, rowEnd, thread)` over `rows` rows split across `threads`
   * threads (at most 1 + ready) and returns when every slice is done. Synchronous: the main
   * thread blocks in Atomics.wait, or spins where it may not block (a browser page).
   */
  run(kernel: ParallelKernel, args: number[], rows: number, align: number, threads: number, pieces = 1): void {
    threads = Math.max(1, Math.min(threads, this.ready + 1));
    const control = this.control;
    const id = PARALLEL_KERNELS.indexOf(kernel);
    if (args.length > Control.MAX_ARGS) throw new WasmlearnError(`internal: ${kernel} has too many arguments`);
    // Publish the task under the sequence lock (odd while writing).
    Atomics.store(control, Control.SEQUENCE, this.sequence + 1);
    control[Control.KERNEL] = id;
    control[Control.THREADS] = threads;
    control[Control.ROWS] = rows;
    control[Control.ALIGN] = align;
    control[Control.ARG_COUNT] = args.length;
    control[Control.PIECES] = pieces;
    Atomics.store(control, Control.FAILED, 0);
    for (let i = 0; i < args.length; i++) this.args[i] = args[i];
    this.sequence += 2;
    const sequence = this.sequence;
    Atomics.store(control, Control.SEQUENCE, sequence);
    Atomics.notify(control, Control.SEQUENCE);

    let own: unknown;
    try {
      const [rowStart, rowEnd] = rowRange(rows, threads, align, 0);
      callInPieces(this.exports[kernel] as unknown as (...a: number[]) => void, args, rowStart, rowEnd, align, pieces, 0);
    } catch (error) {
      own = error;
    } finally {
      // Always wait: the workers write into buffers the caller frees when this returns.
      for (let t = 1; t < threads; t++) {
        const slot = Control.ACK + t;
        // The slices are even, so the others finish about when this one does: spin first,
        // and sleep only if they are late (a wake-up costs ~150 µs here).
        for (let i = 0; i < SPIN && Atomics.load(control, slot) !== sequence; i++);
        for (;;) {
          const seen = Atomics.load(control, slot);
          if (seen === sequence) break;
          if (this.blocking) Atomics.wait(control, slot, seen, 1000);
        }
      }
    }
    if (own !== undefined) throw own;
    const failed = Atomics.load(control, Control.FAILED);
    if (failed !== 0) {
      const bytes = new Uint8Array(control.buffer, Control.MESSAGE_BYTE_OFFSET, Control.MESSAGE_BYTES);
      const end = bytes.indexOf(0);
      const message = new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
      throw new Error(`${message} (in worker thread ${failed - 1})`);
    }
  }
}

interface NodeEventTarget {
  on(event: string, listener: (value: never) => void): void;
  unref(): void;
}
interface WebWorkerLike {
  onmessage: ((event: { data: WorkerReply }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
}
