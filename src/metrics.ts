import { ValueError } from './errors.js';
import type { LossKind } from './losses.js';
import { lookUp } from './names.js';

export type MetricKind = 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'meanSquaredError';

/** A compiled metric: the key it is logged under (Keras' names) and what it computes. */
export interface Metric {
  readonly name: string;
  readonly kind: MetricKind;
}

const NAMES: Record<string, MetricKind | 'accuracy'> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  categoricalAccuracy: 'categoricalAccuracy',
  sparseCategoricalAccuracy: 'sparseCategoricalAccuracy',
  binaryAccuracy: 'binaryAccuracy',
  meanSquaredError: 'meanSquaredError',
  mse: 'meanSquaredError',
};

/**
 * Resolves metric names. 'accuracy' becomes the accuracy that fits the loss, as Keras decides:
 * sparse labels → sparse categorical, binary cross-entropy or one output → binary, else categorical.
 */
export function resolveMetrics(names: unknown, loss: LossKind, outputUnits: number | undefined, where: string): Metric[] {
  if (names === undefined) return [];
  const list = typeof names === 'string' ? [names] : names;
  if (!Array.isArray(list)) throw new ValueError(`${where}: metrics must be an array of names such as ['accuracy']`);
  return list.map((name) => {
    let kind = lookUp(NAMES, name, 'metric', where);
    if (kind === 'accuracy') {
      if (loss === 'sparseCategoricalCrossentropy') kind = 'sparseCategoricalAccuracy';
      else if (loss === 'binaryCrossentropy' || outputUnits === 1) kind = 'binaryAccuracy';
      else kind = 'categoricalAccuracy';
    }
    const key = name === 'acc' || name === 'accuracy' ? 'accuracy' : name === 'mse' ? 'mse' : (name as string);
    return { name: key, kind };
  });
}
