// Probabilities for the SVM classifiers, as libsvm computes them (Chang & Lin 2011, §8):
// Platt scaling (Platt 2000) of each one-vs-one decision value, P(a | f) = 1 / (1 + e^(Af + B)),
// with A, B fitted by Newton's method with backtracking (Lin, Lin & Weng, "A note on Platt's
// probabilistic outputs for support vector machines", Machine Learning 2007) on decision values
// from an internal 5-fold cross-validation; then the pairwise probabilities are coupled into one
// distribution per sample (Wu, Lin & Weng, "Probability estimates for multi-class classification
// by pairwise coupling", JMLR 2004, method 2).
import { exp, log } from '../elementary.js';

/** A, B minimising the regularised cross-entropy of the sigmoid (libsvm's sigmoid_train). */
export function sigmoidTrain(dec: Float64Array, positive: Uint8Array): [number, number] {
  const l = dec.length;
  let prior1 = 0, prior0 = 0;
  for (let i = 0; i < l; i++) if (positive[i]) prior1++; else prior0++;
  const maxIter = 100, minStep = 1e-10, sigma = 1e-12, eps = 1e-5;
  const hiTarget = (prior1 + 1) / (prior1 + 2), loTarget = 1 / (prior0 + 2);
  const t = Float64Array.from(positive, (p) => (p ? hiTarget : loTarget));
  let A = 0, B = log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number) => {
    let f = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i] * a + b;
      f += z >= 0 ? t[i] * z + log(1 + exp(-z)) : (t[i] - 1) * z + log(1 + exp(z));
    }
    return f;
  };
  let fval = objective(A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    let h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i] * A + B;
      let p: number, q: number;
      if (z >= 0) {
        p = exp(-z) / (1 + exp(-z));
        q = 1 / (1 + exp(-z));
      } else {
        p = 1 / (1 + exp(z));
        q = exp(z) / (1 + exp(z));
      }
      const d2 = p * q;
      h11 += dec[i] * dec[i] * d2;
      h22 += d2;
      h21 += dec[i] * d2;
      const d1 = t[i] - p;
      g1 += dec[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const newA = A + step * dA, newB = B + step * dB;
      const newf = objective(newA, newB);
      if (newf < fval + 0.0001 * step * gd) {
        A = newA;
        B = newB;
        fval = newf;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break; // the line search failed: keep the last A, B (as libsvm)
  }
  return [A, B];
}

/** P(first class | decision value f) = 1 / (1 + e^(Af + B)), computed without overflow. */
export function sigmoidPredict(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z));
}

/**
 * The class distribution p from pairwise probabilities r[a][b] = P(a | a or b) (k × k,
 * r[b][a] = 1 − r[a][b]): Wu, Lin & Weng's method 2, as libsvm's multiclass_probability.
 */
export function pairwiseCoupling(r: number[][]): number[] {
  const k = r.length;
  const Q = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const p = new Array<number>(k).fill(1 / k);
  const Qp = new Array<number>(k).fill(0);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < t; j++) {
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = Q[j][t];
    }
    for (let j = t + 1; j < k; j++) {
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = -r[j][t] * r[t][j];
    }
  }
  const maxIter = Math.max(100, k), eps = 0.005 / k;
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t][j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}
