// Typed wrappers of assembly/pooling.ts.
import type { Backend } from '../runtime/backend.js';
import type { ConvGeometry } from './conv.js';

/**
 * Max pooling of `batch` channels-last images (`kernel` is the pool), keeping the argmax of each
 * window at `indices` for maxPoolBackward (0: none kept, as at inference); split by images.
 */
export function maxPool(be: Backend, x: number, y: number, indices: number, batch: number, g: ConvGeometry): void {
  be.launch('maxPool', [x, y, indices, g.height, g.width, g.channels, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.padTop, g.padLeft, g.outHeight, g.outWidth],
    batch, 1, batch * g.outHeight * g.outWidth * g.channels * g.kernel[0] * g.kernel[1]);
}

/** dx from dy through the argmax indices (inSize / outSize values per image), split by images. */
export function maxPoolBackward(be: Backend, dy: number, indices: number, dx: number, batch: number, inSize: number, outSize: number): void {
  be.launch('maxPoolBackward', [dy, indices, dx, inSize, outSize], batch, 1, batch * (inSize + outSize));
}

/** y[b, c] = the mean of image b's positions, per channel; split by images. */
export function meanPositions(be: Backend, x: number, y: number, batch: number, positions: number, channels: number): void {
  be.launch('meanPositions', [x, y, positions, channels], batch, 1, batch * positions * channels);
}

/** dx[b, p, c] = dy[b, c] / positions; split by images. */
export function meanPositionsBackward(be: Backend, dy: number, dx: number, batch: number, positions: number, channels: number): void {
  be.launch('meanPositionsBackward', [dy, dx, positions, channels], batch, 1, batch * positions * channels);
}

/** The maximum of each image over all its positions, per channel (a max pool whose window is the image), keeping the argmax. */
export function globalMaxPool(be: Backend, x: number, y: number, indices: number, batch: number, height: number, width: number, channels: number): void {
  maxPool(be, x, y, indices, batch, { height, width, channels, kernel: [height, width], strides: [1, 1], padTop: 0, padLeft: 0, outHeight: 1, outWidth: 1 });
}

/** Average pooling of `batch` channels-last images (`kernel` is the pool; padding positions not counted), split by images. */
export function avgPool(be: Backend, x: number, y: number, batch: number, g: ConvGeometry): void {
  be.launch('avgPool', [x, y, g.height, g.width, g.channels, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.padTop, g.padLeft, g.outHeight, g.outWidth],
    batch, 1, batch * g.outHeight * g.outWidth * g.channels * g.kernel[0] * g.kernel[1]);
}

/** dx from dy, each window's gradient spread over its positions, split by images. */
export function avgPoolBackward(be: Backend, dy: number, dx: number, batch: number, g: ConvGeometry): void {
  be.launch('avgPoolBackward', [dy, dx, g.height, g.width, g.channels, g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.padTop, g.padLeft, g.outHeight, g.outWidth],
    batch, 1, batch * g.outHeight * g.outWidth * g.channels * g.kernel[0] * g.kernel[1]);
}
