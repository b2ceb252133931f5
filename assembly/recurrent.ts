// One time step of a recurrent layer over a batch (Keras' SimpleRNN and LSTM cells), split by
// batch rows. The caller has put each row's pre-activations z = x·W + b + h_prev·R in place (one
// GEMM over the whole sequence for x·W, one per step for h_prev·R); these kernels apply the
// gates, update the state and, going back, turn dL/dh into dL/dz for the GEMMs of the gradients.
// Values are computed in f64 from the f32 inputs and rounded once.
//
// LSTM (Hochreiter & Schmidhuber 1997, with a forget gate; Keras' gate order i, f, c, o):
//   i = σ(z_i), f = σ(z_f), g = act(z_c), o = σ(z_o), c = f·c_prev + i·g, h = o·act(c)
// where σ is the recurrent activation. SimpleRNN: h = act(z).
import { Activation, RecurrentCell } from './codes';
import { activate, derivative } from './activation-functions';

/** act(z) for any activation code (the classic ones here, the others in activation-functions.ts). */
// @ts-ignore: decorator
@inline function apply(code: i32, z: f64): f64 {
  if (code == Activation.Tanh) return Math.tanh(z);
  if (code == Activation.Sigmoid) return 1.0 / (1.0 + Math.exp(-z));
  if (code == Activation.Linear) return z;
  if (code == Activation.Relu) return z > 0 ? z : 0.0;
  return <f64>activate(code, <f32>z);
}

/** act'(z). */
// @ts-ignore: decorator
@inline function slope(code: i32, z: f64): f64 {
  if (code == Activation.Tanh) {
    const t = Math.tanh(z);
    return 1.0 - t * t;
  }
  if (code == Activation.Sigmoid) {
    const s = 1.0 / (1.0 + Math.exp(-z));
    return s * (1.0 - s);
  }
  if (code == Activation.Linear) return 1.0;
  if (code == Activation.Relu) return z > 0 ? 1.0 : 0.0;
  return <f64>derivative(code, <f32>z, activate(code, <f32>z));
}

// @ts-ignore: decorator
@inline function at(p: usize, row: i32, stride: i32, j: i32): usize {
  return p + ((<usize>row * <usize>stride + <usize>j) << 2);
}

/**
 * Rows start ≤ b < end: from z (gates·units pre-activations per row, rows zStride apart) and, for
 * an LSTM, the previous cell state cPrev (0: zeros), the new state c and h; h is written to each
 * of out1, out2, out3 that is not 0 (rows their stride apart): the step's own record, the next
 * step's previous-state record, the layer's output.
 */
export function rnnForwardStep(cell: i32, z: usize, zStride: i32, cPrev: usize, cPrevStride: i32, c: usize, cStride: i32,
  out1: usize, stride1: i32, out2: usize, stride2: i32, out3: usize, stride3: i32, units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      let h: f64;
      if (cell == RecurrentCell.Lstm) {
        const i = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, j)));
        const f = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, units + j)));
        const g = apply(act, <f64>load<f32>(at(z, b, zStride, 2 * units + j)));
        const o = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, 3 * units + j)));
        const previous = cPrev != 0 ? <f64>load<f32>(at(cPrev, b, cPrevStride, j)) : 0.0;
        const state = <f32>(f * previous + i * g);
        store<f32>(at(c, b, cStride, j), state);
        h = o * apply(act, <f64>state);
      } else h = apply(act, <f64>load<f32>(at(z, b, zStride, j)));
      const value = <f32>h;
      if (out1 != 0) store<f32>(at(out1, b, stride1, j), value);
      if (out2 != 0) store<f32>(at(out2, b, stride2, j), value);
      if (out3 != 0) store<f32>(at(out3, b, stride3, j), value);
    }
  }
}

/**
 * Rows start ≤ b < end, one step back: dh = dy (0: none) + dhNext (0: none; dL/dh through the
 * next step's recurrent product, rows units apart) → dz (rows dzStride apart). LSTM: dc (rows
 * units apart) holds dL/dc from the next step on entry and dL/dc_prev on return; c and cPrev (0:
 * zeros) are the step's cell states.
 */
export function rnnBackwardStep(cell: i32, z: usize, zStride: i32, c: usize, cStride: i32, cPrev: usize, cPrevStride: i32, dy: usize, dyStride: i32,
  dhNext: usize, dc: usize, dz: usize, dzStride: i32, units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      let dh = 0.0;
      if (dy != 0) dh += <f64>load<f32>(at(dy, b, dyStride, j));
      if (dhNext != 0) dh += <f64>load<f32>(at(dhNext, b, units, j));
      if (cell == RecurrentCell.Lstm) {
        const zi = <f64>load<f32>(at(z, b, zStride, j)), zf = <f64>load<f32>(at(z, b, zStride, units + j));
        const zc = <f64>load<f32>(at(z, b, zStride, 2 * units + j)), zo = <f64>load<f32>(at(z, b, zStride, 3 * units + j));
        const i = apply(recurrentAct, zi), f = apply(recurrentAct, zf), g = apply(act, zc), o = apply(recurrentAct, zo);
        const state = <f64>load<f32>(at(c, b, cStride, j));
        const previous = cPrev != 0 ? <f64>load<f32>(at(cPrev, b, cPrevStride, j)) : 0.0;
        const dState = dh * o * slope(act, state) + <f64>load<f32>(at(dc, b, units, j));
        store<f32>(at(dz, b, dzStride, j), <f32>(dState * g * slope(recurrentAct, zi)));
        store<f32>(at(dz, b, dzStride, units + j), <f32>(dState * previous * slope(recurrentAct, zf)));
        store<f32>(at(dz, b, dzStride, 2 * units + j), <f32>(dState * i * slope(act, zc)));
        store<f32>(at(dz, b, dzStride, 3 * units + j), <f32>(dh * apply(act, state) * slope(recurrentAct, zo)));
        store<f32>(at(dc, b, units, j), <f32>(dState * f));
      } else store<f32>(at(dz, b, dzStride, j), <f32>(dh * slope(act, <f64>load<f32>(at(z, b, zStride, j)))));
    }
  }
}

// GRU (Cho et al. 2014; Keras' gate order z, r, h). With the reset gate after the recurrent
// product (resetAfter: Keras 3's default, cuDNN's form), q = h_prev·R + b_rec is kept per step:
//   z = σ(x_z + q_z), r = σ(x_r + q_r), ĥ = act(x_h + r·q_h), h = z·h_prev + (1 − z)·ĥ.
// With the reset gate before it (Keras 2's and TF.js' default), the candidate's recurrent
// product is of r·h_prev: z and r come first (their pre-activations in place), then the caller's
// GEMM adds (r·h_prev)·R_h to the candidate's, then the state.

/** resetAfter, rows start ≤ b < end: q (3·units per row) gets b_rec added (q is 0 when hPrev is 0: the first step), then the state h into the outputs. */
export function gruStepAfter(z: usize, zStride: i32, q: usize, qStride: i32, recurrentBias: usize, hPrev: usize, hPrevStride: i32,
  out1: usize, stride1: i32, out2: usize, stride2: i32, out3: usize, stride3: i32, units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      let qz = hPrev != 0 ? <f64>load<f32>(at(q, b, qStride, j)) : 0.0;
      let qr = hPrev != 0 ? <f64>load<f32>(at(q, b, qStride, units + j)) : 0.0;
      let qh = hPrev != 0 ? <f64>load<f32>(at(q, b, qStride, 2 * units + j)) : 0.0;
      if (recurrentBias != 0) {
        qz += <f64>load<f32>(recurrentBias + (<usize>j << 2));
        qr += <f64>load<f32>(recurrentBias + (<usize>(units + j) << 2));
        qh += <f64>load<f32>(recurrentBias + (<usize>(2 * units + j) << 2));
      }
      const fz = <f32>qz, fr = <f32>qr, fh = <f32>qh;
      store<f32>(at(q, b, qStride, j), fz);
      store<f32>(at(q, b, qStride, units + j), fr);
      store<f32>(at(q, b, qStride, 2 * units + j), fh);
      const update = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, j)) + <f64>fz);
      const reset = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, units + j)) + <f64>fr);
      const candidate = apply(act, <f64>load<f32>(at(z, b, zStride, 2 * units + j)) + reset * <f64>fh);
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      const value = <f32>(update * previous + (1.0 - update) * candidate);
      if (out1 != 0) store<f32>(at(out1, b, stride1, j), value);
      if (out2 != 0) store<f32>(at(out2, b, stride2, j), value);
      if (out3 != 0) store<f32>(at(out3, b, stride3, j), value);
    }
  }
}

/** Reset before, first half of a step: rh = σ(z_r)·h_prev (rows units·stride apart as given), for the caller's GEMM rh·R_h. */
export function gruResetBefore(z: usize, zStride: i32, hPrev: usize, hPrevStride: i32, rh: usize, rhStride: i32, units: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      store<f32>(at(rh, b, rhStride, j), <f32>(apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, units + j))) * previous));
    }
  }
}

/** Reset before, second half: the state from z (its candidate's pre-activation now holding (r·h_prev)·R_h) into the outputs. */
export function gruStateBefore(z: usize, zStride: i32, hPrev: usize, hPrevStride: i32, out1: usize, stride1: i32, out2: usize, stride2: i32, out3: usize, stride3: i32,
  units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      const update = apply(recurrentAct, <f64>load<f32>(at(z, b, zStride, j)));
      const candidate = apply(act, <f64>load<f32>(at(z, b, zStride, 2 * units + j)));
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      const value = <f32>(update * previous + (1.0 - update) * candidate);
      if (out1 != 0) store<f32>(at(out1, b, stride1, j), value);
      if (out2 != 0) store<f32>(at(out2, b, stride2, j), value);
      if (out3 != 0) store<f32>(at(out3, b, stride3, j), value);
    }
  }
}

/**
 * resetAfter, one step back: dh' = dy (0: none) + dh (rows units apart; 0 at the last step: set
 * hasNext 0) → dz (input side) and dq (recurrent side) of the three gates; dh becomes dh'·z, the
 * part of dL/dh_prev not through R (the caller adds dq·Rᵀ).
 */
export function gruBackAfter(z: usize, zStride: i32, q: usize, qStride: i32, hPrev: usize, hPrevStride: i32, dy: usize, dyStride: i32, dh: usize, hasNext: i32,
  dz: usize, dzStride: i32, dq: usize, dqStride: i32, units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      let d = dy != 0 ? <f64>load<f32>(at(dy, b, dyStride, j)) : 0.0;
      if (hasNext != 0) d += <f64>load<f32>(at(dh, b, units, j));
      const qz = <f64>load<f32>(at(q, b, qStride, j)), qr = <f64>load<f32>(at(q, b, qStride, units + j)), qh = <f64>load<f32>(at(q, b, qStride, 2 * units + j));
      const az = <f64>load<f32>(at(z, b, zStride, j)) + qz, ar = <f64>load<f32>(at(z, b, zStride, units + j)) + qr;
      const update = apply(recurrentAct, az), reset = apply(recurrentAct, ar);
      const ah = <f64>load<f32>(at(z, b, zStride, 2 * units + j)) + reset * qh;
      const candidate = apply(act, ah);
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      const daz = d * (previous - candidate) * slope(recurrentAct, az);
      const dah = d * (1.0 - update) * slope(act, ah);
      const dar = dah * qh * slope(recurrentAct, ar);
      store<f32>(at(dz, b, dzStride, j), <f32>daz);
      store<f32>(at(dz, b, dzStride, units + j), <f32>dar);
      store<f32>(at(dz, b, dzStride, 2 * units + j), <f32>dah);
      store<f32>(at(dq, b, dqStride, j), <f32>daz);
      store<f32>(at(dq, b, dqStride, units + j), <f32>dar);
      store<f32>(at(dq, b, dqStride, 2 * units + j), <f32>(dah * reset));
      store<f32>(at(dh, b, units, j), <f32>(d * update));
    }
  }
}

/**
 * Reset before, one step back, first half: dh' as in gruBackAfter → dz of the update gate and of
 * the candidate (whose pre-activation holds (r·h_prev)·R_h); dh becomes dh'·z.
 */
export function gruBackBeforeA(z: usize, zStride: i32, hPrev: usize, hPrevStride: i32, dy: usize, dyStride: i32, dh: usize, hasNext: i32,
  dz: usize, dzStride: i32, units: i32, act: i32, recurrentAct: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      let d = dy != 0 ? <f64>load<f32>(at(dy, b, dyStride, j)) : 0.0;
      if (hasNext != 0) d += <f64>load<f32>(at(dh, b, units, j));
      const az = <f64>load<f32>(at(z, b, zStride, j)), ah = <f64>load<f32>(at(z, b, zStride, 2 * units + j));
      const update = apply(recurrentAct, az), candidate = apply(act, ah);
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      store<f32>(at(dz, b, dzStride, j), <f32>(d * (previous - candidate) * slope(recurrentAct, az)));
      store<f32>(at(dz, b, dzStride, 2 * units + j), <f32>(d * (1.0 - update) * slope(act, ah)));
      store<f32>(at(dh, b, units, j), <f32>(d * update));
    }
  }
}

/**
 * Reset before, second half: from drh = dL/d(r·h_prev) (rows units apart, the caller's GEMM of
 * the candidate's dz with R_hᵀ), the reset gate's dz = drh·h_prev·σ'(z_r), and dh += drh·r.
 */
export function gruBackBeforeB(z: usize, zStride: i32, hPrev: usize, hPrevStride: i32, drh: usize, dh: usize, dz: usize, dzStride: i32, units: i32, recurrentAct: i32,
  start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let j = 0; j < units; j++) {
      const ar = <f64>load<f32>(at(z, b, zStride, units + j));
      const previous = hPrev != 0 ? <f64>load<f32>(at(hPrev, b, hPrevStride, j)) : 0.0;
      const g = <f64>load<f32>(at(drh, b, units, j));
      store<f32>(at(dz, b, dzStride, units + j), <f32>(g * previous * slope(recurrentAct, ar)));
      store<f32>(at(dh, b, units, j), <f32>(<f64>load<f32>(at(dh, b, units, j)) + g * apply(recurrentAct, ar)));
    }
  }
}
