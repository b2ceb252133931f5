// A character-level language model (the classic "text generation with an LSTM"): windows of
// `length` characters of a text, each character an index into the text's alphabet, an embedding,
// an LSTM and a softmax over the alphabet for the character that follows. Generation samples one
// character at a time from the softmax, sharpened or flattened by a temperature. Shared by the
// Node example (examples/char-sonnets.js) and the browser demo; `lib` is wasmlearn's namespace.

/** The text's alphabet (sorted) and each character's index. */
export function alphabetOf(text) {
  const chars = [...new Set(text)].sort();
  return { chars, index: new Map(chars.map((c, i) => [c, i])) };
}

/**
 * Training windows: every `stride`-th window of `length` characters (as indices) and the index of
 * the character after it; at most `limit` windows, spread over the whole text.
 */
export function windowsOf(text, alphabet, { length = 40, stride = 3, limit = Infinity } = {}) {
  const starts = [];
  for (let s = 0; s + length < text.length; s += stride) starts.push(s);
  const every = Math.max(1, Math.floor(starts.length / Math.min(limit, starts.length)));
  const taken = starts.filter((_, i) => i % every === 0).slice(0, limit);
  const x = new Float32Array(taken.length * length), y = new Float32Array(taken.length);
  taken.forEach((s, k) => {
    for (let t = 0; t < length; t++) x[k * length + t] = alphabet.index.get(text[s + t]);
    y[k] = alphabet.index.get(text[s + length]);
  });
  return { x: { data: x, shape: [taken.length, length] }, y };
}

/** Embedding → LSTM → dense softmax over the alphabet, compiled with Adam. */
export function buildCharModel(lib, alphabetSize, { length = 40, units = 128, embedding = 24, learningRate = 0.005 } = {}) {
  const L = lib.layers;
  const model = new lib.Sequential([
    L.embedding({ inputDim: alphabetSize, outputDim: embedding, inputLength: length }),
    L.lstm({ units }),
    L.dense({ units: alphabetSize, activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: lib.optimizers.adam({ learningRate }), metrics: ['accuracy'] });
  return model;
}

/**
 * `count` characters after `seed` (at least `length` characters of the text's alphabet), each drawn
 * from the model's softmax raised to 1/temperature (0: the likeliest), with `random` () → [0, 1).
 */
export function generate(model, alphabet, seed, count, { length = 40, temperature = 0.6, random = Math.random } = {}) {
  const window = [...seed.slice(-length)].map((c) => alphabet.index.get(c));
  if (window.length < length || window.some((i) => i === undefined)) throw new Error(`generate: the seed needs ${length} characters of the text's alphabet`);
  let out = '';
  for (let k = 0; k < count; k++) {
    const p = model.predict({ data: Float32Array.from(window), shape: [1, length] }).data;
    let pick = 0;
    if (temperature <= 0) pick = p.indexOf(Math.max(...p));
    else {
      const weights = Array.from(p, (v) => Math.exp(Math.log(Math.max(v, 1e-12)) / temperature));
      let r = random() * weights.reduce((a, b) => a + b, 0);
      while (pick < weights.length - 1 && (r -= weights[pick]) > 0) pick++;
    }
    out += alphabet.chars[pick];
    window.shift();
    window.push(pick);
  }
  return out;
}
