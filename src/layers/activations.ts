import { lookUp } from '../names.js';

/** Activation names, as in Keras; the code is assembly/activation.ts's. */
export const ACTIVATIONS = { linear: 0, sigmoid: 1, relu: 2, tanh: 3, softmax: 4, elu: 5 } as const;
export type ActivationName = keyof typeof ACTIVATIONS;

/** Reads an activation option (Keras or camelCase spelling; undefined or null means linear). */
export function activationName(value: unknown, where: string): ActivationName {
  if (value === undefined || value === null) return 'linear';
  const code = lookUp<number>(ACTIVATIONS, value, 'activation', where);
  return (Object.keys(ACTIVATIONS) as ActivationName[]).find((k) => ACTIVATIONS[k] === code)!;
}
