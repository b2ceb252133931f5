import { expf4 } from '../expf';
import { activationBackward, biasActivation } from '../activation';
import { activate, derivative } from '../activation-functions';
import { Activation } from '../codes';
import { firstNonFinite, sigmoid, softmaxRows, sumRows, tanh } from '../elementwise';
import { at, close, copyBuffer, randomBuffer, randomInt, seedTests, set } from './helpers';

// Every kernel against a naive scalar loop in f64, on odd sizes 1..67 (SIMD body plus tail).

function scaled(p: usize, n: i32, factor: f32): usize {
  for (let i = 0; i < n; i++) set(p, i, at(p, i) * factor);
  return p;
}

describe('activations', () => {
  it('sigmoid matches 1/(1+e^-x), also for |x| large, and its backward pass', () => {
    seedTests(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = randomInt(1, 67);
      const x = scaled(randomBuffer(n), n, 40);
      const y = heap.alloc(<usize>n << 2);
      sigmoid(x, y, n);
      for (let i = 0; i < n; i++) {
        const want = 1 / (1 + Math.exp(-<f64>at(x, i)));
        expect<bool>(close(at(y, i), want, 1e-6, 1e-30)).toBe(true, `sigmoid(${at(x, i)}) = ${at(y, i)}, want ${want}`);
        expect<bool>(isFinite(at(y, i))).toBe(true);
      }
      const dy = randomBuffer(n), dx = heap.alloc(<usize>n << 2);
      activationBackward(Activation.Sigmoid, y, dy, dx, n, 0, 0, 1);
      for (let i = 0; i < n; i++) {
        const s = <f64>at(y, i);
        expect<bool>(close(at(dx, i), <f64>at(dy, i) * s * (1 - s), 1e-6, 1e-12)).toBe(true);
      }
    }
  });

  it('relu and its backward pass (gradient 0 at x ≤ 0)', () => {
    seedTests(12);
    for (let trial = 0; trial < 20; trial++) {
      const n = randomInt(1, 67);
      const x = randomBuffer(n);
      set(x, 0, 0);
      const y = heap.alloc(<usize>n << 2), dy = randomBuffer(n), dx = heap.alloc(<usize>n << 2);
      memory.copy(y, x, <usize>n << 2);
      biasActivation(y, 0, n, Activation.Relu, 0, 0, 1);
      activationBackward(Activation.Relu, y, dy, dx, n, 0, 0, 1);
      for (let i = 0; i < n; i++) {
        expect<f32>(at(y, i)).toBe(at(x, i) > 0 ? at(x, i) : 0);
        expect<f32>(at(dx, i)).toBe(at(x, i) > 0 ? at(dy, i) : 0);
      }
    }
  });

  it('tanh and its backward pass', () => {
    seedTests(13);
    for (let trial = 0; trial < 20; trial++) {
      const n = randomInt(1, 67);
      const x = scaled(randomBuffer(n), n, 10);
      const y = heap.alloc(<usize>n << 2), dy = randomBuffer(n), dx = heap.alloc(<usize>n << 2);
      tanh(x, y, n);
      activationBackward(Activation.Tanh, y, dy, dx, n, 0, 0, 1);
      for (let i = 0; i < n; i++) {
        expect<bool>(close(at(y, i), Math.tanh(<f64>at(x, i)), 1e-6, 1e-7)).toBe(true);
        const t = <f64>at(y, i);
        expect<bool>(close(at(dx, i), <f64>at(dy, i) * (1 - t * t), 1e-5, 1e-7)).toBe(true);
      }
    }
  });

  it('in-place application (y aliasing x) gives the same values', () => {
    seedTests(14);
    const n = 37;
    const x = randomBuffer(n), copy = copyBuffer(x, n), out = heap.alloc(<usize>n << 2);
    sigmoid(copy, out, n);
    sigmoid(x, x, n);
    for (let i = 0; i < n; i++) expect<f32>(at(x, i)).toBe(at(out, i));
  });
});

describe('row kernels', () => {
  it('softmaxRows matches e^x / Σe^x and stays finite for large logits', () => {
    seedTests(21);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(1, 67), cols = randomInt(1, 67);
      const x = scaled(randomBuffer(rows * cols), rows * cols, trial % 2 ? 200 : 3);
      const y = heap.alloc(<usize>(rows * cols) << 2);
      softmaxRows(x, y, cols, 0, rows);
      for (let i = 0; i < rows; i++) {
        let m: f64 = -Infinity;
        for (let j = 0; j < cols; j++) m = Math.max(m, at(x, i * cols + j));
        let sum: f64 = 0;
        for (let j = 0; j < cols; j++) sum += Math.exp(<f64>at(x, i * cols + j) - m);
        let total: f64 = 0;
        for (let j = 0; j < cols; j++) {
          const want = Math.exp(<f64>at(x, i * cols + j) - m) / sum;
          expect<bool>(close(at(y, i * cols + j), want, 2e-5, 1e-7)).toBe(true);
          total += at(y, i * cols + j);
        }
        expect<bool>(close(total, 1, 1e-5, 0)).toBe(true);
      }
    }
  });

  it('biasActivation with the linear activation adds the bias to the rows in range only', () => {
    seedTests(22);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(1, 67), cols = randomInt(1, 67);
      const x = randomBuffer(rows * cols), x0 = copyBuffer(x, rows * cols), bias = randomBuffer(cols);
      const start = randomInt(0, rows), end = randomInt(start, rows);
      biasActivation(x, bias, cols, Activation.Linear, 0, start, end);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const want = i >= start && i < end ? at(x0, i * cols + j) + at(bias, j) : at(x0, i * cols + j);
          expect<f32>(at(x, i * cols + j)).toBe(want);
        }
      }
    }
  });

  it('sumRows (per column) matches naive sums', () => {
    seedTests(23);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(1, 67), cols = randomInt(1, 67);
      const x = randomBuffer(rows * cols);
      const perColumn = heap.alloc(<usize>cols << 2);
      sumRows(x, rows, cols, perColumn);
      for (let j = 0; j < cols; j++) {
        let s: f64 = 0;
        for (let i = 0; i < rows; i++) s += at(x, i * cols + j);
        expect<bool>(close(at(perColumn, j), s, 1e-5, 1e-5)).toBe(true);
      }
    }
  });
});

describe('validation', () => {
  it('firstNonFinite finds the first NaN or ±Infinity at any position, or returns −1', () => {
    seedTests(41);
    for (let n = 1; n <= 67; n++) {
      const x = randomBuffer(n);
      expect<i32>(firstNonFinite(x, n)).toBe(-1);
      const at1 = randomInt(0, n - 1);
      const at2 = randomInt(at1, n - 1);
      const kind = n % 3;
      set(x, at2, Infinity);
      set(x, at1, kind == 0 ? NaN : kind == 1 ? <f32>Infinity : <f32>-Infinity);
      expect<i32>(firstNonFinite(x, n)).toBe(at1);
    }
    const big = randomBuffer(100);
    set(big, 99, 3.4e38);
    expect<i32>(firstNonFinite(big, 100)).toBe(-1);
  });
});

describe('expf4', () => {
  it('is within 2 ulp of e^x over [−87, 88], 0 below and +∞ above the f32 range', () => {
    let worst: f64 = 0;
    for (let i = 0; i <= 200000; i++) {
      const x = <f32>(-87.0 + 175.0 * <f64>i / 200000.0);
      const v = f32x4.extract_lane(expf4(f32x4.splat(x)), 0);
      const exact = Math.exp(<f64>x);
      worst = Math.max(worst, Math.abs(<f64>v - exact) / exact);
    }
    // 2 ulp of f32 is 2 · 2^−23 ≈ 2.4e-7 relative.
    expect<bool>(worst < 2.4e-7).toBe(true);
    expect<f32>(f32x4.extract_lane(expf4(f32x4.splat(-1000)), 0)).toBe(0);
    expect<f32>(f32x4.extract_lane(expf4(f32x4.splat(-87.5)), 0)).toBe(0);
    expect<f32>(f32x4.extract_lane(expf4(f32x4.splat(1000)), 0)).toBe(Infinity);
    expect<bool>(isFinite(f32x4.extract_lane(expf4(f32x4.splat(88.7)), 0))).toBe(true);
    expect<f32>(f32x4.extract_lane(expf4(f32x4.splat(0)), 0)).toBe(1);
  });

  it('each activation of activation-functions.ts has the derivative of its central differences', () => {
    for (let code = Activation.Relu6; code <= Activation.Exponential; code++) {
      for (let k = -12; k <= 12; k++) {
        // Away from the kinks (relu6 at 0 and 6, hardSigmoid at ±2.5).
        const z = <f32>k * 0.29 + 0.013;
        const h: f32 = 1e-2;
        const numeric = (<f64>activate(code, z + h) - <f64>activate(code, z - h)) / (2 * <f64>h);
        const analytic = <f64>derivative(code, z, activate(code, z));
        expect(Math.abs(analytic - numeric) < 2e-3 * (1 + Math.abs(numeric))).toBe(true, `activation ${code} at ${z}: ${analytic} vs ${numeric}`);
      }
    }
  });
});
