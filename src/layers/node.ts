// The functional API's graph (Keras' KerasTensor and Node): applying a layer to symbolic tensors
// records a node — the layer, the tensors it took, the tensor it gave — and returns that tensor.
// Nothing is computed; a functional model runs the recorded graph.
import type { Layer } from './layer.js';

/**
 * A tensor of the graph: the per-sample shape it will have, and the node that produces it. Sizes
 * may be left to the data (Keras' null beyond the batch: a variable image size or sequence
 * length): those axes are `free`, and `sizes` holds a stand-in for them that layers are built with.
 */
export class SymbolicTensor {
  /** Keras' name: the producing layer's name (with the node index after the first call). */
  readonly name: string;
  /** The per-sample sizes, a stand-in on the free axes. */
  readonly sizes: readonly number[];
  /** The per-sample axes whose size comes from the data. */
  readonly free: readonly number[];
  /**
   * Keras' mask of the tensor (its _keras_mask): per sample [steps], 1 where a step is data and 0
   * where it is padding — from an embedding with maskZero or a masking layer, carried by the layers
   * that keep the steps. Undefined: no mask.
   */
  mask: SymbolicTensor | undefined = undefined;
  /**
   * The outputs of a layer that gives several (an LSTM with returnState: [output, h, c]), when this
   * tensor is all of them together: it then reads as their list — `const [out, h, c] = lstm.apply(x)`,
   * `t[1]`, `t.length` — and layers and models take its parts, not it.
   */
  parts: readonly SymbolicTensor[] | undefined = undefined;
  /** Part k of a layer's outputs (numeric keys, as a list's), defined when the tensor has parts. */
  readonly [index: number]: SymbolicTensor;

  constructor(sizes: readonly number[], readonly node: Node, free: readonly number[] = []) {
    const index = node.layer.inboundNodes.indexOf(node);
    this.name = index > 0 ? `${node.layer.name}_${index}` : node.layer.name;
    this.sizes = Object.freeze([...sizes]);
    this.free = Object.freeze([...free]);
  }

  /** The per-sample shape, null where the size comes from the data. */
  get shape(): readonly (number | null)[] {
    return this.free.length === 0 ? this.sizes : this.sizes.map((d, i) => (this.free.includes(i) ? null : d));
  }

  /** Keras' shape with the batch axis (null). */
  get batchShape(): (number | null)[] {
    return [null, ...this.shape];
  }

  /** How many tensors this is: its parts', or 1. */
  get length(): number {
    return this.parts?.length ?? 1;
  }

  /** Its parts (or itself): what destructuring gives. */
  *[Symbol.iterator](): Iterator<SymbolicTensor> {
    yield* this.parts ?? [this];
  }

  /** Makes this tensor the list of a layer's several outputs (see parts). */
  setParts(parts: readonly SymbolicTensor[]): void {
    this.parts = Object.freeze([...parts]);
    parts.forEach((p, k) => Object.defineProperty(this, k, { value: p, enumerable: false }));
  }
}

/** A model applied as a layer of another (its nodes are replayed there): what the other model lists in its place. */
export interface NestedModel {
  readonly name: string;
}

/** One application of a nested model. */
export interface NestedCall {
  readonly model: NestedModel;
}

let applying: NestedCall | undefined;

/** The tensors nested models gave: which application, and which of its outputs (summaries name them so). */
const given = new WeakMap<SymbolicTensor, { call: NestedCall; index: number }>();

/** Runs `replay` (a model applying its layers inside another), marking the nodes it makes and the tensors it gives as that application's. */
export function asNested<T extends SymbolicTensor | SymbolicTensor[]>(model: NestedModel, replay: () => T): T {
  const before = applying;
  const call = { model };
  applying = call;
  try {
    const out = replay();
    (Array.isArray(out) ? out : [out]).forEach((t, index) => given.set(t, { call, index }));
    return out;
  } finally {
    applying = before;
  }
}

/** The nested model's application that gave this tensor, and its output index there; undefined for a layer's tensor. */
export function givenBy(t: SymbolicTensor): { call: NestedCall; index: number } | undefined {
  return given.get(t);
}

/** One application of a layer: its inputs and its output, and the nested model's application it was made for (if any). */
export class Node {
  readonly output: SymbolicTensor;
  /** The masks of the inputs, for a layer that reads them (RNNs, attention, pooling over steps); otherwise empty. */
  masks: readonly (SymbolicTensor | undefined)[] = [];
  /** The application of a model inside another that made this node (Keras lists that model as one layer). */
  readonly call: NestedCall | undefined;

  /** The nested model this node was made for, if any. */
  get within(): NestedModel | undefined {
    return this.call?.model;
  }

  constructor(readonly layer: Layer, readonly inputs: readonly SymbolicTensor[], outputSizes: readonly number[], free: readonly number[] = []) {
    layer.inboundNodes.push(this);
    this.output = new SymbolicTensor(outputSizes, this, free);
    this.call = applying;
  }
}
