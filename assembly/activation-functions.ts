// The elementwise activations beyond the classic ones, one value at a time, as Keras and TF.js
// define them: f(z), and f'(z) from z or from y = f(z). Computed in f64 and rounded once, with
// AssemblyScript's own exp/log/tanh, so every runtime gives the same bits.
import { Activation } from './codes';

/** SELU's constants (Klambauer et al. 2017), as Keras and TF.js use them. */
const SELU_SCALE: f64 = 1.0507009873554805;
const SELU_ALPHA: f64 = 1.6732632423543772;
/** √(2/π) and the cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016). */
const GELU_C: f64 = 0.7978845608028654;
const GELU_K: f64 = 0.044715;

/**
 * erf(x) by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the approximation TF.js' erf kernels
 * use, so GELU agrees with TF.js to f32 rounding.
 */
// @ts-ignore: decorator
@inline
function erf(x: f64): f64 {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = 1 - poly * Math.exp(-x * x);
  return x < 0 ? -r : r;
}

/** log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|). */
// @ts-ignore: decorator
@inline
function softplus(z: f64): f64 {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

// @ts-ignore: decorator
@inline
function sigmoid(z: f64): f64 {
  return 1 / (1 + Math.exp(-z));
}

/** Whether the derivative needs the pre-activation z (y alone does not determine it). */
export function needsPreActivation(activation: i32): bool {
  return activation == Activation.Swish || activation == Activation.Gelu || activation == Activation.GeluTanh || activation == Activation.Mish;
}

/** f(z) for the activations of this file. */
export function activate(activation: i32, zf: f32): f32 {
  const z = <f64>zf;
  let y: f64 = z;
  switch (activation) {
    case Activation.Relu6: y = Math.min(Math.max(z, 0), 6); break;
    case Activation.Selu: y = z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * Math.expm1(z); break;
    case Activation.Softplus: y = softplus(z); break;
    case Activation.Softsign: y = z / (1 + Math.abs(z)); break;
    case Activation.Swish: y = z * sigmoid(z); break;
    case Activation.Gelu: y = 0.5 * z * (1 + erf(z / Math.SQRT2)); break;
    case Activation.GeluTanh: y = 0.5 * z * (1 + Math.tanh(GELU_C * (z + GELU_K * z * z * z))); break;
    // Keras 2's and TF.js' piecewise-linear sigmoid: clip(0.2 z + 0.5, 0, 1).
    case Activation.HardSigmoid: y = Math.min(Math.max(0.2 * z + 0.5, 0), 1); break;
    case Activation.Mish: y = z * Math.tanh(softplus(z)); break;
    case Activation.Exponential: y = Math.exp(z); break;
  }
  return <f32>y;
}

/** f'(z), from z (when needsPreActivation) or from y = f(z). */
export function derivative(activation: i32, zf: f32, yf: f32): f32 {
  const z = <f64>zf, y = <f64>yf;
  let d: f64 = 1;
  switch (activation) {
    case Activation.Relu6: d = y > 0 && y < 6 ? 1 : 0; break;
    // z > 0 exactly when y > 0; below, f' = scale·α·e^z = y + scale·α.
    case Activation.Selu: d = y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA; break;
    // σ(z) = 1 − e^−y.
    case Activation.Softplus: d = -Math.expm1(-y); break;
    // 1 / (1 + |z|)² = (1 − |y|)².
    case Activation.Softsign: { const a = 1 - Math.abs(y); d = a * a; break; }
    case Activation.Swish: { const s = sigmoid(z); d = s * (1 + z * (1 - s)); break; }
    case Activation.Gelu: d = 0.5 * (1 + erf(z / Math.SQRT2)) + z * Math.exp(-0.5 * z * z) * 0.3989422804014327; break;
    case Activation.GeluTanh: {
      const t = Math.tanh(GELU_C * (z + GELU_K * z * z * z));
      d = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * z * z);
      break;
    }
    case Activation.HardSigmoid: d = y > 0 && y < 1 ? 0.2 : 0; break;
    case Activation.Mish: { const t = Math.tanh(softplus(z)); d = t + z * (1 - t * t) * sigmoid(z); break; }
    case Activation.Exponential: d = y; break;
  }
  return <f32>d;
}
