// Builds ONNX files in the tests with protobufjs' code generated from the schema the library
// decodes with (src/onnx/onnx-proto-full.js, which also encodes), and runs them in
// onnxruntime-node, the reference.
import * as ort from 'onnxruntime-node';
import { onnx } from '../src/onnx/onnx-proto-full.js';

export type TensorType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'string' | 'uint8' | 'int8';
const CODES: Record<TensorType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, string: 8, bool: 9, float64: 11 };

export interface TensorSpec {
  name?: string;
  type: TensorType;
  dims: number[];
  data: ArrayLike<number> | string[] | readonly bigint[];
}

/** An attribute value, tagged with its ONNX type. */
export type Attribute =
  | { f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] } | { strings: string[] } | { t: TensorSpec } | { g: onnx.GraphProto.$Properties };

export const f = (v: number): Attribute => ({ f: v });
export const i = (v: number): Attribute => ({ i: v });
export const s = (v: string): Attribute => ({ s: v });
export const floats = (v: number[]): Attribute => ({ floats: v });
export const ints = (v: number[]): Attribute => ({ ints: v });
export const strings = (v: string[]): Attribute => ({ strings: v });
export const tensorAttr = (t: TensorSpec): Attribute => ({ t });

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, Attribute>;
  domain?: string;
  name?: string;
}

export interface ValueSpec {
  name: string;
  type?: TensorType;
  /** Sizes or symbolic names; omitted: rank unknown. */
  dims?: (number | string)[];
  /** A ZipMap-style output: a sequence of maps from int64 / string to float. */
  mapOf?: 'int64' | 'string';
}

export interface ModelSpec {
  nodes: NodeSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers?: TensorSpec[];
  opset?: number;
  /** The ai.onnx.ml opset (added when a node uses the domain). */
  mlOpset?: number;
  irVersion?: number;
  producer?: string;
}

const encoder = new TextEncoder();

export function tensorProto(t: TensorSpec): onnx.TensorProto.$Properties {
  const p: onnx.TensorProto.$Properties = { name: t.name ?? '', dataType: CODES[t.type], dims: t.dims };
  const data = t.data as ArrayLike<number>;
  switch (t.type) {
    case 'float32': p.rawData = new Uint8Array(Float32Array.from(data).buffer); break;
    case 'float64': p.doubleData = Array.from(data); break;
    case 'int64': p.int64Data = Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v)); break;
    case 'string': p.stringData = (t.data as string[]).map((v) => encoder.encode(v)); break;
    default: p.int32Data = Array.from(data, Number);
  }
  return p;
}

function attributeProto(name: string, a: Attribute): onnx.AttributeProto.$Properties {
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('s' in a) return { name, type: 3, s: encoder.encode(a.s) };
  if ('t' in a) return { name, type: 4, t: tensorProto(a.t) };
  if ('g' in a) return { name, type: 5, g: a.g };
  if ('floats' in a) return { name, type: 6, floats: a.floats };
  if ('ints' in a) return { name, type: 7, ints: a.ints };
  return { name, type: 8, strings: a.strings.map((v) => encoder.encode(v)) };
}

function valueInfo(v: ValueSpec): onnx.ValueInfoProto.$Properties {
  if (v.mapOf) {
    const map = { keyType: CODES[v.mapOf], valueType: { tensorType: { elemType: 1 } } };
    return { name: v.name, type: { sequenceType: { elemType: { mapType: map } } } };
  }
  // No type at all: the runtime infers it (outputs whose type the test does not fix).
  if (!v.type && !v.dims) return { name: v.name };
  const shape = v.dims ? { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined;
  return { name: v.name, type: { tensorType: { elemType: CODES[v.type ?? 'float32'], ...(shape ? { shape } : {}) } } };
}

export function graphProto(spec: Omit<ModelSpec, 'opset' | 'mlOpset' | 'irVersion' | 'producer'>, name = 'test'): onnx.GraphProto.$Properties {
  return {
    name,
    node: spec.nodes.map((n, k) => ({
      opType: n.op, input: n.inputs, output: n.outputs, name: n.name ?? `${n.op.toLowerCase()}_${k}`, domain: n.domain ?? '',
      attribute: Object.entries(n.attrs ?? {}).map(([key, a]) => attributeProto(key, a)),
    })),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer: (spec.initializers ?? []).map(tensorProto),
  };
}

/** The bytes of an ONNX file for the spec. */
export function modelBytes(spec: ModelSpec): Uint8Array {
  const usesMl = spec.nodes.some((n) => n.domain === 'ai.onnx.ml');
  const opsetImport = [{ domain: '', version: spec.opset ?? 17 }, ...(usesMl ? [{ domain: 'ai.onnx.ml', version: spec.mlOpset ?? 3 }] : [])];
  return onnx.ModelProto.encode({ irVersion: spec.irVersion ?? 8, producerName: spec.producer ?? 'wasmlearn-tests', opsetImport, graph: graphProto(spec) }).finish();
}

export type Feeds = Record<string, { type: TensorType; data: ArrayLike<number> | string[] | BigInt64Array; dims: number[] }>;

function ortTensor(t: Feeds[string]): ort.Tensor {
  if (t.type === 'int64') return new ort.Tensor('int64', t.data instanceof BigInt64Array ? t.data : BigInt64Array.from(t.data as ArrayLike<number>, (v) => BigInt(v)), t.dims);
  if (t.type === 'string') return new ort.Tensor('string', t.data as string[], t.dims);
  if (t.type === 'bool') return new ort.Tensor('bool', Uint8Array.from(t.data as ArrayLike<number>), t.dims);
  const arrays = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array, int8: Int8Array } as const;
  return new ort.Tensor(t.type, arrays[t.type as keyof typeof arrays].from(t.data as ArrayLike<number>), t.dims);
}

/** onnxruntime-node's outputs for the model and feeds: { type, data, dims } by name. */
export async function runOrt(bytes: Uint8Array, feeds: Feeds, outputs?: string[]): Promise<Record<string, { type: string; data: ArrayLike<number | bigint | string>; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const result = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, ortTensor(v)])), outputs ?? session.outputNames);
    return Object.fromEntries(Object.entries(result).map(([k, t]) => [k, { type: t.type, data: t.data as ArrayLike<number>, dims: t.dims }]));
  } finally {
    await session.release();
  }
}

/** A seeded uniform generator in [lo, hi) (xorshift), for the tests' random shapes and values. */
export function random(seed: number): (lo?: number, hi?: number) => number {
  let state = seed >>> 0 || 1;
  return (lo = 0, hi = 1) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return lo + ((state >>> 0) / 2 ** 32) * (hi - lo);
  };
}

export const randomArray = (rand: (lo?: number, hi?: number) => number, n: number, lo = -1, hi = 1): Float32Array => Float32Array.from({ length: n }, () => rand(lo, hi));
