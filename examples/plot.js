// Figures for the examples: a Vega-Lite spec rendered to SVG in Node (vega's headless view, no
// canvas needed) and written to examples/out/. vega and vega-lite are dev dependencies: the
// examples' tools, not wasmlearn's.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile } from 'vega-lite';

const out = new URL('./out/', import.meta.url);

/** Renders `spec` (Vega-Lite) to examples/out/<name>.svg; returns the file's path. */
export async function saveChart(name, spec) {
  const view = new vega.View(vega.parse(compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(out, { recursive: true });
  const file = new URL(`${name}.svg`, out);
  writeFileSync(file, svg);
  return file.pathname;
}

/** A grid of points covering [x0, x1] × [y0, y1] with `steps` per side, for decision regions. */
export function grid([x0, x1], [y0, y1], steps) {
  const points = [];
  for (let i = 0; i < steps; i++) for (let j = 0; j < steps; j++) points.push([x0 + ((x1 - x0) * (i + 0.5)) / steps, y0 + ((y1 - y0) * (j + 0.5)) / steps]);
  return points;
}
