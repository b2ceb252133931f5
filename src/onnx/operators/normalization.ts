// BatchNormalization (inference: the running statistics), InstanceNormalization and
// LayerNormalization. Statistics in f64. A BatchNormalization after a Conv becomes the Conv's
// epilogue at load (graph.ts); these run the rest.
import { ShapeError } from '../../errors.js';
import { axisOf, dimsText, floatInput, type NodeInfo, type NodeRun, type OperatorTable } from '../operator.js';
import { allocate, ChannelsLast, sizeOf, Value, type Numbers } from '../value.js';

/** Per-channel scale and shift of a batch normalization: y = x·a + b. */
export function batchNormAffine(scale: Numbers, bias: Numbers, mean: Numbers, variance: Numbers, epsilon: number): { a: Float64Array; b: Float64Array } {
  const c = scale.length;
  const a = new Float64Array(c), b = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    a[i] = scale[i] / Math.sqrt(variance[i] + epsilon);
    b[i] = bias[i] - mean[i] * a[i];
  }
  return { a, b };
}

function batchNorm(node: NodeInfo): NodeRun {
  const epsilon = node.attrs.float('epsilon', 1e-5);
  if (node.attrs.int('training_mode', 0) === 1) throw new ShapeError(`${node.where}: training_mode 1 is not supported (wasmlearn runs inference)`);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X');
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => floatInput(node, inputs, i, ['scale', 'B', 'input_mean', 'input_var'][i - 1]).data as Numbers);
    const c = x.dims[1] ?? 1;
    if ([scale, bias, mean, variance].some((v) => v.length !== c)) throw new ShapeError(`${node.where}: scale, B, mean and var must hold ${c} values (X is ${dimsText(x.dims)})`);
    const { a, b } = batchNormAffine(scale, bias, mean, variance, epsilon);
    if (x instanceof ChannelsLast) {
      const src = x.channelsLast, y = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) y[i] = src[i] * a[i % c] + b[i % c];
      return [new ChannelsLast(x.dims, y)];
    }
    const src = x.data as Numbers, y = allocate(x.type, src.length) as Numbers;
    const inner = sizeOf(x.dims.slice(2));
    for (let i = 0; i < src.length; i++) {
      const ch = Math.floor(i / inner) % c;
      y[i] = src[i] * a[ch] + b[ch];
    }
    return [new Value(x.type, x.dims, y)];
  };
}

/**
 * Normalizes each of `outer` runs of `len` values (mean 0, variance 1 with epsilon), then
 * y = x̂·scale[j] + bias[j]; each run's mean and 1/√(variance + epsilon) go to `stats` if given.
 */
function normalizeRuns(x: Numbers, y: Numbers, outer: number, len: number, epsilon: number, scaleAt: (i: number, j: number) => number, biasAt: (i: number, j: number) => number,
  stats?: { mean: Numbers; inv: Numbers }): void {
  for (let i = 0; i < outer; i++) {
    const base = i * len;
    let mean = 0;
    for (let j = 0; j < len; j++) mean += x[base + j];
    mean /= len;
    let variance = 0;
    for (let j = 0; j < len; j++) variance += (x[base + j] - mean) ** 2;
    variance /= len;
    const inv = 1 / Math.sqrt(variance + epsilon);
    if (stats) {
      stats.mean[i] = mean;
      stats.inv[i] = inv;
    }
    for (let j = 0; j < len; j++) y[base + j] = (x[base + j] - mean) * inv * scaleAt(i, j) + biasAt(i, j);
  }
}

function instanceNorm(node: NodeInfo): NodeRun {
  const epsilon = node.attrs.float('epsilon', 1e-5);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'input');
    const scale = floatInput(node, inputs, 1, 'scale').data as Numbers, bias = floatInput(node, inputs, 2, 'B').data as Numbers;
    const c = x.dims[1];
    if (x.dims.length < 3 || scale.length !== c || bias.length !== c) throw new ShapeError(`${node.where}: input must be [N, C, …] with C scales and biases; received ${dimsText(x.dims)}`);
    const len = sizeOf(x.dims.slice(2));
    const y = allocate(x.type, x.size) as Numbers;
    normalizeRuns(x.data as Numbers, y, x.dims[0] * c, len, epsilon, (i) => scale[i % c], (i) => bias[i % c]);
    return [new Value(x.type, x.dims, y)];
  };
}

function layerNorm(node: NodeInfo): NodeRun {
  const epsilon = node.attrs.float('epsilon', 1e-5);
  const axisAttr = node.attrs.int('axis', -1);
  return (inputs) => {
    const x = floatInput(node, inputs, 0, 'X');
    const axis = axisOf(node, axisAttr, x.dims.length);
    const len = sizeOf(x.dims.slice(axis));
    const outer = x.size / len;
    const scale = floatInput(node, inputs, 1, 'Scale'), bias = inputs[2];
    // Scale and B broadcast to the normalized dims; a smaller one repeats (numpy's rules on a suffix).
    const s = scale.data as Numbers, b = bias?.data as Numbers | undefined;
    if (len % s.length !== 0 || (b && len % b.length !== 0)) throw new ShapeError(`${node.where}: Scale ${dimsText(scale.dims)} and B do not broadcast to the normalized dims ${dimsText(x.dims.slice(axis))}`);
    const y = allocate(x.type, x.size) as Numbers;
    // Mean and InvStdDev, the optional outputs: x's dims with the normalized ones kept as 1 (float32 unless stash_type says otherwise).
    const statsType = node.attrs.int('stash_type', 1) === 11 ? 'float64' : 'float32';
    const stats = { mean: allocate(statsType, outer) as Numbers, inv: allocate(statsType, outer) as Numbers };
    normalizeRuns(x.data as Numbers, y, outer, len, epsilon, (_, j) => s[j % s.length], b ? (_, j) => b[j % b.length] : () => 0, stats);
    const statsDims = x.dims.map((d, i) => (i < axis ? d : 1));
    return [new Value(x.type, x.dims, y), new Value(statsType, statsDims, stats.mean), new Value(statsType, statsDims, stats.inv)];
  };
}

export const NORMALIZATION: OperatorTable = {
  BatchNormalization: batchNorm,
  InstanceNormalization: instanceNorm,
  LayerNormalization: layerNorm,
};
