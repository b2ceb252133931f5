// Losses: names (Keras' snake_case, TF.js' camelCase and their aliases), the loss functions users
// pass to compile as TF.js users do (ours, or TF.js' own tf.losses.* recognised by name), and each
// one's kernel code (assembly/codes.ts; the formulas are in assembly/losses.ts).
import { ShapeError, ValueError, describe } from './errors.js';
import { lookUp } from './names.js';
import { lossRows } from './ops/losses.js';
import { putF32, readF32 } from './ops/memory.js';
import { backend } from './runtime/backend.js';
import { Loss } from './runtime/bindings.js';
import { toTensor, type TensorLike } from './tensor.js';

export type LossKind =
  | 'meanSquaredError' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanAbsoluteError'
  | 'meanAbsolutePercentageError' | 'huberLoss' | 'logLoss' | 'hinge' | 'hingeLoss' | 'cosineDistance' | 'sigmoidCrossEntropy';

/** Each loss's kernel code, by its name. */
const CODES: Record<LossKind, Loss> = {
  meanSquaredError: Loss.MeanSquaredError,
  categoricalCrossentropy: Loss.CategoricalCrossentropy,
  sparseCategoricalCrossentropy: Loss.SparseCategoricalCrossentropy,
  binaryCrossentropy: Loss.BinaryCrossentropy,
  meanAbsoluteError: Loss.MeanAbsoluteError,
  meanAbsolutePercentageError: Loss.MeanAbsolutePercentageError,
  huberLoss: Loss.Huber,
  logLoss: Loss.LogLoss,
  hinge: Loss.Hinge,
  hingeLoss: Loss.HingeLoss,
  cosineDistance: Loss.CosineDistance,
  sigmoidCrossEntropy: Loss.SigmoidCrossEntropy,
};

/** Loss names as compile accepts them (Keras' and camelCase spellings, TF.js aliases). */
export const LOSSES: Record<string, LossKind> = {
  ...Object.fromEntries(Object.keys(CODES).map((k) => [k, k as LossKind])),
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  absoluteDifference: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  huber: 'huberLoss',
};
export type LossName = LossKind | string;

/** A loss as a function: its mean over the samples of (yTrue, yPred); compile takes it as the loss. */
export interface LossFunction {
  (yTrue: TensorLike, yPred: TensorLike): number;
  readonly lossName: LossKind;
}

/** The loss a name or a loss function stands for, and its kernel code. */
export function lossKind(value: unknown, where: string): { kind: LossKind; code: Loss } {
  let name = value;
  if (typeof value === 'function') {
    // Ours carry lossName; TF.js' tf.losses.* are named '<name>__op'.
    name = (value as Partial<LossFunction>).lossName ?? value.name.replace(/__op$/, '');
  }
  const kind = lookUp<LossKind>(LOSSES, name, 'loss', where);
  return { kind, code: CODES[kind] };
}

/** The activation whose gradient the loss folds into its own (softmax + cross-entropy → p − t). */
export function fusedActivation(kind: LossKind): string | undefined {
  if (kind === 'categoricalCrossentropy' || kind === 'sparseCategoricalCrossentropy') return 'softmax';
  if (kind === 'binaryCrossentropy') return 'sigmoid';
  return undefined;
}

function lossFunction(kind: LossKind): LossFunction {
  const fn = (yTrue: TensorLike, yPred: TensorLike): number => {
    const where = `losses.${kind}`;
    const t = toTensor(yTrue, `${where}: yTrue`), p = toTensor(yPred, `${where}: yPred`);
    const cols = p.rank === 0 ? 1 : p.shape[p.rank - 1];
    const rows = p.size / Math.max(1, cols);
    const sparse = kind === 'sparseCategoricalCrossentropy';
    if (sparse ? t.size !== rows : t.shape.join() !== p.shape.join()) {
      throw new ShapeError(`${where}: yTrue has shape [${t.shape.join(', ')}] and yPred [${p.shape.join(', ')}]; ${sparse ? 'yTrue must hold one class index per row' : 'they must match'}`);
    }
    if (p.size === 0) throw new ValueError(`${where}: yPred is empty`);
    const be = backend();
    const losses = be.scoped((alloc) => {
      const pp = putF32(be, alloc, p.data), pt = putF32(be, alloc, t.data), out = alloc(rows * 4);
      lossRows(be, CODES[kind], rows, cols, { predictions: pp, targets: pt, weights: 0, loss: out, gradient: 0, scale: 0, fused: false });
      return readF32(be, out, rows);
    });
    let sum = 0;
    for (const v of losses) sum += v;
    return sum / rows;
  };
  return Object.defineProperty(fn, 'lossName', { value: kind, enumerable: true }) as LossFunction;
}

export const meanSquaredError = lossFunction('meanSquaredError');
export const meanAbsoluteError = lossFunction('meanAbsoluteError');
export const meanAbsolutePercentageError = lossFunction('meanAbsolutePercentageError');
export const categoricalCrossentropy = lossFunction('categoricalCrossentropy');
export const sparseCategoricalCrossentropy = lossFunction('sparseCategoricalCrossentropy');
export const huberLoss = lossFunction('huberLoss');
export const logLoss = lossFunction('logLoss');
export const hinge = lossFunction('hinge');
export const hingeLoss = lossFunction('hingeLoss');
export const cosineDistance = lossFunction('cosineDistance');
export const sigmoidCrossEntropy = lossFunction('sigmoidCrossEntropy');
const binaryCrossentropyOnProbabilities = lossFunction('binaryCrossentropy');

/**
 * Binary cross-entropy: `losses.binaryCrossentropy(yTrue, yPred)` on probabilities, or
 * `losses.binaryCrossentropy({ fromLogits: true })`, the loss function on logits (Keras'
 * from_logits; TF.js' sigmoidCrossEntropy), for compile.
 */
export function binaryCrossentropy(options: { fromLogits?: boolean }): LossFunction;
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike): number;
export function binaryCrossentropy(a: TensorLike | { fromLogits?: boolean }, b?: TensorLike): number | LossFunction {
  if (b === undefined && a !== null && typeof a === 'object' && !Array.isArray(a) && !('shape' in a)) {
    const fromLogits = (a as { fromLogits?: unknown }).fromLogits ?? false;
    if (typeof fromLogits !== 'boolean') throw new ValueError(`losses.binaryCrossentropy: fromLogits must be true or false; received ${describe(fromLogits)}`);
    return fromLogits ? sigmoidCrossEntropy : binaryCrossentropyOnProbabilities;
  }
  return binaryCrossentropyOnProbabilities(a as TensorLike, b as TensorLike);
}
Object.defineProperty(binaryCrossentropy, 'lossName', { value: 'binaryCrossentropy', enumerable: true });
