// scikit-learn's Pipeline: named steps, each but the last a transformer (fit, then transform), the
// last any estimator; fit runs the data through the transformers into the last step, and every
// method of the last step (predict, predictProba, decisionFunction, transform, score) runs the
// data through the fitted transformers first. Parameters read and set with scikit-learn's
// double-underscore names ('svc__C'); a step may be 'passthrough'. A fitted pipeline saves and
// loads like any estimator: its steps' own bytes, one after another.
import { FormatError, NotFittedError, ValueError, WasmlearnError, describe } from '../errors.js';
import { estimatorFromBytes, estimatorToBytes } from '../io/estimator-bytes.js';
import { readFileBytes, writeFileBytes } from '../io/files.js';

/** What a step must be: an estimator with fit (and, before the last, transform). */
export interface StepEstimator {
  fit(X: unknown, y?: unknown): Promise<unknown>;
  getParams?(options?: { deep?: boolean }): Record<string, unknown>;
  setParams?(params: Record<string, unknown>): unknown;
  toBytes?(): Uint8Array;
  readonly isFitted?: boolean;
}

export type Step = [name: string, estimator: StepEstimator | 'passthrough' | null];

export interface PipelineOptions {
  /** [name, estimator] pairs, in order; 'passthrough' (or null) skips a step. */
  steps: Step[];
}

/** Restores a step from its bytes (set by load.ts, which knows every class). */
let restoreStep: ((bytes: Uint8Array) => StepEstimator) | undefined;

/** @internal load.ts installs the function that restores any estimator from bytes. */
export function setStepRestorer(fn: (bytes: Uint8Array) => StepEstimator): void {
  restoreStep = fn;
}

/** An estimator's class name: its own className (estimators and models have one), else its constructor's. */
const className = (e: unknown): string => (e as { className?: string })?.className ?? (e as { constructor?: { name?: string } })?.constructor?.name ?? typeof e;
const has = (e: unknown, method: string): boolean => typeof (e as Record<string, unknown>)?.[method] === 'function';

function checkSteps(steps: unknown, where: string): Step[] {
  if (!Array.isArray(steps) || steps.length === 0) throw new ValueError(`${where}: steps must be a non-empty array of [name, estimator] pairs; received ${describe(steps)}`);
  const names = new Set<string>();
  steps.forEach((step, i) => {
    if (!Array.isArray(step) || step.length !== 2 || typeof step[0] !== 'string' || step[0] === '') {
      throw new ValueError(`${where}: step ${i} must be a [name, estimator] pair with a non-empty name; received ${describe(step)}`);
    }
    const [name, estimator] = step as [string, unknown];
    if (name.includes('__')) throw new ValueError(`${where}: step name '${name}' contains '__', which separates a step's name from its parameters`);
    if (names.has(name)) throw new ValueError(`${where}: two steps are named '${name}'; names must be unique`);
    names.add(name);
    if (estimator === 'passthrough' || estimator === null) return;
    if (!has(estimator, 'fit')) throw new ValueError(`${where}: step '${name}' must be an estimator (with fit) or 'passthrough'; received ${describe(estimator)}`);
    if (i < steps.length - 1 && !has(estimator, 'transform')) {
      throw new ValueError(`${where}: step '${name}' (${className(estimator)}) is not the last, so it must be a transformer (with transform); received one without`);
    }
  });
  return steps.map(([n, e]) => [n, e] as Step);
}

/** A chain of transformers ending in any estimator, used as one estimator. */
export class Pipeline {
  private stepList: Step[];
  private fittedFlag = false;

  constructor(options: PipelineOptions) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(`Pipeline: options must be { steps }; received ${describe(options)}`);
    const unknown = Object.keys(options).filter((k) => k !== 'steps');
    if (unknown.length) throw new ValueError(`Pipeline: unknown option '${unknown[0]}'; known options are steps`);
    this.stepList = checkSteps(options.steps, 'Pipeline');
  }

  /** The [name, estimator] pairs. */
  get steps(): Step[] {
    return this.stepList.map(([n, e]) => [n, e]);
  }

  /** The steps by name (scikit-learn's named_steps). */
  get namedSteps(): Record<string, StepEstimator | 'passthrough' | null> {
    return Object.fromEntries(this.stepList);
  }

  get length(): number {
    return this.stepList.length;
  }

  get isFitted(): boolean {
    return this.fittedFlag;
  }

  /** A step by index (negative from the end) or name. */
  get(at: number | string): StepEstimator | 'passthrough' | null {
    const i = typeof at === 'number' ? (at < 0 ? this.stepList.length + at : at) : this.stepList.findIndex(([n]) => n === at);
    if (!Number.isInteger(i) || i < 0 || i >= this.stepList.length) throw new ValueError(`Pipeline.get: no step ${describe(at)}; the steps are ${this.stepList.map(([n]) => n).join(', ')}`);
    return this.stepList[i][1];
  }

  /** The pipeline of steps [start, end) (scikit-learn's pipe[start:end]), sharing the estimators. */
  slice(start = 0, end = this.stepList.length): Pipeline {
    const part = new Pipeline({ steps: this.stepList.slice(start, end) });
    part.fittedFlag = this.fittedFlag;
    return part;
  }

  private lastStep(): StepEstimator | 'passthrough' | null {
    return this.stepList[this.stepList.length - 1][1];
  }

  /** Fits each transformer on the output of the ones before it, then the last step. Returns this. */
  async fit(X: unknown, y?: unknown): Promise<this> {
    const Xt = await this.fitTransformers(X, y);
    const last = this.lastStep();
    if (last !== 'passthrough' && last !== null) await last.fit(Xt, y);
    this.fittedFlag = true;
    return this;
  }

  private async fitTransformers(X: unknown, y: unknown): Promise<unknown> {
    let Xt = X;
    for (const [, step] of this.stepList.slice(0, -1)) {
      if (step === 'passthrough' || step === null) continue;
      const s = step as StepEstimator & { fitTransform?: (x: unknown, y?: unknown) => Promise<unknown>; transform(x: unknown): unknown };
      Xt = has(s, 'fitTransform') ? await s.fitTransform!(Xt, y) : (await s.fit(Xt, y), s.transform(Xt));
    }
    return Xt;
  }

  /** X through the fitted transformers (all but the last step). */
  private through(X: unknown, method: string): unknown {
    if (!this.fittedFlag) throw new NotFittedError(`Pipeline.${method} is not available before fit; call fit(X, y) first`);
    let Xt = X;
    for (const [, step] of this.stepList.slice(0, -1)) {
      if (step !== 'passthrough' && step !== null) Xt = (step as unknown as { transform(x: unknown): unknown }).transform(Xt);
    }
    return Xt;
  }

  /** Calls the last step's method on X run through the transformers. */
  private lastCall(method: string, X: unknown, ...rest: unknown[]): unknown {
    const Xt = this.through(X, method);
    const last = this.lastStep();
    if (last === 'passthrough' || last === null) {
      if (method === 'transform') return Xt;
      throw new ValueError(`Pipeline.${method}: the last step is 'passthrough', which has no ${method}`);
    }
    if (!has(last, method)) throw new ValueError(`Pipeline.${method}: the last step '${this.stepList[this.stepList.length - 1][0]}' (${className(last)}) has no ${method}`);
    return (last as unknown as Record<string, (...a: unknown[]) => unknown>)[method](Xt, ...rest);
  }

  predict(X: unknown): unknown {
    return this.lastCall('predict', X);
  }

  predictProba(X: unknown): unknown {
    return this.lastCall('predictProba', X);
  }

  decisionFunction(X: unknown): unknown {
    return this.lastCall('decisionFunction', X);
  }

  transform(X: unknown): unknown {
    return this.lastCall('transform', X);
  }

  score(X: unknown, y: unknown): unknown {
    return this.lastCall('score', X, y);
  }

  async fitTransform(X: unknown, y?: unknown): Promise<unknown> {
    await this.fit(X, y);
    return this.transform(X);
  }

  /** The last step's classes (a classifier's). */
  get classes(): unknown {
    const last = this.lastStep() as unknown as { classes?: unknown };
    if (!this.fittedFlag) throw new NotFittedError('Pipeline: classes is not available before fit; call fit(X, y) first');
    if (last === null || typeof last !== 'object' || !('classes' in last)) throw new ValueError(`Pipeline: the last step (${className(last)}) has no classes`);
    return last.classes;
  }

  /** The names of fit's columns, as the first step kept them. */
  get featureNamesIn(): string[] | undefined {
    const first = this.stepList.find(([, e]) => e !== 'passthrough' && e !== null)?.[1] as { featureNamesIn?: string[] } | undefined;
    return first?.featureNamesIn;
  }

  /** The output names of the last transformer, through every step (each step's getFeatureNamesOut). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    if (!this.fittedFlag) throw new NotFittedError('Pipeline.getFeatureNamesOut is not available before fit; call fit(X, y) first');
    let names = inputFeatures ? [...inputFeatures] : undefined;
    for (const [name, step] of this.stepList) {
      if (step === 'passthrough' || step === null) continue;
      if (!has(step, 'getFeatureNamesOut')) throw new ValueError(`Pipeline.getFeatureNamesOut: step '${name}' (${className(step)}) does not name its outputs`);
      names = (step as unknown as { getFeatureNamesOut(n?: string[]): string[] }).getFeatureNamesOut(names);
    }
    return names ?? [];
  }

  /**
   * The parameters: steps, each step by name and (deep, the default) each step's own as
   * 'name__param', as scikit-learn's get_params.
   */
  getParams(options: { deep?: boolean } = {}): Record<string, unknown> {
    const out: Record<string, unknown> = { steps: this.steps };
    if (options.deep === false) return out;
    for (const [name, step] of this.stepList) {
      out[name] = step;
      if (step && step !== 'passthrough' && step.getParams) for (const [k, v] of Object.entries(step.getParams({ deep: true }))) out[`${name}__${k}`] = v;
    }
    return out;
  }

  /** Sets 'steps', a step by name (an estimator or 'passthrough'), or a step's parameter as 'name__param'. Returns this. */
  setParams(params: Record<string, unknown>): this {
    if (params === null || typeof params !== 'object') throw new ValueError(`Pipeline.setParams: expected an object of parameters; received ${describe(params)}`);
    if ('steps' in params) this.stepList = checkSteps(params.steps, 'Pipeline.setParams');
    const nested = new Map<string, Record<string, unknown>>();
    for (const [key, value] of Object.entries(params)) {
      if (key === 'steps') continue;
      const [name, ...rest] = key.split('__');
      const i = this.stepList.findIndex(([n]) => n === name);
      if (i < 0) throw new ValueError(`Pipeline.setParams: no step '${name}' (in '${key}'); the steps are ${this.stepList.map(([n]) => n).join(', ')}`);
      if (rest.length === 0) {
        const steps = this.steps;
        steps[i] = [name, value as StepEstimator];
        this.stepList = checkSteps(steps, 'Pipeline.setParams');
      } else nested.set(name, { ...nested.get(name), [rest.join('__')]: value });
    }
    for (const [name, values] of nested) {
      const step = this.stepList.find(([n]) => n === name)![1];
      if (!step || step === 'passthrough' || !step.setParams) throw new ValueError(`Pipeline.setParams: step '${name}' has no parameters to set`);
      step.setParams(values);
    }
    return this;
  }

  /** The fitted pipeline as bytes: its step names and each step's own bytes. */
  toBytes(): Uint8Array {
    if (!this.fittedFlag) throw new NotFittedError('Pipeline.toBytes is not available before fit; call fit(X, y) first');
    const arrays: Record<string, Int32Array> = {};
    const steps = this.stepList.map(([name, step], i) => {
      if (step === 'passthrough' || step === null) return { name, step: 'passthrough' };
      if (!step.toBytes) throw new ValueError(`Pipeline.toBytes: step '${name}' (${className(step)}) cannot be saved`);
      const bytes = step.toBytes();
      const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
      padded.set(bytes);
      arrays[`step${i}`] = new Int32Array(padded.buffer);
      return { name, length: bytes.length };
    });
    return estimatorToBytes({ className: 'Pipeline', params: {}, meta: { steps }, arrays });
  }

  async save(path?: string): Promise<Uint8Array> {
    const bytes = this.toBytes();
    if (path !== undefined) writeFileBytes(path, bytes, 'Pipeline.save');
    return bytes;
  }

  /** A pipeline from its bytes (or a file path), each step restored as its own class. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): Pipeline {
    const bytes = typeof source === 'string' ? readFileBytes(source, 'Pipeline.load') : source;
    const saved = estimatorFromBytes(bytes, 'Pipeline');
    const where = 'Pipeline.fromBytes';
    const bad = (why: string): never => { throw new FormatError(`${where}: the saved pipeline is malformed (${why})`); };
    const steps = saved.meta.steps;
    if (!Array.isArray(steps) || steps.length === 0) bad('no steps');
    const list = (steps as Record<string, unknown>[]).map((s, i): Step => {
      if (s === null || typeof s !== 'object' || typeof s.name !== 'string') return bad(`step ${i}`);
      if (s.step === 'passthrough') return [s.name, 'passthrough'];
      const array = saved.arrays[`step${i}`];
      if (!(array instanceof Int32Array) || !Number.isInteger(s.length) || (s.length as number) < 0 || (s.length as number) > array.byteLength) return bad(`step ${i}'s bytes`);
      try {
        if (!restoreStep) throw new ValueError(`${where}: restoring steps needs wasmlearn's load (import anything from 'wasmlearn', the root, first)`);
        return [s.name, restoreStep(new Uint8Array(array.buffer, array.byteOffset, s.length as number).slice())];
      } catch (error) {
        if (error instanceof WasmlearnError) throw new FormatError(`${where}: step '${s.name}': ${error.message}`, { cause: error });
        throw error;
      }
    });
    let pipeline: Pipeline;
    try {
      pipeline = new Pipeline({ steps: list });
    } catch (error) {
      return bad(error instanceof Error ? error.message : String(error));
    }
    pipeline.fittedFlag = true;
    return pipeline;
  }
}

/** scikit-learn's make_pipeline: a Pipeline whose steps are named after their classes in lower case ('svc', 'standardscaler'; 'svc-1', 'svc-2' for repeats). */
export function makePipeline(...estimators: (StepEstimator | 'passthrough' | null)[]): Pipeline {
  const names = estimators.map((e) => (e === 'passthrough' || e === null ? 'passthrough' : className(e).toLowerCase()));
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const seen = new Map<string, number>();
  const unique = names.map((n) => {
    if (counts.get(n)! === 1) return n;
    seen.set(n, (seen.get(n) ?? 0) + 1);
    return `${n}-${seen.get(n)}`;
  });
  return new Pipeline({ steps: estimators.map((e, i) => [unique[i], e]) });
}

/**
 * A new, unfitted estimator with the same parameters (scikit-learn's clone): a pipeline's steps
 * cloned in turn. What a search fits on each fold.
 */
export function clone<E>(estimator: E): E {
  if (estimator instanceof Pipeline) {
    return new Pipeline({ steps: estimator.steps.map(([n, e]) => [n, e === 'passthrough' || e === null ? e : clone(e)]) }) as E;
  }
  const e = estimator as unknown as { getParams?: () => Record<string, unknown>; constructor: new (options: unknown) => E };
  if (estimator === null || typeof estimator !== 'object' || typeof e.getParams !== 'function') {
    throw new ValueError(`clone: expected an estimator (with getParams); received ${describe(estimator)}`);
  }
  return new e.constructor(e.getParams());
}
