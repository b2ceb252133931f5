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
 * Kernels a thread runs as one call over its whole range: treeBatch gives a tree's builder and
 * helper roles by the range it is called with; smoBatch takes problems from a shared counter.
 */
export const WHOLE_RANGE_KERNELS: ReadonlySet<string> = new Set(['treeBatch', 'smoBatch']);

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

/**
 * The layout of the pool's control block, an Int32Array over a SharedArrayBuffer.
 *
 * Publication is a sequence lock: the main thread makes SEQUENCE odd, writes the task, then makes
 * it even and notifies. A worker takes a task only if it read the same even SEQUENCE before and
 * after reading the task, so it never acts on a half-written one and never runs one twice.
 * Each worker t acknowledges a task by storing its sequence number in ACK + t.
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
  /** Calls each thread makes over its rows (callInPieces). */
  PIECES: 8,
  ACK: 16,
  MAX_THREADS: 48,
  ARGS_BYTE_OFFSET: 256,
  MAX_ARGS: 24,
  MESSAGE_BYTE_OFFSET: 512,
  MESSAGE_BYTES: 512,
  BYTES: 1024,
} as const;
