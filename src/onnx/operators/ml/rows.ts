// The inputs and label outputs ai.onnx.ml's operators share: X as rows of features (any numeric
// type, read as f32 as onnxruntime does), and class labels as int64 or string tensors.
import { FormatError, ShapeError } from '../../../errors.js';
import { dimsText, input, type NodeInfo } from '../../operator.js';
import type { Attributes } from '../../attributes.js';
import { Value, type Numbers } from '../../value.js';

export interface Rows {
  /** rows × cols features, f32 values held as numbers. */
  data: Float32Array;
  rows: number;
  cols: number;
}

/** X as [rows, features]: a 1-d X is one row. */
export function featureRows(node: NodeInfo, inputs: readonly (Value | undefined)[]): Rows {
  const x = input(node, inputs, 0, 'X');
  if (x.type === 'string' || x.type === 'bool') throw new FormatError(`${node.where}: X must be numeric; it is ${x.type}`);
  if (x.dims.length === 0 || x.dims.length > 2) throw new ShapeError(`${node.where}: X must be [rows, features] (or one row); it is ${dimsText(x.dims)}`);
  const [rows, cols] = x.dims.length === 1 ? [1, x.dims[0]] : x.dims;
  const data = x.type === 'float32' ? x.f32 : Float32Array.from(x.data as Numbers);
  return { data, rows, cols };
}

/** A classifier's labels: classlabels_int64s (or _ints) or classlabels_strings. */
export class ClassLabels {
  readonly ints?: readonly number[];
  readonly strings?: string[];

  constructor(attrs: Attributes, where: string, intsName = 'classlabels_int64s') {
    const strings = attrs.strings('classlabels_strings');
    const ints = attrs.ints(intsName) ?? attrs.ints('classlabels_ints');
    if (strings && strings.length) this.strings = strings;
    else if (ints && ints.length) this.ints = ints;
    else throw new FormatError(`${where}: needs class labels (classlabels_strings or ${intsName})`);
  }

  get count(): number {
    return (this.strings ?? this.ints!).length;
  }

  /** Labels by class index, as an int64 or string tensor [rows]. */
  tensor(indices: ArrayLike<number>): Value {
    if (this.strings) return new Value('string', [indices.length], Array.from(indices, (i) => this.strings![i]));
    return Value.int64(Array.from(indices, (i) => this.ints![i]));
  }

  /** A label given outright (the binary cases' fallbacks "1"/"0" or 1/0). */
  literal(values: ArrayLike<number | string>): Value {
    if (this.strings) return new Value('string', [values.length], Array.from(values, String));
    return Value.int64(Array.from(values, Number));
  }
}
