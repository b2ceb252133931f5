// Every default-domain operator wasmlearn/onnx runs, on random shapes, values and attributes,
// against onnxruntime-node: float outputs within 1e-5 (relative and absolute), the rest equal.
import { describe, it } from 'vitest';
import { checkAgainstOrt } from './onnx-check.js';
import { f, i, ints, random, randomArray, s, tensorAttr, type Attribute, type Feeds, type TensorSpec, type TensorType } from './onnx-builder.js';

const rand = random(20261201);

interface In {
  dims: number[];
  type?: TensorType;
  data?: ArrayLike<number> | string[];
  /** An initializer (a constant of the graph) instead of a graph input. */
  constant?: boolean;
  lo?: number;
  hi?: number;
}

/** One node with the given inputs (random floats unless data is given), all its outputs compared with onnxruntime. */
async function op(name: string, ins: (In | null)[], attrs: Record<string, Attribute> = {}, outputs = 1, opset = 17, tol?: number): Promise<void> {
  const feeds: Feeds = {};
  const initializers: TensorSpec[] = [];
  const names = ins.map((x, k) => {
    if (!x) return '';
    const type = x.type ?? 'float32';
    const n = x.dims.reduce((a, b) => a * b, 1);
    const data = x.data ?? (type === 'float32' || type === 'float64' ? randomArray(rand, n, x.lo ?? -2, x.hi ?? 2) : Array.from({ length: n }, () => Math.floor(rand(x.lo ?? 0, x.hi ?? 5))));
    const inputName = `in${k}`;
    if (x.constant) initializers.push({ name: inputName, type, dims: x.dims, data });
    else feeds[inputName] = { type, data: data as ArrayLike<number>, dims: x.dims };
    return inputName;
  });
  const outs = Array.from({ length: outputs }, (_, k) => `out${k}`);
  await checkAgainstOrt({
    opset,
    inputs: ins.flatMap((x, k) => (x && !x.constant ? [{ name: names[k], type: x.type ?? 'float32', dims: x.dims }] : [])),
    outputs: outs.map((o) => ({ name: o })),
    initializers,
    nodes: [{ op: name, inputs: names, outputs: outs, attrs }],
  }, feeds, { tol });
}

const F = (...dims: number[]): In => ({ dims });
const C = (dims: number[], data?: ArrayLike<number>, type: TensorType = 'float32'): In => ({ dims, data, type, constant: true });
const I64 = (data: number[], dims = [data.length]): In => ({ dims, data, type: 'int64', constant: true });

describe('ONNX element-wise operators against onnxruntime', () => {
  for (const name of ['Add', 'Sub', 'Mul', 'Div']) {
    it(`${name} with broadcasting`, async () => {
      await op(name, [F(2, 3, 4), F(4)]);
      await op(name, [F(2, 1, 4), F(3, 1)]);
      await op(name, [F(1), F(2, 5)]);
      await op(name, [F(3, 4), C([3, 4])]);
    });
  }
  it('integer arithmetic (int64 Add, Mul, Div truncating)', async () => {
    for (const name of ['Add', 'Mul', 'Div', 'Sub']) await op(name, [{ dims: [3, 4], type: 'int64', lo: -9, hi: 9 }, { dims: [4], type: 'int64', data: [3, -2, 5, 7] }]);
  });
  it('Pow, Sqrt, Exp, Log, Neg, Abs, Erf, Reciprocal, Floor, Ceil', async () => {
    await op('Pow', [{ dims: [3, 4], lo: 0.1, hi: 3 }, F(4)]);
    await op('Pow', [F(3, 4), C([], [2])]);
    await op('Sqrt', [{ dims: [5, 3], lo: 0, hi: 9 }]);
    await op('Exp', [{ dims: [5, 3], lo: -10, hi: 10 }]);
    await op('Log', [{ dims: [5, 3], lo: 1e-3, hi: 100 }]);
    for (const name of ['Neg', 'Abs', 'Reciprocal', 'Floor', 'Ceil']) await op(name, [F(4, 6)]);
    await op('Erf', [{ dims: [200], lo: -4, hi: 4 }]);
  });
  it('comparisons, Where, Not, Sum, Max, Min, Mean', async () => {
    await op('Equal', [{ dims: [3, 4], type: 'int64' }, { dims: [4], type: 'int64' }]);
    await op('Greater', [F(3, 4), F(4)]);
    await op('Less', [F(3, 4), F(3, 1)]);
    await op('Where', [{ dims: [3, 4], type: 'bool', lo: 0, hi: 2 }, F(3, 4), F(4)]);
    await op('Sum', [F(2, 3), F(3), F(2, 1)]);
    await op('Max', [F(2, 3), F(3)]);
    await op('Min', [F(2, 3), F(3)]);
    await op('Mean', [F(2, 3), F(2, 3), F(3)]);
  });
});

describe('ONNX activations against onnxruntime', () => {
  it('Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, HardSwish, Tanh, Softplus, Softsign', async () => {
    await op('Relu', [F(4, 7)]);
    await op('LeakyRelu', [F(4, 7)], { alpha: f(0.13) });
    await op('Elu', [F(4, 7)], { alpha: f(0.7) });
    await op('Selu', [F(4, 7)]);
    await op('Sigmoid', [{ dims: [50], lo: -20, hi: 20 }]);
    await op('HardSigmoid', [{ dims: [4, 7], lo: -5, hi: 5 }], { alpha: f(0.3), beta: f(0.4) });
    await op('HardSwish', [{ dims: [4, 7], lo: -5, hi: 5 }]);
    await op('Tanh', [{ dims: [50], lo: -6, hi: 6 }]);
    await op('Softplus', [{ dims: [50], lo: -10, hi: 10 }]);
    await op('Softsign', [F(4, 7)]);
  });
  it('PRelu with a per-channel slope, Clip (inputs and opset 6 attributes)', async () => {
    await op('PRelu', [F(2, 3, 4, 4), C([3, 1, 1])]);
    await op('Clip', [{ dims: [5, 5], lo: -8, hi: 8 }, C([], [-1]), C([], [6])]);
    await op('Clip', [{ dims: [5, 5], lo: -8, hi: 8 }, C([], [0])]);
    await op('Clip', [{ dims: [5, 5], lo: -8, hi: 8 }], { min: f(-0.5), max: f(0.5) }, 1, 6);
  });
  it('Softmax and LogSoftmax along an axis (opset 13) and flattened (opset 11)', async () => {
    for (const name of ['Softmax', 'LogSoftmax']) {
      await op(name, [{ dims: [2, 3, 5], lo: -5, hi: 5 }], { axis: i(1) });
      await op(name, [{ dims: [2, 3, 5], lo: -5, hi: 5 }], {});
      await op(name, [{ dims: [2, 3, 5], lo: -5, hi: 5 }], { axis: i(1) }, 1, 11);
    }
  });
  it('Gelu, exact and tanh (opset 20)', async () => {
    await op('Gelu', [{ dims: [64], lo: -5, hi: 5 }], {}, 1, 20);
    await op('Gelu', [{ dims: [64], lo: -5, hi: 5 }], { approximate: s('tanh') }, 1, 20);
  });
});

describe('ONNX MatMul and Gemm against onnxruntime', () => {
  it('MatMul: matrices, a batch times a matrix, broadcast batches, vectors', async () => {
    await op('MatMul', [F(5, 7), C([7, 3])]);
    await op('MatMul', [F(2, 5, 7), F(7, 3)]);
    await op('MatMul', [F(2, 1, 3, 4), F(5, 4, 2)]);
    await op('MatMul', [F(7), F(7, 3)]);
    await op('MatMul', [F(4, 7), F(7)]);
  });
  it('Gemm with transposes, alpha, beta and C of every broadcast shape', async () => {
    await op('Gemm', [F(4, 6), C([6, 3]), C([3])]);
    await op('Gemm', [F(6, 4), C([3, 6]), C([4, 3])], { transA: i(1), transB: i(1), alpha: f(0.5), beta: f(2) });
    await op('Gemm', [F(4, 6), F(6, 3), C([1])], { alpha: f(-1.5) });
    await op('Gemm', [F(4, 6), F(3, 6)], { transB: i(1) });
    await op('Gemm', [F(4, 6), C([6, 3]), C([4, 1])]);
  });
  it('one to three rows times constant weights (packed once, streamed): k blocks odd and even, partial panels, transposes', async () => {
    // Sums of 700 to 1000 products up to 4 in magnitude: float32 rounding in either runtime is ~1e-5 absolute.
    const long = 1e-4;
    await op('Gemm', [F(1, 800), C([800, 45]), C([45])], {}, 1, 17, long);
    await op('Gemm', [F(700, 3), C([37, 700])], { transA: i(1), transB: i(1) }, 1, 17, long);
    await op('Gemm', [F(781, 2), C([781, 70])], { transA: i(1), alpha: f(0.5) }, 1, 17, long);
    await op('MatMul', [F(1, 1000), C([1000, 33])], {}, 1, 17, long);
    await op('MatMul', [F(3, 9), C([9, 5])]);
  });
});

describe('ONNX convolutions and pooling against onnxruntime', () => {
  it('Conv: pads, strides, dilations, groups, depthwise, auto_pad, 1-d, pointwise', async () => {
    await op('Conv', [F(2, 3, 9, 8), C([4, 3, 3, 3]), C([4])], { pads: ints([1, 0, 2, 1]), strides: ints([2, 1]) });
    await op('Conv', [F(1, 4, 10, 10), C([6, 2, 3, 3])], { group: i(2), dilations: ints([2, 2]) });
    await op('Conv', [F(2, 6, 7, 7), C([12, 1, 3, 3]), C([12])], { group: i(6), pads: ints([1, 1, 1, 1]), strides: ints([2, 2]) });
    await op('Conv', [F(1, 3, 7, 6), C([2, 3, 3, 2])], { auto_pad: s('SAME_UPPER'), strides: ints([2, 2]) });
    await op('Conv', [F(1, 3, 7, 6), C([2, 3, 4, 4])], { auto_pad: s('SAME_LOWER') });
    await op('Conv', [F(1, 3, 7, 6), C([2, 3, 2, 2])], { auto_pad: s('VALID'), strides: ints([3, 2]) });
    await op('Conv', [F(2, 3, 20), C([5, 3, 4]), C([5])], { pads: ints([2, 1]), strides: ints([2]) });
    await op('Conv', [F(2, 8, 5, 5), C([16, 8, 1, 1]), C([16])]);
    await op('Conv', [F(2, 3, 6, 6), F(4, 3, 3, 3)]);
    // Weights larger than packing's 64 KiB staging buffer go in by parts: a grouped convolution's
    // filters (rows 64 floats apart, 32 of them read) in two runs of rows, and 1 × 1 filters (B
    // transposed) in runs of whole panels.
    await op('Conv', [F(1, 64, 6, 6), C([64, 32, 3, 3]), C([64])], { group: i(2), pads: ints([1, 1, 1, 1]) }, 1, 17, 1e-4);
    await op('Conv', [F(1, 700, 2, 2), C([30, 700, 1, 1])], {}, 1, 17, 1e-4);
  });
  it('ConvTranspose: strides, pads, output_padding, 1-d', async () => {
    await op('ConvTranspose', [F(2, 3, 5, 4), C([3, 2, 3, 3]), C([2])], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), output_padding: ints([1, 0]) });
    await op('ConvTranspose', [F(1, 4, 3, 3), C([4, 3, 2, 2])], { strides: ints([2, 2]) });
    await op('ConvTranspose', [F(2, 3, 7), C([3, 2, 3])], { strides: ints([3]) });
  });
  it('MaxPool and AveragePool: pads, strides, ceil_mode, count_include_pad, 1-d', async () => {
    await op('MaxPool', [F(2, 3, 9, 8)], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
    await op('MaxPool', [F(1, 2, 7, 7)], { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: i(1) });
    await op('MaxPool', [F(1, 2, 7, 7)], { kernel_shape: ints([2, 2]), dilations: ints([2, 2]) });
    await op('AveragePool', [F(2, 3, 9, 8)], { kernel_shape: ints([3, 2]), strides: ints([2, 2]), pads: ints([1, 1, 1, 0]) });
    await op('AveragePool', [F(2, 3, 9, 8)], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), count_include_pad: i(1) });
    await op('MaxPool', [F(2, 3, 11)], { kernel_shape: ints([3]), strides: ints([2]) });
    await op('AveragePool', [F(1, 1, 6, 6)], { kernel_shape: ints([2, 2]), auto_pad: s('SAME_UPPER'), strides: ints([2, 2]) });
  });
  it('GlobalAveragePool and GlobalMaxPool', async () => {
    await op('GlobalAveragePool', [F(2, 5, 4, 3)]);
    await op('GlobalMaxPool', [F(2, 5, 4, 3)]);
    await op('GlobalAveragePool', [F(2, 5, 7)]);
  });
});

describe('a BatchNormalization after a Conv, as the Conv\'s epilogue, against onnxruntime', () => {
  const stats = (name: string, c: number): TensorSpec[] => [
    { name: `${name}_scale`, type: 'float32', dims: [c], data: randomArray(rand, c, -2, 2) },
    { name: `${name}_shift`, type: 'float32', dims: [c], data: randomArray(rand, c, -1, 1) },
    { name: `${name}_mean`, type: 'float32', dims: [c], data: randomArray(rand, c, -1, 1) },
    { name: `${name}_var`, type: 'float32', dims: [c], data: randomArray(rand, c, 0.1, 2) },
  ];
  const bn = (x: string, name: string, out: string) => ({ op: 'BatchNormalization', inputs: [x, `${name}_scale`, `${name}_shift`, `${name}_mean`, `${name}_var`], outputs: [out], attrs: { epsilon: f(1e-3) } });
  it('with the Conv\'s bias, then a constant Add and a Sigmoid (which stay nodes of their own); grouped and depthwise, then a ReLU6', async () => {
    await checkAgainstOrt({
      opset: 17,
      inputs: [{ name: 'x', type: 'float32', dims: [2, 4, 7, 6] }],
      outputs: [{ name: 'y' }, { name: 'z' }, { name: 'd' }],
      initializers: [
        { name: 'w', type: 'float32', dims: [6, 4, 3, 3], data: randomArray(rand, 6 * 4 * 9, -0.5, 0.5) },
        { name: 'b', type: 'float32', dims: [6], data: randomArray(rand, 6, -1, 1) },
        { name: 'add', type: 'float32', dims: [1, 6, 1, 1], data: randomArray(rand, 6, -1, 1) },
        { name: 'wg', type: 'float32', dims: [6, 2, 1, 1], data: randomArray(rand, 12, -0.5, 0.5) },
        { name: 'wd', type: 'float32', dims: [4, 1, 3, 3], data: randomArray(rand, 36, -0.5, 0.5) },
        { name: 'lo', type: 'float32', dims: [], data: [0] }, { name: 'hi', type: 'float32', dims: [], data: [6] },
        ...stats('n1', 6), ...stats('n2', 6), ...stats('n3', 4),
      ],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c1'], attrs: { pads: ints([1, 1, 1, 1]) } },
        bn('c1', 'n1', 'n1o'),
        { op: 'Add', inputs: ['n1o', 'add'], outputs: ['a1'] },
        { op: 'Sigmoid', inputs: ['a1'], outputs: ['y'] },
        { op: 'Conv', inputs: ['x', 'wg'], outputs: ['c2'], attrs: { group: i(2) } },
        bn('c2', 'n2', 'n2o'),
        { op: 'Sigmoid', inputs: ['n2o'], outputs: ['z'] },
        { op: 'Conv', inputs: ['x', 'wd'], outputs: ['c3'], attrs: { group: i(4), pads: ints([1, 1, 1, 1]) } },
        bn('c3', 'n3', 'n3o'),
        { op: 'Clip', inputs: ['n3o', 'lo', 'hi'], outputs: ['d'] },
      ],
    }, { x: { type: 'float32', data: randomArray(rand, 2 * 4 * 7 * 6, -2, 2), dims: [2, 4, 7, 6] } });
  });
});

describe('an element-wise activation after a Gemm or MatMul, as the GEMM\'s epilogue, against onnxruntime', () => {
  // One row takes the kernels' one-row path (even column ranges across threads), five rows the
  // blocked path; with and without a bias; softmax stays a pass of its own.
  const activations: [string, Record<string, Attribute>][] = [
    ['Sigmoid', {}], ['Tanh', {}], ['Relu', {}], ['Elu', {}], ['Selu', {}], ['Softplus', {}], ['Softsign', {}],
    ['HardSigmoid', {}], ['Gelu', {}], ['Gelu', { approximate: s('tanh') }], ['Softmax', { axis: i(1) }],
  ];
  for (const rows of [1, 5]) {
    it(`${rows} row${rows > 1 ? 's' : ''}: ${activations.map(([a]) => a).join(', ')}`, async () => {
      // Sizes past the pool's threshold, so both threads take part on 2 threads.
      const k = 200, n = 700;
      for (const [activation, attrs] of activations) {
        await checkAgainstOrt({
          opset: activation === 'Gelu' ? 20 : 17,
          inputs: [{ name: 'x', type: 'float32', dims: ['n', k] }],
          outputs: [{ name: 'y' }, { name: 'z' }],
          initializers: [
            { name: 'w', type: 'float32', dims: [k, n], data: randomArray(rand, k * n, -0.3, 0.3) },
            { name: 'b', type: 'float32', dims: [n], data: randomArray(rand, n, -1, 1) },
          ],
          nodes: [
            { op: 'Gemm', inputs: ['x', 'w', 'b'], outputs: ['g'] },
            { op: activation, inputs: ['g'], outputs: ['y'], attrs },
            { op: 'MatMul', inputs: ['x', 'w'], outputs: ['m'] },
            { op: activation, inputs: ['m'], outputs: ['z'], attrs },
          ],
        }, { x: { type: 'float32', data: randomArray(rand, rows * k, -2, 2), dims: [rows, k] } });
      }
    });
  }
});

describe('an element-wise activation after a Conv on the GEMM, as its epilogue, against onnxruntime', () => {
  it('Sigmoid, Tanh, Elu, Gelu after plain, grouped, 1 × 1 and depthwise convolutions (the depthwise kernel keeps a pass of its own)', async () => {
    for (const activation of ['Sigmoid', 'Tanh', 'Elu', 'Gelu']) {
      await checkAgainstOrt({
        opset: activation === 'Gelu' ? 20 : 17,
        inputs: [{ name: 'x', type: 'float32', dims: [2, 4, 9, 8] }],
        outputs: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
        initializers: [
          { name: 'w', type: 'float32', dims: [6, 4, 3, 3], data: randomArray(rand, 6 * 4 * 9, -0.5, 0.5) },
          { name: 'bias', type: 'float32', dims: [6], data: randomArray(rand, 6, -1, 1) },
          { name: 'wg', type: 'float32', dims: [6, 2, 3, 3], data: randomArray(rand, 6 * 2 * 9, -0.5, 0.5) },
          { name: 'w1', type: 'float32', dims: [5, 4, 1, 1], data: randomArray(rand, 20, -0.5, 0.5) },
          { name: 'wd', type: 'float32', dims: [4, 1, 3, 3], data: randomArray(rand, 36, -0.5, 0.5) },
        ],
        nodes: [
          { op: 'Conv', inputs: ['x', 'w', 'bias'], outputs: ['ca'], attrs: { pads: ints([1, 1, 1, 1]) } },
          { op: activation, inputs: ['ca'], outputs: ['a'] },
          { op: 'Conv', inputs: ['x', 'wg'], outputs: ['cb'], attrs: { group: i(2), strides: ints([2, 2]) } },
          { op: activation, inputs: ['cb'], outputs: ['b'] },
          { op: 'Conv', inputs: ['x', 'w1'], outputs: ['cc'] },
          { op: activation, inputs: ['cc'], outputs: ['c'] },
          { op: 'Conv', inputs: ['x', 'wd'], outputs: ['cd'], attrs: { group: i(4), pads: ints([1, 1, 1, 1]) } },
          { op: activation, inputs: ['cd'], outputs: ['d'] },
        ],
      }, { x: { type: 'float32', data: randomArray(rand, 2 * 4 * 9 * 8, -2, 2), dims: [2, 4, 9, 8] } });
    }
  });
});

describe('ONNX normalizations against onnxruntime', () => {
  it('BatchNormalization, InstanceNormalization, LayerNormalization', async () => {
    await op('BatchNormalization', [F(2, 3, 4, 5), C([3]), C([3]), C([3]), { dims: [3], lo: 0.1, hi: 2, constant: true }], { epsilon: f(1e-3) });
    await op('BatchNormalization', [F(4, 3), C([3]), C([3]), C([3]), { dims: [3], lo: 0.1, hi: 2, constant: true }]);
    await op('InstanceNormalization', [F(2, 3, 4, 5), C([3]), C([3])]);
    await op('LayerNormalization', [F(2, 3, 8), C([8]), C([8])], { epsilon: f(1e-5) });
    await op('LayerNormalization', [F(2, 3, 8), C([3, 8])], { axis: i(-2) });
  });
});

describe('ONNX shape and data movement operators against onnxruntime', () => {
  it('Flatten, Reshape (0 and -1), Transpose, Squeeze and Unsqueeze (inputs and attributes)', async () => {
    await op('Flatten', [F(2, 3, 4, 5)], { axis: i(2) });
    await op('Flatten', [F(2, 3, 4)], { axis: i(0) });
    await op('Reshape', [F(2, 3, 4), I64([0, -1])]);
    await op('Reshape', [F(2, 3, 4), I64([4, 3, 2])]);
    await op('Transpose', [F(2, 3, 4, 5)], { perm: ints([0, 2, 3, 1]) });
    await op('Transpose', [F(2, 3, 4)]);
    await op('Squeeze', [F(2, 1, 3, 1), I64([1, -1])]);
    await op('Squeeze', [F(2, 1, 3, 1)]);
    await op('Squeeze', [F(2, 1, 3, 1)], { axes: ints([1]) }, 1, 11);
    await op('Unsqueeze', [F(2, 3), I64([0, 3])]);
    await op('Unsqueeze', [F(2, 3)], { axes: ints([-1]) }, 1, 11);
  });
  it('Concat, Split (sizes, equal parts, num_outputs), Slice (axes, negative steps), Gather', async () => {
    await op('Concat', [F(2, 3, 4), F(2, 1, 4), F(2, 2, 4)], { axis: i(1) });
    await op('Concat', [{ dims: [2, 3], type: 'int64' }, { dims: [2, 2], type: 'int64' }], { axis: i(-1) });
    await op('Split', [F(2, 6, 3), I64([1, 2, 3])], { axis: i(1) }, 3);
    await op('Split', [F(6, 3)], {}, 3);
    await op('Split', [F(7, 3)], { num_outputs: i(3) }, 3, 18);
    await op('Slice', [F(5, 6, 4), I64([1, -1]), I64([4, -7]), I64([0, 1]), I64([2, -2])]);
    await op('Slice', [F(5, 6), I64([2]), I64([1000]), I64([-1])]);
    await op('Slice', [F(5, 6)], { starts: ints([1, 0]), ends: ints([3, 5]) }, 1, 9);
    await op('Gather', [F(4, 5, 3), I64([0, -1, 2, 2], [2, 2])], { axis: i(1) });
    await op('Gather', [F(4, 5), I64([3])]);
  });
  it('Shape (start, end), Size, ConstantOfShape, Constant, Identity, Dropout, Expand, Tile, Range', async () => {
    await op('Shape', [F(2, 3, 4, 5)]);
    await op('Shape', [F(2, 3, 4, 5)], { start: i(1), end: i(-1) }, 1, 15);
    await op('Size', [F(2, 3, 4)]);
    await op('ConstantOfShape', [I64([2, 3])], { value: tensorAttr({ type: 'float32', dims: [1], data: [1.5] }) });
    await op('ConstantOfShape', [I64([4])], { value: tensorAttr({ type: 'int64', dims: [1], data: [7] }) });
    await op('Constant', [], { value: tensorAttr({ type: 'float32', dims: [2, 2], data: [1, 2, 3, 4] }) });
    await op('Constant', [], { value_ints: ints([3, 1, 4]) });
    await op('Identity', [F(3, 3)]);
    await op('Dropout', [F(3, 3)]);
    await op('Expand', [F(3, 1), I64([2, 3, 4])]);
    await op('Tile', [F(2, 3), I64([2, 1])]);
    await op('Range', [{ dims: [], type: 'int64', data: [2], constant: true }, { dims: [], type: 'int64', data: [11], constant: true }, { dims: [], type: 'int64', data: [3], constant: true }]);
  });
  it('Cast between float, double, int64, int32 and bool', async () => {
    await op('Cast', [{ dims: [3, 4], lo: -5, hi: 5 }], { to: i(7) });
    await op('Cast', [{ dims: [3, 4], type: 'int64', lo: -5, hi: 5 }], { to: i(1) });
    await op('Cast', [F(3, 4)], { to: i(11) });
    await op('Cast', [{ dims: [3, 4], lo: -2, hi: 2 }], { to: i(9) });
    await op('Cast', [{ dims: [3, 4], type: 'int64' }], { to: i(6) });
  });
  it('Pad: constant, reflect and edge (inputs, opset 11+)', async () => {
    await op('Pad', [F(2, 3, 4), I64([0, 1, 2, 0, 2, 1]), C([], [0.5])]);
    await op('Pad', [F(3, 4), I64([1, 2, 2, 3])], { mode: s('reflect') });
    await op('Pad', [F(3, 4), I64([2, 1, 0, 3])], { mode: s('edge') });
    await op('Pad', [F(1, 2, 3, 3), I64([0, 0, 1, 1, 0, 0, 1, 1])]);
  });
  it('Resize: nearest and linear with the coordinate modes, by scales and by sizes', async () => {
    const x = F(1, 2, 4, 5);
    await op('Resize', [x, null, C([4], [1, 1, 2, 2])], { mode: s('nearest') }, 1, 13);
    await op('Resize', [x, null, C([4], [1, 1, 2, 1.5])], { mode: s('linear') }, 1, 13);
    await op('Resize', [x, null, null, I64([1, 2, 7, 3])], { mode: s('linear'), coordinate_transformation_mode: s('align_corners') }, 1, 13);
    await op('Resize', [x, null, C([4], [1, 1, 2, 2])], { mode: s('nearest'), coordinate_transformation_mode: s('asymmetric'), nearest_mode: s('floor') }, 1, 13);
    await op('Resize', [x, null, null, I64([1, 2, 9, 11])], { mode: s('linear'), coordinate_transformation_mode: s('pytorch_half_pixel') }, 1, 13);
    await op('Resize', [x, null, C([4], [1, 1, 0.5, 0.6])], { mode: s('linear') }, 1, 13);
    await op('Resize', [x, C([4], [1, 1, 3, 3])], { mode: s('nearest') }, 1, 10);
  });
  it('ReduceMean, ReduceSum, ReduceMax, ReduceMin, ArgMax, ArgMin', async () => {
    await op('ReduceMean', [F(2, 3, 4), I64([1])], {}, 1, 18);
    await op('ReduceMean', [F(2, 3, 4)], { axes: ints([0, 2]), keepdims: i(0) }, 1, 13);
    await op('ReduceSum', [F(2, 3, 4), I64([-1])], { keepdims: i(0) }, 1, 13);
    await op('ReduceSum', [F(2, 3, 4)], {}, 1, 13);
    await op('ReduceMax', [F(2, 3, 4), I64([0, 1])], {}, 1, 18);
    await op('ReduceMin', [F(2, 3, 4)], { axes: ints([1]) }, 1, 13);
    await op('ArgMax', [F(3, 4, 5)], { axis: i(1) });
    await op('ArgMax', [{ dims: [3, 6], data: [1, 3, 3, 0, 2, 3, 5, 5, 1, 0, 0, 5, 1, 1, 1, 1, 1, 1] }], { axis: i(1), keepdims: i(0), select_last_index: i(1) });
    await op('ArgMin', [F(3, 4)], { axis: i(0) });
  });
});

describe('ONNX recurrent operators against onnxruntime', () => {
  const seq = 5, batch = 3, size = 4, hidden = 6;
  it('LSTM: forward with biases and states, bidirectional, reverse with sequence lengths, peepholes', async () => {
    await op('LSTM', [F(seq, batch, size), C([1, 4 * hidden, size]), C([1, 4 * hidden, hidden]), C([1, 8 * hidden]), null, F(1, batch, hidden), F(1, batch, hidden)], { hidden_size: i(hidden) }, 3);
    await op('LSTM', [F(seq, batch, size), C([2, 4 * hidden, size]), C([2, 4 * hidden, hidden]), C([2, 8 * hidden])], { hidden_size: i(hidden), direction: s('bidirectional') }, 3);
    await op('LSTM', [F(seq, batch, size), C([1, 4 * hidden, size]), C([1, 4 * hidden, hidden]), null, { dims: [batch], type: 'int32', data: [5, 3, 1], constant: true }],
      { hidden_size: i(hidden), direction: s('reverse') }, 3);
    await op('LSTM', [F(seq, batch, size), C([1, 4 * hidden, size]), C([1, 4 * hidden, hidden]), C([1, 8 * hidden]), null, null, null, C([1, 3 * hidden])], { hidden_size: i(hidden) }, 3);
  });
  it('GRU (linear_before_reset 0 and 1, bidirectional) and RNN', async () => {
    await op('GRU', [F(seq, batch, size), C([1, 3 * hidden, size]), C([1, 3 * hidden, hidden]), C([1, 6 * hidden])], { hidden_size: i(hidden) }, 2);
    await op('GRU', [F(seq, batch, size), C([1, 3 * hidden, size]), C([1, 3 * hidden, hidden]), C([1, 6 * hidden])], { hidden_size: i(hidden), linear_before_reset: i(1) }, 2);
    await op('GRU', [F(seq, batch, size), C([2, 3 * hidden, size]), C([2, 3 * hidden, hidden])], { hidden_size: i(hidden), direction: s('bidirectional') }, 2);
    await op('RNN', [F(seq, batch, size), C([1, hidden, size]), C([1, hidden, hidden]), C([1, 2 * hidden])], { hidden_size: i(hidden) }, 2);
  });
});
