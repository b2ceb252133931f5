// The functional API's inputs (Keras' Input / InputLayer): a layer that computes nothing and
// stands for data the model is given.
import { ValueError, describe } from '../errors.js';
import { checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { Layer, type LayerArgs } from './layer.js';
import { Node, type SymbolicTensor } from './node.js';

export interface InputArgs {
  /** The shape of one sample (batch axis excluded); null for a size left to the data (a variable image size or sequence length). */
  shape?: (number | null)[];
  /** Keras' form with the batch axis first (null). */
  batchShape?: (number | null)[];
  name?: string;
  /** 'float32' (wasmlearn computes in float32). */
  dtype?: 'float32';
}

/**
 * A stand-in size for an axis left to the data: the layers after the input are built with it, and
 * a functional model runs copies of them built for the data's sizes.
 */
const STAND_IN = 256;

/** Stands for a model's input in its graph (and in saved topologies). */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  /** The per-sample axes whose size comes from the data (null in the shape). */
  readonly free: readonly number[];

  constructor(args: Omit<LayerArgs, 'inputShape'> & { sparse?: boolean; batchShape?: (number | null)[]; inputShape?: (number | null)[] }) {
    const { sparse, batchShape: givenBatchShape, batchInputShape, inputShape, ...rest } = args as typeof args & { batchInputShape?: (number | null)[] };
    // Keras' batch_shape (3.x) or batch_input_shape (2.x), as files name it.
    const batchShape = givenBatchShape ?? batchInputShape;
    if (sparse !== undefined && sparse !== false) throw new ValueError(`InputLayer: sparse inputs are not supported; received sparse ${describe(sparse)}`);
    const perSample = batchShape !== undefined ? (Array.isArray(batchShape) ? batchShape.slice(1) : batchShape) : inputShape;
    const free = Array.isArray(perSample) && perSample.length > 0 ? perSample.flatMap((d, i) => (d === null ? [i] : [])) : [];
    const sizes = Array.isArray(perSample) ? perSample.map((d) => (d === null ? STAND_IN : d)) : perSample;
    if (batchShape !== undefined && (!Array.isArray(batchShape) || batchShape.length < 2)) {
      throw new ValueError(`InputLayer: batchShape must be [batch or null, ...sizes]; received ${describe(batchShape)}`);
    }
    super(sizes !== undefined ? { ...rest, inputShape: sizes as number[] } : rest, 'InputLayer');
    if (!this.declaredInputShape) throw new ValueError('InputLayer: shape is required (the shape of one sample, e.g. [28, 28, 1])');
    this.free = Object.freeze(free);
  }

  /** The per-sample shape, null where the size comes from the data. */
  get shape(): (number | null)[] {
    return this.declaredInputShape!.map((d, i) => (this.free.includes(i) ? null : d));
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
    return new Node(this, [], this.declaredInputShape!, this.free).output;
  }

  override getConfig(): Record<string, unknown> {
    return { batchInputShape: [null, ...this.shape], dtype: 'float32', sparse: false, name: this.name };
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
