// `wasmlearn/nn`: deep learning — Sequential models, layers, optimizers, callbacks, loading and
// saving (wasmlearn bytes and the TF.js layers format), matMul and random tensors.
export * from './core.js';
export { matMul, type MatMulOptions } from '../ops/matmul.js';
export { randomUniform, randomNormal, type RandomUniformOptions, type RandomNormalOptions } from '../ops/random.js';
export * as layers from '../layers/index.js';
export * as applications from '../applications/index.js';
export * as optimizers from '../optimizers.js';
export * as losses from '../loss-functions.js';
export * as regularizers from '../regularizer-functions.js';
export * as constraints from '../constraint-functions.js';
export * as callbacks from '../callbacks.js';
export { Sequential, type CompileArgs, type FitArgs, type EvaluateArgs, type PredictArgs } from '../models/sequential.js';
export { LayersModel } from '../models/layers-model.js';
export { Model, model, type ModelArgs } from '../models/model.js';
export { input, type InputArgs } from '../layers/input-layer.js';
export { sequential } from '../models/sequential.js';
export type { Node, SymbolicTensor } from '../layers/node.js';
export { History } from '../models/history.js';
export { loadModel } from '../models/load-model.js';
export { registerLayer, type LayerClass } from '../layers/registry.js';
export type { ModelArtifacts, SaveHandler, WeightSpec } from '../io/save.js';
export type { LoadHandler, ModelSource } from '../io/read-model.js';
export type { KernelBias } from '../layers/weight-options.js';
export type { InitializerIdentifier, InitializerSpec } from '../layers/initializers.js';
