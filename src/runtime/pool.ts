// The worker pool (DESIGN.md §5): threads that share the module's memory and run one slice of a
// kernel each. Created lazily, kept for the life of the program, unref'd in Node so that a script
// ends when its own work ends. One kernel launch is one task published through shared memory,
// not a message per row; the main thread computes slice 0 itself.
import { WasmlearnError } from '../errors.js';
import { BEATING_KERNELS, Control, failureOf, PARALLEL_KERNELS, rowRange, runChunks, taskTag, type KernelExports, type ParallelKernel } from './kernels.js';
import { canBlock, nodeModule, runtimeName } from './platform.js';
import type { WorkerReply, WorkerStart } from './worker.js';
import type { LaunchReport } from './crowded-watch.js';

/** Loads of a slot the waiting thread spins through before it sleeps (a few hundred µs). */
const SPIN = 1_000_000;
/** Sleep between progress checks while waiting. */
const WAIT_SLICE_MS = 20;
/** A thread that shows no progress for this long is taken for dead (and the call throws within a second)... */
const MIN_DEADLINE_MS = 500;
/** ...or for this many times the longest share the waiting thread ran itself, if that is longer. */
const DEADLINE_TIMES = 20;

export class Pool {
  private readonly module: WebAssembly.Module;
  private readonly memory: WebAssembly.Memory;
  private readonly exports: KernelExports;
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly blocking: boolean;
  private readonly workerUrl: URL;
  /** Where the threads' heartbeats are in the module's memory. */
  private readonly heartbeats: number;
  /** Every worker spawned, started or not (a thread index is never reused). */
  private readonly workers: unknown[] = [];
  private readonly started = new Set<number>();
  /** Workers stopped on purpose (shrink): their exits are expected. */
  private readonly retired = new WeakSet<object>();
  private starting: Promise<void> = Promise.resolve();
  /** Set by close: the workers' exits are then expected. */
  private closing = false;
  private sequence = 0;
  /** Workers that have started and serve tasks (thread indices 1..ready). */
  ready = 0;
  /**
   * How the last task went: chunks (0: static), how many this thread ran, its time working and
   * waiting (ms), and whether a worker it needed was asleep when it was published.
   */
  last: LaunchReport = { chunks: 0, ownChunks: 0, ownMs: 0, waitMs: 0, woke: false };
  /** Why the pool lost a thread after it started (it exited or failed): the backend then starts a fresh one. */
  broken: string | undefined;

  /** @param workerUrl the worker script; the bundle's own worker.js unless a test says otherwise */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, exports: KernelExports, workerUrl = new URL('./worker.js', import.meta.url)) {
    this.workerUrl = workerUrl;
    this.module = module;
    this.memory = memory;
    this.exports = exports;
    this.heartbeats = exports.heartbeats();
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
      let worker: unknown;
      const onError = (error: unknown) => {
        if (this.retired.has(worker as object)) return;
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
        const thread = new Worker(url, { workerData: start, execArgv: [] });
        worker = thread;
        // Keep the process alive while the worker starts (someone awaits it), then let go.
        thread.on('message', (message: WorkerReply) => {
          onReply(message);
          thread.unref();
        });
        thread.on('error', onError);
        thread.on('exit', onExit);
        this.workers.push(thread);
      } else {
        const WebWorker = (globalThis as unknown as { Worker: new (url: URL, options: object) => WebWorkerLike }).Worker;
        const thread = new WebWorker(url, { type: 'module' });
        worker = thread;
        thread.onmessage = (event) => onReply(event.data);
        thread.onerror = (event) => onError((event as { message?: string }).message ?? event);
        thread.postMessage(start);
        this.workers.push(thread);
      }
    });
  }

  /**
   * Stops the workers beyond `threads` threads (this one included): init({ threads }) with fewer.
   * No task runs meanwhile (launches are synchronous); their exits are expected.
   */
  async shrink(threads: number): Promise<void> {
    await this.starting.catch(() => undefined);
    const keep = Math.max(0, threads - 1);
    const gone = this.workers.splice(keep);
    for (const worker of gone) this.retired.add(worker as object);
    for (let t = keep + 1; t <= keep + gone.length; t++) this.started.delete(t);
    this.ready = Math.min(this.ready, keep);
    await Promise.all(gone.map((worker) => (worker as { terminate(): unknown }).terminate()));
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
   * Runs `kernel(...args, rowStart, rowEnd, thread)` over `rows` rows on up to `threads` threads
   * (at most 1 + ready) and returns when every row is done. With `chunkRows` > 0 the rows are
   * chunks of that many, claimed by whichever thread is free (kernels.ts runChunks); with 0 each
   * thread runs its static range (rowRange) in one call. Synchronous: the calling thread takes
   * its share, then waits — spinning briefly, then sleeping in Atomics.wait (or spinning where it
   * may not block: a browser page) — and watches the others' progress: a thread that makes none
   * for a deadline is taken for dead (terminated, out of memory, crashed), and the call throws.
   */
  run(kernel: ParallelKernel, args: number[], rows: number, align: number, threads: number, chunkRows: number): void {
    threads = Math.max(1, Math.min(threads, this.ready + 1));
    const control = this.control;
    const id = PARALLEL_KERNELS.indexOf(kernel);
    if (args.length > Control.MAX_ARGS) throw new WasmlearnError(`internal: ${kernel} has too many arguments`);
    const chunks = chunkRows > 0 ? Math.ceil(rows / chunkRows) : 0;
    if (chunks > 0xffff) throw new WasmlearnError(`internal: ${kernel} split into ${chunks} chunks (at most 65535)`);
    let woke = false;
    for (let t = 1; t < threads; t++) if (Atomics.load(control, Control.SLEEPING + t) !== 0) woke = true;
    // Publish the task under the sequence lock (odd while writing).
    const sequence = this.sequence + 2;
    const tag = taskTag(sequence);
    Atomics.store(control, Control.SEQUENCE, this.sequence + 1);
    control[Control.KERNEL] = id;
    control[Control.THREADS] = threads;
    control[Control.ROWS] = rows;
    control[Control.ALIGN] = align;
    control[Control.ARG_COUNT] = args.length;
    control[Control.CHUNK_ROWS] = chunkRows;
    control[Control.CHUNKS] = chunks;
    Atomics.store(control, Control.DONE, 0);
    Atomics.store(control, Control.CLAIM, tag << 16);
    Atomics.store(control, Control.FAILED, 0);
    for (let i = 0; i < args.length; i++) this.args[i] = args[i];
    this.sequence = sequence;
    Atomics.store(control, Control.SEQUENCE, sequence);
    Atomics.notify(control, Control.SEQUENCE);

    const fn = this.exports[kernel] as unknown as (...a: number[]) => void;
    let own: unknown;
    const began = now();
    let longest = 0, ran = 0;
    if (chunks > 0) {
      this.letDoomedThreadClaim(threads);
      ({ longest, ran } = runChunks(control, fn, args, tag, 0, (error) => { own ??= error; }));
    } else {
      try {
        const [rowStart, rowEnd] = rowRange(rows, threads, align, 0);
        if (rowStart < rowEnd) fn(...args, rowStart, rowEnd, 0);
      } catch (error) {
        own = error;
      }
      longest = now() - began;
    }
    // Always wait: the others write into buffers the caller frees when this returns. No progress
    // for DEADLINE_TIMES the longest share this thread ran (at least MIN_DEADLINE_MS; just that
    // for kernels that beat as they go) means dead.
    const deadline = BEATING_KERNELS.has(kernel) ? MIN_DEADLINE_MS : Math.max(MIN_DEADLINE_MS, DEADLINE_TIMES * longest);
    const worked = now();
    if (chunks > 0) this.await(kernel, Control.DONE, chunks, deadline, () => this.working(threads));
    else for (let t = 1; t < threads; t++) this.await(kernel, Control.ACK + t, sequence, deadline, () => [t]);
    this.last = { chunks, ownChunks: ran, ownMs: worked - began, waitMs: now() - worked, woke };
    if (own !== undefined) throw own;
    const failure = failureOf(control);
    if (failure) throw new Error(`${failure.message} (in worker thread ${failure.thread})`);
  }

  /** Threads among 1..threads-1 running a chunk now. */
  private working(threads: number): number[] {
    const busy: number[] = [];
    for (let t = 1; t < threads; t++) if (Atomics.load(this.control, Control.WORKING + t) !== 0) busy.push(t);
    return busy;
  }

  /**
   * Waits until control[slot] is `target`. Progress is a change of that slot or of any thread's
   * heartbeat (assembly/heartbeat.ts: long kernels beat as they go); none for `deadline` ms and
   * the threads `suspects()` names are taken for dead: the pool is marked broken, they are
   * terminated, and a WasmlearnError names them and the kernel.
   */
  private await(kernel: string, slot: number, target: number, deadline: number, suspects: () => number[]): void {
    const control = this.control;
    let value = Atomics.load(control, slot);
    if (value === target) return;
    // Shares are about even, so the others usually finish about when this one does: spin first,
    // and sleep only if they are late (a wake-up costs ~150 µs here).
    for (let i = 0; i < SPIN && value !== target; i++) value = Atomics.load(control, slot);
    let beats = this.beats();
    let since = now();
    while (value !== target) {
      if (this.blocking) Atomics.wait(control, slot, value, WAIT_SLICE_MS);
      else for (let i = 0; i < SPIN && Atomics.load(control, slot) === value; i++);
      const seen = Atomics.load(control, slot), beatsNow = this.beats(), at = now();
      if (seen !== value || beatsNow !== beats) {
        value = seen;
        beats = beatsNow;
        since = at;
      } else if (at - since > deadline) {
        this.lose(kernel, suspects(), at - since);
      }
    }
  }

  /** The sum of the threads' heartbeats (wraps; only changes matter). */
  private beats(): number {
    const view = new Int32Array(this.memory.buffer, this.heartbeats, Control.MAX_THREADS);
    let sum = 0;
    for (let t = 0; t < view.length; t++) sum = (sum + Atomics.load(view, t)) | 0;
    return sum;
  }

  private lose(kernel: string, threads: number[], waited: number): never {
    // Nothing claims the task's chunks any more (and a test's doomed thread has done its part).
    Atomics.store(this.control, Control.CLAIM, -1);
    Atomics.store(this.control, Control.TEST_EXIT, 0);
    const who = threads.length === 0 ? 'a worker thread' : threads.map((t) => `worker thread ${t}`).join(' and ');
    const message = `${who} stopped responding while running ${kernel} (no progress for ${Math.round(waited)} ms: it ended, ran out of memory or was terminated)`;
    this.broken ??= message;
    for (const t of threads) {
      this.started.delete(t);
      this.ready = Math.min(this.ready, t - 1);
      void (this.workers[t - 1] as { terminate(): unknown } | undefined)?.terminate();
    }
    throw new WasmlearnError(`${message}; the call was abandoned, and the next one starts the worker threads again`);
  }

  /** For tests: worker thread `thread` ends itself when it next takes a task or claims a chunk (0: none). */
  exitOnNextTask(thread: number): void {
    Atomics.store(this.control, Control.TEST_EXIT, thread === 0 ? 0 : thread + 1);
  }

  /**
   * For tests: with a thread set to end itself (exitOnNextTask), this thread waits (up to two
   * seconds) until that one has claimed a chunk, so that it dies in the middle of the call
   * however busy the machine, instead of this thread taking every chunk first.
   */
  private letDoomedThreadClaim(threads: number): void {
    const doomed = Atomics.load(this.control, Control.TEST_EXIT) - 1;
    if (doomed < 1 || doomed >= threads) return;
    const until = now() + 2000;
    while (Atomics.load(this.control, Control.WORKING + doomed) === 0 && now() < until) {
      if (this.blocking) Atomics.wait(this.control, Control.WORKING + doomed, 0, 5);
    }
  }
}

function now(): number {
  return performance.now();
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
