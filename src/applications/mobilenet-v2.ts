// MobileNetV2 as Keras Applications defines it (Sandler et al. 2018; keras.applications.MobileNetV2):
// a stride-2 3×3 convolution, seventeen inverted residual blocks (1×1 expansion, 3×3 depthwise,
// linear 1×1 projection, batch normalization and ReLU6 between, an add when the shapes allow), a
// 1×1 convolution to 1280 channels and the classifier. Layer names, widths and paddings are
// Keras', so Keras weights converted by tensorflowjs_converter load into it by name.
import { ValueError, describe } from '../errors.js';
import { input } from '../layers/input-layer.js';
import * as layers from '../layers/index.js';
import type { SymbolicTensor } from '../layers/node.js';
import { checkBoolean, checkOptions } from '../options.js';
import { Model } from '../models/model.js';

export interface MobileNetV2Args {
  /** Width multiplier (default 1): 0.35, 0.5, 0.75, 1, 1.3, 1.4 in Keras' pretrained sets; any positive value builds. */
  alpha?: number;
  /** [height, width, channels] (default [224, 224, 3]); at least 32 × 32. */
  inputShape?: [number, number, number];
  /** Classes of the classifier (default 1000). */
  classes?: number;
  /** The classifier (global average pooling and a dense softmax) on top (default true). */
  includeTop?: boolean;
  /** Without the top: undefined (the 4-D feature map), 'avg' or 'max' (a global pooling). */
  pooling?: 'avg' | 'max';
  /** The classifier's activation (default 'softmax'). */
  classifierActivation?: string;
  /**
   * The batch normalizations' momentum (default 0.999, Keras'): lower (0.9) when training from
   * scratch for few steps, so that the moving statistics inference uses catch up.
   */
  batchNormMomentum?: number;
}

/** Keras' _make_divisible: v rounded to a multiple of 8, never below 90 % of v. */
function divisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

/** Keras' correct_pad for a 3×3 stride-2 window: one more row and column after than before on even sizes. */
function correctPad(t: SymbolicTensor): [[number, number], [number, number]] {
  const [h, w] = t.sizes;
  return [[1 - (1 - (h % 2)), 1], [1 - (1 - (w % 2)), 1]];
}

let momentum = 0.999;
const bn = (name: string) => layers.batchNormalization({ epsilon: 1e-3, momentum, name });
const relu6 = (name: string) => layers.reLU({ maxValue: 6, name });

function invertedResidual(x: SymbolicTensor, expansion: number, stride: number, alpha: number, filters: number, id: number): SymbolicTensor {
  const inChannels = x.sizes[x.sizes.length - 1];
  const out = divisible(Math.floor(filters * alpha));
  let h = x;
  let prefix = `block_${id}_`;
  if (id > 0) {
    h = layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }).apply(h);
    h = relu6(`${prefix}expand_relu`).apply(bn(`${prefix}expand_BN`).apply(h));
  } else prefix = 'expanded_conv_';
  if (stride === 2) h = layers.zeroPadding2d({ padding: correctPad(h), name: `${prefix}pad` }).apply(h);
  h = layers.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` }).apply(h);
  h = relu6(`${prefix}depthwise_relu`).apply(bn(`${prefix}depthwise_BN`).apply(h));
  h = layers.conv2d({ filters: out, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }).apply(h);
  h = bn(`${prefix}project_BN`).apply(h);
  return inChannels === out && stride === 1 ? layers.add({ name: `${prefix}add` }).apply([x, h]) : h;
}

/** [filters, stride, expansion] of the seventeen blocks. */
const BLOCKS: [number, number, number][] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/**
 * MobileNetV2 (Keras Applications' architecture and names) with fresh weights; load pretrained
 * ones with setWeights or by loading a converted Keras file instead.
 * @example const net = applications.mobileNetV2({ alpha: 0.35, inputShape: [96, 96, 3], includeTop: false, pooling: 'avg' });
 */
export function mobileNetV2(args: MobileNetV2Args = {}): Model {
  const o = checkOptions<MobileNetV2Args>(args, ['alpha', 'inputShape', 'classes', 'includeTop', 'pooling', 'classifierActivation', 'batchNormMomentum'], 'mobileNetV2');
  const alpha = o.alpha ?? 1;
  if (typeof alpha !== 'number' || !(alpha > 0) || !Number.isFinite(alpha)) throw new ValueError(`mobileNetV2: alpha must be a positive number; received ${describe(o.alpha)}`);
  const shape = o.inputShape ?? [224, 224, 3];
  if (!Array.isArray(shape) || shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1) || shape[0] < 32 || shape[1] < 32) {
    throw new ValueError(`mobileNetV2: inputShape must be [height, width, channels] of at least 32 × 32; received ${describe(o.inputShape)}`);
  }
  const classes = o.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 1) throw new ValueError(`mobileNetV2: classes must be a positive integer; received ${describe(o.classes)}`);
  const includeTop = checkBoolean(o.includeTop, 'includeTop', 'mobileNetV2', true);
  if (o.pooling !== undefined && o.pooling !== 'avg' && o.pooling !== 'max') throw new ValueError(`mobileNetV2: pooling must be 'avg' or 'max'; received ${describe(o.pooling)}`);
  momentum = o.batchNormMomentum ?? 0.999;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new ValueError(`mobileNetV2: batchNormMomentum must be in [0, 1]; received ${describe(o.batchNormMomentum)}`);
  const inp = input({ shape: [...shape], name: 'input_1' });
  let x = layers.conv2d({ filters: divisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(inp);
  x = relu6('Conv1_relu').apply(bn('bn_Conv1').apply(x));
  BLOCKS.forEach(([filters, stride, expansion], id) => (x = invertedResidual(x, expansion, stride, alpha, filters, id)));
  x = layers.conv2d({ filters: alpha > 1 ? divisible(1280 * alpha) : 1280, kernelSize: 1, useBias: false, name: 'Conv_1' }).apply(x);
  x = relu6('out_relu').apply(bn('Conv_1_bn').apply(x));
  if (includeTop) {
    x = layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x);
    x = layers.dense({ units: classes, activation: o.classifierActivation ?? 'softmax', name: 'predictions' }).apply(x);
  } else if (o.pooling === 'avg') x = layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x);
  else if (o.pooling === 'max') x = layers.globalMaxPooling2d({ name: 'global_max_pooling2d' }).apply(x);
  return new Model({ inputs: inp, outputs: x, name: `mobilenetv2_${alpha.toFixed(2)}_${shape[0]}` });
}
