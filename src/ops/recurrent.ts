// Typed wrappers of assembly/recurrent.ts: one time step of a recurrent layer over a batch, split
// by batch rows. Pointers are to f32 blocks; strides count floats between consecutive rows.
import type { Backend } from '../runtime/backend.js';
import { copyBlock } from './blocks.js';
import { RecurrentCell } from '../runtime/bindings.js';
import { Merge, concatBackward, concatForward, mergeBackward, mergeForward } from './merge.js';

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

const OPS: Record<Exclude<MergeMode, 'concat'>, Merge> = { sum: Merge.Add, mul: Merge.Multiply, ave: Merge.Average };

/** y[b, s] = x[b, steps − 1 − s] over batch samples of steps × width values (y ≠ x). */
export function reverseSteps(be: Backend, x: number, y: number, batch: number, steps: number, width: number): void {
  be.launch('reverseSteps', [x, y, steps, width], batch, 1, batch * steps * width);
}

/**
 * y = merge(f, b) over batch × steps rows of units values (steps 1 for last-step outputs), b
 * given in step order (a backward layer's sequence reversed first, reverseSteps); concat puts
 * f's units then b's in each row.
 */
export function mergeDirections(be: Backend, f: number, b: number, rows: number, units: number, mode: MergeMode, y: number): void {
  if (mode === 'concat') concatForward(be, [f, b], [units, units], rows, y);
  else mergeForward(be, OPS[mode], [f, b], rows * units, y);
}

/** The two layers' dL/dy (b's in step order) from the merged output's dy; mul reads their outputs f and b and the merged y. */
export function splitDirections(be: Backend, dy: number, f: number, b: number, y: number, rows: number, units: number, mode: MergeMode, df: number, db: number): void {
  if (mode === 'concat') concatBackward(be, dy, [units, units], rows, [df, db]);
  else mergeBackward(be, OPS[mode], [f, b], rows * units, y, dy, [df, db]);
}

/** Where a row of `units` values sits in each sample's values: slot `slot` of `slots` rows. */
export interface StateSlot {
  ptr: number;
  slots: number;
  slot: number;
}

/** For every sample, one row of `units` values copied from a slot of src to a slot of dst (a recurrent layer's last states, initial states and their gradients). */
export function copyStateRow(be: Backend, src: StateSlot, dst: StateSlot, units: number, batch: number): void {
  copyBlock(be, { ptr: src.ptr, height: src.slots, width: 1, top: src.slot, left: 0 }, { ptr: dst.ptr, height: dst.slots, width: 1, top: dst.slot, left: 0 }, units, 1, 1, false, batch);
}
