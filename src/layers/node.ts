// The functional API's graph (Keras' KerasTensor and Node): applying a layer to symbolic tensors
// records a node — the layer, the tensors it took, the tensor it gave — and returns that tensor.
// Nothing is computed; a functional model runs the recorded graph.
import type { Layer } from './layer.js';

/** A tensor of the graph: the per-sample shape it will have, and the node that produces it. */
export class SymbolicTensor {
  /** Keras' name: the producing layer's name (with the node index after the first call). */
  readonly name: string;

  constructor(readonly shape: readonly number[], readonly node: Node) {
    const index = node.layer.inboundNodes.indexOf(node);
    this.name = index > 0 ? `${node.layer.name}_${index}` : node.layer.name;
  }

  /** Keras' shape with the batch axis (null). */
  get batchShape(): (number | null)[] {
    return [null, ...this.shape];
  }
}

/** One application of a layer: its inputs and its output. */
export class Node {
  readonly output: SymbolicTensor;

  constructor(readonly layer: Layer, readonly inputs: readonly SymbolicTensor[], outputShape: readonly number[]) {
    layer.inboundNodes.push(this);
    this.output = new SymbolicTensor(Object.freeze([...outputShape]), this);
  }
}
