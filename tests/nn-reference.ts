// An independent f64 reference of the layers and losses, written from the formulas (plain loops,
// no WebAssembly, nothing shared with src/): forward passes and mean losses, for finite-difference
// gradient checks. Per-sample shapes as in Keras, channels last.

export interface RefLayer {
  className: string;
  activation?: string;
  units?: number;
  filters?: number;
  kernelSize?: [number, number];
  poolSize?: [number, number];
  strides?: [number, number];
  padding?: 'valid' | 'same';
  useBias?: boolean;
  targetShape?: readonly number[];
  rate?: number;
  /** ReLU, LeakyReLU, ELU, ThresholdedReLU. */
  maxValue?: number;
  negativeSlope?: number;
  threshold?: number;
  alpha?: number;
  theta?: number;
  /** Rescaling. */
  scale?: number;
  offset?: number;
  maskValue?: number;
  /** UpSampling2D factors and interpolation. */
  size?: [number, number];
  interpolation?: string;
  /** Conv2D, DepthwiseConv2D, SeparableConv2D: the spacing of the kernel's taps. */
  dilationRate?: [number, number];
  /** DepthwiseConv2D: filters per input channel. */
  depthMultiplier?: number;
  /** Conv2D, Conv1D: channel groups (filter q sees only the channels of its group). */
  groups?: number;
  /** BatchNormalization. */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /** GlobalAveragePooling2D / GlobalMaxPooling2D, ZeroPadding2D / Cropping2D ([[top, bottom], [left, right]]). */
  edges?: [[number, number], [number, number]];
  inputShape: readonly number[];
  outputShape: readonly number[];
}

type A = Float64Array;

function activate(x: A, kind: string | undefined, lastDim: number): A {
  const y = new Float64Array(x.length);
  if (kind === 'softmax') {
    for (let r = 0; r < x.length / lastDim; r++) {
      let m = -Infinity;
      for (let j = 0; j < lastDim; j++) m = Math.max(m, x[r * lastDim + j]);
      let s = 0;
      for (let j = 0; j < lastDim; j++) s += Math.exp(x[r * lastDim + j] - m);
      for (let j = 0; j < lastDim; j++) y[r * lastDim + j] = Math.exp(x[r * lastDim + j] - m) / s;
    }
    return y;
  }
  for (let i = 0; i < x.length; i++) y[i] = activation(kind, x[i]);
  return y;
}

/** erf by its Maclaurin series (exact to f64 rounding for the |x| < 5 the tests see; ±1 beyond). */
function erf(x: number): number {
  if (Math.abs(x) >= 5) return Math.sign(x);
  let term = x, sum = x;
  for (let n = 1; n < 120; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** One activation of one value, from its definition (Keras, TF.js; SELU by Klambauer et al. 2017). */
function activation(kind: string | undefined, v: number): number {
  switch (kind) {
    case 'sigmoid': return sigmoid(v);
    case 'relu': return Math.max(0, v);
    case 'tanh': return Math.tanh(v);
    case 'elu': return v > 0 ? v : Math.expm1(v);
    case 'relu6': return Math.min(Math.max(v, 0), 6);
    case 'selu': return 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v));
    case 'softplus': return softplus(v);
    case 'softsign': return v / (1 + Math.abs(v));
    case 'swish': return v * sigmoid(v);
    case 'gelu': return 0.5 * v * (1 + erf(v / Math.SQRT2));
    case 'geluNew': return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    case 'hardSigmoid': return Math.min(Math.max(0.2 * v + 0.5, 0), 1);
    case 'mish': return v * Math.tanh(softplus(v));
    case 'exponential': return Math.exp(v);
    default: return v;
  }
}

function axis(size: number, window: number, stride: number, padding: string): [number, number] {
  if (padding === 'valid') return [Math.floor((size - window) / stride) + 1, 0];
  const out = Math.ceil(size / stride);
  return [out, Math.floor(Math.max((out - 1) * stride + window - size, 0) / 2)];
}

/** One layer over n samples; weights [kernel, bias?] in Keras layout. */
/** `training`: batch normalization with the batch's statistics (as a training step computes it). */
export function refLayer(layer: RefLayer, x: A, n: number, weights: A[], training = false): A {
  const inSize = layer.inputShape.reduce((a, b) => a * b, 1);
  switch (layer.className) {
    case 'Dense': {
      const din = layer.inputShape[layer.inputShape.length - 1];
      const units = layer.units!;
      const rows = (n * inSize) / din;
      const z = new Float64Array(rows * units);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) {
          let s = weights[1] ? weights[1][j] : 0;
          for (let p = 0; p < din; p++) s += x[r * din + p] * weights[0][p * units + j];
          z[r * units + j] = s;
        }
      }
      return activate(z, layer.activation, units);
    }
    case 'Conv2D': {
      const [h, w, c] = layer.inputShape;
      const [kh, kw] = layer.kernelSize!;
      const [sh, sw] = layer.strides!;
      const f = layer.filters!;
      const [dh, dw] = layer.dilationRate ?? [1, 1];
      const groups = layer.groups ?? 1;
      const [oh, pt] = axis(h, (kh - 1) * dh + 1, sh, layer.padding!);
      const [ow, pl] = axis(w, (kw - 1) * dw + 1, sw, layer.padding!);
      const z = new Float64Array(n * oh * ow * f);
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            for (let q = 0; q < f; q++) {
              let s = weights[1] ? weights[1][q] : 0;
              for (let ky = 0; ky < kh; ky++) {
                for (let kx = 0; kx < kw; kx++) {
                  const iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dw;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                  // Filter q belongs to group ⌊q / (f / groups)⌋ and reads that group's c / groups channels.
                  const cg = c / groups, first = Math.floor(q / (f / groups)) * cg;
                  for (let ch = 0; ch < cg; ch++) s += x[((b * h + iy) * w + ix) * c + first + ch] * weights[0][((ky * kw + kx) * cg + ch) * f + q];
                }
              }
              z[((b * oh + oy) * ow + ox) * f + q] = s;
            }
          }
        }
      }
      return activate(z, layer.activation, f);
    }
    case 'Conv2DTranspose': {
      // Each input pixel adds kernel[ky, kx, f, c] · x[iy, ix, c] to output (iy·s + ky − pad, ix·s + kx − pad, f),
      // pad being that of the convolution from the output back to the input.
      const [h, w, c] = layer.inputShape;
      const [kh, kw] = layer.kernelSize!, [sh, sw] = layer.strides!;
      const f = layer.filters!;
      const [oh, ow] = [layer.padding === 'same' ? h * sh : (h - 1) * sh + kh, layer.padding === 'same' ? w * sw : (w - 1) * sw + kw];
      const [, pt] = axis(oh, kh, sh, layer.padding!), [, pl] = axis(ow, kw, sw, layer.padding!);
      const z = new Float64Array(n * oh * ow * f);
      for (let b = 0; b < n; b++) for (let i = 0; i < oh * ow; i++) for (let q = 0; q < f; q++) z[(b * oh * ow + i) * f + q] = weights[1] ? weights[1][q] : 0;
      for (let b = 0; b < n; b++) {
        for (let iy = 0; iy < h; iy++) {
          for (let ix = 0; ix < w; ix++) {
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                const oy = iy * sh + ky - pt, ox = ix * sw + kx - pl;
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                for (let q = 0; q < f; q++) {
                  let s2 = 0;
                  for (let ch = 0; ch < c; ch++) s2 += x[((b * h + iy) * w + ix) * c + ch] * weights[0][((ky * kw + kx) * f + q) * c + ch];
                  z[((b * oh + oy) * ow + ox) * f + q] += s2;
                }
              }
            }
          }
        }
      }
      return activate(z, layer.activation, f);
    }
    case 'Conv1D': {
      // y[t, f] = bias[f] + Σ_{j,c} x[t·s + j·d − pad, c] · kernel[j, c, f]; causal: all the padding before the sequence.
      const [steps, c] = layer.inputShape;
      const k = layer.kernelSize![1], s1 = layer.strides![1], d = layer.dilationRate?.[1] ?? 1, f = layer.filters!;
      const extent = (k - 1) * d + 1;
      const causal = (layer as { causal?: boolean }).causal === true;
      const [out, pad] = causal ? [Math.floor((steps - 1) / s1) + 1, extent - 1] : axis(steps, extent, s1, layer.padding!);
      const z = new Float64Array(n * out * f);
      for (let b = 0; b < n; b++) {
        for (let t = 0; t < out; t++) {
          for (let q = 0; q < f; q++) {
            let sum = weights[1] ? weights[1][q] : 0;
            for (let j = 0; j < k; j++) {
              const at = t * s1 + j * d - pad;
              if (at < 0 || at >= steps) continue;
              const groups = layer.groups ?? 1, cg = c / groups, first = Math.floor(q / (f / groups)) * cg;
              for (let ch = 0; ch < cg; ch++) sum += x[(b * steps + at) * c + first + ch] * weights[0][(j * cg + ch) * f + q];
            }
            z[(b * out + t) * f + q] = sum;
          }
        }
      }
      return activate(z, layer.activation, f);
    }
    case 'SeparableConv2D': {
      // The depthwise convolution (no bias), then a 1×1 convolution with the bias and the activation.
      const [h, w, c] = layer.inputShape;
      const mult = layer.depthMultiplier!;
      const depthwise = refLayer({ ...layer, className: 'DepthwiseConv2D', activation: 'linear', inputShape: layer.inputShape, outputShape: [] }, x, n, [weights[0]], training);
      const [dh, dw] = layer.dilationRate ?? [1, 1];
      const [oh] = axis(h, (layer.kernelSize![0] - 1) * dh + 1, layer.strides![0], layer.padding!);
      const [ow] = axis(w, (layer.kernelSize![1] - 1) * dw + 1, layer.strides![1], layer.padding!);
      return refLayer({ ...layer, className: 'Conv2D', kernelSize: [1, 1], strides: [1, 1], dilationRate: [1, 1], padding: 'valid', inputShape: [oh, ow, c * mult], outputShape: layer.outputShape }, depthwise, n, weights.slice(1), training);
    }
    case 'DepthwiseConv2D': {
      // Output channel ch·M + m: input channel ch through its own filter m.
      const [h, w, c] = layer.inputShape;
      const [kh, kw] = layer.kernelSize!;
      const [sh, sw] = layer.strides!;
      const mult = layer.depthMultiplier!;
      const [dh, dw] = layer.dilationRate ?? [1, 1];
      const [oh, pt] = axis(h, (kh - 1) * dh + 1, sh, layer.padding!);
      const [ow, pl] = axis(w, (kw - 1) * dw + 1, sw, layer.padding!);
      const z = new Float64Array(n * oh * ow * c * mult);
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            for (let ch = 0; ch < c; ch++) {
              for (let m = 0; m < mult; m++) {
                let s = weights[1] ? weights[1][ch * mult + m] : 0;
                for (let ky = 0; ky < kh; ky++) {
                  for (let kx = 0; kx < kw; kx++) {
                    const iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dw;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    s += x[((b * h + iy) * w + ix) * c + ch] * weights[0][((ky * kw + kx) * c + ch) * mult + m];
                  }
                }
                z[((b * oh + oy) * ow + ox) * c * mult + ch * mult + m] = s;
              }
            }
          }
        }
      }
      return activate(z, layer.activation, c * mult);
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      // One-row images.
      return refLayer({ ...layer, className: layer.className.replace('1D', '2D'), inputShape: [1, ...layer.inputShape], outputShape: layer.outputShape }, x, n, weights, training);
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
      return refLayer({ ...layer, className: layer.className.replace('1D', '2D'), inputShape: [1, ...layer.inputShape], outputShape: layer.outputShape }, x, n, weights, training);
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      // The window's maximum, or its mean over the positions inside the image.
      const average = layer.className === 'AveragePooling2D';
      const [h, w, c] = layer.inputShape;
      const [ph, pw] = layer.poolSize!;
      const [sh, sw] = layer.strides!;
      const [oh, pt] = axis(h, ph, sh, layer.padding!);
      const [ow, pl] = axis(w, pw, sw, layer.padding!);
      const y = new Float64Array(n * oh * ow * c);
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            for (let ch = 0; ch < c; ch++) {
              let m = -Infinity, sum = 0, count = 0;
              for (let ky = 0; ky < ph; ky++) {
                for (let kx = 0; kx < pw; kx++) {
                  const iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                  const v = x[((b * h + iy) * w + ix) * c + ch];
                  m = Math.max(m, v);
                  sum += v;
                  count++;
                }
              }
              y[((b * oh + oy) * ow + ox) * c + ch] = average ? sum / count : m;
            }
          }
        }
      }
      return y;
    }
    case 'Activation':
      return activate(x, layer.activation, layer.inputShape[layer.inputShape.length - 1]);
    case 'Softmax': {
      // Over axis a (counting the batch axis): each line of the tensor seen as [outer, len, inner].
      const dims = layer.inputShape, axis = (layer as { axis?: number }).axis ?? -1;
      const at = (axis < 0 ? dims.length + 1 + axis : axis) - 1;
      const len = dims[at], inner = dims.slice(at + 1).reduce((p, q) => p * q, 1);
      const y = new Float64Array(x.length);
      for (let line = 0; line < x.length / len; line++) {
        const base = Math.floor(line / inner) * len * inner + (line % inner);
        const at_ = (k: number) => base + k * inner;
        let m = -Infinity;
        for (let k = 0; k < len; k++) m = Math.max(m, x[at_(k)]);
        let sum = 0;
        for (let k = 0; k < len; k++) sum += Math.exp(x[at_(k)] - m);
        for (let k = 0; k < len; k++) y[at_(k)] = Math.exp(x[at_(k)] - m) / sum;
      }
      return y;
    }
    // Keras' definitions of its rectifier layers.
    case 'ReLU': {
      const max = layer.maxValue ?? Infinity, slope = layer.negativeSlope ?? 0, t = layer.threshold ?? 0;
      return x.map((v) => (v >= max ? max : v >= t ? v : slope * (v - t)));
    }
    case 'LeakyReLU':
      return x.map((v) => (v >= 0 ? v : layer.alpha! * v));
    case 'PReLU': {
      // α per position of the sample, one α along each shared axis (1-based, counting the batch).
      const shape = layer.inputShape, shared = (layer as { sharedAxes?: number[] }).sharedAxes ?? [];
      const size = shape.reduce((a, b) => a * b, 1);
      const alphaAt = (j: number) => {
        let index = 0, stride = 1, rest = j;
        const coords = shape.map(() => 0);
        for (let d = shape.length - 1; d >= 0; d--) { coords[d] = rest % shape[d]; rest = Math.floor(rest / shape[d]); }
        for (let d = shape.length - 1; d >= 0; d--) {
          const extent = shared.includes(d + 1) ? 1 : shape[d];
          index += (shared.includes(d + 1) ? 0 : coords[d]) * stride;
          stride *= extent;
        }
        return weights[0][index];
      };
      return x.map((v, i) => (v > 0 ? v : alphaAt(i % size) * v));
    }
    case 'ELU':
      return x.map((v) => (v > 0 ? v : layer.alpha! * Math.expm1(v)));
    case 'ThresholdedReLU':
      return x.map((v) => (v > layer.theta! ? v : 0));
    case 'Normalization': {
      // (x − mean)/max(√variance, 1e-7) per feature (the last axis).
      const c = layer.inputShape[layer.inputShape.length - 1];
      return x.map((v, i) => (v - weights[0][i % c]) / Math.max(Math.sqrt(weights[1][i % c]), 1e-7));
    }
    case 'Rescaling':
      return x.map((v) => v * layer.scale! + layer.offset!);
    case 'Masking': {
      // A step whose features all equal maskValue is zeroed.
      const c = layer.inputShape[layer.inputShape.length - 1];
      const out = Float64Array.from(x);
      for (let r = 0; r < x.length / c; r++) if (x.subarray(r * c, (r + 1) * c).every((v) => v === layer.maskValue)) out.fill(0, r * c, (r + 1) * c);
      return out;
    }
    case 'UpSampling2D': {
      const [h, w, c] = layer.inputShape, [sh, sw] = layer.size!;
      const y = new Float64Array(n * h * sh * w * sw * c);
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < h * sh; oy++) {
          for (let ox = 0; ox < w * sw; ox++) {
            if (layer.interpolation === 'bilinear') {
              // TF 2's half-pixel centres: input coordinate (o + ½)/factor − ½, neighbours clamped into the image.
              const source = (o: number, f: number, size: number) => {
                const s = (o + 0.5) / f - 0.5, lo = Math.floor(s);
                return [Math.max(lo, 0), Math.min(Math.ceil(s), size - 1), s - lo];
              };
              const [y0, y1, ly] = source(oy, sh, h), [x0, x1, lx] = source(ox, sw, w);
              const at = (iy: number, ix: number, k: number) => x[((b * h + iy) * w + ix) * c + k];
              for (let k = 0; k < c; k++) {
                const top = at(y0, x0, k) * (1 - lx) + at(y0, x1, k) * lx, bottom = at(y1, x0, k) * (1 - lx) + at(y1, x1, k) * lx;
                y[((b * h * sh + oy) * w * sw + ox) * c + k] = top * (1 - ly) + bottom * ly;
              }
              continue;
            }
            for (let k = 0; k < c; k++) y[((b * h * sh + oy) * w * sw + ox) * c + k] = x[((b * h + Math.floor(oy / sh)) * w + Math.floor(ox / sw)) * c + k];
          }
        }
      }
      return y;
    }
    case 'BatchNormalization': {
      // γ(x − μ)/√(σ² + ε) + β per channel (of the axis, the last by default); μ, σ² of the batch (biased) in training, else the moving ones.
      const dims = layer.inputShape, axis = (layer as { axis?: number }).axis ?? -1;
      const at = (axis < 0 ? dims.length + 1 + axis : axis) - 1;
      const c = dims[at], inner = dims.slice(at + 1).reduce((p, q) => p * q, 1);
      const channel = (i: number) => Math.floor(i / inner) % c;
      const count = x.length / c;
      let k = 0;
      const gamma = layer.scale ? weights[k++] : undefined, beta = layer.center ? weights[k++] : undefined;
      let mean = weights[k], variance = weights[k + 1];
      // A frozen layer (trainable false) normalizes with its moving statistics in training too (Keras 3).
      if (training && (layer as { trainable?: boolean }).trainable !== false) {
        mean = new Float64Array(c);
        variance = new Float64Array(c);
        x.forEach((v, i) => (mean[channel(i)] += v / count));
        x.forEach((v, i) => (variance[channel(i)] += (v - mean[channel(i)]) ** 2 / count));
      }
      return x.map((v, i) => {
        const j = channel(i);
        return ((v - mean[j]) / Math.sqrt(variance[j] + layer.epsilon!)) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
      });
    }
    case 'SimpleRNN':
    case 'LSTM': {
      // Step by step from a zero state: z = x_t·W + h·R + b; SimpleRNN h = act(z); LSTM (gates i, f, c, o)
      // c = σ(z_f)·c + σ(z_i)·act(z_c), h = σ(z_o)·act(c), σ the recurrent activation.
      const r = layer as unknown as { units: number; returnSequences: boolean; goBackwards: boolean; recurrentActivation?: string; activation: string };
      const [steps, features] = layer.inputShape, units = r.units, lstm = layer.className === 'LSTM', width = (lstm ? 4 : 1) * units;
      const [W, R, b] = weights;
      const y = new Float64Array(n * (r.returnSequences ? steps : 1) * units);
      for (let sample = 0; sample < n; sample++) {
        let h = new Float64Array(units);
        const c = new Float64Array(units);
        for (let s = 0; s < steps; s++) {
          const t = r.goBackwards ? steps - 1 - s : s;
          const z = new Float64Array(width);
          for (let g = 0; g < width; g++) {
            let v = b ? b[g] : 0;
            for (let f = 0; f < features; f++) v += x[(sample * steps + t) * features + f] * W[f * width + g];
            for (let u = 0; u < units; u++) v += h[u] * R[u * width + g];
            z[g] = v;
          }
          const next = new Float64Array(units);
          for (let j = 0; j < units; j++) {
            if (!lstm) next[j] = activation(r.activation, z[j]);
            else {
              const gate = (k: number) => activation(r.recurrentActivation, z[k * units + j]);
              c[j] = gate(1) * c[j] + gate(0) * activation(r.activation, z[2 * units + j]);
              next[j] = gate(3) * activation(r.activation, c[j]);
            }
          }
          h = next;
          if (r.returnSequences) y.set(h, (sample * steps + s) * units);
        }
        if (!r.returnSequences) y.set(h, sample * units);
      }
      return y;
    }
    case 'GRU': {
      // Step by step from a zero state, gates z, r, candidate: resetAfter ĥ = act(x_h + r·(h·R_h + b_rec,h)), else
      // ĥ = act(x_h + (r·h)·R_h + b_h); h = z·h + (1 − z)·ĥ.
      const r = layer as unknown as { units: number; returnSequences: boolean; goBackwards: boolean; recurrentActivation: string; activation: string; resetAfter: boolean };
      const [steps, features] = layer.inputShape, units = r.units, width = 3 * units;
      const [W, R, bias] = weights;
      const bIn = bias ? bias.subarray(0, width) : new Float64Array(width);
      const bRec = bias && r.resetAfter ? bias.subarray(width, 2 * width) : new Float64Array(width);
      const y = new Float64Array(n * (r.returnSequences ? steps : 1) * units);
      const sig = (v: number) => activation(r.recurrentActivation, v);
      for (let sample = 0; sample < n; sample++) {
        let h = new Float64Array(units);
        for (let s = 0; s < steps; s++) {
          const t = r.goBackwards ? steps - 1 - s : s;
          const xw = new Float64Array(width), hr = new Float64Array(width);
          for (let g = 0; g < width; g++) {
            let v = bIn[g];
            for (let f = 0; f < features; f++) v += x[(sample * steps + t) * features + f] * W[f * width + g];
            xw[g] = v;
            let w = bRec[g];
            for (let u = 0; u < units; u++) w += h[u] * R[u * width + g];
            hr[g] = w;
          }
          const next = new Float64Array(units);
          const reset = Float64Array.from({ length: units }, (_, j) => sig(xw[units + j] + hr[units + j]));
          for (let j = 0; j < units; j++) {
            const update = sig(xw[j] + hr[j]);
            let inner: number;
            if (r.resetAfter) inner = reset[j] * hr[2 * units + j];
            else {
              inner = 0;
              for (let u = 0; u < units; u++) inner += reset[u] * h[u] * R[u * width + 2 * units + j];
            }
            next[j] = update * h[j] + (1 - update) * activation(r.activation, xw[2 * units + j] + inner);
          }
          h = next;
          if (r.returnSequences) y.set(h, (sample * steps + s) * units);
        }
        if (!r.returnSequences) y.set(h, sample * units);
      }
      return y;
    }
    case 'TimeDistributed': {
      // The wrapped layer on every step, the steps as samples.
      const inner = (layer as unknown as { layer: RefLayer }).layer;
      return refLayer(inner, x, n * layer.inputShape[0], weights, training);
    }
    case 'Bidirectional': {
      // The forward layer and the backward one (its steps last to first) on the same inputs; with
      // sequences the backward outputs put back in step order; then concat, sum, mul or ave.
      const w = layer as unknown as { forwardLayer: RefLayer & { weights: unknown[] }; backwardLayer: RefLayer; mergeMode: string };
      const split = w.forwardLayer.weights.length;
      const f = refLayer(w.forwardLayer, x, n, weights.slice(0, split)), b = refLayer(w.backwardLayer, x, n, weights.slice(split));
      const units = w.forwardLayer.outputShape[w.forwardLayer.outputShape.length - 1], steps = w.forwardLayer.outputShape.length === 2 ? w.forwardLayer.outputShape[0] : 1;
      const y = new Float64Array(f.length * (w.mergeMode === 'concat' ? 2 : 1));
      for (let sample = 0; sample < n; sample++) {
        for (let s = 0; s < steps; s++) {
          const fi = (sample * steps + s) * units, bi = (sample * steps + (steps > 1 ? steps - 1 - s : s)) * units;
          for (let j = 0; j < units; j++) {
            if (w.mergeMode === 'concat') {
              y[(sample * steps + s) * 2 * units + j] = f[fi + j];
              y[(sample * steps + s) * 2 * units + units + j] = b[bi + j];
            } else y[fi + j] = w.mergeMode === 'sum' ? f[fi + j] + b[bi + j] : w.mergeMode === 'mul' ? f[fi + j] * b[bi + j] : (f[fi + j] + b[bi + j]) / 2;
          }
        }
      }
      return y;
    }
    case 'Embedding': {
      // Each index picks its row of the table.
      const dim = (layer as { outputDim?: number }).outputDim!;
      const y = new Float64Array(x.length * dim);
      x.forEach((v, i) => y.set(weights[0].subarray(v * dim, (v + 1) * dim), i * dim));
      return y;
    }
    case 'LayerNormalization': {
      // γ(x − μ)/√(σ² + ε) + β over each sample's trailing axes named by axis, μ and σ² (biased) of each group of those values.
      const dims = layer.inputShape, axes = (layer as { axis?: number | number[] }).axis ?? -1;
      const count = Array.isArray(axes) ? axes.length : 1;
      const cols = dims.slice(dims.length - count).reduce((p, q) => p * q, 1);
      let k = 0;
      const gamma = layer.scale ? weights[k++] : undefined, beta = layer.center ? weights[k++] : undefined;
      const y = new Float64Array(x.length);
      for (let r = 0; r < x.length / cols; r++) {
        const row = x.subarray(r * cols, (r + 1) * cols);
        const mean = row.reduce((p, v) => p + v, 0) / cols;
        const variance = row.reduce((p, v) => p + (v - mean) ** 2, 0) / cols;
        for (let j = 0; j < cols; j++) y[r * cols + j] = ((row[j] - mean) / Math.sqrt(variance + layer.epsilon!)) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
      }
      return y;
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const [h, w, c] = layer.inputShape;
      const y = new Float64Array(n * c);
      for (let b = 0; b < n; b++) {
        for (let k = 0; k < c; k++) {
          let acc = layer.className === 'GlobalMaxPooling2D' ? -Infinity : 0;
          for (let p = 0; p < h * w; p++) {
            const v = x[(b * h * w + p) * c + k];
            acc = layer.className === 'GlobalMaxPooling2D' ? Math.max(acc, v) : acc + v / (h * w);
          }
          y[b * c + k] = acc;
        }
      }
      return y;
    }
    case 'ZeroPadding2D':
    case 'Cropping2D': {
      // Output position (i, j) reads input (i − top, j − left) when padding, (i + top, j + left) when cropping; outside is 0.
      const [h, w, c] = layer.inputShape, [oh, ow] = layer.outputShape;
      const [[t], [l]] = layer.edges!;
      const sign = layer.className === 'ZeroPadding2D' ? -1 : 1;
      const y = new Float64Array(n * oh * ow * c);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            const si = i + sign * t, sj = j + sign * l;
            if (si < 0 || si >= h || sj < 0 || sj >= w) continue;
            for (let k = 0; k < c; k++) y[((b * oh + i) * ow + j) * c + k] = x[((b * h + si) * w + sj) * c + k];
          }
        }
      }
      return y;
    }
    case 'Flatten':
    case 'Reshape':
    case 'Dropout':
      return Float64Array.from(x);
    default:
      throw new Error(`no reference for ${layer.className}`);
  }
}

export function refForward(layers: RefLayer[], x: A, n: number, weights: A[][], training = false): A {
  return layers.reduce((h, layer, i) => refLayer(layer, h, n, weights[i], training), x);
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);

/** Keras' mean loss over rows (rows = samples × leading output positions; units = last axis). */
export function refLoss(kind: string, p: A, y: ArrayLike<number>, units: number): number {
  const rows = p.length / units;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let l = 0;
    if (kind === 'sparseCategoricalCrossentropy') l = -Math.log(clip(p[r * units + y[r]]));
    else {
      for (let j = 0; j < units; j++) {
        const pj = p[r * units + j], tj = y[r * units + j];
        if (kind === 'meanSquaredError') l += (pj - tj) ** 2 / units;
        else if (kind === 'categoricalCrossentropy') l -= tj * Math.log(clip(pj));
        else l -= (tj * Math.log(clip(pj)) + (1 - tj) * Math.log(1 - clip(pj))) / units;
      }
    }
    total += l;
  }
  return total / rows;
}

/**
 * A merge over n samples of per-sample shapes `shapes` (Keras' Add … Concatenate): elementwise
 * over shapes that broadcast, or side by side along `axis` (counting the batch axis; negative from the end).
 */
export function refMerge(className: string, inputs: A[], shapes: readonly (readonly number[])[], n: number, axis = -1): A {
  if (className === 'Concatenate') {
    const rank = shapes[0].length + 1;
    const ax = (axis < 0 ? rank + axis : axis) - 1;
    const outer = n * shapes[0].slice(0, ax).reduce((a, b) => a * b, 1);
    const inner = shapes[0].slice(ax + 1).reduce((a, b) => a * b, 1);
    const widths = shapes.map((s) => s[ax] * inner);
    const total = widths.reduce((a, b) => a + b, 0);
    const y = new Float64Array(outer * total);
    for (let o = 0; o < outer; o++) {
      let at = o * total;
      inputs.forEach((x, k) => {
        for (let j = 0; j < widths[k]; j++) y[at + j] = x[o * widths[k] + j];
        at += widths[k];
      });
    }
    return y;
  }
  // Keras' broadcasting: shapes aligned at the right, size-1 axes stretched.
  const rank = Math.max(...shapes.map((t) => t.length));
  const outShape = Array.from({ length: rank }, (_, d) => Math.max(...shapes.map((t) => t[d - (rank - t.length)] ?? 1)));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const read = (k: number, b: number, o: number) => {
    const t = shapes[k];
    let offset = 0, stride = 1, rest = o;
    for (let d = rank - 1; d >= 0; d--) {
      const coord = rest % outShape[d];
      rest = Math.floor(rest / outShape[d]);
      const size = t[d - (rank - t.length)] ?? 1;
      if (size !== 1) offset += coord * stride;
      stride *= size;
    }
    return inputs[k][b * stride + offset];
  };
  const y = new Float64Array(n * outSize);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < outSize; o++) {
      let v = read(0, b, o);
      for (let k = 1; k < inputs.length; k++) {
        const u = read(k, b, o);
        if (className === 'Add' || className === 'Average') v += u;
        else if (className === 'Subtract') v -= u;
        else if (className === 'Multiply') v *= u;
        else if (className === 'Maximum') v = Math.max(v, u);
        else if (className === 'Minimum') v = Math.min(v, u);
        else throw new Error(`no reference for ${className}`);
      }
      y[b * outSize + o] = className === 'Average' ? v / inputs.length : v;
    }
  }
  return y;
}

/** Keras' Dot over n samples of per-sample shapes [x, y] (rank 1 or 2), axes counting the batch axis. */
export function refDot(inputs: A[], shapes: readonly (readonly number[])[], n: number, axes: number | [number, number], normalize: boolean): A {
  const given = Array.isArray(axes) ? axes : [axes, axes];
  const ax = given.map((a, i) => (a < 0 ? a + shapes[i].length + 1 : a) - 1);
  const size = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  // Element (i, c) of x and (c, j) of y, with i / j running over the axis not summed (or one value).
  const other = shapes.map((s, t) => (s.length === 1 ? 1 : s[1 - ax[t]]));
  const index = (t: number, free: number, c: number) => {
    const s = shapes[t];
    if (s.length === 1) return c;
    return ax[t] === 1 ? free * s[1] + c : c * s[1] + free;
  };
  const k = shapes[0][ax[0]];
  const out = new Float64Array(n * other[0] * other[1]);
  for (let b = 0; b < n; b++) {
    const views = inputs.map((v, t) => {
      const sample = v.subarray(b * size[t], (b + 1) * size[t]);
      if (!normalize) return sample;
      const u = new Float64Array(sample.length);
      for (let f = 0; f < other[t]; f++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += sample[index(t, f, c)] ** 2;
        const norm = Math.sqrt(Math.max(s, 1e-12));
        for (let c = 0; c < k; c++) u[index(t, f, c)] = sample[index(t, f, c)] / norm;
      }
      return u;
    });
    for (let i = 0; i < other[0]; i++) {
      for (let j = 0; j < other[1]; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += views[0][index(0, i, c)] * views[1][index(1, j, c)];
        out[(b * other[0] + i) * other[1] + j] = s;
      }
    }
  }
  return out;
}
