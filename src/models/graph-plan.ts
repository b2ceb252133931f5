// The buffers of one pass of a functional model's graph over a batch, and the passes through them.
// Every tensor of the graph has a buffer (an input, or a node's output; layers that only reshape
// share their input's). Backward runs the nodes in reverse: a tensor feeding several layers gets
// the sum of their gradients (the first writes, the others add), and a layer applied several times
// sums its weights' gradients over its applications (Keras' and TF.js' semantics).
import type { Step, Weight } from '../layers/layer.js';
import { MergeLayer } from '../layers/merge.js';
import type { Node, SymbolicTensor } from '../layers/node.js';
import { copyBytes, type Alloc } from '../ops/memory.js';
import { addInto } from '../ops/merge.js';
import { penaltyGradient } from '../ops/regularizers.js';
import type { Regularizer } from '../regularizers.js';
import type { Backend } from '../runtime/backend.js';
import { shapeSize } from '../tensor.js';
import { fusionOf, type Fusion } from './inference-fusion.js';
import { PassBuffers, type PassPlan } from './plan.js';

/** A functional model's graph: its inputs, its outputs and its nodes in an order that computes each after its inputs. */
export interface Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly nodes: readonly Node[];
}

/** A layer that takes several inputs: a merge, or a recurrent layer given its initial states. */
interface ManyInputs {
  forwardMany(step: Step, xs: readonly number[], y: number, scratch: number): void;
  backwardMany(step: Step, xs: readonly number[], y: number, dy: number, dxs: readonly number[], scratch: number): void;
}

/** Whether a node runs through its layer's forwardMany / backwardMany. */
function takesMany(node: Node): boolean {
  return node.layer instanceof MergeLayer || node.inputs.length > 1;
}

export class GraphPlan extends PassBuffers implements PassPlan {
  readonly batch: number;
  private readonly buffers = new Map<SymbolicTensor, number>();
  private readonly gradients = new Map<SymbolicTensor, number>();
  private readonly scratch = new Map<Node, number>();
  /**
   * Buffers as large as the largest tensor, for gradients that must be added rather than written:
   * one per input of the widest node, since one node may give several such gradients (two inputs
   * that other layers already gave gradients to, or one tensor given twice).
   */
  private readonly spares: number[] = [];
  /** Per weight of a layer applied more than once: a buffer for one application's gradient. */
  private readonly sharedGrads = new Map<Weight, number>();
  /** Inference: runs of nodes (each reading only the one before) run as one, by their first node. */
  private readonly fused = new Map<Node, { fusion: Fusion; x: number; y: number; scratch: number[] }>();
  /** The nodes a fused run computes besides its first (skipped where they stand). */
  private readonly inRuns = new Set<Node>();

  constructor(be: Backend, private readonly graph: Graph, alloc: Alloc, batch: number, training: boolean, targetCols: readonly number[] | undefined) {
    super(be, alloc, targetCols !== undefined);
    this.batch = batch;
    const bytes = (t: SymbolicTensor) => batch * shapeSize(t.sizes) * 4;
    for (const t of graph.inputs) this.buffers.set(t, alloc(bytes(t)));
    for (const node of graph.nodes) {
      const aliases = !takesMany(node) && node.layer.aliases(training);
      this.buffers.set(node.output, aliases ? this.buffers.get(node.inputs[0])! : alloc(bytes(node.output)));
      const scratchBytes = node.layer.scratchBytes(batch, training);
      this.scratch.set(node, scratchBytes > 0 ? alloc(scratchBytes) : 0);
    }
    if (!training) {
      // Inference runs some runs of nodes as one pass: each node's output read by the next alone.
      const readers = new Map<SymbolicTensor, Node[]>();
      for (const node of graph.nodes) for (const t of node.inputs) readers.set(t, [...(readers.get(t) ?? []), node]);
      const soleReader = (node: Node): Node | undefined => {
        const next = readers.get(node.output);
        return next?.length === 1 && next[0].inputs.length === 1 && next[0].masks.length === 0 && !graph.outputs.includes(node.output) && !(node.layer instanceof MergeLayer) ? next[0] : undefined;
      };
      const taken = new Set<Node>();
      for (const node of graph.nodes) {
        if (taken.has(node) || node.masks.length > 0) continue;
        const run = [node];
        for (let next = soleReader(node); next && run.length < 3; next = soleReader(next)) run.push(next);
        const fusion = fusionOf(run.map((n) => n.layer));
        if (!fusion) continue;
        const nodes = run.slice(0, fusion.length);
        this.fused.set(node, { fusion, x: this.buffers.get(node.inputs[0])!, y: this.buffers.get(nodes[nodes.length - 1].output)!, scratch: nodes.map((n) => this.scratch.get(n)!) });
        for (const n of nodes) taken.add(n);
        for (const n of nodes.slice(1)) this.inRuns.add(n);
      }
    }
    let largest = 0;
    if (training) {
      // dL/dt exists for the outputs and for every tensor with trainable weights upstream of it.
      const upstream = new Map<SymbolicTensor, boolean>(graph.inputs.map((t) => [t, false]));
      for (const node of graph.nodes) {
        // A mask has no gradient: nothing flows back through the choice of steps.
        upstream.set(node.output, node.layer.differentiable && (node.layer.trainableWeights.length > 0 || node.inputs.some((t) => upstream.get(t))));
      }
      for (const [t, needed] of upstream) {
        if (needed || graph.outputs.includes(t)) {
          this.gradients.set(t, alloc(bytes(t)));
          largest = Math.max(largest, bytes(t));
        }
      }
      // A weight used by several nodes (a layer applied again, or copies of a layer sharing its weights).
      const uses = new Map<Weight, number>();
      for (const node of graph.nodes) for (const w of node.layer.trainableWeights) uses.set(w, (uses.get(w) ?? 0) + 1);
      for (const [w, count] of uses) if (count > 1) this.sharedGrads.set(w, alloc(w.size * 4));
    }
    const widest = Math.max(1, ...graph.nodes.map((node) => node.inputs.length));
    if (largest > 0) for (let i = 0; i < widest; i++) this.spares.push(alloc(largest));
    // An output's Keras mask of one value per row (a sequence's steps) weighs its loss and metrics.
    const rowMask = (t: SymbolicTensor) => (t.mask && shapeSize(t.mask.sizes) === shapeSize(t.sizes) / t.sizes[t.sizes.length - 1] ? this.buffers.get(t.mask) ?? 0 : 0);
    graph.outputs.forEach((t, h) => this.addHead(alloc, batch, t.sizes, targetCols?.[h], this.buffers.get(t)!, this.gradients.get(t) ?? 0, rowMask(t)));
  }

  protected get inputBuffers(): readonly number[] {
    return this.graph.inputs.map((t) => this.buffers.get(t)!);
  }

  /** The step for a node: with the pointers of the masks it reads, if any. */
  private stepFor(step: Step, node: Node): Step {
    return node.masks.length === 0 ? step : { ...step, masks: node.masks.map((m) => (m ? this.buffers.get(m)! : 0)) };
  }

  forward(pass: Step): void {
    for (const node of this.graph.nodes) {
      if (this.inRuns.has(node)) continue;
      const step = this.stepFor(pass, node);
      const run = this.fused.get(node);
      if (run) {
        run.fusion.run(step, run.x, run.y, run.scratch);
        continue;
      }
      const y = this.buffers.get(node.output)!;
      if (takesMany(node)) (node.layer as unknown as ManyInputs).forwardMany(step, node.inputs.map((t) => this.buffers.get(t)!), y, this.scratch.get(node)!);
      else if (y !== this.buffers.get(node.inputs[0]) || !node.layer.aliases(step.training)) node.layer.forward(step, this.buffers.get(node.inputs[0])!, y, this.scratch.get(node)!);
    }
  }

  backward(pass: Step, fused: readonly boolean[]): void {
    const be = this.be;
    // Which tensors' gradients hold a value yet: the outputs', from the losses.
    const written = new Set<SymbolicTensor>(this.graph.outputs);
    // Weights whose gradient a node already wrote.
    const seen = new Set<Weight>();
    for (let k = this.graph.nodes.length - 1; k >= 0; k--) {
      const node = this.graph.nodes[k];
      const step = this.stepFor(pass, node);
      const dy = this.gradients.get(node.output);
      if (dy === undefined || !written.has(node.output)) continue;
      const n = step.batch * shapeSize(node.output.sizes);
      const r = node.layer.activityRegularizer;
      if (r) penaltyGradient(be, this.buffers.get(node.output)!, dy, n, r.l1, r.l2);
      // Each input that needs a gradient gets it written, or (when its buffer holds a value already,
      // or an earlier input of this node is the same tensor) into a spare buffer of its own, to be added.
      let spare = 0;
      const targets = node.inputs.map((t, i) => {
        const g = this.gradients.get(t);
        if (g === undefined) return 0;
        return written.has(t) || node.inputs.indexOf(t) < i ? this.spares[spare++] : g;
      });
      // A layer applied again: this application's weight gradients go to their own buffers, then are added.
      const shared = node.layer.trainableWeights.filter((w) => seen.has(w) && this.sharedGrads.has(w));
      const own = shared.map((w) => w.grad);
      shared.forEach((w) => (w.grad = this.sharedGrads.get(w)!));
      const x = node.inputs.map((t) => this.buffers.get(t)!);
      const isOutput = fused[this.graph.outputs.indexOf(node.output)] === true;
      if (takesMany(node)) (node.layer as unknown as ManyInputs).backwardMany(step, x, this.buffers.get(node.output)!, dy, targets, this.scratch.get(node)!);
      else if (this.buffers.get(node.output) === x[0] && node.layer.aliases(true)) {
        if (targets[0]) copyBytes(be, dy, targets[0], n * 4);
      } else node.layer.backward(step, x[0], this.buffers.get(node.output)!, dy, targets[0], this.scratch.get(node)!, isOutput);
      shared.forEach((w, i) => {
        addInto(be, own[i], w.grad, w.size);
        w.grad = own[i];
      });
      for (const w of node.layer.trainableWeights) seen.add(w);
      node.inputs.forEach((t, i) => {
        if (!targets[i]) return;
        if (targets[i] !== this.gradients.get(t)) addInto(be, this.gradients.get(t)!, targets[i], step.batch * shapeSize(t.sizes));
        written.add(t);
      });
    }
  }

  protected activityOutputs(batch: number): { ptr: number; size: number; regularizer: Regularizer }[] {
    return this.graph.nodes.flatMap((node) => {
      const r = node.layer.activityRegularizer;
      return r ? [{ ptr: this.buffers.get(node.output)!, size: batch * shapeSize(node.output.sizes), regularizer: r }] : [];
    });
  }
}
