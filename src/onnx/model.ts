// loadOnnx and OnnxModel: an ONNX file read with protobufjs' generated decoder, its graph made
// runnable (graph.ts), and run with onnxruntime's shape of call: run({ name: tensor }) → { name: tensor }.
import { FormatError, ValueError, describe } from '../errors.js';
import { asBytes, readFileBytesAsync } from '../io/files.js';
import { checkOptions } from '../options.js';
import { backend, earlyBlock, warmUp } from '../runtime/backend.js';
import type { Sequential } from '../models/sequential.js';
import { Tensor } from '../tensor.js';
import { Graph, opsetsOf } from './graph.js';
import { MapSequence } from './operators/ml/maps.js';
import { onnx } from './onnx-proto.js';
import { ProtoReader } from './proto-reader.js';
import { int, OnnxTensor, readInput, toOnnxTensor, TYPE_CODES, type OnnxType, type Value } from './value.js';
import { WeightStore } from './weights.js';

/** An input or output of a model: its name, element type and dims (symbolic dims by their names; null when unnamed). */
export interface OnnxValueInfo {
  name: string;
  /** The tensor element type; 'map' / 'sequence' for scikit-learn converters' non-tensor values. */
  type: OnnxType | 'map' | 'sequence';
  /** Sizes, or the names of symbolic dimensions such as 'batch_size' (null: unknown). Undefined when the rank is unknown. */
  dims?: (number | string | null)[];
}

/** What a run returns for an output: a tensor, or for ZipMap a list of `{ label: probability }` objects. */
export type OnnxOutput = OnnxTensor | Record<string, number>[];

export interface PredictOptions {
  /** Rows run at a time (default 256; all the rows when the graph has a fixed batch). */
  batchSize?: number;
}

const MAX_BYTES = 2 ** 31 - 1;

/**
 * Bytes loadOnnx read itself (from a path or a URL): no one else holds them, so weights are used in
 * place; with the pointer of the block of WebAssembly memory they were read into, if they were.
 */
const loaderOwned = new WeakMap<Uint8Array, number | undefined>();

function valueInfo(v: onnx.ValueInfoProto.$Properties): OnnxValueInfo {
  const name = v.name ?? '';
  const t = v.type;
  if (t?.mapType) return { name, type: 'map' };
  if (t?.sequenceType) return { name, type: 'sequence' };
  const tensor = t?.tensorType;
  const type = TYPE_CODES[tensor?.elemType ?? 1];
  if (!type) throw new FormatError(`loadOnnx: '${name}' has element type ${tensor?.elemType}, which wasmlearn does not read (float, double, float16, integers, bool, string)`);
  const dims = tensor?.shape ? (tensor.shape.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? int(d.dimValue) : null)) : undefined;
  return { name, type, ...(dims ? { dims } : {}) };
}

/**
 * A model read from an ONNX file: train in PyTorch, scikit-learn, Keras or XGBoost, export to
 * ONNX, and run it here on wasmlearn's kernels.
 */
export class OnnxModel {
  /** The inputs a run needs (initializers listed as inputs are not among them). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly producer: string;
  readonly opsets: ReadonlyMap<string, number>;
  private readonly graph: Graph;
  private readonly proto: onnx.GraphProto.$Properties;
  private readonly weights = new WeightStore();
  private disposed = false;
  /** The names, made once: run() checks feeds and wanted outputs against them on every call. */
  private readonly inputList: readonly string[];
  private readonly outputList: readonly string[];

  /** Reads a model from the bytes of an ONNX file (loadOnnx also takes a path or a URL). */
  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new ValueError(`OnnxModel: bytes must be a Uint8Array; received ${describe(bytes)}`);
    if (bytes.length === 0) throw new FormatError('loadOnnx: the file is empty');
    if (bytes.length > MAX_BYTES) throw new FormatError(`loadOnnx: the file has ${bytes.length} bytes; wasmlearn reads ONNX files up to 2 GB`);
    const block = loaderOwned.get(bytes);
    if (block !== undefined) this.weights.adoptFile(block, bytes);
    try {
      ({ graph: this.graph, proto: this.proto, opsets: this.opsets, producer: this.producer } = this.read(bytes));
    } catch (error) {
      this.weights.releaseAll();
      throw error;
    }
    const initializers = new Set((this.proto.initializer ?? []).map((t) => t.name));
    this.inputs = (this.proto.input ?? []).filter((v) => !initializers.has(v.name)).map(valueInfo);
    this.outputs = (this.proto.output ?? []).map(valueInfo);
    this.inputList = this.inputs.map((v) => v.name);
    this.outputList = this.outputs.map((v) => v.name);
  }

  private read(bytes: Uint8Array): { graph: Graph; proto: onnx.GraphProto.$Properties; opsets: ReadonlyMap<string, number>; producer: string } {
    let model: onnx.ModelProto;
    try {
      // A plain view: given a Node Buffer, the decoder would hand out its bytes fields as Buffer views.
      model = onnx.ModelProto.decode(new ProtoReader(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    } catch (cause) {
      throw new FormatError(`loadOnnx: not an ONNX model (the protobuf does not decode: ${(cause as Error).message}); the data has ${bytes.length} bytes`, { cause });
    }
    if (!model.graph) throw new FormatError(`loadOnnx: not an ONNX model (no graph; the data has ${bytes.length} bytes)`);
    if (int(model.irVersion) < 3 && (model.opsetImport ?? []).length === 0) throw new FormatError(`loadOnnx: not an ONNX model (no IR version or opset import; the data has ${bytes.length} bytes)`);
    const opsets = opsetsOf(model);
    const graph = new Graph(model.graph, opsets, this.weights, 'loadOnnx', loaderOwned.has(bytes));
    return { graph, proto: model.graph, opsets, producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') };
  }

  get inputNames(): string[] {
    return [...this.inputList];
  }

  get outputNames(): string[] {
    return [...this.outputList];
  }

  /**
   * Bytes the model holds in WebAssembly memory: its weights in the kernels' layouts, once runs have
   * placed them, and the file itself where loadOnnx read it into that memory (a path, threads build).
   */
  get memoryBytes(): number {
    return this.weights.bytes;
  }

  /**
   * Runs the graph: every input by name (an OnnxTensor or onnxruntime Tensor `{ type, data, dims }`,
   * a wasmlearn Tensor or `{ data, shape }`, or nested arrays); returns every output by name (or
   * those listed in `outputNames`). The inputs are copied, never changed.
   */
  async run(feeds: Record<string, unknown>, outputNames?: readonly string[]): Promise<Record<string, OnnxOutput>> {
    return this.runSync(feeds, outputNames);
  }

  /** run() without the promise. */
  runSync(feeds: Record<string, unknown>, outputNames?: readonly string[]): Record<string, OnnxOutput> {
    this.checkLive('run');
    if (feeds === null || typeof feeds !== 'object' || Array.isArray(feeds)) {
      throw new ValueError(`OnnxModel.run: feeds must be an object of tensors by input name (${this.inputList.join(', ')}); received ${describe(feeds)}`);
    }
    const wanted = outputNames ?? this.outputList;
    for (const name of wanted) if (!this.outputList.includes(name)) throw new ValueError(`OnnxModel.run: the model has no output '${name}'; its outputs are ${this.outputList.join(', ')}`);
    for (const name of Object.keys(feeds)) if (!this.inputList.includes(name)) throw new ValueError(`OnnxModel.run: the model has no input '${name}'; its inputs are ${this.inputList.join(', ')}`);
    const values = new Map<string, Value>();
    for (const info of this.inputs) {
      if (!(info.name in feeds)) throw new ValueError(`OnnxModel.run: the input '${info.name}' is missing (the model's inputs are ${this.inputList.join(', ')})`);
      if (info.type === 'map' || info.type === 'sequence') throw new ValueError(`OnnxModel.run: the input '${info.name}' is a ${info.type}; wasmlearn feeds tensors only`);
      const v = readInput(feeds[info.name], info.type, `OnnxModel.run: input '${info.name}'`);
      checkDims(info, v);
      values.set(info.name, v);
    }
    const results = this.graph.run(values, wanted);
    const out: Record<string, OnnxOutput> = {};
    for (const name of wanted) {
      const v = results.get(name)!;
      out[name] = v instanceof MapSequence ? v.toObjects() : toOnnxTensor(v);
    }
    return out;
  }

  /**
   * The first output for x, for models with one input: a wasmlearn Tensor when it is float32,
   * an OnnxTensor otherwise (labels). Rows run `batchSize` at a time when the batch is symbolic.
   */
  async predict(x: unknown, options?: PredictOptions): Promise<Tensor | OnnxTensor> {
    return this.predictSync(x, options);
  }

  predictSync(x: unknown, options?: PredictOptions): Tensor | OnnxTensor {
    this.checkLive('predict');
    const o = checkOptions<PredictOptions>(options, ['batchSize'], 'OnnxModel.predict');
    const batchSize = o.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`OnnxModel.predict: batchSize must be a whole number ≥ 1; received ${describe(batchSize)}`);
    if (this.inputs.length !== 1) throw new ValueError(`OnnxModel.predict: the model has ${this.inputs.length} inputs (${this.inputList.join(', ')}); call run() with each by name`);
    const info = this.inputs[0];
    if (info.type === 'map' || info.type === 'sequence') throw new ValueError(`OnnxModel.predict: the input '${info.name}' is a ${info.type}; wasmlearn feeds tensors only`);
    const v = readInput(x instanceof Tensor ? { data: x.data, dims: x.shape } : x, info.type, `OnnxModel.predict: x`);
    checkDims(info, v);
    const first = this.outputList[0];
    const symbolicBatch = info.dims !== undefined && typeof info.dims[0] !== 'number';
    const rows = v.dims[0] ?? 1;
    if (!symbolicBatch || v.dims.length === 0 || rows <= batchSize) return asPrediction(this.graph.run(new Map([[info.name, v]]), [first]).get(first)!);
    // The batch dimension is symbolic: run slices of rows and join the first output's rows.
    const parts: Value[] = [];
    const width = v.size / rows;
    for (let start = 0; start < rows; start += batchSize) {
      const end = Math.min(rows, start + batchSize);
      const slice = v.slice(start * width, end * width, [end - start, ...v.dims.slice(1)]);
      parts.push(this.graph.run(new Map([[info.name, slice]]), [first]).get(first)!);
    }
    return asPrediction(joinRows(parts));
  }

  /**
   * The graph as a wasmlearn Sequential with the file's weights, to fine-tune or save, where the
   * graph is a stack of layers (Gemm / MatMul + Add, Conv, BatchNormalization, pools, activations,
   * Dropout, Flatten); a FormatError names the node that is not. Images become channels-last: the
   * model reads [N, H, W, C] where the file read [N, C, H, W]. (The layers load with this call, so
   * code that only runs models does not bundle them.)
   */
  async toModel(): Promise<Sequential> {
    this.checkLive('toModel');
    const { graphToModel } = await import('./to-model.js');
    return graphToModel(this.proto, this.opsets.get('') ?? 1);
  }

  /** Releases the model's weights in WebAssembly memory now (a run after it is an error). */
  dispose(): void {
    this.weights.releaseAll();
    this.disposed = true;
  }

  private checkLive(what: string): void {
    if (this.disposed) throw new ValueError(`OnnxModel.${what}: the model was disposed`);
  }
}

function checkDims(info: OnnxValueInfo, v: Value): void {
  if (!info.dims) return;
  const named = `input '${info.name}'`;
  if (info.dims.length !== v.dims.length) {
    throw new ValueError(`OnnxModel: ${named} must have ${info.dims.length} dimensions [${info.dims.map((d) => d ?? '?').join(', ')}]; received [${v.dims.join(', ')}]`);
  }
  for (let i = 0; i < info.dims.length; i++) {
    const d = info.dims[i];
    if (typeof d === 'number' && d > 0 && v.dims[i] !== d) {
      throw new ValueError(`OnnxModel: ${named} must have ${d} at dimension ${i} ([${info.dims.map((e) => e ?? '?').join(', ')}]); received [${v.dims.join(', ')}]`);
    }
  }
}

function asPrediction(v: Value): Tensor | OnnxTensor {
  if (v instanceof MapSequence) throw new ValueError('OnnxModel.predict: the first output is a list of maps (ZipMap); call run() for it');
  return v.type === 'float32' ? new Tensor(v.data as Float32Array, v.dims) : toOnnxTensor(v);
}

function joinRows(parts: Value[]): Value {
  const first = parts[0];
  const rows = parts.reduce((s, p) => s + (p.dims[0] ?? 1), 0);
  return first.concatRows(parts, [rows, ...first.dims.slice(1)]);
}

/** Reads an ONNX model from its bytes, a file path (Node, Deno) or a URL (fetched). */
export async function loadOnnx(source: string | URL | ArrayBuffer | ArrayBufferView): Promise<OnnxModel> {
  if (source instanceof URL || (typeof source === 'string' && /^(https?|file|blob|data):/.test(source))) {
    const url = source.toString();
    if (url.startsWith('file:')) return openFile(decodeURIComponent(new URL(url).pathname));
    const fetching = whileCoreCompiles(fetch(url));
    let response: Response;
    try {
      response = await fetching;
    } catch (cause) {
      throw new FormatError(`loadOnnx: cannot fetch ${url} (${(cause as Error).message})`, { cause });
    }
    if (!response.ok) throw new FormatError(`loadOnnx: fetching ${url} gave HTTP ${response.status}`);
    return new OnnxModel(own(new Uint8Array(await response.arrayBuffer())));
  }
  if (typeof source === 'string') return openFile(source);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return new OnnxModel(asBytes(source));
  throw new ValueError(`loadOnnx: source must be the bytes of an ONNX file, a file path or a URL; received ${describe(source)}`);
}

/**
 * A model from a file, read on an I/O thread (on a cold start the read and the compile take about
 * as long), into WebAssembly memory where it is shared (earlyBlock): the weights are then used
 * where the file put them, with no copy into memory touched for the first time.
 */
async function openFile(path: string): Promise<OnnxModel> {
  let block: { ptr: number; view: Uint8Array } | undefined;
  let bytes: Uint8Array;
  try {
    bytes = await whileCoreCompiles(readFileBytesAsync(path, 'loadOnnx', (size) => (block = earlyBlock(size))?.view ?? new Uint8Array(size)));
  } catch (error) {
    if (block) releaseBlock(block.ptr);
    throw error;
  }
  loaderOwned.set(bytes, block?.ptr);
  return new OnnxModel(bytes);
}

/** Gives back the block a file was being read into (unless the core failed to start: it went with its memory). */
function releaseBlock(ptr: number): void {
  let be;
  try {
    be = backend();
  } catch {
    return;
  }
  if (be.arena.sizeOf(ptr) > 0) be.arena.release(ptr);
}

/**
 * `work` (a read or a request under way off this thread), after this thread has started the
 * WebAssembly core (Node, Deno; elsewhere init() does it). A failure of `work` is reported when the
 * caller awaits it, after the core has started or failed to.
 */
function whileCoreCompiles<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  warmUp();
  return work;
}

function own(bytes: Uint8Array): Uint8Array {
  loaderOwned.set(bytes, undefined);
  return bytes;
}
