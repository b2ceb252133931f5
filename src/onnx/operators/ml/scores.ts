// What ai.onnx.ml's classifiers do to their raw scores (post_transform: NONE, LOGISTIC, SOFTMAX,
// SOFTMAX_ZERO, PROBIT) and how a binary classifier with one score column writes two, as
// onnxruntime does (its ml_common.h): the reference every converter's output is checked against.
import { exp, log } from '../../../elementary.js';

const sqrt = Math.sqrt;

export type PostTransform = 'NONE' | 'LOGISTIC' | 'SOFTMAX' | 'SOFTMAX_ZERO' | 'PROBIT';
export const POST_TRANSFORMS: readonly PostTransform[] = ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'];

/** 1 / (1 + e^−|v|), mirrored for v < 0. */
export const logistic = (v: number): number => {
  const s = 1 / (1 + exp(-Math.abs(v)));
  return v < 0 ? 1 - s : s;
};

/**
 * The inverse error function by Winitzki's approximation with a = 0.147 (relative error below
 * 2e-3), as onnxruntime computes PROBIT, then one Newton step on erf is not taken: the converters'
 * reference is onnxruntime, and its values are these.
 */
function erfInv(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const l = log((1 - x) * (1 + x));
  const v = 2 / (3.14159 * 0.147) + 0.5 * l;
  const v2 = (1 / 0.147) * l;
  return sign * sqrt(-v + sqrt(v * v - v2));
}

export const probit = (v: number): number => 1.41421356 * erfInv(2 * v - 1);

function softmax(row: Float64Array, zero: boolean): void {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  const expNegMax = exp(-max);
  for (let i = 0; i < row.length; i++) {
    if (zero && Math.abs(row[i]) <= 1e-7) {
      row[i] *= expNegMax;
      continue;
    }
    row[i] = exp(row[i] - max);
    sum += row[i];
  }
  for (let i = 0; i < row.length; i++) row[i] /= sum;
}

/**
 * Applies post_transform to each row of `k` scores; with one score (k = 1) and `second` ≥ 0, writes
 * two columns as onnxruntime does: [1 − s, s] (0, 1: all weights positive) or [−s, s] / logistic of
 * both (2, 3: mixed weights). Returns rows × (1 or 2 or k) float32 scores.
 */
export function finishScores(scores: Float64Array, rows: number, k: number, transform: PostTransform, second = -1): Float32Array {
  if (k > 1) {
    const out = new Float32Array(rows * k);
    const row = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      row.set(scores.subarray(r * k, (r + 1) * k));
      if (transform === 'SOFTMAX' || transform === 'SOFTMAX_ZERO') softmax(row, transform === 'SOFTMAX_ZERO');
      else if (transform === 'LOGISTIC') for (let i = 0; i < k; i++) row[i] = logistic(row[i]);
      else if (transform === 'PROBIT') for (let i = 0; i < k; i++) row[i] = probit(row[i]);
      out.set(row, r * k);
    }
    return out;
  }
  if (transform === 'PROBIT' || second < 0) return Float32Array.from(scores.subarray(0, rows), transform === 'PROBIT' ? probit : (v) => v);
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    // The score as float32 first, as onnxruntime holds it.
    const raw = Math.fround(scores[r]);
    if (second <= 1) {
      // All weights positive: the score (after LOGISTIC, if asked) is the second class's probability.
      const s = transform === 'LOGISTIC' ? logistic(raw) : raw;
      out[2 * r] = 1 - s;
      out[2 * r + 1] = s;
    } else if (transform === 'LOGISTIC') {
      out[2 * r] = logistic(-raw);
      out[2 * r + 1] = logistic(raw);
    } else {
      out[2 * r] = -raw;
      out[2 * r + 1] = raw;
    }
  }
  return out;
}
