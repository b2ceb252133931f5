// Keras' Bidirectional wrapper: a recurrent layer run forwards and a copy of it run backwards over
// the same inputs, their outputs merged (concatenated by default, or summed, multiplied or
// averaged); with returnSequences the backward layer's outputs are put back in step order
// first, as Keras does. The wrapper holds both layers' weights under its own name
// (bidirectional/forward_lstm/kernel, …, as Keras and TF.js save them); the two layers compute
// with them in turn, each with its own part of the wrapper's scratch.
import { ValueError, describe } from '../errors.js';
import { addInto, concatBackward, concatForward } from '../ops/merge.js';
import { mergeDirections, reverseSteps, splitDirections, type MergeMode } from '../ops/recurrent.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import type { Backend } from '../runtime/backend.js';
import { LAYER_ARGS, Layer, scratchLayout, type LayerArgs, type Step, type Weight, type WeightSpec } from './layer.js';
import type { SymbolicTensor } from './node.js';
import { packedShape, withParts } from './outputs.js';
import { Recurrent } from './recurrent.js';

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (simpleRNN, lstm or gru). */
  layer: Recurrent;
  /** How the two outputs are joined: 'concat' (default), 'sum', 'mul' or 'ave'. */
  mergeMode?: MergeMode | null;
  /** The layer run backwards, if not a mirror of `layer` (its goBackwards must be the opposite). */
  backwardLayer?: Recurrent;
}

const MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/**
 * A recurrent layer read in both directions: [steps, features] → [2·units] (concat) or [units]
 * (sum, mul, ave); per step with returnSequences.
 * @example layers.bidirectional({ layer: layers.lstm({ units: 64, returnSequences: true }), inputShape: [28, 28] })
 */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  readonly forwardLayer: Recurrent;
  readonly backwardLayer: Recurrent;
  /** How the directions' outputs join; null: not at all, apply gives [forward, backward]. */
  readonly mergeMode: MergeMode | null;

  constructor(args: BidirectionalArgs) {
    const o = checkOptions<BidirectionalArgs>(args, [...LAYER_ARGS, 'layer', 'mergeMode', 'backwardLayer'], 'Bidirectional');
    super(o, 'Bidirectional');
    if (!(o.layer instanceof Recurrent)) throw new ValueError(`Bidirectional: layer must be a recurrent layer (simpleRNN, lstm or gru); received ${describe(o.layer)}`);
    const mode = o.mergeMode === undefined ? 'concat' : o.mergeMode; // null (Keras' None): the two outputs apart
    if (mode !== null && !MODES.includes(mode)) {
      throw new ValueError(`Bidirectional: mergeMode must be one of ${MODES.map((m) => `'${m}'`).join(', ')} or null (the two directions' outputs apart); received ${describe(o.mergeMode)}`);
    }
    this.mergeMode = mode;
    const inner = o.layer;
    if (inner.isBuilt) throw new ValueError('Bidirectional: layer must be a new layer, not one already built or used');
    if (o.backwardLayer !== undefined && o.backwardLayer.returnState !== inner.returnState) throw new ValueError('Bidirectional: layer and backwardLayer must both have returnState, or neither');
    if (inner.stateful || o.backwardLayer?.stateful) throw new ValueError('Bidirectional: a stateful layer is not supported yet');
    // The 'forward' layer runs as the given one does (even if that is backwards), the other the other way.
    this.forwardLayer = inner.copy(`forward_${inner.name}`, inner.goBackwards);
    if (o.backwardLayer !== undefined) {
      if (!(o.backwardLayer instanceof Recurrent)) throw new ValueError(`Bidirectional: backwardLayer must be a recurrent layer; received ${describe(o.backwardLayer)}`);
      if (o.backwardLayer.goBackwards === this.forwardLayer.goBackwards || o.backwardLayer.returnSequences !== inner.returnSequences) {
        throw new ValueError('Bidirectional: backwardLayer must run the other way from layer (goBackwards) and match its returnSequences');
      }
      this.backwardLayer = o.backwardLayer;
    } else this.backwardLayer = inner.copy(`backward_${inner.name}`, !inner.goBackwards);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const out = this.forwardLayer.outputShapes(inputShape)[0], back = this.backwardLayer.outputShapes(inputShape)[0];
    if (out.join() !== back.join() && this.mergeMode !== 'concat') {
      throw new ValueError(`Bidirectional ${this.name}: its layers give outputs [${out.join(', ')}] and [${back.join(', ')}], which only 'concat' can join`);
    }
    // Several outputs (mergeMode null, returnState) side by side (apply takes them apart).
    return packedShape(this.outputShapesFor(inputShape));
  }

  /** Whether the wrapper also gives both directions' last states. */
  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  /**
   * The outputs apply gives, as Keras: the merged output (mergeMode null: the forward and the
   * backward outputs), then with returnState the forward layer's last states and the backward's.
   */
  private outputShapesFor(inputShape: readonly number[]): number[][] {
    const [out, ...forwardStates] = this.forwardLayer.outputShapes(inputShape), [back, ...backwardStates] = this.backwardLayer.outputShapes(inputShape);
    const merged = this.mergeMode === null ? [out, back] : this.mergeMode === 'concat' ? [[...out.slice(0, -1), out[out.length - 1] + back[back.length - 1]]] : [out];
    return [...merged, ...forwardStates, ...backwardStates];
  }

  /** Floats per sample of the merged output (mergeMode null: both outputs). */
  private mergedWidth(steps: number, units: number): number {
    return this.mergeMode === null || this.mergeMode === 'concat' ? 2 * steps * units : steps * units;
  }

  /** With mergeMode null or returnState, the list of outputs (the sequences' keep the input's mask), as Keras gives them. */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const out = super.apply(inputs);
    if (this.mergeMode !== null && !this.returnState) return out;
    const sizes = out.node.inputs[0].sizes;
    const all = withParts(out, this.outputShapesFor(sizes));
    if (this.mergeMode === null) all[1].mask = all[0].mask;
    return all;
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const named = (layer: Recurrent): WeightSpec[] => layer.weightSpecsFor(inputShape).map(([name, shape, init, extras]) => [`${layer.name}/${name}`, shape, init, extras]);
    return [...named(this.forwardLayer), ...named(this.backwardLayer)];
  }

  override build(be: Backend, inputShape: readonly number[]): void {
    const fresh = !this.isBuilt;
    super.build(be, inputShape);
    if (!fresh) return;
    // The two layers built for the shapes, then computing with the wrapper's weights.
    this.forwardLayer.build(be, inputShape);
    this.backwardLayer.build(be, inputShape);
    this.lend();
  }

  /** Another's weights for the wrapper (a functional model running other sizes) are its layers' too. */
  override useWeights(weights: readonly Weight[], whose?: string): void {
    super.useWeights(weights, whose);
    this.lend();
  }

  /** The wrapper's weights, each layer its part. */
  private lend(): void {
    const split = this.forwardLayer.weights.length;
    this.forwardLayer.useWeights(this.weights.slice(0, split), `${this.name}'s weights`);
    this.backwardLayer.useWeights(this.weights.slice(split), `${this.name}'s weights`);
  }

  /** Both layers read the input's Keras mask (each in its own direction). */
  protected override get readsMasks(): boolean {
    return true;
  }

  /** With returnSequences the output keeps the input's mask. */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return this.forwardLayer.returnSequences ? inputs[0].mask : undefined;
  }

  /** [rows, steps, units] of each layer's output: steps 1 without returnSequences. */
  private geometry(batch: number): [number, number, number] {
    const out = this.forwardLayer.outputShapes()[0];
    return [batch, out.length === 2 ? out[0] : 1, out[out.length - 1]];
  }

  /**
   * Both layers' scratch, their outputs (the backward one's also in step order), and in training
   * the outputs' gradients and the backward layer's dL/dx; with returnState also each layer's
   * outputs and last states side by side as it writes them (and their gradients), the states
   * apart, and the merged output before the states join it.
   */
  private parts(batch: number, training: boolean): Record<'f' | 'b' | 'yf' | 'yb' | 'ybr' | 'dyf' | 'dybr' | 'dyb' | 'dxb' | 'pf' | 'pb' | 'sf' | 'sb' | 'm' | 'dpf' | 'dpb' | 'dsf' | 'dsb' | 'dm' | 'total', number> {
    const [, steps, units] = this.geometry(batch);
    const out = batch * steps * units * 4, train = training ? 1 : 0, sequences = steps > 1 ? 1 : 0;
    const states = this.returnState ? batch * this.stateWidth * 4 : 0, packed = this.returnState ? out + states : 0;
    const merged = this.returnState ? batch * this.mergedWidth(steps, units) * 4 : 0;
    const p = scratchLayout({
      f: this.forwardLayer.scratchBytes(batch, training), b: this.backwardLayer.scratchBytes(batch, training), yf: out, yb: out, ybr: sequences * out,
      dyf: train * out, dybr: train * out, dyb: train * sequences * out, dxb: train * batch * shapeSize(this.inputShape) * 4,
      pf: packed, pb: packed, sf: states, sb: states, m: merged, dpf: train * packed, dpb: train * packed, dsf: train * states, dsb: train * states, dm: train * merged,
    });
    // Without sequences nothing is reversed: the step-order blocks are the others.
    return sequences ? p : { ...p, ybr: p.yb, dyb: p.dybr };
  }

  /** Floats of one layer's last states per sample. */
  private get stateWidth(): number {
    return this.forwardLayer.outputShapes().slice(1).reduce((sum, sh) => sum + shapeSize(sh), 0);
  }

  override scratchBytes(batch: number, training: boolean): number {
    return this.parts(batch, training).total;
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    const p = this.parts(step.batch, step.training), [batch, steps, units] = this.geometry(step.batch), S = steps * units, K = this.stateWidth;
    const at = (k: keyof typeof p) => scratch + p[k];
    if (!this.returnState) {
      this.forwardLayer.forward(step, x, at('yf'), at('f'));
      this.backwardLayer.forward(step, x, at('yb'), at('b'));
    } else {
      // Each layer writes its output and last states side by side: taken apart here.
      this.forwardLayer.forward(step, x, at('pf'), at('f'));
      this.backwardLayer.forward(step, x, at('pb'), at('b'));
      concatBackward(step.be, at('pf'), [S, K], batch, [at('yf'), at('sf')]);
      concatBackward(step.be, at('pb'), [S, K], batch, [at('yb'), at('sb')]);
    }
    // With sequences, the backward layer's outputs back in step order (Keras reverses them before merging).
    if (steps > 1) reverseSteps(step.be, at('yb'), at('ybr'), batch, steps, units);
    const merged = this.returnState ? at('m') : y;
    if (this.mergeMode === null) concatForward(step.be, [at('yf'), at('ybr')], [S, S], batch, merged);
    else mergeDirections(step.be, at('yf'), at('ybr'), batch * steps, units, this.mergeMode, merged);
    if (this.returnState) concatForward(step.be, [merged, at('sf'), at('sb')], [this.mergedWidth(steps, units), K, K], batch, y);
  }

  backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number): void {
    const p = this.parts(step.batch, true), [batch, steps, units] = this.geometry(step.batch), S = steps * units, K = this.stateWidth;
    const at = (k: keyof typeof p) => scratch + p[k];
    let dMerged = dy, merged = y;
    if (this.returnState) {
      concatBackward(step.be, dy, [this.mergedWidth(steps, units), K, K], batch, [at('dm'), at('dsf'), at('dsb')]);
      dMerged = at('dm');
      merged = at('m');
    }
    if (this.mergeMode === null) concatBackward(step.be, dMerged, [S, S], batch, [at('dyf'), at('dybr')]);
    else splitDirections(step.be, dMerged, at('yf'), at('ybr'), merged, batch * steps, units, this.mergeMode, at('dyf'), at('dybr'));
    if (steps > 1) reverseSteps(step.be, at('dybr'), at('dyb'), batch, steps, units);
    // A frozen wrapper freezes both layers.
    this.forwardLayer.trainable = this.backwardLayer.trainable = this.trainable;
    let [dyf, dyb, yf, yb] = [at('dyf'), at('dyb'), at('yf'), at('yb')];
    if (this.returnState) {
      // Each layer's output and states' gradients side by side, as it wrote them.
      concatForward(step.be, [dyf, at('dsf')], [S, K], batch, at('dpf'));
      concatForward(step.be, [dyb, at('dsb')], [S, K], batch, at('dpb'));
      [dyf, dyb, yf, yb] = [at('dpf'), at('dpb'), at('pf'), at('pb')];
    }
    this.forwardLayer.backward(step, x, yf, dyf, dx, at('f'));
    this.backwardLayer.backward(step, x, yb, dyb, dx ? at('dxb') : 0, at('b'));
    if (dx) addInto(step.be, dx, at('dxb'), step.batch * shapeSize(this.inputShape));
  }

  override getConfig(): Record<string, unknown> {
    const { batchInputShape: _shape, ...inner } = this.forwardLayer.getConfig();
    return { ...super.getConfig(), layer: { class_name: this.forwardLayer.className, config: { ...inner, name: this.forwardLayer.name.replace(/^forward_/, '') } }, mergeMode: this.mergeMode };
  }
}
