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

/** PReLU over `batch` samples of sampleSize values, α given per position; split over threads. */
export function prelu(be: Backend, x: number, y: number, alpha: number, sampleSize: number, batch: number): void {
  be.launch('prelu', [x, y, alpha, sampleSize], batch * sampleSize, 4, batch * sampleSize);
}

/** dx (0: not needed) and α's per-position gradient summed over the batch (0: not needed). */
export function preluBackward(be: Backend, x: number, dy: number, dx: number, alpha: number, dalpha: number, sampleSize: number, batch: number): void {
  be.call('preluBackward', x, dy, dx, alpha, dalpha, sampleSize, batch);
}
