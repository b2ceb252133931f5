// Writes a TF.js layers model (the artifacts `model.toTfjs()` returns) as an ONNX file, so the
// benchmarks can run the very same weights in onnxruntime. Only what the benchmarked image models
// use: InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU (max_value), Activation,
// ZeroPadding2D, Add, GlobalAveragePooling2D, Dense. The graph is NCHW, as a PyTorch export would
// be; the caller feeds NCHW images. Anything else is refused by name rather than written wrongly.
//
// Encoded with the protobuf code protobufjs generates from wasmlearn/onnx's schema
// (src/onnx/onnx-proto-full.js, made by scripts/build.mjs): the one encoder the tests and
// benchmarks build ONNX files with.
import { onnx } from '../src/onnx/onnx-proto-full.js';

const enc = new TextEncoder();
const FLOAT = 1, INT64 = 7;

function tensorProto(name, dims, values, type = FLOAT) {
  const rawData = type === FLOAT ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values, BigInt).buffer);
  return { name, dims, dataType: type, rawData };
}

function attribute(name, value) {
  if (typeof value === 'string') return { name, type: 3, s: enc.encode(value) };
  if (Array.isArray(value)) return { name, type: 7, ints: value };
  if (Number.isInteger(value)) return { name, type: 2, i: value };
  return { name, type: 1, f: value };
}

function valueInfo(name, dims) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

/** Reads every weight of the artifacts into a map by name (float32 only, as toTfjs writes). */
function weightsByName(artifacts) {
  const data = new Float32Array(artifacts.weightData);
  const map = new Map();
  let at = 0;
  for (const s of artifacts.weightSpecs) {
    if (s.dtype !== 'float32' || s.quantization) throw new Error(`keras-to-onnx: weight ${s.name} is ${s.dtype}${s.quantization ? ' quantized' : ''}; only float32 is written`);
    const n = s.shape.reduce((p, q) => p * q, 1);
    map.set(s.name, { shape: s.shape, values: data.subarray(at, at + n) });
    at += n;
  }
  return map;
}

/** Keras kernel [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw]. */
function convKernel({ shape: [kh, kw, cin, cout], values }) {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
    out[((o * cin + i) * kh + y) * kw + x] = values[((y * kw + x) * cin + i) * cout + o];
  }
  return { dims: [cout, cin, kh, kw], values: out };
}

/** Keras depthwise kernel [kh, kw, cin, m] → ONNX grouped [cin·m, 1, kh, kw] (output channel c·m + j). */
function depthwiseKernel({ shape: [kh, kw, cin, m], values }) {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < cin; c++) for (let j = 0; j < m; j++) {
    out[((c * m + j) * kh + y) * kw + x] = values[((y * kw + x) * cin + c) * m + j];
  }
  return { dims: [cin * m, 1, kh, kw], values: out };
}

/** Keras Dense kernel rows in (h, w, c) order → (c, h, w), for a Dense after a channels-first Flatten. */
function channelsFirstRows({ shape: [rows, cols], values }, [h, w, c]) {
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    const from = (y * w + x) * c + ch, to = (ch * h + y) * w + x;
    out.set(values.subarray(from * cols, (from + 1) * cols), to * cols);
  }
  return { shape: [rows, cols], values: out };
}

/** A Sequential's layer list as a functional config: an InputLayer, then each layer fed by the one before. */
function chain({ name, layers }) {
  const shape = layers[0].config.batch_input_shape ?? layers[0].config.batch_shape;
  const input = { class_name: 'InputLayer', name: `${name}_input`, config: { name: `${name}_input`, batch_input_shape: shape }, inbound_nodes: [] };
  const linked = layers.map((l, k) => ({ ...l, name: l.config.name, inbound_nodes: [[[k === 0 ? input.name : layers[k - 1].config.name, 0, 0, {}]]] }));
  const last = layers[layers.length - 1].config.name;
  return { name, layers: [input, ...linked], input_layers: [[input.name, 0, 0]], output_layers: [[last, 0, 0]] };
}

/**
 * The ONNX bytes of a TF.js layers model with one input; input 'input', output 'output'. Images
 * are NCHW as a PyTorch export writes them, a Flatten as PyTorch's shape subgraph (Shape → Gather →
 * Unsqueeze → Concat → Reshape); with `convention: 'tf2onnx'`, the input stays NHWC and a Transpose
 * makes it NCHW, and a Flatten transposes back to NHWC first, as tf2onnx writes them.
 */
export function kerasToOnnx(artifacts, { opset = 17, convention = 'pytorch' } = {}) {
  const topology = artifacts.modelTopology.model_config ?? artifacts.modelTopology;
  const { layers, input_layers: inputs, output_layers: outputs } = topology.class_name === 'Sequential' ? chain(topology.config) : topology.config;
  if (inputs.length !== 1 || outputs.length !== 1) throw new Error('keras-to-onnx: one input and one output only');
  const weights = weightsByName(artifacts);
  const weight = (layer, key) => {
    const w = weights.get(`${layer}/${key}`) ?? [...weights].find(([n]) => n.endsWith(`/${layer}/${key}`))?.[1];
    if (!w) throw new Error(`keras-to-onnx: no weight ${layer}/${key}`);
    return w;
  };
  const nodes = [];
  const initializers = [];
  const constant = (name, dims, values, type) => { initializers.push(tensorProto(name, dims, values, type)); return name; };
  const node = (op, ins, outs, attrs = {}) => {
    nodes.push({ input: ins, output: outs, name: `${outs[0]}_${op}`, opType: op, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
  };
  // The (h, w, c) of the last image a Flatten made flat: the next Dense's rows are reordered to match.
  let flattened;
  // Each image tensor's (h, w, c), followed through the layers (for that reordering).
  const imageShape = new Map();
  const window = (size, k, s, d, same) => (same ? Math.ceil(size / s) : Math.floor((size - ((k - 1) * d + 1)) / s) + 1);
  const activation = (name, act, x) => {
    if (!act || act === 'linear') return x;
    const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' }[act];
    if (!op) throw new Error(`keras-to-onnx: activation ${act} of ${name} is not written`);
    node(op, [x], [`${name}_${act}`]);
    return `${name}_${act}`;
  };
  const tensorOf = new Map();
  let inputShape;
  for (const { class_name: kind, config: c, name, inbound_nodes: inbound } of layers) {
    const from = (inbound[0] ?? []).map((r) => tensorOf.get(Array.isArray(r) ? r[0] : r.args?.[0]?.config?.keras_history?.[0]));
    let out = name;
    switch (kind) {
      case 'InputLayer': {
        const shape = c.batch_input_shape ?? c.batch_shape;
        if (shape.length !== 4) {
          inputShape = ['batch', ...shape.slice(1)];
          out = 'input';
          break;
        }
        const [, h, w, ch] = shape;
        if (convention === 'tf2onnx') {
          inputShape = ['batch', h, w, ch];
          node('Transpose', ['input'], ['input_nchw'], { perm: [0, 3, 1, 2] });
          out = 'input_nchw';
        } else {
          inputShape = ['batch', ch, h, w];
          out = 'input';
        }
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const attrs = { kernel_shape: c.pool_size, strides: c.strides ?? c.pool_size, auto_pad: c.padding === 'same' ? 'SAME_UPPER' : 'VALID' };
        node(kind === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [from[0]], [name], attrs);
        break;
      }
      case 'Dropout':
        node('Dropout', [from[0]], [name]);
        break;
      case 'Flatten': {
        if (convention === 'tf2onnx') {
          node('Transpose', [from[0]], [`${name}_nhwc`], { perm: [0, 2, 3, 1] });
          const [h, w, ch] = imageShape.get(from[0]);
          node('Reshape', [`${name}_nhwc`, constant(`${name}_shape`, [2], [-1, h * w * ch], INT64)], [name]);
          // tf2onnx's Reshape keeps (h, w, c) order: no reordering of the Dense after it.
          break;
        }
        // PyTorch's x.view(x.size(0), -1): the batch size read from the graph at run time.
        node('Shape', [from[0]], [`${name}_shape`]);
        node('Gather', [`${name}_shape`, constant(`${name}_zero`, [], [0], INT64)], [`${name}_batch`], { axis: 0 });
        node('Unsqueeze', [`${name}_batch`, constant(`${name}_axes`, [1], [0], INT64)], [`${name}_batch1`]);
        node('Concat', [`${name}_batch1`, constant(`${name}_rest`, [1], [-1], INT64)], [`${name}_target`], { axis: 0 });
        node('Reshape', [from[0], `${name}_target`], [name]);
        flattened = imageShape.get(from[0]);
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        if (c.data_format && c.data_format !== 'channels_last') throw new Error(`keras-to-onnx: ${name} is not channels_last`);
        const k = kind === 'Conv2D' ? convKernel(weight(name, 'kernel')) : depthwiseKernel(weight(name, 'depthwise_kernel'));
        const ins = [from[0], constant(`${name}_W`, k.dims, k.values)];
        if (c.use_bias) ins.push(constant(`${name}_B`, [k.dims[0]], weight(name, 'bias').values));
        const attrs = { kernel_shape: k.dims.slice(2), strides: c.strides, dilations: c.dilation_rate, auto_pad: c.padding === 'same' ? 'SAME_UPPER' : 'VALID' };
        if (kind === 'DepthwiseConv2D') attrs.group = k.dims[0] / (c.depth_multiplier ?? 1);
        node('Conv', ins, [name], attrs);
        out = activation(name, c.activation, name);
        break;
      }
      case 'BatchNormalization': {
        const n = weight(name, 'moving_mean').values.length;
        const gamma = c.scale === false ? new Float32Array(n).fill(1) : weight(name, 'gamma').values;
        const beta = c.center === false ? new Float32Array(n) : weight(name, 'beta').values;
        node('BatchNormalization', [from[0], constant(`${name}_gamma`, [n], gamma), constant(`${name}_beta`, [n], beta),
          constant(`${name}_mean`, [n], weight(name, 'moving_mean').values), constant(`${name}_var`, [n], weight(name, 'moving_variance').values)], [name], { epsilon: c.epsilon });
        break;
      }
      case 'ReLU':
        if (c.negative_slope || c.threshold) throw new Error(`keras-to-onnx: ${name}: only max_value is written`);
        if (c.max_value == null) node('Relu', [from[0]], [name]);
        else node('Clip', [from[0], constant(`${name}_min`, [], [0]), constant(`${name}_max`, [], [c.max_value])], [name]);
        break;
      case 'Activation':
        out = activation(name, c.activation, from[0]);
        break;
      case 'ZeroPadding2D': {
        const [[t, b], [l, r]] = c.padding;
        node('Pad', [from[0], constant(`${name}_pads`, [8], [0, 0, t, l, 0, 0, b, r], INT64)], [name]);
        break;
      }
      case 'Add':
        node(from.length === 2 ? 'Add' : 'Sum', from, [name]);
        break;
      case 'GlobalAveragePooling2D':
        node('GlobalAveragePool', [from[0]], [`${name}_nc11`]);
        node('Flatten', [`${name}_nc11`], [name], { axis: 1 });
        break;
      case 'Dense': {
        const k = flattened ? channelsFirstRows(weight(name, 'kernel'), flattened) : weight(name, 'kernel');
        flattened = undefined;
        const ins = [from[0], constant(`${name}_W`, k.shape, k.values)];
        if (c.use_bias) ins.push(constant(`${name}_B`, [k.shape[1]], weight(name, 'bias').values));
        node('Gemm', ins, [name]);
        out = activation(name, c.activation, name);
        break;
      }
      default:
        throw new Error(`keras-to-onnx: layer ${name} of class ${kind} is not written`);
    }
    tensorOf.set(name, out);
    const inShape = imageShape.get(from[0]);
    if (kind === 'InputLayer') {
      const shape = c.batch_input_shape ?? c.batch_shape;
      if (shape.length === 4) imageShape.set(out, shape.slice(1));
    } else if (inShape && ['Conv2D', 'DepthwiseConv2D', 'MaxPooling2D', 'AveragePooling2D'].includes(kind)) {
      const k = c.kernel_size ?? c.pool_size, st = c.strides ?? c.pool_size, d = c.dilation_rate ?? [1, 1], same = c.padding === 'same';
      const channels = kind === 'Conv2D' ? c.filters : kind === 'DepthwiseConv2D' ? inShape[2] * (c.depth_multiplier ?? 1) : inShape[2];
      imageShape.set(out, [window(inShape[0], k[0], st[0], d[0], same), window(inShape[1], k[1], st[1], d[1], same), channels]);
    } else if (inShape && kind === 'ZeroPadding2D') {
      const [[t, b], [l, r]] = c.padding;
      imageShape.set(out, [inShape[0] + t + b, inShape[1] + l + r, inShape[2]]);
    } else if (inShape && ['BatchNormalization', 'ReLU', 'Activation', 'Dropout', 'Add'].includes(kind)) {
      imageShape.set(out, inShape);
    }
  }
  const last = tensorOf.get(outputs[0][0]);
  node('Identity', [last], ['output']);
  const graph = {
    name: topology.config.name ?? 'model', node: nodes, initializer: initializers,
    input: [valueInfo('input', inputShape)], output: [valueInfo('output', ['batch', 'classes'])],
  };
  // ir_version 8 (opset 17's).
  return onnx.ModelProto.encode({ irVersion: 8, producerName: 'wasmlearn keras-to-onnx', opsetImport: [{ domain: '', version: opset }], graph }).finish();
}

/** NHWC images → NCHW, as the ONNX graph takes them. */
export function toNchw({ data, shape: [n, h, w, c] }) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch];
  }
  return { data: out, dims: [n, c, h, w] };
}
