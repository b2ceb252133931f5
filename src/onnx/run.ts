// One run of a graph and the WebAssembly memory it owns: the kernels' outputs stay in memory
// (Resident) so the next kernel reads them where they are, and JavaScript copies them out only
// when an operator without a kernel, or the caller, reads them. Blocks go back when the graph no
// longer needs a value, and all of them when the run ends or throws.
import { gemmWorkspace } from '../ops/gemm.js';
import { putF32, readF32 } from '../ops/memory.js';
import { backend, type Backend } from '../runtime/backend.js';

/** float32 elements in the memory of a run. */
export class Resident {
  private copy: Float32Array | undefined;
  released = false;

  constructor(readonly run: Run, readonly ptr: number, readonly length: number) {}

  /** The elements in JavaScript (copied out once). */
  read(): Float32Array {
    if (!this.copy) {
      if (this.released) throw new Error('internal: a value of the run was read after its memory was released');
      this.copy = readF32(this.run.be, this.ptr, this.length);
    }
    return this.copy;
  }
}

let current: Run | undefined;

export class Run {
  readonly be: Backend = backend();
  private readonly blocks = new Set<number>();
  /** JavaScript arrays already copied in during this run (user inputs, values an operator made in JavaScript). */
  private readonly copies = new Map<Float32Array, number>();
  private workspace: number | undefined;

  /** A block of this run's memory (released by release() or at the end). */
  alloc(bytes: number): number {
    const ptr = this.be.arena.alloc(Math.max(4, bytes));
    this.blocks.add(ptr);
    return ptr;
  }

  /** A fresh output of n floats. */
  output(n: number): Resident {
    return new Resident(this, this.alloc(n * 4), n);
  }

  /** The pointer of float32 elements: where they are if they are this run's, else a copy made once per run. */
  pointer(elements: Float32Array | Resident): number {
    if (elements instanceof Resident) {
      if (elements.run === this && !elements.released) return elements.ptr;
      elements = elements.read();
    }
    let ptr = this.copies.get(elements);
    if (ptr === undefined) {
      ptr = putF32(this.be, (bytes) => this.alloc(bytes), elements);
      this.copies.set(elements, ptr);
    }
    return ptr;
  }

  /** GEMM scratch for every thread, one block for every product of the run (kernels run one at a time). */
  gemmWorkspace(): number {
    return (this.workspace ??= this.alloc(gemmWorkspace(this.be)));
  }

  release(r: Resident): void {
    if (r.run !== this || r.released) return;
    r.released = true;
    this.blocks.delete(r.ptr);
    this.be.arena.release(r.ptr);
  }

  private end(): void {
    for (const ptr of this.blocks) this.be.arena.release(ptr);
    this.blocks.clear();
    this.copies.clear();
    this.workspace = undefined;
  }

  /** Runs body with this run current; every block goes back when it returns or throws. */
  static within<T>(body: (run: Run) => T): T {
    const run = new Run();
    const outer = current;
    current = run;
    try {
      return body(run);
    } finally {
      current = outer;
      run.end();
    }
  }

  /** The run in progress (operators called outside one, at load for constant folding, get a run of their own). */
  static get current(): Run | undefined {
    return current;
  }
}
