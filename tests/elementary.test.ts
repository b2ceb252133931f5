// The elementary functions the library computes in JavaScript with the same bits in every engine
// (src/elementary.ts): within 2 ulps (3 for tanh and atanh) of the engine's own Math functions (correct to about 1 ulp)
// over a million-wide sweep of magnitudes, exact where the answer is exact, and the special values.
import { describe, expect, it } from 'vitest';
import { atanh, cos, exp, expm1, log, log1p, sin, tanh } from '../src/elementary.js';

/** The distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const ia = view.getBigInt64(0), ib = view.getBigInt64(8);
  if ((ia < 0n) !== (ib < 0n)) return Math.abs(a - b) < 1e-300 ? 0 : Infinity;
  const d = ia > ib ? ia - ib : ib - ia;
  return Number(d);
}

/** Seeded values: uniform on [lo, hi], and log-spread magnitudes. */
function sweep(lo: number, hi: number, n: number, seed: number): number[] {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
}

describe('elementary functions', () => {
  // [name, ours, the engine's, values, ulps allowed]: tanh and atanh are compositions (three roundings more).
  const cases: [string, (x: number) => number, (x: number) => number, number[], number][] = [
    ['exp', exp, Math.exp, [...sweep(-745, 709.7, 20000, 1), ...sweep(-1, 1, 20000, 2), ...sweep(-1e-6, 1e-6, 2000, 3)], 2],
    ['expm1', expm1, Math.expm1, [...sweep(-40, 40, 20000, 4), ...sweep(-0.5, 0.5, 20000, 5), ...sweep(-1e-9, 1e-9, 2000, 6)], 2],
    ['log', log, Math.log, [...sweep(0, 1e6, 20000, 7), ...sweep(0.5, 2, 20000, 8), ...sweep(-700, 700, 20000, 9).map(Math.exp), 5e-324, 1e-310, Number.MAX_VALUE], 2],
    ['log1p', log1p, Math.log1p, [...sweep(-0.999, 10, 20000, 10), ...sweep(-1e-8, 1e-8, 2000, 11), ...sweep(-0.3, 0.42, 20000, 12)], 2],
    ['tanh', tanh, Math.tanh, [...sweep(-25, 25, 20000, 13), ...sweep(-1e-5, 1e-5, 2000, 14)], 3],
    ['sin', sin, Math.sin, [...sweep(-1e5, 1e5, 20000, 17), ...sweep(-4, 4, 20000, 18), ...sweep(-1e-6, 1e-6, 2000, 19)], 2],
    ['cos', cos, Math.cos, [...sweep(-1e5, 1e5, 20000, 20), ...sweep(-4, 4, 20000, 21), ...sweep(-1e-6, 1e-6, 2000, 22)], 2],
    ['atanh', atanh, Math.atanh, [...sweep(-0.999999, 0.999999, 20000, 15), ...sweep(-1e-6, 1e-6, 2000, 16)], 3],
  ];
  it.each(cases)('%s agrees with the engine\'s Math within a few ulps', (_name, ours, engine, values, allowed) => {
    let worst = 0;
    for (const x of values) worst = Math.max(worst, ulps(ours(x), engine(x)));
    expect(worst).toBeLessThanOrEqual(allowed);
  });

  it('exact answers and special values', () => {
    expect(exp(0)).toBe(1);
    expect(log(1)).toBe(0);
    for (let k = -1074; k <= 1023; k += 7) expect(ulps(log(2 ** k), k * Math.LN2)).toBeLessThanOrEqual(1);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(-745)).toBe(5e-324);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log1p(-1)).toBe(-Infinity);
    expect(Object.is(expm1(-0), -0)).toBe(true);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(tanh(30)).toBe(1);
    expect(atanh(1)).toBe(Infinity);
    for (const f of [exp, expm1, log, log1p, tanh, atanh, sin, cos]) expect(f(Number.NaN)).toBeNaN();
    expect(sin(0)).toBe(0);
    expect(cos(0)).toBe(1);
    expect(sin(Infinity)).toBeNaN();
  });
});
