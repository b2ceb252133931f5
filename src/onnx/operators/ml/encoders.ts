// OneHotEncoder and LabelEncoder (ai.onnx.ml): categories to indicator columns, and one set of
// labels to another (opset 1's classes_strings, opset 2's keys_* / values_*, opset 4's tensors).
import { FormatError } from '../../../errors.js';
import { input, type NodeInfo, type NodeRun, type OperatorTable } from '../../operator.js';
import { allocate, Value, type Numbers, type OnnxType } from '../../value.js';

function oneHot(node: NodeInfo): NodeRun {
  const ints = node.attrs.ints('cats_int64s'), strings = node.attrs.strings('cats_strings');
  const zeros = node.attrs.int('zeros', 1) === 1;
  const cats: readonly (number | string)[] = strings && strings.length ? strings : ints ?? [];
  if (cats.length === 0) throw new FormatError(`${node.where}: needs cats_int64s or cats_strings`);
  const index = new Map<number | string, number>(cats.map((c, i) => [c, i]));
  return (inputs) => {
    const x = input(node, inputs, 0, 'X');
    const byString = (strings?.length ?? 0) > 0;
    if (byString !== (x.type === 'string')) throw new FormatError(`${node.where}: the categories are ${byString ? 'strings' : 'integers'}; X is ${x.type}`);
    const k = cats.length;
    const y = new Float32Array(x.size * k);
    const src = x.data as ArrayLike<number | string>;
    for (let i = 0; i < x.size; i++) {
      const v = typeof src[i] === 'number' ? Math.trunc(src[i] as number) : src[i];
      const c = index.get(v);
      if (c === undefined) {
        if (!zeros) throw new FormatError(`${node.where}: the category ${JSON.stringify(v)} is not among the known ones (zeros is 0)`);
        continue;
      }
      y[i * k + c] = 1;
    }
    return [Value.f32(y, [...x.dims, k])];
  };
}

function labelEncoder(node: NodeInfo): NodeRun {
  const a = node.attrs;
  let keys: readonly (number | string)[], values: readonly (number | string)[], outType: OnnxType, fallback: number | string;
  if (node.opset < 2) {
    // classes_strings[i] ↔ i: strings to int64 or int64 to strings, by the input's type.
    const classes = a.strings('classes_strings', []);
    keys = classes;
    values = classes.map((_, i) => i);
    outType = 'int64';
    fallback = a.int('default_int64', -1);
    const defaultString = a.string('default_string', '_Unused');
    return (inputs) => {
      const x = input(node, inputs, 0, 'X');
      if (x.type === 'string') return [mapped(x, new Map(classes.map((c, i) => [c, i])), 'int64', fallback)];
      return [mapped(x, new Map(classes.map((c, i) => [i, c])), 'string', defaultString)];
    };
  }
  const keyTensor = a.tensor('keys_tensor'), valueTensor = a.tensor('values_tensor');
  keys = keyTensor ? Array.from(keyTensor.data as ArrayLike<number | string>) : a.strings('keys_strings') ?? a.ints('keys_int64s') ?? a.floats('keys_floats') ?? [];
  const valueStrings = a.strings('values_strings'), valueInts = a.ints('values_int64s'), valueFloats = a.floats('values_floats');
  values = valueTensor ? Array.from(valueTensor.data as ArrayLike<number | string>) : valueStrings ?? valueInts ?? valueFloats ?? [];
  outType = valueTensor ? valueTensor.type : valueStrings ? 'string' : valueInts ? 'int64' : 'float32';
  if (keys.length !== values.length) throw new FormatError(`${node.where}: ${keys.length} keys and ${values.length} values`);
  const defaultTensor = a.tensor('default_tensor');
  fallback = defaultTensor ? (defaultTensor.data as ArrayLike<number | string>)[0]
    : outType === 'string' ? a.string('default_string', '_Unused') : outType === 'int64' ? a.int('default_int64', -1) : a.float('default_float', -0);
  const table = new Map<number | string, number | string>(keys.map((k, i) => [k, values[i]]));
  return (inputs) => [mapped(input(node, inputs, 0, 'X'), table, outType, fallback)];
}

function mapped(x: Value, table: Map<number | string, number | string>, type: OnnxType, fallback: number | string): Value {
  const src = x.data as ArrayLike<number | string>;
  const out = allocate(type, x.size) as unknown as (number | string)[];
  for (let i = 0; i < x.size; i++) {
    const v = table.get(src[i]);
    out[i] = v === undefined ? fallback : v;
  }
  return new Value(type, x.dims, out as unknown as Numbers);
}

export const ENCODERS: OperatorTable = {
  OneHotEncoder: oneHot,
  LabelEncoder: labelEncoder,
};
