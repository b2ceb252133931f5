// The reader the generated decoder (onnx-proto.js) reads a file with: protobufjs' own, with one
// change. A short bytes field equal to one of the last few read is handed out as the same view of
// the file. skl2onnx writes a tree ensemble's split modes as one bytes entry per node ("BRANCH_LEQ",
// "LEAF"): a 500-tree forest has 1.3 M of them, and a Uint8Array view each was 0.7 s of the 4 s its
// decode took on the benchmark machine, and some 100 MB of heap. The graph reads bytes fields and
// never writes them; tensors it moves in place (value.ts fromRawInPlace) are far longer than these.
import $protobuf from 'protobufjs/minimal.js';

/** Bytes fields up to this long are shared (node modes, labels, short names). */
const SHORT_BYTES = 16;
/** Distinct short values remembered: the split modes are 7 (ai.onnx.ml TreeEnsemble*). */
const REMEMBERED = 8;

export class ProtoReader extends $protobuf.Reader {
  private readonly recent: Uint8Array[] = [];
  private next = 0;

  override raw(start: number, end: number): Uint8Array {
    const length = end - start;
    if (length === 0 || length > SHORT_BYTES) return super.raw(start, end);
    for (const seen of this.recent) if (seen.length === length && sameBytesAt(seen, this.buf, start)) return seen;
    const view = super.raw(start, end);
    this.recent[this.next] = view;
    this.next = (this.next + 1) % REMEMBERED;
    return view;
  }
}

/** Whether `b` holds `a`'s bytes from index `at` on. */
export function sameBytesAt(a: Uint8Array, b: Uint8Array, at: number): boolean {
  if (at + a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}
