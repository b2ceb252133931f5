// What GridSearchCV and RandomizedSearchCV share (scikit-learn's BaseSearchCV): every candidate
// scored by cross-validation on the same splits, a clone per candidate and split; cvResults with
// scikit-learn's keys in camelCase; the best candidate (the first of rank 1 by the refit scorer)
// refitted on all the data, and the search then predicting as it does.
import { residentBytes } from '../resident-bytes.js';
import { clone } from '../compose/clone.js';
import { packParts, readComposite, saveComposite, unpackParts, type StepEstimator } from '../compose/composite.js';
import { fromSpec, toSpec } from '../compose/spec.js';
import { FormatError, NotFittedError, ValueError, describe } from '../errors.js';
import { estimatorToBytes } from '../io/estimator-bytes.js';
import { RepeatedKFold, RepeatedStratifiedKFold } from './repeated-split.js';
import { ShuffleSplit, StratifiedShuffleSplit } from './shuffle-split.js';
import { GroupKFold, KFold, StratifiedKFold } from './splitters.js';
import { LeaveOneOut, LeavePOut } from './leave-one-out.js';
import { TimeSeriesSplit } from './time-series-split.js';
import { camelKey, scorersOf, type Scoring } from './cross-validate.js';
import { checkNJobs, fitAndScore } from './fit-and-score.js';
import { checkCv, checkEstimator, isClassifier, samplesOf } from './samples.js';
import type { Splitter } from './splitters.js';
import { CANCEL_OPTIONS, Cancellation, type CancelOptions } from '../cancel.js';
import { checkOptions } from '../options.js';

type Estimator = { fit(X: unknown, y?: unknown): Promise<unknown>; setParams(p: Record<string, unknown>): unknown };

export interface SearchOptions {
  estimator: unknown;
  /** A scorer (name or function; default the estimator's score), or several (names, or { name: scorer }; refit then names one). */
  scoring?: Scoring;
  /** Folds (default 5; stratified for a classifier) or a splitter. */
  cv?: number | Splitter;
  /** Refit the best candidate on all the data (default true); with several scorers, the scorer that picks it. */
  refit?: boolean | string;
  /** Score the training rows too (default false). */
  returnTrainScore?: boolean;
  /** The score of a candidate whose fit throws: a number (default NaN, with a warning) or 'raise'. */
  errorScore?: number | 'raise';
  /** Fit candidates × splits side by side on this many workers, each fit on one thread (−1: one per core; default 1). */
  nJobs?: number;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: readonly number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

/** scikit-learn's rankdata(−scores, method='min'): 1 for the best, ties sharing the smaller rank, NaN last. */
function ranks(scores: readonly number[]): number[] {
  if (scores.every(Number.isNaN)) return scores.map(() => 1);
  const low = Math.min(...scores.filter((s) => !Number.isNaN(s))) - 1;
  const v = scores.map((s) => (Number.isNaN(s) ? low : s));
  return v.map((s) => 1 + v.filter((t) => t > s).length);
}

/** The splitters a saved search may hold, by class name. */
const SPLITTERS = { KFold, StratifiedKFold, GroupKFold, ShuffleSplit, StratifiedShuffleSplit, RepeatedKFold, RepeatedStratifiedKFold, TimeSeriesSplit, LeaveOneOut, LeavePOut } as unknown as Record<string, new (o: unknown) => unknown>;

interface Fitted { results: Record<string, unknown[]>; index: number; refitKey: string; estimator?: unknown }

export abstract class SearchCV {
  protected o: SearchOptions;
  private state: Fitted | undefined;

  protected constructor(options: SearchOptions, own: readonly string[], protected readonly where: string) {
    if (options === null || typeof options !== 'object') throw new ValueError(`${where}: options must be { estimator, … }; received ${describe(options)}`);
    checkOptions<Record<string, unknown>>(options, ['estimator', 'scoring', 'cv', 'refit', 'returnTrainScore', 'errorScore', 'nJobs', ...own], where);
    checkNJobs(options.nJobs, where);
    if (typeof (options.estimator as Estimator)?.setParams !== 'function') throw new ValueError(`${where}: estimator must be an estimator (with fit and setParams); received ${describe(options.estimator)}`);
    checkEstimator(options.estimator, where);
    const { names, single } = scorersOf(options.scoring, where);
    const refit = options.refit ?? true;
    if (typeof refit !== 'boolean' && typeof refit !== 'string') throw new ValueError(`${where}: refit must be true, false or a scorer's name; received ${describe(refit)}`);
    if (!single && refit === true) throw new ValueError(`${where}: with several scorers refit must name the one that picks the best candidate (one of ${names.join(', ')}) or be false`);
    if (typeof refit === 'string' && (single || !names.includes(refit))) throw new ValueError(`${where}: refit '${refit}' must be one of the scorers' names${single ? ' (give scoring as a list or an object)' : `: ${names.join(', ')}`}`);
    if (options.returnTrainScore !== undefined && typeof options.returnTrainScore !== 'boolean') throw new ValueError(`${where}: returnTrainScore must be true or false; received ${describe(options.returnTrainScore)}`);
    const e = options.errorScore;
    if (e !== undefined && e !== 'raise' && typeof e !== 'number') throw new ValueError(`${where}: errorScore must be a number or 'raise'; received ${describe(e)}`);
    this.o = { ...options, refit };
  }

  /** The search's options (deep: with the estimator's own as 'estimator__<name>'), so that a search clones and nests in a cross-validation. */
  getParams(options: { deep?: boolean } = {}): Record<string, unknown> {
    const own: Record<string, unknown> = { ...this.o };
    const e = this.o.estimator as { getParams?(o?: { deep?: boolean }): Record<string, unknown> };
    if (options.deep !== false && e.getParams) for (const [k, v] of Object.entries(e.getParams({ deep: true }))) own[`estimator__${k}`] = v;
    return own;
  }

  /** Sets the search's own options; 'estimator__<name>' sets the estimator's. Returns this. */
  setParams(params: Record<string, unknown>): this {
    if (params === null || typeof params !== 'object') throw new ValueError(`${this.where}.setParams: expected an object of parameters; received ${describe(params)}`);
    const nested: Record<string, unknown> = {}, own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      if (k.startsWith('estimator__')) nested[k.slice('estimator__'.length)] = v;
      else own[k] = v;
    }
    if (Object.keys(nested).length) (this.o.estimator as Estimator).setParams(nested);
    if (Object.keys(own).length) {
      const Class = this.constructor as new (o: SearchOptions) => SearchCV;
      this.o = (new Class({ ...this.o, ...own } as SearchOptions) as unknown as { o: SearchOptions }).o;
    }
    return this;
  }

  /** The candidates' parameters, in the order they are scored. */
  protected abstract candidates(): Record<string, unknown>[];

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  /** Bytes the fitted search keeps: its results and the refitted best estimator; 0 before fit. */
  get memoryBytes(): number {
    return residentBytes(this.state);
  }

  /** Scores every candidate on every split, then (refit) fits the best on all of X. Returns this. */
  /** `signal` / `timeoutMs` stop the search (an AbortError; the search is left as it was), also inside a candidate's fit. */
  async fit(X: unknown, y: ArrayLike<unknown> | null = null, options: { groups?: ArrayLike<unknown> } & CancelOptions = {}): Promise<this> {
    const where = `${this.where}.fit`;
    checkOptions<Record<string, unknown>>(options, ['groups', ...CANCEL_OPTIONS], where);
    const cancel = Cancellation.of(options, where);
    const samples = samplesOf(X, y, where);
    const candidates = this.candidates();
    const splits = checkCv(this.o.cv, isClassifier(this.o.estimator), where).split(X, samples.labels, options.groups ?? null);
    const { names, scorers, single, transferable } = scorersOf(this.o.scoring, where);
    const tasks = candidates.flatMap((params) => splits.map(([train, test]) => ({ params, train, test })));
    const outcomes = await fitAndScore(this.o.estimator, samples, tasks, scorers,
      { returnTrainScore: this.o.returnTrainScore, errorScore: this.o.errorScore ?? NaN, nJobs: checkNJobs(this.o.nJobs, where), scoring: transferable, cancel });
    const k = splits.length;
    const per = <T>(f: (o: (typeof outcomes)[number]) => T) => candidates.map((_, c) => outcomes.slice(c * k, c * k + k).map(f));
    const fitTimes = per((o) => o.fitTime), scoreTimes = per((o) => o.scoreTime);
    const results: Record<string, unknown[]> = {
      meanFitTime: fitTimes.map(mean), stdFitTime: fitTimes.map(std), meanScoreTime: scoreTimes.map(mean), stdScoreTime: scoreTimes.map(std),
    };
    for (const key of [...new Set(candidates.flatMap((c) => Object.keys(c)))]) results[`param_${key}`] = candidates.map((c) => c[key]);
    results.params = candidates;
    names.forEach((name, s) => {
      const suffix = single ? 'Score' : camelKey(`_${name}`);
      for (const part of this.o.returnTrainScore ? ['Test', 'Train'] : ['Test']) {
        const scores = per((o) => (part === 'Test' ? o.test : o.train)[s]);
        splits.forEach((_, j) => (results[`split${j}${part}${suffix}`] = scores.map((v) => v[j])));
        results[`mean${part}${suffix}`] = scores.map(mean);
        results[`std${part}${suffix}`] = scores.map(std);
        if (part === 'Test') results[`rank${part}${suffix}`] = ranks(scores.map(mean));
      }
    });
    const refitKey = single ? 'Score' : camelKey(`_${typeof this.o.refit === 'string' ? this.o.refit : names[0]}`);
    const index = (results[`rankTest${refitKey}`] as number[]).indexOf(1);
    let estimator: unknown;
    if (this.o.refit !== false) {
      estimator = clone(this.o.estimator);
      (estimator as Estimator).setParams(candidates[index]);
      await cancel.fitInside(estimator, X, samples.labels ?? undefined);
      cancel.check();
    }
    this.state = { results, index, refitKey, estimator };
    return this;
  }

  private fitted(what: string): Fitted {
    if (!this.state) throw new NotFittedError(`${this.where}.${what} is not available before fit; call fit(X, y) first`);
    return this.state;
  }

  /** scikit-learn's cv_results_ with camelCase keys: params, param_<name>, split<k>TestScore, meanTestScore, stdTestScore, rankTestScore, fit and score times (with several scorers, Score becomes the scorer's name). */
  get cvResults(): Record<string, unknown[]> {
    return { ...this.fitted('cvResults').results };
  }

  get bestIndex(): number {
    return this.fitted('bestIndex').index;
  }

  get bestParams(): Record<string, unknown> {
    const f = this.fitted('bestParams');
    return { ...(f.results.params[f.index] as Record<string, unknown>) };
  }

  /** The best candidate's mean test score (by the refit scorer). */
  get bestScore(): number {
    const f = this.fitted('bestScore');
    return (f.results[`meanTest${f.refitKey}`] as number[])[f.index];
  }

  /** The best candidate refitted on all the data (refit). */
  get bestEstimator(): unknown {
    const f = this.fitted('bestEstimator');
    if (!f.estimator) throw new ValueError(`${this.where}.bestEstimator: the search ran with refit: false`);
    return f.estimator;
  }

  get className(): string {
    return this.where;
  }

  /** The fitted search as bytes: its options, cvResults, the best index and the refitted estimator (its own bytes). A scorer or parameter that is a function cannot be saved. */
  toBytes(): Uint8Array {
    const f = this.fitted('toBytes');
    let options, text;
    try {
      options = toSpec({ ...this.o });
      text = toSpec(Object.fromEntries(Object.entries(f.results).filter(([, v]) => !v.every((x) => typeof x === 'number'))));
    } catch (error) {
      throw new ValueError(`${this.where}.toBytes: ${(error as Error).message}, so the search cannot be saved`, { cause: error });
    }
    const numbers = Object.entries(f.results).filter(([, v]) => v.every((x) => typeof x === 'number'));
    const { lengths, arrays } = packParts([f.estimator as StepEstimator ?? null], ['bestEstimator'], `${this.where}.toBytes`);
    numbers.forEach(([k], i) => (arrays[`result${i}`] = Float64Array.from(f.results[k] as number[])));
    return estimatorToBytes({
      className: this.where, params: {},
      meta: { options, text, numbers: numbers.map(([k]) => k), index: f.index, refitKey: f.refitKey, lengths }, arrays,
    });
  }

  async save(path?: string): Promise<Uint8Array> {
    return saveComposite(this.toBytes(), path, this.where);
  }

  /** A search back from its bytes (for GridSearchCV.fromBytes and RandomizedSearchCV.fromBytes). */
  protected static restore<S extends SearchCV>(source: Uint8Array | ArrayBuffer | string, name: string, make: (o: SearchOptions) => S): S {
    const where = `${name}.fromBytes`;
    const saved = readComposite(source, name);
    const bad = (why = ''): never => { throw new FormatError(`${where}: the saved search is malformed${why}`); };
    const { options, text, numbers, index, refitKey, lengths } = saved.meta as Record<string, unknown>;
    if (!Array.isArray(numbers) || !numbers.every((k) => typeof k === 'string') || typeof refitKey !== 'string' || !Number.isInteger(index)) bad();
    if (!text || typeof text !== 'object' || Array.isArray(text)) bad();
    const [best] = unpackParts(lengths, ['bestEstimator'], saved.arrays, where);
    let search: S;
    let results: Record<string, unknown[]>;
    try {
      search = make(fromSpec(options, SPLITTERS) as SearchOptions);
      results = fromSpec(text, SPLITTERS) as Record<string, unknown[]>;
    } catch (error) {
      // Malformed options or results in any way: the file is at fault.
      return bad(`: ${(error as Error)?.message ?? String(error)}`);
    }
    (numbers as string[]).forEach((k, i) => {
      const a = saved.arrays[`result${i}`];
      if (!(a instanceof Float64Array)) bad();
      results[k] = Array.from(a as Float64Array);
    });
    const candidates = results.params;
    if (!Array.isArray(candidates) || (index as number) < 0 || (index as number) >= candidates.length || !Array.isArray(results[`meanTest${refitKey}`])) bad();
    for (const v of Object.values(results)) if (!Array.isArray(v) || v.length !== candidates.length) bad();
    search.state = { results, index: index as number, refitKey: refitKey as string, estimator: best ?? undefined };
    return search;
  }

  /** The column names of the data the search was fitted on (the best estimator's). */
  get featureNamesIn(): string[] | undefined {
    return (this.bestEstimator as { featureNamesIn?: string[] }).featureNamesIn;
  }

  get classes(): unknown {
    return (this.bestEstimator as { classes?: unknown }).classes;
  }

  private call(method: string, ...args: unknown[]): unknown {
    const e = this.bestEstimator as Record<string, (...a: unknown[]) => unknown>;
    if (typeof e[method] !== 'function') throw new ValueError(`${this.where}.${method}: the best estimator has no ${method}`);
    return e[method](...args);
  }

  predict(X: unknown): unknown { return this.call('predict', X); }
  predictProba(X: unknown): unknown { return this.call('predictProba', X); }
  predictLogProba(X: unknown): unknown { return this.call('predictLogProba', X); }
  decisionFunction(X: unknown): unknown { return this.call('decisionFunction', X); }
  transform(X: unknown): unknown { return this.call('transform', X); }
  score(X: unknown, y: unknown): unknown { return this.call('score', X, y); }
}
