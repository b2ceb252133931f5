// Writing models: the TensorFlow.js layers format (model.json: Keras' topology in snake_case, and
// the weights as one little-endian float32 blob in weightSpecs order), and wasmlearn's own
// single-file bytes, which hold the same JSON and blob behind a versioned header.
import { readF32 } from '../ops/memory.js';
import { snakeCase } from '../names.js';
import type { Backend } from '../runtime/backend.js';
import { makeDirectory, writeFileBytes } from './files.js';

export const MAGIC = 'WLRNMODL';
export const FORMAT_VERSION = 1;
export const GENERATED_BY = 'wasmlearn 0.1.0';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** TF.js' ModelArtifacts, as tf.io.fromMemory and tf.io.withSaveHandler exchange them. */
export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  trainingConfig?: Record<string, unknown>;
  /** What TF.js carries for its users beside the model; wasmlearn keeps compile's lossWeights here (TF.js refuses loss_weights in trainingConfig). */
  userDefinedMetadata?: Record<string, unknown>;
}

/** A layer as saving sees it: its class name, its description and its weights in WebAssembly memory. */
export interface SavableLayer {
  readonly className: string;
  readonly isBuilt: boolean;
  readonly inputShape: readonly number[];
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly size: number; readonly ptr: number }[];
  getConfig(): Record<string, unknown>;
  /** The call arguments recorded with each application (a layer's; a nested model has none). */
  callArguments?(): Record<string, unknown>;
}

/** A TF.js IOHandler that saves: it receives the model's artifacts. */
export interface SaveHandler {
  save(artifacts: ModelArtifacts): unknown;
}

/** What a model exposes for saving. */
export interface SavableModel {
  readonly name: string;
  /** Every layer, those of nested models included, each once in order: what files list. */
  readonly flatLayers: readonly SavableLayer[];
  readonly isBuilt: boolean;
  trainingConfig(): TrainingConfig | undefined;
}

/** A model's compile settings by name: one loss and metric list, or (several outputs) one per output name with the losses' weights. */
export interface TrainingConfig {
  loss: string | Record<string, string>;
  metrics: string[] | Record<string, string[]>;
  lossWeights?: Record<string, number>;
  optimizer: { className: string; config: Record<string, unknown> };
}

function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), toSnake(v)]));
}

/** A layer's entry in a topology: its class name and its config in Keras' snake_case. */
export function layerEntry(l: SavableLayer, withInputShape: boolean): { class_name: string; config: Record<string, unknown> } {
  const config = toSnake(l.getConfig()) as Record<string, unknown>;
  // A model built from its data has no declared input shape: record the one it was built for.
  if (withInputShape && config.batch_input_shape === undefined && l.isBuilt) config.batch_input_shape = [null, ...l.inputShape];
  return { class_name: l.className, config };
}

/** A functional model as saving sees it: its layers, the tensors each application takes, and how it names a tensor. */
export interface SavableGraph extends SavableModel {
  readonly inputs: readonly unknown[];
  readonly outputs: readonly unknown[];
  /** Per application of the layer in this model, the tensors it takes (none for an input layer). */
  applicationsOf(layer: SavableLayer): (readonly unknown[])[];
  /** [layer name, node index in this model, tensor index]. */
  tensorRef(t: unknown): [string, number, number];
}

/**
 * Keras' functional topology (class 'Model', as TF.js and Keras 2 write it): every layer with its
 * config and inbound_nodes — per application, [layer name, node index, tensor index, kwargs] of each
 * input (kwargs: the layer's call arguments, as Keras 2 writes them: use_causal_mask) — and the model's input_layers and output_layers. Node indices count the applications
 * that belong to this model.
 */
export function functionalTopology(model: SavableGraph): Record<string, unknown> {
  const ref = (t: unknown) => model.tensorRef(t);
  return {
    class_name: 'Model',
    config: {
      name: model.name,
      layers: model.flatLayers.map((l) => {
        const entry = layerEntry(l, false);
        const kwargs = l.callArguments?.() ?? {};
        return { name: entry.config.name, ...entry, inbound_nodes: model.applicationsOf(l).map((inputs) => inputs.map((t) => [...ref(t), kwargs])) };
      }),
      input_layers: model.inputs.map(ref),
      output_layers: model.outputs.map(ref),
    },
    keras_version: GENERATED_BY,
    backend: 'wasmlearn',
  };
}

/** Keras' Sequential topology of a model (what model.json's modelTopology holds). */
export function sequentialTopology(model: SavableModel): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: model.name,
      layers: model.flatLayers.map((l, i) => layerEntry(l, i === 0)),
    },
    keras_version: GENERATED_BY,
    backend: 'wasmlearn',
  };
}

/** The model's weights as TF.js weight specs and one blob. */
export function modelWeights(be: Backend, model: SavableModel): { weightSpecs: WeightSpec[]; weightData: ArrayBuffer } {
  const weights = model.flatLayers.flatMap((l) => [...l.weights]);
  const data = new Float32Array(weights.reduce((s, w) => s + w.size, 0));
  let offset = 0;
  for (const w of weights) {
    data.set(readF32(be, w.ptr, w.size), offset);
    offset += w.size;
  }
  return { weightSpecs: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })), weightData: data.buffer };
}

function trainingConfigJson(t: TrainingConfig | undefined): Record<string, unknown> | undefined {
  if (!t) return undefined;
  const loss = typeof t.loss === 'string' ? snakeCase(t.loss) : Object.fromEntries(Object.entries(t.loss).map(([k, v]) => [k, snakeCase(v)]));
  return { loss, metrics: t.metrics, optimizer_config: { class_name: t.optimizer.className, config: toSnake(t.optimizer.config) } };
}

/** The model as TF.js ModelArtifacts (load them in TF.js with tf.loadLayersModel(tf.io.fromMemory(artifacts))). */
export function modelArtifacts(be: Backend, model: SavableModel, topology: Record<string, unknown>): ModelArtifacts {
  const config = model.trainingConfig();
  const training = trainingConfigJson(config);
  const lossWeights = config?.lossWeights;
  return {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    ...modelWeights(be, model),
    ...(training ? { trainingConfig: training } : {}),
    ...(lossWeights && Object.values(lossWeights).some((w) => w !== 1) ? { userDefinedMetadata: { lossWeights } } : {}),
  };
}

/** Writes model.json and its one weight shard into a directory (TF.js' file layout). */
export function writeTfjsFiles(artifacts: ModelArtifacts, directory: string): string {
  makeDirectory(directory, 'saveTfjs');
  const shard = 'group1-shard1of1.bin';
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [shard], weights: artifacts.weightSpecs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  const path = `${directory.replace(/\/$/, '')}/model.json`;
  writeFileBytes(`${directory.replace(/\/$/, '')}/${shard}`, new Uint8Array(artifacts.weightData), 'saveTfjs');
  writeFileBytes(path, JSON.stringify(json), 'saveTfjs');
  return path;
}

/**
 * wasmlearn's bytes: "WLRNMODL", u32 format version, u32 JSON length, u32 checksum of everything
 * after the header, the JSON (topology, weight specs, training config), zero padding to 4 bytes,
 * then the float32 weights. Little-endian. The checksum makes any flipped bit a FormatError.
 */
export function artifactsToBytes(artifacts: ModelArtifacts): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  }));
  const head = HEADER_BYTES + json.length;
  const start = Math.ceil(head / 4) * 4;
  const out = new Uint8Array(start + artifacts.weightData.byteLength);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, HEADER_BYTES);
  out.set(new Uint8Array(artifacts.weightData), start);
  view.setUint32(16, checksum(out.subarray(HEADER_BYTES)), true);
  return out;
}

export const HEADER_BYTES = 20;

/**
 * The checksum of wasmlearn's files: a 32-bit hash over little-endian words, h ← rotl(h ⊕ w ·
 * 0x9e3779b1, 13) · 5 + 0xe6546b64 (Murmur3's mixing). Every step is a bijection of h for a given
 * word and of the word for a given h, so changing any one word always changes the result;
 * random damage goes unnoticed with probability 2⁻³². Several times faster than CRC-32 in JS.
 */
export function checksum(bytes: Uint8Array): number {
  const words = bytes.length >>> 2;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const w = new Uint32Array(aligned.buffer, aligned.byteOffset, words);
  let h = bytes.length | 0;
  for (let i = 0; i < words; i++) {
    h = Math.imul(h ^ w[i], 0x9e3779b1);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  for (let i = words * 4; i < bytes.length; i++) {
    h = Math.imul(h ^ bytes[i], 0x9e3779b1);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  return h >>> 0;
}
