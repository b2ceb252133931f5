// Typed wrappers of assembly/recurrent.ts: one time step of a recurrent layer over a batch, split
// by batch rows. Pointers are to f32 blocks; strides count floats between consecutive rows.
import type { Backend } from '../runtime/backend.js';
import { RecurrentCell } from '../runtime/bindings.js';
import { readF32, writeF32 } from './memory.js';

export { RecurrentCell };

/** A block of rows: where the first starts and how many floats apart the others are (ptr 0: none). */
export interface Rows {
  ptr: number;
  stride: number;
}

export const NONE: Rows = { ptr: 0, stride: 0 };

/** The gates, new cell state (LSTM) and h of one step from its pre-activations z; h written to each given output. */
export function rnnForwardStep(be: Backend, cell: RecurrentCell, batch: number, units: number, gates: number, act: number, recurrentAct: number,
  z: Rows, cPrev: Rows, c: Rows, outputs: [Rows, Rows?, Rows?]): void {
  const [a, b = NONE, d = NONE] = outputs;
  be.launch('rnnForwardStep', [cell, z.ptr, z.stride, cPrev.ptr, cPrev.stride, c.ptr, c.stride, a.ptr, a.stride, b.ptr, b.stride, d.ptr, d.stride, units, act, recurrentAct],
    batch, 1, batch * units * gates * 24);
}

/** dz of one step from dy (ptr 0: none) and dhNext (0: none, rows `units` apart); LSTM: dc (rows `units` apart) from the next step's to this step's previous. */
export function rnnBackwardStep(be: Backend, cell: RecurrentCell, batch: number, units: number, gates: number, act: number, recurrentAct: number,
  z: Rows, c: Rows, cPrev: Rows, dy: Rows, dhNext: number, dc: number, dz: Rows): void {
  be.launch('rnnBackwardStep', [cell, z.ptr, z.stride, c.ptr, c.stride, cPrev.ptr, cPrev.stride, dy.ptr, dy.stride, dhNext, dc, dz.ptr, dz.stride, units, act, recurrentAct],
    batch, 1, batch * units * gates * 40);
}

/** GRU with the reset gate after the recurrent product: q (h_prev·R, 0 when hPrev is none) gets b_rec (0: none) added and kept; the state into the outputs. */
export function gruStepAfter(be: Backend, batch: number, units: number, act: number, recurrentAct: number, z: Rows, q: Rows, recurrentBias: number, hPrev: Rows,
  outputs: [Rows, Rows?, Rows?]): void {
  const [a, b = NONE, d = NONE] = outputs;
  be.launch('gruStepAfter', [z.ptr, z.stride, q.ptr, q.stride, recurrentBias, hPrev.ptr, hPrev.stride, a.ptr, a.stride, b.ptr, b.stride, d.ptr, d.stride, units, act, recurrentAct],
    batch, 1, batch * units * 72);
}

/** GRU, reset gate before: rh = σ(z_r)·h_prev. */
export function gruResetBefore(be: Backend, batch: number, units: number, recurrentAct: number, z: Rows, hPrev: Rows, rh: Rows): void {
  be.launch('gruResetBefore', [z.ptr, z.stride, hPrev.ptr, hPrev.stride, rh.ptr, rh.stride, units, recurrentAct], batch, 1, batch * units * 24);
}

/** GRU, reset gate before: the state from the completed pre-activations. */
export function gruStateBefore(be: Backend, batch: number, units: number, act: number, recurrentAct: number, z: Rows, hPrev: Rows, outputs: [Rows, Rows?, Rows?]): void {
  const [a, b = NONE, d = NONE] = outputs;
  be.launch('gruStateBefore', [z.ptr, z.stride, hPrev.ptr, hPrev.stride, a.ptr, a.stride, b.ptr, b.stride, d.ptr, d.stride, units, act, recurrentAct], batch, 1, batch * units * 48);
}

/** GRU (reset after), one step back: dz and dq of the gates; dh (rows units apart) from dL/dh to the part of dL/dh_prev not through R. */
export function gruBackAfter(be: Backend, batch: number, units: number, act: number, recurrentAct: number, z: Rows, q: Rows, hPrev: Rows, dy: Rows, dh: number,
  hasNext: boolean, dz: Rows, dq: Rows): void {
  be.launch('gruBackAfter', [z.ptr, z.stride, q.ptr, q.stride, hPrev.ptr, hPrev.stride, dy.ptr, dy.stride, dh, +hasNext, dz.ptr, dz.stride, dq.ptr, dq.stride, units, act, recurrentAct],
    batch, 1, batch * units * 96);
}

/** GRU (reset before), one step back, first half: the update gate's and candidate's dz; dh to dL/dh·z. */
export function gruBackBeforeA(be: Backend, batch: number, units: number, act: number, recurrentAct: number, z: Rows, hPrev: Rows, dy: Rows, dh: number, hasNext: boolean, dz: Rows): void {
  be.launch('gruBackBeforeA', [z.ptr, z.stride, hPrev.ptr, hPrev.stride, dy.ptr, dy.stride, dh, +hasNext, dz.ptr, dz.stride, units, act, recurrentAct], batch, 1, batch * units * 64);
}

/** GRU (reset before), second half: the reset gate's dz from drh = dL/d(r·h_prev), and dh += drh·r. */
export function gruBackBeforeB(be: Backend, batch: number, units: number, recurrentAct: number, z: Rows, hPrev: Rows, drh: number, dh: number, dz: Rows): void {
  be.launch('gruBackBeforeB', [z.ptr, z.stride, hPrev.ptr, hPrev.stride, drh, dh, dz.ptr, dz.stride, units, recurrentAct], batch, 1, batch * units * 32);
}

/** How Bidirectional joins its two layers' outputs (Keras' merge_mode). */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/**
 * y = merge(f, b) over batch × steps rows of units values (steps 1 for last-step outputs); with
 * `reverse`, b's steps are taken last to first (a backward layer's sequence, put back in order).
 * concat puts f's units then b's in each row.
 */
export function mergeDirections(be: Backend, f: number, b: number, batch: number, steps: number, units: number, mode: MergeMode, reverse: boolean, y: number): void {
  const fv = readF32(be, f, batch * steps * units), bv = readF32(be, b, batch * steps * units);
  const out = new Float32Array(batch * steps * units * (mode === 'concat' ? 2 : 1));
  for (let n = 0; n < batch; n++) {
    for (let s = 0; s < steps; s++) {
      const fi = (n * steps + s) * units, bi = (n * steps + (reverse ? steps - 1 - s : s)) * units;
      for (let j = 0; j < units; j++) {
        const p = fv[fi + j], q = bv[bi + j];
        if (mode === 'concat') {
          out[(n * steps + s) * 2 * units + j] = p;
          out[(n * steps + s) * 2 * units + units + j] = q;
        } else out[fi + j] = mode === 'sum' ? p + q : mode === 'mul' ? p * q : (p + q) / 2;
      }
    }
  }
  writeF32(be, y, out);
}

/** The two layers' dL/dy from the merged output's dy (mul needs their outputs f and b); inverse of mergeDirections' layout. */
export function splitDirections(be: Backend, dy: number, f: number, b: number, batch: number, steps: number, units: number, mode: MergeMode, reverse: boolean,
  df: number, db: number): void {
  const size = batch * steps * units;
  const d = readF32(be, dy, size * (mode === 'concat' ? 2 : 1));
  const fv = mode === 'mul' ? readF32(be, f, size) : undefined, bv = mode === 'mul' ? readF32(be, b, size) : undefined;
  const outF = new Float32Array(size), outB = new Float32Array(size);
  for (let n = 0; n < batch; n++) {
    for (let s = 0; s < steps; s++) {
      const fi = (n * steps + s) * units, bi = (n * steps + (reverse ? steps - 1 - s : s)) * units;
      for (let j = 0; j < units; j++) {
        if (mode === 'concat') {
          outF[fi + j] = d[(n * steps + s) * 2 * units + j];
          outB[bi + j] = d[(n * steps + s) * 2 * units + units + j];
        } else {
          const g = d[fi + j];
          outF[fi + j] = mode === 'mul' ? g * bv![bi + j] : mode === 'ave' ? g / 2 : g;
          outB[bi + j] = mode === 'mul' ? g * fv![fi + j] : mode === 'ave' ? g / 2 : g;
        }
      }
    }
  }
  writeF32(be, df, outF);
  writeF32(be, db, outB);
}

/** target += source over n floats. */
export function addInto(be: Backend, target: number, source: number, n: number): void {
  const t = readF32(be, target, n), s = readF32(be, source, n);
  for (let i = 0; i < n; i++) t[i] += s[i];
  writeF32(be, target, t);
}
