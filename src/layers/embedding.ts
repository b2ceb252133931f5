// Keras' Embedding: integer indices (of any shape per sample, held as numbers as every model input
// is) → rows of a trained table, [...inputShape] → [...inputShape, outputDim]. An index that is not
// an integer in [0, inputDim) is refused, as TensorFlow refuses it, naming the value and where.
import { ShapeError, ValueError, describe } from '../errors.js';
import { embeddingCheck, embeddingGradient, embeddingLookup } from '../ops/embedding.js';
import { fillF32, readF32 } from '../ops/memory.js';
import { checkBoolean, checkOptions } from '../options.js';
import { constraintOption, constraintToKeras, type ConstraintIdentifier, type ConstraintSpec } from '../constraints.js';
import { regularizerOption, regularizerToKeras, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { shapeSize } from '../tensor.js';
import { initializerSpec, initializerToKeras, type InitializerIdentifier, type InitializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type WeightSpec } from './layer.js';
import { maskOf } from './masks.js';
import type { SymbolicTensor } from './node.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: indices run from 0 to inputDim − 1. */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Initializer of the table (default 'randomUniform', ±0.05 as Keras and TF.js). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Keras' masking of index 0 for later layers: only false (masks are not propagated yet). */
  maskZero?: boolean | null;
  /** TF.js' and Keras 2's shorthand for inputShape: the sequence length (or lengths). */
  inputLength?: number | number[] | null;
}

const OPTIONS = ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero', 'inputLength'] as const;

/** Looks up each integer index's row of a trained table (a word's vector). */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | number[] | null;
  private readonly initializer: InitializerSpec;
  private readonly regularizer: Regularizer | undefined;
  private readonly constraint: ConstraintSpec | undefined;

  constructor(args: EmbeddingArgs) {
    const o = checkOptions<EmbeddingArgs>(args, [...LAYER_ARGS, ...OPTIONS], 'Embedding');
    const where = 'Embedding';
    const length = o.inputLength ?? null;
    const lengths = length === null ? null : Array.isArray(length) ? length : [length];
    if (lengths && (lengths.length === 0 || lengths.some((d) => !Number.isInteger(d) || d < 1))) {
      throw new ValueError(`${where}: inputLength must be a positive integer or a list of them; received ${describe(o.inputLength)}`);
    }
    super(lengths && o.inputShape === undefined && o.batchInputShape === undefined ? { ...o, inputShape: lengths } : o, where);
    if (!Number.isInteger(o.inputDim) || (o.inputDim as number) < 1) throw new ValueError(`${where}: inputDim must be a positive integer (the vocabulary size); received ${describe(o.inputDim)}`);
    if (!Number.isInteger(o.outputDim) || (o.outputDim as number) < 1) throw new ValueError(`${where}: outputDim must be a positive integer; received ${describe(o.outputDim)}`);
    this.inputDim = o.inputDim as number;
    this.outputDim = o.outputDim as number;
    this.inputLength = length;
    this.maskZero = checkBoolean(o.maskZero ?? undefined, 'maskZero', where, false); // TF.js saves null for false
    this.initializer = initializerSpec(o.embeddingsInitializer ?? { name: 'randomUniform', minval: -0.05, maxval: 0.05 }, `${where}: embeddingsInitializer`);
    this.regularizer = regularizerOption(o.embeddingsRegularizer, `${where}: embeddingsRegularizer`);
    this.constraint = constraintOption(o.embeddingsConstraint, `${where}: embeddingsConstraint`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1) throw new ShapeError(`Embedding ${this.name}: needs inputs of rank ≥ 1 per sample; received []`);
    if (this.maskZero && inputShape.length !== 1) throw new ShapeError(`Embedding ${this.name}: maskZero masks the steps of sequences, inputs [steps] per sample; received [${inputShape.join(', ')}]`);
    return [...inputShape, this.outputDim];
  }

  protected override weightSpecs(): WeightSpec[] {
    return [['embeddings', [this.inputDim, this.outputDim], this.initializer, { regularizer: this.regularizer, constraint: this.constraint }]];
  }

  forward(step: Step, x: number, y: number): void {
    const count = step.batch * shapeSize(this.inputShape);
    const bad = embeddingCheck(step.be, x, count, this.inputDim);
    if (bad >= 0) {
      const value = readF32(step.be, x + bad * 4, 1)[0];
      const per = shapeSize(this.inputShape);
      throw new ValueError(`Embedding ${this.name}: input holds ${value} at sample ${Math.floor(bad / per)}, position ${bad % per}; indices must be integers in [0, ${this.inputDim}) (inputDim ${this.inputDim})`);
    }
    embeddingLookup(step.be, x, this.weights[0].ptr, count, this.outputDim, y);
  }

  backward(step: Step, x: number, _y: number, dy: number, dx: number): void {
    const count = step.batch * shapeSize(this.inputShape);
    if (this.trainable) embeddingGradient(step.be, x, dy, count, this.inputDim, this.outputDim, this.weights[0].grad);
    // Indices have no gradient (Keras gives none); a layer before this one sees zeros.
    if (dx) fillF32(step.be, dx, count, 0);
  }

  /** With maskZero, index 0 is padding: the output's mask is where the indices are not 0 (Keras' compute_mask). */
  protected override outputMask(inputs: readonly SymbolicTensor[]): SymbolicTensor | undefined {
    return this.maskZero ? maskOf(inputs[0], 0) : undefined;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim, outputDim: this.outputDim,
      embeddingsInitializer: initializerToKeras(this.initializer),
      embeddingsRegularizer: regularizerToKeras(this.regularizer),
      embeddingsConstraint: constraintToKeras(this.constraint),
      maskZero: this.maskZero, inputLength: this.inputLength,
    };
  }
}
