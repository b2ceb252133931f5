// Pairs of layers that inference runs as one pass over memory. MobileNet-style networks follow
// every convolution with BatchNormalization and a ReLU6 layer; at inference the normalization is a
// scale and shift per channel, and the rectifier is applied in the same pass as it is written
// (the same arithmetic in the same order, so the same bits as the two layers one after the other).
import { BatchNormalization } from '../layers/batch-normalization.js';
import type { Layer } from '../layers/layer.js';
import { RectifierLayer } from '../layers/rectifiers.js';
import type { RectifierParameters } from '../ops/rectifiers.js';

/**
 * The rectifier of `next` when inference can run `layer` then `next` as one pass (`layer`'s own
 * output is then never written: nothing else may read it); else undefined.
 */
export function fusedRectifier(layer: Layer, next: Layer): RectifierParameters | undefined {
  if (!(layer instanceof BatchNormalization) || !(next instanceof RectifierLayer) || layer.activityRegularizer) return undefined;
  return next.reluParameters;
}

/** Runs the pair `fusedRectifier` accepted: `layer`'s input x to `next`'s output y. */
export function forwardFused(layer: Layer, step: Parameters<Layer['forward']>[0], x: number, y: number, scratch: number, rectifier: RectifierParameters): void {
  (layer as BatchNormalization).forwardRectified(step, x, y, scratch, rectifier);
}
