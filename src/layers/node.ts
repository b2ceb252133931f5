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
}

/** One application of a layer: its inputs and its output. */
export class Node {
  readonly output: SymbolicTensor;

  constructor(readonly layer: Layer, readonly inputs: readonly SymbolicTensor[], outputSizes: readonly number[], free: readonly number[] = []) {
    layer.inboundNodes.push(this);
    this.output = new SymbolicTensor(outputSizes, this, free);
  }
}
