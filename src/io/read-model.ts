// Reading saved models, formats only (DESIGN.md §10): wasmlearn's bytes, a TF.js model.json with
// its weight shards (path or URL), or TF.js ModelArtifacts in memory, each read into one shape —
// the Keras topology, the weight specs, the weights as one blob and the training configuration.
// Building the model from them is models/load-model.ts's. The header, version, checksum and every
// length are checked here before anything is read; any mismatch is a FormatError.
import { FormatError, ValueError, WasmlearnError, describe } from '../errors.js';
import { runtimeName } from '../runtime/platform.js';
import { asBytes, readFileBytes } from './files.js';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, checksum } from './save.js';

type Json = Record<string, unknown>;

/** A saved model as every format reads into: what models/load-model.ts builds a model from. */
export interface ReadModel {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: Uint8Array;
  trainingConfig: unknown;
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
  return { modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData: b.subarray(Math.min(start, b.length)), trainingConfig: json.trainingConfig };
}

async function readUrl(url: URL, what: string): Promise<Uint8Array> {
  if (url.protocol === 'file:' && (runtimeName() === 'node' || runtimeName() === 'deno')) return readFileBytes(decodeURIComponent(url.pathname), what);
  const response = await fetch(url);
  if (!response.ok) throw new FormatError(`${what}: fetching ${url.href} failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A model from a TF.js model.json (path or URL) and the weight shards it lists beside it. */
async function readModelJson(url: URL): Promise<ReadModel> {
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
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: concat(shards), trainingConfig: json.trainingConfig };
}

/** TF.js ModelArtifacts ({ modelTopology, weightSpecs, weightData as one or several buffers }). */
export function readArtifacts(artifacts: Json): ReadModel {
  const data = artifacts.weightData;
  const blobs = Array.isArray(data) ? data : [data];
  if (!blobs.every((b) => b instanceof ArrayBuffer || ArrayBuffer.isView(b))) {
    throw new FormatError(`model artifacts: weightData must be an ArrayBuffer (or a list of them); found ${describe(data)}`);
  }
  return { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData: concat(blobs.map((b) => asBytes(b as ArrayBuffer))), trainingConfig: artifacts.trainingConfig };
}

/** Reads any source loadModel takes: bytes, a path or URL (model.json or wasmlearn bytes), or artifacts. */
export async function readModel(source: ModelSource): Promise<ReadModel> {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return readModelBytes(source);
  if (source instanceof URL) return source.pathname.endsWith('.json') ? readModelJson(source) : readModelBytes(await readUrl(source, 'loadModel'));
  if (typeof source === 'string') {
    const isUrl = /^(https?|file):/.test(source);
    if (source.endsWith('.json')) {
      return readModelJson(isUrl ? new URL(source) : new URL(`file://${absolutePath(source)}`));
    }
    return readModelBytes(isUrl ? await readUrl(new URL(source), 'loadModel') : readFileBytes(source, 'loadModel'));
  }
  if (isObject(source) && 'modelTopology' in source) return readArtifacts(source);
  throw new ValueError(`loadModel: source must be bytes, a path or URL, or TF.js model artifacts; received ${describe(source)}`);
}

function absolutePath(path: string): string {
  if (path.startsWith('/')) return path;
  const g = globalThis as { process?: { cwd(): string }; Deno?: { cwd(): string } };
  const cwd = g.Deno?.cwd() ?? g.process?.cwd() ?? '/';
  return `${cwd.replace(/\/$/, '')}/${path}`;
}
