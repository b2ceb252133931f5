// What an operator is to the graph: a function of the node (its attributes, opset and constant
// inputs, read once at load) that returns the function run on every call. Each file under
// operators/ exports a table of them by op_type; registry.ts joins the tables by domain.
import { FormatError, ShapeError } from '../errors.js';
import type { Attributes } from './attributes.js';
import type { Epilogue } from './kernels.js';
import type { WeightStore } from './weights.js';
import { isFloat, type Value } from './value.js';

export interface NodeInfo {
  /** "node 'name' (OpType)", for messages. */
  readonly where: string;
  readonly opType: string;
  readonly attrs: Attributes;
  /** The opset version of the node's domain the file imports. */
  readonly opset: number;
  /** Inputs known at load (initializers, Constant outputs, folded values), by position. */
  readonly constants: readonly (Value | undefined)[];
  readonly outputCount: number;
  /** The model's arrays kept in WebAssembly memory (constant weights in kernel layouts). */
  readonly weights: WeightStore;
  /** A bias, batch normalization and rectifier folded into this node from the nodes after it (graph.ts fuses them). */
  readonly epilogue?: Epilogue;
}

/** Runs a node: inputs by position (undefined where an optional input is skipped), outputs by position. */
export type NodeRun = (inputs: readonly (Value | undefined)[]) => (Value | undefined)[];

export type Operator = (node: NodeInfo) => NodeRun;

export type OperatorTable = Readonly<Record<string, Operator>>;

/** Input i, which the operator needs. */
export function input(node: NodeInfo, inputs: readonly (Value | undefined)[], i: number, name: string): Value {
  const v = inputs[i];
  if (!v) throw new FormatError(`${node.where}: input ${i} (${name}) is required`);
  return v;
}

/** Input i must be a float tensor (the operator computes in floats). */
export function floatInput(node: NodeInfo, inputs: readonly (Value | undefined)[], i: number, name: string): Value {
  const v = input(node, inputs, i, name);
  if (!isFloat(v.type)) throw new FormatError(`${node.where}: input ${i} (${name}) must be a float tensor; it is ${v.type}`);
  return v;
}

/** A node's axis attribute or input in range for a rank, negatives counting from the end. */
export function axisOf(node: NodeInfo, axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ShapeError(`${node.where}: ${what} ${axis} is out of range for a tensor of rank ${rank}`);
  return a;
}

/**
 * The node's epilogue with its input 2 (Conv's B, Gemm's C) as the bias: made once when that input
 * is a constant (a run's fixed costs count at batch 1), else per call.
 */
export function withBiasOf(node: NodeInfo): (bias: Value) => Epilogue {
  let constant: Epilogue | undefined;
  return (bias) => (bias === node.constants[2] ? (constant ??= { ...node.epilogue, bias: bias.f32 }) : { ...node.epilogue, bias: bias.f32 });
}

/** "[2, 3, 4]" */
export const dimsText = (dims: readonly number[]): string => `[${dims.join(', ')}]`;
