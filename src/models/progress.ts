// Keras-style progress output for fit: "Epoch 3/20" then a bar that fills as batches finish,
// ending with the time per epoch and per step and the running loss and metrics. On stderr in
// Node and Deno (redrawn in place on a terminal, one line per epoch otherwise), console elsewhere.
import type { Callback, Logs } from '../callbacks.js';

interface Out {
  write(text: string): void;
  tty: boolean;
}

function output(): Out {
  const g = globalThis as { process?: { stderr?: { write(s: string): void; isTTY?: boolean } }; Deno?: { stderr: { writeSync(b: Uint8Array): void; isTerminal?(): boolean } } };
  if (g.Deno?.stderr) {
    const encoder = new TextEncoder();
    return { write: (s) => g.Deno!.stderr.writeSync(encoder.encode(s)), tty: g.Deno.stderr.isTerminal?.() ?? false };
  }
  if (g.process?.stderr?.write) return { write: (s) => g.process!.stderr!.write(s), tty: g.process.stderr.isTTY === true };
  return { write: (s) => console.log(s.replace(/^\r|\n$/g, '')), tty: false };
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => ` - ${k}: ${v.toPrecision(4)}`).join('');
}

function formatTime(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(seconds >= 10 ? 0 : 1)}s` : `${Math.round(seconds * 1000)}ms`;
}

/** verbose 1: a progress bar per epoch; verbose 2: one line per epoch. */
export class ProgressLogger implements Callback {
  private readonly out = output();
  private epochStart = 0;
  private lastDraw = 0;
  /** Batches seen this epoch (when the steps are not known beforehand). */
  private seen = 0;

  constructor(private readonly verbose: number, private readonly epochs: number, private readonly steps: number) {}

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.out.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    if (this.verbose !== 1 || !this.out.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && batch + 1 < this.steps) return;
    this.lastDraw = now;
    this.out.write(`\r${this.bar(batch + 1)} - ${formatTime((now - this.epochStart) / 1000)}${formatLogs(logs)}\x1b[K`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    const steps = this.steps > 0 ? this.steps : this.seen;
    const perStep = formatTime(seconds / Math.max(1, steps)).replace(/s$/, 's/step');
    const head = this.verbose === 1 ? `${this.bar(steps)} - ` : '';
    this.out.write(`${this.out.tty && this.verbose === 1 ? '\r' : ''}${head}${formatTime(seconds)} ${perStep}${formatLogs(logs)}${this.out.tty ? '\x1b[K' : ''}\n`);
  }

  private bar(done: number): string {
    // Steps unknown (a dataset read to its end): the count so far.
    if (!(this.steps > 0)) return `${done} batches`;
    const width = 30;
    const filled = Math.round((width * done) / this.steps);
    const digits = String(this.steps).length;
    const arrow = filled < width ? '>' : '';
    return `${String(done).padStart(digits)}/${this.steps} [${'='.repeat(Math.max(0, filled - (arrow ? 1 : 0)))}${arrow}${'.'.repeat(width - filled)}]`;
  }
}
