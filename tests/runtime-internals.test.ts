// The runtime's internals, from the TypeScript sources: the arena, and traps turned into errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Arena } from '../src/runtime/arena.js';
import { backend, init } from '../src/runtime/backend.js';
import { callInPieces, rowRange } from '../src/runtime/kernels.js';
import { CrowdedWatch } from '../src/runtime/crowded-watch.js';
import { Activation } from '../src/runtime/bindings.js';
import { readF32, writeF32 } from '../src/ops/memory.js';
import { OutOfMemoryError, WasmlearnError } from '../src/errors.js';

describe('Arena', () => {
  it('hands out aligned, disjoint blocks and reuses freed ones, coalescing neighbours', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 64 });
    const arena = new Arena(memory, 1000);
    const a = arena.alloc(10);
    const b = arena.alloc(100);
    const c = arena.alloc(1000);
    for (const p of [a, b, c]) expect(p % 64).toBe(0);
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(b).toBeGreaterThanOrEqual(a + 10);
    expect(c).toBeGreaterThanOrEqual(b + 100);
    expect(arena.allocations).toBe(3);
    arena.release(a);
    arena.release(b);
    // a and b coalesced: a block of 64 + 128 bytes fits where they were.
    expect(arena.alloc(150)).toBe(a);
    arena.release(a);
    arena.release(c);
    expect(arena.bytesInUse).toBe(0);
    expect(arena.allocations).toBe(0);
    expect(arena.alloc(5000)).toBe(a); // everything merged back into the top
  });

  it('keeps the high-water mark of the bytes handed out (backendInfo\'s arenaPeakBytes)', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 64 });
    const arena = new Arena(memory, 0);
    const a = arena.alloc(100), b = arena.alloc(1000);
    expect(arena.peakBytes).toBe(128 + 1024);
    arena.release(a);
    arena.release(b);
    expect(arena.bytesInUse).toBe(0);
    expect(arena.peakBytes).toBe(128 + 1024);
    arena.release(arena.alloc(64));
    expect(arena.peakBytes).toBe(128 + 1024);
    await init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
    const info = backend().info();
    expect(info.arenaPeakBytes).toBeGreaterThanOrEqual(info.arenaBytesInUse);
    const peak = info.arenaPeakBytes, be = backend();
    be.arena.release(be.arena.alloc(peak + 4096));
    expect(backend().info().arenaPeakBytes).toBeGreaterThanOrEqual(peak + 4096);
  });

  it('grows the memory on demand and reports out of memory without changing its state', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const arena = new Arena(memory, 0);
    const p = arena.alloc(3 * 65536);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(3 * 65536);
    expect(() => arena.alloc(2 * 65536)).toThrow(OutOfMemoryError);
    expect(() => arena.alloc(2 * 65536)).toThrow(/a request for 131072 bytes/);
    expect(arena.bytesInUse).toBe(3 * 65536);
    arena.release(p);
    expect(arena.alloc(4 * 65536)).toBe(p);
  });

  it('claims a block written above the heap before it was made; the gap below it is handed out, and all merges back', () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 8 });
    const arena = new Arena(memory, 1000);
    const block = arena.claim(2 * 65536, 100);
    expect(block).toBe(2 * 65536);
    expect(arena.bytesInUse).toBe(128);
    const below = arena.alloc(1000);
    expect(below).toBeGreaterThanOrEqual(1000);
    expect(below + 1000).toBeLessThanOrEqual(block);
    const above = arena.alloc(130000); // more than the gap holds
    expect(above).toBeGreaterThanOrEqual(block + 128);
    expect(() => arena.claim(block - 64, 10), 'below the top').toThrow(/internal: arena claim/);
    expect(() => arena.claim(4 * 65536, 10), 'past the memory').toThrow(/internal: arena claim/);
    expect(() => arena.claim(3 * 65536 + 4, 10), 'unaligned').toThrow(/internal: arena claim/);
    for (const p of [block, below, above]) arena.release(p);
    expect(arena.bytesInUse).toBe(0);
    expect(arena.alloc(3 * 65536)).toBe(below);
  });

  it('refuses to release an unknown block', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }), 0);
    expect(() => arena.release(12345)).toThrow(/unknown block/);
  });
});

describe('rowRange', () => {
  it('covers every row exactly once, in blocks of the alignment', () => {
    for (const rows of [1, 3, 4, 5, 99, 100, 1024]) {
      for (const threads of [1, 2, 3, 4, 7]) {
        let next = 0;
        for (let t = 0; t < threads; t++) {
          const [start, end] = rowRange(rows, threads, 4, t);
          expect(start).toBe(Math.min(next, rows));
          if (start < end && end < rows) expect((end - start) % 4).toBe(0);
          next = Math.max(next, end);
        }
        expect(next).toBe(rows);
      }
    }
  });
});

describe('callInPieces', () => {
  it('calls over consecutive sub-ranges with bounds on the alignment that cover the range once', () => {
    for (const [start, end, align, pieces] of [[0, 100, 4, 8], [8, 13, 4, 8], [0, 3, 1, 8], [0, 1000, 256, 8], [5, 50, 1, 1], [7, 7, 1, 8]]) {
      const calls: [number, number, number][] = [];
      callInPieces((a, s, e, t) => { expect(a).toBe(42); calls.push([s, e, t]); }, [42], start, end, align, pieces, 3);
      expect(calls.length).toBeLessThanOrEqual(Math.max(1, pieces));
      let next = start;
      for (const [s, e, t] of calls) {
        expect(t).toBe(3);
        expect(s).toBe(next);
        expect(e).toBeGreaterThan(s);
        if (e < end) expect((e - start) % align).toBe(0);
        next = e;
      }
      expect(next).toBe(end > start ? end : start);
    }
  });
});

describe('kernel failures', () => {
  it('a trap inside a kernel becomes a WasmlearnError, and the backend keeps working', async () => {
    await init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
    const be = backend();
    let error: unknown;
    try {
      be.call('sumRows', 0x7ffffff0, 1000, 1, 0x7ffffff0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WasmlearnError);
    expect((error as Error).message).toMatch(/internal error in WebAssembly kernel sumRows: memory access out of bounds/);
    const x = be.scoped((alloc) => {
      const p = alloc(12);
      writeF32(be, p, new Float32Array([1, 2]));
      be.call('sumRows', p, 2, 1, p + 8);
      return readF32(be, p + 8, 1);
    });
    expect(Array.from(x)).toEqual([3]);
    expect(be.arena.bytesInUse).toBe(0);
  });

  it('an AssemblyScript abort (a failed assert in a kernel) becomes a WasmlearnError with its message', () => {
    const be = backend();
    let error: unknown;
    try {
      // A leading dimension smaller than the row: the kernel's own guard aborts.
      be.call('gemm', 0, 0, 2, 2, 2, 1, 0, 1, 0, 2, 0, 0, 2, 0, 0, 0, 2, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WasmlearnError);
    expect((error as Error).message).toMatch(/internal error in WebAssembly kernel gemm: abort: gemm: leading dimension too small at assembly\/gemm\.ts/);
    expect(be.arena.bytesInUse).toBe(0);
  });
});

describe('Pool', () => {
  // The pool from the sources, with the built worker script (the one the bundle ships).
  async function makePool(threads: number) {
    const { Pool } = await import('../src/runtime/pool.js');
    const { instantiateCore } = await import('../src/runtime/instantiate.js');
    const module = await WebAssembly.compile(readFileSync(new URL('../dist/wasm/threads.wasm', import.meta.url)));
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 64, shared: true });
    const exports = instantiateCore(module, memory).exports as unknown as import('../src/runtime/kernels.js').KernelExports;
    const pool = new Pool(module, memory, exports, new URL('../dist/worker.js', import.meta.url));
    await pool.grow(threads);
    const arena = new Arena(memory, exports.heapBase());
    return { pool, exports, memory, arena };
  }

  it('row kernels give the same bits on 1 and 3 threads, in static ranges and in claimed chunks', async () => {
    const { pool, arena, memory } = await makePool(3);
    expect(pool.ready).toBe(2);
    const rows = 37, cols = 29;
    const x = arena.alloc(rows * cols * 4), y1 = arena.alloc(rows * cols * 4), y3 = arena.alloc(rows * cols * 4), yc = arena.alloc(rows * cols * 4);
    const values = new Float32Array(memory.buffer, x, rows * cols);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 30;
    for (const y of [y1, y3, yc]) new Float32Array(memory.buffer, y, rows * cols).set(values);
    // The row softmax, in place.
    pool.run('biasActivation', [y1, 0, cols, Activation.Softmax, 0], rows, 1, 1, 0);
    pool.run('biasActivation', [y3, 0, cols, Activation.Softmax, 0], rows, 1, 3, 0);
    pool.run('biasActivation', [yc, 0, cols, Activation.Softmax, 0], rows, 1, 3, 2);
    const one = new Uint32Array(memory.buffer, y1, rows * cols);
    const three = new Uint32Array(memory.buffer, y3, rows * cols);
    expect(Array.from(three)).toEqual(Array.from(one));
    expect(Array.from(new Uint32Array(memory.buffer, yc, rows * cols))).toEqual(Array.from(one));
    const firstRow = new Float32Array(memory.buffer, y1, cols);
    expect(firstRow.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('a worker that ends between calls is not waited for: the pool says it is broken and the next call runs on the threads left, with the same bits', async () => {
    const { pool, arena, memory } = await makePool(3);
    expect(pool.ready).toBe(2);
    const rows = 37, cols = 29;
    const y1 = arena.alloc(rows * cols * 4), y3 = arena.alloc(rows * cols * 4);
    const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i) * 20);
    new Float32Array(memory.buffer, y1, rows * cols).set(values);
    new Float32Array(memory.buffer, y3, rows * cols).set(values);
    pool.run('biasActivation', [y1, 0, cols, Activation.Softmax, 0], rows, 1, 1, 0);
    // Thread 2 ends (as a terminated or crashed worker would); its exit event arrives before the next call.
    const worker = (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[1];
    await worker.terminate();
    for (let i = 0; i < 50 && !pool.broken; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pool.broken).toMatch(/worker thread 2 failed: it exited/);
    expect(pool.ready).toBe(1);
    // Asked for 3 threads, the call uses the 2 still serving, returns, and gives the same bits.
    pool.run('biasActivation', [y3, 0, cols, Activation.Softmax, 0], rows, 1, 3, 4);
    expect(Array.from(new Uint32Array(memory.buffer, y3, rows * cols))).toEqual(Array.from(new Uint32Array(memory.buffer, y1, rows * cols)));
    await pool.close();
  });

  it('every kernel the pool splits takes no more arguments than the control block holds', async () => {
    const { exports } = await makePool(1);
    const { Control, PARALLEL_KERNELS } = await import('../src/runtime/kernels.js');
    for (const kernel of PARALLEL_KERNELS) {
      // The wasm function's parameters less the (start, end) the pool adds (and thread, counted here).
      const params = (exports[kernel] as unknown as (...a: number[]) => void).length;
      expect(params - 2, kernel).toBeLessThanOrEqual(Control.MAX_ARGS);
    }
    expect(Control.ARGS_BYTE_OFFSET + 8 * Control.MAX_ARGS).toBeLessThanOrEqual(Control.MESSAGE_BYTE_OFFSET);
  });

  it('a launch says whether it had to wake a worker: after an idle stretch, not right after another launch', async () => {
    const { pool, arena } = await makePool(2);
    const cols = 64, rows = 8;
    const y = arena.alloc(rows * cols * 4);
    // Idle long enough for the worker to stop spinning and sleep (it spins about half a millisecond).
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A static task: this thread waits for the worker's acknowledgement, so the worker is awake after it.
    pool.run('biasActivation', [y, 0, cols, Activation.Relu, 0], rows, 1, 2, 0);
    expect(pool.last.woke).toBe(true);
    // Back to back, the worker is still spinning — unless this busy machine took its core away for
    // longer than its spin in between, so the pair is tried a few times: a pool that always woke its
    // workers (or always said so) fails every try.
    const woke: boolean[] = [];
    for (let attempt = 0; attempt < 5 && !woke.includes(false); attempt++) {
      pool.run('biasActivation', [y, 0, cols, Activation.Relu, 0], rows, 1, 2, 0);
      pool.run('biasActivation', [y, 0, cols, Activation.Relu, 0], rows, 1, 2, 0);
      woke.push(pool.last.woke);
    }
    expect(woke).toContain(false);
    await pool.close();
  });

  it('a trap in a worker thread reaches the caller as an error naming the thread, and the pool goes on', async () => {
    const { pool, arena, memory } = await makePool(2);
    const cols = 1024;
    const bias = arena.alloc(cols * 4);
    // Rows 0..9 lie in memory; rows 10..19 (thread 1's half) run past its end.
    const x = memory.buffer.byteLength - 10 * cols * 4;
    let error: unknown;
    try {
      pool.run('biasActivation', [x, bias, cols, Activation.Linear, 0], 20, 1, 2, 0);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/memory access out of bounds \(in worker thread 1\)/);
    // The same in chunks: whoever runs a chunk past the end traps, and the call reports it.
    error = undefined;
    try {
      pool.run('biasActivation', [x, bias, cols, Activation.Linear, 0], 20, 1, 2, 2);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/memory access out of bounds/);
    const ok = arena.alloc(4 * cols * 4);
    pool.run('biasActivation', [ok, bias, cols, Activation.Linear, 0], 4, 1, 2, 1);
    expect(pool.broken).toBeUndefined();
  });
});

describe('CrowdedWatch', () => {
  const late = { chunks: 4, ownChunks: 4, ownMs: 0.1, waitMs: 0.05 };
  const skips = (watch: CrowdedWatch) => {
    let n = 0;
    while (watch.skip()) n++;
    return n;
  };
  it('after a launch on which the worker did nothing, the next ones run alone, 2, 4, 8 … of them', () => {
    const watch = new CrowdedWatch();
    watch.record({ ...late, woke: false });
    expect(skips(watch)).toBe(2);
    watch.record({ ...late, woke: false });
    expect(skips(watch)).toBe(4);
    // A launch on which both threads helped ends the stretches.
    watch.record({ chunks: 4, ownChunks: 2, ownMs: 0.1, waitMs: 0.01, woke: false });
    expect(skips(watch)).toBe(0);
    watch.record({ ...late, woke: false });
    expect(skips(watch)).toBe(2);
  });

  it('a launch counts against the pool only when it took a quarter longer than this thread alone would have; a near tie teaches nothing', () => {
    // This thread ran all 4 chunks in 0.1 ms: alone, the launch would have taken 0.1 ms.
    const tie = { chunks: 4, ownChunks: 4, ownMs: 0.1, waitMs: 0.02, woke: false };
    const watch = new CrowdedWatch();
    watch.record(tie);
    expect(skips(watch)).toBe(0);
    watch.record({ ...tie, waitMs: 0.03 });
    expect(skips(watch)).toBe(2);
    // The near tie does not end the streak: the next loss doubles the stretch.
    watch.record(tie);
    expect(skips(watch)).toBe(0);
    watch.record({ ...tie, waitMs: 0.03 });
    expect(skips(watch)).toBe(4);
  });

  it('a launch that had to wake a sleeping worker is not counted against the pool', () => {
    const watch = new CrowdedWatch();
    watch.record({ ...late, woke: true });
    expect(skips(watch)).toBe(0);
  });
});

describe('init', () => {
  it('refuses to change the build while something lives in WebAssembly memory', async () => {
    await init({ module: readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url)), threads: false });
    const be = backend();
    const block = be.arena.alloc(1024);
    await expect(init({ threads: 2 })).rejects.toThrow(/cannot change the build \(simd → threads\) while 1024 bytes of WebAssembly memory are in use/);
    expect(backend()).toBe(be);
    be.arena.release(block);
  });
});

describe('init with a module', () => {
  it('names what is wrong with a module that is not a wasmlearn build', async () => {
    const { FormatError, ValueError } = await import('../src/errors.js');
    await expect(init({ module: 'simd.wasm' as never })).rejects.toThrow(ValueError);
    await expect(init({ module: new Uint8Array([1, 2, 3]) })).rejects.toThrow(FormatError);
    await expect(init({ module: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/module is not a valid WebAssembly module/);
    // A valid module, but not ours (the smallest module: no exports at all).
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(init({ module: empty })).rejects.toThrow(/not a wasmlearn build of this version \(it lacks the exports buildFeatures, heapBase, heartbeats, gemm/);
  });
});
