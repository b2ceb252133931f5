import { lookUp } from './names.js';

/** Loss names (Keras' and camelCase spellings are accepted); codes are assembly/losses.ts's. */
export const LOSSES = {
  meanSquaredError: 0,
  mse: 0,
  categoricalCrossentropy: 1,
  sparseCategoricalCrossentropy: 2,
  binaryCrossentropy: 3,
} as const;
export type LossName = keyof typeof LOSSES | string;

export type LossKind = 'meanSquaredError' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';
const KINDS: LossKind[] = ['meanSquaredError', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];

/** The loss a name stands for, and its kernel code. */
export function lossKind(name: unknown, where: string): { kind: LossKind; code: number } {
  const code = lookUp<number>(LOSSES, name, 'loss', where);
  return { kind: KINDS[code], code };
}

/** The activation whose gradient the loss folds into its own (softmax + cross-entropy → p − t). */
export function fusedActivation(kind: LossKind): string | undefined {
  if (kind === 'categoricalCrossentropy' || kind === 'sparseCategoricalCrossentropy') return 'softmax';
  if (kind === 'binaryCrossentropy') return 'sigmoid';
  return undefined;
}
