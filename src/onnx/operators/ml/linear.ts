// LinearClassifier and LinearRegressor (ai.onnx.ml): scores X·Cᵀ + intercepts on the GEMM, then
// the labels and post_transform as onnxruntime gives them.
import { FormatError } from '../../../errors.js';
import { gemmArrays } from '../../kernels.js';
import type { NodeInfo, NodeRun, OperatorTable } from '../../operator.js';
import { Value } from '../../value.js';
import { ClassLabels, featureRows, type Rows } from './rows.js';
import { finishScores, POST_TRANSFORMS, type PostTransform } from './scores.js';

/** X·Cᵀ + intercepts in f64 (rows × targets), the product from the f32 GEMM as onnxruntime computes it. */
function linearScores(node: NodeInfo, x: Rows, coefficients: Float32Array, intercepts: readonly number[], targets: number): Float64Array {
  if (coefficients.length !== targets * x.cols) {
    throw new FormatError(`${node.where}: ${coefficients.length} coefficients do not make ${targets} rows of ${x.cols} features (X has ${x.cols} columns)`);
  }
  const product = gemmArrays(node.weights, { m: x.rows, n: targets, k: x.cols, a: x.data, b: coefficients, transA: false, transB: true, bConstant: true }).read();
  const scores = new Float64Array(x.rows * targets);
  for (let i = 0; i < scores.length; i++) scores[i] = Math.fround(product[i] + (intercepts[i % targets] ?? 0));
  return scores;
}

function linearClassifier(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const coefficients = Float32Array.from(a.required(a.floats('coefficients'), 'coefficients'));
  const intercepts = a.floats('intercepts', []);
  const labels = new ClassLabels(a, node.where, 'classlabels_ints');
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  const targets = intercepts.length || coefficients.length / Math.max(1, labels.count);
  return (inputs) => {
    const x = featureRows(node, inputs);
    const scores = linearScores(node, x, coefficients, intercepts, targets);
    let y: Value;
    if (targets === 1) {
      // One score column: the second label when it is positive (or "1" / 1 without two labels).
      const two = labels.count === 2;
      y = two ? labels.tensor(Array.from(scores, (s) => (s > 0 ? 1 : 0))) : labels.literal(Array.from(scores, (s) => (s > 0 ? 1 : 0)));
    } else {
      const best = new Int32Array(x.rows);
      for (let r = 0; r < x.rows; r++) {
        let m = 0;
        for (let j = 1; j < targets; j++) if (scores[r * targets + j] > scores[r * targets + m]) m = j;
        best[r] = m;
      }
      y = labels.tensor(best);
    }
    const second = targets === 1 && labels.count === 2 ? 1 : -1;
    const z = finishScores(scores, x.rows, targets, transform, second);
    return [y, Value.f32(z, [x.rows, z.length / x.rows])];
  };
}

function linearRegressor(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const coefficients = Float32Array.from(a.required(a.floats('coefficients'), 'coefficients'));
  const intercepts = a.floats('intercepts', []);
  const targets = a.int('targets', 1);
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  return (inputs) => {
    const x = featureRows(node, inputs);
    const scores = linearScores(node, x, coefficients, intercepts, targets);
    return [Value.f32(finishScores(scores, x.rows, targets, transform), [x.rows, targets])];
  };
}

export const LINEAR: OperatorTable = {
  LinearClassifier: linearClassifier,
  LinearRegressor: linearRegressor,
};
