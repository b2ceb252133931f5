import { lookUp } from '../names.js';
import { Activation } from '../runtime/bindings.js';

/** Activation names, as in Keras, and the kernels' codes for them (assembly/codes.ts). */
export const ACTIVATIONS = {
  linear: Activation.Linear, sigmoid: Activation.Sigmoid, relu: Activation.Relu, tanh: Activation.Tanh, softmax: Activation.Softmax, elu: Activation.Elu,
} as const;
export type ActivationName = keyof typeof ACTIVATIONS;

/** Reads an activation option (Keras or camelCase spelling; undefined or null means linear). */
export function activationName(value: unknown, where: string): ActivationName {
  if (value === undefined || value === null) return 'linear';
  const code = lookUp<number>(ACTIVATIONS, value, 'activation', where);
  return (Object.keys(ACTIVATIONS) as ActivationName[]).find((k) => ACTIVATIONS[k] === code)!;
}
