// What the conformance checks tried, per estimator and check, written for scripts/conformance.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';

const rows: { estimator: string; check: string; count: number; detail?: Record<string, number> }[] = [];

export function record(estimator: string, check: string, count: number, detail?: Record<string, number>): void {
  rows.push({ estimator, check, count, detail });
}

/** Writes this test file's rows to out/report-<part>.json (each test file runs in its own module). */
export function writeReport(part: string): void {
  const dir = new URL('./out/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`report-${part}.json`, dir), JSON.stringify(rows, null, 1));
}
