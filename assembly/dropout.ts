// Inverted dropout (Srivastava et al., JMLR 2014, as Keras implements it): in training each value
// is kept with probability 1 − rate and scaled by 1 / (1 − rate), so inference is the identity.
// The mask comes from the seeded generator, so a seeded fit drops the same units in every runtime.
import { randomNextU32 } from './random';

/** mask[i] = 0 with probability rate, else 1 / (1 − rate), drawn from the generator at `state`. */
export function dropoutMask(state: usize, mask: usize, n: i32, rate: f32): void {
  const keep: f32 = 1 / (1 - rate);
  // u uniform in [0, 1) with 24 bits; drop when u < rate.
  for (let i = 0; i < n; i++) {
    const u = <f32>(randomNextU32(state) >>> 8) * (1.0 / 16777216.0);
    store<f32>(mask + (<usize>i << 2), u < rate ? 0 : keep);
  }
}

/** out = a ⊙ b over n floats (out may alias a or b). */
export function multiply(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/**
 * Variational dropout of sequences (Gal & Ghahramani 2016; Keras' RNN dropout): one mask per
 * sequence, the same at every step. y[b, t, j] = x[b, t, j] · mask[b, j] for samples start ≤ b < end.
 */
export function dropSequence(x: usize, mask: usize, y: usize, steps: i32, width: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    const m = mask + (<usize>(b * width) << 2);
    for (let t = 0; t < steps; t++) {
      const row = <usize>((b * steps + t) * width) << 2;
      for (let j = 0; j < width; j++) store<f32>(y + row + (<usize>j << 2), load<f32>(x + row + (<usize>j << 2)) * load<f32>(m + (<usize>j << 2)));
    }
  }
}

/** Rows start ≤ b < end: y[b] = x[b] · mask[b] over width values, each matrix with its own row stride (a recurrent state's rows of one step). */
export function multiplyRows(x: usize, xStride: i32, mask: usize, maskStride: i32, y: usize, yStride: i32, width: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    const xr = x + (<usize>(b * xStride) << 2), mr = mask + (<usize>(b * maskStride) << 2), yr = y + (<usize>(b * yStride) << 2);
    for (let j = 0; j < width; j++) store<f32>(yr + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)) * load<f32>(mr + (<usize>j << 2)));
  }
}
