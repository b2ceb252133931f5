// Keras Applications' MobileNetV2 built here: its size and layer list as Keras prints them for
// the 224 × 224 ImageNet model (model.summary(): 3,538,984 parameters, 3,504,872 trainable,
// 156 layers), and a small one without its top that TF.js loads and predicts as we do.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ValueError, applications, type Tensor } from '../dist/index.js';

describe('applications.mobileNetV2', () => {
  it('alpha 1 at 224 × 224 has Keras\' parameter counts, layer count, names and output', () => {
    const m = applications.mobileNetV2();
    expect(m.countParams()).toBe(3_538_984);
    expect(m.trainableWeights.reduce((s, w) => s + w.size, 0)).toBe(3_504_872);
    expect(m.layers.length).toBe(156);
    expect(m.name).toBe('mobilenetv2_1.00_224');
    expect(m.layers.slice(0, 4).map((l) => l.name)).toEqual(['input_1', 'Conv1', 'bn_Conv1', 'Conv1_relu']);
    expect(m.layers.map((l) => l.name)).toContain('block_16_project_BN');
    expect(m.outputShape).toEqual([1000]);
    m.dispose();
  });

  it('alpha 0.35 at 96 × 96 without the top (average pooling): TF.js loads it and predicts the same; errors name the option', async () => {
    const m = applications.mobileNetV2({ alpha: 0.35, inputShape: [96, 96, 3], includeTop: false, pooling: 'avg' });
    expect(m.outputShape).toEqual([1280]);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(m.toTfjs() as never));
    expect(theirs.countParams()).toBe(m.countParams());
    const x = tf.randomUniform([2, 96, 96, 3], 0, 1, 'float32', 9);
    const ours = (m.predict({ data: x.dataSync() as Float32Array, shape: x.shape }) as Tensor).data;
    const ref = (theirs.predict(x) as tf.Tensor).dataSync();
    ours.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-4 * (1 + Math.abs(ref[i]))));
    expect(() => applications.mobileNetV2({ inputShape: [16, 16, 3] })).toThrow(/inputShape must be \[height, width, channels\] of at least 32 × 32/);
    expect(() => applications.mobileNetV2({ alpha: 0 })).toThrow(ValueError);
    m.dispose();
    theirs.dispose();
  });
});
