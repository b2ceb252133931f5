import { lookUp } from './names.js';
import { Loss } from './runtime/bindings.js';

/** Loss names (Keras' and camelCase spellings are accepted) and the kernels' codes (assembly/codes.ts). */
export const LOSSES = {
  meanSquaredError: Loss.MeanSquaredError,
  mse: Loss.MeanSquaredError,
  categoricalCrossentropy: Loss.CategoricalCrossentropy,
  sparseCategoricalCrossentropy: Loss.SparseCategoricalCrossentropy,
  binaryCrossentropy: Loss.BinaryCrossentropy,
} as const;
export type LossName = keyof typeof LOSSES | string;

export type LossKind = 'meanSquaredError' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';
const KINDS: LossKind[] = ['meanSquaredError', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];

/** The loss a name stands for, and its kernel code. */
export function lossKind(name: unknown, where: string): { kind: LossKind; code: Loss } {
  const code = lookUp<Loss>(LOSSES, name, 'loss', where);
  return { kind: KINDS[code], code };
}

/** The activation whose gradient the loss folds into its own (softmax + cross-entropy → p − t). */
export function fusedActivation(kind: LossKind): string | undefined {
  if (kind === 'categoricalCrossentropy' || kind === 'sparseCategoricalCrossentropy') return 'softmax';
  if (kind === 'binaryCrossentropy') return 'sigmoid';
  return undefined;
}
