/**
 * The module's exports as the TypeScript side calls them (assembly/index.ts is the source).
 * Pointers are byte offsets into the module's memory.
 */
export interface KernelExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  buildFeatures(): number;
  gemmWorkspaceBytes(): number;
  gemmRowBlock(): number;
  gemmColumnBlock(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    work: number, splitColumns: number, start: number, end: number, thread: number,
  ): void;
  biasAdd(x: number, bias: number, cols: number, rowStart: number, rowEnd: number): void;
  sigmoid(x: number, y: number, n: number): void;
  sigmoidBackward(y: number, dy: number, dx: number, n: number): void;
  relu(x: number, y: number, n: number): void;
  reluBackward(x: number, dy: number, dx: number, n: number): void;
  tanh(x: number, y: number, n: number): void;
  tanhBackward(y: number, dy: number, dx: number, n: number): void;
  softmaxRows(x: number, y: number, cols: number, rowStart: number, rowEnd: number): void;
  sumRows(x: number, rows: number, cols: number, out: number): void;
  sumCols(x: number, cols: number, out: number, rowStart: number, rowEnd: number): void;
  axpy(n: number, alpha: number, x: number, y: number): void;
  scale(n: number, alpha: number, x: number): void;
  firstNonFinite(x: number, n: number): number;
  randomSeed(state: number, seedLow: number, seedHigh: number): void;
  randomNextU32(state: number): number;
  randomUniform(state: number, out: number, n: number, low: number, high: number): void;
  randomNormal(state: number, out: number, n: number, mean: number, std: number): void;
  biasActivation(y: number, bias: number, cols: number, activation: number, rowStart: number, rowEnd: number): void;
  activationBackward(activation: number, y: number, dy: number, dz: number, cols: number, rowStart: number, rowEnd: number): void;
  lossRows(
    kind: number, p: number, target: number, weights: number, cols: number, loss: number, grad: number, scale: number,
    fused: number, rowStart: number, rowEnd: number,
  ): void;
  argmaxRows(x: number, cols: number, out: number, rowStart: number, rowEnd: number): void;
  im2col(
    x: number, col: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, imageStart: number, imageEnd: number,
  ): void;
  col2im(
    dcol: number, dx: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, imageStart: number, imageEnd: number,
  ): void;
  maxPool(
    x: number, y: number, indices: number, height: number, width: number, channels: number, poolH: number, poolW: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, imageStart: number, imageEnd: number,
  ): void;
  maxPoolBackward(dy: number, indices: number, dx: number, inSize: number, outSize: number, imageStart: number, imageEnd: number): void;
  dropoutMask(state: number, mask: number, n: number, rate: number): void;
  multiply(a: number, b: number, out: number, n: number): void;
  sgdStep(w: number, g: number, velocity: number, n: number, learningRate: number, momentum: number, nesterov: number): void;
  adagradStep(w: number, g: number, accumulator: number, n: number, learningRate: number, epsilon: number): void;
  rmspropStep(w: number, g: number, meanSquare: number, n: number, learningRate: number, rho: number, epsilon: number): void;
  adamStep(
    w: number, g: number, m: number, v: number, n: number, stepSize: number, beta1: number, beta2: number, epsilon: number,
  ): void;
  smoWorkBytes(variables: number, n: number, rows: number): number;
  smoStart(
    variables: number, x: number, n: number, d: number, kind: number, gamma: number, coef0: number, degree: number, sq: number,
    index: number, sign: number, linear: number, upper: number, alpha: number, tolerance: number,
    cache: number, rows: number, work: number, nu: number,
  ): void;
  smoGradient(steps: number): number;
  smoRun(steps: number, shrinking: number, maxIter: number): number;
  smoFinish(maxIter: number, result: number): void;
  knnFromDots(
    dots: number, sqQ: number, sqX: number, queries: number, samples: number, n: number, d: number, k: number, extra: number,
    bound: number, scratch: number, outIndex: number, outDistance: number, rowStart: number, rowEnd: number, thread: number,
  ): void;
  treeBatch(
    descriptors: number, x: number, y: number, n: number, features: number, nOutputs: number, kind: number,
    maxDepth: number, minSamplesSplit: number, minSamplesLeaf: number, minImpurityDecrease: number, maxFeatures: number, maxLeafNodes: number,
    maxNodes: number, binCodes: number, binValues: number, nBins: number, keepOrdered: number, helperControl: number, start: number, end: number,
  ): void;
  treeScratchBytes(n: number, features: number, nOutputs: number, kind: number, maxNodes: number, keepOrdered: number): number;
  treeBins(x: number, n: number, d: number, codes: number, values: number, nBins: number, scratch: number, fStart: number, fEnd: number): void;
  treeBinsScratchBytes(d: number): number;
  symmetricEigen(a: number, n: number, values: number, work: number): number;
  gramRows(x: number, n: number, d: number, out: number, blockStart: number, blockEnd: number): void;
  gramCross(x: number, n: number, d: number, y: number, l: number, out: number, rowStart: number, rowEnd: number): void;
  centreRowsF32(x: number, rows: number, d: number, mean: number, out: number, norms: number): void;
  orthonormalBasis(a: number, rows: number, cols: number, work: number): void;
  rowsTimes(x: number, d: number, q: number, l: number, out: number, rowStart: number, rowEnd: number): void;
  centreRows(x: number, rows: number, d: number, mean: number): void;
  gridCodes(x: number, n: number, d: number, scale: number, tolerance: number, t: number, dPad: number, sums: number): number;
  gramGridRows(t: number, pairs: number, dPad: number, out: number, blockStart: number, blockEnd: number): void;
  gramMirror(out: number, d: number): void;
  projectRows(x: number, d: number, vectors: number, k: number, out: number, rowStart: number, rowEnd: number): void;
  kdLevels(n: number, leafSize: number): number;
  kdBuild(samples: number, n: number, d: number, levels: number, order: number, start: number, end: number, lo: number, hi: number): void;
  kdQuery(
    metric: number, p: number, queries: number, samples: number, d: number, k: number, skipSelf: number, levels: number, order: number, start: number,
    end: number, lo: number, hi: number, scratch: number, outIndex: number, outDistance: number, rowStart: number, rowEnd: number, thread: number,
  ): void;
  kdScratchBytes(d: number, levels: number): number;
  dotsI16(a: number, b: number, n: number, dPad: number, scale: number, out: number, chunk: number, lists: number, rowStart: number, rowEnd: number): void;
  treeApply(x: number, features: number, left: number, right: number, feature: number, threshold: number, out: number, rowStart: number, rowEnd: number): void;
  knnSearch(
    metric: number, p: number, queries: number, samples: number, n: number, d: number, k: number, normsQ: number, normsX: number,
    skipSelf: number, outIndex: number, outDistance: number, rowStart: number, rowEnd: number,
  ): void;
  smoBatch(
    descriptors: number, count: number, results: number, counter: number, x: number, d: number, sq: number, kind: number,
    gamma: number, coef0: number, degree: number, shrinking: number, maxRows: number, rows: number, scratch: number,
    scratchBytes: number, start: number, end: number, thread: number,
  ): void;
  squaredNorms(x: number, n: number, d: number, out: number): void;
  kernelMatrix(
    kind: number, a: number, b: number, nB: number, d: number, gamma: number, coef0: number, degree: number, sqA: number, sqB: number,
    out: number, rowStart: number, rowEnd: number,
  ): void;
  kernelFromDots(
    kind: number, dots: number, sqA: number, sqB: number, nB: number, gamma: number, coef0: number, degree: number, out: number,
    rowStart: number, rowEnd: number,
  ): void;
  ovoDecision(k: number, nSV: number, nClass: number, start: number, coef: number, rho: number, out: number, rowStart: number, rowEnd: number): void;
}

/**
 * Kernels the worker pool can split by output (rows, or gemm's columns). Each takes its own
 * arguments followed by (start, end, thread); the pool sends the index into this list, not a name.
 */
export const PARALLEL_KERNELS = [
  'gemm', 'biasAdd', 'softmaxRows', 'sumCols', 'biasActivation', 'activationBackward', 'lossRows', 'argmaxRows',
  'im2col', 'col2im', 'maxPool', 'maxPoolBackward', 'kernelMatrix', 'ovoDecision', 'kernelFromDots', 'smoBatch', 'knnSearch', 'knnFromDots', 'treeApply', 'treeBatch', 'treeBins', 'dotsI16', 'kdQuery', 'gramRows', 'gramGridRows', 'gramCross', 'rowsTimes', 'projectRows',
] as const;
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

/**
 * Thread t's part of a split of `rows` rows (or columns) over `threads` threads, in chunks that are multiples
 * of `align` (a kernel's natural block). The split is static, so which thread computes a row
 * depends only on (rows, threads), and no value is ever reduced across threads.
 */
export function rowRange(rows: number, threads: number, align: number, t: number): [number, number] {
  const per = Math.ceil(Math.ceil(rows / threads) / align) * align;
  const start = Math.min(rows, t * per);
  return [start, Math.min(rows, start + per)];
}

/**
 * The layout of the pool's control block, an Int32Array over a SharedArrayBuffer.
 *
 * Publication is a sequence lock: the main thread makes SEQUENCE odd, writes the task, then makes
 * it even and notifies. A worker takes a task only if it read the same even SEQUENCE before and
 * after reading the task, so it never acts on a half-written one and never runs one twice.
 * Each worker t acknowledges a task by storing its sequence number in ACK + t.
 */
export const Control = {
  SEQUENCE: 0,
  KERNEL: 1,
  THREADS: 2,
  ROWS: 3,
  ALIGN: 4,
  ARG_COUNT: 5,
  /** 0, or 1 + the index of the first thread whose kernel threw. */
  FAILED: 6,
  /** Used only to probe whether this thread may block in Atomics.wait. */
  PROBE: 7,
  ACK: 16,
  MAX_THREADS: 48,
  ARGS_BYTE_OFFSET: 256,
  MAX_ARGS: 24,
  MESSAGE_BYTE_OFFSET: 512,
  MESSAGE_BYTES: 512,
  BYTES: 1024,
} as const;
