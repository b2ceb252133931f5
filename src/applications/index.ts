// Keras Applications' architectures, built from wasmlearn's layers with Keras' names.
export { mobileNetV2, type MobileNetV2Args } from './mobilenet-v2.js';
