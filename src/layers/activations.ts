import { lookUp } from '../names.js';
import { needsPreActivation } from '../ops/activation.js';
import { Activation } from '../runtime/bindings.js';

/**
 * Activation names, as Keras and TF.js write them, and the kernels' codes for them
 * (assembly/codes.ts). 'gelu' is the exact one (erf); 'gelu_new' (TF.js) the tanh approximation;
 * 'hardSigmoid' is TF.js' and Keras 2's clip(0.2 z + 0.5, 0, 1); 'silu' is swish.
 */
export const ACTIVATIONS = {
  linear: Activation.Linear, sigmoid: Activation.Sigmoid, relu: Activation.Relu, tanh: Activation.Tanh, softmax: Activation.Softmax, elu: Activation.Elu,
  relu6: Activation.Relu6, selu: Activation.Selu, softplus: Activation.Softplus, softsign: Activation.Softsign, swish: Activation.Swish,
  gelu: Activation.Gelu, geluNew: Activation.GeluTanh, hardSigmoid: Activation.HardSigmoid, mish: Activation.Mish, exponential: Activation.Exponential,
} as const;
export type ActivationName = keyof typeof ACTIVATIONS;

/** Other names files and users give them. */
const ALIASES: Record<string, ActivationName> = { silu: 'swish' };

/** Reads an activation option (Keras or camelCase spelling; undefined or null means linear). */
export function activationName(value: unknown, where: string): ActivationName {
  if (value === undefined || value === null) return 'linear';
  const code = lookUp<number>({ ...ACTIVATIONS, ...Object.fromEntries(Object.entries(ALIASES).map(([k, v]) => [k, ACTIVATIONS[v]])) }, value, 'activation', where);
  return (Object.keys(ACTIVATIONS) as ActivationName[]).find((k) => ACTIVATIONS[k] === code)!;
}

/** The name files carry (TF.js' spelling: 'gelu_new' for the tanh GELU). */
export function activationConfig(name: ActivationName): string {
  return name === 'geluNew' ? 'gelu_new' : name;
}

/** Whether the layer's backward pass needs the pre-activation kept (the derivative is not a function of the output). */
export function keepsPreActivation(name: ActivationName): boolean {
  return needsPreActivation(ACTIVATIONS[name]);
}
