// Typed wrappers of assembly/affine.ts and assembly/upsampling.ts.
import type { Backend } from '../runtime/backend.js';

/** y = x·scale + offset over n values, split over threads (y may be x). */
export function affine(be: Backend, x: number, y: number, n: number, scale: number, offset: number): void {
  be.launch('affine', [x, y, scale, offset], n, 4, n);
}

/** How UpSampling2D fills the new pixels. */
export type Interpolation = 'nearest' | 'bilinear';

const KERNELS = { nearest: ['upsampleNearest', 'upsampleNearestBackward'], bilinear: ['upsampleBilinear', 'upsampleBilinearBackward'] } as const;

/** Upsampling of `batch` images of [height, width, channels] by [sh, sw] (nearest neighbour, or bilinear with half-pixel centres), split by images. */
export function upsample(be: Backend, interpolation: Interpolation, x: number, y: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void {
  be.launch(KERNELS[interpolation][0], [x, y, height, width, channels, sh, sw], batch, 1, batch * height * width * channels * sh * sw * (interpolation === 'bilinear' ? 4 : 1));
}

/** Its gradient: each output gradient given back to the input positions it was made from. */
export function upsampleBackward(be: Backend, interpolation: Interpolation, dy: number, dx: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void {
  be.launch(KERNELS[interpolation][1], [dy, dx, height, width, channels, sh, sw], batch, 1, batch * height * width * channels * sh * sw * (interpolation === 'bilinear' ? 4 : 1));
}
