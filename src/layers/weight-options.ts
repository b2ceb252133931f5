// The options of layers with a kernel and a bias (dense, convolution): their penalties and
// constraints, read once here, kept on the weights, and written back as Keras saves them.
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';

export interface KernelBiasArgs {
  /** A penalty on the kernel, added to the loss: 'l1', 'l2', 'l1l2' or regularizers.l2({ l2 }) (default none). */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the bias (default none). */
  biasRegularizer?: RegularizerIdentifier | null;
  /** A constraint on the kernel after each update: 'maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm' or constraints.* (default none). */
  kernelConstraint?: ConstraintIdentifier | null;
  /** A constraint on the bias (default none). */
  biasConstraint?: ConstraintIdentifier | null;
}
export const KERNEL_BIAS_ARGS = ['kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'] as const;

export interface KernelBias {
  kernelRegularizer: Regularizer | undefined;
  biasRegularizer: Regularizer | undefined;
  kernelConstraint: ConstraintSpec | undefined;
  biasConstraint: ConstraintSpec | undefined;
}

export function readKernelBias(o: KernelBiasArgs, where: string): KernelBias {
  return {
    kernelRegularizer: regularizerOption(o.kernelRegularizer, `${where}: kernelRegularizer`),
    biasRegularizer: regularizerOption(o.biasRegularizer, `${where}: biasRegularizer`),
    kernelConstraint: constraintOption(o.kernelConstraint, `${where}: kernelConstraint`),
    biasConstraint: constraintOption(o.biasConstraint, `${where}: biasConstraint`),
  };
}

/** The four options as Keras' layer config holds them (null when absent). */
export function kernelBiasConfig(k: KernelBias): Record<string, unknown> {
  return {
    kernelRegularizer: regularizerToKeras(k.kernelRegularizer),
    biasRegularizer: regularizerToKeras(k.biasRegularizer),
    kernelConstraint: constraintToKeras(k.kernelConstraint),
    biasConstraint: constraintToKeras(k.biasConstraint),
  };
}
