// Keras' GRU (Cho et al. 2014): gates z (update), r (reset) and the candidate h, in that order in
// the kernels' columns; h_t = z·h_{t−1} + (1 − z)·ĥ. Both of Keras' conventions for the reset
// gate: before the recurrent product (resetAfter false: Keras 2's and TF.js' default, one bias
// [3·units]) or after it (resetAfter true: Keras 3's default, cuDNN's form, biases [2, 3·units]
// for the input and the recurrent side). Forward per step: one GEMM (two before: the candidate's
// recurrent product waits for r) and fused kernels (assembly/recurrent.ts); backward through time
// as the base's, with dW, dR and dx one GEMM each after the loop.
import { biasActivation, sumRows } from '../ops/activation.js';
import { multiplyRows } from '../ops/dropout.js';
import { addInto } from '../ops/merge.js';
import { gemm } from '../ops/gemm.js';
import { copyBytes, fillF32 } from '../ops/memory.js';
import {
  NONE, RecurrentCell, gruBackAfter, gruBackBeforeA, gruBackBeforeB, gruResetBefore, gruStateBefore, gruStepAfter, type Rows,
} from '../ops/recurrent.js';
import { checkBoolean } from '../options.js';
import { Activation } from '../runtime/bindings.js';
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { scratchLayout, type Step, type WeightSpec } from './layer.js';
import { Recurrent, type SharedBlock, type RecurrentArgs } from './recurrent.js';

export interface GRUArgs extends RecurrentArgs {
  /** Activation of the gates (default 'sigmoid', as Keras). */
  recurrentActivation?: ActivationName | string | null;
  /** Apply the reset gate after the recurrent product (Keras 3's default true; Keras 2's and TF.js' false). Default true. */
  resetAfter?: boolean | null;
}

/**
 * A gated recurrent unit layer: [steps, features] → [units] (or [steps, units] with
 * returnSequences).
 * @example layers.gru({ units: 64, inputShape: [28, 28] })
 */
export class GRU extends Recurrent {
  readonly className = 'GRU';
  /** Unused: GRU runs its own steps. */
  protected readonly cell = RecurrentCell.Simple;
  protected readonly gates = 3;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args, 'GRU', ['recurrentActivation', 'resetAfter']);
    this.resetAfter = checkBoolean(args.resetAfter ?? undefined, 'resetAfter', 'GRU', true);
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const specs = super.weightSpecs(inputShape);
    // After: the input side's bias and the recurrent side's, as Keras stores them ([2, 3·units]).
    if (this.useBias && this.resetAfter) specs[2] = [specs[2][0], [2, 3 * this.units], specs[2][2], specs[2][3]];
    return specs;
  }

  /** Buffers of one pass (byte offsets): pre-activations z, the recurrent side q (after) or r·h_prev (before), states, and in training the gradients' blocks. */
  private layout(batch: number, training: boolean): Record<'z' | 'q' | 'h' | 'hPrev' | 'dz' | 'dq' | 'dh' | 'drh' | 'carry' | 'dhr' | SharedBlock | 'total', number> {
    const [steps] = this.inputShape, gates = batch * steps * 3 * this.units * 4, block = batch * steps * this.units * 4, row = batch * this.units * 4;
    const train = training ? 1 : 0;
    return scratchLayout({
      ...this.sharedBlocks(batch, training), dhr: training && this.recurrentDropout > 0 ? row : 0,
      z: gates, q: this.resetAfter ? gates : block, h: block, hPrev: train * block, dz: train * gates, dq: this.resetAfter ? train * gates : 0,
      dh: train * row, drh: this.resetAfter ? 0 : train * row, carry: train * row,
    });
  }


  override scratchBytes(batch: number, training: boolean): number {
    return this.layout(batch, training).total;
  }

  protected override offsets(batch: number, training: boolean): Record<string, number> {
    return this.layout(batch, training);
  }

  /** forward from an initial state: xs = [sequences, h0] ([batch, units]); without it the state starts at zero. */
  override forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    const [x, h0 = 0] = xs;
    const be = step.be, batch = step.batch, [steps, features] = this.inputShape, units = this.units, width = 3 * units;
    const p = this.layout(batch, step.training);
    const z = scratch + p.z, q = scratch + p.q, h = scratch + p.h, hPrev = scratch + p.hPrev;
    const [kernel, recurrent, bias] = this.weights;
    const act = ACTIVATIONS[this.activation], rec = this.recurrentCode;
    const input = this.dropInputs(step, x, scratch, p), dropState = this.dropsState(step), hMask = { ptr: scratch + p.hMask, stride: units };
    gemm(be, false, false, batch * steps, width, features, input, features, kernel.ptr, width, 0, z, width, step.work);
    if (bias) biasActivation(be, z, bias.ptr, batch * steps, width, Activation.Linear);
    const row = (base: number, t: number, size: number): Rows => ({ ptr: base + t * size * 4, stride: steps * size });
    const initial: Rows = h0 ? { ptr: h0, stride: units } : NONE;
    // The first step's previous state: zero (the record's fill), or the initial state given (recorded for dR).
    if (step.training) fillF32(be, hPrev, batch * steps * units, 0);
    this.recordInitialState(step, h0, hPrev, hMask);
    for (let s = 0; s < steps; s++) {
      const t = this.position(s), previous = s > 0 ? row(h, this.position(s - 1), units) : initial;
      const out = this.outputRows(y, s);
      const outputs: [Rows, Rows, Rows] = [row(h, t, units), step.training && s < steps - 1 ? row(hPrev, this.position(s + 1), units) : NONE, out];
      if (this.resetAfter) {
        // The recurrent product of the previous state (its record, dropped, with recurrentDropout; the update uses the state itself).
        if (previous.ptr) gemm(be, false, false, batch, width, units, dropState ? hPrev + t * units * 4 : previous.ptr, dropState ? steps * units : previous.stride, recurrent.ptr, width, 0, q + t * width * 4, steps * width, step.work);
        gruStepAfter(be, batch, units, act, rec, row(z, t, width), row(q, t, width), bias ? bias.ptr + width * 4 : 0, previous, outputs);
      } else {
        // The recurrent products read the previous state dropped (its record) with recurrentDropout; the update, the state itself.
        const recurrentIn = previous.ptr && dropState ? row(hPrev, t, units) : previous;
        if (previous.ptr) gemm(be, false, false, batch, 2 * units, units, recurrentIn.ptr, recurrentIn.stride, recurrent.ptr, width, 1, z + t * width * 4, steps * width, step.work);
        gruResetBefore(be, batch, units, rec, row(z, t, width), recurrentIn, row(q, t, units));
        // The candidate's recurrent product, of r·h_prev (zero at the first step).
        if (previous.ptr) gemm(be, false, false, batch, units, units, q + t * units * 4, steps * units, recurrent.ptr + 2 * units * 4, width, 1, z + (t * width + 2 * units) * 4, steps * width, step.work);
        gruStateBefore(be, batch, units, act, rec, row(z, t, width), previous, outputs);
      }
      for (const dst of outputs) this.carry(step, t, units, dst, previous);
      if (dropState && outputs[1].ptr) multiplyRows(be, batch, units, outputs[1], hMask, outputs[1]);
    }
    this.writeStates(step, y, [h]);
  }

  /** backward from an initial state: dxs = [dx, dh0] (0: not needed). */
  override backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const [x, h0 = 0] = xs, [dx, dh0 = 0] = dxs;
    const be = step.be, batch = step.batch, [steps, features] = this.inputShape, units = this.units, width = 3 * units;
    const p = this.layout(batch, true);
    const z = scratch + p.z, q = scratch + p.q, h = scratch + p.h, hPrev = scratch + p.hPrev, dz = scratch + p.dz, dq = scratch + p.dq, dh = scratch + p.dh, drh = scratch + p.drh;
    const kept = { ptr: scratch + p.carry, stride: units }, dhRows = { ptr: dh, stride: units };
    const input = this.dropout > 0 ? scratch + p.xDropped : x, dropState = this.recurrentDropout > 0, dhr = { ptr: scratch + p.dhr, stride: units };
    const [kernel, recurrent, bias] = this.weights;
    const act = ACTIVATIONS[this.activation], rec = this.recurrentCode;
    const row = (base: number, t: number, size: number): Rows => ({ ptr: base + t * size * 4, stride: steps * size });
    // The last state's own gradient (returnState) starts backpropagation through time.
    const fromState = this.readStateGradients(step, dy, [dh]);
    for (let s = steps - 1; s >= 0; s--) {
      const t = this.position(s), previous = s > 0 ? row(h, this.position(s - 1), units) : h0 ? { ptr: h0, stride: units } : NONE, hasNext = s < steps - 1 || fromState;
      const dyRows = this.outputRows(dy, s);
      // Across a masked step the gradient goes to the previous state whole (kept here first).
      this.carry(step, t, units, kept, dyRows, hasNext ? dhRows : NONE);
      if (this.resetAfter) {
        gruBackAfter(be, batch, units, act, rec, row(z, t, width), row(q, t, width), previous, dyRows, dh, hasNext, row(dz, t, width), row(dq, t, width));
        // dL/dh_prev = dh'·z (in dh) + dq·Rᵀ (through the recurrent dropout's mask).
        if (previous.ptr && !dropState) gemm(be, false, true, batch, units, width, dq + t * width * 4, steps * width, recurrent.ptr, width, 1, dh, units, step.work);
        if (previous.ptr && dropState) {
          gemm(be, false, true, batch, units, width, dq + t * width * 4, steps * width, recurrent.ptr, width, 0, dhr.ptr, units, step.work);
          multiplyRows(be, batch, units, dhr, { ptr: scratch + p.hMask, stride: units }, dhr);
          addInto(be, dh, dhr.ptr, batch * units);
        }
      } else {
        gruBackBeforeA(be, batch, units, act, rec, row(z, t, width), previous, dyRows, dh, hasNext, row(dz, t, width));
        gemm(be, false, true, batch, units, units, dz + (t * width + 2 * units) * 4, steps * width, recurrent.ptr + 2 * units * 4, width, 0, drh, units, step.work);
        if (!dropState) {
          gruBackBeforeB(be, batch, units, rec, row(z, t, width), previous, drh, dh, row(dz, t, width));
          if (previous.ptr) gemm(be, false, true, batch, units, 2 * units, dz + t * width * 4, steps * width, recurrent.ptr, width, 1, dh, units, step.work);
        } else {
          // The recurrent products read the dropped state: their part of dL/dh_prev goes through its mask.
          const recurrentIn = previous.ptr ? row(hPrev, t, units) : NONE;
          fillF32(be, dhr.ptr, batch * units, 0);
          gruBackBeforeB(be, batch, units, rec, row(z, t, width), recurrentIn, drh, dhr.ptr, row(dz, t, width));
          if (previous.ptr) gemm(be, false, true, batch, units, 2 * units, dz + t * width * 4, steps * width, recurrent.ptr, width, 1, dhr.ptr, units, step.work);
          multiplyRows(be, batch, units, dhr, { ptr: scratch + p.hMask, stride: units }, dhr);
          addInto(be, dh, dhr.ptr, batch * units);
        }
      }
      this.carryBack(step, t, previous.ptr !== 0, row(dz, t, width), this.resetAfter ? row(dq, t, width) : NONE, dhRows, kept);
    }
    // The initial state's gradient: what reached the state before the first step.
    if (dh0) copyBytes(be, dh, dh0, batch * units * 4);
    if (this.trainable) {
      gemm(be, true, false, features, width, batch * steps, input, features, dz, width, 0, kernel.grad, width, step.work);
      if (this.resetAfter) {
        gemm(be, true, false, units, width, batch * steps, hPrev, units, dq, width, 0, recurrent.grad, width, step.work);
        if (bias) {
          sumRows(be, dz, batch * steps, width, bias.grad);
          sumRows(be, dq, batch * steps, width, bias.grad + width * 4);
        }
      } else {
        gemm(be, true, false, units, 2 * units, batch * steps, hPrev, units, dz, width, 0, recurrent.grad, width, step.work);
        gemm(be, true, false, units, units, batch * steps, q, units, dz + 2 * units * 4, width, 0, recurrent.grad + 2 * units * 4, width, step.work);
        if (bias) sumRows(be, dz, batch * steps, width, bias.grad);
      }
    }
    if (dx) gemm(be, false, true, batch * steps, features, width, dz, width, kernel.ptr, width, 0, dx, features, step.work);
    this.dropInputGradient(step, dx, scratch, p);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
