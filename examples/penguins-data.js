// The Palmer penguins (data/penguins, CC0) as row objects, as a CSV reader gives them: numbers
// where the column holds numbers, strings otherwise, 'NA' as a gap (null). Shared by the examples.
import { readFileSync } from 'node:fs';

export function readPenguins() {
  const [header, ...lines] = readFileSync(new URL('../data/penguins/penguins.csv', import.meta.url), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, j) => [names[j], cell === 'NA' ? null : Number.isNaN(Number(cell)) ? cell : Number(cell)])));
}
