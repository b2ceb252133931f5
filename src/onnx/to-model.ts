// An ONNX graph that is a stack of layers, as a wasmlearn Sequential that can be fine-tuned: one
// data path from the input to the output through Gemm / MatMul (+ Add), Conv, BatchNormalization,
// pools, activations, Dropout and Flatten (PyTorch's Shape → Gather → Unsqueeze → Concat →
// Reshape or tf2onnx's Transpose → Reshape). Images become channels-last, as Keras layers take
// them: the model reads [N, H, W, C] where the file read [N, C, H, W] (weights transposed, and
// the first Dense after a Flatten has its rows reordered to match). Loaded on demand by
// OnnxModel.toModel, so a worker that only runs models does not bundle the layers.
import { FormatError } from '../errors.js';
import * as L from '../layers/index.js';
import type { Layer } from '../layers/layer.js';
import { Sequential } from '../models/sequential.js';
import { Attributes } from './attributes.js';
import type { onnx } from './onnx-proto.js';
import { kernelLayout } from './operators/convolution.js';
import { channelsLastRows, int, tensorFromProto, transposeChannels, Value, type Numbers } from './value.js';

type NodeProto = onnx.NodeProto.$Properties;

/** A layer to make (the first gets the model's inputShape) and the weights it is given. */
interface Pending {
  make: (args: { inputShape?: number[] }) => Layer;
  weights?: { data: Float32Array; shape: number[] }[];
}

const f32 = (v: Value): Float32Array => Float32Array.from(v.data as Numbers);

/** ONNX weights [cout, cin/groups, kh, kw] as the layer holds them: [kh, kw, cin, cout], or [kh, kw, c, m] when depthwise. */
function layerKernel(w: Value, depthwise: boolean, channels: number): { data: Float32Array; shape: number[] } {
  const [co, cg, kh, kw] = w.dims;
  return { data: kernelLayout(f32(w), co, cg, kh, kw, depthwise), shape: depthwise ? [kh, kw, channels, co / channels] : [kh, kw, cg, co] };
}

export function graphToModel(graph: onnx.GraphProto.$Properties, opset: number, what = 'OnnxModel.toModel'): Sequential {
  const constants = new Map<string, Value>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', tensorFromProto(t, what));
  const nodes = graph.node ?? [];
  for (const n of nodes) {
    if (n.opType === 'Constant' && (n.output ?? [])[0]) {
      const v = new Attributes(n.attribute ?? [], what).tensor('value');
      if (v) constants.set(n.output![0], v);
    }
  }
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (inputs.length !== 1 || (graph.output ?? []).length < 1) throw new FormatError(`${what}: a layer stack has one input and one output; the graph has ${inputs.length} inputs and ${(graph.output ?? []).length} outputs`);
  const dims = (inputs[0].type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null ? int(d.dimValue) : -1));
  const readers = new Map<string, NodeProto[]>();
  for (const n of nodes) for (const name of n.input ?? []) if (name) readers.set(name, [...(readers.get(name) ?? []), n]);
  const stack: Pending[] = [];
  let tensor = inputs[0].name ?? '';
  // The image the data path carries, channels-last (h, w, c), or undefined once flat.
  let image: [number, number, number] | undefined;
  let inputShape: number[];
  let nhwcInput = false;
  if (dims.length === 4) {
    const first = (readers.get(tensor) ?? [])[0];
    const perm = first?.opType === 'Transpose' ? new Attributes(first.attribute ?? [], what).ints('perm', []) : [];
    nhwcInput = perm.join() === '0,3,1,2';
    const [, a, b, c] = dims;
    image = nhwcInput ? [a, b, c] : [b, c, a];
    if (image.some((d) => d < 1)) throw new FormatError(`${what}: the input's image dims must be fixed; they are [${dims.join(', ')}]`);
    inputShape = [...image];
  } else if (dims.length === 2 && dims[1] > 0) {
    inputShape = [dims[1]];
  } else {
    throw new FormatError(`${what}: the input must be [batch, features] or [batch, C, H, W] with fixed sizes; it is [${dims.join(', ')}]`);
  }
  let flattenedFrom: [number, number, number] | undefined;
  // After a global pool the Flatten has nothing to do; after tf2onnx's Transpose to channels-last the Flatten's rows are Keras'.
  let skipSqueeze = false, transposedForFlatten = false;
  let pendingBias: Float32Array | undefined;
  const outputs = new Set((graph.output ?? []).map((v) => v.name));
  const add = (make: Pending['make'], weights?: Pending['weights']) => stack.push({ make, weights });
  const activation = (name: string) => add((x) => L.activation({ ...x, activation: name as never }));

  for (;;) {
    if (outputs.has(tensor) && !(readers.get(tensor) ?? []).length) break;
    const data = (readers.get(tensor) ?? []).filter((n) => n.opType !== 'Shape');
    if (data.length !== 1) {
      if (outputs.has(tensor)) break;
      throw new FormatError(`${what}: the graph is not a layer stack: '${tensor}' is read by ${data.length} nodes (${data.map((n) => n.opType).join(', ') || 'none'})`);
    }
    const n = data[0];
    const a = new Attributes(n.attribute ?? [], `${what}: node ${n.name || n.opType}`);
    const ins = n.input ?? [];
    if (ins[0] !== tensor) throw new FormatError(`${what}: node ${n.name || n.opType} (${n.opType}) takes the data path as input ${ins.indexOf(tensor)}; a layer stack reads it first`);
    const others = ins.slice(1).filter((name) => name && !constants.has(name) && !isShapeOnly(name, nodes, constants));
    if (others.length) throw new FormatError(`${what}: node ${n.name || n.opType} (${n.opType}) reads ${others.map((o) => `'${o}'`).join(', ')} besides the data path: the graph is not a layer stack`);
    const c = (i: number) => (ins[i] ? constants.get(ins[i]) : undefined);
    switch (n.opType) {
      case 'Transpose': {
        const perm = a.ints('perm', []).join();
        if (perm === '0,3,1,2' && nhwcInput) break;
        if (perm === '0,2,3,1' && image) { transposedForFlatten = true; break; }
        throw new FormatError(`${what}: a Transpose with perm [${perm}] is not a layer`);
      }
      case 'Conv': {
        if (!image) throw new FormatError(`${what}: a Conv after the image was flattened`);
        const w = c(1);
        if (!w || w.dims.length !== 4) throw new FormatError(`${what}: Conv needs constant 2-d weights`);
        const group = a.int('group', 1);
        const [co, , kh, kw] = w.dims;
        const strides = a.ints('strides', [1, 1]) as [number, number], dilations = a.ints('dilations', [1, 1]) as [number, number];
        const padding = paddingOf(a, [kh, kw], strides, dilations, image, add);
        const depthwise = group > 1 && group === image[2];
        if (group > 1 && !depthwise) throw new FormatError(`${what}: grouped Conv (group ${group}) is not a Keras layer`);
        const bias = c(2) ? f32(c(2)!) : undefined;
        const args = { kernelSize: [kh, kw] as [number, number], strides, dilationRate: dilations, padding, useBias: !!bias };
        const multiplier = co / image[2];
        if (depthwise) add((x) => L.depthwiseConv2d({ ...x, ...args, depthMultiplier: multiplier }), [layerKernel(w, true, image[2]), ...(bias ? [{ data: bias, shape: [co] }] : [])]);
        else add((x) => L.conv2d({ ...x, ...args, filters: co }), [layerKernel(w, false, image[2]), ...(bias ? [{ data: bias, shape: [co] }] : [])]);
        image = [outSize(image[0], kh, strides[0], dilations[0], padding), outSize(image[1], kw, strides[1], dilations[1], padding), co];
        break;
      }
      case 'BatchNormalization': {
        const [scale, b, mean, variance] = [1, 2, 3, 4].map((i) => c(i));
        if (!scale || !b || !mean || !variance) throw new FormatError(`${what}: BatchNormalization needs constant statistics`);
        const k = scale.size;
        add((x) => L.batchNormalization({ ...x, epsilon: a.float('epsilon', 1e-5), momentum: a.float('momentum', 0.9) }),
          [f32(scale), f32(b), f32(mean), f32(variance)].map((data) => ({ data, shape: [k] })));
        break;
      }
      case 'Relu': activation('relu'); break;
      case 'Sigmoid': activation('sigmoid'); break;
      case 'Tanh': activation('tanh'); break;
      case 'Softmax': activation('softmax'); break;
      case 'Elu': add((x) => L.elu({ ...x, alpha: a.float('alpha', 1) })); break;
      case 'LeakyRelu': add((x) => L.leakyReLU({ ...x, alpha: a.float('alpha', 0.01) })); break;
      case 'Clip': {
        const lo = c(1) ? c(1)!.numbers()[0] : a.float('min', -Infinity), hi = c(2) ? c(2)!.numbers()[0] : a.float('max', Infinity);
        if (lo !== 0) throw new FormatError(`${what}: Clip(${lo}, ${hi}) is a layer only from 0 (ReLU with a maximum)`);
        add((x) => L.reLU({ ...x, ...(Number.isFinite(hi) ? { maxValue: hi } : {}) }));
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        if (!image) throw new FormatError(`${what}: a pool after the image was flattened`);
        const k = a.ints('kernel_shape', [1, 1]) as [number, number];
        const strides = a.ints('strides', k) as [number, number];
        const padding = paddingOf(a, k, strides, [1, 1], image, add);
        add((x) => (n.opType === 'MaxPool' ? L.maxPooling2d({ ...x, poolSize: k, strides, padding }) : L.averagePooling2d({ ...x, poolSize: k, strides, padding })));
        image = [outSize(image[0], k[0], strides[0], 1, padding), outSize(image[1], k[1], strides[1], 1, padding), image[2]];
        break;
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        add((x) => (n.opType === 'GlobalAveragePool' ? L.globalAveragePooling2d(x) : L.globalMaxPooling2d(x)));
        image = undefined;
        // [N, C, 1, 1]: the Flatten / Reshape after it has nothing left to do.
        skipSqueeze = true;
        break;
      }
      case 'Flatten':
      case 'Reshape': {
        if (skipSqueeze) { skipSqueeze = false; break; }
        if (image) {
          add((x) => L.flatten(x));
          flattenedFrom = transposedForFlatten ? undefined : image;
          transposedForFlatten = false;
          image = undefined;
        }
        break;
      }
      case 'Pad': {
        // Zero padding of the image (Keras' ZeroPadding2D): constant mode, pads on H and W only.
        const pads = opset < 11 ? a.ints('pads', []) : c(1)?.numbers() ?? [];
        const fill = opset < 11 ? a.float('value', 0) : c(2)?.numbers()[0] ?? 0;
        if (!image || a.string('mode', 'constant') !== 'constant' || fill !== 0 || pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads.some((p) => p < 0)) {
          throw new FormatError(`${what}: only a zero Pad of an image's height and width is a layer (ZeroPadding2D)`);
        }
        const [t, l, b, r] = [pads[2], pads[3], pads[6], pads[7]];
        add((x) => L.zeroPadding2d({ ...x, padding: [[t, b], [l, r]] }));
        image = [image[0] + t + b, image[1] + l + r, image[2]];
        break;
      }
      case 'Dropout': add((x) => L.dropout({ ...x, rate: c(1) ? c(1)!.numbers()[0] : a.float('ratio', 0.5) })); break;
      case 'Identity': break;
      case 'Gemm':
      case 'MatMul': {
        const w = c(1);
        if (!w || w.dims.length !== 2) throw new FormatError(`${what}: ${n.opType} needs constant 2-d weights`);
        if (n.opType === 'Gemm' && (a.int('transA', 0) || a.float('alpha', 1) !== 1 || a.float('beta', 1) !== 1)) throw new FormatError(`${what}: Gemm with transA, alpha or beta is not a Dense layer`);
        const transB = n.opType === 'Gemm' && a.int('transB', 0) === 1;
        let kernel = f32(w);
        let [rows, units] = w.dims;
        if (transB) { kernel = transposeChannels(kernel, 1, rows, units); [rows, units] = [units, rows]; }
        if (flattenedFrom) kernel = channelsLastRows(kernel, units, flattenedFrom);
        flattenedFrom = undefined;
        const bias = n.opType === 'Gemm' && c(2) ? f32(c(2)!) : undefined;
        const next = (readers.get(n.output![0]) ?? [])[0];
        if (n.opType === 'MatMul' && next?.opType === 'Add' && next.input?.[1] && constants.has(next.input[1])) pendingBias = f32(constants.get(next.input[1])!);
        add((x) => L.dense({ ...x, units, useBias: true }), [{ data: kernel, shape: [rows, units] }, { data: bias ?? new Float32Array(units), shape: [units] }]);
        break;
      }
      case 'Add': {
        if (!pendingBias) throw new FormatError(`${what}: an Add that is not a MatMul's bias is not a layer of a stack`);
        const last = stack[stack.length - 1];
        last.weights![1] = { data: pendingBias, shape: [pendingBias.length] };
        pendingBias = undefined;
        break;
      }
      default:
        throw new FormatError(`${what}: ${n.opType} has no Keras layer here; toModel turns stacks of Gemm, MatMul, Conv, BatchNormalization, pools, activations, Dropout and Flatten into models`);
    }
    tensor = n.output![0];
  }
  if (!stack.length) throw new FormatError(`${what}: the graph has no layers`);
  const layers = stack.map((p, i) => p.make(i === 0 ? { inputShape } : {}));
  const model = new Sequential(layers);
  stack.forEach((p, i) => p.weights && layers[i].setWeights(p.weights));
  return model;
}

/** Keras padding for ONNX pads: 'valid', 'same' where they match Keras' same, or a ZeroPadding2D layer first. */
function paddingOf(a: Attributes, k: readonly number[], s: readonly number[], d: readonly number[], image: [number, number, number], add: (make: Pending['make']) => void): 'same' | 'valid' {
  const autoPad = a.string('auto_pad', 'NOTSET');
  if (autoPad === 'SAME_UPPER') return 'same';
  if (autoPad === 'VALID') return 'valid';
  if (autoPad === 'SAME_LOWER') throw new FormatError('OnnxModel.toModel: auto_pad SAME_LOWER has no Keras padding');
  const [t, l, b, r] = a.ints('pads', [0, 0, 0, 0]);
  if (t === 0 && l === 0 && b === 0 && r === 0) return 'valid';
  // Keras' 'same': total padding (out − 1)·s + span − size, the odd one at the end.
  const same = [0, 1].map((i) => {
    const size = image[i], out = Math.ceil(size / s[i]), span = (k[i] - 1) * d[i] + 1;
    const total = Math.max(0, (out - 1) * s[i] + span - size);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
  if (same[0][0] === t && same[0][1] === b && same[1][0] === l && same[1][1] === r) return 'same';
  add((x) => L.zeroPadding2d({ ...x, padding: [[t, b], [l, r]] }));
  image[0] += t + b;
  image[1] += l + r;
  return 'valid';
}

function outSize(size: number, k: number, s: number, d: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - ((k - 1) * d + 1)) / s) + 1;
}

/** Whether a value is computed only from shapes and constants (PyTorch's reshape target). */
function isShapeOnly(name: string, nodes: readonly NodeProto[], constants: ReadonlyMap<string, Value>): boolean {
  const producer = nodes.find((n) => (n.output ?? []).includes(name));
  if (!producer) return false;
  if (producer.opType === 'Shape') return true;
  if (!['Gather', 'Unsqueeze', 'Concat', 'Squeeze', 'Cast', 'Slice', 'Mul', 'Div'].includes(producer.opType ?? '')) return false;
  return (producer.input ?? []).every((i) => !i || constants.has(i) || isShapeOnly(i, nodes, constants));
}
