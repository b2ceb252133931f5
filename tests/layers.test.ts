// The one layer test harness (Keras' LayerTestCase idea): every layer, activation and loss runs
// through the same checks — output shape and parameter count against TensorFlow.js, forward
// values against TF.js and against an independent f64 reference, gradients against central
// finite differences of that reference, and no WebAssembly memory left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Sequential, backendInfo, input, layers, model as functional, optimizers, setRandomSeed, type Layer, type Model, type SymbolicTensor } from '../dist/index.js';
import { refDot, refForward, refLayer, refLoss, refMerge, type RefLayer } from './nn-reference.js';
import { testRandom } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  setRandomSeed(7);
});

interface Case {
  name: string;
  make: () => Layer[];
  loss: string;
  /** Sparse labels (class indices) rather than rows of targets. */
  sparse?: boolean;
  /** 'onehot' rows, 'unit' values in (0, 1), or 'any' values. */
  targets?: 'onehot' | 'unit' | 'any';
  /** TF.js has no such activation ('exponential'): the f64 reference alone. */
  notInTfjs?: boolean;
  /** Inputs are integer indices below this (an embedding's vocabulary), not values in [−1, 1). */
  indices?: number;
}

const CASES: Case[] = [
  { name: 'dense sigmoid → dense softmax, categorical cross-entropy (fused)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 7, activation: 'sigmoid', inputShape: [5] }), layers.dense({ units: 4, activation: 'softmax' })] },
  { name: 'dense tanh → dense linear, mse', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), layers.dense({ units: 3 })] },
  { name: 'dense relu → dense sigmoid, binary cross-entropy (fused)', loss: 'binaryCrossentropy', targets: 'unit',
    make: () => [layers.dense({ units: 9, activation: 'relu', inputShape: [4] }), layers.dense({ units: 2, activation: 'sigmoid' })] },
  { name: 'dense elu → dense softmax, sparse categorical cross-entropy (fused)', loss: 'sparse_categorical_crossentropy', sparse: true,
    make: () => [layers.dense({ units: 6, activation: 'elu', inputShape: [3] }), layers.dense({ units: 5, activation: 'softmax' })] },
  { name: 'dense → activation softmax layer, categorical cross-entropy (fused through Activation)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 8, inputShape: [4] }), layers.dense({ units: 4 }), layers.activation({ activation: 'softmax' })] },
  { name: 'softmax in the middle (its Jacobian), mse', loss: 'meanSquaredError', targets: 'any',
    make: () => [layers.dense({ units: 6, inputShape: [4] }), layers.activation({ activation: 'softmax' }), layers.dense({ units: 3, activation: 'tanh' })] },
  { name: 'softmax output with binary cross-entropy (not fused)', loss: 'binaryCrossentropy', targets: 'unit',
    make: () => [layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'sigmoid output with categorical cross-entropy (not fused)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'sigmoid', useBias: false })] },
  { name: 'conv2d valid relu → max pooling → flatten → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [7, 6, 2] }), layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv2d same stride 2 tanh → conv2d 1×1 → max pooling same 3/2 → flatten → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'tanh', inputShape: [7, 8, 3] }),
      layers.conv2d({ filters: 5, kernelSize: 1, activation: 'sigmoid' }), layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'conv2d strides [1, 2] with 8 filters (SIMD pooling lanes) → max pooling [2, 1]', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 8, kernelSize: 2, strides: [1, 2], activation: 'elu', inputShape: [5, 9, 1] }),
      layers.maxPooling2d({ poolSize: [2, 1] }), layers.flatten(), layers.dense({ units: 2, activation: 'sigmoid' })] },
  { name: 'dense relu6 → dense selu → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 7, activation: 'relu6', inputShape: [5] }), layers.dense({ units: 6, activation: 'selu' }), layers.dense({ units: 4, activation: 'softmax' })] },
  { name: 'dense softplus → dense softsign → dense hardSigmoid, mse', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 6, activation: 'softplus', inputShape: [4] }), layers.dense({ units: 5, activation: 'softsign' }), layers.dense({ units: 3, activation: 'hard_sigmoid' })] },
  { name: 'dense swish → gelu → mish (the pre-activations kept for backward), mse', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 6, activation: 'swish', inputShape: [4] }), layers.dense({ units: 6, activation: 'gelu' }), layers.dense({ units: 3, activation: 'mish' })] },
  { name: 'conv2d gelu (pre-activation after the patches) → activation layers silu and mish → flatten → dense', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 3, kernelSize: 3, activation: 'gelu', inputShape: [5, 6, 2] }), layers.activation({ activation: 'silu' }),
      layers.activation({ activation: 'mish' }), layers.flatten(), layers.dense({ units: 2 })] },
  // TF.js computes 'gelu_new' but cannot load it from a file (its loader turns the name into 'geluNew'); Keras has 'exponential' only.
  { name: 'dense gelu_new → dense exponential (not loadable in TF.js), mse', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.dense({ units: 4, activation: 'gelu_new', inputShape: [3] }), layers.dense({ units: 3, activation: 'exponential' })] },
  { name: 'ReLU (maxValue) → LeakyReLU → ELU → ThresholdedReLU (θ 0.1) → Softmax layer, categorical cross-entropy (fused)', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 7, inputShape: [5] }), layers.reLU({ maxValue: 0.6 }), layers.dense({ units: 6 }), layers.leakyReLU({ alpha: 0.2 }),
      layers.dense({ units: 6 }), layers.elu(), layers.dense({ units: 5 }), layers.thresholdedReLU({ theta: 0.1 }), layers.dense({ units: 4 }), layers.softmax()] },
  { name: 'ReLU with negativeSlope and threshold, ELU α 0.7 (Keras; TF.js has neither) → Softmax mid-network, mse', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.dense({ units: 6, inputShape: [4] }), layers.reLU({ negativeSlope: 0.1, threshold: 0.2, maxValue: 1.5 }), layers.dense({ units: 5 }), layers.elu({ alpha: 0.7 }), layers.softmax({ axis: -1 }), layers.dense({ units: 2 })] },
  { name: 'zeroPadding2d [[1, 2], [0, 1]] → conv2d → cropping2d 1 → globalAveragePooling2d → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], inputShape: [5, 4, 3] }), layers.conv2d({ filters: 6, kernelSize: 2, activation: 'tanh' }),
      layers.cropping2d({ cropping: 1 }), layers.globalAveragePooling2d(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv2d → globalMaxPooling2d (6 channels: SIMD lanes and a tail) → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'elu', inputShape: [4, 5, 2] }), layers.globalMaxPooling2d(), layers.dense({ units: 2 })] },
  { name: 'dense → batchNormalization (random γ, β and moving statistics) → relu → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 6, inputShape: [4], useBias: false }), layers.batchNormalization({ gammaInitializer: { name: 'randomUniform', minval: 0.5, maxval: 1.5, seed: 1 },
      betaInitializer: { name: 'randomNormal', seed: 2 }, movingMeanInitializer: { name: 'randomNormal', stddev: 0.3, seed: 3 },
      movingVarianceInitializer: { name: 'randomUniform', minval: 0.5, maxval: 2, seed: 4 } }), layers.activation({ activation: 'relu' }), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv2d → batchNormalization (epsilon 0.01; over batch and positions) → conv2d → batchNormalization without β → flatten → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 4, kernelSize: 2, inputShape: [5, 5, 2], useBias: false }), layers.batchNormalization({ epsilon: 0.01, movingVarianceInitializer: { name: 'randomUniform', minval: 0.5, maxval: 2, seed: 5 } }),
      layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }), layers.batchNormalization({ center: false, axis: 3 }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'a frozen batchNormalization (trainable false: its moving statistics in training too, as Keras 3) between dense layers', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 5, inputShape: [3] }), layers.batchNormalization({ trainable: false, movingMeanInitializer: { name: 'randomNormal', seed: 6 },
      movingVarianceInitializer: { name: 'randomUniform', minval: 0.5, maxval: 2, seed: 7 } }), layers.dense({ units: 2, activation: 'tanh' })] },
  { name: 'depthwiseConv2d 3×3 same (6 channels: SIMD lanes and a tail) relu6 → depthwiseConv2d ×2 stride 2 valid with bias → flatten → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.conv2d({ filters: 6, kernelSize: 1, inputShape: [6, 7, 2] }), layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, activation: 'relu6' }),
      layers.depthwiseConv2d({ kernelSize: [2, 3], depthMultiplier: 2, strides: 2, activation: 'tanh' }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'MobileNet block: zeroPadding → depthwiseConv2d stride 2 → batchNormalization → reLU 6 → conv2d 1×1 → globalAveragePooling2d → dense', loss: 'mse', targets: 'any',
    make: () => [layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], inputShape: [6, 6, 4] }), layers.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false }),
      layers.batchNormalization(), layers.reLU({ maxValue: 6 }), layers.conv2d({ filters: 5, kernelSize: 1, useBias: false }), layers.globalAveragePooling2d(), layers.dense({ units: 2 })] },
  { name: 'averagePooling2d 2 valid → conv2d → averagePooling2d 3/2 same (edge windows count their inside positions only) → flatten → dense', loss: 'mse', targets: 'any',
    make: () => [layers.averagePooling2d({ poolSize: 2, inputShape: [7, 6, 3] }), layers.conv2d({ filters: 4, kernelSize: 1, activation: 'tanh' }),
      layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'rescaling (1/255, offset −1) → conv2d → upSampling2d [2, 3] → conv2d stride 2 → flatten → dense', loss: 'mse', targets: 'any',
    make: () => [layers.rescaling({ scale: 1 / 255, offset: -1, inputShape: [4, 3, 2] }), layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }),
      layers.upSampling2d({ size: [2, 3] }), layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'separableConv2d 3×3 same relu → separableConv2d ×2 stride 2 valid gelu (pre-activation kept) → flatten → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 3] }),
      layers.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, strides: 2, activation: 'gelu', useBias: false }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'dilated convolutions: conv2d dilation 2 same → separableConv2d dilation 2 same → conv2d dilation [1, 2] valid → flatten → dense', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'tanh', inputShape: [7, 8, 2] }),
      layers.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'elu' }), layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: [1, 2] }),
      layers.flatten(), layers.dense({ units: 2 })] },
  // TF.js sizes a dilated depthwise convolution's output as if it were not dilated (its predict then fails): the f64 reference alone.
  { name: 'depthwiseConv2d dilation [1, 2] valid and dilation 2 same → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.depthwiseConv2d({ kernelSize: 2, dilationRate: [1, 2], activation: 'elu', inputShape: [6, 7, 3] }),
      layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, padding: 'same', depthMultiplier: 2 }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'conv1d 3 same relu → conv1d 2 stride 2 valid tanh → conv1d dilation 2 same → flatten → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 3] }), layers.conv1d({ filters: 5, kernelSize: 2, strides: 2, activation: 'tanh' }),
      layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  // TF.js normalizes another axis than the last wrongly at inference (its 4-D op takes the statistics
  // along the last axis: [1, 3, 2, 2] ones with axis 1 give channel i mod 3 at flat index i): the f64 reference alone.
  { name: 'batchNormalization over axis 1 of images (rows as channels: runs of 12) → over axis -2 of [3, 5] (runs of 5, SIMD and a tail) → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv2d({ filters: 4, kernelSize: 2, inputShape: [4, 5, 2] }), layers.batchNormalization({ axis: 1, movingVarianceInitializer: { name: 'randomUniform', minval: 0.5, maxval: 2, seed: 3 } }),
      layers.reshape({ targetShape: [3, 16] }), layers.dense({ units: 5 }), layers.batchNormalization({ axis: -2, center: false }), layers.flatten(), layers.dense({ units: 2 })] },
  // TF.js has no softmax over another axis than the last ("not yet supported"): the f64 reference alone.
  { name: 'softmax over axis 1 of [5, 3] (its Jacobian along strided lines) → softmax axis -2 → flatten → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot', notInTfjs: true,
    make: () => [layers.dense({ units: 3, inputShape: [5, 4] }), layers.softmax({ axis: 1 }), layers.dense({ units: 2 }), layers.softmax({ axis: -2 }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv2d → softmax over the channels of 4-D images (axis 3) → softmax over rows (axis 1) as the output, mse (not folded)', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 5, 2] }), layers.softmax({ axis: 3 }), layers.conv2d({ filters: 2, kernelSize: 1 }), layers.softmax({ axis: 1 })] },
  // TF.js' bilinear upsampling has no half-pixel offset (Keras' has): the f64 reference alone; TF.js' resize op with half-pixel centres below.
  { name: 'upSampling2d bilinear [2, 3] (5 channels: SIMD and a tail) → conv2d → upSampling2d bilinear 3 → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', inputShape: [3, 2, 5] }), layers.conv2d({ filters: 2, kernelSize: 2, strides: 2, activation: 'tanh' }),
      layers.upSampling2d({ size: 3, interpolation: 'bilinear' }), layers.flatten(), layers.dense({ units: 2 })] },
  // TF.js has no groups (Keras' grouped convolution): the f64 reference alone.
  { name: 'conv2d groups 2 (3×3 same) → conv2d groups 3 pointwise (strided slices of x) → conv2d groups 3 dilation 2 relu → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', groups: 2, activation: 'tanh', inputShape: [5, 6, 4] }),
      layers.conv2d({ filters: 3, kernelSize: 1, groups: 3, useBias: false }), layers.zeroPadding2d({ padding: 1 }),
      layers.conv2d({ filters: 6, kernelSize: 2, dilationRate: 2, groups: 3, activation: 'relu' }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'conv2d groups 4 stride 2 (9 channels a group: SIMD and a tail) → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv2d({ filters: 8, kernelSize: 2, strides: 2, groups: 4, activation: 'relu', inputShape: [6, 5, 36] }), layers.flatten(), layers.dense({ units: 3 })] },
  { name: 'conv1d groups 2 → conv1d groups 2 causal → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv1d({ filters: 4, kernelSize: 3, groups: 2, activation: 'tanh', inputShape: [7, 6] }),
      layers.conv1d({ filters: 2, kernelSize: 2, groups: 2, padding: 'causal' }), layers.flatten(), layers.dense({ units: 2 })] },
  // TF.js has no causal padding ("not implemented yet"): the f64 reference alone.
  { name: 'conv1d causal → conv1d dilation 2 causal stride 1 → flatten → dense', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', activation: 'tanh', inputShape: [7, 2] }),
      layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal' }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'conv1d → maxPooling1d 2 → conv1d → averagePooling1d 3/2 same → globalAveragePooling1d → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.conv1d({ filters: 4, kernelSize: 2, activation: 'tanh', inputShape: [11, 3] }), layers.maxPooling1d({ poolSize: 2 }),
      layers.conv1d({ filters: 6, kernelSize: 2, padding: 'same' }), layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }), layers.globalAveragePooling1d(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'conv1d → globalMaxPooling1d → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.conv1d({ filters: 5, kernelSize: 3, activation: 'elu', inputShape: [6, 2] }), layers.globalMaxPooling1d(), layers.dense({ units: 2 })] },
  { name: 'conv2d → prelu shared over the image axes (one α per channel) → flatten → dense → prelu (α per unit) → dense', loss: 'mse', targets: 'any',
    make: () => [layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 4, 2] }), layers.prelu({ sharedAxes: [1, 2], alphaInitializer: { name: 'randomUniform', minval: 0.1, maxval: 0.4, seed: 8 } }),
      layers.flatten(), layers.dense({ units: 5 }), layers.prelu({ alphaInitializer: { name: 'constant', value: 0.2 } }), layers.dense({ units: 2 })] },
  { name: 'conv2dTranspose 3×3 stride 2 same relu → conv2dTranspose [2, 3] stride [1, 2] valid → flatten → dense', loss: 'mse', targets: 'any',
    make: () => [layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [3, 4, 2] }),
      layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [1, 2], activation: 'tanh' }), layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'normalization (given statistics) → dense → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot', notInTfjs: true,
    make: () => [layers.normalization({ mean: [0.1, -0.2, 0.3, 0], variance: [0.5, 2, 1, 0.25], inputShape: [4] }), layers.dense({ units: 5, activation: 'tanh' }), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'dense → layerNormalization (random γ, β) → dense tanh → layerNormalization without γ → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 6, inputShape: [4] }), layers.layerNormalization({ gammaInitializer: { name: 'randomUniform', minval: 0.5, maxval: 1.5, seed: 11 },
      betaInitializer: { name: 'randomNormal', seed: 12 } }), layers.dense({ units: 5, activation: 'tanh' }), layers.layerNormalization({ scale: false, epsilon: 0.01 }),
      layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'sequence rows: dense on [4, 6] → layerNormalization over the last axis → layerNormalization over [-2, -1] without β → flatten → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.dense({ units: 5, activation: 'tanh', inputShape: [4, 6] }), layers.layerNormalization({ betaInitializer: { name: 'randomNormal', seed: 13 } }),
      layers.layerNormalization({ axis: [-2, -1], center: false, gammaInitializer: { name: 'randomUniform', minval: 0.5, maxval: 1.5, seed: 14 } }),
      layers.flatten(), layers.dense({ units: 3 })] },
  { name: 'embedding (9 words → 5) of 6 indices → layerNormalization → globalAveragePooling1d → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot', indices: 9,
    make: () => [layers.embedding({ inputDim: 9, outputDim: 5, inputLength: 6 }), layers.layerNormalization(), layers.globalAveragePooling1d(), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'embedding of [3, 4] indices (repeats summed into one row\'s gradient) → dense on the last axis → flatten → dense, mse', loss: 'mse', targets: 'any', indices: 4,
    make: () => [layers.embedding({ inputDim: 4, outputDim: 3, inputShape: [3, 4], embeddingsInitializer: { name: 'randomNormal', seed: 15 } }), layers.dense({ units: 2, activation: 'tanh' }),
      layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'simpleRNN tanh over every step → simpleRNN relu going backwards → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.simpleRNN({ units: 4, returnSequences: true, inputShape: [5, 3] }), layers.simpleRNN({ units: 3, activation: 'relu', goBackwards: true }),
      layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'lstm (sigmoid gates) over every step, going backwards → lstm (hardSigmoid gates, no bias) → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.lstm({ units: 5, returnSequences: true, goBackwards: true, inputShape: [4, 3], biasInitializer: { name: 'randomNormal', seed: 16 } }),
      layers.lstm({ units: 3, recurrentActivation: 'hardSigmoid', useBias: false }), layers.dense({ units: 2 })] },
  { name: 'embedding → lstm → dense sigmoid, binary cross-entropy (fused)', loss: 'binaryCrossentropy', targets: 'unit', indices: 7,
    make: () => [layers.embedding({ inputDim: 7, outputDim: 4, inputLength: 6 }), layers.lstm({ units: 6 }), layers.dense({ units: 2, activation: 'sigmoid' })] },
  { name: 'gru (reset before, as Keras 2 and TF.js; hardSigmoid gates) over every step → gru (reset before) going backwards → dense softmax', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.gru({ units: 4, resetAfter: false, recurrentActivation: 'hardSigmoid', returnSequences: true, inputShape: [5, 3], biasInitializer: { name: 'randomNormal', seed: 17 } }),
      layers.gru({ units: 3, resetAfter: false, goBackwards: true }), layers.dense({ units: 3, activation: 'softmax' })] },
  // TF.js' GRU refuses resetAfter true ("GRUCell does not support reset_after parameter set to true"): the f64 reference alone.
  { name: 'gru (reset after, as Keras 3: two biases) over every step going backwards → gru (reset after, no bias) → dense, mse', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.gru({ units: 4, returnSequences: true, goBackwards: true, inputShape: [4, 3], biasInitializer: { name: 'randomNormal', seed: 18 } }),
      layers.gru({ units: 3, useBias: false }), layers.dense({ units: 2 })] },
  { name: 'bidirectional lstm over every step (concat) → bidirectional gru (reset before; sum) → dense softmax, categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }), inputShape: [5, 2] }),
      layers.bidirectional({ layer: layers.gru({ units: 4, resetAfter: false }), mergeMode: 'sum' }), layers.dense({ units: 3, activation: 'softmax' })] },
  { name: 'bidirectional simpleRNN over every step (mul) → bidirectional gru (reset after; ave) → dense, mse', loss: 'mse', targets: 'any', notInTfjs: true,
    make: () => [layers.bidirectional({ layer: layers.simpleRNN({ units: 3, returnSequences: true }), mergeMode: 'mul', inputShape: [4, 3] }),
      layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true, biasInitializer: { name: 'randomNormal', seed: 20 } }), mergeMode: 'ave' }),
      layers.flatten(), layers.dense({ units: 2 })] },
  { name: 'timeDistributed dense relu over [6, 4] → lstm over every step → timeDistributed dense softmax (per step), categorical cross-entropy', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.timeDistributed({ layer: layers.dense({ units: 5, activation: 'relu' }), inputShape: [6, 4] }), layers.lstm({ units: 4, returnSequences: true }),
      layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }) })] },
  { name: 'timeDistributed conv2d over frames [3, 5, 5, 2] → timeDistributed flatten → gru → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.timeDistributed({ layer: layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }), inputShape: [3, 5, 5, 2] }),
      layers.timeDistributed({ layer: layers.flatten() }), layers.gru({ units: 3, resetAfter: false }), layers.dense({ units: 2 })] },
  { name: 'masking (no step all maskValue in random data: the identity, no mask) → lstm → dense, mse', loss: 'mse', targets: 'any',
    make: () => [layers.masking({ maskValue: 0.5, inputShape: [4, 3] }), layers.lstm({ units: 3 }), layers.dense({ units: 2 })] },
  { name: 'reshape → dense on the last axis → flatten', loss: 'categoricalCrossentropy', targets: 'onehot',
    make: () => [layers.dense({ units: 6, activation: 'sigmoid', inputShape: [4] }), layers.reshape({ targetShape: [3, -1] }),
      layers.dense({ units: 4, activation: 'relu' }), layers.flatten(), layers.dropout({ rate: 0 }), layers.dense({ units: 3, activation: 'softmax' })] },
];

const KIND: Record<string, string> = {
  categoricalCrossentropy: 'categoricalCrossentropy', mse: 'meanSquaredError', meanSquaredError: 'meanSquaredError',
  binaryCrossentropy: 'binaryCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

function data(c: Case, model: Sequential, n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const next = testRandom(seed);
  const inSize = model.inputShape.reduce((a, b) => a * b, 1);
  const units = model.outputShape[model.outputShape.length - 1];
  const rows = model.outputShape.slice(0, -1).reduce((a, b) => a * b, 1) * n;
  const x = Float32Array.from({ length: n * inSize }, () => (c.indices ? Math.floor(next() * c.indices) : next() * 2 - 1));
  if (c.sparse) return { x, y: Float32Array.from({ length: rows }, () => Math.floor(next() * units)) };
  const y = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) {
    if (c.targets === 'onehot') y[r * units + Math.floor(next() * units)] = 1;
    else for (let j = 0; j < units; j++) y[r * units + j] = c.targets === 'unit' ? 0.05 + 0.9 * next() : next() * 2 - 1;
  }
  return { x, y };
}

const asRef = (model: Sequential): RefLayer[] => model.layers as unknown as RefLayer[];
const f64 = (model: Sequential): Float64Array[][] => model.layers.map((l) => l.getWeights().map((t) => Float64Array.from(t.data)));

describe.each(CASES)('$name', (c) => {
  const n = 5;

  test('output shape and parameter count agree with TF.js; forward agrees with TF.js and the f64 reference', async () => {
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: 'sgd' });
    const { x } = data(c, model, n, 1);
    const ours = model.predict({ data: x, shape: [n, ...model.inputShape] });
    const ref = refForward(asRef(model), Float64Array.from(x), n, f64(model));
    expect(ours.shape).toEqual([n, ...model.outputShape]);
    for (let i = 0; i < ours.size; i++) expect(Math.abs(ours.data[i] - ref[i])).toBeLessThan(2e-6 + 2e-6 * Math.abs(ref[i]));
    if (!c.notInTfjs) {
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(model.toTfjs() as unknown as tf.io.ModelArtifacts));
      expect(theirs.outputs[0].shape.slice(1)).toEqual([...model.outputShape]);
      expect(theirs.countParams()).toBe(model.countParams());
      const tfOut = (theirs.predict(tf.tensor(x, [n, ...model.inputShape])) as tf.Tensor).dataSync();
      for (let i = 0; i < ours.size; i++) expect(Math.abs(ours.data[i] - tfOut[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(ref[i]));
      theirs.dispose();
    }
    model.dispose();
  });

  test('gradients match central finite differences of the f64 reference', () => {
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: 'sgd' });
    const { x, y } = data(c, model, n, 2);
    const { loss, gradients } = model.gradients({ data: x, shape: [n, ...model.inputShape] }, { data: y, shape: c.sparse ? [y.length] : [n, ...model.outputShape] });
    const weights = f64(model);
    const kind = KIND[c.loss] ?? c.loss;
    const units = model.outputShape[model.outputShape.length - 1];
    // A training step: batch normalization with the batch's statistics.
    const lossAt = () => refLoss(kind, refForward(asRef(model), Float64Array.from(x), n, weights, true), y, units);
    expect(Math.abs(loss - lossAt())).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
    let g = 0;
    const pick = testRandom(3);
    let checked = 0;
    // The gradients are of the trainable weights (not batch normalization's moving statistics), in layer order.
    const trainable = new Set(model.trainableWeights);
    weights.forEach((layerWeights, l) => layerWeights.forEach((w, i) => {
      if (!trainable.has(model.layers[l].weights[i])) return;
      const analytic = gradients[g++].data;
      expect(analytic.length).toBe(w.length);
      const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
      for (let t = 0; t < Math.min(w.length, 12); t++) {
        const i = Math.floor(pick() * w.length);
        const h = 1e-6;
        const keep = w[i];
        w[i] = keep + h;
        const up = lossAt();
        w[i] = keep - h;
        const down = lossAt();
        w[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(analytic[i] - numeric), `weight element ${i}: ${analytic[i]} vs ${numeric}`).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(numeric));
        checked++;
      }
    }));
    expect(checked).toBeGreaterThan(10);
    model.dispose();
  });

  test('building and disposing leaves the WebAssembly arena where it was', () => {
    const before = backendInfo().arenaBytesInUse;
    const model = new Sequential(c.make());
    model.compile({ loss: c.loss, optimizer: optimizers.adam() });
    expect(backendInfo().arenaBytesInUse).toBeGreaterThan(before);
    const { x, y } = data(c, model, n, 4);
    model.gradients({ data: x, shape: [n, ...model.inputShape] }, { data: y, shape: c.sparse ? [y.length] : [n, ...model.outputShape] });
    model.predict({ data: x, shape: [n, ...model.inputShape] });
    model.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

// Merge layers live in graphs: each runs in a two-input model where input a feeds two layers, and
// is checked as above (TF.js forward, the f64 reference, finite differences, memory), the
// reference walking the model's nodes.
interface GraphCase {
  name: string;
  /** TF.js has no layer of this class (Subtract): the f64 reference alone. */
  notInTfjs?: boolean;
  /** The merged tensor from dense branches p (of a), q (of b), r (of a) and the inputs a [5], b [4]. */
  merge: (t: { p: SymbolicTensor; q: SymbolicTensor; r: SymbolicTensor; a: SymbolicTensor; b: SymbolicTensor }) => SymbolicTensor;
}

const GRAPH_CASES: GraphCase[] = [
  { name: 'add of three', merge: ({ p, q, r }) => layers.add().apply([p, q, r]) },
  { name: 'subtract', notInTfjs: true, merge: ({ p, q }) => layers.subtract().apply([p, q]) },
  { name: 'multiply of three', merge: ({ p, q, r }) => layers.multiply().apply([p, q, r]) },
  { name: 'average', merge: ({ p, q }) => layers.average().apply([p, q]) },
  { name: 'maximum of three', merge: ({ p, q, r }) => layers.maximum().apply([p, q, r]) },
  { name: 'minimum', merge: ({ q, r }) => layers.minimum().apply([q, r]) },
  { name: 'concatenate with an input (last axis)', merge: ({ p, q, b }) => layers.concatenate().apply([p, q, b]) },
  { name: 'concatenate on axis 1 of reshaped branches', merge: ({ p, q }) =>
    layers.flatten().apply(layers.concatenate({ axis: 1 }).apply([layers.reshape({ targetShape: [2, 3] }).apply(p), layers.reshape({ targetShape: [2, 3] }).apply(q)])) },
  { name: 'dot of two branches (axes 1) → dense', merge: ({ p, q }) => layers.dense({ units: 4, activation: 'tanh' }).apply(layers.concatenate().apply([layers.dot({ axes: 1 }).apply([p, q]), q])) },
  { name: 'dot normalize (cosine) with a negative axis', merge: ({ p, q }) => layers.concatenate().apply([layers.dot({ axes: -1, normalize: true }).apply([p, q]), p]) },
  { name: 'dot of reshaped branches [2, 3] · [2, 3] over axes [1, 1] → [3, 3]', merge: ({ p, q }) =>
    layers.flatten().apply(layers.dot({ axes: [1, 1] }).apply([layers.reshape({ targetShape: [2, 3] }).apply(p), layers.reshape({ targetShape: [2, 3] }).apply(q)])) },
  { name: 'dot normalize of [3, 2] and [2, 3] over axes [2, 1], then with a vector', merge: ({ p, q }) => {
    const m = layers.dot({ axes: [2, 1], normalize: true }).apply([layers.reshape({ targetShape: [3, 2] }).apply(p), layers.reshape({ targetShape: [2, 3] }).apply(q)]);
    return layers.dot({ axes: [2, 1] }).apply([m, layers.dense({ units: 3 }).apply(p)]);
  } },
  { name: 'add broadcasting [2, 3] with [3] (a shorter shape)', merge: ({ p, q }) =>
    layers.flatten().apply(layers.add().apply([layers.reshape({ targetShape: [2, 3] }).apply(p), layers.dense({ units: 3, activation: 'tanh' }).apply(q)])) },
  { name: 'multiply broadcasting [2, 3] with [2, 1], maximum of [1, 3] with [2, 1], their average', merge: ({ p, q, r }) => {
    const m = layers.multiply().apply([layers.reshape({ targetShape: [2, 3] }).apply(p), layers.reshape({ targetShape: [2, 1] }).apply(layers.dense({ units: 2 }).apply(q))]);
    const x = layers.maximum().apply([layers.reshape({ targetShape: [1, 3] }).apply(layers.dense({ units: 3 }).apply(r)), layers.reshape({ targetShape: [2, 1] }).apply(layers.dense({ units: 2 }).apply(p))]);
    return layers.flatten().apply(layers.average().apply([m, x]));
  } },
  { name: 'two merges of the same two branches, joined (each branch\'s gradient summed from both)', merge: ({ p, q }) =>
    layers.concatenate().apply([layers.concatenate().apply([p, q]), layers.multiply().apply([p, q])]) },
  { name: 'a tensor given twice to one merge: multiply([p, p]) and add([q, q, p])', merge: ({ p, q }) =>
    layers.concatenate().apply([layers.multiply().apply([p, p]), layers.add().apply([q, q, p])]) },
  { name: 'a shared dense applied to two branches, then added', merge: ({ p, q }) => {
    const shared = layers.dense({ units: 6, activation: 'tanh' });
    return layers.add().apply([shared.apply(p), shared.apply(q)]);
  } },
];

function graph(c: GraphCase): Model {
  const a = input({ shape: [5], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  // Branches are made when a case reads them: a layer outside the model would hold memory the model's dispose does not free.
  const branch = (units: number, activation: string, x: SymbolicTensor) => {
    let made: SymbolicTensor | undefined;
    return () => (made ??= layers.dense({ units, activation }).apply(x));
  };
  const p = branch(6, 'tanh', a), q = branch(6, 'sigmoid', b), r = branch(6, 'elu', a);
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(c.merge({ get p() { return p(); }, get q() { return q(); }, get r() { return r(); }, a, b }));
  const m = functional({ inputs: [a, b], outputs: out });
  m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
  return m;
}

function graphData(n: number, seed: number): { xa: Float32Array; xb: Float32Array; y: Float32Array } {
  const next = testRandom(seed);
  const xa = Float32Array.from({ length: n * 5 }, () => next() * 2 - 1);
  const xb = Float32Array.from({ length: n * 4 }, () => next() * 2 - 1);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) y[i * 3 + Math.floor(next() * 3)] = 1;
  return { xa, xb, y };
}

/** The f64 reference of a model's outputs: its nodes in order, each layer by refLayer or refMerge. */
function refOutputs(m: Model, xs: Float64Array[], n: number, weights: Float64Array[][]): Float64Array[] {
  const values = new Map<SymbolicTensor, Float64Array>(m.inputs.map((t, i) => [t, xs[i]]));
  for (const node of m.nodes) {
    const ins = node.inputs.map((t) => values.get(t)!);
    const layer = node.layer as unknown as RefLayer & { axis?: number; axes?: number | [number, number]; normalize?: boolean };
    const merges = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'];
    values.set(node.output, layer.className === 'Dot' ? refDot(ins, node.inputs.map((t) => t.shape), n, layer.axes!, layer.normalize!) : merges.includes(layer.className)
      ? refMerge(layer.className, ins, node.inputs.map((t) => t.shape), n, layer.axis)
      : refLayer({ ...layer, className: layer.className, activation: layer.activation, units: layer.units, inputShape: node.inputs[0].shape, outputShape: node.output.shape }, ins[0], n, weights[m.layers.indexOf(node.layer)]));
  }
  return m.outputs.map((t) => values.get(t)!);
}

/** The f64 reference of a model of one output. */
function refGraph(m: Model, xs: Float64Array[], n: number, weights: Float64Array[][]): Float64Array {
  return refOutputs(m, xs, n, weights)[0];
}

/** Central finite differences of lossAt over a sample of every weight's elements, against the analytic gradients. */
function expectGradients(gradients: { data: Float32Array }[], weights: Float64Array[], lossAt: () => number, seed: number): void {
  expect(gradients.length).toBe(weights.length);
  const pick = testRandom(seed);
  weights.forEach((w, g) => {
    const analytic = gradients[g].data;
    expect(analytic.length).toBe(w.length);
    const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
    for (let t = 0; t < Math.min(w.length, 8); t++) {
      const i = Math.floor(pick() * w.length);
      const keep = w[i];
      w[i] = keep + 1e-6;
      const up = lossAt();
      w[i] = keep - 1e-6;
      const down = lossAt();
      w[i] = keep;
      const numeric = (up - down) / 2e-6;
      expect(Math.abs(analytic[i] - numeric), `weight ${g} element ${i}: ${analytic[i]} vs ${numeric}`).toBeLessThan(1e-4 * scale + 1e-4 * Math.abs(numeric));
    }
  });
}

describe.each(GRAPH_CASES)('graph: $name', (c) => {
  const n = 5;

  test('output shape and parameter count agree with TF.js; forward agrees with TF.js and the f64 reference', async () => {
    const m = graph(c);
    const { xa, xb } = graphData(n, 1);
    const ours = m.predict([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }]);
    const ref = refGraph(m, [Float64Array.from(xa), Float64Array.from(xb)], n, f64(m as never));
    expect(ours.size).toBe(n * 3);
    for (let i = 0; i < ours.size; i++) expect(Math.abs(ours.data[i] - ref[i])).toBeLessThan(2e-6 + 2e-6 * Math.abs(ref[i]));
    if (!c.notInTfjs) {
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(m.toTfjs() as unknown as tf.io.ModelArtifacts));
      expect(theirs.outputs[0].shape.slice(1)).toEqual([...m.outputShape]);
      expect(theirs.countParams()).toBe(m.countParams());
      const tfOut = (theirs.predict([tf.tensor(xa, [n, 5]), tf.tensor(xb, [n, 4])]) as tf.Tensor).dataSync();
      for (let i = 0; i < ours.size; i++) expect(Math.abs(ours.data[i] - tfOut[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(ref[i]));
      theirs.dispose();
    }
    m.dispose();
  });

  test('gradients match central finite differences of the f64 reference', () => {
    const m = graph(c);
    const { xa, xb, y } = graphData(n, 2);
    const { loss, gradients } = m.gradients([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }], { data: y, shape: [n, 3] });
    const weights = f64(m as never);
    const xs = [Float64Array.from(xa), Float64Array.from(xb)];
    const lossAt = () => refLoss('categoricalCrossentropy', refGraph(m, xs, n, weights), y, 3);
    expect(Math.abs(loss - lossAt())).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
    expectGradients(gradients, weights.flat(), lossAt, 3);
    m.dispose();
  });

  test('building and disposing leaves the WebAssembly arena where it was', () => {
    const before = backendInfo().arenaBytesInUse;
    const m = graph(c);
    m.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.adam() });
    const { xa, xb, y } = graphData(n, 4);
    m.gradients([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }], { data: y, shape: [n, 3] });
    m.predict([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }]);
    m.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

// Several outputs: the total loss is each output's mean loss times its weight. The softmax output
// also feeds a later layer (its gradient is the loss's plus that layer's, so the loss cannot fold
// the softmax in); the sigmoid output is read by its loss alone (folded); the linear one by mse.
describe('graph of three outputs, one feeding another', () => {
  const n = 6;
  const specs = [
    { loss: 'categoricalCrossentropy', units: 3, weight: 1 },
    { loss: 'meanSquaredError', units: 2, weight: 0.5 },
    { loss: 'binaryCrossentropy', units: 1, weight: 2 },
  ];
  function multi(): Model {
    const a = input({ shape: [5], name: 'a' }), b = input({ shape: [4], name: 'b' });
    const h = layers.dense({ units: 6, activation: 'tanh' }).apply(layers.concatenate().apply([a, b]));
    const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
    const reg = layers.dense({ units: 2, name: 'reg' }).apply(layers.concatenate().apply([h, cls]));
    const aux = layers.dense({ units: 1, activation: 'sigmoid', name: 'aux' }).apply(layers.dense({ units: 4, activation: 'relu' }).apply(b));
    const m = functional({ inputs: [a, b], outputs: [cls, reg, aux] });
    m.compile({ loss: specs.map((s) => s.loss), lossWeights: specs.map((s) => s.weight), optimizer: 'sgd' });
    return m;
  }
  const data = () => {
    const { xa, xb, y } = graphData(n, 6);
    const next = testRandom(7);
    return { xa, xb, ys: [y, Float32Array.from({ length: n * 2 }, () => next() * 2 - 1), Float32Array.from({ length: n }, () => (next() > 0.5 ? 1 : 0))] };
  };

  test('forward agrees with TF.js and the f64 reference, output by output', async () => {
    const m = multi();
    const { xa, xb } = data();
    const ours = m.predict([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }]) as { data: Float32Array; shape: number[] }[];
    const ref = refOutputs(m, [Float64Array.from(xa), Float64Array.from(xb)], n, f64(m as never));
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(m.toTfjs() as unknown as tf.io.ModelArtifacts));
    const tfOut = theirs.predict([tf.tensor(xa, [n, 5]), tf.tensor(xb, [n, 4])]) as tf.Tensor[];
    expect(ours.map((t) => t.shape)).toEqual(specs.map((s) => [n, s.units]));
    ours.forEach((t, h) => {
      const d = tfOut[h].dataSync();
      for (let i = 0; i < t.data.length; i++) {
        expect(Math.abs(t.data[i] - ref[h][i])).toBeLessThan(2e-6 + 2e-6 * Math.abs(ref[h][i]));
        expect(Math.abs(t.data[i] - d[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(d[i]));
      }
    });
    theirs.dispose();
    m.dispose();
  });

  test('gradients of the weighted total match central finite differences of the f64 reference', () => {
    const m = multi();
    const { xa, xb, ys } = data();
    const { loss, gradients } = m.gradients([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }], ys.map((y, h) => ({ data: y, shape: [n, specs[h].units] })));
    const weights = f64(m as never);
    const xs = [Float64Array.from(xa), Float64Array.from(xb)];
    const lossAt = () => refOutputs(m, xs, n, weights).reduce((s, p, h) => s + specs[h].weight * refLoss(specs[h].loss, p, ys[h], specs[h].units), 0);
    expect(Math.abs(loss - lossAt())).toBeLessThan(1e-5 * Math.max(1, Math.abs(loss)));
    expectGradients(gradients, weights.flat(), lossAt, 8);
    m.dispose();
  });

  test('building, training and disposing leaves the WebAssembly arena where it was', async () => {
    const before = backendInfo().arenaBytesInUse;
    const m = multi();
    const { xa, xb, ys } = data();
    await m.fit({ a: { data: xa, shape: [n, 5] }, b: { data: xb, shape: [n, 4] } }, { cls: { data: ys[0], shape: [n, 3] }, reg: { data: ys[1], shape: [n, 2] }, aux: { data: ys[2], shape: [n, 1] } }, { epochs: 2, verbose: 0, batchSize: 4 });
    m.predict([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 4] }]);
    m.dispose();
    expect(backendInfo().arenaBytesInUse).toBe(before);
  });
});

// Every activation TF.js has, applied by TF.js' own Activation layer to values across their kinks and tails.
describe('activations by name against TF.js', () => {
  const names = ['linear', 'sigmoid', 'relu', 'tanh', 'softmax', 'elu', 'relu6', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'gelu_new', 'hardSigmoid', 'mish'];
  const values = Float32Array.from({ length: 64 }, (_, i) => (i - 32) * 0.37);
  test.each(names)('%s', (name) => {
    const m = new Sequential([layers.activation({ activation: name, inputShape: [8] })]);
    const ours = m.predict({ data: values, shape: [8, 8] }).data;
    const theirs = (tf.layers.activation({ activation: name as never }).apply(tf.tensor(values, [8, 8])) as tf.Tensor).dataSync();
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i]), `${name}(${values[i]}): ${v} vs ${theirs[i]}`).toBeLessThan(2e-6 * (1 + Math.abs(theirs[i]))));
    m.dispose();
  });
});

describe('grouped convolution (Keras groups)', () => {
  test('groups = channels = filters is a depthwise convolution with the kernel laid out [kh, kw, 1, c]; a Keras file with groups loads, and saves them', async () => {
    const { loadModel, ValueError, ShapeError } = await import('../dist/index.js');
    const n = 3, shape = [6, 5, 4];
    const next = testRandom(31);
    const x = { data: Float32Array.from({ length: n * 120 }, () => next() * 2 - 1), shape: [n, ...shape] };
    const grouped = new Sequential([layers.conv2d({ filters: 4, kernelSize: 3, groups: 4, padding: 'same', inputShape: shape, name: 'g' })]);
    const depthwise = new Sequential([layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', inputShape: shape, name: 'd' })]);
    // Kernel [3, 3, 1, 4] and depthwise kernel [3, 3, 4, 1] hold the same numbers in the same order.
    const [k, b] = grouped.getLayer('g').getWeights();
    expect(k.shape).toEqual([3, 3, 1, 4]);
    depthwise.getLayer('d').setWeights([{ data: k.data, shape: [3, 3, 4, 1] }, b]);
    const a = grouped.predict(x), c = depthwise.predict(x);
    for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i] - c.data[i])).toBeLessThan(1e-6);
    // Files: ours keep groups; a Keras-style entry with groups loads (and with groups 1, as Keras 2.3+ writes it).
    const back = await loadModel(grouped.toBytes());
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(a.data));
    const entry = (groups: number) => ({ class_name: 'Conv2D', config: { name: 'c', filters: 6, kernel_size: [1, 1], groups, batch_input_shape: [null, 2, 2, 6] } });
    const kernel = Float32Array.from({ length: (6 / 3) * 6 }, (_, i) => Math.sin(i)), bias = Float32Array.from({ length: 6 }, (_, i) => i / 10);
    const weightData = new Float32Array([...kernel, ...bias]).buffer;
    const file = { modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [entry(3)] } }, weightData,
      weightSpecs: [{ name: 'c/kernel', shape: [1, 1, 2, 6], dtype: 'float32' }, { name: 'c/bias', shape: [6], dtype: 'float32' }] };
    const keras = await loadModel(file as never);
    const pixels = { data: Float32Array.from({ length: 24 }, (_, i) => Math.cos(i)), shape: [1, 2, 2, 6] };
    // Filter q of group ⌊q / 2⌋ reads channels 2·⌊q / 2⌋ and 2·⌊q / 2⌋ + 1.
    const expected = Array.from({ length: 24 }, (_, i) => {
      const p = Math.floor(i / 6), q = i % 6, first = 2 * Math.floor(q / 2);
      return Math.fround(bias[q] + pixels.data[p * 6 + first] * kernel[q] + pixels.data[p * 6 + first + 1] * kernel[6 + q]);
    });
    keras.predict(pixels).data.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));
    keras.dispose();
    expect(((grouped.toTfjs() as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } }).modelTopology.config.layers[0].config).groups).toBe(4);
    // Errors name the option.
    expect(() => layers.conv2d({ filters: 6, kernelSize: 1, groups: 4 })).toThrow(ValueError);
    expect(() => layers.conv2d({ filters: 6, kernelSize: 1, groups: 4 })).toThrow(/groups must be a positive integer that divides filters \(6\); received 4/);
    expect(() => layers.conv2d({ filters: 6, kernelSize: 1, groups: 0 })).toThrow(/groups/);
    expect(() => new Sequential([layers.conv2d({ filters: 6, kernelSize: 1, groups: 3, inputShape: [4, 4, 4] })])).toThrow(ShapeError);
    expect(() => layers.conv2dTranspose({ filters: 6, kernelSize: 1, groups: 2 })).toThrow(/Conv2DTranspose: groups is not an option/);
    for (const m of [grouped, depthwise, back]) m.dispose();
  });
});

describe('bilinear upsampling', () => {
  test('is TF 2\'s tf.image.resize (half-pixel centres, as Keras\' UpSampling2D): TF.js\' resizeBilinear with halfPixelCenters, to 1e-6', () => {
    const next = testRandom(77);
    for (const [size, shape] of [[[2, 2], [4, 3, 6]], [[3, 1], [2, 5, 1]], [[4, 5], [3, 3, 4]]] as const) {
      const n = 2, count = n * shape[0] * shape[1] * shape[2];
      const data = Float32Array.from({ length: count }, () => next() * 4 - 2);
      const ours = new Sequential([layers.upSampling2d({ size: [...size], interpolation: 'bilinear', inputShape: [...shape] })]);
      const got = ours.predict({ data, shape: [n, ...shape] }).data;
      const expected = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(data, [n, ...shape]), [shape[0] * size[0], shape[1] * size[1]], false, true).dataSync());
      expect(got.length).toBe(expected.length);
      got.forEach((v, i) => expect(Math.abs(v - expected[i]), `size ${size}, element ${i}`).toBeLessThan(1e-6));
      ours.dispose();
    }
    expect(() => layers.upSampling2d({ interpolation: 'bicubic' as never })).toThrow(/UpSampling2D: interpolation must be 'nearest' or 'bilinear'; received the string "bicubic"/);
  });
});

describe('softmax over an axis', () => {
  test('every line along the axis sums to 1, the same values as the last-axis softmax of the transposed tensor; an axis outside the input is a clear error', () => {
    const next = testRandom(5);
    const x = { data: Float32Array.from({ length: 2 * 3 * 4 }, () => next() * 6 - 3), shape: [2, 3, 4] };
    const over1 = new Sequential([layers.softmax({ axis: 1, inputShape: [3, 4] })]);
    const last = new Sequential([layers.softmax({ inputShape: [4, 3] })]);
    const t = Float32Array.from({ length: 24 }, (_, i) => { const b = Math.floor(i / 12), j = Math.floor(i / 3) % 4, k = i % 3; return x.data[b * 12 + k * 4 + j]; });
    const a = over1.predict(x).data, b = last.predict({ data: t, shape: [2, 4, 3] }).data;
    for (let i = 0; i < 24; i++) {
      const bb = Math.floor(i / 12), k = Math.floor(i / 4) % 3, j = i % 4;
      expect(a[i]).toBe(b[bb * 12 + j * 3 + k]);
    }
    expect(() => new Sequential([layers.softmax({ axis: 3, inputShape: [3, 4] })])).toThrow(/Softmax softmax_\d+: axis 3 is outside inputs of rank 3 \(with the batch axis\); it must be 1 to 2, or -1 to -2/);
    over1.dispose();
    last.dispose();
  });
});
