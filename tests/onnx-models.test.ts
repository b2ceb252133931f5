// Whole models as exporters write them: the lecture's MLP, the small CNN and MobileNetV2 built in
// wasmlearn, written as ONNX (bench/keras-to-onnx.js) in PyTorch's convention (NCHW input, Flatten
// as Shape → Gather → Unsqueeze → Concat → Reshape) and tf2onnx's (NHWC input transposed to NCHW,
// Transpose before Reshape). Three answers must agree: the wasmlearn model's own predict, the ONNX
// file in wasmlearn/onnx, and the file in onnxruntime-node.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as wl from '../dist/index.js';
import { loadOnnx, OnnxModel, Tensor } from '../dist/onnx.js';
import { kerasToOnnx, toNchw } from '../bench/keras-to-onnx.js';
import { i, ints, modelBytes, random, randomArray, runOrt } from './onnx-builder.js';
import { tempDir } from './temp-dir.js';

const L = wl.layers;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]) / (1 + Math.abs(b[k])));
  return m;
}

async function threeWay(model: wl.LayersModel, imageShape: number[], rows: number, convention: 'pytorch' | 'tf2onnx', tol = 1e-5): Promise<OnnxModel> {
  const x = { data: randomArray(random(rows + imageShape.length), rows * imageShape.reduce((a, b) => a * b, 1), 0, 1), shape: [rows, ...imageShape] };
  const expected = model.predict(x) as wl.Tensor;
  const bytes = kerasToOnnx(model.toTfjs(), { convention });
  const onnxModel = await loadOnnx(bytes);
  const feed = imageShape.length === 3 && convention === 'pytorch' ? toNchw(x) : { data: x.data, dims: x.shape };
  const ours = (await onnxModel.run({ input: feed })).output as { data: Float32Array; dims: number[] };
  const ref = await runOrt(bytes, { input: { type: 'float32', data: feed.data, dims: feed.dims } });
  expect([...ours.dims]).toEqual([rows, expected.shape[1]]);
  expect(maxDiff(ours.data, ref.output.data as Float32Array), 'vs onnxruntime').toBeLessThanOrEqual(tol);
  expect(maxDiff(ours.data, expected.data), 'vs the wasmlearn model').toBeLessThanOrEqual(tol);
  return onnxModel;
}

describe('exported models in wasmlearn/onnx, onnxruntime-node and the wasmlearn model itself', () => {
  it('the lecture\'s MLP (Gemm + Relu / Sigmoid + Softmax), predict by batches of a symbolic batch', async () => {
    wl.setRandomSeed(3);
    const mlp = new wl.Sequential([
      L.dense({ units: 128, inputShape: [784], activation: 'relu' }), L.dropout({ rate: 0.2 }),
      L.dense({ units: 64, activation: 'sigmoid' }), L.dense({ units: 10, activation: 'softmax' }),
    ]);
    const m = await threeWay(mlp, [784], 37, 'pytorch');
    expect(m.inputs[0]).toEqual({ name: 'input', type: 'float32', dims: ['batch', 784] });
    // predict runs 600 rows 256 at a time; the same values as one run.
    const x = { data: randomArray(random(9), 600 * 784, 0, 1), dims: [600, 784] };
    const whole = (await m.run({ input: x })).output as { data: Float32Array };
    const batched = await m.predict(x, { batchSize: 256 }) as Tensor;
    expect(batched).toBeInstanceOf(Tensor);
    expect(batched.shape).toEqual([600, 10]);
    expect(Array.from(batched.data)).toEqual(Array.from(whole.data));
  });
  for (const convention of ['pytorch', 'tf2onnx'] as const) {
    it(`the small CNN in ${convention}'s convention (Conv + Relu, MaxPool, Flatten subgraph, Dense)`, async () => {
      wl.setRandomSeed(4);
      const cnn = new wl.Sequential([
        L.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }), L.maxPooling2d({ poolSize: 2 }),
        L.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' }), L.maxPooling2d({ poolSize: 2 }),
        L.flatten(), L.dense({ units: 32, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' }),
      ]);
      await threeWay(cnn, [12, 12, 1], 5, convention);
    });
  }
  it('a 3-channel CNN with batch normalization folded into the convolution epilogue and a ReLU6', async () => {
    wl.setRandomSeed(5);
    const net = new wl.Sequential([
      L.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', inputShape: [15, 15, 3], useBias: false }),
      L.batchNormalization(), L.reLU({ maxValue: 6 }),
      L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), L.batchNormalization(), L.reLU({ maxValue: 6 }),
      L.globalAveragePooling2d(), L.dense({ units: 4 }),
    ]);
    // Statistics other than 0 / 1, so the folding has something to fold.
    for (const l of net.layers) {
      if (l.className !== 'BatchNormalization') continue;
      l.setWeights(l.getWeights().map((w, k) => ({ data: randomArray(random(k + 11), w.size, k === 3 ? 0.5 : -1, k === 3 ? 2 : 1), shape: w.shape })));
    }
    await threeWay(net, [15, 15, 3], 3, 'pytorch', 2e-5);
  });
  it('MobileNetV2 (alpha 0.35, 96 × 96): depthwise blocks, ReLU6, residual adds', async () => {
    wl.setRandomSeed(6);
    const net = wl.applications.mobileNetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10, classifierActivation: 'linear' });
    for (const l of net.flatLayers) {
      if (l.className !== 'BatchNormalization') continue;
      const w = l.getWeights();
      w[3] = { data: new Float32Array(w[3].size).fill(0.05), shape: w[3].shape };
      l.setWeights(w);
    }
    // Random weights through 17 blocks amplify float32 rounding: any two of the three (onnxruntime,
    // wasmlearn/onnx with batch norm in the convolutions' epilogues, the wasmlearn model normalizing as it
    // writes) differ by 3e-4 to 8e-4 of (1 + |value|), values up to 7.6.
    await threeWay(net, [96, 96, 3], 2, 'pytorch', 1.5e-3);
  }, 120_000);
});

describe('constant weights packed once (Gemm, MatMul, Conv)', () => {
  const flattenDir = tempDir('wasmlearn-onnx-flatten-');
  it('one row (a one-row GEMM streaming the packed panels) and short batches give the bits of the same rows in a batch, on 1 and 2 threads', async () => {
    const r = random(31);
    // k = 800 is three GEMM k-blocks; n = 171 and 29 leave partial panels (171 × 800 is enough for a
    // one-row product to be split across two threads); Gemm with transB as PyTorch writes it.
    const bytes = modelBytes({
      nodes: [
        { op: 'Gemm', inputs: ['x', 'w1', 'b1'], outputs: ['g'], attrs: { transB: i(1) } },
        { op: 'Relu', inputs: ['g'], outputs: ['h'] },
        { op: 'MatMul', inputs: ['h', 'w2'], outputs: ['y'] },
        { op: 'Conv', inputs: ['img', 'k1', 'c1'], outputs: ['c'], attrs: { pads: ints([1, 1, 1, 1]) } },
        { op: 'Conv', inputs: ['c', 'k2'], outputs: ['z'], attrs: { group: i(2) } },
      ],
      inputs: [{ name: 'x', type: 'float32', dims: ['n', 800] }, { name: 'img', type: 'float32', dims: ['n', 3, 9, 9] }],
      outputs: [{ name: 'y', type: 'float32', dims: ['n', 29] }, { name: 'z', type: 'float32', dims: ['n', 6, 9, 9] }],
      initializers: [
        { name: 'w1', type: 'float32', dims: [171, 800], data: randomArray(r, 171 * 800, -0.1, 0.1) },
        { name: 'b1', type: 'float32', dims: [171], data: randomArray(r, 171, -1, 1) },
        { name: 'w2', type: 'float32', dims: [171, 29], data: randomArray(r, 171 * 29, -1, 1) },
        { name: 'k1', type: 'float32', dims: [10, 3, 3, 3], data: randomArray(r, 270, -1, 1) },
        { name: 'c1', type: 'float32', dims: [10], data: randomArray(r, 10, -1, 1) },
        { name: 'k2', type: 'float32', dims: [6, 5, 1, 1], data: randomArray(r, 30, -1, 1) },
      ],
    });
    const rows = 9;
    const x = randomArray(r, rows * 800, -1, 1), img = randomArray(r, rows * 243, -1, 1);
    const feed = (start: number, end: number) => ({
      x: { data: x.subarray(start * 800, end * 800), dims: [end - start, 800] },
      img: { data: img.subarray(start * 243, end * 243), dims: [end - start, 3, 9, 9] },
    });
    const ref = await runOrt(bytes, { x: { type: 'float32', data: x, dims: [rows, 800] }, img: { type: 'float32', data: img, dims: [rows, 3, 9, 9] } });
    const runs = [];
    for (const threads of [1, 2]) {
      await wl.init({ threads });
      const model = await loadOnnx(bytes);
      const whole = await model.run(feed(0, rows)) as Record<'y' | 'z', { data: Float32Array }>;
      expect(maxDiff(whole.y.data, ref.y.data as Float32Array)).toBeLessThanOrEqual(1e-5);
      expect(maxDiff(whole.z.data, ref.z.data as Float32Array)).toBeLessThanOrEqual(1e-5);
      for (const [start, end] of [[0, 1], [4, 5], [8, 9], [0, 2], [2, 5], [5, 9]]) {
        const part = await model.run(feed(start, end)) as Record<'y' | 'z', { data: Float32Array }>;
        expect(Array.from(part.y.data)).toEqual(Array.from(whole.y.data.subarray(start * 29, end * 29)));
        expect(Array.from(part.z.data)).toEqual(Array.from(whole.z.data.subarray(start * 486, end * 486)));
      }
      runs.push([Array.from(whole.y.data), Array.from(whole.z.data)]);
      model.dispose();
    }
    await wl.init({ threads: 'auto' });
    expect(runs[1]).toEqual(runs[0]);
  });
  it('a flatten of convolution output times constant weights (MatMul, and Gemm with transB as PyTorch writes it): the rows packed in channels-last order, in one part and in several', async () => {
    const r = random(41);
    for (const [cin, c, h, w, n] of [[2, 3, 4, 5, 7], [4, 16, 8, 8, 40]]) {
      const k = c * h * w;
      const bytes = modelBytes({
        nodes: [
          { op: 'Conv', inputs: ['x', 'kc'], outputs: ['c'], attrs: { pads: ints([1, 1, 1, 1]) } },
          { op: 'Flatten', inputs: ['c'], outputs: ['f'] },
          { op: 'MatMul', inputs: ['f', 'w1'], outputs: ['y1'] },
          { op: 'Gemm', inputs: ['f', 'w2', 'b2'], outputs: ['y2'], attrs: { transB: i(1) } },
        ],
        inputs: [{ name: 'x', type: 'float32', dims: ['n', cin, h, w] }],
        outputs: [{ name: 'y1', type: 'float32', dims: ['n', n] }, { name: 'y2', type: 'float32', dims: ['n', n - 3] }],
        initializers: [
          { name: 'kc', type: 'float32', dims: [c, cin, 3, 3], data: randomArray(r, c * cin * 9, -1, 1) },
          { name: 'w1', type: 'float32', dims: [k, n], data: randomArray(r, k * n, -0.2, 0.2) },
          { name: 'w2', type: 'float32', dims: [n - 3, k], data: randomArray(r, (n - 3) * k, -0.2, 0.2) },
          { name: 'b2', type: 'float32', dims: [n - 3], data: randomArray(r, n - 3, -1, 1) },
        ],
      });
      const x = randomArray(r, 3 * cin * h * w, -1, 1);
      const ref = await runOrt(bytes, { x: { type: 'float32', data: x, dims: [3, cin, h, w] } });
      // From a path, the weights are packed from where the file put them (in the core's memory).
      const path = join(flattenDir, `flatten-${k}.onnx`);
      writeFileSync(path, bytes);
      const model = await loadOnnx(bytes), fromPath = await loadOnnx(path);
      for (const rows of [3, 1]) {
        const feed = { x: { data: x.subarray(0, rows * cin * h * w), dims: [rows, cin, h, w] } };
        const out = await model.run(feed) as Record<'y1' | 'y2', { data: Float32Array }>;
        expect(maxDiff(out.y1.data, (ref.y1.data as Float32Array).subarray(0, rows * n))).toBeLessThanOrEqual(1e-4);
        expect(maxDiff(out.y2.data, (ref.y2.data as Float32Array).subarray(0, rows * (n - 3)))).toBeLessThanOrEqual(1e-4);
        const read = await fromPath.run(feed) as Record<'y1' | 'y2', { data: Float32Array }>;
        expect(Array.from(read.y1.data)).toEqual(Array.from(out.y1.data));
        expect(Array.from(read.y2.data)).toEqual(Array.from(out.y2.data));
      }
      model.dispose();
      fromPath.dispose();
    }
  });
});

describe('weights read in place from a file the loader read itself', () => {
  const dir = tempDir('wasmlearn-onnx-in-place-');
  it('give the same outputs as the same bytes passed in (weights at every offset mod 4), leave the caller\'s bytes alone, and toModel still reads them', async () => {
    const rng = random(31);
    const offsets = new Set<number>();
    for (let pad = 0; pad < 8; pad++) {
      // The producer's name (written before the graph) moves the weights' raw_data in the file.
      const name = 'W';
      const W = randomArray(rng, 16 * 8, -1, 1), b = randomArray(rng, 8, -1, 1);
      const bytes = modelBytes({
        nodes: [{ op: 'Gemm', inputs: ['input', name, 'b'], outputs: ['g'] }, { op: 'Relu', inputs: ['g'], outputs: ['output'] }],
        inputs: [{ name: 'input', type: 'float32', dims: ['batch', 16] }], outputs: [{ name: 'output', type: 'float32', dims: ['batch', 8] }],
        initializers: [{ name, type: 'float32', dims: [16, 8], data: W }, { name: 'b', type: 'float32', dims: [8], data: b }],
        producer: `wasmlearn-tests${'x'.repeat(pad)}`,
      });
      const at = Buffer.from(bytes).indexOf(Buffer.from(Float32Array.from(W).buffer));
      expect(at).toBeGreaterThan(0);
      offsets.add(at % 4);
      const path = join(dir, `gemm-${pad}.onnx`);
      writeFileSync(path, bytes);
      const copy = bytes.slice();
      const fromBytes = await loadOnnx(bytes), fromPath = await loadOnnx(path), fromUrl = await loadOnnx(new URL(`file://${path}`));
      expect(bytes, 'the caller\'s bytes are not moved').toEqual(copy);
      const x = { data: randomArray(rng, 3 * 16, -1, 1), dims: [3, 16] };
      const expected = ((await fromBytes.run({ input: x })).output as { data: Float32Array }).data;
      const ref = await runOrt(bytes, { input: { type: 'float32', data: x.data, dims: x.dims } });
      expect(maxDiff(expected, ref.output.data as Float32Array)).toBeLessThanOrEqual(1e-5);
      for (const m of [fromPath, fromUrl]) {
        // The first run reads the weights where the file put them, the next their packed copy.
        for (let run = 0; run < 2; run++) expect(Array.from(((await m.run({ input: x })).output as { data: Float32Array }).data)).toEqual(Array.from(expected));
        const layers = await m.toModel();
        expect(maxDiff((layers.predict({ data: x.data, shape: x.dims }) as wl.Tensor).data, expected)).toBeLessThanOrEqual(1e-6);
        layers.dispose();
        m.dispose();
      }
      fromBytes.dispose();
      expect(readFileSync(path)).toEqual(Buffer.from(copy));
    }
    expect([...offsets].sort()).toEqual([0, 1, 2, 3]);
  });
  it('a dense layer after a channels-first flatten reads its weights in place on the first run (rows gathered), with the bits of the packed copy the next run makes', async () => {
    const rng = random(37);
    // The pool running, so that the 64-image batch can be split across threads.
    expect((await wl.init({ threads: 2 })).threads).toBe(2);
    // 16 filters of a 7 × 7 image: 784 rows of B, three k-blocks of the GEMM.
    for (const [op, transB] of [['Gemm', 0], ['Gemm', 1], ['MatMul', 0]] as const) {
      const W = randomArray(rng, 784 * 12, -0.2, 0.2);
      const bytes = modelBytes({
        nodes: [
          { op: 'Conv', inputs: ['input', 'k', 'c'], outputs: ['conv'] }, { op: 'Relu', inputs: ['conv'], outputs: ['r'] },
          { op: 'Flatten', inputs: ['r'], outputs: ['flat'] },
          op === 'Gemm' ? { op, inputs: ['flat', 'W', 'b'], outputs: ['output'], attrs: { transB: i(transB) } } : { op, inputs: ['flat', 'W'], outputs: ['output'] },
        ],
        inputs: [{ name: 'input', type: 'float32', dims: ['batch', 2, 9, 9] }], outputs: [{ name: 'output', type: 'float32', dims: ['batch', 12] }],
        initializers: [
          { name: 'k', type: 'float32', dims: [16, 2, 3, 3], data: randomArray(rng, 16 * 2 * 9, -0.5, 0.5) }, { name: 'c', type: 'float32', dims: [16], data: randomArray(rng, 16, -0.1, 0.1) },
          { name: 'W', type: 'float32', dims: transB ? [12, 784] : [784, 12], data: W },
          ...(op === 'Gemm' ? [{ name: 'b', type: 'float32' as const, dims: [12], data: randomArray(rng, 12, -1, 1) }] : []),
        ],
      });
      const path = join(dir, `flatten-${op}-${transB}.onnx`);
      writeFileSync(path, bytes);
      // Batches below the GEMM's row tile (one sample) and above it, and one worth two threads.
      for (const batch of [1, 3, 6, 64]) {
        const x = { data: randomArray(rng, batch * 2 * 81, -1, 1), dims: [batch, 2, 9, 9] };
        const packed = await loadOnnx(bytes);
        const expected = Array.from(((await packed.run({ input: x })).output as { data: Float32Array }).data);
        packed.dispose();
        const ref = await runOrt(bytes, { input: { type: 'float32', data: x.data, dims: x.dims } });
        expect(maxDiff(expected, ref.output.data as Float32Array), `${op} transB ${transB} batch ${batch}`).toBeLessThanOrEqual(1e-5);
        const m = await loadOnnx(path);
        const before = wl.backendInfo().arenaBytesInUse;
        expect(Array.from(((await m.run({ input: x })).output as { data: Float32Array }).data), `first run, ${op} transB ${transB} batch ${batch}`).toEqual(expected);
        const first = wl.backendInfo().arenaBytesInUse;
        expect(Array.from(((await m.run({ input: x })).output as { data: Float32Array }).data), `second run, ${op} transB ${transB} batch ${batch}`).toEqual(expected);
        // The packed copy of B (784 × 16 floats, its columns padded to whole panels) is made by the second run, not the first.
        expect(wl.backendInfo().arenaBytesInUse - first, `${op} transB ${transB} batch ${batch}`).toBeGreaterThanOrEqual(784 * 16 * 4);
        expect(first - before).toBeLessThan(784 * 12 * 4);
        m.dispose();
      }
      expect(readFileSync(path)).toEqual(Buffer.from(bytes));
    }
  });
  it('a path or file: URL that cannot be read, or whose bytes are not a model, is a FormatError naming it', async () => {
    const missing = join(dir, 'absent.onnx');
    await expect(loadOnnx(missing)).rejects.toThrow(new RegExp(`loadOnnx: cannot read ${missing} \\(no such file\\)`));
    await expect(loadOnnx(new URL(`file://${missing}`))).rejects.toThrow(/cannot read .*absent\.onnx \(no such file\)/);
    await expect(loadOnnx(dir)).rejects.toThrow(/cannot read .* \(it is a folder\)/);
    writeFileSync(join(dir, 'empty.onnx'), new Uint8Array(0));
    await expect(loadOnnx(join(dir, 'empty.onnx'))).rejects.toThrow(/the file is empty/);
    const bytes = modelBytes({
      nodes: [{ op: 'Relu', inputs: ['input'], outputs: ['output'] }],
      inputs: [{ name: 'input', type: 'float32', dims: [2] }], outputs: [{ name: 'output', type: 'float32', dims: [2] }],
      initializers: [{ name: 'unused', type: 'float32', dims: [64], data: new Float32Array(64) }],
    });
    writeFileSync(join(dir, 'truncated.onnx'), bytes.subarray(0, bytes.length - 40));
    const error = await loadOnnx(join(dir, 'truncated.onnx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('FormatError');
  });
});

describe('a file loaded first thing in a process', () => {
  const dir = tempDir('wasmlearn-onnx-cold-');
  it('is read into the core\'s memory as it starts, used there, and given back by dispose() or a failed load', async () => {
    const rng = random(47);
    const bytes = modelBytes({
      nodes: [
        { op: 'Gemm', inputs: ['input', 'W', 'b'], outputs: ['g'] }, { op: 'Relu', inputs: ['g'], outputs: ['h'] },
        { op: 'MatMul', inputs: ['h', 'V'], outputs: ['output'] },
      ],
      inputs: [{ name: 'input', type: 'float32', dims: ['batch', 40] }], outputs: [{ name: 'output', type: 'float32', dims: ['batch', 10] }],
      initializers: [
        { name: 'W', type: 'float32', dims: [40, 300], data: randomArray(rng, 40 * 300, -1, 1) }, { name: 'b', type: 'float32', dims: [300], data: randomArray(rng, 300, -1, 1) },
        { name: 'V', type: 'float32', dims: [300, 10], data: randomArray(rng, 300 * 10, -1, 1) },
      ],
    });
    const path = join(dir, 'cold.onnx'), truncated = join(dir, 'truncated.onnx');
    writeFileSync(path, bytes);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    const x = { data: randomArray(rng, 3 * 40, -1, 1), dims: [3, 40] };
    const given = await loadOnnx(bytes);
    const expected = Array.from(((await given.run({ input: x })).output as { data: Float32Array }).data);
    given.dispose();
    const ref = await runOrt(bytes, { input: { type: 'float32', data: x.data, dims: x.dims } });
    expect(maxDiff(expected, ref.output.data as Float32Array)).toBeLessThanOrEqual(1e-5);
    const child = (body: string) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      const { loadOnnx, backendInfo } = await import(${JSON.stringify(new URL('../dist/onnx.js', import.meta.url).href)});
      const x = { data: Float32Array.from(${JSON.stringify(Array.from(x.data))}), dims: ${JSON.stringify(x.dims)} };
      const out = async (m) => Array.from((await m.run({ input: x })).output.data);
      ${body}`], { encoding: 'utf8', timeout: 30_000 }));
    const loaded = child(`
      const m = await loadOnnx(${JSON.stringify(path)});
      const held = backendInfo().arenaBytesInUse, build = backendInfo().build;
      const runs = [await out(m), await out(m), await out(m)];
      const second = await loadOnnx(${JSON.stringify(path)});
      const again = [await out(second), await out(second)];
      m.dispose();
      second.dispose();
      console.log(JSON.stringify({ held, build, runs, again, after: backendInfo().arenaBytesInUse }));`);
    expect(loaded.build).toBe('threads');
    expect(loaded.held, 'the file is in the core\'s memory').toBeGreaterThanOrEqual(bytes.length);
    for (const r of [...loaded.runs, ...loaded.again]) expect(r).toEqual(expected);
    expect(loaded.after).toBe(0);
    const failed = child(`
      const error = await loadOnnx(${JSON.stringify(truncated)}).catch((e) => e);
      console.log(JSON.stringify({ name: error.name, after: backendInfo().arenaBytesInUse }));`);
    expect(failed).toEqual({ name: 'FormatError', after: 0 });
    // A file of more than a quarter of what the core may grow to (init's maxMemory) stays in JavaScript.
    const wide = modelBytes({
      nodes: [{ op: 'MatMul', inputs: ['input', 'W'], outputs: ['output'] }],
      inputs: [{ name: 'input', type: 'float32', dims: ['batch', 512] }], outputs: [{ name: 'output', type: 'float32', dims: ['batch', 1024] }],
      initializers: [{ name: 'W', type: 'float32', dims: [512, 1024], data: randomArray(rng, 512 * 1024, -1, 1) }],
    });
    const widePath = join(dir, 'wide.onnx');
    writeFileSync(widePath, wide);
    const row = { data: randomArray(rng, 512, -1, 1), dims: [1, 512] };
    const wideModel = await loadOnnx(wide);
    const wideExpected = Array.from(((await wideModel.run({ input: row })).output as { data: Float32Array }).data);
    wideModel.dispose();
    for (const cap of [8, 64]) {
      const capped = child(`
        const { init } = await import(${JSON.stringify(new URL('../dist/onnx.js', import.meta.url).href)});
        await init({ maxMemory: ${cap} * 2 ** 20 });
        const m = await loadOnnx(${JSON.stringify(widePath)});
        const held = backendInfo().arenaBytesInUse;
        const row = { data: Float32Array.from(${JSON.stringify(Array.from(row.data))}), dims: [1, 512] };
        const y = Array.from((await m.run({ input: row })).output.data);
        console.log(JSON.stringify({ held, y }));`);
      if (cap === 8) expect(capped.held, 'a file of 2 MB and a little under an 8 MB cap stays in JavaScript').toBe(0);
      else expect(capped.held, 'a 2 MB file under a 64 MB cap is read into the core').toBeGreaterThanOrEqual(wide.length);
      expect(capped.y).toEqual(wideExpected);
    }
  });
});

describe('a model fetched from a URL', () => {
  it('gives what its bytes give; an HTTP error or a refused connection is a FormatError naming the URL', async () => {
    const rng = random(41);
    const bytes = modelBytes({
      nodes: [{ op: 'Gemm', inputs: ['input', 'W', 'b'], outputs: ['output'] }],
      inputs: [{ name: 'input', type: 'float32', dims: ['batch', 6] }], outputs: [{ name: 'output', type: 'float32', dims: ['batch', 4] }],
      initializers: [{ name: 'W', type: 'float32', dims: [6, 4], data: randomArray(rng, 24, -1, 1) }, { name: 'b', type: 'float32', dims: [4], data: randomArray(rng, 4, -1, 1) }],
    });
    // A server on the loopback for this test alone, closed in the finally.
    const server = createServer((request, response) => {
      if (request.url === '/model.onnx') response.end(Buffer.from(bytes));
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const x = { data: randomArray(rng, 2 * 6, -1, 1), dims: [2, 6] };
      const fetched = await loadOnnx(`${base}/model.onnx`), given = await loadOnnx(bytes);
      const a = ((await fetched.run({ input: x })).output as { data: Float32Array }).data;
      expect(Array.from(a)).toEqual(Array.from(((await given.run({ input: x })).output as { data: Float32Array }).data));
      const ref = await runOrt(bytes, { input: { type: 'float32', data: x.data, dims: x.dims } });
      expect(maxDiff(a, ref.output.data as Float32Array)).toBeLessThanOrEqual(1e-5);
      fetched.dispose();
      given.dispose();
      await expect(loadOnnx(`${base}/absent.onnx`)).rejects.toThrow(`loadOnnx: fetching ${base}/absent.onnx gave HTTP 404`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(loadOnnx(new URL(`${base}/model.onnx`))).rejects.toThrow(new RegExp(`loadOnnx: cannot fetch ${base}/model.onnx`));
  });
});

describe('outputs not asked for', () => {
  it('are not computed: a branch that fails for this input does not stop the others, and fails when asked for', async () => {
    const bytes = modelBytes({
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['y'] },
        { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['r'] },
        { op: 'Neg', inputs: ['r'], outputs: ['z'] },
      ],
      inputs: [{ name: 'x', type: 'float32', dims: ['n', 3] }],
      outputs: [{ name: 'y', type: 'float32', dims: ['n', 3] }, { name: 'z', type: 'float32' }],
      initializers: [{ name: 'shape', type: 'int64', dims: [2], data: [2, 3] }],
    });
    const model = await loadOnnx(bytes);
    // Three rows cannot be reshaped to [2, 3]; only y is asked for.
    const x = { data: new Float32Array([-1, 2, -3, 4, -5, 6, -7, 8, -9]), dims: [3, 3] };
    const { y } = await model.run({ x }, ['y']) as Record<string, { data: Float32Array }>;
    expect(Array.from(y.data)).toEqual([0, 2, 0, 4, 0, 6, 0, 8, 0]);
    await expect(model.run({ x })).rejects.toThrow(/Reshape/);
    const both = await model.run({ x: { data: x.data.subarray(0, 6), dims: [2, 3] } }) as Record<string, { data: Float32Array }>;
    expect(Array.from(both.z.data)).toEqual([1, -2, 3, -4, 5, -6]);
    model.dispose();
  });
});

describe('values computed from shapes alone', () => {
  it('are remembered while the input shapes stay, recomputed when they change, and come back as copies', async () => {
    // PyTorch's flatten keeping the batch, and the batch doubled by arithmetic on the shape.
    const spec = {
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['shape'] },
        { op: 'Gather', inputs: ['shape', 'zero'], outputs: ['batch'], attrs: { axis: i(0) } },
        { op: 'Unsqueeze', inputs: ['batch', 'axes'], outputs: ['batch1'] },
        { op: 'Concat', inputs: ['batch1', 'rest'], outputs: ['target'], attrs: { axis: i(0) } },
        { op: 'Reshape', inputs: ['x', 'target'], outputs: ['flat'] },
        { op: 'Mul', inputs: ['batch1', 'two'], outputs: ['twice'] },
        { op: 'Cast', inputs: ['shape'], outputs: ['sizes'], attrs: { to: i(1) } },
        { op: 'Relu', inputs: ['flat'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', type: 'float32' as const, dims: ['n', 2, 3] }],
      outputs: [{ name: 'y', type: 'float32' as const }, { name: 'shape', type: 'int64' as const }, { name: 'target', type: 'int64' as const }, { name: 'twice', type: 'int64' as const }, { name: 'sizes', type: 'float32' as const }],
      initializers: [
        { name: 'zero', type: 'int64' as const, dims: [], data: [0] }, { name: 'axes', type: 'int64' as const, dims: [1], data: [0] },
        { name: 'rest', type: 'int64' as const, dims: [1], data: [-1] }, { name: 'two', type: 'int64' as const, dims: [1], data: [2] },
      ],
    };
    const bytes = modelBytes(spec);
    const model = await loadOnnx(bytes);
    const rand = random(31);
    for (const n of [1, 1, 3, 3, 1, 2]) {
      const x = randomArray(rand, n * 6);
      const ref = await runOrt(bytes, { x: { type: 'float32', data: x, dims: [n, 2, 3] } });
      const out = await model.run({ x: { data: x, dims: [n, 2, 3] } }) as Record<string, { data: ArrayLike<number | bigint>; dims: number[] }>;
      for (const name of ['y', 'shape', 'target', 'twice', 'sizes']) {
        expect([...out[name].dims], name).toEqual([...ref[name].dims]);
        expect(Array.from(out[name].data, Number), `${name}, batch ${n}`).toEqual(Array.from(ref[name].data, Number));
        // The caller's changes do not reach what the model remembers.
        const data = out[name].data as BigInt64Array | Float32Array;
        data.fill((data instanceof BigInt64Array ? 9n : 9) as never);
      }
    }
    model.dispose();
  });
});

describe('inputs held as given', () => {
  it('are never changed, and outputs that are an input, a view of one or a constant come back as copies', async () => {
    const bytes = modelBytes({
      nodes: [
        { op: 'Identity', inputs: ['x'], outputs: ['same'] },
        { op: 'Reshape', inputs: ['x', 'flat'], outputs: ['flat_x'] },
        { op: 'Identity', inputs: ['w'], outputs: ['weights'] },
        { op: 'Relu', inputs: ['x'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', type: 'float32', dims: ['n', 2] }],
      outputs: ['same', 'flat_x', 'weights', 'y'].map((name) => ({ name, type: 'float32' as const })),
      initializers: [{ name: 'flat', type: 'int64', dims: [1], data: [-1] }, { name: 'w', type: 'float32', dims: [2], data: [5, 6] }],
    });
    const model = await loadOnnx(bytes);
    const data = new Float32Array([-1, 2, -3, 4]);
    for (let round = 0; round < 2; round++) {
      const out = await model.run({ x: { data, dims: [2, 2] } }) as Record<string, { data: Float32Array }>;
      for (const name of ['same', 'flat_x', 'weights', 'y']) expect(out[name].data.buffer, name).not.toBe(data.buffer);
      expect(Array.from(out.weights.data)).toEqual([5, 6]);
      // The caller's changes to the outputs reach neither its input nor the model.
      for (const name of ['same', 'flat_x', 'weights']) out[name].data.fill(9);
      expect(Array.from(data)).toEqual([-1, 2, -3, 4]);
    }
    const p = await model.predict(new Tensor(data, [2, 2]));
    expect(p.data.buffer).not.toBe(data.buffer);
    model.dispose();
  });
});

describe('OnnxModel.toModel: a layer stack as a wasmlearn model to fine-tune', () => {
  it('the MLP and the CNN (both conventions) come back with the same predictions, channels-last, and train', async () => {
    wl.setRandomSeed(21);
    const mlp = new wl.Sequential([L.dense({ units: 12, inputShape: [20], activation: 'relu' }), L.dropout({ rate: 0.1 }), L.dense({ units: 3, activation: 'softmax' })]);
    const cnn = new wl.Sequential([
      L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [10, 10, 2] }), L.batchNormalization(), L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 6, kernelSize: 3, strides: 2 }), L.flatten(), L.dense({ units: 3, activation: 'softmax' }),
    ]);
    for (const [original, shape, convention] of [[mlp, [20], 'pytorch'], [cnn, [10, 10, 2], 'pytorch'], [cnn, [10, 10, 2], 'tf2onnx']] as const) {
      const onnxModel = await loadOnnx(kerasToOnnx(original.toTfjs(), { convention }));
      const back = await onnxModel.toModel();
      const x = { data: randomArray(random(5), 4 * shape.reduce((a, b) => a * b, 1), 0, 1), shape: [4, ...shape] };
      expect(back.inputShape).toEqual([...shape]);
      const expected = (original.predict(x) as wl.Tensor).data, got = (back.predict(x) as wl.Tensor).data;
      expect(maxDiff(got, expected), `${convention} ${shape.length}-d`).toBeLessThanOrEqual(1e-5);
      // Fine-tuning: a few steps of SGD on fixed labels lower the loss.
      back.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: wl.optimizers.sgd({ learningRate: 0.1 }) });
      const y = [0, 1, 2, 0];
      const history = await back.fit(x, y, { epochs: 8, batchSize: 4, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      back.dispose();
      onnxModel.dispose();
    }
  });
  it('refuses a graph that is not a stack, naming where', async () => {
    wl.setRandomSeed(22);
    const net = wl.applications.mobileNetV2({ alpha: 0.35, inputShape: [32, 32, 3], classes: 4 });
    const onnxModel = await loadOnnx(kerasToOnnx(net.toTfjs()));
    await expect(onnxModel.toModel()).rejects.toThrow(/not a layer stack: '.*' is read by 2 nodes/);
  });
});
