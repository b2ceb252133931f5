import { Generator } from '../ops/generator.js';
import { fillF32, readF32, writeF32 } from '../ops/memory.js';
import { ValueError, describe } from '../errors.js';
import { camelCase, lookUp } from '../names.js';
import type { Backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';

/**
 * A weight initializer: a name (`'glorotUniform'`, `'he_normal'`, …) or an object with `name`
 * and its parameters, e.g. `{ name: 'randomNormal', mean: 0, stddev: 0.01, seed: 1 }`.
 */
export type InitializerIdentifier =
  | string
  | { name: string; seed?: number; mean?: number; stddev?: number; minval?: number; maxval?: number; value?: number; scale?: number; mode?: string; distribution?: string; gain?: number };

type Distribution = 'uniform' | 'normal' | 'truncatedNormal';
type Mode = 'fanIn' | 'fanOut' | 'fanAvg';

export type InitializerSpec =
  | { kind: 'varianceScaling'; name: string; scale: number; mode: Mode; distribution: Distribution; seed?: number }
  | { kind: 'constant'; name: string; value: number }
  | { kind: 'randomNormal'; name: string; mean: number; stddev: number; seed?: number }
  | { kind: 'randomUniform'; name: string; minval: number; maxval: number; seed?: number }
  | { kind: 'orthogonal'; name: string; gain: number; seed?: number }
  /** Keras' unit_forget_bias: `base` everywhere, then ones in [units, 2·units) (an LSTM's forget gate). Saved as `base`. */
  | { kind: 'unitForgetBias'; name: string; base: InitializerSpec; units: number };

const VARIANCE_SCALING: Record<string, [number, Mode, Distribution]> = {
  glorotUniform: [1, 'fanAvg', 'uniform'],
  glorotNormal: [1, 'fanAvg', 'truncatedNormal'],
  heNormal: [2, 'fanIn', 'truncatedNormal'],
  heUniform: [2, 'fanIn', 'uniform'],
  lecunNormal: [1, 'fanIn', 'truncatedNormal'],
  lecunUniform: [1, 'fanIn', 'uniform'],
};
const KNOWN = [...Object.keys(VARIANCE_SCALING), 'zeros', 'ones', 'constant', 'randomNormal', 'randomUniform', 'varianceScaling', 'orthogonal'];

/** Reads an initializer option (validated; Keras names and defaults). */
export function initializerSpec(value: unknown, where: string): InitializerSpec {
  const o: Record<string, unknown> = typeof value === 'string' ? { name: value } : (value as Record<string, unknown>);
  if (o === null || typeof o !== 'object' || typeof o.name !== 'string') {
    throw new ValueError(`${where} must be an initializer name or { name, ...parameters }; received ${describe(value)}`);
  }
  const name = lookUp(Object.fromEntries(KNOWN.map((k) => [k, k])), o.name, 'initializer', where);
  const num = (key: string, fallback: number): number => {
    const v = o[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: ${key} must be a finite number; received ${describe(v)}`);
    return v;
  };
  const seed = o.seed === null || o.seed === undefined ? undefined : (o.seed as number);
  const vs = VARIANCE_SCALING[name];
  if (vs) return { kind: 'varianceScaling', name, scale: vs[0], mode: vs[1], distribution: vs[2], seed };
  switch (name) {
    case 'zeros': return { kind: 'constant', name, value: 0 };
    case 'ones': return { kind: 'constant', name, value: 1 };
    case 'constant': return { kind: 'constant', name, value: num('value', 0) };
    case 'randomNormal': return { kind: 'randomNormal', name, mean: num('mean', 0), stddev: num('stddev', 0.05), seed };
    case 'randomUniform': return { kind: 'randomUniform', name, minval: num('minval', -0.05), maxval: num('maxval', 0.05), seed };
    case 'orthogonal': return { kind: 'orthogonal', name, gain: num('gain', 1), seed };
    default: {
      const mode = camelCase(String(o.mode ?? 'fan_in')) as Mode;
      const distribution = camelCase(String(o.distribution ?? 'truncated_normal')) as Distribution;
      if (!['fanIn', 'fanOut', 'fanAvg'].includes(mode)) throw new ValueError(`${where}: mode must be fan_in, fan_out or fan_avg; received ${describe(o.mode)}`);
      if (!['uniform', 'normal', 'truncatedNormal', 'untruncatedNormal'].includes(distribution)) {
        throw new ValueError(`${where}: distribution must be uniform, truncated_normal or untruncated_normal; received ${describe(o.distribution)}`);
      }
      const scale = num('scale', 1);
      if (!(scale > 0)) throw new ValueError(`${where}: scale must be positive; received ${scale}`);
      return { kind: 'varianceScaling', name, scale, mode, distribution: distribution === ('untruncatedNormal' as string) ? 'normal' : distribution, seed };
    }
  }
}

/** fan-in and fan-out of a kernel shape, as Keras computes them ([in, out] or [kh, kw, in, out]). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) return [shape[0] ?? 1, shape[0] ?? 1];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Fills n floats at ptr with values drawn by the initializer for a weight of this shape. */
export function initialize(be: Backend, spec: InitializerSpec, shape: readonly number[], ptr: number, where: string): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (spec.kind === 'unitForgetBias') {
    initialize(be, spec.base, shape, ptr, where);
    fillF32(be, ptr + spec.units * 4, spec.units, 1);
    return;
  }
  if (spec.kind === 'constant') {
    fillF32(be, ptr, n, spec.value);
    return;
  }
  be.scoped((alloc) => {
    const random = Generator.seeded(be, alloc, nextSeed(spec.seed, where));
    if (spec.kind === 'randomNormal') return random.normal(ptr, n, spec.mean, spec.stddev);
    if (spec.kind === 'randomUniform') return random.uniform(ptr, n, spec.minval, spec.maxval);
    if (spec.kind === 'orthogonal') return orthogonal(be, random, shape, ptr, spec.gain, alloc);
    const [fanIn, fanOut] = fans(shape);
    const fan = spec.mode === 'fanIn' ? fanIn : spec.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = spec.scale / Math.max(1, fan);
    if (spec.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return random.uniform(ptr, n, -limit, limit);
    }
    if (spec.distribution === 'normal') return random.normal(ptr, n, 0, Math.sqrt(variance));
    // Truncated normal at ±2σ, σ corrected so the variance is `variance` (Keras' constant
    // .87962566103423978 is the standard deviation of a unit normal truncated at ±2).
    random.truncatedNormal(alloc, ptr, n, Math.sqrt(variance) / 0.87962566103423978);
  });
}

/**
 * Keras' Orthogonal (Saxe et al. 2014): a unit normal matrix of [rows = all axes but the last,
 * cols = the last], its QR factorization's Q with each column's sign set by R's diagonal (so Q is
 * uniformly distributed), transposed when rows < cols, times gain. Q by modified Gram–Schmidt in
 * f64 over the taller side's columns.
 */
function orthogonal(be: Backend, random: Generator, shape: readonly number[], ptr: number, gain: number, alloc: (bytes: number) => number): void {
  const cols = shape[shape.length - 1], rows = shape.reduce((a, b) => a * b, 1) / cols;
  const tall = Math.max(rows, cols), wide = Math.min(rows, cols);
  const draws = alloc(tall * wide * 4);
  random.normal(draws, tall * wide, 0, 1);
  // a: wide columns of length tall (column j at j·tall).
  const a = Float64Array.from(readF32(be, draws, tall * wide));
  for (let j = 0; j < wide; j++) {
    const q = a.subarray(j * tall, (j + 1) * tall);
    for (let i = 0; i < j; i++) {
      const p = a.subarray(i * tall, (i + 1) * tall);
      let dot = 0;
      for (let t = 0; t < tall; t++) dot += p[t] * q[t];
      for (let t = 0; t < tall; t++) q[t] -= dot * p[t];
    }
    let norm = 0;
    for (let t = 0; t < tall; t++) norm += q[t] * q[t];
    // R's diagonal entry is the norm (positive), so no sign flip is needed with Gram–Schmidt.
    norm = Math.sqrt(norm);
    for (let t = 0; t < tall; t++) q[t] /= norm;
  }
  // The weight, row-major [rows, cols]: Q when rows ≥ cols (column j of Q is weight column j), else Qᵀ.
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? a[c * tall + r] : a[r * tall + c]);
  writeF32(be, ptr, out);
}

/** The Keras / TF.js layers-format description of an initializer. */
export function initializerToKeras(spec: InitializerSpec): { class_name: string; config: Record<string, unknown> } {
  switch (spec.kind) {
    case 'unitForgetBias': return initializerToKeras(spec.base);
    case 'constant':
      return spec.value === 0 ? { class_name: 'Zeros', config: {} } : spec.value === 1 ? { class_name: 'Ones', config: {} } : { class_name: 'Constant', config: { value: spec.value } };
    case 'randomNormal': return { class_name: 'RandomNormal', config: { mean: spec.mean, stddev: spec.stddev, seed: spec.seed ?? null } };
    case 'randomUniform': return { class_name: 'RandomUniform', config: { minval: spec.minval, maxval: spec.maxval, seed: spec.seed ?? null } };
    case 'orthogonal': return { class_name: 'Orthogonal', config: { gain: spec.gain, seed: spec.seed ?? null } };
    default:
      return {
        class_name: 'VarianceScaling',
        config: {
          scale: spec.scale,
          mode: spec.mode === 'fanIn' ? 'fan_in' : spec.mode === 'fanOut' ? 'fan_out' : 'fan_avg',
          distribution: spec.distribution === 'truncatedNormal' ? 'truncated_normal' : spec.distribution,
          seed: spec.seed ?? null,
        },
      };
  }
}

/** Reads a Keras / TF.js layers-format initializer description back. */
export function initializerFromKeras(value: unknown, where: string): InitializerSpec {
  if (typeof value === 'string') return initializerSpec(value, where);
  const v = value as { class_name?: unknown; config?: Record<string, unknown> } | null;
  if (!v || typeof v.class_name !== 'string') throw new ValueError(`${where}: not an initializer description: ${describe(value)}`);
  return initializerSpec({ ...(v.config ?? {}), name: v.class_name }, where);
}
