// Typed wrappers of assembly/affine.ts and assembly/upsampling.ts.
import type { Backend } from '../runtime/backend.js';

/** y = x·scale + offset over n values, split over threads (y may be x). */
export function affine(be: Backend, x: number, y: number, n: number, scale: number, offset: number): void {
  be.launch('affine', [x, y, scale, offset], n, 4, n);
}

/** Nearest-neighbour upsampling of `batch` images of [height, width, channels] by [sh, sw], split by images. */
export function upsampleNearest(be: Backend, x: number, y: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void {
  be.launch('upsampleNearest', [x, y, height, width, channels, sh, sw], batch, 1, batch * height * width * channels * sh * sw);
}

/** Its gradient: each block of output gradients summed into its input position. */
export function upsampleNearestBackward(be: Backend, dy: number, dx: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void {
  be.launch('upsampleNearestBackward', [dy, dx, height, width, channels, sh, sw], batch, 1, batch * height * width * channels * sh * sw);
}
