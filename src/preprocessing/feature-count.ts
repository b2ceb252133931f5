// The saved state of transformers that learn nothing but how many features they take
// (Normalizer, PolynomialFeatures).
import { FormatError } from '../errors.js';

export interface FeatureCount {
  features: number;
}

export function savedFeatureCount(f: FeatureCount): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
  return { meta: { features: f.features }, arrays: {} };
}

/** The count read back; FormatError naming `what` when malformed. */
export function readFeatureCount(meta: Record<string, unknown>, where: string, what: string): FeatureCount {
  if (!Number.isInteger(meta.features) || (meta.features as number) < 1) throw new FormatError(`${where}: the saved ${what} is malformed`);
  return { features: meta.features as number };
}
