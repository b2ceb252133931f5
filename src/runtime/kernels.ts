// The pool's side of the boundary: how a split kernel's rows are shared out and the layout of the
// control block. The kernels themselves, their signatures and the list of split ones are generated
// from assembly/ into bindings.ts.
export { PARALLEL_KERNELS, type KernelExports, type ParallelKernel, type SplitArguments } from './bindings.js';

/**
 * Thread t's part of a split of `rows` rows (or columns) over `threads` threads, in chunks that are multiples
 * of `align` (a kernel's natural block). The split is static, so which thread computes a row
 * depends only on (rows, threads), and no value is ever reduced across threads.
 */
export function rowRange(rows: number, threads: number, align: number, t: number): [number, number] {
  const per = Math.ceil(Math.ceil(rows / threads) / align) * align;
  const start = Math.min(rows, t * per);
  return [start, Math.min(rows, start + per)];
}

/**
 * Kernels a thread runs as one call over its static range (rowRange): treeBatch gives a tree's
 * builder and helper roles by the range it is called with, so the two must run side by side.
 */
export const WHOLE_RANGE_KERNELS: ReadonlySet<string> = new Set(['treeBatch']);

/** Kernels whose rows are handed out one at a time: each is a whole problem (an SVC pair). */
export const ONE_ROW_CHUNKS: ReadonlySet<string> = new Set(['smoBatch']);

/**
 * Kernels that bump their thread's heartbeat as they go (every solver iteration, every feature a
 * tree scores): a thread running one is alive while its heartbeat moves, however long its share.
 */
export const BEATING_KERNELS: ReadonlySet<string> = new Set(['smoBatch', 'treeBatch']);

/**
 * Calls fn(...args, start', end', thread) over [start, end) in up to `pieces` consecutive
 * sub-ranges whose bounds are multiples of `align`. Why: V8 runs a WebAssembly function's first
 * calls in its baseline compiler and uses the optimized code only from a later call on (there is
 * no on-stack replacement for WebAssembly), so a kernel's first launch made as one long call runs
 * wholly at baseline speed — about 3× slower for the booster's thresholds. Every split gives the
 * same result: a kernel computes each row alone, the contract that makes the bits independent of
 * the thread count.
 */
export function callInPieces(fn: (...a: number[]) => void, args: number[], start: number, end: number, align: number, pieces: number, thread: number): void {
  if (start >= end) return;
  const per = pieces <= 1 ? end - start : Math.max(1, Math.ceil((end - start) / pieces / align)) * align;
  for (let at = start; at < end; at += per) fn(...args, at, Math.min(end, at + per), thread);
}

/** A task's tag in the CLAIM word: a chunk is claimed only while the word carries its task's tag. */
export function taskTag(sequence: number): number {
  return (sequence >>> 1) & 0x7fff;
}

/**
 * Runs chunks of the published task until none is left: each is claimed from the shared CLAIM
 * word (tag << 16 | next chunk) by compare-and-swap, so a thread that is late — descheduled on a
 * crowded machine — takes fewer chunks instead of holding the others back. Chunk c is always rows
 * [c·chunkRows, (c + 1)·chunkRows), whoever runs it, so the output split (and so the bits) is fixed.
 * A thread that read an older task finds another tag and claims nothing. WORKING + thread holds
 * 1 + the chunk being run (the heartbeat the waiting thread reads), DONE counts finished chunks.
 * A kernel that throws is handed to `fail` and its chunk still counted as done.
 * Returns how many chunks this thread ran and the longest, in milliseconds.
 */
export function runChunks(control: Int32Array, fn: (...a: number[]) => void, args: number[], tag: number, thread: number,
  fail: (error: unknown) => void): { ran: number; longest: number } {
  const rows = control[Control.ROWS], chunkRows = control[Control.CHUNK_ROWS], chunks = control[Control.CHUNKS];
  let longest = 0, ran = 0;
  for (;;) {
    const word = Atomics.load(control, Control.CLAIM);
    const next = word & 0xffff;
    if (word >>> 16 !== tag || next >= chunks) return { ran, longest };
    if (Atomics.compareExchange(control, Control.CLAIM, word, word + 1) !== word) continue;
    Atomics.store(control, Control.WORKING + thread, next + 1);
    if (Atomics.load(control, Control.TEST_EXIT) === thread + 1 && thread > 0) exitForTest();
    const start = next * chunkRows;
    const began = performance.now();
    try {
      fn(...args, start, Math.min(rows, start + chunkRows), thread);
    } catch (error) {
      fail(error);
    }
    longest = Math.max(longest, performance.now() - began);
    ran++;
    Atomics.store(control, Control.WORKING + thread, 0);
    if (Atomics.add(control, Control.DONE, 1) + 1 === chunks) Atomics.notify(control, Control.DONE);
  }
}

/** Keeps the first failure of a task: FAILED = 1 + the thread, MESSAGE its text. */
export function recordFailure(control: Int32Array, thread: number, error: unknown): void {
  if (Atomics.compareExchange(control, Control.FAILED, 0, thread + 1) !== 0) return;
  const bytes = new TextEncoder().encode(String(error)).subarray(0, Control.MESSAGE_BYTES - 1);
  const target = new Uint8Array(control.buffer, Control.MESSAGE_BYTE_OFFSET, Control.MESSAGE_BYTES);
  target.fill(0);
  target.set(bytes);
}

/** The recorded failure's message, or undefined. */
export function failureOf(control: Int32Array): { thread: number; message: string } | undefined {
  const failed = Atomics.load(control, Control.FAILED);
  if (failed === 0) return undefined;
  const bytes = new Uint8Array(control.buffer, Control.MESSAGE_BYTE_OFFSET, Control.MESSAGE_BYTES);
  const end = bytes.indexOf(0);
  return { thread: failed - 1, message: new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end)) };
}

/**
 * Ends this worker thread at once, as a crash would (tests make a worker die in the middle of a
 * task through TEST_EXIT): Node's and Deno's worker_threads end on process.exit; a Web Worker
 * stops serving when the error escapes its loop.
 */
export function exitForTest(): never {
  const process = (globalThis as { process?: { exit(code: number): never } }).process;
  if (process && (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === undefined) process.exit(70);
  throw new Error('worker thread ended by a test');
}

/**
 * The layout of the pool's control block, an Int32Array over a SharedArrayBuffer.
 *
 * Publication is a sequence lock: the main thread makes SEQUENCE odd, writes the task, then makes
 * it even and notifies. A worker takes a task only if it read the same even SEQUENCE before and
 * after reading the task, so it never acts on a half-written one and never runs one twice.
 * Each worker t acknowledges a task by storing its sequence number in ACK + t (the waiting
 * thread reads the acknowledgements only for a static task; a chunked one ends when DONE counts
 * every chunk).
 */
export const Control = {
  SEQUENCE: 0,
  KERNEL: 1,
  THREADS: 2,
  ROWS: 3,
  ALIGN: 4,
  ARG_COUNT: 5,
  /** 0, or 1 + the index of the first thread whose kernel threw. */
  FAILED: 6,
  /** Used only to probe whether this thread may block in Atomics.wait. */
  PROBE: 7,
  /** Rows per chunk, or 0: every thread runs its static range (rowRange) as one call. */
  CHUNK_ROWS: 8,
  CHUNKS: 9,
  /** tag << 16 | the next chunk to claim (runChunks). */
  CLAIM: 10,
  /** Chunks finished. */
  DONE: 11,
  /** For tests: 1 + the worker thread that ends itself when it next claims a chunk or takes a task. */
  TEST_EXIT: 12,
  ACK: 16,
  MAX_THREADS: 48,
  ARGS_BYTE_OFFSET: 256,
  MAX_ARGS: 24,
  MESSAGE_BYTE_OFFSET: 512,
  MESSAGE_BYTES: 512,
  /** 1 + the chunk thread t is running, or 0 (after the message: int index 256). */
  WORKING: 256,
  /** 1 while worker t sleeps in Atomics.wait between tasks, else 0. */
  SLEEPING: 304,
  BYTES: 1408,
} as const;
