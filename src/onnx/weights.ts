// The arrays an ONNX model keeps in WebAssembly memory between runs (weights in the layouts the
// kernels read), like a layer's weights: uploaded on first use — or, when the loader read the file
// into the core's memory, used where they are and packed from there — released by dispose() or, as
// a backstop, when the model is collected. After init() replaces the backend they are uploaded again.
import { packGemmB, packedGemmBBytes, type Image } from '../ops/gemm.js';
import { copyBytes, writeF32, writeF64, writeI32 } from '../ops/memory.js';
import { backend, type Backend } from '../runtime/backend.js';
import { heldBytes, releaseNow, releaseWhenCollected, type Held } from '../runtime/finalizer.js';
import type { BytesMover } from './value.js';

interface PackedLayout {
  offset: number;
  image: Image | undefined;
  transB: boolean;
  k: number;
  n: number;
  ldb: number;
  ptr: number;
}

export class WeightStore implements BytesMover {
  private held: Held | undefined;
  private readonly at = new Map<Float32Array | Float64Array | Int32Array, number>();
  /**
   * Packed right-hand GEMM operands by array, then by how it is read (offset, transpose, sizes: a
   * convolution group's filters) — a short list compared field by field, as every run looks its
   * weights up (a string key cost more than the rest of the lookup).
   */
  private readonly packedAt = new Map<Float32Array, PackedLayout[]>();
  /** The file's bytes, where the loader read them into WebAssembly memory (a block this store holds). */
  private file: { view: Uint8Array; ptr: number; be: Backend } | undefined;

  /** Holds the block of memory at `ptr` that the loader read the file into (`view`): weights in it are used where they are. */
  adoptFile(ptr: number, view: Uint8Array): void {
    const be = this.backend();
    this.heldBy(be).ptrs.push(ptr);
    this.file = { view, ptr, be };
  }

  /** Moves bytes within the buffer of the file's bytes (value.ts fromRawInPlace: weights moved into alignment). */
  moveBytes(buffer: ArrayBufferLike, to: number, from: number, bytes: number): void {
    const f = this.file;
    if (f && buffer === f.view.buffer && f.be === backend()) copyBytes(f.be, f.ptr + from - f.view.byteOffset, f.ptr + to - f.view.byteOffset, bytes);
    else new Uint8Array(buffer).copyWithin(to, from, from + bytes);
  }

  /** Where `values` are in the current memory when they are a view of the file read into it. */
  private inPlace(values: ArrayBufferView): number | undefined {
    const f = this.file;
    if (!f || values.buffer !== f.view.buffer || f.be !== backend()) return undefined;
    const at = values.byteOffset - f.view.byteOffset;
    return at >= 0 && at + values.byteLength <= f.view.byteLength ? f.ptr + at : undefined;
  }

  /** The pointer of `values` in the current backend's memory (uploaded once, unless the file put them there). */
  ptr(values: Float32Array | Float64Array | Int32Array): number {
    const be = this.backend();
    let ptr = this.at.get(values) ?? this.inPlace(values);
    if (ptr === undefined) {
      ptr = this.hold(be, values.byteLength);
      if (values instanceof Float32Array) writeF32(be, ptr, values);
      else if (values instanceof Float64Array) writeF64(be, ptr, values);
      else writeI32(be, ptr, values);
      this.at.set(values, ptr);
    }
    return ptr;
  }

  /**
   * The pointer of op(B) (k×n, starting `offset` elements into `values`, rows `ldb` apart as
   * stored; with `image`, rows stored in its C, H, W order read in H, W, C order) laid out as the
   * GEMM packs it (ops/gemm.ts gemmPacked), packed once.
   */
  packedB(values: Float32Array, transB: boolean, k: number, n: number, ldb: number, offset = 0, image?: Image): number {
    const be = this.backend();
    let layouts = this.packedAt.get(values);
    if (!layouts) this.packedAt.set(values, (layouts = []));
    let ptr = layouts.find((l) => l.offset === offset && l.transB === transB && l.k === k && l.n === n && l.ldb === ldb && sameImage(l.image, image))?.ptr;
    if (ptr === undefined) {
      const out = this.hold(be, packedGemmBBytes(be, k, n));
      // Only the elements op(B) spans are read (one group's filters of a grouped convolution, not all).
      packGemmB(be, values, offset, transB, k, n, ldb, out, image, this.inPlace(values));
      layouts.push({ offset, image, transB, k, n, ldb, ptr: (ptr = out) });
    }
    return ptr;
  }

  /**
   * The pointer of `values[offset]` where the file put it, the first time a product reads `values`
   * (undefined otherwise: use packedB). A product packs B as it goes, so one product costs no more
   * unpacked; the packed copy, as large as the weights and in memory touched for the first time
   * (what most of a cold start's first prediction costs), is made when B is read again.
   */
  unpackedOnce(values: Float32Array, offset = 0): number | undefined {
    const at = this.inPlace(values);
    if (at === undefined || this.packedAt.has(values)) return undefined;
    this.packedAt.set(values, []);
    return at + offset * 4;
  }

  /** The current backend, after letting go of what was uploaded to one init() replaced. */
  private backend(): Backend {
    const be = backend();
    if (this.held && this.held.be !== be) this.releaseAll();
    return be;
  }

  /** `bytes` of memory kept until the model is disposed or collected. */
  private hold(be: Backend, bytes: number): number {
    const ptr = be.arena.alloc(Math.max(1, bytes));
    this.heldBy(be).ptrs.push(ptr);
    return ptr;
  }

  private heldBy(be: Backend): Held {
    if (!this.held) {
      this.held = { be, ptrs: [] };
      releaseWhenCollected(this, this.held);
    }
    return this.held;
  }

  get bytes(): number {
    return heldBytes(this.held);
  }

  releaseAll(): void {
    if (this.held) releaseNow(this, this.held);
    this.held = undefined;
    this.file = undefined;
    this.at.clear();
    this.packedAt.clear();
  }
}

const sameImage = (a: Image | undefined, b: Image | undefined) => a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);
