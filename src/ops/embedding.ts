// Typed wrappers of assembly/embedding.ts.
import type { Backend } from '../runtime/backend.js';

/** The first of count indices (f32) that is not an integer in [0, rows), or −1. */
export function embeddingCheck(be: Backend, indices: number, count: number, rows: number): number {
  return be.call('embeddingCheck', indices, count, rows);
}

/** out row i = table row indices[i] for count positions (dim values each), split by positions. */
export function embeddingLookup(be: Backend, indices: number, table: number, count: number, dim: number, out: number): void {
  be.launch('embeddingLookup', [indices, table, dim, out], count, 1, count * dim);
}

/** grad (rows × dim) = each position's dy row summed into the row its index picked. */
export function embeddingGradient(be: Backend, indices: number, dy: number, count: number, rows: number, dim: number, grad: number): void {
  be.call('embeddingGradient', indices, dy, count, rows, dim, grad);
}
