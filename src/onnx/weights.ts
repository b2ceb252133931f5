// The arrays an ONNX model keeps in WebAssembly memory between runs (weights in the layouts the
// kernels read), like a layer's weights: uploaded on first use, released by dispose() or, as a
// backstop, when the model is collected. After init() replaces the backend they are uploaded again.
import { writeF32, writeF64, writeI32 } from '../ops/memory.js';
import { backend } from '../runtime/backend.js';
import { heldBytes, releaseNow, releaseWhenCollected, type Held } from '../runtime/finalizer.js';

export class WeightStore {
  private held: Held | undefined;
  private readonly at = new Map<Float32Array | Float64Array | Int32Array, number>();

  /** The pointer of `values` in the current backend's memory (uploaded once). */
  ptr(values: Float32Array | Float64Array | Int32Array): number {
    const be = backend();
    if (this.held && this.held.be !== be) this.releaseAll();
    let ptr = this.at.get(values);
    if (ptr === undefined) {
      if (!this.held) {
        this.held = { be, ptrs: [] };
        releaseWhenCollected(this, this.held);
      }
      ptr = be.arena.alloc(Math.max(1, values.byteLength));
      this.held.ptrs.push(ptr);
      if (values instanceof Float32Array) writeF32(be, ptr, values);
      else if (values instanceof Float64Array) writeF64(be, ptr, values);
      else writeI32(be, ptr, values);
      this.at.set(values, ptr);
    }
    return ptr;
  }

  get bytes(): number {
    return heldBytes(this.held);
  }

  releaseAll(): void {
    if (this.held) releaseNow(this, this.held);
    this.held = undefined;
    this.at.clear();
  }
}
