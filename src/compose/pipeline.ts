// scikit-learn's Pipeline: named steps, each but the last a transformer (fit, then transform), the
// last any estimator; fit runs the data through the transformers into the last step, and every
// method of the last step (predict, predictProba, decisionFunction, transform, score) runs the
// data through the fitted transformers first. Parameters read and set with scikit-learn's
// double-underscore names ('svc__C'); a step may be 'passthrough'. A fitted pipeline saves and
// loads like any estimator: its steps' own bytes, one after another.
import { residentBytes } from '../resident-bytes.js';
import { Cancellation, type CancelOptions } from '../cancel.js';
import { FormatError, NotFittedError, ValueError, describe } from '../errors.js';
import { estimatorToBytes } from '../io/estimator-bytes.js';
import { className, has, namesFor, nestedParams, packParts, readComposite, saveComposite, setNestedParams, unpackParts, type StepEstimator } from './composite.js';

export type { StepEstimator };
export { clone } from './clone.js';

export type Step = [name: string, estimator: StepEstimator | 'passthrough' | null];

export interface PipelineOptions {
  /** [name, estimator] pairs, in order; 'passthrough' (or null) skips a step. */
  steps: Step[];
}

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

  /** Bytes the fitted steps keep (each step's memoryBytes); 0 before fit. */
  get memoryBytes(): number {
    return this.fittedFlag ? residentBytes(this.stepList.map(([, step]) => step)) : 0;
  }

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

  /**
   * Fits each transformer on the output of the ones before it, then the last step. Returns this.
   * `signal` / `timeoutMs` are checked between steps and handed to the last step's fit as a signal.
   */
  async fit(X: unknown, y?: unknown, options: CancelOptions = {}): Promise<this> {
    const cancel = Cancellation.of(options, 'Pipeline.fit');
    const Xt = await this.fitTransformers(X, y);
    cancel.check();
    const last = this.lastStep();
    if (last !== 'passthrough' && last !== null) {
      await cancel.fitInside(last, Xt, y);
    }
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

  predictLogProba(X: unknown): unknown {
    return this.lastCall('predictLogProba', X);
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
    return { steps: this.steps, ...(options.deep === false ? {} : nestedParams(this.stepList)) };
  }

  /** Sets 'steps', a step by name (an estimator or 'passthrough'), or a step's parameter as 'name__param'. Returns this. */
  setParams(params: Record<string, unknown>): this {
    if (params !== null && typeof params === 'object' && 'steps' in params) this.stepList = checkSteps(params.steps, 'Pipeline.setParams');
    setNestedParams(params, this.stepList.map(([n]) => n), (name) => this.stepList.find(([n]) => n === name)![1],
      (name, value) => {
        this.stepList = checkSteps(this.stepList.map(([n, e]) => [n, n === name ? (value as StepEstimator) : e]), 'Pipeline.setParams');
      }, 'Pipeline.setParams', ['steps']);
    return this;
  }

  /** The fitted pipeline as bytes: its step names and each step's own bytes. */
  toBytes(): Uint8Array {
    if (!this.fittedFlag) throw new NotFittedError('Pipeline.toBytes is not available before fit; call fit(X, y) first');
    const names = this.stepList.map(([n]) => n);
    const { lengths, arrays } = packParts(this.stepList.map(([, e]) => (e === 'passthrough' || e === null ? null : e)), names, 'Pipeline.toBytes');
    return estimatorToBytes({ className: 'Pipeline', params: {}, meta: { names, lengths }, arrays });
  }

  async save(path?: string): Promise<Uint8Array> {
    return saveComposite(this.toBytes(), path, 'Pipeline');
  }

  /** A pipeline from its bytes (or a file path), each step restored as its own class. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): Pipeline {
    const saved = readComposite(source, 'Pipeline');
    const where = 'Pipeline.fromBytes';
    const names = saved.meta.names;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) throw new FormatError(`${where}: the saved pipeline is malformed (its step names)`);
    const parts = unpackParts(saved.meta.lengths, names as string[], saved.arrays, where);
    let pipeline: Pipeline;
    try {
      pipeline = new Pipeline({ steps: (names as string[]).map((n, i) => [n, parts[i] ?? 'passthrough']) });
    } catch (error) {
      throw new FormatError(`${where}: the saved pipeline is malformed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    pipeline.fittedFlag = true;
    return pipeline;
  }
}

/** scikit-learn's make_pipeline: a Pipeline whose steps are named after their classes in lower case ('svc', 'standardscaler'; 'svc-1', 'svc-2' for repeats). */
export function makePipeline(...estimators: (StepEstimator | 'passthrough' | null)[]): Pipeline {
  const names = namesFor(estimators);
  return new Pipeline({ steps: estimators.map((e, i) => [names[i], e]) });
}
