// Typed wrappers of assembly/rectifiers.ts: the parametric rectifier layers' passes, split over threads.
import type { Backend } from '../runtime/backend.js';
import { Rectifier } from '../runtime/bindings.js';

export { Rectifier };

/** The parameters a rectifier reads: ReLU (maxValue, slope, threshold), ELU (α), ThresholdedReLU (θ). */
export type RectifierParameters = readonly [number, number, number];

const cost = (kind: Rectifier): number => (kind === Rectifier.Elu ? 16 : 1);

/** y = f(x) over n values. */
export function rectify(be: Backend, kind: Rectifier, x: number, y: number, n: number, [a, b, c]: RectifierParameters): void {
  be.launch('rectify', [kind, x, y, a, b, c], n, 4, n * cost(kind));
}

/** dx = dy · f′(x) over n values (dx may alias dy). */
export function rectifyBackward(be: Backend, kind: Rectifier, x: number, dy: number, dx: number, n: number, [a, b, c]: RectifierParameters): void {
  be.launch('rectifyBackward', [kind, x, dy, dx, a, b, c], n, 4, n * cost(kind));
}
