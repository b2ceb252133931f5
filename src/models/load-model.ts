// Building a Sequential model from a saved one: the layers from the topology through the layer
// registry, the weights placed after every name, shape and length is checked, and the compile
// settings when wasmlearn knows them. The formats themselves are read by io/read-model.ts.
import { FormatError, OutOfMemoryError, RuntimeUnavailableError, ValueError, WasmlearnError, describe } from '../errors.js';
import { readModel, type LoadHandler, type ModelSource, type ReadModel } from '../io/read-model.js';
import { decodeWeights, type DecodedWeight } from '../io/weights.js';
import { Layer, withoutInitializers } from '../layers/layer.js';
import { layerFromDescription } from '../layers/registry.js';
import { camelCase } from '../names.js';
import { writeF32 } from '../ops/memory.js';
import { Adam, SGD, getOptimizer } from '../optimizers.js';
import { backend } from '../runtime/backend.js';
import { InputLayer, input } from '../layers/input-layer.js';
import type { SymbolicTensor } from '../layers/node.js';
import { LayersModel, type CompileArgs } from './layers-model.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

/** A topology's problems, gathered so that one error lists them all (every entry is read before anything is refused). */
class Problems {
  private readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  /** make()'s result, or undefined with its FormatError's message kept. */
  attempt<T>(make: () => T): T | undefined {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      this.list.push(error.message);
      return undefined;
    }
  }

  /** Throws one FormatError naming every problem, after disposing what was made (nested models hold weights). */
  refuseIfAny(made: readonly { dispose(): void }[]): void {
    if (this.list.length === 0) return;
    for (const m of made) m.dispose();
    throw new FormatError(`model topology: ${this.list.length > 1 ? `${this.list.length} problems: ` : ''}${this.list.join('; ')}`);
  }
}

/** A layer from its entry, or a nested model (Keras' model used as a layer) from its config. */
function itemFromDescription(entry: unknown, where: string, inputShape?: number[]): Layer | LayersModel {
  if (isObject(entry) && MODEL_CLASSES.includes(entry.class_name as string)) {
    try {
      return modelFromTopology({ class_name: entry.class_name, config: entry.config });
    } catch (error) {
      if (error instanceof FormatError) throw new FormatError(`${where} (a nested ${String(entry.class_name)} model): ${error.message.replace(/^model topology: /, '')}`, { cause: error });
      throw error;
    }
  }
  return layerFromDescription(entry, where, inputShape);
}

/** A model from Keras' topology JSON (TF.js' modelTopology, or Keras' own model config): Sequential or functional. */
export function modelFromTopology(topology: unknown): LayersModel {
  const root = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (isObject(root) && (root.class_name === 'Model' || root.class_name === 'Functional')) return functionalFromConfig(root.config);
  if (!isObject(root) || root.class_name !== 'Sequential') {
    throw new FormatError(`model topology: Sequential and functional ('Model', 'Functional') models are supported; found ${isObject(root) ? `class ${String(root.class_name)}` : describe(root)}`);
  }
  const config = root.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new FormatError('model topology: the Sequential model has no layers');
  let inputShape: (number | null)[] | undefined;
  const layers: (Layer | LayersModel)[] = [];
  const problems = new Problems();
  // Sizes left to the data (null beyond the batch) make the stack a graph from an input of that shape.
  const hasNull = (shape: unknown) => Array.isArray(shape) && shape.slice(1).some((d) => d === null);
  list.forEach((entry, i) => {
    if (isObject(entry) && entry.class_name === 'InputLayer') {
      const c = isObject(entry.config) ? entry.config : {};
      const shape = (c.batch_input_shape ?? c.batch_shape) as unknown;
      if (!Array.isArray(shape)) problems.add(`layer ${i} (InputLayer) has no batch_input_shape`);
      else inputShape = shape.slice(1) as (number | null)[];
      return;
    }
    let described = entry;
    if (layers.length === 0 && isObject(entry) && isObject(entry.config) && hasNull(entry.config.batch_input_shape ?? entry.config.batch_shape)) {
      const { batch_input_shape: a, batch_shape: b, ...rest } = entry.config;
      inputShape = ((a ?? b) as (number | null)[]).slice(1);
      described = { ...entry, config: rest };
    }
    const free = inputShape?.some((d) => d === null);
    const item = problems.attempt(() => itemFromDescription(described, `layer ${i}`, layers.length === 0 && !free ? inputShape as number[] | undefined : undefined));
    if (item) layers.push(item);
  });
  problems.refuseIfAny(layers);
  const name = isObject(config) && typeof config.name === 'string' ? config.name : undefined;
  try {
    // The weights come from the file: drawing initial values would be wasted work.
    return withoutInitializers(() => {
      const free = inputShape?.some((d) => d === null) ?? false;
      if (!free && layers.every((l) => !(l instanceof LayersModel))) return new Sequential({ layers: layers as Layer[], ...(name ? { name } : {}) });
      // Nested models, or sizes left to the data, make the stack a graph: an input, then each layer or model applied in turn.
      const first = layers[0];
      const shape = inputShape ?? (first instanceof LayersModel ? (first as Model | Sequential).inputShape : first.declaredInputShape);
      if (!shape) throw new FormatError('model topology: the Sequential model holding a nested model gives no input shape');
      const x = input({ shape: [...shape] });
      const output = layers.reduce<SymbolicTensor>((t, l) => {
        const out = l.apply(t);
        if (Array.isArray(out)) throw new FormatError(`model topology: layer ${l.name} of the Sequential model gives ${out.length} outputs; a Sequential model's layers give one`);
        return out;
      }, x);
      return new Model({ inputs: x, outputs: output, ...(name ? { name } : {}) });
    });
  } catch (error) {
    for (const l of layers) l.dispose();
    if (error instanceof WasmlearnError) throw new FormatError(`model topology: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * The file's entry for each weight: by name (exactly, or with a model's prefix on either side, as
 * Keras 3 and converted files write 'sequential/dense/kernel' for 'dense/kernel'), else by position.
 */
function matchByName<T extends { name: string }>(names: readonly string[], entries: T[], byPosition = true): (T | undefined)[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const tail = (name: string, parts: number) => name.split('/').slice(-parts).join('/');
  const parts = (name: string) => Math.min(name.split('/').length, 3);
  const byTail = new Map<string, T | null>();
  for (const e of entries) for (const k of [2, 3]) byTail.set(tail(e.name, k), byTail.has(tail(e.name, k)) ? null : e);
  return names.map((name, i) => byName.get(name) ?? byTail.get(tail(name, parts(name))) ?? (byPosition ? entries[i] : undefined));
}

/** [layer name, node index, tensor index] of an inbound tensor, in Keras 2's list form or Keras 3's __keras_tensor__ form. */
function tensorRef(value: unknown, where: string): [string, number, number] {
  const history = isObject(value) && isObject(value.config) ? value.config.keras_history : value;
  if (Array.isArray(history) && typeof history[0] === 'string' && Number.isInteger(history[1]) && Number.isInteger(history[2])) {
    return [history[0], history[1] as number, history[2] as number];
  }
  throw new FormatError(`${where}: an inbound tensor must be [layer name, node index, tensor index]; found ${JSON.stringify(value)?.slice(0, 80)}`);
}

/**
 * The input references of one inbound node and its call arguments. Keras 2 writes a list of refs,
 * each [name, node, tensor, kwargs]; Keras 3 { args, kwargs } with a tensor or a list of them in
 * args, and tensors passed by name (MultiHeadAttention's value, key, attention_mask) in kwargs,
 * which are taken in that order (the value standing in for a key not given before a mask).
 */
function nodeRefs(node: unknown, where: string): { refs: [string, number, number][]; kwargs: Record<string, unknown> } {
  const isTensor = (v: unknown) => isObject(v) && v.class_name === '__keras_tensor__';
  if (isObject(node) && Array.isArray(node.args)) {
    const args = node.args.length === 1 && Array.isArray(node.args[0]) && node.args[0].every(isObject) ? node.args[0] : node.args;
    const refs = args.map((a) => tensorRef(a, where));
    const kwargs = isObject(node.kwargs) ? node.kwargs : {};
    for (const name of ['value', 'key', 'attention_mask']) {
      if (!isTensor(kwargs[name])) continue;
      if (name === 'attention_mask' && refs.length === 2) refs.push(refs[1]);
      refs.push(tensorRef(kwargs[name], where));
    }
    // A recurrent layer's initial states follow its sequences.
    const initial = kwargs.initial_state;
    if (Array.isArray(initial) && initial.every(isTensor)) refs.push(...initial.map((t) => tensorRef(t, where)));
    else if (isTensor(initial)) refs.push(tensorRef(initial, where));
    return { refs, kwargs: Object.fromEntries(Object.entries(kwargs).filter(([, v]) => !isTensor(v) && !(Array.isArray(v) && v.length > 0 && v.every(isTensor)))) };
  }
  if (Array.isArray(node)) {
    const first = node[0];
    const kwargs = Array.isArray(first) && isObject(first[3]) ? first[3] : {};
    return { refs: node.map((r) => tensorRef(r, where)), kwargs };
  }
  throw new FormatError(`${where}: an inbound node must be a list of tensors or { args, kwargs }; found ${describe(node)}`);
}

/** The refs of input_layers / output_layers: one [name, node, tensor] or a list of them. */
function endpointRefs(value: unknown, what: string): [string, number, number][] {
  if (Array.isArray(value) && typeof value[0] === 'string') return [tensorRef(value, `model topology: ${what}`)];
  if (Array.isArray(value) && value.length > 0) return value.map((v) => tensorRef(v, `model topology: ${what}`));
  throw new FormatError(`model topology: ${what} must list the model's ${what === 'input_layers' ? 'inputs' : 'outputs'}; found ${describe(value)}`);
}

/**
 * A functional model from its config: every layer made through the registry, then each applied to
 * its inbound nodes' tensors — repeatedly over the list, since a node may need a layer listed later
 * — and the model from its input and output layers. Any problem is a FormatError.
 */
function functionalFromConfig(config: unknown): Model {
  if (!isObject(config) || !Array.isArray(config.layers) || config.layers.length === 0) throw new FormatError('model topology: the functional model has no layers');
  const entries = config.layers as unknown[];
  const made: { name: string; layer: Layer | LayersModel; nodes: unknown[] }[] = [];
  const problems = new Problems();
  entries.forEach((entry, i) => {
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : isObject(entry) && isObject(entry.config) && typeof entry.config.name === 'string' ? entry.config.name : undefined;
    if (!name) return problems.add(`layer ${i} has no name`);
    if (!isObject(entry) || !Array.isArray(entry.inbound_nodes)) return problems.add(`layer ${i} (${name}) has no inbound_nodes`);
    const description = MODEL_CLASSES.includes(entry.class_name as string) ? entry : { class_name: entry.class_name, config: { ...(isObject(entry.config) ? entry.config : {}), name } };
    const layer = problems.attempt(() => itemFromDescription(description, `layer ${i}`));
    if (layer) made.push({ name, layer, nodes: entry.inbound_nodes });
  });
  problems.refuseIfAny(made.map((m) => m.layer));
  const byName = new Map(made.map((m) => [m.name, m]));
  // Per layer, per application: the tensors it made (several for a nested model of several outputs).
  const outputs = new Map<string, SymbolicTensor[][]>(made.map((m) => [m.name, []]));
  // TF.js counts a nested model's own node (its input to its output, made with it) in the node
  // indices it writes, Keras does not: [encoder, 1, 0] for the first application in a TF.js file,
  // [encoder, 0, 0] in a Keras one. An index one past the listed nodes shows which.
  const shift = new Map<string, number>();
  const produced = (name: string, index: number, tensor: number) => outputs.get(name)?.[index - (shift.get(name) ?? 0)]?.[tensor];
  try {
    if (byName.size !== made.length) throw new FormatError('model topology: two layers have the same name');
    // Every application: its layer, its index among the layer's, and the tensors it takes.
    const applications = made.flatMap((m) => m.nodes.map((node, k) => ({ m, k, ...nodeRefs(node, `layer ${m.name}: inbound node ${k}`) })));
    const refs = [...applications.flatMap((a) => a.refs), ...endpointRefs(config.output_layers, 'output_layers')];
    for (const m of made) {
      if (m.layer instanceof LayersModel && refs.some(([name, index]) => name === m.name && index >= m.nodes.length)) shift.set(m.name, 1);
    }
    return withoutInitializers(() => {
      for (const m of made) {
        if (m.layer instanceof InputLayer) outputs.get(m.name)!.push([m.layer.tensor()]);
      }
      const pending = applications.filter((a) => !(a.m.layer instanceof InputLayer));
      while (pending.length > 0) {
        const before = pending.length;
        for (let p = 0; p < pending.length; p++) {
          const { m, k, refs, kwargs } = pending[p];
          if (outputs.get(m.name)!.length !== k) continue; // a layer's nodes are made in order
          const tensors = refs.map(([name, nodeIndex, tensorIndex]) => {
            if (!byName.has(name)) throw new FormatError(`model topology: layer ${m.name} takes the output of an unknown layer '${name}'`);
            return produced(name, nodeIndex, tensorIndex);
          });
          if (!tensors.every((t): t is SymbolicTensor => t !== undefined)) continue;
          // Call arguments that are the layer's (MultiHeadAttention's use_causal_mask), set before it is applied.
          if (m.layer instanceof Layer) m.layer.takeCallArguments(kwargs);
          const result = m.layer.apply(tensors.length === 1 ? tensors[0] : tensors);
          outputs.get(m.name)!.push(Array.isArray(result) ? result : result.parts ? [...result.parts] : [result]);
          pending.splice(p--, 1);
        }
        if (pending.length === before) throw new FormatError(`model topology: the nodes of ${pending.map((q) => q.m.name).join(', ')} take tensors no layer makes (or they form a cycle)`);
      }
      const resolve = ([name, nodeIndex, tensorIndex]: [string, number, number], what: string) => {
        const t = produced(name, nodeIndex, tensorIndex);
        if (!t) throw new FormatError(`model topology: ${what} names '${name}' node ${nodeIndex} tensor ${tensorIndex}, which the model does not make`);
        return t;
      };
      return new Model({
        inputs: endpointRefs(config.input_layers, 'input_layers').map((r) => resolve(r, 'input_layers')),
        outputs: endpointRefs(config.output_layers, 'output_layers').map((r) => resolve(r, 'output_layers')),
        ...(typeof config.name === 'string' ? { name: config.name } : {}),
      });
    });
  } catch (error) {
    for (const m of made) m.layer.dispose();
    if (error instanceof FormatError) throw error;
    if (error instanceof WasmlearnError) throw new FormatError(`model topology: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Puts the file's weights into a built model, after checking all of them; returns the optimizer's entries. */
function setWeightsFrom(model: LayersModel, specs: unknown, data: Uint8Array): DecodedWeight[] {
  if (!model.isBuilt) throw new FormatError('model: the first layer has no input shape, so the weights cannot be placed');
  const decoded = decodeWeights(specs, data);
  const entries = decoded.filter((e) => e.group === 'model');
  const weights = model.weights;
  if (entries.length !== weights.length) {
    throw new FormatError(`weights manifest: the model has ${weights.length} weight arrays (${weights.map((w) => w.name).join(', ')}); the file has ${entries.length}`);
  }
  const matched = matchByName(weights.map((w) => w.name), entries) as DecodedWeight[];
  matched.forEach((entry, i) => {
    const w = weights[i];
    if (entry.shape.join() !== w.shape.join()) {
      throw new FormatError(`weights: ${w.name} has shape [${w.shape.join(', ')}] in the model; the file's ${entry.name} has [${entry.shape.join(', ')}]`);
    }
  });
  // Everything is checked: write the values straight into the weights.
  const be = backend();
  weights.forEach((w, i) => writeF32(be, w.ptr, matched[i].values));
  return decoded.filter((e) => e.group === 'optimizer');
}

/**
 * The optimizer's state saved with the model (TF.js' includeOptimizer: 'iter', then per weight
 * Adam's '/m' and '/v' or Momentum's '/momentum'), restored when the compiled optimizer is of the
 * same kind and every slot is there; otherwise the model loads with a fresh optimizer.
 */
function restoreOptimizer(model: LayersModel, entries: DecodedWeight[], className: unknown): void {
  const optimizer = model.optimizer;
  if (!optimizer || entries.length === 0) return;
  const iterations = entries.find((e) => e.name === 'iter' && e.values.length === 1)?.values[0];
  if (iterations === undefined || !Number.isSafeInteger(iterations) || iterations < 0) return;
  const weights = model.trainableWeights;
  const suffixes = optimizer instanceof Adam && className === 'Adam' ? ['m', 'v']
    : optimizer instanceof SGD && optimizer.momentum > 0 && className === 'Momentum' ? ['momentum'] : undefined;
  if (!suffixes) return;
  const slots: Float32Array[][] = [];
  for (const w of weights) {
    const found = suffixes.map((suffix) => matchByName([`${w.name}/${suffix}`], entries.filter((e) => e.name.endsWith(`/${suffix}`)), false)[0]);
    const complete = found.filter((e): e is DecodedWeight => e !== undefined && e.values.length === w.size);
    if (complete.length !== suffixes.length) return;
    // TF.js' momentum accumulates gradients (w ← w − η·a); Keras' velocity is v = −η·a.
    slots.push(complete.map((e) => (suffixes[0] === 'momentum' ? e.values.map((v) => -optimizer.learningRate * v) : e.values)));
  }
  optimizer.restore(backend(), weights, slots, iterations);
}

function compileFrom(model: LayersModel, training: unknown, metadata: unknown): void {
  if (!isObject(training) || !(typeof training.loss === 'string' || isObject(training.loss) || Array.isArray(training.loss))) return;
  const optimizerConfig = isObject(training.optimizer_config) ? training.optimizer_config : undefined;
  try {
    const options = isObject(optimizerConfig?.config)
      ? Object.fromEntries(Object.entries(optimizerConfig.config).map(([k, v]) => [camelCase(k), v]).filter(([k]) => ['learningRate', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'rho', 'initialAccumulatorValue'].includes(k as string)))
      : undefined;
    // TF.js' Momentum (useNesterov) is SGD with momentum.
    const className = optimizerConfig?.class_name === 'Momentum' ? 'sgd' : optimizerConfig?.class_name ?? 'sgd';
    if (optimizerConfig?.class_name === 'Momentum' && options && isObject(optimizerConfig.config)) options.nesterov = optimizerConfig.config.useNesterov ?? false;
    const optimizer = getOptimizer(className, 'trainingConfig', options);
    // Keras writes metrics and loss_weights as lists, or keyed by output name for several outputs.
    const metrics = Array.isArray(training.metrics) || isObject(training.metrics) ? training.metrics : undefined;
    const weights = training.loss_weights ?? (isObject(metadata) ? metadata.lossWeights : undefined);
    const lossWeights = Array.isArray(weights) || isObject(weights) ? weights : undefined;
    model.compile({ loss: training.loss as CompileArgs['loss'], optimizer, ...(metrics ? { metrics: metrics as CompileArgs['metrics'] } : {}), ...(lossWeights ? { lossWeights: lossWeights as CompileArgs['lossWeights'] } : {}) });
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    // A loss or optimizer wasmlearn lacks: the model loads uncompiled, ready for compile().
  }
}

/** A model from what io/read-model.ts read; on any error its memory is released before the error goes up. */
export function modelFromRead(read: ReadModel): LayersModel {
  const model = modelFromTopology(read.modelTopology);
  const { weightSpecs: specs, weightData: data, trainingConfig: training, userDefinedMetadata: metadata } = read;
  try {
    const optimizerEntries = setWeightsFrom(model, specs, data);
    compileFrom(model, training, metadata);
    const config = isObject(training) && isObject(training.optimizer_config) ? training.optimizer_config : undefined;
    restoreOptimizer(model, optimizerEntries, config?.class_name);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Loads a Sequential model saved by wasmlearn or by TensorFlow.js / converted from Keras: bytes;
 * a path in Node and Deno (a folder holding model.json, a model.json with its weight shards, a
 * wasmlearn file, `file://…` as TF.js writes it); an http(s) URL (fetch, in every runtime); TF.js
 * ModelArtifacts { modelTopology, weightSpecs, weightData }; or a TF.js IOHandler with load()
 * (tf.io.fromMemory, tf.io.browserFiles). The model comes back compiled when the file holds a
 * training configuration wasmlearn knows. A graph model, a Keras .h5 file, a missing file and every
 * unsupported layer class or option are FormatErrors that say so (all problems in one error).
 */
export async function loadModel(source: ModelSource | LoadHandler): Promise<LayersModel> {
  try {
    return modelFromRead(await readModel(source));
  } catch (error) {
    // Whatever a malformed file trips over is reported as what it is: a format problem.
    if (error instanceof FormatError || error instanceof RuntimeUnavailableError || error instanceof OutOfMemoryError) throw error;
    if (error instanceof ValueError && /^loadModel: source must be/.test(error.message)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) {
      throw new FormatError(`loadModel: cannot read the model (${message})`, { cause: error });
    }
    throw new FormatError(`loadModel: the model data is malformed (${message})`, { cause: error });
  }
}

