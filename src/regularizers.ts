// Weight and activity penalties, Keras' L1L2: P(w) = l1 Σ|w| + l2 Σw², added to the loss of every
// training batch, and l1 sign(w) + 2 l2 w to the gradients. Given as TF.js and Keras write them:
// 'l1', 'l2', 'l1l2' (factors 0.01), regularizers.l2({ l2: 0.001 }), or a saved description
// { class_name: 'L1L2' | 'L1' | 'L2', config: { l1, l2 } }.
import { ValueError, describe } from './errors.js';
import { camelCase } from './names.js';

/** A penalty's factors. */
export interface Regularizer {
  readonly l1: number;
  readonly l2: number;
}

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | Regularizer | { className?: string; class_name?: string; config?: Record<string, unknown> };

const factor = (value: unknown, name: string, where: string): number => {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ValueError(`${where}: ${name} must be a number ≥ 0; received ${describe(value)}`);
  return value;
};

/** l1 · Σ|w| (TF.js' tf.regularizers.l1({ l1 }); default 0.01). */
export const l1 = (args: { l1?: number } = {}): Regularizer => ({ l1: factor(args.l1 ?? 0.01, 'l1', 'regularizers.l1'), l2: 0 });
/** l2 · Σw² (default 0.01). */
export const l2 = (args: { l2?: number } = {}): Regularizer => ({ l1: 0, l2: factor(args.l2 ?? 0.01, 'l2', 'regularizers.l2') });
/** l1 · Σ|w| + l2 · Σw² (defaults 0.01 each). */
export const l1l2 = (args: { l1?: number; l2?: number } = {}): Regularizer => ({
  l1: factor(args.l1 ?? 0.01, 'l1', 'regularizers.l1l2'), l2: factor(args.l2 ?? 0.01, 'l2', 'regularizers.l1l2'),
});

/** Reads a regularizer option (undefined or null: none). */
export function regularizerOption(value: unknown, where: string): Regularizer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const name = camelCase(value).toLowerCase();
    if (name === 'l1') return l1();
    if (name === 'l2') return l2();
    if (name === 'l1l2') return l1l2();
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.l1 === 'number' || typeof v.l2 === 'number') return { l1: factor(v.l1, 'l1', where), l2: factor(v.l2, 'l2', where) };
    const cls = v.className ?? v.class_name;
    const config = (v.config ?? {}) as Record<string, unknown>;
    if (cls === 'L1L2') return { l1: factor(config.l1, 'l1', where), l2: factor(config.l2, 'l2', where) };
    if (cls === 'L1') return { l1: factor(config.l1 ?? 0.01, 'l1', where), l2: 0 };
    if (cls === 'L2') return { l1: 0, l2: factor(config.l2 ?? 0.01, 'l2', where) };
  }
  throw new ValueError(`${where} must be 'l1', 'l2', 'l1l2', regularizers.l1l2({ l1, l2 }) or { className: 'L1L2', config: { l1, l2 } }; received ${describe(value)}`);
}

/** The description TF.js and Keras save (L1L2 with both factors). */
export function regularizerToKeras(r: Regularizer | undefined): { class_name: string; config: { l1: number; l2: number } } | null {
  return r ? { class_name: 'L1L2', config: { l1: r.l1, l2: r.l2 } } : null;
}
