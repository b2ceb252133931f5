// SVMClassifier and SVMRegressor (ai.onnx.ml) on the SVMs' kernels: K(x, support vectors) from
// one f32 GEMM per block, libsvm's one-vs-one decision values, Platt's pairwise probabilities
// coupled by Wu, Lin and Weng's method; labels and scores as onnxruntime gives them.
import { FormatError } from '../../../errors.js';
import { decisionValues, kernelBlocks, KernelCode, type Kernel } from '../../../ops/svm.js';
import { readF64 } from '../../../ops/memory.js';
import { backend } from '../../../runtime/backend.js';
import type { Attributes } from '../../attributes.js';
import type { NodeInfo, NodeRun, OperatorTable } from '../../operator.js';
import { Value } from '../../value.js';
import { ClassLabels, featureRows, type Rows } from './rows.js';
import { finishScores, logistic, POST_TRANSFORMS, type PostTransform } from './scores.js';

const KERNELS: Record<string, KernelCode> = { LINEAR: KernelCode.Linear, POLY: KernelCode.Poly, RBF: KernelCode.Rbf, SIGMOID: KernelCode.Sigmoid };

function kernelOf(a: Attributes, where: string): Kernel {
  const name = a.string('kernel_type', 'LINEAR');
  const code = KERNELS[name];
  if (code === undefined) throw new FormatError(`${where}: kernel_type must be LINEAR, POLY, RBF or SIGMOID; the file has '${name}'`);
  const [gamma = 0, coef0 = 0, degree = 0] = a.floats('kernel_params', []);
  return { code, gamma, coef0, degree };
}

const matrix = (x: Rows) => ({ data: Float64Array.from(x.data), rows: x.rows, cols: x.cols });

/** x·w + b for each row and each of the k rows of w (the linear mode, kernel LINEAR). */
function linearDots(x: Rows, w: Float32Array, k: number, b: number): Float64Array {
  const out = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) s += x.data[r * x.cols + j] * w[c * x.cols + j];
    out[r * k + c] = s + b;
  }
  return out;
}

/** Pairwise probabilities r[i][j] coupled into class probabilities (Wu, Lin & Weng 2004, method 2; libsvm's multiclass_probability). */
export function coupleProbabilities(k: number, r: Float64Array): Float64Array {
  const Q = new Float64Array(k * k), Qp = new Float64Array(k), p = new Float64Array(k).fill(1 / k);
  const eps = 0.005 / k;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      Q[i * k + i] += r[j * k + i] * r[j * k + i];
      Q[i * k + j] = Q[j * k + i];
    }
    for (let j = i + 1; j < k; j++) {
      Q[i * k + i] += r[j * k + i] * r[j * k + i];
      Q[i * k + j] = -r[j * k + i] * r[i * k + j];
    }
  }
  for (let iter = 0; iter < 100; iter++) {
    let pQp = 0;
    for (let i = 0; i < k; i++) {
      Qp[i] = 0;
      for (let j = 0; j < k; j++) Qp[i] += Q[i * k + j] * p[j];
      pQp += p[i] * Qp[i];
    }
    let maxError = 0;
    for (let i = 0; i < k; i++) maxError = Math.max(maxError, Math.abs(Qp[i] - pQp));
    if (maxError < eps) break;
    for (let i = 0; i < k; i++) {
      const diff = (-Qp[i] + pQp) / Q[i * k + i];
      p[i] += diff;
      pQp = (pQp + diff * (diff * Q[i * k + i] + 2 * Qp[i])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[i * k + j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}

function svmClassifier(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const labels = new ClassLabels(a, node.where, 'classlabels_ints');
  const k = labels.count;
  const perClass = a.ints('vectors_per_class', []);
  const nSV = perClass.reduce((s, v) => s + v, 0);
  const coefficients = Float32Array.from(a.required(a.floats('coefficients'), 'coefficients'));
  const rho = a.required(a.floats('rho'), 'rho');
  const probA = a.floats('prob_a', []), probB = a.floats('prob_b', []);
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  const kernel = kernelOf(a, node.where);
  const svc = nSV > 0;
  const support = Float32Array.from(a.floats('support_vectors', []));
  const pairs = (k * (k - 1)) / 2;
  if (svc && (perClass.length !== k || support.length % nSV !== 0 || coefficients.length < (k - 1) * nSV || rho.length < pairs)) {
    throw new FormatError(`${node.where}: vectors_per_class, support_vectors, coefficients and rho do not fit ${k} classes and ${nSV} support vectors`);
  }
  if (probA.length !== probB.length || (probA.length > 0 && probA.length < pairs)) throw new FormatError(`${node.where}: prob_a and prob_b must hold one value per pair of classes`);
  const allPositive = coefficients.every((c) => c >= 0);
  const haveProba = probA.length > 0;
  return (inputs) => {
    const x = featureRows(node, inputs);
    const best = new Int32Array(x.rows);
    let z: Float32Array;
    if (!svc) {
      // Linear mode: one weight row per class and rho[0].
      if (coefficients.length !== k * x.cols) throw new FormatError(`${node.where}: ${coefficients.length} coefficients do not make ${k} rows of ${x.cols} features`);
      const scores = linearDots(x, coefficients, k, rho[0]);
      const labelIndex = new Int32Array(x.rows);
      for (let r = 0; r < x.rows; r++) {
        let m = 0;
        for (let c = 1; c < k; c++) if (scores[r * k + c] > scores[r * k + m]) m = c;
        const w = scores[r * k + m];
        labelIndex[r] = k === 2 && ((allPositive && w >= 0.5) || (!allPositive && w > 0)) ? 1 : m;
      }
      z = finishScores(scores, x.rows, k, transform);
      return [labels.tensor(labelIndex), Value.f32(z, [x.rows, k])];
    }
    const cols = support.length / nSV;
    if (cols !== x.cols) throw new FormatError(`${node.where}: X has ${x.cols} features; the support vectors have ${cols}`);
    // libsvm's decision values are Σ coef·K − ρ; ONNX adds rho: pass −rho.
    const values = decisionValues(backend(), kernel, matrix(x), { data: Float64Array.from(support), rows: nSV, cols }, perClass,
      Float64Array.from(coefficients.subarray(0, (k - 1) * nSV)), Float64Array.from(rho.slice(0, pairs), (v) => -v));
    const votes = new Int32Array(k);
    const scores = new Float64Array(x.rows * (haveProba ? k : pairs));
    const r2 = new Float64Array(k * k);
    for (let r = 0; r < x.rows; r++) {
      votes.fill(0);
      let p = 0;
      for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++, p++) {
        const v = Math.fround(values[r * pairs + p]);
        votes[v > 0 ? i : j]++;
        if (haveProba) {
          const prob = Math.min(1 - 1e-7, Math.max(1e-7, 1 - logistic(v * probA[p] + probB[p])));
          r2[i * k + j] = prob;
          r2[j * k + i] = 1 - prob;
        } else {
          scores[r * pairs + p] = v;
        }
      }
      let m = 0;
      for (let c = 1; c < k; c++) if (votes[c] > votes[m]) m = c;
      best[r] = m;
      if (haveProba) scores.set(coupleProbabilities(k, r2), r * k);
    }
    if (haveProba) z = finishScores(scores, x.rows, k, transform);
    else if (k <= 2) z = finishScores(scores, x.rows, 1, transform, transform === 'NONE' ? 2 : 0);
    else z = finishScores(scores, x.rows, pairs, transform);
    return [labels.tensor(best), Value.f32(z, [x.rows, z.length / x.rows])];
  };
}

function svmRegressor(node: NodeInfo): NodeRun {
  const a = node.attrs;
  const nSV = a.int('n_supports', 0);
  const coefficients = Float32Array.from(a.required(a.floats('coefficients'), 'coefficients'));
  const rho = a.floats('rho', [0]);
  const oneClass = a.int('one_class', 0) === 1;
  const transform = a.oneOf<PostTransform>('post_transform', 'NONE', POST_TRANSFORMS);
  const kernel = kernelOf(a, node.where);
  const support = Float32Array.from(a.floats('support_vectors', []));
  if (nSV > 0 && (support.length % nSV !== 0 || coefficients.length < nSV)) throw new FormatError(`${node.where}: support_vectors and coefficients do not fit ${nSV} support vectors`);
  return (inputs) => {
    const x = featureRows(node, inputs);
    let scores: Float64Array;
    if (nSV > 0) {
      const cols = support.length / nSV;
      if (cols !== x.cols) throw new FormatError(`${node.where}: X has ${x.cols} features; the support vectors have ${cols}`);
      scores = new Float64Array(x.rows);
      const be = backend();
      be.scoped((alloc) => kernelBlocks(be, alloc, kernel, matrix(x), { data: Float64Array.from(support), rows: nSV, cols }, (kptr, start, count) => {
        const K = readF64(be, kptr, count * nSV);
        for (let r = 0; r < count; r++) {
          let s = 0;
          for (let v = 0; v < nSV; v++) s += coefficients[v] * K[r * nSV + v];
          scores[start + r] = s + (rho[0] ?? 0);
        }
      }));
    } else {
      if (coefficients.length !== x.cols) throw new FormatError(`${node.where}: ${coefficients.length} coefficients for ${x.cols} features`);
      scores = linearDots(x, coefficients, 1, rho[0] ?? 0);
    }
    if (oneClass) for (let i = 0; i < scores.length; i++) scores[i] = scores[i] > 0 ? 1 : -1;
    return [Value.f32(finishScores(scores, x.rows, 1, transform), [x.rows, 1])];
  };
}

export const SVM: OperatorTable = {
  SVMClassifier: svmClassifier,
  SVMRegressor: svmRegressor,
};
