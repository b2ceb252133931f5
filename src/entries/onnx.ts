// `wasmlearn/onnx`: models exported to ONNX (PyTorch, scikit-learn, Keras, XGBoost) run on
// wasmlearn's kernels. The one entry that brings a dependency: protobufjs' minimal runtime,
// bundled in, for the generated decoder of ONNX's messages.
export * from './core.js';
export { loadOnnx, OnnxModel, type OnnxValueInfo, type OnnxOutput, type PredictOptions } from '../onnx/model.js';
export { OnnxTensor, type OnnxType } from '../onnx/value.js';
export { supportedOperators } from '../onnx/registry.js';
