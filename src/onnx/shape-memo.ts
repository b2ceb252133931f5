// Steps of a graph that compute from shapes alone, remembered between runs. PyTorch's and
// tf2onnx's exports work out a Reshape's target from the input at every run: Shape → Gather →
// Unsqueeze → Concat (a flatten keeping the batch). Constant folding cannot take them (the batch
// is only known at the run), but with the same input shapes they give the same values, and at
// batch 1 their fixed costs were ~12 µs of the small CNN's ~250.
import type { NodeRun } from './operator.js';
import type { Value } from './value.js';

/** Operators whose outputs depend on their input's shape only (not its elements). */
export const FROM_SHAPE = new Set(['Shape', 'Size']);

/**
 * The last inputs and outputs of one step. A step reading the shape of a value (Shape, Size) is
 * remembered by that value's dims; a step whose inputs are all constants or remembered outputs,
 * by the identity of those inputs (a remembered output is the same object while the shapes
 * stay). Outputs are kept in JavaScript (settled), never in a run's memory.
 */
export class ShapeMemo {
  private dims: readonly number[] | undefined;
  private inputs: readonly (Value | undefined)[] | undefined;
  private outputs: (Value | undefined)[] | undefined;

  /** @param byShape the step reads only its first input's shape (FROM_SHAPE) */
  constructor(private readonly byShape: boolean) {}

  /** The step's outputs for these inputs: the remembered ones when they apply, else run(ins)'s (then remembered). */
  outputsFor(ins: readonly (Value | undefined)[], run: NodeRun): (Value | undefined)[] {
    if (this.outputs && this.same(ins)) return this.outputs;
    const outs = run(ins).map((v) => v?.settle());
    // By shape, only the dims are kept (not the value, whose elements the run releases).
    if (this.byShape) this.dims = ins[0]?.dims.slice();
    else this.inputs = ins.slice();
    this.outputs = outs;
    return outs;
  }

  /** Whether v's elements are those of an output remembered here (a caller must get a copy it may change). */
  holds(v: Value): boolean {
    const data = v.data;
    return this.outputs?.some((o) => o !== undefined && (o.data === data || (ArrayBuffer.isView(o.data) && ArrayBuffer.isView(data) && o.data.buffer === data.buffer))) ?? false;
  }

  private same(ins: readonly (Value | undefined)[]): boolean {
    if (this.byShape) {
      const d = ins[0]?.dims, last = this.dims;
      return d !== undefined && last !== undefined && d.length === last.length && d.every((n, i) => n === last[i]);
    }
    return ins.length === this.inputs!.length && ins.every((v, i) => v === this.inputs![i]);
  }
}
