import { writeFileSync } from 'node:fs';
import { kerasToOnnx } from './keras-to-onnx.js';
import { liveStatistics } from './lib.js';
const wl = await import('../dist/index.js');
const L = wl.layers;
wl.setRandomSeed(1);
const mlp = new wl.Sequential([L.dense({ units: 500, inputShape: [784], activation: 'sigmoid' }), L.dense({ units: 500, activation: 'sigmoid' }), L.dense({ units: 10, activation: 'softmax' })]);
const cnn = new wl.Sequential([
  L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.flatten(), L.dense({ units: 128, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' }),
]);
const mobile = wl.applications.mobileNetV2({ classifierActivation: 'linear' });
liveStatistics(mobile);
writeFileSync('/tmp/om/mlp.onnx', kerasToOnnx(mlp.toTfjs()));
writeFileSync('/tmp/om/cnn.onnx', kerasToOnnx(cnn.toTfjs()));
writeFileSync('/tmp/om/mobilenetv2.onnx', kerasToOnnx(mobile.toTfjs()));
process.exit(0);
