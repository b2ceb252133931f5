// ArrayFeatureExtractor and FeatureVectorizer (ai.onnx.ml): picking columns, and joining inputs
// into one feature matrix (scikit-learn's converters use them around ColumnTransformer and
// one-vs-rest models).
import { FormatError, ShapeError } from '../../../errors.js';
import { dimsText, input, type NodeInfo, type NodeRun, type OperatorTable } from '../../operator.js';
import { allocate, Value, type Numbers } from '../../value.js';

function arrayFeatureExtractor(node: NodeInfo): NodeRun {
  return (inputs) => {
    const x = input(node, inputs, 0, 'X'), y = input(node, inputs, 1, 'Y');
    const idx = y.numbers();
    const cols = x.dims[x.dims.length - 1] ?? 1;
    for (const i of idx) if (i < 0 || i >= cols) throw new ShapeError(`${node.where}: index ${i} is out of range for ${cols} columns`);
    const rows = x.size / cols;
    const dims = x.dims.length <= 1 ? [1, idx.length] : [...x.dims.slice(0, -1), idx.length];
    const src = x.data as unknown as (number | string)[];
    const out = allocate(x.type, rows * idx.length) as unknown as (number | string)[];
    for (let r = 0; r < rows; r++) for (let j = 0; j < idx.length; j++) out[r * idx.length + j] = src[r * cols + idx[j]];
    return [new Value(x.type, dims, out as unknown as Numbers)];
  };
}

function featureVectorizer(node: NodeInfo): NodeRun {
  const widths = node.attrs.ints('inputdimensions', []);
  return (inputs) => {
    const xs = inputs.map((_, i) => input(node, inputs, i, `X${i}`));
    if (widths.length !== xs.length) throw new FormatError(`${node.where}: inputdimensions lists ${widths.length} widths for ${xs.length} inputs`);
    const rows = xs[0].dims.length <= 1 ? 1 : xs[0].dims[0];
    const total = widths.reduce((s, w) => s + w, 0);
    const out = new Float32Array(rows * total);
    let at = 0;
    xs.forEach((x, i) => {
      if (x.type === 'string') throw new FormatError(`${node.where}: input ${i} must be numeric`);
      const w = x.size / rows;
      if (!Number.isInteger(w)) throw new ShapeError(`${node.where}: input ${i} ${dimsText(x.dims)} does not have ${rows} rows`);
      const src = x.data as Numbers;
      // Each input fills its declared width: extra columns are dropped, missing ones stay 0.
      for (let r = 0; r < rows; r++) for (let j = 0; j < Math.min(w, widths[i]); j++) out[r * total + at + j] = src[r * w + j];
      at += widths[i];
    });
    return [Value.f32(out, [rows, total])];
  };
}

export const FEATURES: OperatorTable = {
  ArrayFeatureExtractor: arrayFeatureExtractor,
  FeatureVectorizer: featureVectorizer,
};
