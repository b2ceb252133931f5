// ZipMap and CastMap (ai.onnx.ml): scikit-learn's converters end a classifier with ZipMap, a
// list of { label: probability } maps, one per row; CastMap turns a map back into a tensor.
import { FormatError } from '../../../errors.js';
import { input, type NodeInfo, type NodeRun, type OperatorTable } from '../../operator.js';
import { Value, type Numbers } from '../../value.js';

/** A sequence of maps from labels to float values, one per row (held as the score rows and the labels). */
export class MapSequence extends Value {
  constructor(readonly labels: readonly (number | string)[], readonly scores: Float32Array, readonly rows: number) {
    super('float32', [rows], new Float32Array(0));
  }

  /** Each row as an object keyed by label, as onnxruntime's Python API returns ZipMap's output. */
  toObjects(): Record<string, number>[] {
    const k = this.labels.length;
    return Array.from({ length: this.rows }, (_, r) => Object.fromEntries(this.labels.map((l, j) => [String(l), this.scores[r * k + j]])));
  }
}

function zipMap(node: NodeInfo): NodeRun {
  const strings = node.attrs.strings('classlabels_strings'), ints = node.attrs.ints('classlabels_int64s');
  const labels: readonly (number | string)[] = strings && strings.length ? strings : ints ?? [];
  if (labels.length === 0) throw new FormatError(`${node.where}: needs classlabels_strings or classlabels_int64s`);
  return (inputs) => {
    const x = input(node, inputs, 0, 'X');
    if (x.type !== 'float32' || x.dims.length > 2) throw new FormatError(`${node.where}: X must be a float32 [rows, classes] tensor`);
    const k = x.dims[x.dims.length - 1] ?? 1;
    if (k !== labels.length) throw new FormatError(`${node.where}: X has ${k} columns for ${labels.length} labels`);
    return [new MapSequence(labels, x.f32, x.size / k)];
  };
}

function castMap(node: NodeInfo): NodeRun {
  const to = node.attrs.oneOf('cast_to', 'TO_FLOAT', ['TO_FLOAT', 'TO_STRING', 'TO_INT64']);
  const form = node.attrs.oneOf('map_form', 'DENSE', ['DENSE', 'SPARSE']);
  const maxMap = node.attrs.int('max_map', 1);
  return (inputs) => {
    const m = input(node, inputs, 0, 'X');
    if (!(m instanceof MapSequence) || m.rows !== 1) throw new FormatError(`${node.where}: X must be one map`);
    // Keys are int64 labels; DENSE writes the values in key order, SPARSE at their keys up to max_map.
    const keys = m.labels.map(Number);
    const order = keys.map((_, i) => i).sort((p, q) => keys[p] - keys[q]);
    const n = form === 'DENSE' ? keys.length : maxMap;
    const values = Array.from(m.scores);
    const at = (i: number) => (form === 'DENSE' ? order[i] : keys.indexOf(i));
    if (to === 'TO_STRING') return [new Value('string', [1, n], Array.from({ length: n }, (_, i) => (at(i) >= 0 ? String(values[at(i)]) : '')))];
    const data = Array.from({ length: n }, (_, i) => (at(i) >= 0 ? values[at(i)] : 0));
    return [to === 'TO_INT64' ? new Value('int64', [1, n], Float64Array.from(data, Math.trunc)) : new Value('float32', [1, n], Float32Array.from(data) as Numbers)];
  };
}

export const MAPS: OperatorTable = {
  ZipMap: zipMap,
  CastMap: castMap,
};
