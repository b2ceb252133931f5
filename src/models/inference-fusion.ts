// Runs of layers that inference runs as one pass over memory. MobileNet-style networks follow
// every convolution with BatchNormalization and a ReLU6 layer. At inference the normalization is
// a scale and shift per channel: a convolution or dense layer without activation applies its bias,
// the normalization and the rectifier to each block of its output as the GEMM or the depthwise
// kernel writes it, and a BatchNormalization after anything else applies the rectifier in its own
// pass. The same arithmetic in the same order: the same bits as the layers one after the other.
// (Folding the normalization into the kernel's weights instead would change the rounding.)
import { BatchNormalization } from '../layers/batch-normalization.js';
import type { Layer, Step } from '../layers/layer.js';
import { RectifierLayer } from '../layers/rectifiers.js';
import type { Normalizing } from '../ops/batch-norm.js';
import type { RectifierParameters } from '../ops/rectifiers.js';

/** A layer that can apply a normalization to its output as it writes it (Conv2D, Conv1D, DepthwiseConv2D, Dense). */
interface Normalizable extends Layer {
  readonly normalizable: boolean;
  forwardNormalized(step: Step, x: number, y: number, scratch: number, normalizing: Normalizing): void;
}

function isNormalizable(layer: Layer): layer is Normalizable {
  return (layer as Partial<Normalizable>).normalizable === true && !layer.activityRegularizer;
}

/** A BatchNormalization whose output nothing else needs: no activity penalty. */
function isNormalization(layer: Layer | undefined): layer is BatchNormalization {
  return layer instanceof BatchNormalization && !layer.activityRegularizer;
}

/** The ReLU family's rectifier a layer applies, if it is one. */
function rectifierOf(layer: Layer | undefined): RectifierParameters | undefined {
  return layer instanceof RectifierLayer ? layer.reluParameters : undefined;
}

/** Consecutive layers inference runs as one: how many, and how. */
export interface Fusion {
  readonly length: number;
  /** x: the first layer's input; y: the last one's output; scratch: each layer's. */
  run(step: Step, x: number, y: number, scratch: readonly number[]): void;
}

/**
 * The fusion that starts at layers[0], given the layers after it (each reading only the one before,
 * whose output nothing else reads); undefined when none does.
 */
export function fusionOf(layers: readonly Layer[]): Fusion | undefined {
  const [first, second, third] = layers;
  if (isNormalizable(first) && isNormalization(second) && second.overLastAxis) {
    const rectifier = rectifierOf(third);
    return {
      length: rectifier ? 3 : 2,
      run: (step, x, y, scratch) => first.forwardNormalized(step, x, y, scratch[0], second.inferenceNormalizing(step, scratch[1], rectifier)!),
    };
  }
  const rectifier = rectifierOf(second);
  if (isNormalization(first) && rectifier) {
    return { length: 2, run: (step, x, y, scratch) => first.forwardRectified(step, x, y, scratch[0], rectifier) };
  }
  return undefined;
}
