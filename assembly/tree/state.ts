// The state of the tree being grown (tree/grow.ts): module globals, so one tree per thread at a
// time (each thread has its own instance). Set by treeBuild, read and updated by the criterion,
// the splitter and the partition.
import { Criterion } from '../codes';

export const FEATURE_THRESHOLD: f64 = 1e-7;
export const EPSILON: f64 = 2.220446049250313e-16;

// Builder state for one tree (module globals are per instance: one tree per thread at a time).
export let X: usize = 0;
export let Y: usize = 0;
export let W: usize = 0;
export let nAll: i32 = 0;
export let d: i32 = 0;
export let outputs: i32 = 0;
export let criterion: i32 = 0;
export let minLeaf: i32 = 1;
export let samples: usize = 0;
export let fv: usize = 0;
export let sorted: usize = 0; // a node's samples sorted by one feature (samples itself keeps node order)
export let mask: usize = 0; // per position: goes left (u8), for the stable partition
export let spare: usize = 0; // partition scratch (n × 4 bytes)
export let ordered: bool = false; // binned codes kept in node order (nodeCodes) rather than read through samples
export let nodeCodes: usize = 0;
export let mAll: i32 = 0; // samples taking part (non-zero weight)
export let codes: usize = 0;
export let binValues: usize = 0;
export let nBins: usize = 0;
export let hist: usize = 0;
export let binCount: usize = 0;
export let classOf: usize = 0;
// The node's samples' class (i32) or target (f64) and weight (f64) in node order, for the
// histogram passes (sequential reads); loaded at the node's first histogram pass.
export let nodeClass: usize = 0;
export let nodeY: usize = 0;
export let nodeW: usize = 0;
export let nodeValid: bool = false;
export let total: usize = 0;
export let leftSt: usize = 0;
export let rightSt: usize = 0;
export let statBytes: usize = 0;
// The best split found so far at the current node.
export let bestProxy: f64 = 0;
export let bestFeature: i32 = -1;
export let bestThreshold: f64 = 0;
export let bestDraw: i32 = 0; // the position in the draw order of bestFeature (ties go to the earlier one)
export let currentDraw: i32 = 0;
// Two threads on one tree: the builder posts each node to a helper thread through a control block
// (HELPER_* offsets), and each scores half of the features (see evaluate).
export let control: usize = 0;
/** Set when the builder gave up waiting for its helper: it scores every later node alone. */
export let helperGone = false;
/** The pool thread growing this tree (its heartbeat, assembly/heartbeat.ts). */
export let treeThread: i32 = 0;

// @ts-ignore: decorator
@inline export function xAt(s: i32, f: i32): f32 { return load<f32>(X + ((<usize>s * d + f) << 2)); }
// @ts-ignore: decorator
@inline export function weightOf(s: i32): f64 { return W != 0 ? load<f64>(W + (<usize>s << 3)) : 1; }
// @ts-ignore: decorator
@inline export function sampleAt(t: i32): i32 { return load<i32>(samples + (<usize>t << 2)); }
// @ts-ignore: decorator
@inline export function regression(): bool { return criterion >= Criterion.SquaredError; }

// The two sides of the boundary being scored, updated as samples move from right to left: left
// statistics at leftSt (total − left on the right), their weights, and for classification
// q = Σ n_c² (gini) or Σ n_c log₂ n_c (entropy) on each side, so that moving a class count costs
// O(1) instead of a pass over the classes.
export let wLeft: f64 = 0;
export let wRight: f64 = 0;
export let qLeft: f64 = 0;
export let qRight: f64 = 0;

// Where scanAbsoluteFeature leaves the absolute-error split it found (absolute.ts).
export let absoluteResult: usize = 0;

// Settings and outputs of the tree being grown.
export let maxDepthG: i32 = -1;
export let minSplitG: i32 = 2;
export let minDecreaseG: f64 = 0;
export let maxFeaturesG: i32 = 0;
export let rngG: usize = 0;
export let order: usize = 0;
export let rootWeight: f64 = 0;
export let leftA: usize = 0;
export let rightA: usize = 0;
export let featureA: usize = 0;
export let thresholdA: usize = 0;
export let impurityA: usize = 0;
export let nSamplesA: usize = 0;
export let weightedA: usize = 0;
export let valueA: usize = 0;
// What evaluate() found: the split position (−1: a leaf) and its impurity decrease.
export let splitPos: i32 = -1;
export let splitImprovement: f64 = 0;
