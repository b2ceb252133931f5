import { ShapeError, ValueError, describe } from '../errors.js';
import { checkBoolean } from '../options.js';
import type { Generator } from '../ops/generator.js';
import { readF32, writeF32, zeroBytes } from '../ops/memory.js';
import { backend, type Backend } from '../runtime/backend.js';
import { Node, SymbolicTensor } from './node.js';
import { heldBytes, releaseNow, releaseWhenCollected } from '../runtime/finalizer.js';
import { Tensor, shapeSize, toTensor, type TensorLike } from '../tensor.js';
import type { ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { initialize, type InitializerSpec } from './initializers.js';

/** What every layer's options may hold besides its own (Keras' base Layer arguments). */
export interface LayerArgs {
  /** A unique name within the model; default the class name in snake case with a counter. */
  name?: string;
  /** Whether fit updates this layer's weights (default true). */
  trainable?: boolean;
  /** The shape of one sample (batch axis excluded): only for the first layer of a model. */
  inputShape?: number[];
  /** Keras' form of inputShape with the batch axis first (null or a size). */
  batchInputShape?: (number | null)[];
  /** Accepted for TF.js compatibility; wasmlearn computes in float32. */
  dtype?: 'float32';
  /** A penalty on the layer's output, added to the loss of every batch (Keras 3: not divided by the batch size). */
  activityRegularizer?: RegularizerIdentifier | null;
}
export const LAYER_ARGS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'dtype', 'activityRegularizer'] as const;

/** A weight of a layer: its values live in WebAssembly memory for as long as the model does. */
export interface Weight {
  /** `layerName/kernel`, as in Keras and the TF.js layers format. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly ptr: number;
  /** The gradient buffer of the training step running now (0 outside fit). */
  grad: number;
  /** A penalty added to the loss (kernelRegularizer, biasRegularizer). */
  readonly regularizer?: Regularizer;
  /** A constraint applied after every update (kernelConstraint, biasConstraint). */
  readonly constraint?: ConstraintSpec;
}

/** A weight a layer creates: name, shape, initializer, and optionally its penalty and constraint. */
export type WeightSpec = [name: string, shape: number[], init: InitializerSpec, extras?: { regularizer?: Regularizer; constraint?: ConstraintSpec }];

/** Buffers and state one forward or backward pass runs with. */
export interface Step {
  readonly be: Backend;
  readonly batch: number;
  readonly training: boolean;
  /** A GEMM workspace for every thread. */
  readonly work: number;
  /** This pass's random generator (dropout masks). */
  readonly rng: Generator | undefined;
  /** For a layer that reads Keras masks: per input, its mask ([batch, steps] of 1 kept / 0 padding), or 0 for none. */
  readonly masks?: readonly number[];
}

/**
 * Byte offsets of a pass's scratch blocks laid out one after another in the order given (sizes
 * in bytes; a block of size 0 takes no room, and its offset is not to be used), and the total.
 */
export function scratchLayout<K extends string>(sizes: Record<K, number>): Record<K | 'total', number> {
  const out = {} as Record<K | 'total', number>;
  let at = 0;
  for (const key of Object.keys(sizes) as K[]) {
    out[key] = at;
    at += sizes[key];
  }
  out.total = at;
  return out;
}

/** The masks of several inputs as one (layers/masks.ts registers how: their product). */
let combineMasks: ((masks: SymbolicTensor[]) => SymbolicTensor) | undefined;

/** Registers how several masks become one (a hook: that code is a layer, and layers import this file). */
export function setMaskCombiner(combine: (masks: SymbolicTensor[]) => SymbolicTensor): void {
  combineMasks = combine;
}

/** One mask for several: none, the one given, or the product of the distinct ones. */
export function combinedMask(masks: readonly (SymbolicTensor | undefined)[]): SymbolicTensor | undefined {
  const distinct = [...new Set(masks.filter((m): m is SymbolicTensor => m !== undefined))];
  if (distinct.length <= 1) return distinct[0];
  return combineMasks!(distinct);
}

const counters = new Map<string, number>();
/** Keras' default names: dense, dense_1, dense_2, … */
function defaultName(className: string): string {
  const base = className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/2_D/, '2d').toLowerCase();
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

let initializers = true;
/** Runs make() with weights left uninitialised (the loader fills them from a file). */
export function withoutInitializers<T>(make: () => T): T {
  const before = initializers;
  initializers = false;
  try {
    return make();
  } finally {
    initializers = before; // nested models load inside their model's call
  }
}


/**
 * The layer contract (Keras'): the constructor stores and checks options; build(inputShape)
 * creates the weights; forward computes; backward, next to it, turns dL/dy into the weight
 * gradients and dL/dx; computeOutputShape infers shapes; getConfig describes the layer for saving.
 * Shapes here are per sample: the batch axis is never part of them.
 */
export abstract class Layer {
  /** The Keras class name, used in saved models. */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  /** The penalty on the layer's output, if any. */
  readonly activityRegularizer: Regularizer | undefined;
  /** The per-sample input shape given in the options (first layer), if any. */
  readonly declaredInputShape: readonly number[] | undefined;
  private built: { be: Backend; inputShape: readonly number[]; outputShape: readonly number[]; weights: Weight[]; held: { be: Backend; ptrs: number[] } } | undefined;

  protected constructor(args: LayerArgs, className: string) {
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '' || args.name.includes('/'))) {
      throw new ValueError(`${className}: name must be a non-empty string without '/'; received ${describe(args.name)}`);
    }
    this.name = args.name ?? defaultName(className);
    this.trainable = checkBoolean(args.trainable, 'trainable', className, true);
    this.activityRegularizer = regularizerOption(args.activityRegularizer, `${className}: activityRegularizer`);
    if (args.dtype !== undefined && args.dtype !== 'float32') {
      throw new ValueError(`${className}: dtype must be 'float32' (wasmlearn computes in float32); received ${describe(args.dtype)}`);
    }
    let shape: unknown = args.inputShape;
    if (args.batchInputShape !== undefined) {
      if (!Array.isArray(args.batchInputShape) || args.batchInputShape.length < 2) {
        throw new ShapeError(`${className}: batchInputShape must be [batch or null, ...sizes]; received ${describe(args.batchInputShape)}`);
      }
      shape = args.batchInputShape.slice(1);
    }
    if (shape !== undefined) {
      if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || (d as number) < 1)) {
        const shown = Array.isArray(shape) ? ` [${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]` : '';
        // Keras' null sizes (variable image size or sequence length) are an input's (InputLayer), which functional models follow.
        const why = Array.isArray(shape) && shape.some((d) => d === null) ? ' (a size left to the data, null, needs a functional model: input({ shape: [null, …] }) and model())' : '';
        throw new ShapeError(`${className}: inputShape must be a non-empty array of positive integers${why}; received ${describe(shape)}${shown}`);
      }
      this.declaredInputShape = Object.freeze([...(shape as number[])]);
    }
  }

  get isBuilt(): boolean {
    return this.built !== undefined;
  }

  /** The nodes of the functional graphs this layer was applied in (one per apply). */
  readonly inboundNodes: Node[] = [];

  /**
   * Applies the layer to symbolic tensors (from input() or another layer's apply), as in TF.js and
   * Keras' functional API: builds the layer for their shapes on first use and returns the output
   * tensor. Applying one layer twice shares its weights, at other sizes too when its weights do
   * not depend on them (a convolution over two image sizes); sizes left to the data (null) are
   * followed to the output.
   * @example const y = layers.dense({ units: 10 }).apply(input({ shape: [784] }));
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const list = Array.isArray(inputs) ? [...inputs] : [inputs];
    if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
      throw new ValueError(`${this.className} ${this.name}.apply: inputs must be symbolic tensors (from input() or another layer's apply); ` +
        `received ${describe(inputs)}. To compute on data, build a model and call predict`);
    }
    const several = list.find((t) => t.parts);
    if (several) {
      throw new ValueError(`${this.className} ${this.name}.apply: ${several.name} is the ${several.length} outputs of layer ${several.node.layer.name}; take them apart first (const [output, ...states] = ${several.node.layer.name}'s apply) and pass one`);
    }
    const sizes = list.map((t) => t.sizes);
    // Sizes left to the data are followed (or refused) before anything is built.
    const free = list.some((t) => t.free.length > 0) ? this.freeAxesFor(list) : [];
    if (!this.built) this.buildFor(backend(), sizes);
    let out: number[];
    if (this.builtFor(sizes)) out = [...this.outputShape];
    else {
      this.checkWeightsFor(sizes, `was built for inputs ${this.shapesShown()} and cannot take ${sizes.map((s) => `[${s.join(', ')}]`).join(', ')} (its weights depend on those sizes)`);
      out = this.outputShapeFor(sizes);
    }
    const node = new Node(this, list, out, free);
    if (this.readsMasks && list.some((t) => t.mask)) node.masks = list.map((t) => t.mask);
    node.output.mask = this.outputMask(list);
    return node.output;
  }

  /** Whether the layer is the library's own plumbing (a mask's computation), not one of the model's layers: never saved, listed or counted. */
  get internal(): boolean {
    return false;
  }

  /** Whether a gradient flows through the layer's output (not through a mask's computation). */
  get differentiable(): boolean {
    return true;
  }

  /** Whether the layer reads its inputs' Keras masks (recurrent layers, attention, average pooling over steps). */
  protected get readsMasks(): boolean {
    return false;
  }

  /** Whether the output keeps the inputs' mask (layers that keep the steps: dense, activations, dropout, normalizations, merges). */
  protected get keepsMasks(): boolean {
    return false;
  }

  /**
   * The mask of the layer's output for these inputs (Keras' compute_mask): the inputs' own, combined,
   * for a layer that keeps them; none otherwise. Mask makers (an embedding with maskZero, masking)
   * and the recurrent layers override it.
   */
  protected outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return this.keepsMasks ? combinedMask(inputs.map((t) => t.mask)) : undefined;
  }

  /**
   * The tensor this layer gave when first applied (TF.js' and Keras' layer.output): in a loaded or
   * built functional model, the layer's output in that model, so that
   * `model({ inputs: base.inputs, outputs: base.getLayer('conv_pw_13_relu').output })` cuts a
   * network short.
   */
  get output(): SymbolicTensor {
    return this.firstNode('output').output;
  }

  /** The tensor (or tensors) this layer took when first applied (layer.input). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.firstNode('input').inputs;
    return inputs.length === 1 ? inputs[0] : [...inputs];
  }

  private firstNode(what: string): Node {
    const node = this.inboundNodes[0];
    if (!node) throw new ValueError(`${this.className} ${this.name}.${what}: the layer has not been applied to a symbolic tensor (a Sequential model's layers are not); use a functional model, or apply it`);
    return node;
  }

  /** Builds (or checks) the layer for its inputs' shapes: one input, unless a subclass takes several. */
  protected buildFor(be: Backend, shapes: readonly (readonly number[])[]): void {
    if (shapes.length !== 1) throw new ValueError(`${this.className} ${this.name}: takes one input; received ${shapes.length}`);
    this.build(be, shapes[0]);
  }

  /** Whether the layer was built for inputs of these sizes. */
  builtFor(sizes: readonly (readonly number[])[]): boolean {
    return sizes.length === 1 && sizes[0].join() === this.inputShape.join();
  }

  /** The built input shapes, as messages show them. */
  protected shapesShown(): string {
    return `[${this.inputShape.join(', ')}]`;
  }

  /** The output shape for inputs of these sizes, from the options alone (ShapeError when they do not fit). */
  protected outputShapeFor(sizes: readonly (readonly number[])[]): number[] {
    if (sizes.length !== 1) throw new ValueError(`${this.className} ${this.name}: takes one input; received ${sizes.length}`);
    return this.computeOutputShape(sizes[0]);
  }

  /** The shapes of the weights inputs of these sizes need, as one comparable string. */
  private weightShapesFor(sizes: readonly (readonly number[])[]): string {
    return shapesKey((sizes.length === 1 ? this.weightSpecs(sizes[0]) : []).map(([, shape]) => shape));
  }

  /** ShapeError (saying `problem`) unless inputs of these sizes need weights of the shapes this layer's have. */
  private checkWeightsFor(sizes: readonly (readonly number[])[], problem: string): void {
    if (this.weightShapesFor(sizes) !== shapesKey(this.weights.map((w) => w.shape))) throw new ShapeError(`${this.className} ${this.name}: ${problem}`);
  }

  /**
   * The output axes whose size follows inputs' sizes left to the data: the output computed again
   * with those sizes doubled (plus one, so strides and pools change it too) differs there. A
   * layer whose weights would change, or that cannot take other sizes, is refused as Keras does.
   */
  private freeAxesFor(list: readonly SymbolicTensor[]): number[] {
    const sizes = list.map((t) => t.sizes);
    const other = list.map((t) => t.sizes.map((d, i) => (t.free.includes(i) ? 2 * d + 1 : d)));
    const shown = list.map((t) => `[${t.shape.map((d) => d ?? 'null').join(', ')}]`).join(', ');
    if (this.weightShapesFor(sizes) !== this.weightShapesFor(other)) {
      throw new ShapeError(`${this.className} ${this.name}: its weights depend on the sizes of its input ${shown}, and some are left to the data (null); give them, as Keras requires`);
    }
    let out: number[], changed: number[];
    try {
      out = this.outputShapeFor(sizes);
      changed = this.outputShapeFor(other);
    } catch (error) {
      if (!(error instanceof ShapeError || error instanceof ValueError)) throw error;
      throw new ShapeError(`${this.className} ${this.name}: cannot take inputs of sizes left to the data (${shown}): ${error.message}`);
    }
    if (changed.length !== out.length) throw new ShapeError(`${this.className} ${this.name}: the rank of its output depends on sizes left to the data (${shown})`);
    return out.flatMap((d, i) => (d !== changed[i] ? [i] : []));
  }

  /**
   * Makes this layer use another's weights, the same memory (its own go back): a copy of a layer
   * built for other sizes, as functional models run sizes left to the data.
   */
  shareWeightsOf(other: Layer): void {
    this.useWeights(other.weights, `the weights of ${other.name}`);
  }

  /**
   * Makes this layer compute with the given weights (its own memory goes back): a wrapper's
   * (Bidirectional holds its two layers' weights under its own name).
   */
  useWeights(weights: readonly Weight[], whose = 'those weights'): void {
    const state = this.state();
    if (shapesKey(weights.map((w) => w.shape)) !== shapesKey(state.weights.map((w) => w.shape))) {
      throw new ShapeError(`${this.name}: cannot share ${whose}: their shapes differ`);
    }
    releaseNow(this, state.held);
    state.held = { be: state.be, ptrs: [] };
    state.weights = [...weights];
  }

  /** The per-sample input shape (after build). */
  get inputShape(): readonly number[] {
    return this.state().inputShape;
  }

  /** The per-sample output shape (after build). */
  get outputShape(): readonly number[] {
    return this.state().outputShape;
  }

  /** The layer's weights in Keras order (kernel, then bias). */
  get weights(): readonly Weight[] {
    return this.built?.weights ?? [];
  }

  /** The weights fit updates: all of them when trainable, none otherwise. */
  get trainableWeights(): readonly Weight[] {
    return this.trainable ? this.weights : [];
  }

  /** Number of weight values. */
  countParams(): number {
    return this.weights.reduce((sum, w) => sum + w.size, 0);
  }

  /** The output shape for a given per-sample input shape, without computing (throws ShapeError). */
  abstract computeOutputShape(inputShape: readonly number[]): number[];

  /** Creates the weights for this input shape (in WebAssembly memory, initialised). */
  build(be: Backend, inputShape: readonly number[]): void {
    if (this.built) {
      if (shapeSize(inputShape) !== shapeSize(this.built.inputShape) || inputShape.join() !== this.built.inputShape.join()) {
        throw new ShapeError(`${this.name}: was built for input shape [${this.built.inputShape.join(', ')}] and cannot take [${inputShape.join(', ')}]`);
      }
      return;
    }
    const outputShape = this.computeOutputShape(inputShape);
    const held = { be, ptrs: [] as number[] };
    this.built = { be, inputShape: Object.freeze([...inputShape]), outputShape: Object.freeze(outputShape), weights: [], held };
    for (const [name, shape, init, extras] of this.weightSpecs(inputShape)) {
      const size = shapeSize(shape);
      const ptr = be.arena.alloc(size * 4);
      this.keep(held, ptr);
      if (initializers) initialize(be, init, shape, ptr, `${this.className} ${this.name}: ${name} initializer`);
      this.built.weights.push({
        name: `${this.name}/${name}`, shape: Object.freeze([...shape]), size, ptr, grad: 0,
        ...(extras?.regularizer ? { regularizer: extras.regularizer } : {}), ...(extras?.constraint ? { constraint: extras.constraint } : {}),
      });
    }
  }

  /**
   * The call arguments a file records with each application of the layer (Keras' kwargs of an
   * inbound node): none, unless a layer takes some (MultiHeadAttention's use_causal_mask).
   */
  callArguments(): Record<string, unknown> {
    return {};
  }

  /** Takes a file's call arguments for the layer before it is applied (those it does not use are ignored, as Keras' training flags). */
  takeCallArguments(_kwargs: Record<string, unknown>): void {}

  /** The weights this layer creates for an input shape: [name, shape, initializer]. */
  protected weightSpecs(_inputShape: readonly number[]): WeightSpec[] {
    return [];
  }

  /** The weights this layer needs for inputs of this shape: what a wrapper holding them (Bidirectional, TimeDistributed) creates. */
  weightSpecsFor(inputShape: readonly number[]): WeightSpec[] {
    return this.weightSpecs(inputShape);
  }

  /** Bytes the layer holds in WebAssembly memory: its weights and any states it keeps. */
  get memoryBytes(): number {
    return heldBytes(this.built?.held);
  }

  /** Releases the weights' memory now (the layer cannot be used afterwards). */
  dispose(): void {
    if (!this.built) return;
    releaseNow(this, this.built.held);
    this.built = undefined;
  }

  /** Whether the output is the input buffer itself (flatten, reshape; dropout at inference). */
  aliases(_training: boolean): boolean {
    return false;
  }

  /** Bytes of scratch memory a pass over `batch` samples needs (kept from forward to backward). */
  scratchBytes(_batch: number, _training: boolean): number {
    return 0;
  }

  /** y = layer(x) for step.batch samples; x and y are row-major [batch, ...shape]. */
  abstract forward(step: Step, x: number, y: number, scratch: number): void;

  /**
   * From dy = dL/dy: writes each trainable weight's gradient (to weight.grad) and, when dx ≠ 0,
   * dL/dx. `dy` may be overwritten. With `fused`, dy is already the gradient with respect to
   * the pre-activation (the loss folded softmax or sigmoid into its own gradient).
   */
  abstract backward(step: Step, x: number, y: number, dy: number, dx: number, scratch: number, fused: boolean): void;

  /**
   * The layer rebuilt from what getConfig() described (TF.js' and Keras' fromConfig): the
   * registry calls it to restore saved models. A subclass whose constructor does not take its own
   * getConfig() overrides it.
   */
  /**
   * Keras options that most layers refuse unless neutral (dilationRate, groups) but this class
   * implements: the registry passes them on instead of checking them.
   */
  static readonly ownOptions: readonly string[] = [];

  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }

  /** The layer's options in camelCase, enough to rebuild it (TF.js' getConfig). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      trainable: this.trainable,
      ...(this.declaredInputShape ? { batchInputShape: [null, ...this.declaredInputShape] } : {}),
      dtype: 'float32',
      ...(this.activityRegularizer ? { activityRegularizer: regularizerToKeras(this.activityRegularizer) } : {}),
    };
  }

  /** Copies of the weights' values, in Keras order. */
  getWeights(): Tensor[] {
    const be = this.built?.be;
    return this.weights.map((w) => new Tensor(readF32(be!, w.ptr, w.size), w.shape));
  }

  /** Replaces the weights' values (shapes must match; values must be finite). */
  setWeights(values: TensorLike[]): void {
    const where = `${this.name}.setWeights`;
    if (!this.built) throw new ValueError(`${where}: the layer is not built yet (give the model an inputShape or fit it first)`);
    if (!Array.isArray(values) || values.length !== this.weights.length) {
      throw new ValueError(`${where}: expected ${this.weights.length} arrays (${this.weights.map((w) => w.name).join(', ')}); received ${describe(values)}`);
    }
    const tensors = values.map((v, i) => toTensor(v, `${where}: weights[${i}]`));
    tensors.forEach((t, i) => {
      const w = this.weights[i];
      if (t.shape.join() !== w.shape.join()) {
        throw new ShapeError(`${where}: ${w.name} has shape [${w.shape.join(', ')}]; received [${t.shape.join(', ')}]`);
      }
    });
    tensors.forEach((t, i) => writeF32(this.built!.be, this.weights[i].ptr, t.data));
  }

  protected state() {
    if (!this.built) throw new ValueError(`${this.className} ${this.name}: the layer is not built yet (its input shape is unknown)`);
    return this.built;
  }

  /**
   * Records a block the layer holds; the first one makes the garbage collector the backstop of
   * dispose() (a layer without weights, such as a model's input, is never watched: nothing would
   * unregister it, and its record would stay for the life of the program).
   */
  private keep(held: { be: Backend; ptrs: number[] }, ptr: number): void {
    if (held.ptrs.length === 0) releaseWhenCollected(this, held);
    held.ptrs.push(ptr);
  }

  /** Memory the layer keeps beside its weights (a stateful layer's states), zeroed: released with them. */
  protected hold(bytes: number): number {
    const s = this.state();
    const ptr = s.be.arena.alloc(bytes);
    this.keep(s.held, ptr);
    zeroBytes(s.be, ptr, bytes);
    return ptr;
  }
}

/** Reads a positive integer or a pair of them (kernelSize, strides, poolSize). */
export function pair(value: unknown, name: string, where: string, fallback?: [number, number]): [number, number] {
  if (value === undefined && fallback) return fallback;
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || v.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`${where}: ${name} must be a positive integer or two of them; received ${describe(value)}`);
  }
  return [v[0], v[1]];
}

/** Reads a padding option. */
export function paddingOption(value: unknown, where: string): 'valid' | 'same' {
  if (value === undefined) return 'valid';
  if (value !== 'valid' && value !== 'same') throw new ValueError(`${where}: padding must be 'valid' or 'same'; received ${describe(value)}`);
  return value;
}

/** A list of shapes as one comparable string. */
function shapesKey(shapes: readonly (readonly number[])[]): string {
  return shapes.map((shape) => `[${shape.join(', ')}]`).join();
}

/**
 * Reads a dilationRate option (n or [rows, cols], default 1); Keras refuses a dilation above 1 with
 * strides above 1, and so does wasmlearn.
 */
export function dilationOption(value: unknown, strides: readonly [number, number], where: string): [number, number] {
  const d = pair(value, 'dilationRate', where, [1, 1]);
  if ((d[0] > 1 || d[1] > 1) && (strides[0] > 1 || strides[1] > 1)) {
    throw new ValueError(`${where}: dilationRate [${d.join(', ')}] with strides [${strides.join(', ')}]: a dilation above 1 needs strides of 1 (as in Keras)`);
  }
  return d;
}

/** A kernel's extent once dilated: (k − 1)·d + 1. */
export function dilated(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** Output size and leading padding along one axis (TensorFlow's rule for 'valid' and 'same'). */
export function windowAxis(size: number, window: number, stride: number, padding: 'valid' | 'same'): [out: number, padBefore: number] {
  if (padding === 'valid') return [Math.floor((size - window) / stride) + 1, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  return [out, Math.floor(total / 2)];
}
