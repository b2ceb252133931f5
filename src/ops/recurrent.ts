// Typed wrappers of assembly/recurrent.ts: one time step of a recurrent layer over a batch, split
// by batch rows. Pointers are to f32 blocks; strides count floats between consecutive rows.
import type { Backend } from '../runtime/backend.js';
import { RecurrentCell } from '../runtime/bindings.js';

export { RecurrentCell };

/** A block of rows: where the first starts and how many floats apart the others are (ptr 0: none). */
export interface Rows {
  ptr: number;
  stride: number;
}

const NONE: Rows = { ptr: 0, stride: 0 };

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
