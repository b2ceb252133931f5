// The public surface: re-exports only. Nothing here runs on import.
export { init, backendInfo, type InitOptions, type BackendInfo } from './runtime/backend.js';
export { Tensor, toTensor, type TensorLike, type NestedArray } from './tensor.js';
export { matMul, type MatMulOptions } from './ops/matmul.js';
export { randomUniform, randomNormal, type RandomUniformOptions, type RandomNormalOptions } from './ops/random.js';
export {
  WasmlearnError, ShapeError, ValueError, NotFittedError, FormatError, OutOfMemoryError, RuntimeUnavailableError,
} from './errors.js';
