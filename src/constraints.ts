// Weight constraints, applied after every update (Keras' and TF.js' constraints): maxNorm,
// minMaxNorm and unitNorm bound the norm of each slice of the weight along `axis` (0 for a dense
// kernel: each unit's incoming weights; [0, 1, 2] for a convolution's kernel: each filter), nonNeg
// clips at 0. Given as strings ('maxNorm', …), constraints.maxNorm({ maxValue: 3 }), or a saved
// description { class_name: 'MaxNorm', config: { max_value, axis } }. The formulas are in
// assembly/regularizers.ts.
import { ValueError, describe } from './errors.js';
import { camelCase } from './names.js';

/** The constraints, by Keras' names. */
export type ConstraintKind = 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm';

export interface ConstraintSpec {
  readonly kind: ConstraintKind;
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  /** The leading axes the norm runs over: 0 or [0, …, k − 1]. */
  readonly axis: number | number[];
}

export type ConstraintIdentifier = 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm' | ConstraintSpec | { className?: string; class_name?: string; config?: Record<string, unknown> };

const CLASSES: Record<ConstraintKind, string> = { maxNorm: 'MaxNorm', minMaxNorm: 'MinMaxNorm', nonNeg: 'NonNeg', unitNorm: 'UnitNorm' };

function make(kind: ConstraintKind, o: Record<string, unknown>, where: string): ConstraintSpec {
  const num = (key: string, fallback: number): number => {
    const v = o[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`${where}: ${key} must be a number ≥ 0; received ${describe(v)}`);
    return v;
  };
  const axis = o.axis ?? 0;
  const leading = (a: unknown) => Array.isArray(a) && a.every((d, i) => d === i) && a.length > 0;
  if (!(axis === 0 || leading(axis))) throw new ValueError(`${where}: axis must be 0 or the leading axes [0, 1, …]; received ${describe(axis)}`);
  const spec = { kind, minValue: num('minValue', 0), maxValue: num('maxValue', kind === 'maxNorm' ? 2 : 1), rate: num('rate', 1), axis: axis as number | number[] };
  if (spec.minValue > spec.maxValue) throw new ValueError(`${where}: minValue ${spec.minValue} exceeds maxValue ${spec.maxValue}`);
  return spec;
}

/** w ← w · min(‖w‖, maxValue) / ‖w‖ per slice (maxValue default 2, axis 0). */
export const maxNorm = (args: { maxValue?: number; axis?: number | number[] } = {}): ConstraintSpec => make('maxNorm', args, 'constraints.maxNorm');
/** The norm of each slice moved into [minValue, maxValue] at `rate` (defaults 0, 1, 1; axis 0). */
export const minMaxNorm = (args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}): ConstraintSpec => make('minMaxNorm', args, 'constraints.minMaxNorm');
/** Each slice scaled to norm 1 (axis 0). */
export const unitNorm = (args: { axis?: number | number[] } = {}): ConstraintSpec => make('unitNorm', args, 'constraints.unitNorm');
/** Negative weights set to 0. */
export const nonNeg = (): ConstraintSpec => make('nonNeg', {}, 'constraints.nonNeg');

/** Reads a constraint option (undefined or null: none). */
export function constraintOption(value: unknown, where: string): ConstraintSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && Object.hasOwn(CLASSES, camelCase(value))) return make(camelCase(value) as ConstraintKind, {}, where);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.kind === 'string' && Object.hasOwn(CLASSES, v.kind)) return make(v.kind as ConstraintKind, v, where);
    const cls = (v.className ?? v.class_name) as string | undefined;
    const kind = Object.entries(CLASSES).find(([, name]) => name === cls)?.[0];
    if (kind !== undefined) {
      const config = Object.fromEntries(Object.entries((v.config ?? {}) as Record<string, unknown>).map(([k, x]) => [camelCase(k), x]));
      return make(kind as ConstraintKind, config, where);
    }
  }
  throw new ValueError(`${where} must be 'maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm', a constraints.* value or { className, config }; received ${describe(value)}`);
}

/** The description TF.js and Keras save. */
export function constraintToKeras(c: ConstraintSpec | undefined): { class_name: string; config: Record<string, unknown> } | null {
  if (!c) return null;
  const config: Record<string, unknown> =
    c.kind === 'maxNorm' ? { max_value: c.maxValue, axis: c.axis }
      : c.kind === 'minMaxNorm' ? { min_value: c.minValue, max_value: c.maxValue, rate: c.rate, axis: c.axis }
        : c.kind === 'unitNorm' ? { axis: c.axis } : {};
  return { class_name: CLASSES[c.kind], config };
}

/** The rows × cols view of a weight for a constraint's norms: rows span the leading `axis` axes. */
export function constraintView(c: ConstraintSpec, shape: readonly number[]): [rows: number, cols: number] {
  const k = Array.isArray(c.axis) ? c.axis.length : 1;
  const size = shape.reduce((a, b) => a * b, 1);
  const rows = shape.slice(0, Math.min(k, shape.length)).reduce((a, b) => a * b, 1);
  return [rows, size / rows];
}
