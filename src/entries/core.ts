// What every family entry carries: initialisation, the backend's report, tensors, seeds, the
// warnings channel and the error classes. Re-exports only.
export { init, backendInfo, shutdown, type InitOptions, type BackendInfo } from '../runtime/backend.js';
export { Tensor, toTensor, type TensorLike, type NestedArray } from '../tensor.js';
export { setRandomSeed } from '../seed.js';
export type { CancelOptions } from '../cancel.js';
export { warnings, WasmlearnWarning, type WarningAction, type WarningCategory } from '../warnings.js';
export {
  WasmlearnError, ShapeError, ValueError, NotFittedError, FormatError, OutOfMemoryError, RuntimeUnavailableError, AbortError,
} from '../errors.js';
export type { MatrixLike } from '../matrix.js';
export type { TabularData, ArrowLike } from '../tabular/table.js';
export type { RuntimeName, Build } from '../runtime/platform.js';
