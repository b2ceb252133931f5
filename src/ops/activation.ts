// Typed wrappers of assembly/activation.ts and the bias gradient of assembly/elementwise.ts.
import type { Backend } from '../runtime/backend.js';
import { Activation } from '../runtime/bindings.js';

export { Activation };

/** Work per element: cheap (max, copy) or an exponential. */
const cost = (activation: Activation): number => (activation === Activation.Relu || activation === Activation.Linear || activation === Activation.Relu6 ? 1 : 16);

/** The activations whose derivative needs the pre-activation z (kept by the forward pass when training). */
export function needsPreActivation(activation: Activation): boolean {
  return activation === Activation.Swish || activation === Activation.Gelu || activation === Activation.GeluTanh || activation === Activation.Mish;
}

/** y[i, :] = f(y[i, :] + bias) in place for rows × cols (bias 0: none), split by rows; the pre-activation kept at z (0: not kept). */
export function biasActivation(be: Backend, y: number, bias: number, rows: number, cols: number, activation: Activation, z = 0): void {
  be.launch('biasActivation', [y, bias, cols, activation, z], rows, 1, rows * cols * cost(activation));
}

/** dz = dL/dz from dy, the forward output y and (needsPreActivation) the pre-activation z; dz may alias dy. Split by rows. */
export function activationBackward(be: Backend, activation: Activation, y: number, dy: number, dz: number, rows: number, cols: number, z = 0): void {
  be.launch('activationBackward', [activation, y, dy, dz, cols, z], rows, 1, rows * cols * (activation >= Activation.Relu6 ? 16 : 2));
}

/** out[j] = Σ_i x[i, j] over rows × cols: a bias gradient. */
export function sumRows(be: Backend, x: number, rows: number, cols: number, out: number): void {
  be.call('sumRows', x, rows, cols, out);
}
