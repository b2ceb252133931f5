// Garbage collection as the backstop of dispose() (DESIGN.md §5): memory a model holds in the
// arena goes back when the model is collected. Created on first use, not on import, and absent
// where the runtime has no FinalizationRegistry (workerd): there dispose() is the only way back.
import type { Backend } from './backend.js';

export interface Held {
  be: Backend;
  ptrs: number[];
}

let registry: FinalizationRegistry<Held> | null | undefined;

/** Releases `held` into its arena once `owner` is garbage-collected. */
export function releaseWhenCollected(owner: object, held: Held): void {
  registry ??= typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Held>((h) => release(h))
    : null;
  registry?.register(owner, held, owner);
}

/** The bytes `held` holds in its arena now. */
export function heldBytes(held: Held | undefined): number {
  return held ? held.ptrs.reduce((sum, ptr) => sum + held.be.arena.sizeOf(ptr), 0) : 0;
}

/** Releases `held` now and stops watching `owner`. */
export function releaseNow(owner: object, held: Held): void {
  registry?.unregister(owner);
  release(held);
}

function release(held: Held): void {
  for (const ptr of held.ptrs) held.be.arena.release(ptr);
  held.ptrs.length = 0;
}
