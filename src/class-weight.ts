// Class weights (scikit-learn's class_weight): a weight per class that multiplies the samples'
// weights (trees, forests) or the penalty C (SVC). 'balanced' gives class c the weight
// n / (k · n_c), so every class weighs as much in total.
import { ValueError } from './errors.js';
import { rules, type ParamRule } from './estimator.js';

export type ClassWeight = Record<string, number> | 'balanced' | null;

/** The parameter rule shared by the estimators that take classWeight (extra: further accepted strings). */
export function classWeightRule<V = ClassWeight>(extra: string[] = []): ParamRule<V> {
  const strings: string[] = ['balanced', ...extra];
  return rules.custom<V>(null as V, `${strings.map((s) => `'${s}'`).join(', ')}, null, or an object mapping labels to non-negative weights`,
    (v) => v === null || strings.includes(v as string)
      || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((w) => typeof w === 'number' && w >= 0 && Number.isFinite(w))));
}

/**
 * Per-class weights for labels (class indices, classes their names): 1 without classWeight;
 * 'balanced' from the counts of `index` weighted by `multiplicity` (a bootstrap's draw counts).
 */
export function classWeights(classWeight: ClassWeight | string, index: ArrayLike<number>, classes: (number | string)[], where: string,
  multiplicity?: ArrayLike<number>): Float64Array {
  const k = classes.length;
  const out = new Float64Array(k).fill(1);
  if (classWeight === null || classWeight === undefined) return out;
  if (typeof classWeight === 'string') {
    const counts = new Float64Array(k);
    let n = 0;
    for (let i = 0; i < index.length; i++) {
      const m = multiplicity ? multiplicity[i] : 1;
      counts[index[i]] += m;
      n += m;
    }
    const present = counts.filter((c) => c > 0).length;
    for (let c = 0; c < k; c++) out[c] = counts[c] > 0 ? n / (present * counts[c]) : 1;
    return out;
  }
  for (const key of Object.keys(classWeight)) {
    const c = classes.findIndex((label) => String(label) === key);
    if (c < 0) throw new ValueError(`${where}: classWeight names class '${key}', which is not in y (classes: ${classes.join(', ')})`);
    out[c] = classWeight[key];
  }
  return out;
}

/** Sample weights (or all 1) times their class's weight. */
export function weighSamples(weights: Float64Array | undefined, perClass: Float64Array, index: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: index.length }, (_, i) => (weights ? weights[i] : 1) * perClass[index[i]]);
}
