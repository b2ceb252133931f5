// A worker of a parallel search or cross-validation (nJobs): its own wasmlearn on one thread,
// rebuilding the estimator from its spec and fitting and scoring the tasks it is handed one at a
// time. The messages are those of jobs.ts.
import { fromSpec, setClassLookup } from '../compose/spec.js';
import { estimatorClass } from '../load.js';
import { init } from '../runtime/backend.js';
import { getScorer } from '../scoring/scorers.js';
import { fitClone, predictFitted, scoreFitted, type PredictMethod } from './fit-and-score.js';
import type { JobReply, JobRequest } from './jobs.js';
import { samplesOf, type Samples } from './samples.js';

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  onmessage: ((event: { data: JobRequest }) => void) | null;
  postMessage(message: JobReply): void;
  process?: { getBuiltinModule?: (id: string) => unknown };
};

let run: { id: number; estimator: unknown; samples: Samples; scorers: ReturnType<typeof getScorer>[]; returnTrainScore: boolean; keep: boolean; predict: PredictMethod | null } | undefined;


async function handle(message: JobRequest, reply: (m: JobReply) => void): Promise<void> {
  if (message.type === 'run') {
    run = {
      id: message.runId, estimator: fromSpec(message.estimator), samples: samplesOf(message.X, message.y, 'worker'),
      scorers: message.scoring.map((s) => getScorer(s ?? undefined, 'worker')), returnTrainScore: message.returnTrainScore, keep: message.keep, predict: message.predict,
    };
    return;
  }
  const r = run!;
  const task = { params: message.params, train: message.train, test: message.test };
  const failed = (stage: 'fit' | 'score', error: unknown) =>
    reply({ type: 'failed', runId: r.id, index: message.index, stage, name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) });
  const t0 = performance.now();
  let fitted;
  try {
    fitted = await fitClone(r.estimator, r.samples, task);
  } catch (error) {
    return failed('fit', error);
  }
  const fitTime = (performance.now() - t0) / 1000;
  try {
    const scores = scoreFitted(fitted, r.samples, task, r.scorers, r.returnTrainScore);
    const bytes = r.keep ? (fitted as unknown as { toBytes(): Uint8Array }).toBytes() : undefined;
    const answers = r.predict ? predictFitted(fitted, r.samples, task, r.predict) : {};
    reply({ type: 'done', runId: r.id, index: message.index, ...scores, fitTime, bytes, ...answers });
  } catch (error) {
    failed('score', error);
  }
}

/** Requests are handled in order (a task waits for the run it belongs to). */
function serve(reply: (m: JobReply) => void): (message: JobRequest) => void {
  let queue = Promise.resolve();
  return (message) => {
    queue = queue.then(() => handle(message, reply));
  };
}

// Estimator classes by name, from the one load (which a bundle keeps only when named).
setClassLookup(estimatorClass);
const ready = init({ threads: 1 });
if (scope.WorkerGlobalScope !== undefined) {
  const take = serve((m) => scope.postMessage(m));
  scope.onmessage = (event) => take(event.data);
  void ready.then(() => scope.postMessage({ type: 'ready' }), (e: Error) => scope.postMessage({ type: 'failed', runId: -1, index: -1, name: e.name, message: e.message }));
} else {
  const threads = scope.process!.getBuiltinModule!('node:worker_threads') as { parentPort: { postMessage(m: JobReply): void; on(event: 'message', f: (m: JobRequest) => void): void } };
  const take = serve((m) => threads.parentPort.postMessage(m));
  threads.parentPort.on('message', take);
  void ready.then(() => threads.parentPort.postMessage({ type: 'ready' }), (e: Error) => threads.parentPort.postMessage({ type: 'failed', runId: -1, index: -1, name: e.name, message: e.message }));
}
