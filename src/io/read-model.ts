// Reading saved models, formats only (DESIGN.md §10): wasmlearn's bytes, a TF.js model.json with
// its weight shards (path or URL), or TF.js ModelArtifacts in memory, each read into one shape —
// the Keras topology, the weight specs, the weights as one blob and the training configuration.
// Building the model from them is models/load-model.ts's. The header, version, checksum and every
// length are checked here before anything is read; any mismatch is a FormatError.
import { FormatError, ValueError, describe } from '../errors.js';
import { runtimeName } from '../runtime/platform.js';
import { asBytes, isDirectory, readFileBytes } from './files.js';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, checksum } from './save.js';

type Json = Record<string, unknown>;

/** A saved model as every format reads into: what models/load-model.ts builds a model from. */
export interface ReadModel {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: Uint8Array;
  trainingConfig: unknown;
  userDefinedMetadata: unknown;
}

/** What loadModel accepts. */
export type ModelSource = string | URL | ArrayBuffer | ArrayBufferView | Json;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
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
export function readModelBytes(source: ArrayBuffer | ArrayBufferView): ReadModel {
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
  return { modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData: b.subarray(Math.min(start, b.length)), trainingConfig: json.trainingConfig, userDefinedMetadata: json.userDefinedMetadata };
}

async function readUrl(url: URL, what: string): Promise<Uint8Array> {
  if (url.protocol === 'file:' && (runtimeName() === 'node' || runtimeName() === 'deno')) return readFileBytes(decodeURIComponent(url.pathname), what);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new FormatError(`${what}: fetching ${url.href} failed (${String(cause)})`, { cause });
  }
  if (!response.ok) throw new FormatError(`${what}: fetching ${url.href} failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Refuses a TF.js graph model (what tf.loadGraphModel reads), saying what wasmlearn loads instead. */
function refuseGraphModel(json: Json, where: string): void {
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isObject(topology) && (Array.isArray(topology.node) || 'library' in topology || 'versions' in topology))) {
    throw new FormatError(`${where} is a TF.js graph model; wasmlearn loads layers models (tf.loadLayersModel's format): convert the Keras ` +
      'model with tensorflowjs_converter --input_format keras --output_format tfjs_layers_model');
  }
}

/** A TF.js model.json's text (from `where`) and its weight shards, each read by `shard(path)`. */
async function readModelJsonText(bytes: Uint8Array, where: string, shard: (path: string) => Promise<Uint8Array>): Promise<ReadModel> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new FormatError(`loadModel: ${where} is not valid JSON (${String(cause)})`, { cause });
  }
  if (!isObject(json)) throw new FormatError(`loadModel: ${where} is not a TF.js model.json (not an object)`);
  refuseGraphModel(json, `loadModel: ${where}`);
  if (!Array.isArray(json.weightsManifest)) throw new FormatError(`loadModel: ${where} has no weightsManifest; is it a TF.js layers model.json?`);
  const specs: unknown[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new FormatError(`loadModel: ${where}: a weightsManifest entry must have paths and weights`);
    specs.push(...group.weights);
    for (const path of group.paths) shards.push(await shard(String(path)));
  }
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: concat(shards), trainingConfig: json.trainingConfig, userDefinedMetadata: json.userDefinedMetadata };
}

/** A model.json at a URL, its shards beside it. */
async function readModelJson(url: URL): Promise<ReadModel> {
  return readModelJsonText(await readUrl(url, 'loadModel'), url.href, (path) => readUrl(new URL(path, url), 'loadModel'));
}

/** A model.json file, its shards in the same folder (plain paths: '#', '?', '%' and spaces are just characters). */
async function readModelJsonFile(path: string): Promise<ReadModel> {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  return readModelJsonText(readFileBytes(path, 'loadModel'), path, async (shard) => readFileBytes(`${folder}${shard}`, 'loadModel'));
}

/** A file or folder path: a folder's model.json, a model.json, or wasmlearn bytes; Keras files refused with advice. */
async function readModelPath(path: string): Promise<ReadModel> {
  if (/\.(h5|hdf5|keras)$/i.test(path)) {
    throw new FormatError(`loadModel: ${path} is a Keras file; convert it to the TF.js layers format first (tensorflowjs_converter ` +
      '--input_format keras model.h5 folder/, or tfjs.converters.save_keras_model in Python), then load folder/model.json');
  }
  if (isDirectory(path)) return readModelJsonFile(`${path.replace(/\/+$/, '')}/model.json`);
  if (path.endsWith('.json')) return readModelJsonFile(path);
  return readModelBytes(readFileBytes(path, 'loadModel'));
}

/** TF.js ModelArtifacts ({ modelTopology, weightSpecs, weightData as one or several buffers }). */
export function readArtifacts(artifacts: Json): ReadModel {
  refuseGraphModel(artifacts, 'loadModel: the artifacts');
  const data = artifacts.weightData;
  const blobs = Array.isArray(data) ? data : [data];
  if (!blobs.every((b) => b instanceof ArrayBuffer || ArrayBuffer.isView(b))) {
    throw new FormatError(`model artifacts: weightData must be an ArrayBuffer (or a list of them); found ${describe(data)}`);
  }
  return { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData: concat(blobs.map((b) => asBytes(b as ArrayBuffer))), trainingConfig: artifacts.trainingConfig, userDefinedMetadata: artifacts.userDefinedMetadata };
}

/** A TF.js IOHandler that loads (tf.io.fromMemory, tf.io.browserFiles, users' own). */
export interface LoadHandler {
  load(): Promise<unknown> | unknown;
}

/**
 * Reads any source loadModel takes: bytes; a path (a folder holding model.json, a model.json, or
 * wasmlearn bytes; `file://` as TF.js writes it); an http(s) URL or URL object (fetch); TF.js
 * ModelArtifacts; or a TF.js IOHandler with load().
 */
export async function readModel(source: ModelSource | LoadHandler): Promise<ReadModel> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return readModelBytes(source);
  if (source instanceof URL) {
    if (source.protocol === 'file:') return readModelPath(decodeURIComponent(source.pathname));
    return source.pathname.endsWith('.json') ? readModelJson(source) : readModelBytes(await readUrl(source, 'loadModel'));
  }
  if (typeof source === 'string') {
    if (/^https?:/i.test(source)) return readModel(new URL(source));
    // TF.js' file:// handler takes the rest of the string as a path, unencoded.
    const path = source.startsWith('file://') ? source.slice('file://'.length) : source;
    return readModelPath(path);
  }
  if (isObject(source) && typeof source.load === 'function') {
    const artifacts = await (source as unknown as LoadHandler).load();
    if (!isObject(artifacts)) throw new FormatError(`loadModel: the handler's load() gave ${describe(artifacts)}, not model artifacts`);
    return readArtifacts(artifacts);
  }
  if (isObject(source) && 'modelTopology' in source) return readArtifacts(source);
  throw new ValueError(`loadModel: source must be bytes, a path or URL, TF.js model artifacts or an IOHandler with load(); received ${describe(source)}`);
}
