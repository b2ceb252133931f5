// Cancelling a long call (issue 21): an AbortSignal and a time limit, checked at the points where
// the call yields to the event loop — without those yields the signal's abort event, or a timer,
// could not even run while a fit holds the thread.
import { AbortError, ValueError, describe } from './errors.js';
import { yieldToEventLoop } from './yield.js';

/** Options of every long call that can be cancelled. */
export interface CancelOptions {
  /** Stops the call when aborted: it throws an AbortError and changes nothing. */
  signal?: AbortSignal;
  /** Stops the call once it has run this many milliseconds (an AbortError too). */
  timeoutMs?: number;
}

/** Their names, for option checks. */
export const CANCEL_OPTIONS = ['signal', 'timeoutMs'] as const;

/**
 * A long call yields at least this often, so that an abort or a time limit stops it within about
 * 100 ms and a page stays responsive.
 */
export const YIELD_MS = 25;

/** `signal` checked: an AbortSignal (anything with a boolean `aborted`) or undefined. */
export function checkSignal(signal: unknown, where: string): AbortSignal | undefined {
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof (signal as AbortSignal).aborted === 'boolean')) {
    throw new ValueError(`${where}: signal must be an AbortSignal; received ${describe(signal)}`);
  }
  return signal as AbortSignal | undefined;
}

/** A call's cancellation: check() at safe points, tick() in its loops (yields, then checks). */
export class Cancellation {
  private last = performance.now();
  private readonly deadline: number;

  private constructor(private readonly where: string, private readonly signal: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
    this.timeoutMs = timeoutMs;
  }

  private readonly timeoutMs: number | undefined;

  /** Checks `signal` and `timeoutMs` of a call's options; `where` names the call in errors. */
  static of(options: CancelOptions | undefined, where: string): Cancellation {
    const signal = checkSignal(options?.signal, where), timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && !Number.isNaN(timeoutMs))) {
      throw new ValueError(`${where}: timeoutMs must be a positive number of milliseconds; received ${describe(timeoutMs)}`);
    }
    const cancellation = new Cancellation(where, signal, timeoutMs);
    cancellation.check();
    return cancellation;
  }

  /** No cancellation: the calls inside a call that checks for itself. */
  static none(where = 'call'): Cancellation {
    return new Cancellation(where, undefined, undefined);
  }

  /** Throws an AbortError if the signal was aborted or the time limit passed. */
  check(): void {
    if (this.signal?.aborted || performance.now() > this.deadline) throw this.error();
  }

  /** The AbortError this call throws: for its signal, or for its time limit. */
  error(): AbortError {
    if (this.signal?.aborted) return new AbortError(`${this.where}: aborted (its signal fired); nothing was changed`, { cause: this.signal.reason });
    return new AbortError(`${this.where}: stopped after its timeoutMs (${this.timeoutMs} ms); nothing was changed`);
  }

  /** Whether this call can be cancelled at all (a signal or a time limit). */
  get active(): boolean {
    return this.signal !== undefined || this.deadline !== Infinity;
  }

  /**
   * A signal for the calls this one makes (a search's fits): aborted when this call's signal is,
   * or at its deadline (a timer; those calls yield, so it runs). `dispose` removes the listener and
   * the timer when the call ends. Undefined when this call cannot be cancelled.
   */
  linked(): { signal: AbortSignal | undefined; dispose: () => void } {
    if (!this.active) return { signal: undefined, dispose: () => undefined };
    const controller = new AbortController();
    const stop = () => controller.abort(this.signal?.aborted ? this.signal.reason : undefined);
    this.signal?.addEventListener('abort', stop, { once: true });
    const timer = this.deadline === Infinity ? undefined : setTimeout(stop, Math.max(0, this.deadline - performance.now()));
    return {
      signal: controller.signal,
      dispose: () => {
        this.signal?.removeEventListener('abort', stop);
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  }

  /**
   * Fits `estimator` on (X, y) as part of this call (a pipeline's last step, a search's refit),
   * handing it a linked signal (see linked) as its fit options when this call can be cancelled —
   * fits that take options stop with it, others ignore a third argument. When that fit fails while
   * this call is cancelled, this call's AbortError is thrown instead.
   */
  async fitInside(estimator: unknown, X: unknown, y: unknown): Promise<void> {
    const inner = this.linked();
    try {
      await fitWithSignal(estimator, X, y, inner.signal);
    } catch (error) {
      this.check();
      throw error;
    } finally {
      inner.dispose();
    }
  }

  /** In a loop: yields to the event loop when YIELD_MS have passed since the last yield, then checks. */
  async tick(): Promise<void> {
    if (performance.now() - this.last >= YIELD_MS) {
      await yieldToEventLoop();
      this.last = performance.now();
    }
    this.check();
  }
}

/** estimator.fit(X, y), with `{ signal }` as the fit's options when there is a signal. */
export async function fitWithSignal(estimator: unknown, X: unknown, y: unknown, signal: AbortSignal | undefined): Promise<void> {
  const fit = (estimator as { fit(X: unknown, y?: unknown, options?: { signal: AbortSignal }): Promise<unknown> }).fit.bind(estimator);
  await (signal ? fit(X, y, { signal }) : fit(X, y));
}
