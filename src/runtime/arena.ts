import { OutOfMemoryError, WasmlearnError } from '../errors.js';

const PAGE = 65536;
/** Every block starts on a cache line, which also satisfies v128 alignment. */
const ALIGN = 64;

interface Block {
  ptr: number;
  size: number;
}

/**
 * The TypeScript-owned allocator over the module's linear memory, from the module's heap base
 * upwards. Kernels never allocate (AssemblyScript's allocator is not thread-safe on shared
 * memory), so every byte they touch is handed out here.
 *
 * First fit over an address-ordered free list, with coalescing of neighbours; the top of the
 * heap grows the memory when no free block fits and shrinks back when the last block is freed.
 */
export class Arena {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  private readonly free: Block[] = [];
  private readonly live = new Map<number, number>();
  private liveBytes = 0;
  private peak = 0;
  /** The most bytes of WebAssembly memory the arena may grow the memory to (init({ maxMemory })). */
  limit = Infinity;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.base = alignUp(heapBase, ALIGN);
    this.top = this.base;
  }

  /** Bytes currently handed out (tests compare this before and after a call: no leaks). */
  get bytesInUse(): number {
    return this.liveBytes;
  }

  /** The most bytes handed out at once since the arena was made (a high-water mark). */
  get peakBytes(): number {
    return this.peak;
  }

  /** The size of a block handed out (what a model or an optimizer holds). */
  sizeOf(ptr: number): number {
    return this.live.get(ptr) ?? 0;
  }

  /** Number of blocks currently handed out. */
  get allocations(): number {
    return this.live.size;
  }

  /** Returns a 64-byte-aligned block of at least `bytes` bytes; the contents are not cleared. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new WasmlearnError(`internal: arena request of ${bytes} bytes`);
    }
    const size = alignUp(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block.size >= size) {
        const ptr = block.ptr;
        if (block.size === size) this.free.splice(i, 1);
        else {
          block.ptr += size;
          block.size -= size;
        }
        return this.take(ptr, size);
      }
    }
    const ptr = this.top;
    this.ensure(ptr + size, bytes);
    this.top = ptr + size;
    return this.take(ptr, size);
  }

  /**
   * Takes the block [ptr, ptr + bytes) above the top of the heap, written before the arena was
   * made (a file read into the memory while the core compiled: backend.ts earlyBlock); what lies
   * between the top and the block becomes free. The memory must already reach past it.
   */
  claim(ptr: number, bytes: number): number {
    const size = alignUp(Math.max(bytes, 1), ALIGN);
    if (ptr % ALIGN !== 0 || ptr < this.top || ptr + size > this.memory.buffer.byteLength) {
      throw new WasmlearnError(`internal: arena claim of ${bytes} bytes at ${ptr} (heap top ${this.top}, memory ${this.memory.buffer.byteLength} bytes)`);
    }
    if (ptr > this.top) this.free.push({ ptr: this.top, size: ptr - this.top });
    this.top = ptr + size;
    return this.take(ptr, size);
  }

  /** Returns a block to the arena. Freeing an unknown pointer is a bug and throws. */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new WasmlearnError(`internal: arena release of unknown block ${ptr}`);
    this.live.delete(ptr);
    this.liveBytes -= size;
    // Insert in address order, then merge with the neighbours it touches.
    let i = 0;
    while (i < this.free.length && this.free[i].ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, size });
    if (i + 1 < this.free.length && ptr + size === this.free[i + 1].ptr) {
      this.free[i].size += this.free[i + 1].size;
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1].ptr + this.free[i - 1].size === ptr) {
      this.free[i - 1].size += this.free[i].size;
      this.free.splice(i, 1);
      i--;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      this.free.pop();
    }
  }

  /** A fresh Float32Array view of a block (views must be remade after the memory grows). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  private take(ptr: number, size: number): number {
    this.live.set(ptr, size);
    this.liveBytes += size;
    if (this.liveBytes > this.peak) this.peak = this.liveBytes;
    return ptr;
  }

  private ensure(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have + pages * PAGE > this.limit) {
      throw new OutOfMemoryError(
        `out of memory: a request for ${formatBytes(requested)} needs the WebAssembly memory to grow from ` +
          `${formatBytes(have)} to ${formatBytes(have + pages * PAGE)}, past maxMemory (${formatBytes(this.limit)}, set by ` +
          'init({ maxMemory })); the call was undone and the library goes on — release models, or use smaller batches',
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new OutOfMemoryError(
        `out of memory: a request for ${formatBytes(requested)} needs the WebAssembly memory to grow from ` +
          `${formatBytes(have)} to ${formatBytes(have + pages * PAGE)}, which the runtime refused`,
        { cause },
      );
    }
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${n} bytes`;
}
