// The one loop under every cross-validation routine (crossValScore, crossValidate, the searches,
// the learning and validation curves): for each task, a fresh clone of the estimator with the
// task's parameters, fitted on its training rows and scored by each scorer on its test rows (and
// its training rows if asked), timed.
import { clone } from '../compose/clone.js';
import { NotTransferable, toSpec, type Spec } from '../compose/spec.js';
import { Cancellation, fitWithSignal } from '../cancel.js';
import { AbortError, ValueError, describe } from '../errors.js';
import { canRunJobs, cores, runJobs } from './jobs.js';
import type { Scorable, Scorer } from '../scoring/scorers.js';
import { warn } from '../warnings.js';
import type { Samples } from './samples.js';

/** One fit: parameters to set on the clone, the rows it fits on and the rows it is scored on. */
export interface FitTask {
  params?: Record<string, unknown>;
  train: number[];
  test: number[];
}

export interface FitOutcome {
  /** One score per scorer, on the test rows. */
  test: number[];
  /** One score per scorer, on the training rows (returnTrainScore). */
  train: number[];
  /** Seconds. */
  fitTime: number;
  scoreTime: number;
  /** The fitted clone (keep). */
  estimator?: unknown;
  /** The fitted clone's answers for the test rows (predict) and its classes. */
  predictions?: unknown[];
  classes?: unknown[];
}

/** The method crossValPredict asks each fitted clone for. */
export type PredictMethod = 'predict' | 'predictProba' | 'decisionFunction';

export interface FitOptions {
  returnTrainScore?: boolean;
  /** Keep each fitted clone. */
  keep?: boolean;
  /** Ask each fitted clone for this method's answers on its test rows. */
  predict?: PredictMethod;
  /** The scores of a fit that throws (a warning says why), or 'raise' (default) to throw. */
  errorScore?: number | 'raise';
  /** Fits side by side on this many workers (−1: one per core; default 1). */
  nJobs?: number;
  /** The scorers by name (null: the estimator's own score) when all have one, for workers; null when one is a function. */
  scoring?: (string | null)[] | null;
  /** The caller's cancellation: checked between fits, and handed to each fit as a signal. */
  cancel?: Cancellation;
}

/** nJobs checked: an integer ≥ 1, or −1 for one per core. */
export function checkNJobs(nJobs: unknown, where: string): number {
  if (nJobs === undefined || nJobs === null) return 1;
  if (nJobs === -1) return cores();
  if (!Number.isSafeInteger(nJobs) || (nJobs as number) < 1) throw new ValueError(`${where}: nJobs must be an integer ≥ 1, or −1 for one per core; received ${describe(nJobs)}`);
  return nJobs as number;
}

/** Every class name in a spec (to check that workers know them). */
function classesIn(spec: unknown, out: string[] = []): string[] {
  if (Array.isArray(spec)) spec.forEach((s) => classesIn(s, out));
  else if (spec && typeof spec === 'object' && !ArrayBuffer.isView(spec)) {
    const e = spec as { estimator?: unknown; params?: unknown };
    if (typeof e.estimator === 'string' && e.params && typeof e.params === 'object') out.push(e.estimator);
    Object.values(spec).forEach((s) => classesIn(s, out));
  }
  return out;
}

/** The tasks run on workers, or undefined (with the reason warned once) where they cannot be. */
async function onWorkers(estimator: unknown, samples: Samples, tasks: readonly FitTask[], options: FitOptions): Promise<FitOutcome[] | undefined> {
  const why = (reason: string) => {
    warn('runtime', `nJobs: ${reason}; the fits run one at a time`);
    return undefined;
  };
  if (!canRunJobs()) return why('this runtime cannot start workers');
  if (!options.scoring) return why('a scorer given as a function cannot be sent to a worker (name a scorer instead)');
  let spec: Spec;
  try {
    spec = toSpec(estimator);
  } catch (error) {
    if (error instanceof NotTransferable) return why(error.message);
    throw error;
  }
  // The one load knows every class; imported here only, so that a family's bundle does not carry them all.
  const { estimatorClass, estimatorFrom } = await import('../load.js');
  const unknown = classesIn(spec).filter((name) => { try { estimatorClass(name); return false; } catch { return true; } });
  if (unknown.length) return why(`${unknown[0]} is not a class wasmlearn's workers know`);
  return runJobs({
    estimator: spec, X: samples.rows(Array.from({ length: samples.n }, (_, i) => i)), y: samples.labels, scoring: options.scoring,
    returnTrainScore: !!options.returnTrainScore, keep: !!options.keep, predict: options.predict ?? null, errorScore: options.errorScore ?? 'raise',
    cancel: options.cancel, warnFailure: (task, message) => warnFailure(task, options.errorScore as number, message), restore: estimatorFrom,
  }, tasks, options.nJobs!);
}

function warnFailure(task: Pick<FitTask, 'params'>, errorScore: number, message: string): void {
  warn('data', `a fit failed${task.params ? ` with parameters ${JSON.stringify(task.params)}` : ''}; its scores are set to errorScore = ${errorScore}: ${message}`);
}

type Fittable = Scorable & { fit(X: unknown, y?: unknown, options?: { signal?: AbortSignal }): Promise<unknown>; setParams?(p: Record<string, unknown>): unknown };

/** A clone of the estimator with the task's parameters, fitted on its training rows. */
export async function fitClone(estimator: unknown, samples: Samples, task: Pick<FitTask, 'params' | 'train'>, signal?: AbortSignal): Promise<Fittable> {
  const e = clone(estimator) as Fittable;
  if (task.params && Object.keys(task.params).length) e.setParams!(task.params);
  await fitWithSignal(e, samples.rows(task.train), samples.targets(task.train), signal);
  return e;
}

/** A fitted clone's answers by `method` for the task's test rows, and its classes (crossValPredict). */
export function predictFitted(e: Scorable, samples: Samples, task: FitTask, method: PredictMethod): { predictions: unknown[]; classes?: unknown[] } {
  const f = (e as unknown as Record<string, (X: unknown) => unknown>)[method];
  if (typeof f !== 'function') throw new ValueError(`crossValPredict: the estimator has no ${method}`);
  const predictions = Array.from(f.call(e, samples.rows(task.test)) as ArrayLike<unknown>);
  const classes = e.classes ? Array.from(e.classes) : undefined;
  return { predictions, classes };
}

/** A fitted clone's scores on the task's test rows (and training rows if asked), with the seconds scoring took. */
export function scoreFitted(e: Scorable, samples: Samples, task: FitTask, scorers: readonly Scorer[], returnTrainScore: boolean): { test: number[]; train: number[]; scoreTime: number } {
  const t1 = performance.now();
  const score = (rows: number[]) => {
    const X = samples.rows(rows), y = (samples.targets(rows) ?? []) as unknown[];
    return scorers.map((s) => s(e, X, y));
  };
  const test = score(task.test);
  const scoreTime = (performance.now() - t1) / 1000;
  return { test, train: returnTrainScore ? score(task.train) : [], scoreTime };
}

/**
 * Each task's scores, in task order (on nJobs workers when asked and possible). A fit that throws
 * scores errorScore when it is a number; a scorer that throws is a mistake and throws (as
 * scikit-learn's).
 */
export async function fitAndScore(estimator: unknown, samples: Samples, tasks: readonly FitTask[], scorers: readonly Scorer[], options: FitOptions = {}): Promise<FitOutcome[]> {
  const cancel = options.cancel ?? Cancellation.none();
  if ((options.nJobs ?? 1) > 1 && tasks.length > 1) {
    const done = await onWorkers(estimator, samples, tasks, options);
    if (done) return done;
  }
  const out: FitOutcome[] = [];
  let failures = 0;
  const inner = cancel.linked();
  try {
  for (const task of tasks) {
    await cancel.tick();
    const t0 = performance.now();
    let e: Fittable;
    try {
      e = await fitClone(estimator, samples, task, inner.signal);
    } catch (error) {
      // A cancelled call stops here, whichever fit noticed first.
      cancel.check();
      if (error instanceof AbortError) throw error;
      // Every fit failing is a mistake to report, not a score (scikit-learn raises then too).
      if (options.errorScore === undefined || options.errorScore === 'raise' || ++failures === tasks.length) throw error;
      warnFailure(task, options.errorScore, (error as Error).message);
      const none = scorers.map(() => options.errorScore as number);
      out.push({ test: none, train: options.returnTrainScore ? none : [], fitTime: (performance.now() - t0) / 1000, scoreTime: 0 });
      continue;
    }
    const fitTime = (performance.now() - t0) / 1000;
    out.push({
      ...scoreFitted(e, samples, task, scorers, !!options.returnTrainScore), fitTime, estimator: options.keep ? e : undefined,
      ...(options.predict ? predictFitted(e, samples, task, options.predict) : {}),
    });
  }
  } finally {
    inner.dispose();
  }
  return out;
}
