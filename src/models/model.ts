// Functional models (Keras' Model / Functional, TF.js' tf.model): a graph of layers applied to
// symbolic tensors, from one or more inputs to an output. Layers applied twice share their weights;
// a tensor may feed several layers. Training runs backward through the graph (models/graph-plan.ts);
// everything else is LayersModel's.
import { ShapeError, ValueError, describe } from '../errors.js';
import { functionalTopology, layerEntry } from '../io/save.js';
import { layerFromDescription } from '../layers/registry.js';
import { InputLayer, input } from '../layers/input-layer.js';
import { withoutInitializers, type Layer } from '../layers/layer.js';
import { SymbolicTensor, asNested, givenBy, type Node } from '../layers/node.js';
import { partOf } from '../layers/outputs.js';
import { checkOptions } from '../options.js';
import type { Backend } from '../runtime/backend.js';
import type { Tensor } from '../tensor.js';
import { GraphPlan } from './graph-plan.js';
import { perEndpoint, type OutputEnd } from './heads.js';
import { LayersModel, fits, shown } from './layers-model.js';
import type { PassPlan } from './plan.js';

/**
 * The layers in Keras' order, so summaries, weight lists and saved configs line up with TF.js and
 * Keras: a node's depth is its longest path to the output, a layer's the deepest of its nodes;
 * deeper layers first, ties in the order the trace met them. Inputs are nodes of depth one more than
 * the deepest node they feed.
 */
function layersByDepth(inputs: readonly SymbolicTensor[], nodes: readonly Node[]): Layer[] {
  const depth = new Map<Node, number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const d = depth.get(node) ?? 0;
    depth.set(node, d);
    for (const t of node.inputs) depth.set(t.node, Math.max(depth.get(t.node) ?? 0, d + 1));
  }
  const met = [...inputs.map((t) => t.node), ...nodes];
  const layers: Layer[] = [];
  const layerDepth = new Map<Layer, number>();
  for (const node of met) {
    if (!layers.includes(node.layer)) layers.push(node.layer);
    layerDepth.set(node.layer, Math.max(layerDepth.get(node.layer) ?? 0, depth.get(node) ?? 0));
  }
  const firstMet = new Map(layers.map((l, i) => [l, i]));
  return layers.sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || firstMet.get(a)! - firstMet.get(b)!);
}

export interface ModelArgs {
  /** The model's inputs: tensors from input(). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The model's output, or its outputs: tensors computed from the inputs. */
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

/** Records what applying a node's layer again gave: its output, and each of its parts when it gives several. */
function replayed(value: Map<SymbolicTensor, SymbolicTensor>, node: Node, applied: SymbolicTensor): void {
  value.set(node.output, applied);
  node.output.parts?.forEach((p, k) => value.set(p, applied.parts![k]));
}

/**
 * The nodes that compute `outputs` from `inputs`, each after the nodes it needs (the masks a node
 * reads are needed too: they are computed by internal nodes); ValueError when a path does not
 * start at an input.
 */
function traceGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], where: string): Node[] {
  const order: Node[] = [];
  const state = new Map<Node, 'visiting' | 'done'>();
  const visit = (t: SymbolicTensor): void => {
    if (inputs.includes(t)) return;
    const node = t.node;
    if (node.layer instanceof InputLayer) {
      throw new ValueError(`${where}: an output depends on input '${node.layer.name}', which is not among the model's inputs (${inputs.map((i) => i.name).join(', ')})`);
    }
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') throw new ValueError(`${where}: the graph has a cycle through layer ${node.layer.name}`);
    state.set(node, 'visiting');
    for (const x of node.inputs) visit(x);
    for (const m of node.masks) if (m) visit(m);
    state.set(node, 'done');
    order.push(node);
  };
  // An output's mask weighs its loss: computed too.
  for (const output of outputs) {
    visit(output);
    if (output.mask) visit(output.mask);
  }
  return order;
}

/**
 * A model of layers applied to symbolic tensors (TF.js' tf.model, Keras' functional API): compile,
 * fit, evaluate, predict, save and load as a Sequential. fit and predict take one array per input
 * (or one array for a single input, or an object keyed by the inputs' names).
 * @example
 * const inp = input({ shape: [4] });
 * const a = layers.dense({ units: 8, activation: 'relu' }).apply(inp);
 * const b = layers.dense({ units: 8, activation: 'tanh' }).apply(inp);
 * const out = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.concatenate().apply([a, b]));
 * const net = model({ inputs: inp, outputs: out });
 */
export class Model extends LayersModel {
  readonly className = 'Model';
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly nodes: readonly Node[];
  /** The nodes a pass runs: those, and the internal ones that compute masks (never saved, listed or replayed: applying the layers makes them again). */
  private readonly passNodes: readonly Node[];
  /** Every layer, each once, deepest first. */
  private readonly flat: Layer[];
  /** The same with each nested model in place of its layers (Keras' model.layers). */
  private readonly layerList: (Layer | LayersModel)[];
  /**
   * Whether passes run on copies of the graph built for the data's sizes: some size is left to the
   * data, or a layer is applied at sizes other than those it was built for.
   */
  private readonly runsCopies: boolean;
  /** Those copies, by the data's per-sample shapes (a few kept). */
  private readonly copies = new Map<string, Copy>();

  constructor(args: ModelArgs) {
    const o = checkOptions<ModelArgs>(args, ['inputs', 'outputs', 'name'], 'model');
    if (o.name !== undefined && typeof o.name !== 'string') throw new ValueError(`model: name must be a string; received ${describe(o.name)}`);
    super(o.name ?? 'model');
    const inputs = (Array.isArray(o.inputs) ? [...o.inputs] : [o.inputs]) as SymbolicTensor[];
    // A layer's several outputs (an LSTM's with returnState) are several outputs of the model.
    const outputs = ((Array.isArray(o.outputs) ? [...o.outputs] : [o.outputs]) as SymbolicTensor[]).flatMap((t) => (t instanceof SymbolicTensor && t.parts ? [...t.parts] : [t]));
    for (const [what, list] of [['inputs', inputs], ['outputs', outputs]] as const) {
      if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
        throw new ValueError(`model: ${what} must be symbolic tensors (from input() or a layer's apply); received ${describe(what === 'inputs' ? o.inputs : o.outputs)}`);
      }
    }
    const notInputs = inputs.filter((t) => !(t.node.layer instanceof InputLayer));
    if (notInputs.length > 0) throw new ValueError(`model: inputs must come from input(); ${notInputs.map((t) => t.name).join(', ')} come from layers`);
    if (new Set(inputs).size !== inputs.length) throw new ValueError('model: an input is listed twice');
    if (new Set(outputs).size !== outputs.length) throw new ValueError('model: an output is listed twice');
    this.inputs = inputs;
    this.outputs = outputs;
    this.passNodes = traceGraph(inputs, outputs, 'model');
    this.nodes = this.passNodes.filter((n) => !n.layer.internal);
    for (const t of inputs) if (!this.nodes.some((n) => n.inputs.includes(t)) && !outputs.includes(t)) throw new ValueError(`model: input ${t.name} is not used to compute any output`);
    // Depth runs through the internal nodes too (a layer's outputs taken apart), which are then left out.
    const layers = layersByDepth(inputs, this.passNodes).filter((l) => !l.internal);
    const names = new Set<string>();
    for (const l of layers) {
      if (names.has(l.name)) throw new ValueError(`model: two layers are named '${l.name}'; names must be unique in a model`);
      names.add(l.name);
    }
    this.flat = layers;
    this.layerList = [];
    for (const l of layers) {
      const nodes = this.nodes.filter((n) => n.layer === l);
      const within = nodes[0]?.within;
      const item = within instanceof LayersModel && nodes.every((n) => n.within === within) ? within : l;
      if (!this.layerList.includes(item)) this.layerList.push(item);
    }
    this.runsCopies = [...inputs, ...this.nodes.map((n) => n.output)].some((t) => t.free.length > 0) ||
      this.nodes.some((n) => !n.layer.builtFor(n.inputs.map((t) => t.sizes)));
  }

  /** The output tensor (of a model of one output). */
  get output(): SymbolicTensor {
    if (this.outputs.length > 1) throw new ValueError(`output: the model has ${this.outputs.length} outputs; read outputs`);
    return this.outputs[0];
  }

  /**
   * The layers, each once, deepest first (Keras' and TF.js' order); a model applied inside this
   * one is listed as one layer, as Keras lists it (flatLayers lists its layers instead).
   */
  get layers(): (Layer | LayersModel)[] {
    return this.layerList;
  }

  get flatLayers(): Layer[] {
    return this.flat;
  }

  /** The per-sample shape of the one output (null where the size follows the data's); outputShapes when there are several. */
  get outputShape(): readonly (number | null)[] {
    if (this.outputs.length > 1) throw new ValueError(`outputShape: the model has ${this.outputs.length} outputs; read outputShapes`);
    return this.outputs[0].shape;
  }

  /** The per-sample shapes of the outputs. */
  get outputShapes(): readonly (readonly (number | null)[])[] {
    return this.outputs.map((t) => t.shape);
  }

  get isBuilt(): boolean {
    return true;
  }

  /** The per-sample shape of the one input (Keras' input_shape without the batch; null where the data gives the size); inputShapes when there are several. */
  get inputShape(): readonly (number | null)[] {
    if (this.inputs.length > 1) throw new ValueError(`inputShape: the model has ${this.inputs.length} inputs; read inputShapes`);
    return this.inputs[0].shape;
  }

  /** The per-sample shapes of the inputs. */
  get inputShapes(): readonly (readonly (number | null)[])[] {
    return this.inputs.map((t) => t.shape);
  }

  apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? [...inputs] : [inputs];
    if (list.length !== this.inputs.length || !list.every((t) => t instanceof SymbolicTensor)) {
      throw new ValueError(`${this.name}.apply: expected ${this.inputs.length} symbolic tensor${this.inputs.length > 1 ? 's' : ''} (${this.inputs.map((t) => t.name).join(', ')}); received ${describe(inputs)}`);
    }
    list.forEach((t, i) => {
      if (!fits(t.shape, this.inputs[i].shape)) {
        throw new ShapeError(`${this.name}.apply: input ${this.inputs[i].name} has shape [${shown(this.inputs[i].shape)}]; received [${shown(t.shape)}]`);
      }
    });
    // Replays the graph on the given tensors: every node's layer applied again (weights shared).
    return asNested(this, () => {
      const value = new Map<SymbolicTensor, SymbolicTensor>(this.inputs.map((t, i) => [t, list[i]]));
      for (const node of this.nodes) {
        const ins = node.inputs.map((t) => value.get(t)!);
        replayed(value, node, node.layer.apply(ins.length === 1 ? ins[0] : ins));
      }
      const outs = this.outputs.map((t) => value.get(t)!);
      return outs.length === 1 ? outs[0] : outs;
    });
  }

  /** The applications of `layer` in this model (an input's node, or nodes of the graph), in order. */
  ownNodes(layer: Layer): Node[] {
    return layer.inboundNodes.filter((n) => this.nodes.includes(n) || this.inputs.some((t) => t.node === n));
  }

  /** Per application of `layer` in this model, the tensors it takes (an input layer's own node takes none and is left out). */
  applicationsOf(layer: Layer): SymbolicTensor[][] {
    return this.ownNodes(layer).filter((n) => n.inputs.length > 0).map((n) => [...n.inputs]);
  }

  /** A tensor as Keras names it in configs and summaries: [layer name, node index in this model, tensor index] (part k of a layer's outputs: its tensor k). */
  tensorRef(t: SymbolicTensor): [string, number, number] {
    const part = partOf(t);
    if (part) return [part.source.node.layer.name, this.ownNodes(part.source.node.layer).indexOf(part.source.node), part.index];
    return [t.node.layer.name, this.ownNodes(t.node.layer).indexOf(t.node), 0];
  }

  /** A nested model's first application here: the tensors it takes and gives. */
  private nestedEnds(nested: LayersModel): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
    const nodes = this.nodes.filter((n) => n.within === nested);
    const made = new Set(nodes.map((n) => n.output));
    const inputs = [...new Set(nodes.flatMap((n) => n.inputs.filter((t) => !made.has(t))))];
    const outputs = nodes.map((n) => n.output).filter((t) => this.outputs.includes(t) || this.nodes.some((n) => n.within !== nested && n.inputs.includes(t)));
    return { inputs, outputs };
  }

  /** The shape of the layer's first output in this model, None where the data gives the size (as Keras shows it). */
  protected override outputShown(layer: Layer | LayersModel): string {
    const out = layer instanceof LayersModel ? this.nestedEnds(layer).outputs[0] : this.ownNodes(layer)[0].output;
    const shown = (t: SymbolicTensor) => `(None, ${t.shape.map((d) => d ?? 'None').join(', ')})`;
    return out ? (out.parts ? `[${out.parts.map(shown).join(', ')}]` : shown(out)) : '';
  }

  protected override connections(): (layer: Layer | LayersModel) => string[] {
    // Keras' form: layer[node][tensor] of every input of every application in this model; a
    // tensor a nested model gave is named after that model and its application.
    const shownRef = (t: SymbolicTensor): [string, number, number] => {
      const by = givenBy(t);
      if (!by || !(by.call.model instanceof LayersModel) || !this.layerList.includes(by.call.model)) return this.tensorRef(t);
      const calls = [...new Set(this.nodes.filter((n) => n.within === by.call.model).map((n) => n.call))];
      return [by.call.model.name, calls.indexOf(by.call), by.index];
    };
    return (layer) => (layer instanceof LayersModel ? this.nestedEnds(layer).inputs : this.applicationsOf(layer).flat()).map((t) => {
      const [name, node, tensor] = shownRef(t);
      return `${name}[${node}][${tensor}]`;
    });
  }

  /** Outputs are named after their layers (Keras), a layer giving several outputs numbered after the first: 'dense', 'dense_1'. */
  protected get outputEnds(): OutputEnd[] {
    const seen = new Map<string, number>();
    return this.outputs.map((t) => {
      const name = (partOf(t)?.source ?? t).node.layer.name;
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      const terminal = !this.nodes.some((n) => n.inputs.includes(t)) && !this.inputs.includes(t);
      return { name: k === 0 ? name : `${name}_${k}`, shape: t.sizes, layer: t.node.layer, terminal };
    });
  }

  /**
   * The model passes run on for data of these per-sample shapes: this one, or (sizes left to the
   * data, layers applied at several sizes) a copy of the graph built for them whose layers share
   * this model's weights, made once per shape and kept for the next calls.
   */
  protected override runner(Xs: readonly Tensor[]): LayersModel {
    if (!this.runsCopies) return this;
    const key = Xs.map((X) => X.shape.slice(1).join('x')).join(';');
    let copy = this.copies.get(key);
    if (!copy) {
      copy = this.copyFor(Xs.map((X) => X.shape.slice(1)));
      if (this.copies.size >= 8) {
        const [oldest, made] = this.copies.entries().next().value as [string, Copy];
        this.copies.delete(oldest);
        made.model.dispose();
      }
      this.copies.set(key, copy);
    }
    // Freezing follows this model's layers (set since the copy was made, maybe).
    for (const [layer, twin] of copy.twins) twin.trainable = layer.trainable;
    return copy.model;
  }

  private copyFor(shapes: readonly (readonly number[])[]): Copy {
    const twins: [Layer, Layer][] = [];
    const byShapes = new Map<string, Layer>();
    try {
      return withoutInitializers(() => {
        const value = new Map<SymbolicTensor, SymbolicTensor>(this.inputs.map((t, i) => [t, input({ shape: [...shapes[i]], name: t.node.layer.name })]));
        for (const node of this.nodes) {
          const ins = node.inputs.map((t) => value.get(t)!);
          // One copy per layer and input sizes: a layer applied at two sizes runs as two layers sharing weights.
          const key = `${node.layer.name}|${ins.map((t) => t.sizes.join('x')).join(';')}`;
          let twin = byShapes.get(key);
          const fresh = !twin;
          if (!twin) {
            const copies = twins.filter(([l]) => l === node.layer).length;
            // Made as a saved model's layer is: from its description, through the registry.
            const entry = layerEntry(node.layer, false);
            twin = layerFromDescription({ ...entry, config: { ...entry.config, name: copies === 0 ? node.layer.name : `${node.layer.name}_size${copies}` } }, `layer ${node.layer.name}`);
            twin.takeCallArguments(node.layer.callArguments());
            twins.push([node.layer, twin]);
            byShapes.set(key, twin);
          }
          replayed(value, node, twin.apply(ins.length === 1 ? ins[0] : ins));
          // Built by its first application: its weights are then this model's.
          if (fresh) twin.shareWeightsOf(node.layer);
        }
        return { model: new Model({ inputs: this.inputs.map((t) => value.get(t)!), outputs: this.outputs.map((t) => value.get(t)!), name: this.name }), twins };
      });
    } catch (error) {
      for (const [, twin] of twins) twin.dispose();
      if (error instanceof ShapeError || error instanceof ValueError) {
        throw new ShapeError(`${this.name}: cannot run on samples of shape ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}: ${error.message}`);
      }
      throw error;
    }
  }

  override dispose(): void {
    for (const copy of this.copies.values()) copy.model.dispose();
    this.copies.clear();
    super.dispose();
  }

  createPlan(be: Backend, alloc: (bytes: number) => number, batch: number, training: boolean, targetCols: readonly number[] | undefined): PassPlan {
    return new GraphPlan(be, { inputs: this.inputs, outputs: this.outputs, nodes: this.passNodes }, alloc, batch, training, targetCols);
  }

  protected override inputLabel(i: number): string {
    return this.inputs.length === 1 ? 'x' : `x['${this.inputs[i].node.layer.name}']`;
  }

  protected inputTensors(x: unknown, where: string, checked: boolean): Tensor[] {
    const given = perEndpoint(x, this.inputs.map((t) => t.node.layer.name), 'inputs', 'x', where);
    const tensors = given.map((g, i) => this.samples(g, i, where, this.inputs[i].shape, checked));
    const n = tensors[0].shape[0];
    tensors.forEach((X, i) => {
      if (X.shape[0] !== n) throw new ShapeError(`${where}: every input needs the same number of samples; ${this.inputName(0, where)} has ${n}, ${this.inputName(i, where)} ${X.shape[0]}`);
    });
    return tensors;
  }

  protected topology(): Record<string, unknown> {
    return functionalTopology(this);
  }
}

/** A copy of a graph built for other sizes, and each of its layers with the layer it copies. */
interface Copy {
  model: Model;
  twins: [Layer, Layer][];
}

/** A functional model (TF.js' tf.model). */
export function model(args: ModelArgs): Model {
  return new Model(args);
}
