// Fits side by side (nJobs): workers, each with its own wasmlearn on one thread, take the fits of
// a search or cross-validation one at a time as they finish the last — for the small data sets
// searches are common on, far better than threading each fit. Workers start on first use and
// stay for the next run (unref'd in Node and Deno, so a script still ends when its work does); a
// worker that dies fails the run with an error naming it, and the next run starts fresh ones.
import type { Cancellation } from '../cancel.js';
import * as errors from '../errors.js';
import { WasmlearnError } from '../errors.js';
import type { Spec } from '../compose/spec.js';
import { nodeModule, runtimeName } from '../runtime/platform.js';
import type { FitOutcome, FitTask, PredictMethod } from './fit-and-score.js';

export type JobRequest =
  | { type: 'run'; runId: number; estimator: Spec; X: unknown; y: unknown[] | null; scoring: (string | null)[]; returnTrainScore: boolean; keep: boolean; predict: PredictMethod | null }
  | { type: 'task'; runId: number; index: number; params?: Record<string, unknown>; train: number[]; test: number[] };

export type JobReply =
  | { type: 'ready' }
  | { type: 'done'; runId: number; index: number; test: number[]; train: number[]; fitTime: number; scoreTime: number; bytes?: Uint8Array; predictions?: unknown[]; classes?: unknown[] }
  | { type: 'failed'; runId: number; index: number; stage?: 'fit' | 'score'; name: string; message: string };

interface Endpoint {
  post(message: JobRequest): void;
  onReply(f: (m: JobReply) => void): void;
  onDeath(f: (why: string) => void): void;
  hold(on: boolean): void;
  stop(): void;
}

/** Whether this runtime can start workers of its own (Node, Deno, browsers; not edge isolates). */
export function canRunJobs(): boolean {
  const name = runtimeName();
  return name === 'node' || name === 'deno' || ((name === 'browser' || name === 'worker') && typeof (globalThis as { Worker?: unknown }).Worker === 'function');
}

/** The cores there are (navigator.hardwareConcurrency or Node's availableParallelism). */
export function cores(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (n) return n;
  try {
    return nodeModule<{ availableParallelism(): number }>('node:os').availableParallelism();
  } catch {
    return 1;
  }
}

function spawn(index: number): Endpoint {
  const url = new URL('./job-worker.js', import.meta.url);
  if (runtimeName() === 'node' || runtimeName() === 'deno') {
    type NodeWorker = { postMessage(m: unknown): void; on(e: string, f: (x: never) => void): void; ref(): void; unref(): void; terminate(): void };
    const { Worker } = nodeModule<{ Worker: new (url: URL, o: object) => NodeWorker }>('node:worker_threads');
    const w = new Worker(url, { execArgv: [] });
    return {
      post: (m) => w.postMessage(m),
      onReply: (f) => w.on('message', f),
      onDeath: (f) => {
        w.on('error', (e: Error) => f(`job worker ${index} failed: ${e?.message ?? String(e)}`));
        w.on('exit', (code: number) => f(`job worker ${index} exited (code ${code})`));
      },
      hold: (on) => (on ? w.ref() : w.unref()),
      stop: () => void w.terminate(),
    };
  }
  const WebWorker = (globalThis as unknown as { Worker: new (url: URL, o: object) => { postMessage(m: unknown): void; onmessage: unknown; onerror: unknown; terminate(): void } }).Worker;
  const w = new WebWorker(url, { type: 'module' });
  let reply: (m: JobReply) => void = () => undefined;
  w.onmessage = (event: { data: JobReply }) => reply(event.data);
  return {
    post: (m) => w.postMessage(m),
    onReply: (f) => { reply = f; },
    onDeath: (f) => { w.onerror = (event: { message?: string }) => f(`job worker ${index} failed: ${event?.message ?? 'an error'}`); },
    hold: () => undefined,
    stop: () => w.terminate(),
  };
}

class JobWorker {
  readonly ready: Promise<void>;
  private listener: ((m: JobReply) => void) | undefined;
  private death: ((why: string) => void) | undefined;
  dead: string | undefined;

  constructor(readonly endpoint: Endpoint) {
    this.ready = new Promise((resolve, reject) => {
      endpoint.onReply((m) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed' && m.runId === -1) reject(new WasmlearnError(`a job worker failed to start: ${m.message}`));
        else this.listener?.(m);
      });
      endpoint.onDeath((why) => {
        if (this.dead) return;
        this.dead = why;
        reject(new WasmlearnError(why));
        this.death?.(why);
      });
    });
  }

  listen(onReply: (m: JobReply) => void, onDeath: (why: string) => void): void {
    this.listener = onReply;
    this.death = onDeath;
  }
}

const workers: JobWorker[] = [];
let runs = 0;

/** The error a worker reported, rebuilt as the class it had (ValueError, …) where wasmlearn has it. */
function rebuilt(name: string, message: string): Error {
  const Class = (errors as unknown as Record<string, new (m: string) => Error>)[name];
  return typeof Class === 'function' && Class.prototype instanceof Error ? new Class(message) : new WasmlearnError(`${name}: ${message}`);
}

export interface JobRun {
  estimator: Spec;
  X: unknown;
  y: unknown[] | null;
  scoring: (string | null)[];
  returnTrainScore: boolean;
  keep: boolean;
  predict: PredictMethod | null;
  /** The score of a failing fit (a warning then), or 'raise'. */
  errorScore: number | 'raise';
  /** The caller's cancellation: an abort stops every worker and rejects with its AbortError. */
  cancel?: Cancellation;
  warnFailure(task: FitTask, message: string): void;
  restore(bytes: Uint8Array): unknown;
}

/** Every task's outcome from `nJobs` workers, in task order. */
export async function runJobs(run: JobRun, tasks: readonly FitTask[], nJobs: number): Promise<FitOutcome[]> {
  for (let i = workers.length - 1; i >= 0; i--) if (workers[i].dead) workers.splice(i, 1);
  while (workers.length < nJobs) workers.push(new JobWorker(spawn(workers.length + 1)));
  const team = workers.slice(0, Math.min(nJobs, tasks.length));
  team.forEach((w) => w.endpoint.hold(true));
  try {
    await Promise.all(team.map((w) => w.ready));
    const runId = ++runs;
    const out = new Array<FitOutcome>(tasks.length);
    let next = 0, finished = 0, failures = 0;
    const inner = run.cancel?.linked();
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        // A worker may still be busy with a task of this run: stop them all; the next run starts anew.
        for (const w of team) { w.endpoint.stop(); w.dead = 'stopped'; }
        reject(error);
      };
      inner?.signal?.addEventListener('abort', () => fail(run.cancel!.error()), { once: true });
      const give = (w: JobWorker) => {
        if (next >= tasks.length) return;
        const index = next++;
        const t = tasks[index];
        w.endpoint.post({ type: 'task', runId, index, params: t.params, train: t.train, test: t.test });
      };
      for (const w of team) {
        w.listen((m) => {
          if (settled || m.type === 'ready' || m.runId !== runId) return;
          if (m.type === 'failed') {
            // A scorer that throws is a mistake, as one at a time; a fit that throws scores errorScore.
            if (m.stage === 'score' || run.errorScore === 'raise' || ++failures === tasks.length) return fail(rebuilt(m.name, m.message));
            run.warnFailure(tasks[m.index], m.message);
            const none = run.scoring.map(() => run.errorScore as number);
            out[m.index] = { test: none, train: run.returnTrainScore ? none : [], fitTime: 0, scoreTime: 0 };
          } else {
            out[m.index] = { test: m.test, train: m.train, fitTime: m.fitTime, scoreTime: m.scoreTime, estimator: m.bytes ? run.restore(m.bytes) : undefined, predictions: m.predictions, classes: m.classes };
          }
          if (++finished === tasks.length) { settled = true; resolve(); } else give(w);
        }, (why) => fail(new WasmlearnError(`${why} during a parallel fit; the fits are lost (run again, or with nJobs: 1)`)));
        w.endpoint.post({ type: 'run', runId, estimator: run.estimator, X: run.X, y: run.y, scoring: run.scoring, returnTrainScore: run.returnTrainScore, keep: run.keep, predict: run.predict });
        give(w);
      }
    });
    inner?.dispose();
    return out;
  } finally {
    team.forEach((w) => { if (!w.dead) w.endpoint.hold(false); });
  }
}
