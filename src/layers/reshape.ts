import { ShapeError, ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARGS, Layer, type LayerArgs } from './layer.js';

export interface ReshapeArgs extends LayerArgs {
  /** The per-sample output shape; one size may be -1 (inferred). */
  targetShape: number[];
}

/** Gives each sample a new shape with the same number of values (free: the memory is shared). */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    const o = checkOptions<ReshapeArgs>(args, [...LAYER_ARGS, 'targetShape'], 'Reshape');
    super(o, 'Reshape');
    const t = o.targetShape;
    if (!Array.isArray(t) || t.length === 0 || t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new ValueError(`Reshape: targetShape must be positive integers with at most one -1; received ${describe(t)}${Array.isArray(t) ? ` [${t.join(', ')}]` : ''}`);
    }
    this.targetShape = Object.freeze([...t]);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const size = shapeSize(inputShape);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (shapeSize(out) !== size || out.some((d) => !Number.isInteger(d))) {
      throw new ShapeError(`Reshape ${this.name}: cannot reshape [${inputShape.join(', ')}] (${size} values) to [${this.targetShape.join(', ')}]`);
    }
    return out;
  }

  override aliases(): boolean {
    return true;
  }

  forward(): void {}

  backward(): void {}

  override getConfig(): Record<string, unknown> {
    // Saved resolved (no -1) once built: TF.js' Reshape does not infer a -1 when loading.
    return { ...super.getConfig(), targetShape: this.isBuilt ? this.outputShape : this.targetShape };
  }
}
