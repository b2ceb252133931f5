// Typed wrappers of assembly/conv.ts: patches of channels-last images and their gradients.
import type { Backend } from '../runtime/backend.js';

/** A convolution's geometry over one channels-last image. */
export interface ConvGeometry {
  height: number;
  width: number;
  channels: number;
  kernel: readonly [number, number];
  strides: readonly [number, number];
  /** Spacing of the kernel's taps (default [1, 1]). */
  dilation?: readonly [number, number];
  /** Zero padding before the first row and column. */
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
  /** One group's channels of a grouped convolution: the first and how many (default all). */
  channelStart?: number;
  channelCount?: number;
}

const args = (g: ConvGeometry) => [g.height, g.width, g.channels, g.channelStart ?? 0, g.channelCount ?? g.channels, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.dilation?.[0] ?? 1, g.dilation?.[1] ?? 1, g.padTop, g.padLeft, g.outHeight, g.outWidth] as const;
const patch = (g: ConvGeometry) => g.kernel[0] * g.kernel[1] * (g.channelCount ?? g.channels);

/** The patch matrix [batch · outH · outW, kh · kw · c] of `batch` images (c: the group's channels), split by images. */
export function im2col(be: Backend, x: number, col: number, batch: number, g: ConvGeometry): void {
  be.launch('im2col', [x, col, ...args(g)], batch, 1, batch * g.outHeight * g.outWidth * patch(g));
}

/** The image gradient from the patch gradient (sums of overlapping patches), split by images. */
export function col2im(be: Backend, dcol: number, dx: number, batch: number, g: ConvGeometry): void {
  be.launch('col2im', [dcol, dx, ...args(g)], batch, 1, batch * g.outHeight * g.outWidth * patch(g));
}
