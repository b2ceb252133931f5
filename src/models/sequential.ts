// The Sequential model (Keras'): a linear stack of layers, built from a list or with add. Everything
// else a model does is LayersModel's. A functional model may be one of the stack's items (Keras'
// transfer-learning idiom, Sequential([base, pooling, head])): the stack is then a graph, and its
// passes and files are those of the functional model the items make when applied in turn.
import { ShapeError, ValueError, describe } from '../errors.js';
import { sequentialTopology } from '../io/save.js';
import { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { asNested, type SymbolicTensor } from '../layers/node.js';
import { checkOptions } from '../options.js';
import { backend, type Backend } from '../runtime/backend.js';
import type { Tensor } from '../tensor.js';
import type { OutputEnd } from './heads.js';
import { LayersModel, type ModelData, type PredictArgs } from './layers-model.js';
import { Model } from './model.js';
import { Plan, type PassPlan } from './plan.js';

export type { CompileArgs, EvaluateArgs, FitArgs, PredictArgs } from './layers-model.js';

/**
 * A linear stack of layers (Keras' Sequential): build it from a list or with add, compile it with
 * a loss and an optimizer, fit it, then evaluate and predict.
 *
 * @example
 * const model = new Sequential([
 *   layers.dense({ units: 500, inputShape: [784], activation: 'sigmoid' }),
 *   layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd({ learningRate: 0.1 }), metrics: ['accuracy'] });
 * await model.fit(x, y, { batchSize: 100, epochs: 20 });
 */
export class Sequential extends LayersModel {
  readonly className = 'Sequential';
  private readonly stack: (Layer | Model)[] = [];
  /** The functional model the items make when the stack holds one (rebuilt after each add). */
  private graphValue: Model | undefined;
  /** The input tensor, then each layer's output. */
  private readonly tensors: SymbolicTensor[] = [];
  private inputShapeValue: readonly number[] | undefined;

  constructor(args: (Layer | LayersModel)[] | { layers?: (Layer | LayersModel)[]; name?: string } = []) {
    const o = Array.isArray(args) ? { layers: args } : checkOptions<{ layers: (Layer | LayersModel)[]; name: string }>(args, ['layers', 'name'], 'Sequential');
    if (o.name !== undefined && typeof o.name !== 'string') throw new ValueError(`Sequential: name must be a string; received ${describe(o.name)}`);
    super(o.name ?? 'sequential');
    if (o.layers !== undefined && !Array.isArray(o.layers)) throw new ValueError(`Sequential: layers must be an array of layers; received ${describe(o.layers)}`);
    try {
      for (const layer of o.layers ?? []) this.add(layer);
    } catch (error) {
      // A model that could not be made keeps no memory: the layers it built go back unbuilt (a
      // model given as an item was built by its owner, who keeps it).
      for (const layer of this.stack) if (layer instanceof Layer) layer.dispose();
      throw error;
    }
  }

  /**
   * Appends a layer (built at once when the model's input shape is known), a Sequential model's
   * layers (shared with it), or a functional model of one input and one output, applied as one
   * layer (its weights shared with it, as Keras does).
   */
  add(layer: Layer | LayersModel): void {
    if (layer instanceof Sequential) {
      if (layer === this) throw new ValueError('Sequential.add: a model cannot be added to itself');
      for (const l of layer.layers) this.add(l);
      return;
    }
    if (layer instanceof Model) {
      this.addModel(layer);
      return;
    }
    if (!(layer instanceof Layer)) throw new ValueError(`Sequential.add: expected a layer (e.g. layers.dense({ units: 10 })) or a model; received ${describe(layer)}`);
    if (this.layers.includes(layer)) throw new ValueError(`Sequential.add: layer ${layer.name} is already in the model`);
    if (this.layers.some((l) => l.name === layer.name)) throw new ValueError(`Sequential.add: a layer named '${layer.name}' is already in the model; names must be unique`);
    if (this.layers.length > 0 && layer.declaredInputShape) {
      throw new ValueError(`Sequential.add: only the first layer may have an inputShape; layer ${layer.name} has [${layer.declaredInputShape.join(', ')}]`);
    }
    if (this.layers.length === 0 && layer.declaredInputShape) this.inputShapeValue = layer.declaredInputShape;
    this.stack.push(layer);
    if (this.inputShapeValue) this.connect(layer);
  }

  /** A functional model as one item of the stack; the first item gives the stack its input shape. */
  private addModel(m: Model): void {
    if (m.inputs.length !== 1 || m.outputs.length !== 1) {
      throw new ValueError(`Sequential.add: a model in a Sequential must have one input and one output; ${m.name} has ${m.inputs.length} and ${m.outputs.length}`);
    }
    if (this.stack.includes(m)) throw new ValueError(`Sequential.add: model ${m.name} is already in the model`);
    if (this.stack.some((l) => l.name === m.name)) throw new ValueError(`Sequential.add: a layer named '${m.name}' is already in the model; names must be unique`);
    if (this.stack.length === 0) {
      const shape = m.inputShape;
      if (shape.some((d) => d === null)) throw new ValueError(`Sequential.add: model ${m.name} leaves sizes to the data ([${shape.map((d) => d ?? 'null').join(', ')}]); a Sequential needs them fixed — apply it in a functional model instead`);
      this.inputShapeValue = Object.freeze(shape as number[]);
    }
    this.stack.push(m);
    if (this.inputShapeValue) this.connect(m);
  }

  /**
   * Builds a layer for what the one before it gives and applies it to that (Keras' Sequential
   * keeps such a graph), so that inputs, outputs and each layer's output exist as in TF.js.
   */
  private connect(layer: Layer | Model): void {
    if (this.tensors.length === 0) this.tensors.push(new InputLayer({ inputShape: [...this.inputShapeValue!], name: `${this.name.replace(/\//g, '_')}_input` }).tensor());
    const x = this.tensors[this.tensors.length - 1];
    this.graphValue = undefined;
    if (layer instanceof Model) {
      this.tensors.push(layer.apply(x) as SymbolicTensor);
      return;
    }
    layer.build(backend(), x.sizes);
    const out = layer.apply(x);
    if (out.parts) {
      this.stack.pop();
      throw new ValueError(`Sequential.add: layer ${layer.name} gives ${out.length} outputs (returnState, returnAttentionScores, mergeMode null); a Sequential passes one from layer to layer — use a functional model`);
    }
    this.tensors.push(out);
  }

  /**
   * The functional model of the stack, when it holds a model or a layer gives a Keras mask (an
   * embedding with maskZero, masking: the mask's own nodes run beside the stack): its passes, files
   * and outputs are the Sequential's.
   */
  private get graph(): Model | undefined {
    if (!this.stack.some((l) => l instanceof Model) && !this.tensors.some((t) => t.mask)) return undefined;
    this.inputShape;
    this.graphValue ??= new Model({ inputs: this.tensors[0], outputs: this.tensors[this.tensors.length - 1], name: this.name });
    return this.graphValue;
  }

  /** The model's input tensor, as TF.js' model.inputs (once the input shape is known). */
  get inputs(): SymbolicTensor[] {
    this.inputShape;
    return [this.tensors[0]];
  }

  /** The last layer's output tensor, as TF.js' model.outputs. */
  get outputs(): SymbolicTensor[] {
    this.inputShape;
    return [this.tensors[this.tensors.length - 1]];
  }

  apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== 1) throw new ValueError(`${this.name}.apply: a Sequential model takes one input; received ${list.length}`);
    if (this.layers.length === 0) throw new ValueError(`${this.name}.apply: the model has no layers`);
    return asNested(this, () => this.stack.reduce<SymbolicTensor>((t, layer) => layer.apply(t) as SymbolicTensor, list[0] as SymbolicTensor));
  }

  /** Builds every layer for a per-sample input shape (fit and predict do it from the data). */
  build(inputShape: readonly number[]): void {
    if (this.layers.length === 0) throw new ValueError(`${this.name}: the model has no layers; add some before using it`);
    if (this.inputShapeValue) {
      if (inputShape.join() !== this.inputShapeValue.join()) {
        throw new ShapeError(`${this.name}: expects samples of shape [${this.inputShapeValue.join(', ')}]; received [${inputShape.join(', ')}]`);
      }
      return;
    }
    this.inputShapeValue = Object.freeze([...inputShape]);
    try {
      for (const layer of this.layers) this.connect(layer);
    } catch (error) {
      this.inputShapeValue = undefined;
      this.tensors.length = 0;
      this.graphValue = undefined;
      throw error;
    }
  }

  get isBuilt(): boolean {
    return this.inputShapeValue !== undefined;
  }

  /** The per-sample input shape. */
  get inputShape(): readonly number[] {
    if (!this.inputShapeValue) throw new ValueError(`${this.name}: the input shape is not known yet; give the first layer an inputShape or fit the model`);
    return this.inputShapeValue;
  }

  /** The per-sample output shape. */
  get outputShape(): readonly number[] {
    this.inputShape;
    return this.tensors[this.tensors.length - 1].sizes;
  }

  /** The layers in order (a model added to the stack is one of them, as Keras lists it). */
  get layers(): (Layer | Model)[] {
    return this.stack;
  }

  get flatLayers(): Layer[] {
    return this.graph?.flatLayers ?? (this.stack as Layer[]);
  }

  protected get outputEnds(): OutputEnd[] {
    const graph = this.graph;
    if (graph) return (graph as unknown as { outputEnds: OutputEnd[] }).outputEnds;
    const last = this.stack[this.stack.length - 1] as Layer;
    return [{ name: last.name, shape: this.outputShape, layer: last, terminal: true }];
  }

  /** The model's outputs for x, [samples, ...outputShape] (dropout off). Synchronous. */
  override predict(x: ModelData, args: PredictArgs = {}): Tensor {
    return super.predict(x, args) as Tensor;
  }

  createPlan(be: Backend, alloc: (bytes: number) => number, batch: number, training: boolean, targetCols: readonly number[] | undefined): PassPlan {
    return this.graph?.createPlan(be, alloc, batch, training, targetCols)
      ?? new Plan(be, { layers: this.stack as Layer[], inputShape: this.inputShape, outputShape: this.outputShape }, alloc, batch, training, targetCols);
  }

  protected inputTensors(x: unknown, where: string, checked: boolean): Tensor[] {
    return [this.checkedInput(x, where, checked)];
  }

  /** Keras' Sequential topology; with a model in the stack, the functional topology of the graph the items make (it loads as a functional model). */
  protected topology(): Record<string, unknown> {
    const graph = this.graph;
    return graph ? (graph as unknown as { topology(): Record<string, unknown> }).topology() : sequentialTopology(this);
  }

  /**
   * Checks x against the model (building it if needed) and, unless `checked` is false (fit checks
   * its copy in the module instead), checks every value is finite.
   */
  private checkedInput(x: unknown, where: string, checked: boolean): Tensor {
    const X = this.samples(x, 0, where, this.inputShapeValue, checked);
    if (!this.inputShapeValue) this.build(X.shape.slice(1));
    return X;
  }
}

/** A Sequential model (TF.js' tf.sequential): the same as new Sequential(args). */
export function sequential(args?: (Layer | LayersModel)[] | { layers?: (Layer | LayersModel)[]; name?: string }): Sequential {
  return new Sequential(args);
}
