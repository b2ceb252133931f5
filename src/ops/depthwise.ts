// Typed wrappers of assembly/depthwise.ts.
import { WasmlearnError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { normalizingArgs, type Normalizing } from './batch-norm.js';
import type { ConvGeometry } from './conv.js';

const args = (g: ConvGeometry, multiplier: number) =>
  [g.height, g.width, g.channels, multiplier, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.dilation?.[0] ?? 1, g.dilation?.[1] ?? 1, g.padTop, g.padLeft, g.outHeight, g.outWidth] as const;
const work = (batch: number, g: ConvGeometry, multiplier: number) => batch * g.outHeight * g.outWidth * g.channels * multiplier * g.kernel[0] * g.kernel[1];

/** y = the depthwise convolution of `batch` images (no bias; `normalizing` applied as written), split by output rows. */
export function depthwiseForward(be: Backend, x: number, kernel: number, y: number, batch: number, g: ConvGeometry, multiplier: number, normalizing?: Normalizing): void {
  if (normalizing?.activation) throw new WasmlearnError('internal: depthwiseForward has no activation epilogue (the GEMM kernels have)');
  be.launch('depthwiseForward', [x, kernel, y, ...args(g, multiplier), ...normalizingArgs(normalizing)], batch * g.outHeight, 1, work(batch, g, multiplier));
}

/** dx from dz (the pre-activation gradient), split by images. */
export function depthwiseBackwardInput(be: Backend, dz: number, kernel: number, dx: number, batch: number, g: ConvGeometry, multiplier: number): void {
  be.launch('depthwiseBackwardInput', [dz, kernel, dx, ...args(g, multiplier)], batch, 1, work(batch, g, multiplier));
}

/** The kernel's gradient from x and dz, over every image. */
export function depthwiseBackwardKernel(be: Backend, x: number, dz: number, dkernel: number, batch: number, g: ConvGeometry, multiplier: number): void {
  be.call('depthwiseBackwardKernel', x, dz, dkernel, batch, ...args(g, multiplier));
}
