// Optimizers create their per-weight slots once (in WebAssembly memory, next to the weights) and
// apply one update rule per step; the rules are in assembly/optimizers.ts, as Keras 3 states them.
import { fillF32, writeF32 } from './ops/memory.js';
import { adagradStep, adamStep, rmspropStep, sgdStep } from './ops/optimizers.js';
import { ValueError, describe } from './errors.js';
import type { Weight } from './layers/layer.js';
import { lookUp } from './names.js';
import { checkBoolean, checkOptions } from './options.js';
import type { Backend } from './runtime/backend.js';
import { heldBytes, releaseNow, releaseWhenCollected } from './runtime/finalizer.js';

function positive(value: unknown, name: string, where: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ValueError(`${where}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number; received ${describe(value)}`);
  }
  return value;
}

function fraction(value: unknown, name: string, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new ValueError(`${where}: ${name} must be a number in [0, 1); received ${describe(value)}`);
  return value;
}

/** The base of every optimizer: slots per weight, a step counter, a settable learning rate. */
export abstract class Optimizer {
  abstract readonly className: string;
  /** The learning rate of the next steps (a learning-rate schedule callback may change it). */
  learningRate: number;
  /** Steps taken so far. */
  iterations = 0;
  private slots = new Map<Weight, number[]>();
  private held: { be: Backend; ptrs: number[] } | undefined;

  protected constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /** Slots per weight (how many arrays of the weight's size, and their initial value). */
  protected abstract slotCount(): [count: number, initial: number];

  /** Creates the slots of weights seen for the first time. */
  build(be: Backend, weights: readonly Weight[]): void {
    const [count, initial] = this.slotCount();
    if (!this.held) {
      this.held = { be, ptrs: [] };
      releaseWhenCollected(this, this.held);
    }
    for (const w of weights) {
      if (this.slots.has(w)) continue;
      const ptrs: number[] = [];
      for (let s = 0; s < count; s++) {
        const ptr = be.arena.alloc(w.size * 4);
        fillF32(be, ptr, w.size, initial);
        ptrs.push(ptr);
        this.held.ptrs.push(ptr);
      }
      this.slots.set(w, ptrs);
    }
  }

  /**
   * Restores a saved state: the slots of each weight (in slotCount's order) and the steps taken,
   * so that training resumes where it stopped.
   */
  restore(be: Backend, weights: readonly Weight[], slots: Float32Array[][], iterations: number): void {
    this.build(be, weights);
    weights.forEach((w, i) => this.slots.get(w)!.forEach((ptr, s) => writeF32(be, ptr, slots[i][s])));
    this.iterations = iterations;
  }

  /** One step over all weights, from the gradients in weight.grad. */
  apply(be: Backend, weights: readonly Weight[]): void {
    this.iterations++;
    for (const w of weights) this.update(be, w, this.slots.get(w) ?? []);
  }

  protected abstract update(be: Backend, w: Weight, slots: number[]): void;

  /** Keras-style description (camelCase keys). */
  abstract getConfig(): Record<string, unknown>;

  /** Releases the slots now (a later fit starts them afresh). */
  /** Bytes the optimizer's slots (moments, accumulators) hold in WebAssembly memory. */
  get memoryBytes(): number {
    return heldBytes(this.held);
  }

  dispose(): void {
    if (!this.held) return;
    releaseNow(this, this.held);
    this.held = undefined;
    this.slots.clear();
  }
}

export interface SGDArgs {
  /** η (default 0.01, as Keras). */
  learningRate?: number;
  /** μ in [0, 1) (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/** Stochastic gradient descent: v ← μv − ηg; w ← w + v (Nesterov: w ← w + μv − ηg). */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    const o = checkOptions<SGDArgs>(args, ['learningRate', 'momentum', 'nesterov'], 'sgd');
    super(positive(o.learningRate, 'learningRate', 'sgd', 0.01));
    this.momentum = fraction(o.momentum, 'momentum', 'sgd', 0);
    this.nesterov = checkBoolean(o.nesterov, 'nesterov', 'sgd', false);
  }

  protected slotCount(): [number, number] {
    return [this.momentum > 0 ? 1 : 0, 0];
  }

  protected update(be: Backend, w: Weight, [velocity]: number[]): void {
    sgdStep(be, w.ptr, w.grad, velocity ?? 0, w.size, this.learningRate, this.momentum, this.nesterov);
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}

export interface AdamArgs {
  /** η (default 0.001). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  /** ε (default 1e-7, as Keras). */
  epsilon?: number;
}

/** Adam (Kingma & Ba 2015): bias-corrected first and second moment estimates. */
export class Adam extends Optimizer {
  readonly className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamArgs = {}) {
    const o = checkOptions<AdamArgs>(args, ['learningRate', 'beta1', 'beta2', 'epsilon'], 'adam');
    super(positive(o.learningRate, 'learningRate', 'adam', 0.001));
    this.beta1 = fraction(o.beta1, 'beta1', 'adam', 0.9);
    this.beta2 = fraction(o.beta2, 'beta2', 'adam', 0.999);
    this.epsilon = positive(o.epsilon, 'epsilon', 'adam', 1e-7);
  }

  protected slotCount(): [number, number] {
    return [2, 0];
  }

  protected update(be: Backend, w: Weight, [m, v]: number[]): void {
    const t = this.iterations;
    const stepSize = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    adamStep(be, w.ptr, w.grad, m, v, w.size, stepSize, this.beta1, this.beta2, this.epsilon);
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export interface RMSpropArgs {
  learningRate?: number;
  /** Decay of the mean square ρ (default 0.9). */
  rho?: number;
  epsilon?: number;
}

/** RMSprop (Tieleman & Hinton 2012): s ← ρs + (1 − ρ)g²; w ← w − ηg / (√s + ε). */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: RMSpropArgs = {}) {
    const o = checkOptions<RMSpropArgs>(args, ['learningRate', 'rho', 'epsilon'], 'rmsprop');
    super(positive(o.learningRate, 'learningRate', 'rmsprop', 0.001));
    this.rho = fraction(o.rho, 'rho', 'rmsprop', 0.9);
    this.epsilon = positive(o.epsilon, 'epsilon', 'rmsprop', 1e-7);
  }

  protected slotCount(): [number, number] {
    return [1, 0];
  }

  protected update(be: Backend, w: Weight, [s]: number[]): void {
    rmspropStep(be, w.ptr, w.grad, s, w.size, this.learningRate, this.rho, this.epsilon);
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}

export interface AdagradArgs {
  learningRate?: number;
  /** Starting value of the accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad (Duchi et al. 2011): a ← a + g²; w ← w − ηg / (√a + ε). */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    const o = checkOptions<AdagradArgs>(args, ['learningRate', 'initialAccumulatorValue', 'epsilon'], 'adagrad');
    super(positive(o.learningRate, 'learningRate', 'adagrad', 0.001));
    this.initialAccumulatorValue = positive(o.initialAccumulatorValue, 'initialAccumulatorValue', 'adagrad', 0.1, true);
    this.epsilon = positive(o.epsilon, 'epsilon', 'adagrad', 1e-7);
  }

  protected slotCount(): [number, number] {
    return [1, this.initialAccumulatorValue];
  }

  protected update(be: Backend, w: Weight, [a]: number[]): void {
    adagradStep(be, w.ptr, w.grad, a, w.size, this.learningRate, this.epsilon);
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/**
 * The factories take an options object, or TF.js' positional arguments (tf.train.*): a learning
 * rate first, then the optimizer's own parameters in TF.js' order.
 * @example optimizers.sgd({ learningRate: 0.1 }); optimizers.sgd(0.1); optimizers.adam(0.01, 0.9, 0.999)
 */
export function sgd(args?: SGDArgs | number): SGD {
  return new SGD(positional(args, ['learningRate'], [], 'sgd'));
}

/** TF.js' tf.train.momentum(learningRate, momentum, useNesterov): SGD with momentum. */
export function momentum(learningRate: number, momentumValue: number, useNesterov = false): SGD {
  return new SGD({ learningRate, momentum: momentumValue, nesterov: useNesterov });
}

/** adam(options) or adam(learningRate, beta1, beta2, epsilon). */
export function adam(args?: AdamArgs | number, ...rest: (number | undefined)[]): Adam {
  return new Adam(positional(args, ['learningRate', 'beta1', 'beta2', 'epsilon'], rest, 'adam'));
}

/** rmsprop(options) or rmsprop(learningRate, decay (Keras' rho), momentum (0 only), epsilon). */
export function rmsprop(args?: RMSpropArgs | number, decay?: number, momentumValue?: number, epsilon?: number): RMSprop {
  if (typeof args === 'number' && momentumValue !== undefined && momentumValue !== 0) {
    throw new ValueError(`rmsprop: momentum ${momentumValue} is not supported (only 0); received ${describe(momentumValue)}`);
  }
  return new RMSprop(positional(args, ['learningRate', 'rho', '', 'epsilon'], [decay, momentumValue, epsilon], 'rmsprop'));
}

/** adagrad(options) or adagrad(learningRate, initialAccumulatorValue). */
export function adagrad(args?: AdagradArgs | number, initialAccumulatorValue?: number): Adagrad {
  return new Adagrad(positional(args, ['learningRate', 'initialAccumulatorValue'], [initialAccumulatorValue], 'adagrad'));
}

/** An options object as given, or one built from TF.js' positional arguments (names '' are read and dropped). */
function positional<T>(args: T | number | undefined, names: string[], rest: (number | undefined)[], where: string): T | undefined {
  if (typeof args !== 'number') {
    if (rest.some((v) => v !== undefined)) throw new ValueError(`${where}: positional arguments follow a learning rate; received an options object first`);
    return args;
  }
  const values = [args, ...rest];
  if (values.length > names.length) throw new ValueError(`${where}: at most ${names.length} positional arguments (${names.filter(Boolean).join(', ')}); received ${values.length}`);
  const out: Record<string, number> = {};
  values.forEach((v, i) => {
    if (v !== undefined && names[i]) out[names[i]] = v;
  });
  return out as T;
}

const BY_NAME: Record<string, (args?: Record<string, unknown>) => Optimizer> = {
  sgd: (a) => new SGD(a), adam: (a) => new Adam(a), rmsprop: (a) => new RMSprop(a), adagrad: (a) => new Adagrad(a),
};

/** An optimizer option: an Optimizer, or a name with Keras' defaults ('sgd', 'adam', 'rmsprop', 'adagrad'). */
export function getOptimizer(value: unknown, where: string, config?: Record<string, unknown>): Optimizer {
  if (value instanceof Optimizer) return value;
  return lookUp(BY_NAME, value, 'optimizer', where)(config);
}
