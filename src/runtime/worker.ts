// A pool thread: instantiates the module on the shared memory, then serves tasks published in
// the control block until it is terminated. It never allocates in wasm memory: arguments are
// pointers into buffers the main thread's arena owns for the duration of the task.
import { instantiateCore } from './instantiate.js';
import { Control, exitForTest, PARALLEL_KERNELS, recordFailure, rowRange, runChunks, taskTag, type KernelExports } from './kernels.js';

export interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
}

export type WorkerReply = { type: 'ready'; index: number } | { type: 'error'; index: number; message: string };

async function start(init: WorkerStart, reply: (message: WorkerReply) => void): Promise<void> {
  let exports: KernelExports;
  try {
    exports = instantiateCore(init.module, init.memory).exports as unknown as KernelExports;
  } catch (error) {
    reply({ type: 'error', index: init.index, message: String(error) });
    return;
  }
  const control = new Int32Array(init.control);
  let seen = Atomics.load(control, Control.SEQUENCE);
  if (seen & 1) seen--;
  reply({ type: 'ready', index: init.index });
  serve(exports, control, init.index, seen);
}

/**
 * Loads of the sequence number a worker spins through before it sleeps in Atomics.wait (about
 * half a millisecond): waking a sleeping thread costs ~150 µs on this kind of machine, and
 * kernel launches come in bursts (a training step is a few GEMMs in a row).
 */
const SPIN = 200_000;

function serve(exports: KernelExports, control: Int32Array, index: number, seen: number): never {
  const args = new Float64Array(control.buffer, Control.ARGS_BYTE_OFFSET, Control.MAX_ARGS);
  const call: unknown[] = [];
  for (;;) {
    for (let i = 0; i < SPIN && Atomics.load(control, Control.SEQUENCE) === seen; i++);
    // Said, so that the first task after an idle stretch is not taken for a sign of a crowded machine.
    Atomics.store(control, Control.SLEEPING + index, 1);
    Atomics.wait(control, Control.SEQUENCE, seen);
    Atomics.store(control, Control.SLEEPING + index, 0);
    const sequence = Atomics.load(control, Control.SEQUENCE);
    if (sequence === seen || sequence & 1) continue;
    const kernel = control[Control.KERNEL];
    const threads = control[Control.THREADS];
    const rows = control[Control.ROWS];
    const align = control[Control.ALIGN];
    const count = control[Control.ARG_COUNT];
    const chunkRows = control[Control.CHUNK_ROWS];
    call.length = 0;
    for (let i = 0; i < count; i++) call.push(args[i]);
    if (Atomics.load(control, Control.SEQUENCE) !== sequence) continue; // torn read: look again
    seen = sequence;
    if (index >= threads) continue;
    const fn = exports[PARALLEL_KERNELS[kernel]] as unknown as (...a: number[]) => void;
    if (chunkRows > 0) runChunks(control, fn, call as number[], taskTag(sequence), index, (error) => recordFailure(control, index, error));
    else {
      if (Atomics.load(control, Control.TEST_EXIT) === index + 1) exitForTest();
      const [rowStart, rowEnd] = rowRange(rows, threads, align, index);
      try {
        if (rowStart < rowEnd) fn(...(call as number[]), rowStart, rowEnd, index);
      } catch (error) {
        recordFailure(control, index, error);
      }
      Atomics.store(control, Control.ACK + index, sequence);
      Atomics.notify(control, Control.ACK + index);
    }
  }
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  onmessage: ((event: { data: WorkerStart }) => void) | null;
  postMessage(message: WorkerReply): void;
  process?: { getBuiltinModule?: (id: string) => unknown };
};

if (scope.WorkerGlobalScope !== undefined) {
  // Browser Web Worker: the start message carries the module and the memory.
  scope.onmessage = (event) => {
    scope.onmessage = null;
    void start(event.data, (message) => scope.postMessage(message));
  };
} else {
  // Node (or Deno) worker_threads: the same, as workerData.
  const threads = scope.process!.getBuiltinModule!('node:worker_threads') as {
    parentPort: { postMessage(message: WorkerReply): void };
    workerData: WorkerStart;
  };
  void start(threads.workerData, (message) => threads.parentPort.postMessage(message));
}
