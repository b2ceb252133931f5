// ai.onnx.ml operators on hand-built graphs against onnxruntime-node: the preprocessing and
// encoding operators, the linear and SVM classifiers' binary cases, tree ensembles with every
// split mode, missing values and aggregation, and ZipMap / CastMap.
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../dist/onnx.js';
import { checkAgainstOrt } from './onnx-check.js';
import { f, floats, i, ints, modelBytes, random, randomArray, s, strings, type Attribute, type Feeds, type TensorType } from './onnx-builder.js';

const ML = 'ai.onnx.ml';
const rand = random(7);

/** One ai.onnx.ml node on input X, its outputs compared with onnxruntime. */
async function mlOp(op: string, x: { type?: TensorType; dims: number[]; data?: ArrayLike<number> | string[] }, attrs: Record<string, Attribute>, outputs: string[], tol?: number): Promise<void> {
  const type = x.type ?? 'float32';
  const n = x.dims.reduce((a, b) => a * b, 1);
  const data = x.data ?? randomArray(rand, n, -2, 2);
  const feeds: Feeds = { X: { type, data: data as ArrayLike<number>, dims: x.dims } };
  await checkAgainstOrt({
    inputs: [{ name: 'X', type, dims: x.dims }],
    outputs: outputs.map((name) => ({ name })),
    nodes: [{ op, inputs: ['X'], outputs, attrs, domain: ML }],
  }, feeds, { tol });
}

describe('ai.onnx.ml preprocessing and encoders against onnxruntime', () => {
  it('Scaler, Normalizer (MAX, L1, L2), Binarizer, Imputer', async () => {
    await mlOp('Scaler', { dims: [5, 3] }, { offset: floats([0.5, -1, 2]), scale: floats([2, 0.5, -3]) }, ['Y']);
    await mlOp('Scaler', { dims: [5, 3] }, { offset: floats([1]), scale: floats([4]) }, ['Y']);
    for (const norm of ['MAX', 'L1', 'L2']) await mlOp('Normalizer', { dims: [6, 4] }, { norm: s(norm) }, ['Y']);
    await mlOp('Binarizer', { dims: [4, 4] }, { threshold: f(0.3) }, ['Y']);
    await mlOp('Imputer', { dims: [3, 3], data: [1, NaN, 3, NaN, 5, 6, 7, 8, NaN] }, { imputed_value_floats: floats([10, 20, 30]), replaced_value_float: f(NaN) }, ['Y']);
    await mlOp('Imputer', { dims: [2, 3], type: 'int64', data: [1, -1, 3, -1, 5, 6] }, { imputed_value_int64s: ints([9]), replaced_value_int64: i(-1) }, ['Y']);
  });
  it('OneHotEncoder (integers and strings), LabelEncoder (opset 2)', async () => {
    await mlOp('OneHotEncoder', { dims: [2, 3], type: 'int64', data: [1, 4, 2, 9, 1, 4] }, { cats_int64s: ints([1, 2, 4]), zeros: i(1) }, ['Y']);
    await mlOp('OneHotEncoder', { dims: [4], type: 'string', data: ['b', 'a', 'zz', 'c'] }, { cats_strings: strings(['a', 'b', 'c']) }, ['Y']);
    await mlOp('LabelEncoder', { dims: [5], type: 'string', data: ['x', 'y', 'q', 'x', 'z'] }, { keys_strings: strings(['x', 'y', 'z']), values_int64s: ints([7, 8, 9]), default_int64: i(-5) }, ['Y']);
    await mlOp('LabelEncoder', { dims: [4], type: 'int64', data: [3, 1, 2, 8] }, { keys_int64s: ints([1, 2, 3]), values_strings: strings(['one', 'two', 'three']), default_string: s('none') }, ['Y']);
  });
  it('ArrayFeatureExtractor and FeatureVectorizer', async () => {
    const bytes = modelBytes({
      inputs: [{ name: 'A', dims: ['N', 4] }, { name: 'B', dims: ['N', 2] }],
      outputs: [{ name: 'picked' }, { name: 'joined' }],
      initializers: [{ name: 'idx', type: 'int64', dims: [3], data: [3, 0, 2] }],
      nodes: [
        { op: 'ArrayFeatureExtractor', inputs: ['A', 'idx'], outputs: ['picked'], domain: ML },
        { op: 'FeatureVectorizer', inputs: ['picked', 'B'], outputs: ['joined'], domain: ML, attrs: { inputdimensions: ints([3, 2]) } },
      ],
    });
    await checkAgainstOrt(bytes, { A: { type: 'float32', data: randomArray(rand, 12), dims: [3, 4] }, B: { type: 'float32', data: randomArray(rand, 6), dims: [3, 2] } });
  });
});

describe('ai.onnx.ml classifiers\' special cases against onnxruntime', () => {
  it('LinearClassifier: binary with one score column, string labels, LOGISTIC and NONE', async () => {
    await mlOp('LinearClassifier', { dims: [6, 3] }, { coefficients: floats([0.5, -1, 2]), intercepts: floats([0.1]), classlabels_ints: ints([3, 7]) }, ['Y', 'Z']);
    await mlOp('LinearClassifier', { dims: [6, 3] }, { coefficients: floats([0.5, -1, 2]), intercepts: floats([0.1]), classlabels_strings: strings(['no', 'yes']), post_transform: s('LOGISTIC') }, ['Y', 'Z']);
    await mlOp('LinearClassifier', { dims: [6, 2] }, { coefficients: floats([1, 2, -1, 0.5, 0, -2]), intercepts: floats([0, 0.5, -0.5]), classlabels_strings: strings(['a', 'b', 'c']), post_transform: s('LOGISTIC') }, ['Y', 'Z']);
    await mlOp('LinearRegressor', { dims: [6, 3] }, { coefficients: floats([1, 2, 3, -1, 0, 1]), intercepts: floats([0.5, -0.5]), targets: i(2) }, ['Y']);
  });
  it('SVMClassifier: binary without probabilities, linear mode, and SVMRegressor one-class', async () => {
    const sv = Array.from(randomArray(rand, 5 * 2));
    await mlOp('SVMClassifier', { dims: [8, 2] }, {
      kernel_type: s('RBF'), kernel_params: floats([0.7, 0, 3]), vectors_per_class: ints([2, 3]), support_vectors: floats(sv),
      coefficients: floats([1, 0.5, -0.7, -0.3, -0.5]), rho: floats([0.2]), classlabels_ints: ints([0, 1]),
    }, ['Y', 'Z']);
    await mlOp('SVMClassifier', { dims: [8, 2] }, {
      kernel_type: s('SIGMOID'), kernel_params: floats([0.3, 0.1, 3]), vectors_per_class: ints([2, 3]), support_vectors: floats(sv),
      coefficients: floats([1, 0.5, -0.7, -0.3, -0.5]), rho: floats([0.2]), classlabels_strings: strings(['neg', 'pos']), post_transform: s('LOGISTIC'),
    }, ['Y', 'Z']);
    await mlOp('SVMClassifier', { dims: [8, 3] }, { kernel_type: s('LINEAR'), kernel_params: floats([0, 0, 0]), coefficients: floats([1, -1, 0.5, 0.2, 0.3, -2, -1, 1, 1]), rho: floats([0.1]), classlabels_ints: ints([4, 5, 6]) }, ['Y', 'Z']);
    await mlOp('SVMRegressor', { dims: [8, 2] }, {
      kernel_type: s('RBF'), kernel_params: floats([0.5, 0, 3]), n_supports: i(5), support_vectors: floats(sv), coefficients: floats([0.3, 0.2, 0.1, 0.2, 0.2]),
      rho: floats([-0.4]), one_class: i(1),
    }, ['Y']);
  });
  it('TreeEnsembleClassifier: split modes, missing values, binary with one class scored, base values', async () => {
    // Two trees over 2 features; every split mode; NaN follows missing_value_tracks_true.
    const nodes = {
      nodes_treeids: ints([0, 0, 0, 0, 0, 1, 1, 1]), nodes_nodeids: ints([0, 1, 2, 3, 4, 0, 1, 2]),
      nodes_featureids: ints([0, 1, 0, 0, 0, 1, 0, 0]), nodes_values: floats([0.1, -0.3, 0, 0, 0, 0.5, 0, 0]),
      nodes_modes: strings(['BRANCH_LT', 'BRANCH_GTE', 'LEAF', 'LEAF', 'LEAF', 'BRANCH_GT', 'LEAF', 'LEAF']),
      nodes_truenodeids: ints([1, 2, 0, 0, 0, 1, 0, 0]), nodes_falsenodeids: ints([4, 3, 0, 0, 0, 2, 0, 0]),
      nodes_missing_value_tracks_true: ints([1, 0, 0, 0, 0, 0, 0, 0]),
    };
    const x = { dims: [7, 2], data: [0, 0, 0.5, -1, -1, 2, NaN, 0.2, 0.3, NaN, 0.1, -0.3, 2, 2] };
    await mlOp('TreeEnsembleClassifier', x, {
      ...nodes, class_treeids: ints([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]), class_nodeids: ints([2, 2, 3, 3, 4, 4, 1, 1, 2, 2]), class_ids: ints([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
      class_weights: floats([0.2, 0.8, 0.6, 0.4, 0.5, 0.5, 0.1, 0.9, 0.7, 0.3]), classlabels_int64s: ints([0, 1]),
    }, ['Y', 'Z']);
    // Binary with only class 1 scored (gradient boosting's layout) and LOGISTIC.
    await mlOp('TreeEnsembleClassifier', x, {
      ...nodes, class_treeids: ints([0, 0, 0, 1, 1]), class_nodeids: ints([2, 3, 4, 1, 2]), class_ids: ints([1, 1, 1, 1, 1]),
      class_weights: floats([0.4, -0.2, 0.1, 0.3, -0.6]), classlabels_int64s: ints([0, 1]), post_transform: s('LOGISTIC'), base_values: floats([0.25]),
    }, ['Y', 'Z']);
    // Three classes with string labels, SOFTMAX and base values.
    await mlOp('TreeEnsembleClassifier', x, {
      ...nodes, class_treeids: ints([0, 0, 0, 1, 1]), class_nodeids: ints([2, 3, 4, 1, 2]), class_ids: ints([0, 1, 2, 2, 0]),
      class_weights: floats([0.4, 0.2, 0.1, 0.3, 0.6]), classlabels_strings: strings(['a', 'b', 'c']), post_transform: s('SOFTMAX'), base_values: floats([0.1, 0.2, 0.3]),
    }, ['Y', 'Z']);
    for (const agg of ['SUM', 'AVERAGE', 'MIN', 'MAX']) {
      await mlOp('TreeEnsembleRegressor', x, {
        ...nodes, target_treeids: ints([0, 0, 0, 1, 1]), target_nodeids: ints([2, 3, 4, 1, 2]), target_ids: ints([0, 0, 1, 0, 1]),
        target_weights: floats([1.5, -2, 0.5, 3, 1]), n_targets: i(2), aggregate_function: s(agg), base_values: floats([0.5, -0.5]),
      }, ['Y']);
    }
  });
  it('TreeEnsembleRegressor: a split whose branches name the same node, on the forest kernel; a node with two parents is a FormatError', async () => {
    const x = { dims: [6, 2], data: [0, 0, 0.5, -1, -1, 2, 0.2, 0.3, 0.1, -0.3, 2, 2] };
    // Tree 0: node 1's two branches both lead to node 2.
    const tree = {
      nodes_treeids: ints([0, 0, 0, 0, 1, 1, 1]), nodes_nodeids: ints([0, 1, 2, 3, 0, 1, 2]),
      nodes_featureids: ints([0, 1, 0, 0, 1, 0, 0]), nodes_values: floats([0.1, -0.3, 0, 0, 0.5, 0, 0]),
      nodes_modes: strings(['BRANCH_LEQ', 'BRANCH_LEQ', 'LEAF', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF']),
      nodes_truenodeids: ints([1, 2, 0, 0, 1, 0, 0]), nodes_falsenodeids: ints([3, 2, 0, 0, 2, 0, 0]),
      target_treeids: ints([0, 0, 1, 1]), target_nodeids: ints([2, 3, 1, 2]), target_ids: ints([0, 0, 0, 0]), target_weights: floats([1.5, -2, 0.25, 3]),
      n_targets: i(1),
    };
    await mlOp('TreeEnsembleRegressor', x, tree, ['Y']);
    // Node 2 of tree 0 is also node 3's child: a graph, not a tree.
    const twoParents = { ...tree, nodes_modes: strings(['BRANCH_LEQ', 'BRANCH_LEQ', 'LEAF', 'BRANCH_LEQ', 'BRANCH_LEQ', 'LEAF', 'LEAF']),
      nodes_truenodeids: ints([1, 2, 0, 2, 1, 0, 0]), nodes_falsenodeids: ints([3, 2, 0, 2, 2, 0, 0]), target_treeids: ints([0, 1, 1]), target_nodeids: ints([2, 1, 2]),
      target_ids: ints([0, 0, 0]), target_weights: floats([1.5, 0.25, 3]) };
    const bytes = modelBytes({ inputs: [{ name: 'X', type: 'float32', dims: [6, 2] }], outputs: [{ name: 'Y' }], nodes: [{ op: 'TreeEnsembleRegressor', inputs: ['X'], outputs: ['Y'], attrs: twoParents, domain: ML }] });
    await expect(loadOnnx(bytes)).rejects.toThrow(/tree 0 is not a tree: node 2 is the child of more than one node/);
  });
  it('ZipMap with string labels', async () => {
    const bytes = modelBytes({
      inputs: [{ name: 'X', dims: ['N', 3] }], outputs: [{ name: 'Z', mapOf: 'string' }],
      nodes: [{ op: 'ZipMap', inputs: ['X'], outputs: ['Z'], domain: ML, attrs: { classlabels_strings: strings(['a', 'b', 'c']) } }],
    });
    const model = await loadOnnx(bytes);
    const out = await model.run({ X: { data: Float32Array.of(0.1, 0.2, 0.7, 0.5, 0.25, 0.25), dims: [2, 3] } });
    expect(out.Z).toEqual([{ a: Math.fround(0.1), b: Math.fround(0.2), c: Math.fround(0.7) }, { a: 0.5, b: 0.25, c: 0.25 }]);
  });
});
