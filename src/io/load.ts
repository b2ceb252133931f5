// Reading models: wasmlearn's bytes, and the TensorFlow.js layers format (model.json + weight
// shards, or TF.js ModelArtifacts in memory), into a Sequential. Every length, name, shape and
// type is checked before anything is read; any mismatch is a FormatError saying what and where.
import { writeF32 } from '../ops/memory.js';
import { backend } from '../runtime/backend.js';
import { FormatError, OutOfMemoryError, RuntimeUnavailableError, ValueError, WasmlearnError, describe } from '../errors.js';
import { Activation } from '../layers/activation.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { withoutInitializers, type Layer } from '../layers/layer.js';
import { MaxPooling2D } from '../layers/max-pooling2d.js';
import { Reshape } from '../layers/reshape.js';
import { Sequential } from '../models/sequential.js';
import { camelCase } from '../names.js';
import { getOptimizer } from '../optimizers.js';
import { runtimeName } from '../runtime/platform.js';
import { asBytes, readFileBytes } from './files.js';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, checksum, type WeightSpec } from './save.js';

type Json = Record<string, unknown>;

const LAYERS: Record<string, (config: Json) => Layer> = {
  Dense: (c) => new Dense(c as never),
  Conv2D: (c) => new Conv2D(c as never),
  MaxPooling2D: (c) => new MaxPooling2D(c as never),
  MaxPool2D: (c) => new MaxPooling2D(c as never),
  Flatten: (c) => new Flatten(c as never),
  Reshape: (c) => new Reshape(c as never),
  Dropout: (c) => new Dropout(c as never),
  Activation: (c) => new Activation(c as never),
};

/** Keras options wasmlearn does not implement: accepted only with their neutral values. */
const NEUTRAL: Record<string, (v: unknown) => boolean> = {
  kernelRegularizer: (v) => v === null, biasRegularizer: (v) => v === null, activityRegularizer: (v) => v === null,
  kernelConstraint: (v) => v === null, biasConstraint: (v) => v === null, noiseShape: (v) => v === null,
  dilationRate: (v) => v === 1 || (Array.isArray(v) && v.every((d) => d === 1)), groups: (v) => v === 1,
  seed: () => true, dtype: (v) => v === null || v === 'float32' || typeof v === 'object',
  kernelInitializer: () => true, biasInitializer: () => true, dataFormat: (v) => v === 'channels_last' || v === 'channelsLast',
  lora_rank: (v) => v === null, loraRank: (v) => v === null, loraAlpha: () => true,
};

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A Keras initializer description as our option ({ name, ...parameters }). */
function initializerOption(value: unknown): unknown {
  if (!isObject(value) || typeof value.class_name !== 'string') return value;
  const config = isObject(value.config) ? value.config : {};
  return { ...Object.fromEntries(Object.entries(config).map(([k, v]) => [camelCase(k), v])), name: value.class_name };
}

function layerFromJson(entry: unknown, index: number, inputShape: number[] | undefined): Layer {
  const where = `model topology: layer ${index}`;
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new FormatError(`${where} must be { class_name, config }; found ${describe(entry)}`);
  }
  const make = LAYERS[entry.class_name];
  if (!make) throw new FormatError(`${where}: layer class '${entry.class_name}' is not supported (known: ${Object.keys(LAYERS).join(', ')})`);
  const options: Json = {};
  for (const [key, value] of Object.entries(entry.config)) {
    const k = camelCase(key);
    if (k === 'batchShape' || k === 'batchInputShape') {
      if (value !== null && value !== undefined) options.batchInputShape = value;
      continue;
    }
    if (k === 'kernelInitializer' || k === 'biasInitializer') {
      options[k] = initializerOption(value);
      continue;
    }
    if (k in NEUTRAL) {
      if (!NEUTRAL[k](value)) throw new FormatError(`${where} (${entry.class_name}): option ${key} = ${JSON.stringify(value)} is not supported by wasmlearn`);
      if (k === 'dataFormat') options.dataFormat = 'channelsLast';
      continue;
    }
    options[k] = value;
  }
  if (inputShape && options.batchInputShape === undefined) options.batchInputShape = [null, ...inputShape];
  try {
    return make(options);
  } catch (error) {
    if (error instanceof WasmlearnError) throw new FormatError(`${where} (${entry.class_name}): ${error.message}`, { cause: error });
    throw error;
  }
}

/** A Sequential from Keras' topology JSON (TF.js' modelTopology, or Keras' own model config). */
export function modelFromTopology(topology: unknown): Sequential {
  const root = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(root) || root.class_name !== 'Sequential') {
    throw new FormatError(`model topology: only Sequential models are supported; found ${isObject(root) ? `class ${String(root.class_name)}` : describe(root)}`);
  }
  const config = root.config;
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new FormatError('model topology: the Sequential model has no layers');
  let inputShape: number[] | undefined;
  const layers: Layer[] = [];
  list.forEach((entry, i) => {
    if (isObject(entry) && entry.class_name === 'InputLayer') {
      const c = isObject(entry.config) ? entry.config : {};
      const shape = (c.batch_input_shape ?? c.batch_shape) as unknown;
      if (!Array.isArray(shape)) throw new FormatError(`model topology: layer ${i} (InputLayer) has no batch_input_shape`);
      inputShape = shape.slice(1) as number[];
      return;
    }
    layers.push(layerFromJson(entry, i, layers.length === 0 ? inputShape : undefined));
  });
  const name = isObject(config) && typeof config.name === 'string' ? config.name : undefined;
  try {
    // The weights come from the file: drawing initial values would be wasted work.
    return withoutInitializers(() => new Sequential({ layers, ...(name ? { name } : {}) }));
  } catch (error) {
    if (error instanceof WasmlearnError) throw new FormatError(`model topology: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Puts weights from specs and a blob into a built model, after checking all of them. */
function setWeightsFrom(model: Sequential, specs: unknown, data: Uint8Array): void {
  if (!model.isBuilt) throw new FormatError('model: the first layer has no input shape, so the weights cannot be placed');
  if (!Array.isArray(specs)) throw new FormatError(`weights manifest: expected a list of weight specs; found ${describe(specs)}`);
  const weights = model.weights;
  if (specs.length !== weights.length) {
    throw new FormatError(`weights manifest: the model has ${weights.length} weight arrays (${weights.map((w) => w.name).join(', ')}); the file has ${specs.length}`);
  }
  const byName = new Map<string, { spec: WeightSpec; offset: number }>();
  let offset = 0;
  const entries = specs.map((spec, i) => {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) throw new FormatError(`weights manifest: entry ${i} must be { name, shape, dtype }`);
    if (spec.dtype !== undefined && spec.dtype !== 'float32') throw new FormatError(`weights manifest: ${spec.name} has dtype ${String(spec.dtype)}; only float32 is supported`);
    if (spec.quantization !== undefined) throw new FormatError(`weights manifest: ${spec.name} is quantized, which is not supported`);
    const size = (spec.shape as number[]).reduce((a, b) => a * b, 1);
    const entry = { spec: spec as unknown as WeightSpec, offset };
    byName.set((spec.name as string).replace(/:0$/, ''), entry);
    offset += size * 4;
    return entry;
  });
  if (offset !== data.byteLength) throw new FormatError(`weights: the manifest describes ${offset} bytes of float32 values; the data has ${data.byteLength}`);
  const values = weights.map((w, i) => {
    // By name when the names match (TF.js, wasmlearn), else by position (converted Keras files).
    const entry = byName.get(w.name) ?? entries[i];
    if (entry.spec.shape.join() !== w.shape.join()) {
      throw new FormatError(`weights: ${w.name} has shape [${w.shape.join(', ')}] in the model; the file's ${entry.spec.name} has [${entry.spec.shape.join(', ')}]`);
    }
    const floats = new Float32Array(data.slice(entry.offset, entry.offset + w.size * 4).buffer);
    for (let k = 0; k < floats.length; k++) {
      if (floats[k] - floats[k] !== 0) throw new FormatError(`weights: ${entry.spec.name} holds a non-finite value (${floats[k]}) at element ${k}; the file is corrupt`);
    }
    return floats;
  });
  // Everything is checked: write the values straight into the weights.
  const be = backend();
  weights.forEach((w, i) => writeF32(be, w.ptr, values[i]));
}

function compileFrom(model: Sequential, training: unknown): void {
  if (!isObject(training) || typeof training.loss !== 'string') return;
  const optimizerConfig = isObject(training.optimizer_config) ? training.optimizer_config : undefined;
  try {
    const options = isObject(optimizerConfig?.config)
      ? Object.fromEntries(Object.entries(optimizerConfig.config).map(([k, v]) => [camelCase(k), v]).filter(([k]) => ['learningRate', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'rho', 'initialAccumulatorValue'].includes(k as string)))
      : undefined;
    const optimizer = getOptimizer(optimizerConfig?.class_name ?? 'sgd', 'trainingConfig', options);
    const metrics = Array.isArray(training.metrics) ? training.metrics.filter((m): m is string => typeof m === 'string') : undefined;
    model.compile({ loss: training.loss, optimizer, ...(metrics ? { metrics } : {}) });
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    // A loss or optimizer wasmlearn lacks: the model loads uncompiled, ready for compile().
  }
}

/** A model from TF.js ModelArtifacts ({ modelTopology, weightSpecs, weightData }). */
export function modelFromArtifacts(artifacts: Json): Sequential {
  const data = artifacts.weightData;
  const blobs = Array.isArray(data) ? data : [data];
  if (!blobs.every((b) => b instanceof ArrayBuffer || ArrayBuffer.isView(b))) {
    throw new FormatError(`model artifacts: weightData must be an ArrayBuffer (or a list of them); found ${describe(data)}`);
  }
  const bytes = concat(blobs.map((b) => asBytes(b as ArrayBuffer)));
  return withWeights(modelFromTopology(artifacts.modelTopology), artifacts.weightSpecs, bytes, artifacts.trainingConfig);
}

/** Fills a freshly made model; on any error its memory is released before the error goes up. */
function withWeights(model: Sequential, specs: unknown, data: Uint8Array, training: unknown): Sequential {
  try {
    setWeightsFrom(model, specs, data);
    compileFrom(model, training);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A model from wasmlearn's bytes (model.save() / toBytes()). */
export function modelFromBytes(source: ArrayBuffer | ArrayBufferView): Sequential {
  const b = asBytes(source);
  if (b.length < HEADER_BYTES || new TextDecoder().decode(b.subarray(0, 8)) !== MAGIC) {
    throw new FormatError(`loadModel: not a wasmlearn model (the first 8 bytes must be "${MAGIC}"; the data has ${b.length} bytes)`);
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) throw new FormatError(`loadModel: model format version ${version} is not supported (this wasmlearn reads version ${FORMAT_VERSION})`);
  const length = view.getUint32(12, true);
  if (HEADER_BYTES + length > b.length) {
    throw new FormatError(`loadModel: truncated: the header announces ${length} bytes of JSON but only ${b.length - HEADER_BYTES} follow`);
  }
  if (checksum(b.subarray(HEADER_BYTES)) !== view.getUint32(16, true)) {
    throw new FormatError('loadModel: the data is corrupt or truncated (its checksum does not match)');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(HEADER_BYTES, HEADER_BYTES + length)));
  } catch (cause) {
    throw new FormatError(`loadModel: the model description is corrupt (${String(cause)})`, { cause });
  }
  if (!isObject(json)) throw new FormatError('loadModel: the model description is not an object');
  const start = Math.ceil((HEADER_BYTES + length) / 4) * 4;
  return withWeights(modelFromTopology(json.modelTopology), json.weightSpecs, b.subarray(Math.min(start, b.length)), json.trainingConfig);
}

async function readUrl(url: URL, what: string): Promise<Uint8Array> {
  if (url.protocol === 'file:' && (runtimeName() === 'node' || runtimeName() === 'deno')) return readFileBytes(decodeURIComponent(url.pathname), what);
  const response = await fetch(url);
  if (!response.ok) throw new FormatError(`${what}: fetching ${url.href} failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A model from a TF.js model.json (path or URL) and the weight shards it lists beside it. */
async function modelFromModelJson(url: URL): Promise<Sequential> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readUrl(url, 'loadModel')));
  } catch (cause) {
    if (cause instanceof WasmlearnError) throw cause;
    throw new FormatError(`loadModel: ${url.href} is not valid JSON (${String(cause)})`, { cause });
  }
  if (!isObject(json) || !Array.isArray(json.weightsManifest)) throw new FormatError(`loadModel: ${url.href} has no weightsManifest; is it a TF.js layers model.json?`);
  const specs: unknown[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new FormatError(`loadModel: ${url.href}: a weightsManifest entry must have paths and weights`);
    specs.push(...group.weights);
    for (const path of group.paths) shards.push(await readUrl(new URL(String(path), url), 'loadModel'));
  }
  return modelFromArtifacts({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: concat(shards), trainingConfig: json.trainingConfig });
}

/**
 * Loads a Sequential model saved by wasmlearn (bytes, or a file path in Node and Deno) or by
 * TensorFlow.js / converted from Keras (a model.json path or URL with its weight shards, or TF.js
 * ModelArtifacts { modelTopology, weightSpecs, weightData }). The model comes back compiled when
 * the file holds a training configuration wasmlearn knows.
 */
export async function loadModel(source: string | URL | ArrayBuffer | ArrayBufferView | Json): Promise<Sequential> {
  try {
    return await load(source);
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

async function load(source: string | URL | ArrayBuffer | ArrayBufferView | Json): Promise<Sequential> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return modelFromBytes(source);
  if (source instanceof URL) return source.pathname.endsWith('.json') ? modelFromModelJson(source) : modelFromBytes(await readUrl(source, 'loadModel'));
  if (typeof source === 'string') {
    const isUrl = /^(https?|file):/.test(source);
    if (source.endsWith('.json')) {
      return modelFromModelJson(isUrl ? new URL(source) : new URL(`file://${absolutePath(source)}`));
    }
    return modelFromBytes(isUrl ? await readUrl(new URL(source), 'loadModel') : readFileBytes(source, 'loadModel'));
  }
  if (isObject(source) && 'modelTopology' in source) return modelFromArtifacts(source);
  throw new ValueError(`loadModel: source must be bytes, a path or URL, or TF.js model artifacts; received ${describe(source)}`);
}

function absolutePath(path: string): string {
  if (path.startsWith('/')) return path;
  const g = globalThis as { process?: { cwd(): string }; Deno?: { cwd(): string } };
  const cwd = g.Deno?.cwd() ?? g.process?.cwd() ?? '/';
  return `${cwd.replace(/\/$/, '')}/${path}`;
}
