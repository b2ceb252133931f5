// Saving and loading: wasmlearn's bytes and files, and the TensorFlow.js layers format both ways
// with the real @tensorflow/tfjs package; corrupt data always gives a FormatError.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { FormatError, Sequential, backendInfo, layers, loadModel, optimizers, setRandomSeed, toCategorical } from '../dist/index.js';
import { testRandom } from './reference.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('wasmlearn-io-');
const next = testRandom(5);
const images = Float32Array.from({ length: 40 * 8 * 8 }, () => next());
const labels = Float32Array.from({ length: 40 }, (_, i) => i % 4);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function cnn(): Sequential {
  setRandomSeed(21);
  return new Sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: 0.25 }),
    layers.dense({ units: 16, activation: 'tanh' }),
    layers.dense({ units: 4, activation: 'softmax' }),
  ]);
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tolerance);
}

describe('TensorFlow.js layers format', () => {
  test('a model trained and saved by TF.js loads in wasmlearn and predicts the same (memory and files, two shards)', async () => {
    const theirs = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.1), metrics: ['accuracy'] });
    const xs = tf.tensor(images, [40, 8, 8, 1]);
    await theirs.fit(xs, tf.oneHot(tf.tensor1d(labels, 'int32'), 4), { epochs: 2, verbose: 0 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const expected = (theirs.predict(xs) as tf.Tensor).dataSync();

    const fromMemory = await loadModel(artifacts as never);
    expectClose(fromMemory.predict({ data: images, shape: [40, 8, 8, 1] }).data, expected, 1e-5);
    expect(fromMemory.layers.map((l) => l.className)).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);

    // The file layout TF.js writes: model.json and its weight shards side by side (here two).
    const weights = new Uint8Array(artifacts!.weightData as ArrayBuffer);
    const cut = 4 * 27; // the 3×3×1×3 conv kernel in the first shard
    writeFileSync(join(dir, 'tf-shard1.bin'), weights.subarray(0, cut));
    writeFileSync(join(dir, 'tf-shard2.bin'), weights.subarray(cut));
    writeFileSync(join(dir, 'tf-model.json'), JSON.stringify({
      modelTopology: artifacts!.modelTopology, format: 'layers-model', generatedBy: artifacts!.generatedBy, convertedBy: null,
      weightsManifest: [{ paths: ['tf-shard1.bin', 'tf-shard2.bin'], weights: artifacts!.weightSpecs }],
    }));
    const fromFiles = await loadModel(join(dir, 'tf-model.json'));
    expectClose(fromFiles.predict({ data: images, shape: [40, 8, 8, 1] }).data, expected, 1e-5);
    fromMemory.dispose();
    fromFiles.dispose();
    theirs.dispose();
  });

  test('a model trained in wasmlearn loads in TF.js (from memory and from saveTfjs files) and predicts the same', async () => {
    const model = cnn();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.adam(), metrics: ['accuracy'] });
    await model.fit({ data: images, shape: [40, 8, 8, 1] }, toCategorical(labels, 4), { epochs: 3, batchSize: 8, verbose: 0, seed: 1 });
    const ours = model.predict({ data: images, shape: [40, 8, 8, 1] }).data;
    const xs = tf.tensor(images, [40, 8, 8, 1]);

    const inMemory = await tf.loadLayersModel(tf.io.fromMemory(model.toTfjs() as unknown as tf.io.ModelArtifacts));
    expectClose((inMemory.predict(xs) as tf.Tensor).dataSync(), ours, 1e-5);

    const path = await model.saveTfjs(join(dir, 'ours'));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const shards = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dir, 'ours', p))));
    const fromFiles = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: new Uint8Array(Buffer.concat(shards)).buffer,
    }));
    expectClose((fromFiles.predict(xs) as tf.Tensor).dataSync(), ours, 1e-5);
    expect(json.trainingConfig.loss).toBe('categorical_crossentropy');
    inMemory.dispose();
    fromFiles.dispose();
    model.dispose();
  });

  test("Keras' own topology (an InputLayer first, snake_case options) loads", async () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'keras_model',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' } },
          { class_name: 'Dense', config: { name: 'hidden', units: 2, activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, trainable: true, dtype: 'float32' } },
        ],
      },
    };
    const kernel = new Float32Array([1, -1, 2, 0.5, -3, 1]);
    const bias = new Float32Array([0.25, -0.5]);
    const weightData = new Uint8Array([...new Uint8Array(kernel.buffer), ...new Uint8Array(bias.buffer)]).buffer;
    const model = await loadModel({ modelTopology: topology, weightSpecs: [{ name: 'hidden/kernel:0', shape: [3, 2], dtype: 'float32' }, { name: 'hidden/bias:0', shape: [2], dtype: 'float32' }], weightData });
    // relu(x·K + b) by hand for x = [1, 2, 3]: [1 + 4 − 9 + .25, −1 + 1 + 3 − .5] → [0, 2.5]
    expect(Array.from(model.predict([[1, 2, 3]]).data)).toEqual([0, 2.5]);
    model.dispose();
  });
});

describe("wasmlearn's bytes", () => {
  test('save → loadModel gives identical predictions and the compiled settings; training resumes', async () => {
    const model = cnn();
    model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), metrics: ['accuracy'] });
    await model.fit({ data: images, shape: [40, 8, 8, 1] }, toCategorical(labels, 4), { epochs: 2, verbose: 0, seed: 2 });
    const path = join(dir, 'model.wasmlearn');
    const bytes = await model.save(path);
    expect(readFileSync(path).equals(Buffer.from(bytes))).toBe(true);
    for (const source of [path, bytes, bytes.buffer]) {
      const loaded = await loadModel(source as never);
      expect(Array.from(loaded.predict({ data: images, shape: [40, 8, 8, 1] }).data)).toEqual(Array.from(model.predict({ data: images, shape: [40, 8, 8, 1] }).data));
      expect(loaded.optimizer?.learningRate).toBe(0.05);
      expect((loaded.optimizer as unknown as { momentum: number }).momentum).toBe(0.9);
      const h = await loaded.fit({ data: images, shape: [40, 8, 8, 1] }, toCategorical(labels, 4), { epochs: 1, verbose: 0 });
      expect(Object.keys(h.history)).toEqual(['loss', 'accuracy']);
      loaded.dispose();
    }
    model.dispose();
  });

  test('truncated, bit-flipped, wrong-version and random bytes all raise FormatError and leave no memory behind', async () => {
    const model = cnn();
    const bytes = model.toBytes();
    model.dispose();
    const before = backendInfo().arenaBytesInUse;
    const rand = testRandom(77);
    const cases: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) cases.push(bytes.slice(0, Math.floor(rand() * bytes.length)));
    for (let i = 0; i < 200; i++) {
      const flipped = bytes.slice();
      const at = i < 100 ? Math.floor(rand() * Math.min(bytes.length, 1500)) : Math.floor(rand() * bytes.length);
      flipped[at] ^= 1 << Math.floor(rand() * 8);
      cases.push(flipped);
    }
    const version = bytes.slice();
    new DataView(version.buffer).setUint32(8, 2, true);
    cases.push(version, new Uint8Array(0), Uint8Array.from({ length: 5000 }, () => Math.floor(rand() * 256)));
    for (const c of cases) {
      const error = await loadModel(c).then(() => undefined, (e: unknown) => e);
      expect(error, `case of ${c.length} bytes`).toBeInstanceOf(FormatError);
    }
    await expect(loadModel(version)).rejects.toThrow(/model format version 2 is not supported \(this wasmlearn reads version 1\)/);
    await expect(loadModel(bytes.slice(0, 100))).rejects.toThrow(/truncated|corrupt/);
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });

  test('a TF.js file whose weights do not fit the topology names the weight', async () => {
    const model = cnn();
    const artifacts = model.toTfjs();
    model.dispose();
    const specs = artifacts.weightSpecs.map((s, i) => (i === 0 ? { ...s, shape: [3, 3, 2, 4] } : s));
    await expect(loadModel({ ...artifacts, weightSpecs: specs } as never)).rejects.toThrow(FormatError);
    await expect(loadModel({ ...artifacts, weightData: artifacts.weightData.slice(8) } as never)).rejects.toThrow(/the data has \d+/);
    const bad = JSON.parse(JSON.stringify(artifacts.modelTopology));
    bad.config.layers[0].class_name = 'ConvLSTM2D';
    await expect(loadModel({ ...artifacts, modelTopology: bad } as never)).rejects.toThrow(/layer class 'ConvLSTM2D' is not supported/);
  });
});
