// Typed wrappers of assembly/softmax-axis.ts: the softmax over an axis that is not the last.
import type { Backend } from '../runtime/backend.js';

/** y = softmax over the middle axis of [outer, len, inner] (outer counting every sample), split by lines. */
export function softmaxAxis(be: Backend, x: number, y: number, outer: number, len: number, inner: number): void {
  be.launch('softmaxAxis', [x, y, len, inner], outer * inner, 1, outer * inner * len * 16);
}

/** dx = the softmax's Jacobian times dy, from its output y (dx may alias dy), split by lines. */
export function softmaxAxisBackward(be: Backend, y: number, dy: number, dx: number, outer: number, len: number, inner: number): void {
  be.launch('softmaxAxisBackward', [y, dy, dx, len, inner], outer * inner, 1, outer * inner * len * 2);
}
