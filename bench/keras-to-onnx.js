// Writes a TF.js layers model (the artifacts `model.toTfjs()` returns) as an ONNX file, so the
// benchmarks can run the very same weights in onnxruntime. Only what the benchmarked image models
// use: InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU (max_value), Activation,
// ZeroPadding2D, Add, GlobalAveragePooling2D, Dense. The graph is NCHW, as a PyTorch export would
// be; the caller feeds NCHW images. Anything else is refused by name rather than written wrongly.
//
// Protobuf by hand (onnx.proto, proto2 field numbers), so the bench needs no protobuf package.

const enc = new TextEncoder();

/** Protobuf writer: fields appended as tag + payload. */
class Pb {
  constructor() { this.parts = []; this.size = 0; }
  push(bytes) { this.parts.push(bytes); this.size += bytes.length; return this; }
  varint(v) {
    const out = [];
    let n = BigInt.asUintN(64, BigInt(v));
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return this.push(Uint8Array.from(out));
  }
  tag(field, wire) { return this.varint((field << 3) | wire); }
  int(field, v) { return this.tag(field, 0).varint(v); }
  bytes(field, b) { return this.tag(field, 2).varint(b.length).push(b); }
  string(field, s) { return this.bytes(field, enc.encode(s)); }
  message(field, m) { return this.bytes(field, m.finish()); }
  float(field, v) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.tag(field, 5).push(b);
  }
  finish() {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

const FLOAT = 1, INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 };

function tensorProto(name, dims, values, type = FLOAT) {
  const t = new Pb();
  for (const d of dims) t.int(1, d);
  t.int(2, type);
  t.string(8, name);
  const raw = type === FLOAT ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values, BigInt).buffer);
  return t.bytes(9, raw);
}

function attribute(name, value) {
  const a = new Pb().string(1, name);
  if (typeof value === 'string') return a.bytes(4, enc.encode(value)).int(20, ATTR.STRING);
  if (Array.isArray(value)) { for (const v of value) a.int(8, v); return a.int(20, ATTR.INTS); }
  if (Number.isInteger(value)) return a.int(3, value).int(20, ATTR.INT);
  return a.float(2, value).int(20, ATTR.FLOAT);
}

function valueInfo(name, dims) {
  const shape = new Pb();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new Pb().string(2, d) : new Pb().int(1, d));
  const tensorType = new Pb().int(1, FLOAT).message(2, shape);
  return new Pb().string(1, name).message(2, new Pb().message(1, tensorType));
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

/**
 * The ONNX bytes of a TF.js layers model with one image input; input 'input' [batch, C, H, W],
 * output 'output'.
 */
export function kerasToOnnx(artifacts, { opset = 17 } = {}) {
  const topology = artifacts.modelTopology.model_config ?? artifacts.modelTopology;
  const { layers, input_layers: inputs, output_layers: outputs } = topology.config;
  if (inputs.length !== 1 || outputs.length !== 1) throw new Error('keras-to-onnx: one input and one output only');
  const weights = weightsByName(artifacts);
  const weight = (layer, key) => {
    const w = weights.get(`${layer}/${key}`) ?? [...weights].find(([n]) => n.endsWith(`/${layer}/${key}`))?.[1];
    if (!w) throw new Error(`keras-to-onnx: no weight ${layer}/${key}`);
    return w;
  };
  const graph = new Pb();
  const initializers = [];
  const constant = (name, dims, values, type) => { initializers.push(tensorProto(name, dims, values, type)); return name; };
  const node = (op, ins, outs, attrs = {}) => {
    const n = new Pb();
    for (const i of ins) n.string(1, i);
    for (const o of outs) n.string(2, o);
    n.string(3, `${outs[0]}_${op}`).string(4, op);
    for (const [k, v] of Object.entries(attrs)) n.message(5, attribute(k, v));
    graph.message(1, n);
  };
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
        const [, h, w, ch] = c.batch_input_shape ?? c.batch_shape;
        inputShape = ['batch', ch, h, w];
        out = 'input';
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
        const k = weight(name, 'kernel');
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
  }
  const last = tensorOf.get(outputs[0][0]);
  node('Identity', [last], ['output']);
  graph.string(2, topology.config.name ?? 'model');
  for (const t of initializers) graph.message(5, t);
  graph.message(11, valueInfo('input', inputShape));
  graph.message(12, valueInfo('output', ['batch', 'classes']));
  return new Pb()
    .int(1, 8) // ir_version 8 (opset 17's)
    .string(2, 'wasmlearn bench')
    .message(7, graph)
    .message(8, new Pb().string(1, '').int(2, opset))
    .finish();
}

/** NHWC images → NCHW, as the ONNX graph takes them. */
export function toNchw({ data, shape: [n, h, w, c] }) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch];
  }
  return { data: out, dims: [n, c, h, w] };
}
