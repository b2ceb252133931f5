// What Keras' recurrent layers share (SimpleRNN, LSTM): inputs [steps, features] per sample, a
// kernel [features, gates·units], a recurrent kernel [units, gates·units] and a bias; the output
// of the last step, or of every step (returnSequences), in the order the steps ran (goBackwards
// runs them last to first). Forward: x·W + b for every step in one GEMM, then per step one GEMM
// h_prev·R into that step's pre-activations and one fused kernel for the gates and the state
// (assembly/recurrent.ts). Backward, through time: per step the fused kernel's dL/dz and one GEMM
// for dL/dh_prev; then one GEMM each for dW, dR (over every step's previous state, kept in forward)
// and dx. Every buffer is planned once per batch size (scratchBytes), none allocated per step.
import { ShapeError, ValueError, describe } from '../errors.js';
import { biasActivation, sumRows } from '../ops/activation.js';
import { gemm } from '../ops/gemm.js';
import { copyBytes, fillF32, zeroBytes } from '../ops/memory.js';
import { NONE, RecurrentCell, copyStateRow, rnnBackwardStep, rnnForwardStep, type Rows, type StateSlot } from '../ops/recurrent.js';
import { maskedRows } from '../ops/step-mask.js';
import { dropSequence, dropoutMask, multiplyRows } from '../ops/dropout.js';
import { checkBoolean, checkOptions } from '../options.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { Activation } from '../runtime/bindings.js';
import { ACTIVATIONS, activationConfig, activationName, type ActivationName } from './activations.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, scratchLayout, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import type { Backend } from '../runtime/backend.js';
import type { SymbolicTensor } from './node.js';
import { packedShape, withParts } from './outputs.js';
import { shapeSize } from '../tensor.js';
import { KERNEL_BIAS_ARGS, kernelBiasConfig, readKernelBias, type KernelBias, type KernelBiasArgs } from './weight-options.js';

export interface RecurrentArgs extends LayerArgs, KernelBiasArgs {
  /** Size of the state (and of each step's output). */
  units: number;
  /** Activation of the state (default 'tanh'). */
  activation?: ActivationName | string | null;
  useBias?: boolean;
  /** Initializer of the input kernel (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the recurrent kernel (default 'orthogonal'). */
  recurrentInitializer?: InitializerIdentifier;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  /** Output every step's state ([steps, units]) instead of the last one's (default false). */
  returnSequences?: boolean;
  /** Run the steps from the last to the first (default false); the outputs come in that order. */
  goBackwards?: boolean;
  /** Fraction of the inputs dropped in training (Keras'): a model with it predicts (where it changes nothing), but training it is not supported yet. */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training: as dropout. */
  recurrentDropout?: number;
  /** Return the final state as extra outputs: only false for now. */
  returnState?: boolean;
  /** Carry the state from batch to batch: only false. */
  stateful?: boolean;
  /** Keras' and TF.js' choice of how to build the loop; it changes nothing here. */
  unroll?: boolean | null;
  /** Keras' choice of kernel layout (1 or 2); it changes nothing here. */
  implementation?: number | null;
}

export const RECURRENT_ARGS = ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'recurrentRegularizer', 'recurrentConstraint',
  'returnSequences', 'goBackwards', 'dropout', 'recurrentDropout', 'returnState', 'stateful', 'unroll', 'implementation', ...KERNEL_BIAS_ARGS] as const;

/** A recurrent layer over [steps, features] per sample; subclasses choose the cell. */
export abstract class Recurrent extends Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  /** Whether the layer also gives its last state(s): apply returns [output, h] (LSTM: [output, h, c]). */
  readonly returnState: boolean;
  /** Whether each batch starts from the last states of the one before (sample i from sample i's), until resetStates. */
  readonly stateful: boolean;
  /** A stateful layer's carried states ([batch, units] each) and the batch size they are for. */
  private carried: { batch: number; states: number[] } | undefined;
  readonly goBackwards: boolean;
  /** Keras' dropout of the inputs and of the recurrent state in training: kept for inference (where they change nothing) and saving; training with them is refused for now. */
  readonly dropout: number;
  readonly recurrentDropout: number;
  protected readonly initializers: Record<'kernel' | 'recurrent' | 'bias', InitializerSpec>;
  protected readonly kernelBias: KernelBias;
  protected readonly recurrentRegularizer: Regularizer | undefined;
  protected readonly recurrentConstraint: ConstraintSpec | undefined;
  protected abstract readonly cell: RecurrentCell;
  /** Pre-activations per unit per step: 1 for SimpleRNN, 4 for the LSTM's gates. */
  protected abstract readonly gates: number;
  /** The gates' activation (LSTM, GRU: Keras' default sigmoid); undefined for SimpleRNN, which has no gates. */
  readonly recurrentActivation: ActivationName | undefined;

  /** The options given (mirrored copies are made from them). */
  private readonly args: RecurrentArgs;

  protected constructor(args: RecurrentArgs, className: string, own: readonly string[]) {
    const o = checkOptions<RecurrentArgs>(args, [...LAYER_ARGS, ...RECURRENT_ARGS, ...own] as (keyof RecurrentArgs)[], className);
    super(o, className);
    this.args = { ...args };
    if (!Number.isInteger(o.units) || (o.units as number) < 1) throw new ValueError(`${className}: units must be a positive integer; received ${describe(o.units)}`);
    this.units = o.units as number;
    this.activation = recurrentActivation(o.activation, 'tanh', `${className}: activation`);
    this.recurrentActivation = own.includes('recurrentActivation')
      ? recurrentActivation((args as { recurrentActivation?: unknown }).recurrentActivation, 'sigmoid', `${className}: recurrentActivation`) : undefined;
    this.useBias = checkBoolean(o.useBias, 'useBias', className, true);
    this.returnSequences = checkBoolean(o.returnSequences, 'returnSequences', className, false);
    this.goBackwards = checkBoolean(o.goBackwards, 'goBackwards', className, false);
    checkBoolean(o.unroll ?? undefined, 'unroll', className, false);
    if (o.implementation !== undefined && o.implementation !== null && o.implementation !== 1 && o.implementation !== 2) {
      throw new ValueError(`${className}: implementation must be 1 or 2; received ${describe(o.implementation)}`);
    }
    for (const key of ['dropout', 'recurrentDropout'] as const) {
      const v = o[key] ?? 0;
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${className}: ${key} must be a fraction in [0, 1); received ${describe(o[key])}`);
    }
    this.dropout = o.dropout ?? 0;
    this.recurrentDropout = o.recurrentDropout ?? 0;
    this.returnState = checkBoolean(o.returnState, 'returnState', className, false);
    this.stateful = checkBoolean(o.stateful, 'stateful', className, false);
    this.initializers = {
      kernel: initializerSpec(o.kernelInitializer ?? 'glorotUniform', `${className}: kernelInitializer`),
      recurrent: initializerSpec(o.recurrentInitializer ?? 'orthogonal', `${className}: recurrentInitializer`),
      bias: initializerSpec(o.biasInitializer ?? 'zeros', `${className}: biasInitializer`),
    };
    this.kernelBias = readKernelBias(o, className);
    this.recurrentRegularizer = regularizerOption(o.recurrentRegularizer, `${className}: recurrentRegularizer`);
    this.recurrentConstraint = constraintOption(o.recurrentConstraint, `${className}: recurrentConstraint`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2) {
      throw new ShapeError(`${this.className} ${this.name}: needs inputs of shape [steps, features] per sample; received [${inputShape.join(', ')}]`);
    }
    // With returnState, the output and the last states side by side (apply takes them apart).
    return packedShape(this.outputShapes(inputShape));
  }

  /** Inputs [sequences] or [sequences, ...initial states], each state [units]. */
  protected override buildFor(be: Backend, shapes: readonly (readonly number[])[]): void {
    this.checkStates(shapes);
    this.build(be, shapes[0]);
  }

  override builtFor(sizes: readonly (readonly number[])[]): boolean {
    return sizes[0].join() === this.inputShape.join() && sizes.slice(1).every((s) => s.join() === String(this.units));
  }

  protected override outputShapeFor(sizes: readonly (readonly number[])[]): number[] {
    this.checkStates(sizes);
    return this.computeOutputShape(sizes[0]);
  }

  protected override shapesShown(): string {
    return `[${this.inputShape.join(', ')}]`;
  }

  /** ValueError unless the inputs are the sequences alone or with one initial state per state of the cell, each [units]. */
  private checkStates(shapes: readonly (readonly number[])[]): void {
    if (shapes.length === 1) return;
    if (this.stateful) throw new ValueError(`${this.className} ${this.name}: a stateful layer starts from the states it carries; it takes no initial states`);
    const names = this.stateCount === 2 ? '[sequences, h0, c0]' : '[sequences, h0]';
    if (shapes.length !== 1 + this.stateCount || shapes.slice(1).some((s) => s.join() !== String(this.units))) {
      throw new ShapeError(`${this.className} ${this.name}: takes sequences, or ${names} with each initial state [${this.units}] per sample; received ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}`);
    }
  }

  /** The states the cell carries: h, and an LSTM's c. */
  protected get stateCount(): number {
    return this.cell === RecurrentCell.Lstm ? 2 : 1;
  }

  /** The shapes of the outputs apply gives: the output, then with returnState each last state. */
  outputShapes(inputShape: readonly number[] = this.inputShape): number[][] {
    const output = this.returnSequences ? [inputShape[0], this.units] : [this.units];
    return [output, ...(this.returnState ? Array.from({ length: this.stateCount }, () => [this.units]) : [])];
  }

  /**
   * Applies the layer to sequences, or to [sequences, h0] (LSTM: [sequences, h0, c0]) to start from
   * those states instead of zeros (Keras' initial_state; a decoder started from an encoder's last
   * states). With returnState: [output, h] (LSTM: [output, h, c]), as Keras' and TF.js' apply give them.
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const out = super.apply(inputs);
    return this.returnState ? withParts(out, this.outputShapes(Array.isArray(inputs) ? inputs[0].sizes : (inputs as SymbolicTensor).sizes)) : out;
  }

  /** Rows of step s's output in y (or its gradient in dy): every step's with returnSequences, else the last step's alone; NONE otherwise. */
  protected outputRows(base: number, s: number): Rows {
    const total = shapeSize(this.outputShape);
    if (this.returnSequences) return { ptr: base + s * this.units * 4, stride: total };
    return s === this.inputShape[0] - 1 ? { ptr: base, stride: total } : NONE;
  }

  /** With returnState: the last states (blocks [batch, steps, units] at the last step's position) copied after the output in y. */
  protected writeStates(step: Step, y: number, states: readonly number[]): void {
    if (!this.returnState) return;
    const width = shapeSize(this.outputShape) / this.units, first = shapeSize(this.outputShapes()[0]) / this.units;
    this.copyLastStates(step, states, (k) => ({ ptr: y, slots: width, slot: first + k }));
  }

  /** Each state block's ([batch, steps, units]) rows at the last step copied to dst(k). */
  private copyLastStates(step: Step, blocks: readonly number[], dst: (k: number) => StateSlot): void {
    const [steps] = this.inputShape, last = this.position(steps - 1);
    blocks.forEach((block, k) => copyStateRow(step.be, { ptr: block, slots: steps, slot: last }, dst(k), this.units, step.batch));
  }

  /** With returnState: the last states' gradients, from dy, into the rows [batch, units] backpropagation starts from (else zeros); whether there were any. */
  protected readStateGradients(step: Step, dy: number, targets: readonly number[]): boolean {
    const units = this.units;
    if (!this.returnState) {
      for (const t of targets) fillF32(step.be, t, step.batch * units, 0);
      return false;
    }
    const width = shapeSize(this.outputShape) / units, first = shapeSize(this.outputShapes()[0]) / units;
    targets.forEach((target, k) => copyStateRow(step.be, { ptr: dy, slots: width, slot: first + k }, { ptr: target, slots: 1, slot: 0 }, units, step.batch));
    return true;
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const width = this.gates * this.units, k = this.kernelBias;
    const specs: WeightSpec[] = [
      ['kernel', [inputShape[1], width], this.initializers.kernel, { regularizer: k.kernelRegularizer, constraint: k.kernelConstraint }],
      ['recurrent_kernel', [this.units, width], this.initializers.recurrent, { regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint }],
    ];
    if (this.useBias) specs.push(['bias', [width], this.initializers.bias, { regularizer: k.biasRegularizer, constraint: k.biasConstraint }]);
    return specs;
  }

  /** A new layer of the same class and options, named `name`, running its steps forwards or backwards (Bidirectional's two layers). */
  copy(name: string, goBackwards: boolean): Recurrent {
    const { inputShape: _a, batchInputShape: _b, ...args } = this.args;
    return new (this.constructor as new (a: RecurrentArgs) => Recurrent)({ ...args, name, goBackwards });
  }

  /** Buffers of one pass (floats): pre-activations, states, and in training the previous states and the gradients' blocks. */
  private plan(batch: number, training: boolean): Record<'z' | 'h' | 'c' | 'hPrev' | 'dz' | 'dh' | 'dc' | 'carryH' | 'carryC' | SharedBlock | 'total', number> {
    const [steps] = this.inputShape, width = this.gates * this.units, block = batch * steps * this.units * 4;
    const lstm = this.cell === RecurrentCell.Lstm, train = training ? 1 : 0;
    return scratchLayout({
      ...this.sharedBlocks(batch, training),
      z: batch * steps * width * 4, h: block, c: lstm ? block : 0, hPrev: train * block, dz: train * batch * steps * width * 4,
      dh: train * batch * this.units * 4, dc: lstm ? train * batch * this.units * 4 : 0,
      carryH: train * batch * this.units * 4, carryC: lstm ? train * batch * this.units * 4 : 0,
    });
  }

  override scratchBytes(batch: number, training: boolean): number {
    return this.plan(batch, training).total;
  }

  /** The gates' activation code for the kernels (linear, unused, without gates). */
  protected get recurrentCode(): number {
    return ACTIVATIONS[this.recurrentActivation ?? 'linear'];
  }

  /**
   * The scratch blocks every cell has beside its own (bytes): in training with dropout the dropped
   * inputs and their mask, one per sequence ([batch, features]), and the recurrent state's mask
   * ([batch, units]); a stateful layer's copies of the states it starts the batch from.
   */
  protected sharedBlocks(batch: number, training: boolean): Record<SharedBlock, number> {
    const [steps, features] = this.inputShape;
    const input = training && this.dropout > 0 ? 1 : 0, state = training && this.recurrentDropout > 0 ? 1 : 0;
    const carried = this.stateful ? batch * this.units * 4 : 0;
    return { xDropped: input * batch * steps * features * 4, xMask: input * batch * features * 4, hMask: state * batch * this.units * 4, h0: carried, c0: this.stateCount > 1 ? carried : 0 };
  }

  /**
   * Training with dropout, as Keras' recurrent layers (variational dropout, Gal & Ghahramani 2016):
   * one mask per sequence, the same at every step, on the inputs of the input projection (dropout)
   * and on the previous state going into the recurrent product (recurrentDropout); the state
   * itself is not dropped. Draws the masks and returns the input the projection reads. Inference
   * drops nothing.
   */
  protected dropInputs(step: Step, x: number, scratch: number, p: Record<SharedBlock, number>): number {
    if (!step.training) return x;
    const [steps, features] = this.inputShape;
    if (this.recurrentDropout > 0) dropoutMask(step.be, step.rng!, scratch + p.hMask, step.batch * this.units, this.recurrentDropout);
    if (this.dropout <= 0) return x;
    dropoutMask(step.be, step.rng!, scratch + p.xMask, step.batch * features, this.dropout);
    dropSequence(step.be, x, scratch + p.xMask, scratch + p.xDropped, step.batch, steps, features);
    return scratch + p.xDropped;
  }

  /**
   * In training, an initial state h0 ([batch, units]; 0: none) recorded as the first step's
   * previous state ([batch, steps, units] records at hPrev, for dR), dropped with recurrentDropout.
   */
  protected recordInitialState(step: Step, h0: number, hPrev: number, hMask: Rows): void {
    if (!step.training || !h0) return;
    const [steps] = this.inputShape, units = this.units, first = this.position(0);
    if (this.dropsState(step)) multiplyRows(step.be, step.batch, units, { ptr: h0, stride: units }, hMask, { ptr: hPrev + first * units * 4, stride: steps * units });
    else copyStateRow(step.be, { ptr: h0, slots: 1, slot: 0 }, { ptr: hPrev, slots: steps, slot: first }, units, step.batch);
  }

  /** Whether a pass drops the recurrent state (training with recurrentDropout). */
  protected dropsState(step: Step): boolean {
    return step.training && this.recurrentDropout > 0;
  }

  /** dx through the input dropout (in place): dropped inputs get no gradient. */
  protected dropInputGradient(step: Step, dx: number, scratch: number, p: Record<SharedBlock, number>): void {
    if (dx && this.dropout > 0) dropSequence(step.be, dx, scratch + p.xMask, dx, step.batch, this.inputShape[0], this.inputShape[1]);
  }

  /** Reads its input's Keras mask: a masked step leaves the state as it was. */
  protected override get readsMasks(): boolean {
    return true;
  }

  /** Every step's output keeps the input's mask; the last state alone has none. */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return this.returnSequences ? inputs[0].mask : undefined;
  }

  /**
   * Keras' masked step (its backend rnn: where(mask, new, previous)): where the input's mask is 0
   * at position t, dst (rows of `width`) = a + b instead — in forward the previous state (zero
   * before the first step), so the state and the output carry over a padding step; in backward
   * the gradient passed across it. Nothing without a mask.
   */
  protected carry(step: Step, t: number, width: number, dst: Rows, a: Rows, b: Rows = NONE): void {
    const mask = step.masks?.[0] ?? 0;
    if (mask && dst.ptr) maskedRows(step.be, mask, this.inputShape[0], t, step.batch, width, dst, a, b);
  }

  /** The input position of step s (goBackwards: from the last). */
  protected position(s: number): number {
    return this.goBackwards ? this.inputShape[0] - 1 - s : s;
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    if (!this.stateful) return this.forwardMany(step, [x], y, scratch);
    // Stateful: start from the carried states (copied: backward reads them), then carry the last ones.
    const starts = this.statefulStarts(step, scratch), units = this.units, carried = this.carried!.states;
    starts.forEach((start, k) => copyStateRow(step.be, { ptr: carried[k], slots: 1, slot: 0 }, { ptr: start, slots: 1, slot: 0 }, units, step.batch));
    this.forwardMany(step, [x, ...starts], y, scratch);
    this.copyLastStates(step, this.stateBlocks(step, scratch), (k) => ({ ptr: carried[k], slots: 1, slot: 0 }));
  }

  /** A stateful pass's copies of the states it starts from (the carried ones are made for this batch size at the first pass). */
  private statefulStarts(step: Step, scratch: number): number[] {
    if (!this.carried) this.carried = { batch: step.batch, states: Array.from({ length: this.stateCount }, () => this.hold(step.batch * this.units * 4)) };
    if (this.carried.batch !== step.batch) {
      throw new ValueError(`${this.className} ${this.name}: a stateful layer carries its states for batches of ${this.carried.batch} samples; received a batch of ${step.batch} (use one batch size that divides the data, as Keras requires; resetStates() does not change it)`);
    }
    return this.startBlocks(step, scratch);
  }

  /** A stateful pass's blocks for the states it starts from. */
  private startBlocks(step: Step, scratch: number): number[] {
    const o = this.offsets(step.batch, step.training);
    return this.stateCount > 1 ? [scratch + o.h0, scratch + o.c0] : [scratch + o.h0];
  }

  /** The blocks of a pass's states at every step ([batch, steps, units]): h (and an LSTM's c). */
  private stateBlocks(step: Step, scratch: number): number[] {
    const o = this.offsets(step.batch, step.training);
    return this.stateCount > 1 ? [scratch + o.h, scratch + o.c] : [scratch + o.h];
  }

  /** Byte offsets of a pass's scratch blocks (GRU has its own). */
  protected offsets(batch: number, training: boolean): Record<string, number> {
    return this.plan(batch, training);
  }

  /** Sets a stateful layer's carried states to zero (Keras' reset_states); nothing for another layer. */
  resetStates(): void {
    if (!this.carried) return;
    for (const ptr of this.carried.states) zeroBytes(this.state().be, ptr, this.carried.batch * this.units * 4);
  }

  /** forward from initial states: xs = [sequences, h0 (, c0)], each state [batch, units]; without them the states start at zero. */
  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void {
    const [x, h0 = 0, c0 = 0] = xs;
    const be = step.be, batch = step.batch, [steps, features] = this.inputShape, units = this.units, width = this.gates * units;
    const p = this.plan(batch, step.training), lstm = this.cell === RecurrentCell.Lstm;
    const z = scratch + p.z, h = scratch + p.h, c = scratch + p.c, hPrev = scratch + p.hPrev;
    const [kernel, recurrent, bias] = this.weights;
    const input = this.dropInputs(step, x, scratch, p), dropState = this.dropsState(step), hMask = { ptr: scratch + p.hMask, stride: units };
    gemm(be, false, false, batch * steps, width, features, input, features, kernel.ptr, width, 0, z, width, step.work);
    if (bias) biasActivation(be, z, bias.ptr, batch * steps, width, Activation.Linear);
    const row = (base: number, t: number, size: number): Rows => ({ ptr: base + t * size * 4, stride: steps * size });
    const none: Rows = { ptr: 0, stride: 0 };
    const given = (ptr: number): Rows => (ptr ? { ptr, stride: units } : none);
    // The first step's previous state: zero (the record's fill), or the initial state given (recorded for dR).
    if (step.training) fillF32(be, hPrev, batch * steps * units, 0);
    this.recordInitialState(step, h0, hPrev, hMask);
    for (let s = 0; s < steps; s++) {
      const t = this.position(s);
      const previous = s > 0 ? row(h, this.position(s - 1), units) : given(h0);
      const previousC = s > 0 ? row(c, this.position(s - 1), units) : given(c0);
      // The recurrent product of the previous state (its record, dropped, with recurrentDropout).
      if (previous.ptr) gemm(be, false, false, batch, width, units, dropState ? hPrev + t * units * 4 : previous.ptr, dropState ? steps * units : previous.stride, recurrent.ptr, width, 1, z + t * width * 4, steps * width, step.work);
      const out = this.outputRows(y, s);
      const next = step.training && s < steps - 1 ? row(hPrev, this.position(s + 1), units) : none;
      rnnForwardStep(be, this.cell, batch, units, this.gates, ACTIVATIONS[this.activation], this.recurrentCode, row(z, t, width),
        lstm ? previousC : none, lstm ? row(c, t, units) : none, [row(h, t, units), next, out]);
      for (const dst of [row(h, t, units), next, out]) this.carry(step, t, units, dst, previous);
      if (lstm) this.carry(step, t, units, row(c, t, units), previousC);
      if (dropState && next.ptr) multiplyRows(be, batch, units, next, hMask, next);
    }
    this.writeStates(step, y, lstm ? [h, c] : [h]);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number): void {
    // Stateful: from the states the batch started from; no gradient flows into the batch before (truncated backpropagation, as Keras).
    const starts = this.stateful ? this.startBlocks(step, scratch) : [];
    this.backwardMany(step, [x, ...starts], y, dy, [dx], scratch);
  }

  /** backward from initial states: dxs = [dx, dh0 (, dc0)] (0: not needed). */
  backwardMany(step: Step, xs: readonly number[], _y: number, dy: number, dxs: readonly number[], scratch: number): void {
    const [x, , c0 = 0] = xs, [dx, dh0 = 0, dc0 = 0] = dxs, states = xs.length > 1;
    const be = step.be, batch = step.batch, [steps, features] = this.inputShape, units = this.units, width = this.gates * units;
    const p = this.plan(batch, true), lstm = this.cell === RecurrentCell.Lstm;
    const z = scratch + p.z, c = scratch + p.c, hPrev = scratch + p.hPrev, dz = scratch + p.dz, dh = scratch + p.dh, dc = scratch + p.dc;
    const carryH = { ptr: scratch + p.carryH, stride: units }, carryC = { ptr: scratch + p.carryC, stride: units };
    const input = this.dropout > 0 ? scratch + p.xDropped : x, dropState = this.recurrentDropout > 0, hMask = { ptr: scratch + p.hMask, stride: units };
    const [kernel, recurrent, bias] = this.weights;
    const row = (base: number, t: number, size: number): Rows => ({ ptr: base + t * size * 4, stride: steps * size });
    const none: Rows = { ptr: 0, stride: 0 };
    // The last states' own gradients (returnState) start backpropagation through time.
    const fromStates = this.readStateGradients(step, dy, lstm ? [dh, dc] : [dh]);
    for (let s = steps - 1; s >= 0; s--) {
      const t = this.position(s), hasNext = s < steps - 1 || fromStates;
      const dyRows = this.outputRows(dy, s);
      // Across a masked step the gradient goes to the previous state whole (kept here first).
      this.carry(step, t, units, carryH, dyRows, hasNext ? { ptr: dh, stride: units } : none);
      if (lstm) this.carry(step, t, units, carryC, { ptr: dc, stride: units });
      rnnBackwardStep(be, this.cell, batch, units, this.gates, ACTIVATIONS[this.activation], this.recurrentCode, row(z, t, width), lstm ? row(c, t, units) : none,
        lstm ? (s > 0 ? row(c, this.position(s - 1), units) : c0 ? { ptr: c0, stride: units } : none) : none, dyRows, hasNext ? dh : 0, lstm ? dc : 0, row(dz, t, width));
      // dL/dh_prev = dz·Rᵀ, for the step before (or the initial state).
      if (s > 0 || states) gemm(be, false, true, batch, units, width, dz + t * width * 4, steps * width, recurrent.ptr, width, 0, dh, units, step.work);
      if ((s > 0 || states) && dropState) multiplyRows(be, batch, units, { ptr: dh, stride: units }, hMask, { ptr: dh, stride: units });
      this.carryBack(step, t, s > 0 || states, row(dz, t, width), NONE, { ptr: dh, stride: units }, carryH);
      if (lstm) this.carry(step, t, units, { ptr: dc, stride: units }, carryC);
    }
    // The initial states' gradients: what reached the state before the first step.
    if (dh0) copyBytes(be, dh, dh0, batch * units * 4);
    if (dc0) copyBytes(be, dc, dc0, batch * units * 4);
    if (this.trainable) {
      gemm(be, true, false, features, width, batch * steps, input, features, dz, width, 0, kernel.grad, width, step.work);
      gemm(be, true, false, units, width, batch * steps, hPrev, units, dz, width, 0, recurrent.grad, width, step.work);
      if (bias) sumRows(be, dz, batch * steps, width, bias.grad);
    }
    if (dx) gemm(be, false, true, batch * steps, features, width, dz, width, kernel.ptr, width, 0, dx, features, step.work);
    this.dropInputGradient(step, dx, scratch, p);
  }

  /** After a step back, for the masked rows: no gradient to the step's pre-activations (dz, and GRU's dq), and dL/dh_prev the gradient kept before it. */
  protected carryBack(step: Step, t: number, hasPrevious: boolean, dz: Rows, dq: Rows, dh: Rows, kept: Rows): void {
    this.carry(step, t, this.gates * this.units, dz, NONE);
    this.carry(step, t, this.gates * this.units, dq, NONE);
    if (hasPrevious) this.carry(step, t, this.units, dh, kept);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units, activation: activationConfig(this.activation),
      ...(this.recurrentActivation ? { recurrentActivation: activationConfig(this.recurrentActivation) } : {}), useBias: this.useBias,
      kernelInitializer: initializerToKeras(this.initializers.kernel), recurrentInitializer: initializerToKeras(this.initializers.recurrent),
      biasInitializer: initializerToKeras(this.initializers.bias), ...kernelBiasConfig(this.kernelBias),
      recurrentRegularizer: regularizerToKeras(this.recurrentRegularizer), recurrentConstraint: constraintToKeras(this.recurrentConstraint),
      activityRegularizer: regularizerToKeras(this.activityRegularizer),
      dropout: this.dropout, recurrentDropout: this.recurrentDropout, returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: this.stateful, unroll: false,
    };
  }
}

/** The scratch blocks every recurrent cell has beside its own (Recurrent.sharedBlocks): dropout in training, a stateful layer's starting states. */
export type SharedBlock = 'xDropped' | 'xMask' | 'hMask' | 'h0' | 'c0';

/** An activation option of a recurrent layer: any elementwise one (softmax has no meaning per unit). */
export function recurrentActivation(value: unknown, fallback: ActivationName, where: string): ActivationName {
  const name = activationName(value === undefined ? fallback : value, where);
  if (name === 'softmax') throw new ValueError(`${where} must be an elementwise activation (tanh, sigmoid, hardSigmoid, relu, …); received 'softmax'`);
  return name;
}
