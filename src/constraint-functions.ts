// The `constraints` namespace users see (TF.js' tf.constraints).
export { maxNorm, minMaxNorm, nonNeg, unitNorm, type ConstraintIdentifier, type ConstraintKind, type ConstraintSpec } from './constraints.js';
