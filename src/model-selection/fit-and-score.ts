// The one loop under every cross-validation routine (crossValScore, crossValidate, the searches,
// the learning and validation curves): for each task, a fresh clone of the estimator with the
// task's parameters, fitted on its training rows and scored by each scorer on its test rows (and
// its training rows if asked), timed.
import { clone } from '../compose/clone.js';
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
}

export interface FitOptions {
  returnTrainScore?: boolean;
  /** Keep each fitted clone. */
  keep?: boolean;
  /** The scores of a fit that throws (a warning says why), or 'raise' (default) to throw. */
  errorScore?: number | 'raise';
}

type Fittable = Scorable & { fit(X: unknown, y?: unknown): Promise<unknown>; setParams?(p: Record<string, unknown>): unknown };

/** A clone of the estimator with the task's parameters, fitted on its training rows. */
export async function fitClone(estimator: unknown, samples: Samples, task: Pick<FitTask, 'params' | 'train'>): Promise<Fittable> {
  const e = clone(estimator) as Fittable;
  if (task.params && Object.keys(task.params).length) e.setParams!(task.params);
  await e.fit(samples.rows(task.train), samples.targets(task.train));
  return e;
}

/** Each task's scores, in task order. */
export async function fitAndScore(estimator: unknown, samples: Samples, tasks: readonly FitTask[], scorers: readonly Scorer[], options: FitOptions = {}): Promise<FitOutcome[]> {
  const out: FitOutcome[] = [];
  let failures = 0;
  for (const task of tasks) {
    const t0 = performance.now();
    let e: Fittable;
    try {
      e = await fitClone(estimator, samples, task);
    } catch (error) {
      // Every fit failing is a mistake to report, not a score (scikit-learn raises then too).
      if (options.errorScore === undefined || options.errorScore === 'raise' || ++failures === tasks.length) throw error;
      warn('data', `a fit failed${task.params ? ` with parameters ${JSON.stringify(task.params)}` : ''}; its scores are set to errorScore = ${options.errorScore}: ${(error as Error).message}`);
      const none = scorers.map(() => options.errorScore as number);
      out.push({ test: none, train: options.returnTrainScore ? none : [], fitTime: (performance.now() - t0) / 1000, scoreTime: 0 });
      continue;
    }
    const t1 = performance.now();
    const score = (rows: number[]) => {
      const X = samples.rows(rows), y = (samples.targets(rows) ?? []) as unknown[];
      return scorers.map((s) => s(e, X, y));
    };
    const test = score(task.test);
    const t2 = performance.now();
    const train = options.returnTrainScore ? score(task.train) : [];
    out.push({ test, train, fitTime: (t1 - t0) / 1000, scoreTime: (t2 - t1) / 1000, estimator: options.keep ? e : undefined });
  }
  return out;
}
