// Layers that give several outputs (an LSTM with returnState: its output and last states) write
// them side by side in one tensor per sample; internal nodes take each part out, and the layer's
// apply returns the tensor that reads as their list (SymbolicTensor.parts). A file names part k
// as the layer's tensor k, as Keras and TF.js do; the internal nodes are never saved or listed.
import { copyBlock } from '../ops/blocks.js';
import { shapeSize } from '../tensor.js';
import { Layer, type Step } from './layer.js';
import type { SymbolicTensor } from './node.js';

/** Part `index` of a layer's outputs: `shape`, found at `offset` in each sample's packed values. */
class OutputPart extends Layer {
  readonly className = 'OutputPart';

  constructor(readonly source: SymbolicTensor, readonly index: number, private readonly offset: number, private readonly shape: readonly number[]) {
    super({}, 'OutputPart');
  }

  override get internal(): boolean {
    return true;
  }

  computeOutputShape(): number[] {
    return [...this.shape];
  }

  forward(step: Step, x: number, y: number): void {
    const total = shapeSize(this.inputShape), size = shapeSize(this.shape);
    copyBlock(step.be, { ptr: x, height: 1, width: total, top: 0, left: this.offset }, { ptr: y, height: 1, width: size, top: 0, left: 0 }, 1, 1, size, false, step.batch);
  }

  /** The packed gradient: this part's, zeros elsewhere (the graph adds the other parts'). */
  backward(step: Step, _x: number, _y: number, dy: number, dx: number): void {
    const total = shapeSize(this.inputShape), size = shapeSize(this.shape);
    if (dx) copyBlock(step.be, { ptr: dy, height: 1, width: size, top: 0, left: 0 }, { ptr: dx, height: 1, width: total, top: 0, left: this.offset }, 1, 1, size, true, step.batch);
  }
}

/** The shape of a layer's outputs side by side: the one output's own, or [all their values] for several. */
export function packedShape(shapes: readonly (readonly number[])[]): number[] {
  return shapes.length === 1 ? [...shapes[0]] : [shapes.reduce((sum, shape) => sum + shapeSize(shape), 0)];
}

/** Makes `packed` (a layer's outputs side by side, of these shapes) read as the list of its parts; returns it. */
export function withParts(packed: SymbolicTensor, shapes: readonly (readonly number[])[]): SymbolicTensor {
  let offset = 0;
  const parts = shapes.map((shape, k) => {
    const part = new OutputPart(packed, k, offset, shape).apply(packed);
    offset += shapeSize(shape);
    return part;
  });
  if (offset !== shapeSize(packed.sizes)) throw new Error(`internal: parts of ${offset} values for a tensor of ${shapeSize(packed.sizes)}`);
  parts[0].mask = packed.mask;
  packed.setParts(parts);
  return packed;
}

/** For part k of a layer's outputs: the tensor of them all and k; undefined for any other tensor. */
export function partOf(t: SymbolicTensor): { source: SymbolicTensor; index: number } | undefined {
  const layer = t.node.layer;
  return layer instanceof OutputPart ? { source: layer.source, index: layer.index } : undefined;
}
