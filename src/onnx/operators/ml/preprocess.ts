// Scaler, Normalizer, Imputer and Binarizer (ai.onnx.ml): column-wise and row-wise transforms of
// numeric features, as scikit-learn's StandardScaler, Normalizer, SimpleImputer and Binarizer
// convert to.
import { FormatError } from '../../../errors.js';
import { input, type NodeInfo, type NodeRun, type OperatorTable } from '../../operator.js';
import { allocate, isInteger, Value, type Numbers } from '../../value.js';

/** The per-column value of an attribute list (one value: every column). */
const perColumn = (list: readonly number[], cols: number, where: string, name: string): ((j: number) => number) => {
  if (list.length === 1) return () => list[0];
  if (list.length !== cols && list.length !== 0) throw new FormatError(`${where}: ${name} has ${list.length} values; X has ${cols} columns`);
  return (j) => list[j] ?? 0;
};

function numeric(node: NodeInfo, inputs: readonly (Value | undefined)[]): Value {
  const x = input(node, inputs, 0, 'X');
  if (x.type === 'string' || x.type === 'bool') throw new FormatError(`${node.where}: X must be numeric; it is ${x.type}`);
  return x;
}

function scaler(node: NodeInfo): NodeRun {
  const offset = node.attrs.floats('offset', []), scale = node.attrs.floats('scale', []);
  return (inputs) => {
    const x = numeric(node, inputs);
    const cols = x.dims[x.dims.length - 1] ?? 1;
    const o = perColumn(offset, cols, node.where, 'offset'), s = perColumn(scale, cols, node.where, 'scale');
    const src = x.data as Numbers, y = new Float32Array(src.length);
    // (x − offset)·scale in float32 steps, as onnxruntime computes it.
    for (let i = 0; i < src.length; i++) y[i] = Math.fround(Math.fround(src[i] - Math.fround(o(i % cols))) * Math.fround(scale.length ? s(i % cols) : 1));
    return [Value.f32(y, x.dims)];
  };
}

function normalizer(node: NodeInfo): NodeRun {
  const norm = node.attrs.oneOf('norm', 'MAX', ['MAX', 'L1', 'L2']);
  return (inputs) => {
    const x = numeric(node, inputs);
    const cols = x.dims[x.dims.length - 1] ?? 1;
    const src = x.data as Numbers, y = new Float32Array(src.length);
    for (let r = 0; r < src.length / cols; r++) {
      let d = norm === 'MAX' ? -Infinity : 0;
      for (let j = 0; j < cols; j++) {
        const v = src[r * cols + j];
        d = norm === 'MAX' ? Math.max(d, v) : norm === 'L1' ? d + Math.abs(v) : d + v * v;
      }
      if (norm === 'L2') d = Math.sqrt(d);
      for (let j = 0; j < cols; j++) y[r * cols + j] = d === 0 ? src[r * cols + j] : src[r * cols + j] / d;
    }
    return [Value.f32(y, x.dims)];
  };
}

function imputer(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const floats = a.floats('imputed_value_floats', []), ints = a.ints('imputed_value_int64s', []);
  const replacedFloat = a.float('replaced_value_float', NaN), replacedInt = a.int('replaced_value_int64', 0);
  return (inputs) => {
    const x = numeric(node, inputs);
    const cols = x.dims[x.dims.length - 1] ?? 1;
    const integer = isInteger(x.type);
    const values = integer ? ints : floats;
    if (values.length === 0) throw new FormatError(`${node.where}: needs imputed_value_${integer ? 'int64s' : 'floats'} for ${x.type} input`);
    const fill = perColumn(values, cols, node.where, 'imputed values');
    const src = x.data as Numbers, y = allocate(x.type, src.length) as Numbers;
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      const gap = integer ? v === replacedInt : Number.isNaN(replacedFloat) ? Number.isNaN(v) : v === replacedFloat;
      y[i] = gap ? fill(i % cols) : v;
    }
    return [new Value(x.type, x.dims, y)];
  };
}

function binarizer(node: NodeInfo): NodeRun {
  const threshold = node.attrs.float('threshold', 0);
  return (inputs) => {
    const x = numeric(node, inputs);
    const src = x.data as Numbers, y = allocate(x.type, src.length) as Numbers;
    for (let i = 0; i < src.length; i++) y[i] = src[i] > threshold ? 1 : 0;
    return [new Value(x.type, x.dims, y)];
  };
}

export const PREPROCESS: OperatorTable = {
  Scaler: scaler,
  Normalizer: normalizer,
  Imputer: imputer,
  Binarizer: binarizer,
};
