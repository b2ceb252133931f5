// An ONNX graph made runnable: nodes in dependency order, each with the function its operator
// made for it at load. At load, nodes whose inputs are all constants are computed once (constant
// folding), and a BatchNormalization after a Conv, a bias Add and a ReLU-family activation after a
// MatMul, Gemm or Conv become that node's epilogue, which the kernel applies as it writes its
// output (the fusions the layers have).
import { FormatError, WasmlearnError } from '../errors.js';
import { Attributes } from './attributes.js';
import { Run, type Resident } from './run.js';
import { Activation } from '../ops/activation.js';
import type { Epilogue } from './kernels.js';
import type { onnx } from './onnx-proto.js';
import type { NodeInfo, NodeRun } from './operator.js';
import { domainOf, operatorOf } from './registry.js';
import { batchNormAffine } from './operators/normalization.js';
import { FROM_SHAPE, ShapeMemo } from './shape-memo.js';
import { copyOf, int, sizeOf, tensorFromProto, Value, type Numbers } from './value.js';
import type { WeightStore } from './weights.js';

type NodeProto = onnx.NodeProto.$Properties;

interface PlannedNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Attributes;
  epilogue?: Epilogue;
}

interface Step {
  node: PlannedNode;
  run: NodeRun;
  /** Values no later step reads once this one has run (dropped to free their arrays). */
  last: string[];
  /** For a step that computes from shapes alone: its outputs, remembered between runs. */
  memo?: ShapeMemo;
}

/** "node 'name' (OpType)", or by its first output when it has no name. */
const where = (n: { name?: string | null; opType?: string | null; output?: string[] | null; outputs?: string[] }, index: number): string => {
  const output = (n.outputs ?? n.output ?? [])[0];
  return `node ${n.name ? `'${n.name}'` : output ? `making '${output}'` : `#${index}`} (${n.opType})`;
};

/** Operators whose outputs vary between runs with the same inputs: never folded. */
const NOT_FOLDABLE = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

export class Graph {
  readonly constants = new Map<string, Value>();
  private readonly steps: Step[] = [];
  /** The steps' remembered values (ShapeMemo), for owned(). */
  private readonly memos: ShapeMemo[];
  /** The steps a list of wanted outputs needs, by the list (a few lists at most are kept). */
  private readonly needed = new Map<string, Step[]>();
  /** The buffers the constants' elements are in (made at the first run's end). */
  private constantBuffers: Set<ArrayBufferLike> | undefined;
  readonly outputs: string[];

  /** `ownBytes`: the file's bytes are the loader's own (read from a path or URL), and its weights may be used in place. */
  constructor(graph: onnx.GraphProto.$Properties, opsets: ReadonlyMap<string, number>, private readonly weights: WeightStore, readonly what: string, ownBytes = false) {
    for (const t of graph.initializer ?? []) this.constants.set(t.name ?? '', tensorFromProto(t, what, ownBytes ? weights : undefined));
    if ((graph.sparseInitializer ?? []).length) throw new FormatError(`${what}: sparse initializers are not supported`);
    const feeds = new Set((graph.input ?? []).map((v) => v.name ?? '').filter((n) => !this.constants.has(n)));
    this.outputs = (graph.output ?? []).map((v) => v.name ?? '');
    const planned = order((graph.node ?? []).map((n, i) => plan(n, i, what)), new Set([...feeds, ...this.constants.keys()]), what);
    checkSupported(planned, what);
    const nodes = this.fuse(this.fold(planned, opsets), opsets);
    const lastUse = new Map<string, number>();
    nodes.forEach((n, i) => n.inputs.forEach((name) => name && lastUse.set(name, i)));
    const kept = new Set(this.outputs);
    // Values computed from shapes alone: a Shape's or Size's outputs, and those of deterministic
    // nodes that read only constants and such values.
    const fromShapes = new Set<string>();
    this.steps = nodes.map((node, i) => {
      const byShape = node.domain === '' && FROM_SHAPE.has(node.opType);
      const remembered = byShape || (!NOT_FOLDABLE.has(node.opType) && node.inputs.every((name) => !name || fromShapes.has(name) || this.constants.has(name)));
      if (remembered) for (const name of node.outputs) fromShapes.add(name);
      return {
        node,
        run: this.guarded(node, () => operatorOf(node.domain, node.opType)!(this.info(node, opsets))),
        last: node.inputs.filter((name, k, all) => name && all.indexOf(name) === k && lastUse.get(name) === i && !kept.has(name) && !this.constants.has(name)),
        memo: remembered ? new ShapeMemo(byShape) : undefined,
      };
    });
    this.memos = this.steps.flatMap((s) => (s.memo ? [s.memo] : []));
  }

  private info(node: PlannedNode, opsets: ReadonlyMap<string, number>): NodeInfo {
    return {
      where: `${this.what}: ${where(node, 0)}`,
      opType: node.opType,
      attrs: node.attrs,
      opset: opsets.get(domainOf(node.domain)) ?? 1,
      constants: node.inputs.map((name) => this.constants.get(name)),
      outputCount: node.outputs.length,
      weights: this.weights,
      epilogue: node.epilogue,
    };
  }

  /** body's result; an error that is not the library's own becomes a FormatError naming the node (a bug: it says " failed: "). */
  private guarded<T>(node: PlannedNode, body: () => T): T {
    try {
      return body();
    } catch (error) {
      this.rethrow(node, error);
    }
  }

  /** guarded's handling of an error, for the run loop (which cannot afford a closure per node). */
  private rethrow(node: PlannedNode, error: unknown): never {
    if (error instanceof WasmlearnError) throw error;
    throw new FormatError(`${this.what}: ${where(node, 0)} failed: ${(error as Error)?.message ?? error}`, { cause: error });
  }

  /** Computes nodes whose inputs are all constants once, at load; returns the others. */
  private fold(nodes: PlannedNode[], opsets: ReadonlyMap<string, number>): PlannedNode[] {
    const rest: PlannedNode[] = [];
    for (const node of nodes) {
      const foldable = !NOT_FOLDABLE.has(node.opType) && node.inputs.every((name) => !name || this.constants.has(name));
      if (!foldable) {
        rest.push(node);
        continue;
      }
      // Folded values live in JavaScript with the model: copied out before the run's memory goes back.
      const outs = this.guarded(node, () => {
        const run = operatorOf(node.domain, node.opType)!(this.info(node, opsets));
        return Run.within(() => run(node.inputs.map((name) => (name ? this.constants.get(name) : undefined))).map((v) => v?.settle()));
      });
      node.outputs.forEach((name, i) => {
        const v = outs[i];
        if (name && v) this.constants.set(name, v);
      });
    }
    return rest;
  }

  /** Folds batch normalizations into the Conv / Gemm before them, then bias Adds and rectifiers into epilogues. */
  private fuse(nodes: PlannedNode[], opsets: ReadonlyMap<string, number>): PlannedNode[] {
    const outputs = new Set(this.outputs);
    const readers = new Map<string, number>();
    for (const n of nodes) for (const name of n.inputs) if (name) readers.set(name, (readers.get(name) ?? 0) + 1);
    const producer = new Map<string, PlannedNode>();
    for (const n of nodes) for (const name of n.outputs) producer.set(name, n);
    const removed = new Set<PlannedNode>();
    // The one node that reads `name` and the value it may absorb, if `name` is private to that pair.
    const soleReader = (name: string): boolean => readers.get(name) === 1 && !outputs.has(name);
    const c = (name: string | undefined): Value | undefined => (name ? this.constants.get(name) : undefined);
    for (const n of nodes) {
      if (removed.has(n)) continue;
      // Zero padding of the image before a convolution becomes the convolution's own padding.
      const pad = producer.get(n.inputs[0]);
      if (n.opType === 'Conv' && n.domain === '' && pad && pad.opType === 'Pad' && pad.domain === '' && !removed.has(pad) && soleReader(n.inputs[0])) {
        const pads = this.convPadsWith(pad, n, opsets, c);
        if (pads) {
          n.attrs = n.attrs.withInts('pads', pads).withString('auto_pad', 'NOTSET');
          n.inputs = [pad.inputs[0], ...n.inputs.slice(1)];
          removed.add(pad);
          continue;
        }
      }
      const from = producer.get(n.inputs[0]);
      if (!from || removed.has(from) || !soleReader(n.inputs[0]) || from.domain !== '' || n.domain !== '') continue;
      const absorb = (): void => {
        from.outputs = n.outputs;
        for (const name of n.outputs) producer.set(name, from);
        removed.add(n);
      };
      if (n.opType === 'BatchNormalization' && from.opType === 'Conv' && n.outputs.length === 1 && this.foldBatchNorm(from, n)) {
        absorb();
        continue;
      }
      // Only nodes that run on the float32 kernels with constant weights (a 2-d B for MatMul) take an epilogue.
      const w = c(from.inputs[1]);
      const kernelNode = (from.opType === 'Conv' || from.opType === 'Gemm' || (from.opType === 'MatMul' && w?.dims.length === 2)) && w?.type === 'float32';
      if (!kernelNode) continue;
      // An epilogue adds its bias before it normalizes, and runs an activation pass without the normalization.
      if (from.epilogue?.scale && (n.opType === 'Add' || activationOf(n, from, opsets) !== undefined)) continue;
      if (n.opType === 'Add' && !from.epilogue?.bias && !from.epilogue?.rectifier) {
        const bias = c(n.inputs[1]);
        if (bias && this.addsBias(from, bias)) {
          from.epilogue = { bias: Float32Array.from(bias.data as Numbers) };
          absorb();
        }
        continue;
      }
      const fusable = !from.epilogue?.rectifier && from.epilogue?.activation === undefined && (from.opType !== 'Gemm' || gemmTakesEpilogue(from, c));
      const rectifier = rectifierOf(n, c);
      if (rectifier && fusable) {
        from.epilogue = { ...from.epilogue, rectifier };
        absorb();
        continue;
      }
      const activation = activationOf(n, from, opsets);
      if (activation !== undefined && fusable) {
        from.epilogue = { ...from.epilogue, activation };
        absorb();
      }
    }
    return nodes.filter((n) => !removed.has(n));
  }

  /**
   * A Conv's pads with a constant zero Pad before it added, when the Pad only pads the spatial axes
   * (by constants, in constant mode) and the Conv has explicit pads; undefined otherwise.
   */
  private convPadsWith(pad: PlannedNode, conv: PlannedNode, opsets: ReadonlyMap<string, number>, c: (name: string | undefined) => Value | undefined): number[] | undefined {
    if (pad.attrs.string('mode', 'constant') !== 'constant' || pad.inputs[3]) return undefined;
    const autoPad = conv.attrs.string('auto_pad', 'NOTSET');
    if (autoPad !== 'NOTSET' && autoPad !== 'VALID') return undefined;
    const legacy = (opsets.get('') ?? 1) < 11;
    const padsValue = legacy ? pad.attrs.ints('pads') : c(pad.inputs[1])?.numbers();
    const fill = legacy ? pad.attrs.float('value', 0) : pad.inputs[2] ? c(pad.inputs[2])?.numbers()[0] : 0;
    if (!padsValue || fill !== 0 || (pad.inputs[2] && !c(pad.inputs[2]))) return undefined;
    const rank = padsValue.length / 2;
    const spatial = rank - 2;
    if (spatial < 1 || padsValue.some((p) => p < 0) || padsValue[0] || padsValue[1] || padsValue[rank] || padsValue[rank + 1]) return undefined;
    const own = autoPad === 'VALID' ? new Array<number>(2 * spatial).fill(0) : conv.attrs.ints('pads', new Array<number>(2 * spatial).fill(0));
    if (own.length !== 2 * spatial) return undefined;
    return own.map((p, i) => p + (i < spatial ? padsValue[2 + i] : padsValue[rank + 2 + (i - spatial)]));
  }

  /** Whether `bias` is a float32 row [n] / [1, n] (or [1, n, 1, 1] per channel for Conv) of the node's output columns. */
  private addsBias(from: PlannedNode, bias: Value): boolean {
    if (bias.type !== 'float32') return false;
    const w = this.constants.get(from.inputs[1]);
    if (!w || w.type !== 'float32') return false;
    if (from.opType === 'MatMul') {
      if (w.dims.length !== 2) return false;
      const n = w.dims[1];
      return sizeOf(bias.dims) === n && bias.dims[bias.dims.length - 1] === n;
    }
    if (from.opType === 'Gemm') {
      if (from.inputs[2]) return false;
      if (from.attrs.float('alpha', 1) !== 1) return false;
      const n = from.attrs.int('transB', 0) === 1 ? w.dims[0] : w.dims[1];
      return sizeOf(bias.dims) === n && bias.dims[bias.dims.length - 1] === n;
    }
    // Conv: a per-channel [C, 1, 1] / [1, C, 1, 1] that the node's own bias input would otherwise hold.
    if (from.inputs[2]) return false;
    const filters = w.dims[0];
    const trimmed = [...bias.dims];
    while (trimmed.length && trimmed[0] === 1 && trimmed.length > w.dims.length - 1) trimmed.shift();
    return trimmed.length === w.dims.length - 1 && trimmed[0] === filters && trimmed.slice(1).every((d) => d === 1);
  }

  /**
   * Conv(W, B) then BatchNormalization: the normalization's affine map (a, b) per filter becomes the
   * Conv's epilogue, (y + B)·a + b, which the GEMM and depthwise kernels apply as they write (the
   * layers' BatchNormalization at inference does the same). The weights are not rewritten: a
   * multiply over every weight at load was about a tenth of MobileNetV2's cold start.
   */
  private foldBatchNorm(conv: PlannedNode, bn: PlannedNode): boolean {
    const [w, b] = [this.constants.get(conv.inputs[1]), conv.inputs[2] ? this.constants.get(conv.inputs[2]) : undefined];
    const stats = bn.inputs.slice(1, 5).map((name) => this.constants.get(name));
    if (!w || w.type !== 'float32' || (conv.inputs[2] && !b) || conv.epilogue || stats.some((s) => !s || s.type !== 'float32')) return false;
    if (bn.attrs.int('training_mode', 0) === 1) return false;
    const filters = w.dims[0];
    if (stats.some((s) => s!.size !== filters) || (b && (b.type !== 'float32' || b.size !== filters))) return false;
    const [scale, shift, mean, variance] = stats.map((s) => s!.data as Numbers);
    const { a, b: offset } = batchNormAffine(scale, shift, mean, variance, bn.attrs.float('epsilon', 1e-5));
    conv.epilogue = { scale: Float32Array.from(a), shift: Float32Array.from(offset) };
    return true;
  }

  /**
   * The steps that make the wanted outputs, in order: the others are not run (as onnxruntime does
   * for outputs not fetched — a classifier's ZipMap when only the probabilities are asked for).
   */
  private stepsFor(wanted: readonly string[]): readonly Step[] {
    const key = wanted.join('\u0000');
    let steps = this.needed.get(key);
    if (!steps) {
      const values = new Set(wanted);
      const keep = this.steps.map(() => false);
      for (let i = this.steps.length - 1; i >= 0; i--) {
        const node = this.steps[i].node;
        if (!node.outputs.some((name) => name && values.has(name))) continue;
        keep[i] = true;
        for (const name of node.inputs) if (name) values.add(name);
      }
      steps = this.steps.filter((_, i) => keep[i]);
      if (this.needed.size >= 16) this.needed.clear();
      this.needed.set(key, steps);
    }
    return steps;
  }

  /** Runs the graph on values by input name; returns the wanted graph outputs (all by default), in JavaScript. */
  run(feeds: ReadonlyMap<string, Value>, wanted: readonly string[] = this.outputs): Map<string, Value> {
    return Run.within((run) => {
      // The values made in this run (constants are read from this.constants), and how many of them share each block of memory.
      const values = new Map<string, Value>(feeds);
      const sharing = new Map<Resident, number>();
      for (const step of this.stepsFor(wanted)) {
        const ins = step.node.inputs.map((name) => {
          if (!name) return undefined;
          const v = values.get(name) ?? this.constants.get(name);
          if (!v) throw new FormatError(`${this.what}: the value '${name}' that ${where(step.node, 0)} reads is never produced`);
          return v;
        });
        // As guarded, without closures per node and run (a batch-1 run's fixed costs count).
        let outs: (Value | undefined)[];
        try {
          outs = step.memo ? step.memo.outputsFor(ins, step.run) : step.run(ins);
        } catch (error) {
          this.rethrow(step.node, error);
        }
        step.node.outputs.forEach((name, i) => {
          const v = outs[i];
          if (!name || !v) return;
          values.set(name, v);
          const r = v.resident;
          if (r) sharing.set(r, (sharing.get(r) ?? 0) + 1);
        });
        // Values no later node reads: their memory goes back now, unless another live value shares it (Reshape, Identity).
        for (const name of step.last) {
          const r = values.get(name)?.resident;
          values.delete(name);
          if (!r) continue;
          const left = (sharing.get(r) ?? 1) - 1;
          sharing.set(r, left);
          if (left <= 0) run.release(r);
        }
      }
      const result = new Map<string, Value>();
      for (const name of wanted) {
        const v = values.get(name) ?? this.constants.get(name);
        if (!v) throw new FormatError(`${this.what}: the graph output '${name}' is never produced`);
        // Elements copied out of the run's memory now are the caller's already.
        result.set(name, v.resident ? v.settle() : this.owned(v, feeds));
      }
      return result;
    });
  }

  /**
   * An output the caller may keep and change: a copy when its elements are the model's (a constant
   * or a value remembered from shapes) or the caller's (an input held as given, or a Reshape /
   * Identity / Slice of one).
   */
  private owned(v: Value, feeds: ReadonlyMap<string, Value>): Value {
    const data = v.data;
    if (!ArrayBuffer.isView(data)) return v;
    this.constantBuffers ??= new Set([...this.constants.values()].flatMap((c) => (ArrayBuffer.isView(c.data) ? [c.data.buffer] : [])));
    let shared = this.constantBuffers.has(data.buffer) || this.memos.some((m) => m.holds(v));
    for (const f of feeds.values()) shared ||= ArrayBuffer.isView(f.data) && f.data.buffer === data.buffer;
    return shared ? new Value(v.type, v.dims, copyOf(data as Numbers)) : v;
  }
}

function plan(n: NodeProto, index: number, what: string): PlannedNode {
  if (!n.opType) throw new FormatError(`${what}: node #${index} has no op_type`);
  return {
    name: n.name ?? '',
    opType: n.opType,
    domain: domainOf(n.domain),
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs: new Attributes(n.attribute ?? [], `${what}: ${where(n, index)}`),
  };
}

/** Nodes in an order where every input is made before it is read (files are meant to be sorted; some are not). */
function order(nodes: PlannedNode[], available: Set<string>, what: string): PlannedNode[] {
  const done: PlannedNode[] = [];
  let pending = nodes;
  const have = new Set(available);
  while (pending.length) {
    const next: PlannedNode[] = [];
    for (const n of pending) {
      if (n.inputs.every((name) => !name || have.has(name))) {
        done.push(n);
        for (const o of n.outputs) have.add(o);
      } else {
        next.push(n);
      }
    }
    if (next.length === pending.length) {
      const n = next[0];
      const missing = n.inputs.filter((name) => name && !have.has(name));
      throw new FormatError(`${what}: ${where(n, nodes.indexOf(n))} reads ${missing.map((m) => `'${m}'`).join(', ')}, which no node, input or initializer provides (or the graph has a cycle)`);
    }
    pending = next;
  }
  return done;
}

/** Every operator is known, or one error naming the unknown ones and every operator the file uses. */
function checkSupported(nodes: PlannedNode[], what: string): void {
  const label = (n: PlannedNode) => (n.domain ? `${n.domain}:${n.opType}` : n.opType);
  const unknown = [...new Set(nodes.filter((n) => !operatorOf(n.domain, n.opType)).map(label))];
  if (unknown.length === 0) return;
  const used = [...new Set(nodes.map(label))].sort();
  throw new FormatError(`${what}: wasmlearn does not run the operator${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the file uses ${used.join(', ')}`);
}

/** A ReLU-family node as the kernels' rectifier: ReLU, LeakyReLU, Clip(0, max) (ReLU6). */
function rectifierOf(n: PlannedNode, c: (name: string | undefined) => Value | undefined): readonly [number, number, number] | undefined {
  if (n.domain !== '' || n.outputs.length !== 1) return undefined;
  if (n.opType === 'Relu') return [Infinity, 0, 0];
  if (n.opType === 'LeakyRelu') return [Infinity, n.attrs.float('alpha', 0.01), 0];
  if (n.opType === 'Clip') {
    const lo = n.inputs[1] ? c(n.inputs[1]) : undefined, hi = n.inputs[2] ? c(n.inputs[2]) : undefined;
    if ((n.inputs[1] && !lo) || (n.inputs[2] && !hi)) return undefined;
    const min = n.attrs.has('min') ? n.attrs.float('min', 0) : lo ? (lo.data as Numbers)[0] : -Infinity;
    const max = n.attrs.has('max') ? n.attrs.float('max', 0) : hi ? (hi.data as Numbers)[0] : Infinity;
    return min === 0 && max > 0 ? [max, 0, 0] : undefined;
  }
  return undefined;
}

/**
 * A node the layers' activation kernel computes as Keras defines it, with ONNX's attributes at the
 * values where the two agree (Elu's alpha 1, Selu's and HardSigmoid's defaults, Softmax over the
 * last axis of a 2-d Gemm / MatMul output).
 */
function activationOf(n: PlannedNode, from: PlannedNode, opsets: ReadonlyMap<string, number>): Activation | undefined {
  if (n.domain !== '' || n.outputs.length !== 1) return undefined;
  const a = n.attrs;
  switch (n.opType) {
    case 'Sigmoid': return Activation.Sigmoid;
    case 'Tanh': return Activation.Tanh;
    case 'Softplus': return Activation.Softplus;
    case 'Softsign': return Activation.Softsign;
    case 'Elu': return a.float('alpha', 1) === 1 ? Activation.Elu : undefined;
    case 'Selu': return !a.has('alpha') && !a.has('gamma') ? Activation.Selu : undefined;
    case 'HardSigmoid': return Math.fround(a.float('alpha', 0.2)) === Math.fround(0.2) && Math.fround(a.float('beta', 0.5)) === 0.5 ? Activation.HardSigmoid : undefined;
    case 'Gelu': return a.string('approximate', 'none') === 'tanh' ? Activation.GeluTanh : Activation.Gelu;
    case 'Softmax': {
      // Rows of a matrix: Gemm's output, or a MatMul whose A is known to be 2-d only at run time — so Gemm only.
      if (from.opType !== 'Gemm') return undefined;
      const axis = a.int('axis', (opsets.get('') ?? 13) < 13 ? 1 : -1);
      return axis === 1 || axis === -1 ? Activation.Softmax : undefined;
    }
    default: return undefined;
  }
}

/** A Gemm takes an epilogue when its C, if any, is a bias row it adds itself. */
function gemmTakesEpilogue(gemm: PlannedNode, c: (name: string | undefined) => Value | undefined): boolean {
  if (!gemm.inputs[2]) return true;
  const bias = c(gemm.inputs[2]);
  if (!bias || gemm.attrs.float('alpha', 1) !== 1 || gemm.attrs.float('beta', 1) !== 1) return false;
  return bias.dims.length === 1 || (bias.dims.length === 2 && bias.dims[0] === 1);
}

/** The opset version of each domain a model imports. */
export function opsetsOf(model: onnx.ModelProto.$Properties): Map<string, number> {
  const opsets = new Map<string, number>();
  for (const o of model.opsetImport ?? []) opsets.set(domainOf(o.domain), int(o.version));
  if (!opsets.has('')) opsets.set('', 1);
  return opsets;
}
