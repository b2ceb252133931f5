// The test run's own temporary folder and its clean-up (issue 21): every test, and every process
// the tests start (workerd, Deno, Chromium, workers), gets TMPDIR pointing into a folder made for
// this run. At the end — also when tests failed or timed out — every process still running with
// that TMPDIR in its environment is stopped (SIGTERM, then SIGKILL), wherever it was reparented,
// and the folder is removed: `npm test` leaves no process and no file behind.
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Processes (not this one) whose environment has TMPDIR=dir; Linux' /proc, nothing elsewhere. */
function processesUnder(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const marker = `TMPDIR=${dir}`;
  return entries.map(Number).filter((pid) => {
    if (pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

/** A process's command, for the report. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim().slice(0, 120) || readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '?';
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default function setup(): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlearn-test-run-'));
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = dir;
  return async () => {
    // Vitest's own workers carry the same environment and end by themselves: wait for them first.
    for (let i = 0; i < 20 && processesUnder(dir).length > 0; i++) await pause(100);
    const left = processesUnder(dir);
    if (left.length > 0) {
      console.warn(`test run: stopping ${left.length} process(es) left running: ${left.map((pid) => `${pid} ${commandOf(pid)}`).join('; ')}`);
      for (const pid of left) try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
      await pause(500);
      for (const pid of processesUnder(dir)) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    const files = readdirSync(dir);
    if (files.length > 0) console.warn(`test run: removing ${files.length} temporary item(s) left: ${files.slice(0, 10).join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
  };
}
