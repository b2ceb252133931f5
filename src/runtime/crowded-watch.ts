// Whether the worker pool is worth using right now (issue 21: a crowded machine degrades gracefully).

/** How a launch on the pool went (Pool.last). */
export interface LaunchReport {
  chunks: number;
  ownChunks: number;
  ownMs: number;
  waitMs: number;
  /** A worker the launch needed was asleep when it was published. */
  woke: boolean;
}

/**
 * How much slower than this thread alone a launch on the pool must be to count against it; a
 * launch between break-even and this teaches nothing (neither ends a streak nor adds to it). At
 * break-even, a worker a few microseconds late on this noisy kind of machine sent a one-row forest
 * to stretches alone on 20–40 % of its launches, for medians of 0.025–0.038 ms; at 1.25, 3–4 % and
 * 0.018–0.023 ms (alternating processes). Ending a streak on such a near tie, though, let a crowded
 * machine's 128 × 128 products back onto the pool every few launches (two threads 1.2–1.5× one's time).
 */
const MARGIN = 1.25;

/**
 * Watches whether the pool speeds short launches up. On a machine whose cores are busy with other
 * processes, a worker thread is often descheduled: the calling thread then runs nearly every chunk
 * itself, and waits for the one a late worker holds, so two threads run slower than one. After
 * such a launch the next ones run on the calling thread alone — 2, 4, 8 … up to 64 launches while
 * it goes on — and then the pool is tried again. The bits are the same either way.
 *
 * A launch that had to wake a sleeping worker teaches nothing: the worker slept because the pool
 * had been idle (not least because of this watch's own stretches alone), and a wake-up takes
 * ~150 µs on any machine; counted, it made the next stretch alone longer, the worker slept again
 * and the probe after it was late again, so a quiet machine ran its one-row products on one thread.
 */
export class CrowdedWatch {
  private streak = 0;
  private alone = 0;

  /** True when this launch should run on the calling thread alone. */
  skip(): boolean {
    if (this.alone === 0) return false;
    this.alone--;
    return true;
  }

  /** Learns from a launch on the pool: did it take less time than this thread alone would have, or clearly more? */
  record(last: LaunchReport): void {
    if (last.woke) return;
    const aloneMs = last.ownChunks > 0 ? (last.ownMs * last.chunks) / last.ownChunks : Infinity;
    const took = last.ownMs + last.waitMs;
    if (took < aloneMs) {
      this.streak = 0;
      return;
    }
    if (took < MARGIN * aloneMs) return;
    this.streak = Math.min(this.streak + 1, 6);
    this.alone = 2 ** this.streak;
  }
}
