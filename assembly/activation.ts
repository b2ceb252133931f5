// Activations fused with the bias add, forward and backward, over rows of a row-major matrix.
// A dense or convolution layer runs its GEMM and then one pass of biasActivation over the
// result, so the output is read and written once; backward turns dL/dy into dL/dz (z the
// pre-activation) with the forward output y alone. Rows rowStart ≤ i < rowEnd, so the pool
// splits the work by rows. Codes are shared with src/layers/activations.ts.
import { activate, derivative } from './activation-functions';
import { Activation } from './codes';
import { softmaxRows, sigmoid, tanh } from './elementwise';


/**
 * y[i, :] = f(y[i, :] + bias) in place; bias may be 0 (none). Softmax is over each row. When z ≠ 0
 * the pre-activation is kept there too (for the activations whose derivative needs it).
 */
export function biasActivation(y: usize, bias: usize, cols: i32, activation: i32, z: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = y + (<usize>i * cols << 2);
    if (bias != 0) {
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
      }
    }
    if (z != 0) memory.copy(z + (<usize>i * cols << 2), row, <usize>cols << 2);
    if (activation == Activation.Softmax) softmaxRows(row, row, cols, 0, 1);
    else activateRun(row, cols, activation);
  }
}

/**
 * f(x) in place over n consecutive values, for every activation but softmax (which needs a whole
 * row): biasActivation's pass, and the GEMM's epilogue when it applies the activation to each
 * block of C as it finishes it (gemm.ts normalizeBlock) — the same operations either way.
 */
export function activateRun(x: usize, n: i32, activation: i32): void {
  if (activation == Activation.Sigmoid) sigmoid(x, x, n);
  else if (activation == Activation.Tanh) tanh(x, x, n);
  else if (activation == Activation.Relu) {
    const zero = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(x + o, f32x4.pmax(v128.load(x + o), zero));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(x + o);
      store<f32>(x + o, v > 0 ? v : 0);
    }
  } else if (activation == Activation.Elu) {
    // elu(z) = z for z > 0, e^z − 1 otherwise (α = 1, as Keras' 'elu').
    for (let j = 0; j < n; j++) {
      const o = x + (<usize>j << 2);
      const v = load<f32>(o);
      if (v <= 0) store<f32>(o, Mathf.expm1(v));
    }
  } else if (activation >= Activation.Relu6) {
    for (let j = 0; j < n; j++) {
      const o = x + (<usize>j << 2);
      store<f32>(o, activate(activation, load<f32>(o)));
    }
  }
}

/**
 * dz = dL/dz from dy = dL/dy and the forward output y; dz may alias dy.
 *   sigmoid: dy·y(1 − y)   tanh: dy(1 − y²)   relu: dy where y > 0   elu: dy where y > 0, dy(y + 1) else
 *   softmax: y ⊙ (dy − ⟨dy, y⟩) per row (the Jacobian diag(y) − y yᵀ applied to dy)
 *   the others: dy · f′ (activation-functions.ts), from the pre-activation z where it is needed
 *   (z = 0 otherwise)
 */
export function activationBackward(
  activation: i32, y: usize, dy: usize, dz: usize, cols: i32, z: usize, rowStart: i32, rowEnd: i32,
): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let i = rowStart; i < rowEnd; i++) {
    const off = <usize>i * cols << 2;
    const yr = y + off, dyr = dy + off, dzr = dz + off;
    if (activation == Activation.Softmax) {
      let dot: f32 = 0;
      for (let j = 0; j < cols; j++) dot += load<f32>(dyr + (<usize>j << 2)) * load<f32>(yr + (<usize>j << 2));
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 2;
        store<f32>(dzr + o, load<f32>(yr + o) * (load<f32>(dyr + o) - dot));
      }
      continue;
    }
    let j = 0;
    if (activation == Activation.Linear) {
      if (dz != dy) memory.copy(dzr, dyr, <usize>cols << 2);
      continue;
    }
    if (activation >= Activation.Relu6) {
      const zr = z + off;
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        const pre: f32 = z != 0 ? load<f32>(zr + o) : 0;
        store<f32>(dzr + o, load<f32>(dyr + o) * derivative(activation, pre, load<f32>(yr + o)));
      }
      continue;
    }
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const s = v128.load(yr + o), g = v128.load(dyr + o);
      let r: v128;
      if (activation == Activation.Sigmoid) r = f32x4.mul(g, f32x4.mul(s, f32x4.sub(one, s)));
      else if (activation == Activation.Tanh) r = f32x4.mul(g, f32x4.sub(one, f32x4.mul(s, s)));
      else if (activation == Activation.Relu) r = v128.and(g, f32x4.gt(s, zero));
      else {
        const positive = f32x4.gt(s, zero);
        r = v128.bitselect(g, f32x4.mul(g, f32x4.add(s, one)), positive);
      }
      v128.store(dzr + o, r);
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const s = load<f32>(yr + o), g = load<f32>(dyr + o);
      let r: f32;
      if (activation == Activation.Sigmoid) r = g * (s * (1 - s));
      else if (activation == Activation.Tanh) r = g * (1 - s * s);
      else if (activation == Activation.Relu) r = s > 0 ? g : 0;
      else r = s > 0 ? g : g * (s + 1);
      store<f32>(dzr + o, r);
    }
  }
}
