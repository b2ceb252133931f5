// The ABI the TypeScript side sees: plain functions over pointers, sizes and strides.
// Kernels that the worker pool splits take (…, rowStart, rowEnd[, thread]) as their last arguments.
export { gemm, gemmWorkspaceBytes, gemmRowBlock, gemmColumnBlock } from './gemm';
export {
  biasAdd, sigmoid, sigmoidBackward, relu, reluBackward, tanh, tanhBackward,
  softmaxRows, sumRows, sumCols, axpy, scale, firstNonFinite,
} from './elementwise';
export { randomSeed, randomNextU32, randomUniform, randomNormal } from './random';

/** First byte after static data: the TS arena hands out memory from here on. */
export function heapBase(): usize {
  return __heap_base;
}
