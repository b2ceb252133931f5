// A character-level LSTM learns Shakespeare's sonnets (data/sonnets/, public domain) and writes
// verse of its own: windows of 40 characters, an embedding, LSTM(128), a softmax over the 61
// characters of the text for the one that follows; after each epoch, 200 characters sampled from
// a line of the sonnets at temperature 0.6.
//
//   node examples/char-sonnets.js [--windows N] [--epochs E]
import { readFileSync } from 'node:fs';
import * as wasmlearn from 'wasmlearn';
import { alphabetOf, buildCharModel, generate, windowsOf } from '../demo/char-model.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const limit = option('windows', Infinity), epochs = option('epochs', 10);

await wasmlearn.init({ threads: 'auto' });
wasmlearn.setRandomSeed(1);
const text = readFileSync(new URL('../data/sonnets/sonnets.txt', import.meta.url), 'utf8');
const alphabet = alphabetOf(text);
const { x, y } = windowsOf(text, alphabet, { limit });
console.log(`${text.length} characters, ${alphabet.chars.length} distinct; ${x.shape[0]} windows of 40`);
const model = buildCharModel(wasmlearn, alphabet.chars.length);
model.summary();
// Sampling draws from a seeded stream, so a run prints the same verse every time.
let state = 7;
const random = () => ((state = (state * 16807) % 2147483647) / 2147483647);
const seed = text.slice(0, 40);
const started = performance.now();
await model.fit(x, y, {
  epochs, batchSize: 128, seed: 2, verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) => {
      console.log(`\nepoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
      console.log(`${seed}${generate(model, alphabet, seed, 200, { random })}`);
    },
  },
});
model.dispose();
