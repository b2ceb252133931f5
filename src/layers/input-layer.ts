// The functional API's inputs (Keras' Input / InputLayer): a layer that computes nothing and
// stands for data the model is given.
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { Layer, type LayerArgs } from './layer.js';
import { Node, type SymbolicTensor } from './node.js';

export interface InputArgs {
  /** The shape of one sample (batch axis excluded). */
  shape?: number[];
  /** Keras' form with the batch axis first (null). */
  batchShape?: (number | null)[];
  name?: string;
  /** 'float32' (wasmlearn computes in float32). */
  dtype?: 'float32';
}

/** Stands for a model's input in its graph (and in saved topologies). */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';

  constructor(args: LayerArgs & { sparse?: boolean; batchShape?: (number | null)[]; inputShape?: number[] }) {
    const { sparse, batchShape, ...rest } = args;
    if (sparse !== undefined && sparse !== false) throw new ValueError(`InputLayer: sparse inputs are not supported; received sparse ${describe(sparse)}`);
    super(batchShape !== undefined ? { ...rest, batchInputShape: batchShape } : rest, 'InputLayer');
    if (!this.declaredInputShape) throw new ValueError('InputLayer: shape is required (the shape of one sample, e.g. [28, 28, 1])');
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  override aliases(): boolean {
    return true;
  }

  forward(): void {}

  backward(): void {}

  /** The symbolic tensor the layer stands for: the layer built, and its own node (which takes nothing). */
  tensor(): SymbolicTensor {
    this.build(backend(), this.declaredInputShape!);
    return new Node(this, [], this.declaredInputShape!).output;
  }

  override getConfig(): Record<string, unknown> {
    return { batchInputShape: [null, ...this.declaredInputShape!], dtype: 'float32', sparse: false, name: this.name };
  }
}

/**
 * A symbolic input of a functional model (TF.js' tf.input): `shape` is one sample's.
 * @example const x = input({ shape: [28, 28, 1] });
 */
export function input(args: InputArgs): SymbolicTensor {
  const o = checkOptions<InputArgs>(args, ['shape', 'batchShape', 'name', 'dtype'], 'input');
  if (o.shape === undefined && o.batchShape === undefined) throw new ValueError('input: shape is required (the shape of one sample, e.g. { shape: [784] })');
  return new InputLayer({ ...(o.shape !== undefined ? { inputShape: o.shape } : { batchShape: o.batchShape }), ...(o.name !== undefined ? { name: o.name } : {}), ...(o.dtype !== undefined ? { dtype: o.dtype } : {}) }).tensor();
}
