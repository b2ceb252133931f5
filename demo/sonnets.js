// The demo's text option: a character-level LSTM (char-model.js) learns Shakespeare's sonnets on
// the page and, after each epoch, writes 300 characters of its own from the first line.
import * as wasmlearn from '/dist/index.js';
import { alphabetOf, buildCharModel, generate, windowsOf } from './char-model.js';
import { progressCallbacks } from './progress.js';

/**
 * Trains on `windows` windows of the text for `epochs` epochs, reporting progress to `show`
 * ({ fraction, status, point, text }); resolves to the result the headless test reads.
 */
export async function trainSonnets(windows, epochs, show) {
  const text = await (await fetch('/data/sonnets/sonnets.txt')).text();
  const alphabet = alphabetOf(text);
  const { x, y } = windowsOf(text, alphabet, { limit: windows });
  wasmlearn.setRandomSeed(1);
  const model = buildCharModel(wasmlearn, alphabet.chars.length);
  const n = x.shape[0], batchSize = 128, steps = Math.ceil(n / batchSize), seed = text.slice(0, 40);
  let last = { loss: NaN, accuracy: NaN }, sample = '';
  const t0 = performance.now();
  await model.fit(x, y, {
    epochs, batchSize, seed: 2, verbose: 0,
    callbacks: [{
      ...progressCallbacks(epochs, steps, 10, () => wasmlearn.backendInfo().threads, ({ done, fraction, logs, due, status }) => {
        last = logs;
        if (due) show({ fraction, point: { t: done / steps, loss: logs.loss, accuracy: logs.accuracy }, status });
      }),
      onEpochEnd: (epoch) => {
        sample = generate(model, alphabet, seed, 300);
        show({ text: `— after epoch ${epoch + 1} —\n${seed}${sample}\n\n` });
      },
    }],
  });
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return { model: 'sonnets', windows: n, epochs, seconds, loss: last.loss, accuracy: last.accuracy, sample, alphabet: alphabet.chars.length };
}
