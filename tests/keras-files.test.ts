// Sequential model.json texts as Keras 2.2 and Keras 3 (through tensorflowjs_converter) write them,
// by hand: config as a list or an object, batch_input_shape or an InputLayer with batch_shape,
// Keras 3's module / registered_name / build_config wrappers and DTypePolicy dtypes, L2 and MaxNorm
// descriptions, weight names with ':0' or the model's prefix. Each loads and predicts as the
// same dense layers computed by hand.
import { describe, expect, it } from 'vitest';
import { loadModel } from '../dist/index.js';

const kernel = [0.5, -1, 0.25, 2, -0.75, 1.5]; // [3, 2]
const bias = [0.1, -0.2];
const weightData = new Float32Array([...kernel, ...bias]).buffer;
const x = [[1, 2, 3], [-1, 0.5, 2]];
const expected = x.map((row) => [0, 1].map((j) => Math.max(0, row.reduce((s, v, i) => s + v * kernel[i * 2 + j], 0) + bias[j])));

const keras2 = {
  class_name: 'Sequential',
  config: [
    { class_name: 'Dense', config: { name: 'dense_1', trainable: true, batch_input_shape: [null, 3], dtype: 'float32', units: 2, activation: 'relu', use_bias: true,
      kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
  ],
  keras_version: '2.2.4', backend: 'tensorflow',
};

const keras3 = {
  class_name: 'Sequential',
  config: {
    name: 'sequential', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 3] },
        config: { name: 'dense', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          units: 2, activation: 'relu', use_bias: true,
          kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
          bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
          kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null }, bias_regularizer: null,
          kernel_constraint: { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 3, axis: 0 }, registered_name: null }, bias_constraint: null } },
    ],
    build_input_shape: [null, 3],
  },
};

function close(actual: Float32Array): void {
  expected.flat().forEach((v, i) => expect(Math.abs(actual[i] - v)).toBeLessThan(1e-6));
}

describe('Keras files written by hand', () => {
  it("Keras 2.2: config as a list, batch_input_shape on the first layer, weights named 'kernel:0'", async () => {
    const model = await loadModel({
      modelTopology: { ...keras2 }, weightData,
      weightSpecs: [{ name: 'dense_1/kernel:0', shape: [3, 2], dtype: 'float32' }, { name: 'dense_1/bias:0', shape: [2], dtype: 'float32' }],
    } as never);
    close(model.predict(x).data);
    model.dispose();
  });

  it('Keras 3: an InputLayer with batch_shape, module and DTypePolicy wrappers, L2 and MaxNorm, weights with the model prefix', async () => {
    const model = await loadModel({
      modelTopology: { ...keras3, keras_version: '3.3.3', backend: 'tensorflow' }, format: 'layers-model', weightData,
      weightSpecs: [{ name: 'sequential/dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'sequential/dense/bias', shape: [2], dtype: 'float32' }],
    } as never);
    close(model.predict(x).data);
    const dense = model.layers[0] as unknown as { kernelBias: { kernelRegularizer: unknown; kernelConstraint: { maxValue: number } } };
    expect(dense.kernelBias.kernelRegularizer).toEqual({ l1: 0, l2: 0.01 });
    expect(dense.kernelBias.kernelConstraint.maxValue).toBe(3);
    model.dispose();
  });

  it('Keras 3 through tensorflowjs_converter: the topology under model_config, as model.json holds it', async () => {
    const model = await loadModel({
      modelTopology: { class_name: 'Sequential', config: keras3.config, keras_version: '3.3.3', backend: 'tensorflow', model_config: keras3 },
      weightData, weightSpecs: [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' }],
    } as never);
    close(model.predict(x).data);
    model.dispose();
  });
});
