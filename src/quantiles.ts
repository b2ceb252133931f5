// Quantiles: NumPy's linear percentile of sorted values (scikit-learn's scalers, discretizer and
// median), and the standard normal's quantile function by Wichura's algorithm AS 241 (PPND16,
// Applied Statistics 37(3), 1988: rational approximations good to about 1e-16).
import { log } from './elementary.js';

/** The q-th percentile (0 … 100) of ascending values, interpolated linearly as NumPy's _lerp (from the nearer end). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const at = (q / 100) * (sorted.length - 1), lo = Math.floor(at), hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo], b = sorted[hi], t = at - lo, diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The median as NumPy's: the middle value, or the mean of the two middle ones. */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const poly = (c: readonly number[], r: number) => c.reduceRight((acc, v) => acc * r + v, 0);
const A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

/** Φ⁻¹(p): the standard normal's quantile (scipy.stats.norm.ppf); ±Infinity at 0 and 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-log(q < 0 ? p : 1 - p));
  const value = r <= 5 ? poly(C, (r -= 1.6)) / poly(D, r) : poly(E, (r -= 5)) / poly(F, r);
  return q < 0 ? -value : value;
}
