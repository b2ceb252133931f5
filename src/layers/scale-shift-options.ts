// The learned scale γ and offset β of the normalization layers (BatchNormalization,
// LayerNormalization): their options read once, their weights' specs, and the options written
// back as Keras saves them.
import { checkBoolean } from '../options.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import type { WeightSpec } from './layer.js';

export interface ScaleShiftArgs {
  /** Learn an offset β (default true). */
  center?: boolean;
  /** Learn a scale γ (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}
export const SCALE_SHIFT_ARGS = ['center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'] as const;

export interface ScaleShift {
  center: boolean;
  scale: boolean;
  initializers: Record<'gamma' | 'beta', InitializerSpec>;
  penalties: Record<'gamma' | 'beta', Regularizer | undefined>;
  constraints: Record<'gamma' | 'beta', ConstraintSpec | undefined>;
}

export function readScaleShift(o: ScaleShiftArgs, where: string): ScaleShift {
  return {
    center: checkBoolean(o.center, 'center', where, true),
    scale: checkBoolean(o.scale, 'scale', where, true),
    initializers: {
      gamma: initializerSpec(o.gammaInitializer ?? 'ones', `${where}: gammaInitializer`),
      beta: initializerSpec(o.betaInitializer ?? 'zeros', `${where}: betaInitializer`),
    },
    penalties: { gamma: regularizerOption(o.gammaRegularizer, `${where}: gammaRegularizer`), beta: regularizerOption(o.betaRegularizer, `${where}: betaRegularizer`) },
    constraints: { gamma: constraintOption(o.gammaConstraint, `${where}: gammaConstraint`), beta: constraintOption(o.betaConstraint, `${where}: betaConstraint`) },
  };
}

/** γ (when scale) then β (when center), each of `shape`. */
export function scaleShiftSpecs(s: ScaleShift, shape: number[]): WeightSpec[] {
  return [
    ...(s.scale ? [['gamma', shape, s.initializers.gamma, { regularizer: s.penalties.gamma, constraint: s.constraints.gamma }] as WeightSpec] : []),
    ...(s.center ? [['beta', shape, s.initializers.beta, { regularizer: s.penalties.beta, constraint: s.constraints.beta }] as WeightSpec] : []),
  ];
}

/** The options as Keras' layer config holds them. */
export function scaleShiftConfig(s: ScaleShift): Record<string, unknown> {
  return {
    center: s.center, scale: s.scale,
    betaInitializer: initializerToKeras(s.initializers.beta), gammaInitializer: initializerToKeras(s.initializers.gamma),
    betaRegularizer: regularizerToKeras(s.penalties.beta), gammaRegularizer: regularizerToKeras(s.penalties.gamma),
    betaConstraint: constraintToKeras(s.constraints.beta), gammaConstraint: constraintToKeras(s.constraints.gamma),
  };
}
