// Split criteria: per-node statistics (weighted class counts, or Σw, Σwy, Σwy² for regression),
// impurity (gini 1 − Σp², entropy −Σp log₂p, squared error), and the two sides of a boundary being
// scored, updated in O(1) per sample moved. Absolute error lives in absolute.ts.
import { Criterion } from '../codes';
import { classOf, criterion, leftSt, outputs, qLeft, qRight, regression, sampleAt, statBytes, total, weightOf, wLeft, wRight, Y } from './state';

/** Bytes of per-node statistics: weighted class counts, or [Σw, Σwy, Σwy²] for regression. */
export function statsSize(kind: i32, nOutputs: i32): i32 {
  return kind >= Criterion.SquaredError ? 3 : nOutputs;
}

/** Impurity of statistics st (gini, entropy, squared error) with total weight wt. */
export function impurityOf(st: usize, wt: f64): f64 {
  if (wt <= 0) return 0;
  if (regression()) {
    const mean = load<f64>(st, 8) / wt;
    return load<f64>(st, 16) / wt - mean * mean;
  }
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) {
    const p = load<f64>(st + (<usize>c << 3)) / wt;
    if (criterion == Criterion.Gini) s += p * p;
    else if (p > 0) s -= p * Math.log2(p);
  }
  return criterion == Criterion.Gini ? 1 - s : s;
}

export function weightOfStats(st: usize): f64 {
  if (regression()) return load<f64>(st);
  let s: f64 = 0;
  for (let c = 0; c < outputs; c++) s += load<f64>(st + (<usize>c << 3));
  return s;
}

/** Adds sample s's contribution to the statistics at st. */
// @ts-ignore: decorator
@inline export function accumulate(st: usize, s: i32): void {
  const w = weightOf(s);
  if (regression()) {
    const y = load<f64>(Y + (<usize>s << 3));
    store<f64>(st, load<f64>(st) + w);
    store<f64>(st, load<f64>(st, 8) + w * y, 8);
    store<f64>(st, load<f64>(st, 16) + w * y * y, 16);
    return;
  }
  const o = st + (<usize>load<i32>(classOf + (<usize>s << 2)) << 3);
  store<f64>(o, load<f64>(o) + w);
}

export function statsOfRange(st: usize, start: i32, end: i32): void {
  memory.fill(st, 0, statBytes);
  for (let t = start; t < end; t++) accumulate(st, sampleAt(t));
}

// @ts-ignore: decorator
@inline export function term(v: f64): f64 {
  return criterion == Criterion.Gini ? v * v : v > 0 ? v * Math.log2(v) : 0;
}

/** Everything on the right: the start of a scan. */
export function resetSides(): void {
  memory.fill(leftSt, 0, statBytes);
  wLeft = 0;
  wRight = weightOfStats(total);
  qLeft = 0;
  qRight = 0;
  if (!regression()) for (let c = 0; c < outputs; c++) qRight += term(load<f64>(total + (<usize>c << 3)));
}

/** Moves weight h of class c from the right side to the left. */
// @ts-ignore: decorator
@inline export function moveClass(c: i32, h: f64): void {
  const o = leftSt + (<usize>c << 3);
  const l = load<f64>(o), r = load<f64>(total + (<usize>c << 3)) - l;
  store<f64>(o, l + h);
  qLeft += term(l + h) - term(l);
  qRight += term(r - h) - term(r);
  wLeft += h;
  wRight -= h;
}

/** Moves weight h with Σwy = hy from the right side to the left (regression). */
// @ts-ignore: decorator
@inline export function moveTarget(h: f64, hy: f64): void {
  store<f64>(leftSt, load<f64>(leftSt) + h);
  store<f64>(leftSt, load<f64>(leftSt, 8) + hy, 8);
  wLeft += h;
  wRight -= h;
}

/**
 * A quantity ordered as the impurity decrease of the current boundary (scikit-learn's proxy up
 * to a constant of the node): gini Σl²/w_l + Σr²/w_r, entropy Σl log₂l + Σr log₂r − w_l log₂w_l
 * − w_r log₂w_r (−w·H per side), squared error s_l²/w_l + s_r²/w_r.
 */
export function proxyNow(): f64 {
  if (regression()) {
    const sl = load<f64>(leftSt, 8), sr = load<f64>(total, 8) - sl;
    return sl * sl / wLeft + sr * sr / wRight;
  }
  if (criterion == Criterion.Gini) return qLeft / wLeft + qRight / wRight;
  return qLeft + qRight - wLeft * Math.log2(wLeft) - wRight * Math.log2(wRight);
}
