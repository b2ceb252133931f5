// LSTM, GRU and RNN as ONNX defines them (Operators.md): gates iofc (LSTM), zrh (GRU), forward,
// reverse or bidirectional, sequence_lens, initial states, peepholes, clip, layout 0 / 1 and the
// activation list. Every step's input projection X·Wᵀ runs as one GEMM per direction; the
// recurrence steps through time in f64.
import { FormatError, ShapeError } from '../../errors.js';
import { exp, log1p, tanh } from '../../elementary.js';
import { gemmArrays } from '../kernels.js';
import { dimsText, floatInput, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { Value, type Numbers } from '../value.js';
import { sigmoid } from './activations.js';

type Kind = 'LSTM' | 'GRU' | 'RNN';
type Fn = (x: number) => number;

/** Each cell's default activations (f, g, h as ONNX names them) and its gates: iofc, zrh, one. */
const DEFAULTS: Record<Kind, string[]> = { LSTM: ['Sigmoid', 'Tanh', 'Tanh'], GRU: ['Sigmoid', 'Tanh'], RNN: ['Tanh'] };
const GATE_NAMES: Record<Kind, string> = { LSTM: 'iofc', GRU: 'zrh', RNN: 'h' };

function activationOf(node: NodeInfo, name: string, alpha: number | undefined, beta: number | undefined): Fn {
  switch (name.toLowerCase()) {
    case 'sigmoid': return sigmoid;
    case 'tanh': return tanh;
    case 'relu': return (x) => Math.max(0, x);
    case 'hardsigmoid': { const a = alpha ?? 0.2, b = beta ?? 0.5; return (x) => Math.max(0, Math.min(1, a * x + b)); }
    case 'leakyrelu': { const a = alpha ?? 0.01; return (x) => (x >= 0 ? x : a * x); }
    case 'thresholdedrelu': { const a = alpha ?? 1; return (x) => (x > a ? x : 0); }
    case 'scaledtanh': { const a = alpha ?? 1, b = beta ?? 1; return (x) => a * tanh(b * x); }
    case 'affine': { const a = alpha ?? 1, b = beta ?? 0; return (x) => a * x + b; }
    case 'elu': { const a = alpha ?? 1; return (x) => (x >= 0 ? x : a * (exp(x) - 1)); }
    case 'softsign': return (x) => x / (1 + Math.abs(x));
    case 'softplus': return (x) => (x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)));
    default: throw new FormatError(`${node.where}: the activation '${name}' is not supported`);
  }
}

function recurrent(kind: Kind) {
  return (node: NodeInfo): NodeRun => {
    const a = node.attrs;
    const direction = a.oneOf('direction', 'forward', ['forward', 'reverse', 'bidirectional']);
    const dirs = direction === 'bidirectional' ? 2 : 1;
    const perDir = DEFAULTS[kind].length;
    const names = a.strings('activations', [...DEFAULTS[kind], ...(dirs === 2 ? DEFAULTS[kind] : [])]);
    if (names.length !== perDir * dirs) throw new FormatError(`${node.where}: activations lists ${names.length} functions; ${kind} needs ${perDir * dirs}`);
    const alphas = a.floats('activation_alpha', []), betas = a.floats('activation_beta', []);
    const fns = names.map((n, i) => activationOf(node, n, alphas[i], betas[i]));
    const clip = a.float('clip');
    const layout = a.int('layout', 0);
    const inputForget = a.int('input_forget', 0) === 1;
    const linearBeforeReset = a.int('linear_before_reset', 0) !== 0;
    const G = GATE_NAMES[kind].length;
    return (inputs) => {
      const X = floatInput(node, inputs, 0, 'X'), W = floatInput(node, inputs, 1, 'W'), R = floatInput(node, inputs, 2, 'R');
      if (X.dims.length !== 3) throw new ShapeError(`${node.where}: X must be 3-d; it is ${dimsText(X.dims)}`);
      const [seq, batch, size] = layout === 0 ? X.dims : [X.dims[1], X.dims[0], X.dims[2]];
      const hidden = a.int('hidden_size', R.dims[2]);
      if (W.dims.join() !== [dirs, G * hidden, size].join() || R.dims.join() !== [dirs, G * hidden, hidden].join()) {
        throw new ShapeError(`${node.where}: W ${dimsText(W.dims)} and R ${dimsText(R.dims)} must be [${dirs}, ${G * hidden}, ${size}] and [${dirs}, ${G * hidden}, ${hidden}]`);
      }
      const B = inputs[3]?.data as Numbers | undefined;
      const lens = inputs[4] ? inputs[4].numbers() : new Array<number>(batch).fill(seq);
      const h0 = inputs[5]?.data as Numbers | undefined, c0 = inputs[6]?.data as Numbers | undefined;
      const P = kind === 'LSTM' ? (inputs[7]?.data as Numbers | undefined) : undefined;
      // X as [seq, batch, size] rows, whatever the layout.
      const xs = new Float32Array(seq * batch * size);
      const xsrc = X.f32;
      for (let t = 0; t < seq; t++) for (let b = 0; b < batch; b++) {
        const from = layout === 0 ? (t * batch + b) * size : (b * seq + t) * size;
        xs.set(xsrc.subarray(from, from + size), (t * batch + b) * size);
      }
      const Y = new Float32Array(seq * dirs * batch * hidden);
      const Yh = new Float32Array(dirs * batch * hidden), Yc = new Float32Array(dirs * batch * hidden);
      for (let d = 0; d < dirs; d++) {
        const reverse = direction === 'reverse' || d === 1;
        const f = fns[d * perDir], g = fns[d * perDir + 1], h = fns[d * perDir + 2];
        const w = W.f32.subarray(d * G * hidden * size, (d + 1) * G * hidden * size);
        const r = R.f32.subarray(d * G * hidden * hidden, (d + 1) * G * hidden * hidden);
        // All steps' X·Wᵀ at once: [seq·batch, G·hidden].
        const xw = gemmArrays(node.weights, { m: seq * batch, n: G * hidden, k: size, a: xs, b: w, transA: false, transB: true, bConstant: false }).read();
        const bias = new Float64Array(2 * G * hidden);
        if (B) for (let i = 0; i < 2 * G * hidden; i++) bias[i] = B[d * 2 * G * hidden + i];
        for (let bIdx = 0; bIdx < batch; bIdx++) {
          const hPrev = new Float64Array(hidden), cPrev = new Float64Array(hidden);
          if (h0) for (let j = 0; j < hidden; j++) hPrev[j] = h0[(d * batch + bIdx) * hidden + j];
          if (c0) for (let j = 0; j < hidden; j++) cPrev[j] = c0[(d * batch + bIdx) * hidden + j];
          const len = lens[bIdx];
          const gates = new Float64Array(G * hidden), rec = new Float64Array(G * hidden);
          const hNext = new Float64Array(hidden), reset = new Float64Array(hidden), candidate = new Float64Array(hidden);
          const clamp = (v: number) => (clip === undefined ? v : Math.max(-clip, Math.min(clip, v)));
          for (let s = 0; s < len; s++) {
            const t = reverse ? len - 1 - s : s;
            const row = (t * batch + bIdx) * G * hidden;
            // gates = X_t·Wᵀ + Wb; rec = H_{t-1}·Rᵀ + Rb
            for (let q = 0; q < G * hidden; q++) {
              let sum = 0;
              const base = q * hidden;
              for (let j = 0; j < hidden; j++) sum += hPrev[j] * r[base + j];
              rec[q] = sum + bias[G * hidden + q];
              gates[q] = xw[row + q] + bias[q];
            }
            if (kind === 'GRU') {
              for (let k = 0; k < hidden; k++) reset[k] = f(clamp(gates[hidden + k] + rec[hidden + k]));
              for (let j = 0; j < hidden; j++) {
                if (linearBeforeReset) {
                  candidate[j] = g(clamp(gates[2 * hidden + j] + reset[j] * rec[2 * hidden + j]));
                } else {
                  // (r ⊙ H_{t-1})·Rhᵀ + Rbh
                  let sum = 0;
                  const base = (2 * hidden + j) * hidden;
                  for (let k = 0; k < hidden; k++) sum += reset[k] * hPrev[k] * r[base + k];
                  candidate[j] = g(clamp(gates[2 * hidden + j] + sum + bias[G * hidden + 2 * hidden + j]));
                }
              }
            }
            for (let j = 0; j < hidden; j++) {
              if (kind === 'LSTM') {
                const pi = P ? P[d * 3 * hidden + j] : 0, po = P ? P[d * 3 * hidden + hidden + j] : 0, pf = P ? P[d * 3 * hidden + 2 * hidden + j] : 0;
                const i = f(clamp(gates[j] + rec[j] + pi * cPrev[j]));
                const fg = inputForget ? 1 - i : f(clamp(gates[2 * hidden + j] + rec[2 * hidden + j] + pf * cPrev[j]));
                const c = g(clamp(gates[3 * hidden + j] + rec[3 * hidden + j]));
                const cNew = fg * cPrev[j] + i * c;
                const o = f(clamp(gates[hidden + j] + rec[hidden + j] + po * cNew));
                hNext[j] = o * h(cNew);
                cPrev[j] = cNew;
              } else if (kind === 'GRU') {
                const z = f(clamp(gates[j] + rec[j]));
                hNext[j] = (1 - z) * candidate[j] + z * hPrev[j];
              } else {
                hNext[j] = f(clamp(gates[j] + rec[j]));
              }
            }
            hPrev.set(hNext);
            for (let j = 0; j < hidden; j++) Y[((t * dirs + d) * batch + bIdx) * hidden + j] = hPrev[j];
          }
          for (let j = 0; j < hidden; j++) {
            Yh[(d * batch + bIdx) * hidden + j] = hPrev[j];
            Yc[(d * batch + bIdx) * hidden + j] = cPrev[j];
          }
        }
      }
      const outY = layout === 0 ? Value.f32(Y, [seq, dirs, batch, hidden]) : Value.f32(reorderBatchFirst(Y, seq, dirs, batch, hidden), [batch, seq, dirs, hidden]);
      const stateDims = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
      const state = (s: Float32Array) => (layout === 0 ? s : reorderState(s, dirs, batch, hidden));
      return [outY, Value.f32(state(Yh), stateDims), kind === 'LSTM' ? Value.f32(state(Yc), stateDims) : undefined];
    };
  };
}

function reorderBatchFirst(y: Float32Array, seq: number, dirs: number, batch: number, hidden: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let t = 0; t < seq; t++) for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) {
    out.set(y.subarray(((t * dirs + d) * batch + b) * hidden, ((t * dirs + d) * batch + b + 1) * hidden), ((b * seq + t) * dirs + d) * hidden);
  }
  return out;
}

function reorderState(s: Float32Array, dirs: number, batch: number, hidden: number): Float32Array {
  const out = new Float32Array(s.length);
  for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) out.set(s.subarray((d * batch + b) * hidden, (d * batch + b + 1) * hidden), (b * dirs + d) * hidden);
  return out;
}

export const RECURRENT: OperatorTable = {
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  RNN: recurrent('RNN'),
};
