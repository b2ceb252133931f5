// A model's outputs as compile, fit and evaluate see them (Keras' semantics): each output has its
// own loss and metrics, the total loss is the sum of the outputs' mean losses times their
// lossWeights (plus the regularization penalties), and the logs name each output's loss and
// metrics after it ('cls_loss', 'cls_accuracy') when there are several. Data for several inputs or
// outputs comes as one array per endpoint or an object keyed by their names.
import { ValueError, describe } from '../errors.js';
import { Activation } from '../layers/activation.js';
import type { Layer } from '../layers/layer.js';
import { fusedActivation, lossKind, type LossKind } from '../losses.js';
import { resolveMetrics, type LossSettings } from '../metrics.js';
import type { Loss } from '../runtime/bindings.js';
import { shapeSize } from '../tensor.js';

/** One output of a model: the name its logs and keyed data use, its per-sample shape and the layer that makes it. */
export interface OutputEnd {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layer: Layer;
  /** Only the loss reads the output (no layer of the model takes it), so its activation may fold into the loss's gradient. */
  readonly terminal: boolean;
}

/** What compile decided for one output, before the model is resolved (metric names not yet bound to the output's width). */
export interface HeadSpec {
  readonly loss: LossKind;
  readonly lossCode: Loss;
  readonly metricNames: unknown;
  readonly weight: number;
}

/** One output as scoring uses it: its loss, metrics and weight, its shape and the prefix of its logged names. */
export interface Head extends LossSettings {
  readonly name: string;
  readonly shape: readonly number[];
  /** Values per output row (the last axis). */
  readonly units: number;
  /** Output rows per sample (the other axes). */
  readonly rowsPer: number;
}

/** compile's loss, metrics and lossWeights as given. */
export interface CompileGiven {
  loss: unknown;
  metrics: unknown;
  lossWeights: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * A value given per output (Keras): one value for every output, an array of one per output, or an
 * object keyed by output names. `single(v)` tells a value for one output from a list; keys an
 * object lacks get `missing(name)`.
 */
function perOutput<T>(value: unknown, names: readonly string[], what: string, where: string, single: (v: unknown) => boolean,
  missing: (name: string) => T | undefined): unknown[] {
  if (isRecord(value) && !single(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new ValueError(`${where}: ${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'}; the model's outputs are ${names.join(', ')}`);
    return names.map((n) => {
      if (n in value) return value[n];
      const fallback = missing(n);
      if (fallback === undefined) throw new ValueError(`${where}: ${what} has no entry for output '${n}'; give one per output (${names.join(', ')})`);
      return fallback;
    });
  }
  if (Array.isArray(value) && !single(value)) {
    if (value.length !== names.length) throw new ValueError(`${where}: ${what} lists ${value.length} entries for ${names.length} output${names.length > 1 ? 's' : ''} (${names.join(', ')})`);
    return value;
  }
  return names.map(() => value);
}

/** compile's per-output decisions: the loss of each output (checked), its metric names and its weight. */
export function compileHeads(given: CompileGiven, names: readonly string[], where: string): HeadSpec[] {
  const isLoss = (v: unknown) => typeof v === 'string' || typeof v === 'function';
  const losses = perOutput(given.loss, names, 'loss', where, isLoss, () => undefined);
  // A flat list of metrics applies to every output (Keras 2, TF.js); a list of lists or an object gives each its own.
  const flat = (v: unknown) => v === undefined || typeof v === 'string' || typeof v === 'function' || (Array.isArray(v) && !v.some(Array.isArray));
  const metrics = names.length === 1 && flat(given.metrics) ? [given.metrics] : perOutput(given.metrics, names, 'metrics', where, (v) => flat(v) && !isRecord(v), () => []);
  const weights = given.lossWeights === undefined ? names.map(() => 1) : perOutput(given.lossWeights, names, 'lossWeights', where, (v) => typeof v === 'number', () => 1);
  return names.map((n, i) => {
    const label = names.length > 1 ? ` of output '${n}'` : '';
    if (!isLoss(losses[i])) throw new ValueError(`${where}: the loss${label} must be a loss name or function; received ${describe(losses[i])}`);
    const { kind, code } = lossKind(losses[i], where);
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ValueError(`${where}: lossWeights${label} must be a finite number ≥ 0; received ${describe(w)}`);
    return { loss: kind, lossCode: code, metricNames: metrics[i], weight: w };
  });
}

/** The heads of a model as it is now: each output's metrics bound to its width, and whether the loss folds its activation in. */
export function resolveHeads(specs: readonly HeadSpec[], outputs: readonly OutputEnd[], where: string): Head[] {
  if (specs.length !== outputs.length) throw new ValueError(`${where}: the model was compiled for ${specs.length} outputs and has ${outputs.length}; compile it again`);
  return outputs.map((out, i) => {
    const spec = specs[i];
    const units = out.shape[out.shape.length - 1];
    const last = out.layer as Layer & { activation?: string };
    const activation = last instanceof Activation ? last.lossActivation : last.activation;
    return {
      name: out.name, shape: out.shape, units, rowsPer: shapeSize(out.shape) / units,
      loss: spec.loss, lossCode: spec.lossCode, weight: spec.weight,
      metrics: resolveMetrics(spec.metricNames, spec.loss, units, where),
      // The loss folds the last activation into its gradient, unless another layer or an activity penalty needs the output's own gradient.
      fused: out.terminal && activation !== undefined && activation === fusedActivation(spec.loss) && !last.activityRegularizer,
    };
  });
}

/** The names fit and evaluate log, in Keras' order: the total loss, each output's loss (when several), then each output's metrics. */
export function logNames(heads: readonly Head[]): string[] {
  const many = heads.length > 1;
  return ['loss', ...(many ? heads.map((h) => `${h.name}_loss`) : []), ...heads.flatMap((h) => h.metrics.map((m) => (many ? `${h.name}_${m.name}` : m.name)))];
}

/**
 * Sums of a pass's scores, per output: the loss and each metric summed over output rows, and the
 * penalties summed over samples. `values()` gives the logged means in logNames' order.
 */
export class ScoreSums {
  /** sums[h] = [loss, ...metrics] of output h, summed over its rows. */
  readonly sums: number[][];
  /** rows[h]: the rows of output h that counted (padding rows of a masked output do not). */
  readonly rows: number[];
  private penalty = 0;
  private samples = 0;

  constructor(private readonly heads: readonly Head[]) {
    this.sums = heads.map((h) => new Array<number>(1 + h.metrics.length).fill(0));
    this.rows = heads.map(() => 0);
  }

  /** Counts `count` samples whose scores scoreBatch added to `sums`, and their penalty (a mean per sample). */
  add(count: number, penalty: number): void {
    this.penalty += penalty * count;
    this.samples += count;
  }

  values(): number[] {
    // Means over the rows that counted (rowsPer per sample, less a masked output's padding).
    const means = this.sums.map((s, i) => s.map((v) => (this.rows[i] > 0 ? v / this.rows[i] : 0)));
    const total = means.reduce((s, m, i) => s + this.heads[i].weight * m[0], this.penalty / this.samples);
    return [total, ...(this.heads.length > 1 ? means.map((m) => m[0]) : []), ...means.flatMap((m) => m.slice(1))];
  }
}

/**
 * The value given for each of several named endpoints (a model's inputs or outputs): one value for
 * one endpoint (or a list holding only it), an array of one per endpoint, or an object keyed by
 * their names. `what` names the data in messages ('x', 'y').
 */
export function perEndpoint(value: unknown, names: readonly string[], kind: 'inputs' | 'outputs', what: string, where: string): unknown[] {
  if (names.length === 1) {
    // [tensor] for a single endpoint, as TF.js takes it (but not a nested array of numbers).
    return [Array.isArray(value) && value.length === 1 && !Array.isArray(value[0]) && typeof value[0] === 'object' ? value[0] : value];
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new ValueError(`${where}: the model has ${names.length} ${kind} (${names.join(', ')}); ${what} has ${value.length} arrays`);
    return value;
  }
  if (isRecord(value) && !('shape' in value)) {
    const missing = names.filter((n) => !(n in value));
    if (missing.length > 0) throw new ValueError(`${where}: ${what} has no arrays for the ${kind} ${missing.join(', ')}; give one per ${kind.slice(0, -1)}: ${names.join(', ')}`);
    return names.map((n) => value[n]);
  }
  throw new ValueError(`${where}: the model has ${names.length} ${kind} (${names.join(', ')}); give ${what} as an array of one array per ${kind.slice(0, -1)}, or an object keyed by their names`);
}
