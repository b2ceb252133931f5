// Shared benchmark helpers: timing by medians, tables, JSON results. Benchmarks are not tests:
// they compare contenders measured in the same run on the same machine, as ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The median of a list of numbers (the upper one of an even count). */
export const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/**
 * Median seconds per call of `fn` over `runs` runs, each repeating it until `minSeconds` have
 * passed (at least once), after `warmup` calls.
 */
export async function medianSeconds(fn, { runs = 7, minSeconds = 0.2, warmup = 3, maxSeconds = 30 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  const started = performance.now();
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const t0 = performance.now();
    do {
      await fn();
      calls++;
    } while (performance.now() - t0 < minSeconds * 1000);
    samples.push((performance.now() - t0) / 1000 / calls);
    if ((performance.now() - started) / 1000 > maxSeconds && samples.length >= 3) break;
  }
  return { seconds: median(samples), runs: samples.length };
}

/**
 * Times several contenders with their runs interleaved (run 1 of each, then run 2 of each, …),
 * so that the machine's slow spells fall on all of them alike; returns median seconds per call
 * by name. A contender is { name, fn, before? } where `before` runs (untimed) ahead of its runs.
 */
export async function compareMedians(contenders, { runs = 7, minSeconds = 0.2, warmup = 3 } = {}) {
  for (const c of contenders) {
    await c.before?.();
    for (let i = 0; i < warmup; i++) await c.fn();
  }
  const samples = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of contenders) {
      if (c.before) {
        await c.before();
        await c.fn(); // untimed: a switch of build or threads may leave the first call cold
      }
      let calls = 0;
      const t0 = performance.now();
      do {
        await c.fn();
        calls++;
      } while (performance.now() - t0 < minSeconds * 1000);
      samples[c.name].push((performance.now() - t0) / 1000 / calls);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)]));
}

export function machine() {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, date: new Date().toISOString() };
}

/** Prints a Markdown table. */
export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

export function writeResults(name, results) {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(file, JSON.stringify({ machine: machine(), ...results }, null, 2) + '\n');
  return file.pathname;
}

export function fixed(x, digits = 1) {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/**
 * Moving variances of 0.05 in every BatchNormalization of a freshly built model: statistics that
 * keep the signal alive through a deep network (fresh ones shrink MobileNetV2's to ~1e-11, which
 * would make output comparisons empty).
 */
export function liveStatistics(model) {
  for (const l of model.flatLayers) {
    if (l.className !== 'BatchNormalization') continue;
    const w = l.getWeights();
    w[3] = { data: new Float32Array(w[3].size).fill(0.05), shape: w[3].shape };
    l.setWeights(w);
  }
  return model;
}
