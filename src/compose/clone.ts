// scikit-learn's clone: a new, unfitted estimator with the same parameters, built from
// getParams({ deep: false }) — every estimator inside them (a pipeline's steps, a column
// transformer's transformers, a union's parts) cloned too, so the copy shares nothing the fit
// changes with the original.
import { ValueError, describe } from '../errors.js';

type Cloneable = { getParams(options?: { deep?: boolean }): Record<string, unknown>; fit: unknown; constructor: new (options: unknown) => unknown };

/** Whether v is an estimator (it fits and reports its parameters). */
export function isEstimator(v: unknown): v is Cloneable {
  return !!v && typeof v === 'object' && typeof (v as Cloneable).fit === 'function' && typeof (v as Cloneable).getParams === 'function';
}

/** Estimators cloned wherever they sit in arrays (steps, [name, transformer, columns] triples); other values kept. */
function cloneValue(v: unknown): unknown {
  if (isEstimator(v)) return clone(v);
  if (Array.isArray(v)) return v.map(cloneValue);
  return v;
}

/** A fresh unfitted estimator with the same parameters (nested estimators cloned as well). */
export function clone<E>(estimator: E): E {
  if (!isEstimator(estimator)) throw new ValueError(`clone: expected an estimator (with fit and getParams); received ${describe(estimator)}`);
  const params = estimator.getParams({ deep: false });
  return new estimator.constructor(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, cloneValue(v)]))) as E;
}
