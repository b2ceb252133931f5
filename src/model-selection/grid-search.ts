// scikit-learn's GridSearchCV: every combination of the grid's values (keys in sorted order, the
// last varying fastest; a list of grids one after the other) scored by cross-validation on the same
// splits, a clone of the estimator per candidate and split; cvResults with scikit-learn's keys in
// camelCase; the best candidate (the first of rank 1) refitted on all the data.
import { clone } from '../compose/pipeline.js';
import { NotFittedError, ValueError, describe } from '../errors.js';
import { getScorer, type Scorer } from '../scoring/scorers.js';
import { checkCv, checkedLabels, isClassifier, takeRows } from './cross-val-score.js';
import type { Splitter } from './splitters.js';

type Estimator = { fit(X: unknown, y?: unknown): Promise<unknown>; setParams(p: Record<string, unknown>): unknown; score?(X: unknown, y: unknown): unknown };
export type ParamGrid = Record<string, readonly unknown[]>;

export interface GridSearchOptions {
  estimator: unknown;
  /** Values to try per parameter (scikit-learn's names: 'svc__C'), or a list of such grids. */
  paramGrid: ParamGrid | ParamGrid[];
  /** A scorer's name or function (default: the estimator's score). */
  scoring?: string | Scorer;
  /** Folds (default 5; stratified for a classifier) or a splitter. */
  cv?: number | Splitter;
  /** Refit the best candidate on all the data (default true). */
  refit?: boolean;
  /** Score the training rows too (trainScore keys in cvResults; default false). */
  returnTrainScore?: boolean;
}

/** Every combination of a grid, as scikit-learn's ParameterGrid lists them. */
export function parameterGrid(grid: ParamGrid | ParamGrid[], where: string): Record<string, unknown>[] {
  const grids = Array.isArray(grid) ? grid : [grid];
  if (grids.length === 0) throw new ValueError(`${where}: paramGrid is empty`);
  return grids.flatMap((g, i) => {
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new ValueError(`${where}: paramGrid${Array.isArray(grid) ? `[${i}]` : ''} must be an object of value lists; received ${describe(g)}`);
    const keys = Object.keys(g).sort();
    for (const k of keys) {
      if (!Array.isArray(g[k]) || g[k].length === 0) throw new ValueError(`${where}: paramGrid's '${k}' must be a non-empty array of values; received ${describe(g[k])}`);
    }
    let combos: Record<string, unknown>[] = [{}];
    for (const k of keys) combos = combos.flatMap((c) => g[k].map((v) => ({ ...c, [k]: v })));
    return combos;
  });
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: readonly number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

/** scikit-learn's rankdata(-scores, method='min'): 1 for the best, ties sharing the smaller rank. */
function ranks(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((t) => t > s).length);
}

/** Cross-validated search over a grid of parameters. */
export class GridSearchCV {
  private readonly o: Required<Omit<GridSearchOptions, 'scoring' | 'cv'>> & Pick<GridSearchOptions, 'scoring' | 'cv'>;
  private results: Record<string, unknown[]> | undefined;
  private best: { index: number; estimator?: unknown } | undefined;

  constructor(options: GridSearchOptions) {
    if (options === null || typeof options !== 'object') throw new ValueError(`GridSearchCV: options must be { estimator, paramGrid, … }; received ${describe(options)}`);
    const known = ['estimator', 'paramGrid', 'scoring', 'cv', 'refit', 'returnTrainScore'];
    for (const k of Object.keys(options)) if (!known.includes(k)) throw new ValueError(`GridSearchCV: unknown option '${k}'; known options are ${known.join(', ')}`);
    if (typeof (options.estimator as Estimator)?.fit !== 'function' || typeof (options.estimator as Estimator)?.setParams !== 'function') {
      throw new ValueError(`GridSearchCV: estimator must be an estimator (with fit and setParams); received ${describe(options.estimator)}`);
    }
    parameterGrid(options.paramGrid, 'GridSearchCV');
    getScorer(options.scoring, 'GridSearchCV');
    for (const k of ['refit', 'returnTrainScore'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new ValueError(`GridSearchCV: ${k} must be true or false; received ${describe(options[k])}`);
    }
    this.o = { refit: true, returnTrainScore: false, ...options };
  }

  get isFitted(): boolean {
    return this.results !== undefined;
  }

  /** Scores every candidate on every split, then (refit) fits the best on all of X. Returns this. */
  async fit(X: unknown, y: ArrayLike<unknown> | null = null, options: { groups?: ArrayLike<unknown> } = {}): Promise<this> {
    const where = 'GridSearchCV.fit';
    const { labels } = checkedLabels(X, y, where);
    const candidates = parameterGrid(this.o.paramGrid, where);
    const splitter = checkCv(this.o.cv, isClassifier(this.o.estimator), where);
    const splits = splitter.split(X, labels, options.groups ?? null);
    const scorer = getScorer(this.o.scoring, where);
    const rowsOf = (idx: number[]) => [takeRows(X, idx, `${where}: X`), labels ? idx.map((i) => labels[i]) : undefined] as const;
    const parts = splits.map(([train, test]) => ({ train: rowsOf(train), test: rowsOf(test) }));
    const test: number[][] = [], train: number[][] = [], fitTimes: number[][] = [], scoreTimes: number[][] = [];
    for (const params of candidates) {
      const t: number[] = [], tr: number[] = [], ft: number[] = [], st: number[] = [];
      for (const part of parts) {
        const e = clone(this.o.estimator) as Estimator;
        e.setParams(params);
        const t0 = performance.now();
        await e.fit(part.train[0], part.train[1]);
        const t1 = performance.now();
        t.push(scorer(e as never, part.test[0], (part.test[1] ?? []) as unknown[]));
        st.push((performance.now() - t1) / 1000);
        ft.push((t1 - t0) / 1000);
        if (this.o.returnTrainScore) tr.push(scorer(e as never, part.train[0], (part.train[1] ?? []) as unknown[]));
      }
      test.push(t); train.push(tr); fitTimes.push(ft); scoreTimes.push(st);
    }
    const meanTest = test.map(mean);
    const results: Record<string, unknown[]> = {
      params: candidates,
      meanFitTime: fitTimes.map(mean), stdFitTime: fitTimes.map(std), meanScoreTime: scoreTimes.map(mean), stdScoreTime: scoreTimes.map(std),
      ...Object.fromEntries(splits.map((_, k) => [`split${k}TestScore`, test.map((s) => s[k])])),
      meanTestScore: meanTest, stdTestScore: test.map(std), rankTestScore: ranks(meanTest),
    };
    for (const key of [...new Set(candidates.flatMap((c) => Object.keys(c)))]) results[`param_${key}`] = candidates.map((c) => c[key]);
    if (this.o.returnTrainScore) {
      splits.forEach((_, k) => (results[`split${k}TrainScore`] = train.map((s) => s[k])));
      results.meanTrainScore = train.map(mean);
      results.stdTrainScore = train.map(std);
    }
    const rank = results.rankTestScore as number[];
    const index = rank.indexOf(1);
    let estimator: unknown;
    if (this.o.refit) {
      estimator = clone(this.o.estimator);
      (estimator as Estimator).setParams(candidates[index]);
      await (estimator as Estimator).fit(X, labels ?? undefined);
    }
    this.results = results;
    this.best = { index, estimator };
    return this;
  }

  private fitted(what: string): { results: Record<string, unknown[]>; best: { index: number; estimator?: unknown } } {
    if (!this.results || !this.best) throw new NotFittedError(`GridSearchCV.${what} is not available before fit; call fit(X, y) first`);
    return { results: this.results, best: this.best };
  }

  /** scikit-learn's cv_results_ with camelCase keys: params, split<k>TestScore, meanTestScore, stdTestScore, rankTestScore, fit and score times, param_<name>. */
  get cvResults(): Record<string, unknown[]> {
    return { ...this.fitted('cvResults').results };
  }

  get bestIndex(): number {
    return this.fitted('bestIndex').best.index;
  }

  get bestParams(): Record<string, unknown> {
    const f = this.fitted('bestParams');
    return { ...(f.results.params[f.best.index] as Record<string, unknown>) };
  }

  get bestScore(): number {
    const f = this.fitted('bestScore');
    return (f.results.meanTestScore as number[])[f.best.index];
  }

  /** The best candidate refitted on all the data (refit: true). */
  get bestEstimator(): unknown {
    const f = this.fitted('bestEstimator');
    if (!f.best.estimator) throw new ValueError('GridSearchCV.bestEstimator: the search ran with refit: false');
    return f.best.estimator;
  }

  private call(method: string, ...args: unknown[]): unknown {
    const e = this.bestEstimator as Record<string, (...a: unknown[]) => unknown>;
    if (typeof e[method] !== 'function') throw new ValueError(`GridSearchCV.${method}: the best estimator has no ${method}`);
    return e[method](...args);
  }

  predict(X: unknown): unknown { return this.call('predict', X); }
  predictProba(X: unknown): unknown { return this.call('predictProba', X); }
  decisionFunction(X: unknown): unknown { return this.call('decisionFunction', X); }
  transform(X: unknown): unknown { return this.call('transform', X); }
  score(X: unknown, y: unknown): unknown { return this.call('score', X, y); }
}
