// A fit's progress as the demo's pages show it: which batch of which epoch, the fraction done and
// the status line, for the image trainer (app.js) and the text trainer (sonnets.js) alike.

/**
 * Callbacks for fit (onEpochBegin, onBatchEnd) that call `onBatch({ done, fraction, logs, due,
 * status })` after every batch: `done` batches so far, `due` every `every` batches and at an
 * epoch's last, and then `status`, the page's line ("Epoch 2/5, batch 41/600: loss …, accuracy …
 * — 2 threads"; `threads()` gives the count).
 */
export function progressCallbacks(epochs, steps, every, threads, onBatch) {
  let epochNow = 0;
  return {
    onEpochBegin: (epoch) => { epochNow = epoch; },
    onBatchEnd: (batch, logs) => {
      const done = epochNow * steps + batch + 1;
      const due = batch % every === 0 || batch === steps - 1;
      const status = due
        ? `Epoch ${epochNow + 1}/${epochs}, batch ${batch + 1}/${steps}: loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(4)} — ${threads()} threads`
        : '';
      onBatch({ done, fraction: done / (epochs * steps), logs, due, status });
    },
  };
}
