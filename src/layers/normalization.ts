// Keras' Normalization preprocessing layer: each feature (the last axis) shifted and scaled to
// zero mean and unit variance, y = (x − mean) / max(√variance, 1e-7), with the statistics given or
// learned from data by adapt() — so an exported model takes raw features. Its weights (mean,
// variance, count) are saved and never trained.
import { ShapeError, ValueError, describe } from '../errors.js';
import { scaleShiftColumns } from '../ops/batch-norm.js';
import { readF32, writeF32 } from '../ops/memory.js';
import { checkOptions } from '../options.js';
import { backend } from '../runtime/backend.js';
import { shapeSize, toTensor, type TensorLike } from '../tensor.js';
import { initializerSpec } from './initializers.js';
import { LAYER_ARGS, Layer, type LayerArgs, type Step, type Weight, type WeightSpec } from './layer.js';

export interface NormalizationArgs extends LayerArgs {
  /** The feature axis, counting the batch axis: -1, the default, the last — the one wasmlearn normalizes (or [axis], as Keras saves it). */
  axis?: number | [number];
  /** Given statistics (one per feature, or one for all); otherwise adapt() learns them. */
  mean?: number | number[];
  variance?: number | number[];
}

/** Keras' epsilon: the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/** (x − mean) / max(√variance, 1e-7) per feature; adapt(data) sets mean and variance from data. */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  readonly axis: number;
  private readonly given: { mean: number[]; variance: number[] } | undefined;

  constructor(args: NormalizationArgs = {}) {
    const o = checkOptions<NormalizationArgs>(args, [...LAYER_ARGS, 'axis', 'mean', 'variance'], 'Normalization');
    super(o, 'Normalization');
    this.axis = (Array.isArray(o.axis) && o.axis.length === 1 ? o.axis[0] : (o.axis as number | undefined)) ?? -1;
    if (this.axis !== -1 && !(Number.isInteger(this.axis) && this.axis > 0)) throw new ValueError(`Normalization: axis must be -1 or a positive axis; received ${describe(o.axis)}`);
    const mean = o.mean ?? undefined, variance = o.variance ?? undefined;
    if ((mean === undefined) !== (variance === undefined)) throw new ValueError('Normalization: give both mean and variance, or neither (adapt() learns them)');
    if (mean !== undefined) {
      const list = (v: unknown, name: string) => {
        const a = Array.isArray(v) ? v : [v];
        if (!a.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new ValueError(`Normalization: ${name} must be a number or numbers; received ${describe(v)}`);
        return a as number[];
      };
      this.given = { mean: list(mean, 'mean'), variance: list(variance, 'variance') };
      if (this.given.variance.some((v) => v < 0)) throw new ValueError(`Normalization: variance must be ≥ 0; received ${describe(variance)}`);
    }
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (this.axis !== -1 && this.axis !== inputShape.length) {
      throw new ValueError(`Normalization ${this.name}: normalizing axis ${this.axis} of inputs of rank ${inputShape.length + 1} is not available; wasmlearn normalizes the last axis (-1 or ${inputShape.length})`);
    }
    const c = inputShape[inputShape.length - 1];
    for (const [name, v] of Object.entries(this.given ?? {})) {
      if (v.length !== 1 && v.length !== c) throw new ShapeError(`Normalization ${this.name}: ${name} has ${v.length} values for ${c} features`);
    }
    return [...inputShape];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const c = [inputShape[inputShape.length - 1]];
    const fill = (k: 'mean' | 'variance', fallback: number) => initializerSpec({ name: 'constant', value: this.given ? this.given[k][0] : fallback }, `Normalization: ${k}`);
    return [['mean', c, fill('mean', 0)], ['variance', c, fill('variance', 1)], ['count', [], initializerSpec('zeros', 'Normalization: count')]];
  }

  override build(be: Parameters<Layer['build']>[0], inputShape: readonly number[]): void {
    const fresh = !this.isBuilt;
    super.build(be, inputShape);
    // Per-feature statistics given: written once built.
    if (fresh && this.given && (this.given.mean.length > 1 || this.given.variance.length > 1)) {
      const c = inputShape[inputShape.length - 1];
      const each = (v: number[]) => (v.length === 1 ? new Array<number>(c).fill(v[0]) : v);
      writeF32(be, this.weights[0].ptr, each(this.given.mean));
      writeF32(be, this.weights[1].ptr, each(this.given.variance));
    }
  }

  /** Never trained: adapt() sets the statistics. */
  override get trainableWeights(): readonly Weight[] {
    return [];
  }

  /**
   * Learns each feature's mean and (biased) variance from data [samples, ...shape] (Keras' adapt),
   * building the layer for that shape if needed. The data is read, never changed.
   */
  adapt(data: TensorLike): void {
    const X = toTensor(data, `${this.name}.adapt: data`);
    if (X.rank < 2 || X.shape[0] === 0) throw new ShapeError(`${this.name}.adapt: data must be [samples, ...features] and not empty; received shape [${X.shape.join(', ')}]`);
    if (!this.isBuilt) this.build(backend(), X.shape.slice(1));
    else if (X.shape.slice(1).join() !== this.inputShape.join()) throw new ShapeError(`${this.name}.adapt: the layer takes [samples, ${this.inputShape.join(', ')}]; received [${X.shape.join(', ')}]`);
    const c = X.shape[X.rank - 1], rows = X.size / c;
    const mean = new Float64Array(c), variance = new Float64Array(c);
    for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) mean[j] += X.data[r * c + j];
    mean.forEach((s, j) => (mean[j] = s / rows));
    for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) variance[j] += (X.data[r * c + j] - mean[j]) ** 2;
    variance.forEach((s, j) => (variance[j] = s / rows));
    const bad = [...mean, ...variance].findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ValueError(`${this.name}.adapt: data must be finite (a NaN or ±Infinity reached the statistics)`);
    this.setWeights([{ data: Float32Array.from(mean), shape: [c] }, { data: Float32Array.from(variance), shape: [c] }, { data: new Float32Array([rows]), shape: [] }]);
  }

  /** Each feature's scale and shift, and (training) the scale alone with a zero shift, for backward. */
  override scratchBytes(_batch: number, training: boolean): number {
    return (training ? 4 : 2) * this.inputShape[this.inputShape.length - 1] * 4;
  }

  private prepare(step: Step, scratch: number): { rows: number; cols: number } {
    const cols = this.inputShape[this.inputShape.length - 1];
    const mean = readF32(step.be, this.weights[0].ptr, cols), variance = readF32(step.be, this.weights[1].ptr, cols);
    const scale = Array.from(variance, (v) => 1 / Math.max(Math.sqrt(v), EPSILON));
    writeF32(step.be, scratch, [...scale, ...Array.from(mean, (m, j) => -m * scale[j])]);
    if (step.training) writeF32(step.be, scratch + 2 * cols * 4, [...scale, ...new Array<number>(cols).fill(0)]);
    return { rows: (step.batch * shapeSize(this.inputShape)) / cols, cols };
  }

  forward(step: Step, x: number, y: number, scratch: number): void {
    const { rows, cols } = this.prepare(step, scratch);
    scaleShiftColumns(step.be, x, y, rows, cols, scratch);
  }

  backward(step: Step, _x: number, _y: number, dy: number, dx: number, scratch: number): void {
    if (!dx) return;
    const cols = this.inputShape[this.inputShape.length - 1];
    scaleShiftColumns(step.be, dy, dx, (step.batch * shapeSize(this.inputShape)) / cols, cols, scratch + 2 * cols * 4);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis === -1 ? [-1] : [this.axis], invert: false };
  }
}
