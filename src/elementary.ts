// Elementary functions with the same bits in every JavaScript engine. Math.exp, Math.log and
// their kin are not specified to the last bit, and engines differ: Node 20's and Deno's V8 gave
// different results for the same call (found by the conformance contract: SVC's Platt scaling,
// logistic regression, naive Bayes, LDA's probabilities, a log-uniform search draw). +, −, ×, ÷
// and Math.sqrt are correctly rounded, so functions built from them alone give the same bits
// everywhere; these are accurate to an ulp or two.
//
// exp: x = k·ln2 + r with |r| ≤ ln2/2 (ln 2 in two parts, Cody and Waite, so k·ln2 loses
// nothing), e^r by its Taylor series to r¹⁴/14! (the tail is below 2⁻⁶⁰ of it), then 2^k applied
// in two exact steps. log: x = 2^k·(1 + f) with √½ ≤ 1 + f < √2, and ln(1 + f) = 2·atanh(s),
// s = f/(2 + f), |s| ≤ 0.172: the odd series to s²³ (tail below 2⁻⁶⁰), arranged as
// f − (f²/2 − s·(f²/2 + R)) so that the large part f is exact and only the small terms round.

const LN2_HI = 6.93147180369123816490e-1; // ln 2 to 32 significant bits: k·LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI
const INV_LN2 = 1.44269504088896338700;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [−1022, 1023], exactly. */
function powerOfTwo(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** 1/n! for n = 0 … 17. */
const INVERSE_FACTORIAL: number[] = [1];
for (let n = 1; n <= 17; n++) INVERSE_FACTORIAL.push(INVERSE_FACTORIAL[n - 1] / n);

/** e^r − 1 for |r| ≤ ln2/2: Σ rⁿ/n!, n = 1 … 17, by Horner's rule. */
function expm1Small(r: number): number {
  let p = INVERSE_FACTORIAL[17];
  for (let n = 16; n >= 1; n--) p = p * r + INVERSE_FACTORIAL[n];
  return p * r;
}

/** e^x. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  const er = 1 + expm1Small(r);
  // 2^k in two factors, each a normal power of two: e^r·2^k may be finite (k = 1024) or subnormal (k < −1022).
  const half = k < 0 ? Math.ceil(k / 2) : Math.floor(k / 2);
  return er * powerOfTwo(half) * powerOfTwo(k - half);
}

/** e^x − 1, accurate near 0: with x = k·ln2 + r, 2^k·(e^r − 1) + (2^k − 1), whose second term is exact for small k. */
export function expm1(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -40) return -1; // e^x < 2⁻⁵⁷
  const k = Math.round(x * INV_LN2);
  if (k === 0) return expm1Small(x);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  const em = expm1Small(r);
  if (k > 56) return exp(x); // −1 is below half an ulp
  const p = powerOfTwo(k);
  return (p - 1) + p * em;
}

/** ln(1 + f) for √½ ≤ 1 + f < √2. */
function log1pReduced(f: number): number {
  const s = f / (2 + f);
  const z = s * s;
  // R = 2(z/3 + z²/5 + … + z¹¹/23)
  let p = 2 / 23;
  for (let n = 21; n >= 3; n -= 2) p = p * z + 2 / n;
  const R = p * z;
  const hf = 0.5 * f * f;
  return f - (hf - s * (hf + R));
}

/** x = 2^k·(1 + f) with √½ ≤ 1 + f < √2, for finite x > 0: [k, f]. */
function split(x: number): [number, number] {
  let k = 0;
  if (x < 2 ** -1022) {
    x *= 2 ** 54; // a subnormal, made normal
    k = -54;
  }
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  k += ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = bits.getFloat64(0); // [1, 2)
  if (m >= Math.SQRT2) {
    m /= 2;
    k += 1;
  }
  return [k, m - 1];
}

/** The natural logarithm. */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const [k, f] = split(x);
  return k * LN2_HI + (log1pReduced(f) + k * LN2_LO);
}

/** ln(1 + x), accurate near 0. */
export function log1p(x: number): number {
  if (Number.isNaN(x) || x < -1) return Number.NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x >= Math.SQRT1_2 - 1 && x < Math.SQRT2 - 1) return log1pReduced(x);
  // u = 1 + x rounds; its error c = (u − 1) − x corrects the logarithm to first order.
  const u = 1 + x;
  const c = (u - 1) - x;
  return log(u) - c / u;
}

/** The hyperbolic tangent. */
export function tanh(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 22) return Math.sign(x); // 1 − tanh < 2⁻⁶³
  const t = expm1(2 * a);
  return Math.sign(x) * (t / (t + 2));
}

/** The inverse hyperbolic tangent. */
export function atanh(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a > 1) return Number.NaN;
  if (a === 1) return Math.sign(x) * Infinity;
  return Math.sign(x) * 0.5 * log1p((2 * a) / (1 - a));
}

// π/2 in three parts of 33 bits: q·part is exact for |q| < 2^20, so x − q·π/2 is found with about
// 100 bits of π/2 (Cody and Waite), enough for |x| < 2^20·π/2 away from the zeros of the result.
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const TWO_OVER_PI = 6.36619772367581382433e-01;
/** Beyond this the three-part reduction loses accuracy: the engine's own functions take over. */
const REDUCTION_LIMIT = 1.6e6;

/** 1/n! for n = 0 … 21, for the sine and cosine series. */
const INVERSE_FACTORIAL_21: number[] = [1];
for (let n = 1; n <= 21; n++) INVERSE_FACTORIAL_21.push(INVERSE_FACTORIAL_21[n - 1] / n);

/** sin r for |r| ≤ π/4: r − r³/3! + … ± r²¹/21!. */
function sinReduced(r: number): number {
  const z = r * r;
  let p = INVERSE_FACTORIAL_21[21];
  for (let n = 19; n >= 3; n -= 2) p = INVERSE_FACTORIAL_21[n] - z * p;
  return r - r * z * p;
}

/** cos r for |r| ≤ π/4: 1 − r²/2 + … ± r²⁰/20!, the small terms summed first. */
function cosReduced(r: number): number {
  const z = r * r;
  let p = INVERSE_FACTORIAL_21[20];
  for (let n = 18; n >= 4; n -= 2) p = INVERSE_FACTORIAL_21[n] - z * p;
  const hz = 0.5 * z;
  return 1 - (hz - z * z * p);
}

/** x = q·π/2 + r, |r| ≤ π/4 (about): [q mod 4, r]. */
function quadrant(x: number): [number, number] {
  const q = Math.round(x * TWO_OVER_PI);
  const r = (((x - q * PIO2_1) - q * PIO2_2) - q * PIO2_3) - q * PIO2_3T;
  return [((q % 4) + 4) % 4, r];
}

/** The sine (the engine's for |x| ≥ 1.6·10⁶, where this reduction would lose accuracy). */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) >= REDUCTION_LIMIT) return Math.sin(x);
  if (Math.abs(x) <= Math.PI / 4) return sinReduced(x);
  const [q, r] = quadrant(x);
  return q === 0 ? sinReduced(r) : q === 1 ? cosReduced(r) : q === 2 ? -sinReduced(r) : -cosReduced(r);
}

/** The cosine (the engine's for |x| ≥ 1.6·10⁶). */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) >= REDUCTION_LIMIT) return Math.cos(x);
  if (Math.abs(x) <= Math.PI / 4) return cosReduced(x);
  const [q, r] = quadrant(x);
  return q === 0 ? cosReduced(r) : q === 1 ? -sinReduced(r) : q === 2 ? -cosReduced(r) : sinReduced(r);
}
