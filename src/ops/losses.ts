// Typed wrappers of assembly/losses.ts.
import type { Backend } from '../runtime/backend.js';
import { Loss } from '../runtime/bindings.js';

export { Loss };

export interface LossRows {
  /** Predictions, rows × cols. */
  predictions: number;
  /** Targets: rows × cols, or one class index (as f32) per row for the sparse loss. */
  targets: number;
  /** Per-row weights, or 0 for none. */
  weights: number;
  /** Per-row losses out. */
  loss: number;
  /** dL/dprediction out (rows × cols), scaled by `scale`; 0 for none. */
  gradient: number;
  scale: number;
  /** Whether the gradient is taken with respect to the logits of a fused softmax / sigmoid. */
  fused: boolean;
}

/** Per-row losses (and gradients) of `rows` rows of `cols` columns, split by rows. */
export function lossRows(be: Backend, kind: Loss, rows: number, cols: number, o: LossRows): void {
  be.launch('lossRows', [kind, o.predictions, o.targets, o.weights, cols, o.loss, o.gradient, o.scale, +o.fused], rows, 1, rows * cols * 16);
}

/** out[i] = the index of row i's largest value (the first of equals), as i32; split by rows. */
export function argmaxRows(be: Backend, x: number, rows: number, cols: number, out: number): void {
  be.launch('argmaxRows', [x, cols, out], rows, 1, rows * cols);
}
