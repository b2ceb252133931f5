// Typed wrappers of assembly/regularizers.ts: weight penalties and constraints.
import type { Backend } from '../runtime/backend.js';
import { Constraint } from '../runtime/bindings.js';

/** The kernel's code of each constraint. */
export const CONSTRAINT_CODES = {
  maxNorm: Constraint.MaxNorm, minMaxNorm: Constraint.MinMaxNorm, nonNeg: Constraint.NonNeg, unitNorm: Constraint.UnitNorm,
} as const;

/** l1 Σ|w| + l2 Σw² over n f32 values at w. */
export function penalty(be: Backend, w: number, n: number, l1: number, l2: number): number {
  return be.call('penalty', w, n, l1, l2);
}

/** grad += l1 sign(w) + 2 l2 w over n values. */
export function penaltyGradient(be: Backend, w: number, grad: number, n: number, l1: number, l2: number): void {
  be.call('penaltyGradient', w, grad, n, l1, l2);
}

/** Applies a constraint to w seen as rows × cols (norms over each column). */
export function constrain(be: Backend, kind: keyof typeof CONSTRAINT_CODES, w: number, rows: number, cols: number, minValue: number, maxValue: number, rate: number): void {
  be.call('constrain', CONSTRAINT_CODES[kind], w, rows, cols, minValue, maxValue, rate);
}
