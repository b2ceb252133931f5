// Typed wrappers of assembly/activation.ts and the bias gradient of assembly/elementwise.ts.
import type { Backend } from '../runtime/backend.js';
import { Activation } from '../runtime/bindings.js';

export { Activation };

/** Work per element: cheap (max, copy) or an exponential. */
const cost = (activation: Activation): number => (activation === Activation.Relu || activation === Activation.Linear ? 1 : 16);

/** y[i, :] = f(y[i, :] + bias) in place for rows × cols (bias 0: none), split by rows. */
export function biasActivation(be: Backend, y: number, bias: number, rows: number, cols: number, activation: Activation): void {
  be.launch('biasActivation', [y, bias, cols, activation], rows, 1, rows * cols * cost(activation));
}

/** dz = dL/dz from dy and the forward output y (dz may alias dy), split by rows. */
export function activationBackward(be: Backend, activation: Activation, y: number, dy: number, dz: number, rows: number, cols: number): void {
  be.launch('activationBackward', [activation, y, dy, dz, cols], rows, 1, rows * cols * 2);
}

/** out[j] = Σ_i x[i, j] over rows × cols: a bias gradient. */
export function sumRows(be: Backend, x: number, rows: number, cols: number, out: number): void {
  be.call('sumRows', x, rows, cols, out);
}
