import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs } from './layer.js';

/**
 * Flattens each sample: [batch, d1, d2, …] → [batch, d1·d2·…]. Row-major data is already laid
 * out that way, so the layer costs nothing: its output is its input's memory.
 */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(checkOptions<LayerArgs>(args, [...LAYER_ARGS, 'dataFormat' as keyof LayerArgs & string], 'Flatten'), 'Flatten');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [shapeSize(inputShape)];
  }

  override aliases(): boolean {
    return true;
  }

  forward(): void {}

  backward(): void {}
}
