// Recurrent layers' states as outputs and inputs (issue 20): returnState gives [output, h] (LSTM
// [output, h, c]), and [sequences, h0(, c0)] starts a layer from given states — the encoder-decoder
// of sequence-to-sequence models. TF.js builds, trains and saves such models: its predictions and
// gradients (tf.variableGrads, through the states into the encoder) are the reference.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Sequential, ShapeError, ValueError, input, layers, loadModel, model as functional, optimizers, setRandomSeed } from '../dist/index.js';
import { testRandom } from './reference.js';
import { artifactsOf } from './tfjs-files.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

/** Our predictions and weight gradients for the TF.js model's file, against TF.js'. */
async function compareWithTfjs(theirs: tf.LayersModel, inputs: { data: Float32Array; shape: number[] }[]): Promise<void> {
  const xs = inputs.map((x) => tf.tensor(x.data, x.shape));
  const expected = (theirs.predict(xs) as tf.Tensor).dataSync();
  const ours = await loadModel(await artifactsOf(theirs) as never);
  expect(worst(ours.predict(inputs).data, expected)).toBeLessThan(1e-6);
  const outCount = expected.length / inputs[0].shape[0];
  const target = tf.randomNormal([inputs[0].shape[0], outCount], 0, 1, 'float32', 5);
  const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(target, theirs.apply(xs) as tf.Tensor) as tf.Scalar, theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
  ours.compile({ loss: 'mse', optimizer: 'sgd' });
  const { gradients } = ours.gradients(inputs, { data: target.dataSync() as Float32Array, shape: target.shape });
  expect(ours.trainableWeights.map((w) => w.name)).toEqual(theirs.trainableWeights.map((w) => w.name));
  theirs.trainableWeights.forEach((w, i) => {
    const g = grads[(w as unknown as { val: tf.Variable }).val.name].dataSync();
    expect(worst(gradients[i].data, g), w.name).toBeLessThan(1e-6 + 1e-4 * Math.max(...Array.from(g, Math.abs)));
  });
  ours.dispose();
}

describe('returnState and initial states, against TF.js', () => {
  const n = 5, T = 6, F = 3, T2 = 4;
  const next = testRandom(1);
  const x = { data: Float32Array.from({ length: n * T * F }, () => next() * 2 - 1), shape: [n, T, F] };
  const x2 = { data: Float32Array.from({ length: n * T2 * 2 }, () => next() * 2 - 1), shape: [n, T2, 2] };
  const kinds = [['lstm', false], ['gru', true], ['simpleRNN', false], ['lstm', true]] as const;

  test('bidirectional with mergeMode null: the two directions\' outputs apart, each used by its own layer', async () => {
    for (const returnSequences of [true, false]) {
      const inp = tf.input({ shape: [T, F] });
      const [forward, backward] = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences }) as never, mergeMode: null as never }).apply(inp) as tf.SymbolicTensor[];
      const a = tf.layers.dense({ units: 2 }).apply(returnSequences ? tf.layers.flatten().apply(forward) : forward) as tf.SymbolicTensor;
      const b = tf.layers.dense({ units: 2, activation: 'tanh' }).apply(returnSequences ? tf.layers.globalAveragePooling1d().apply(backward) : backward) as tf.SymbolicTensor;
      const theirs = tf.model({ inputs: inp, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
      await compareWithTfjs(theirs, [x]);
    }
  });

  test('bidirectional with returnState: the merged output (or both, mergeMode null), then each direction\'s last states', async () => {
    for (const [kind, mergeMode, returnSequences] of [['lstm', 'concat', true], ['gru', null, false], ['lstm', 'ave', false], ['simpleRNN', 'mul', true]] as const) {
      const inp = tf.input({ shape: [T, F] });
      const extra = kind === 'gru' ? { resetAfter: false } : {};
      const outs = tf.layers.bidirectional({ layer: (tf.layers[kind] as (a: object) => tf.layers.Layer)({ units: 3, returnSequences, returnState: true, ...extra }) as never, mergeMode: mergeMode as never }).apply(inp) as tf.SymbolicTensor[];
      const flat = outs.map((t) => (t.shape.length === 3 ? tf.layers.flatten().apply(t) as tf.SymbolicTensor : t));
      const theirs = tf.model({ inputs: inp, outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply(flat)) as tf.SymbolicTensor });
      await compareWithTfjs(theirs, [x]);
    }
  });

  for (const [kind, backwards] of kinds) {
    test(`${kind}: every step's output and the last states as three outputs of a layer, used by later layers`, async () => {
      const inp = tf.input({ shape: [T, F] });
      const extra = kind === 'gru' ? { resetAfter: false } : {};
      const outs = (tf.layers[kind] as (a: object) => tf.layers.Layer)({ units: 4, returnSequences: true, returnState: true, goBackwards: backwards, ...extra }).apply(inp) as tf.SymbolicTensor[];
      const merged = tf.layers.concatenate().apply([tf.layers.globalAveragePooling1d().apply(outs[0]) as tf.SymbolicTensor, ...outs.slice(1)]);
      const theirs = tf.model({ inputs: inp, outputs: tf.layers.dense({ units: 2 }).apply(merged) as tf.SymbolicTensor });
      await compareWithTfjs(theirs, [x]);
    });

    test(`${kind}${backwards ? ' going backwards' : ''}: a decoder started from an encoder's last states (sequence to sequence)`, async () => {
      const enc = tf.input({ shape: [T, F] }), dec = tf.input({ shape: [T2, 2] });
      const extra = kind === 'gru' ? { resetAfter: false } : {};
      const make = (a: object) => (tf.layers[kind] as (a: object) => tf.layers.Layer)({ ...a, ...extra });
      const states = (make({ units: 4, returnState: true }).apply(enc) as tf.SymbolicTensor[]).slice(1);
      const seq = make({ units: 4, returnSequences: true, goBackwards: backwards }).apply(dec, { initialState: states }) as tf.SymbolicTensor;
      const theirs = tf.model({ inputs: [enc, dec], outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(seq)) as tf.SymbolicTensor });
      await compareWithTfjs(theirs, [x, x2]);
    });
  }
});

describe('stateful recurrent layers, against TF.js', () => {
  test('each batch starts from the last states of the one before, sample by sample, until resetStates; training does not carry gradients across batches', async () => {
    for (const kind of ['lstm', 'gru', 'simpleRNN'] as const) {
      const extra = kind === 'gru' ? { resetAfter: false } : {};
      const theirs = tf.sequential({ layers: [
        (tf.layers[kind] as (a: object) => tf.layers.Layer)({ units: 4, stateful: true, returnSequences: true, batchInputShape: [3, 5, 2], ...extra }),
        (tf.layers[kind] as (a: object) => tf.layers.Layer)({ units: 3, stateful: true, ...extra }),
        tf.layers.dense({ units: 2 }),
      ] });
      const next = testRandom(9);
      const batches = [0, 1, 2].map(() => Float32Array.from({ length: 3 * 5 * 2 }, () => next() * 2 - 1));
      const ours = await loadModel(await artifactsOf(theirs) as never);
      expect(ours.layers[0].getConfig()).toMatchObject({ stateful: true });
      const run = (m: { predict(x: { data: Float32Array; shape: number[] }): { data: Float32Array } }) => batches.map((b) => Float32Array.from(m.predict({ data: b, shape: [3, 5, 2] }).data));
      const expected = batches.map((b) => Float32Array.from((theirs.predict(tf.tensor(b, [3, 5, 2])) as tf.Tensor).dataSync()));
      const got = run(ours);
      got.forEach((g, k) => expect(worst(g, expected[k]), `${kind} batch ${k}`).toBeLessThan(1e-6));
      // The second batch, from zero states again, differs from the carried run and matches a fresh start.
      theirs.resetStates();
      ours.resetStates();
      const fresh = Float32Array.from(ours.predict({ data: batches[1], shape: [3, 5, 2] }).data);
      expect(worst(fresh, (theirs.predict(tf.tensor(batches[1], [3, 5, 2])) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
      expect(worst(fresh, got[1])).toBeGreaterThan(1e-4);
      // Another batch size is refused by name.
      expect(() => ours.predict({ data: new Float32Array(2 * 5 * 2), shape: [2, 5, 2] })).toThrow(/carries its states for batches of 3 samples; received a batch of 2/);
      // Gradients of one batch after another, as TF.js computes them from the carried states.
      ours.resetStates();
      theirs.resetStates();
      ours.predict({ data: batches[0], shape: [3, 5, 2] });
      theirs.predict(tf.tensor(batches[0], [3, 5, 2]));
      const target = tf.randomNormal([3, 2], 0, 1, 'float32', 5);
      const xs = tf.tensor(batches[1], [3, 5, 2]);
      const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(target, theirs.apply(xs) as tf.Tensor) as tf.Scalar, theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      ours.compile({ loss: 'mse', optimizer: 'sgd' });
      const { gradients } = ours.gradients({ data: batches[1], shape: [3, 5, 2] }, { data: target.dataSync() as Float32Array, shape: [3, 2] });
      theirs.trainableWeights.forEach((w, i) => {
        const g = grads[(w as unknown as { val: tf.Variable }).val.name].dataSync();
        expect(worst(gradients[i].data, g), `${kind}: ${w.name}`).toBeLessThan(1e-6 + 1e-4 * Math.max(...Array.from(g, Math.abs)));
      });
      ours.dispose();
      theirs.dispose();
    }
  });
});

describe('returnState and initial states in wasmlearn', () => {
  test('apply gives the outputs as a list (destructured, indexed), a model of them has several outputs, and saving keeps tensor indices', async () => {
    setRandomSeed(3);
    const x = input({ shape: [5, 3] });
    const lstm = layers.lstm({ units: 4, returnState: true });
    const outs = lstm.apply(x);
    expect(outs.length).toBe(3);
    const [out, h, c] = outs;
    expect([out.shape, h.shape, c.shape]).toEqual([[4], [4], [4]]);
    expect(outs[2]).toBe(c);
    const m = functional({ inputs: x, outputs: outs });
    expect(m.outputs.length).toBe(3);
    const data = { data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)), shape: [2, 5, 3] };
    const results = m.predict(data) as unknown as { data: Float32Array }[];
    // Without returnSequences the output is the last h.
    expect(Array.from(results[0].data)).toEqual(Array.from(results[1].data));
    const loaded = await loadModel(m.toBytes());
    const again = loaded.predict(data) as unknown as { data: Float32Array }[];
    results.forEach((r, k) => expect(Array.from(again[k].data)).toEqual(Array.from(r.data)));
    const topology = JSON.stringify((m.toTfjs() as unknown as { modelTopology: unknown }).modelTopology);
    expect(topology).toContain('"output_layers":[["lstm');
    expect(topology).not.toContain('OutputPart');
    loaded.dispose();
    m.dispose();
  });

  test('an encoder-decoder learns to reverse short sequences, trained here (teacher forcing), with the same bits on 1 and 2 threads', async () => {
    // Sequences of 5 digits in 0..3, one-hot; the decoder reads the reversed sequence shifted by one step (a start token) and predicts it.
    const make = (count: number, seed: number) => {
      const next = testRandom(seed);
      const src = new Float32Array(count * 5 * 4), dec = new Float32Array(count * 5 * 5), target = new Float32Array(count * 5);
      for (let i = 0; i < count; i++) {
        const digits = Array.from({ length: 5 }, () => Math.floor(next() * 4));
        digits.forEach((d, t) => { src[(i * 5 + t) * 4 + d] = 1; });
        const reversed = [...digits].reverse();
        for (let t = 0; t < 5; t++) {
          dec[(i * 5 + t) * 5 + (t === 0 ? 4 : reversed[t - 1])] = 1;
          target[i * 5 + t] = reversed[t];
        }
      }
      return { inputs: [{ data: src, shape: [count, 5, 4] }, { data: dec, shape: [count, 5, 5] }], target: { data: target, shape: [count, 5] } };
    };
    const train = make(1024, 4), check = make(256, 5);
    const run = async (threads: number) => {
      const { init } = await import('../dist/index.js');
      await init({ threads });
      setRandomSeed(6);
      const src = input({ shape: [5, 4] }), dec = input({ shape: [5, 5] });
      const [, h, c] = layers.lstm({ units: 32, returnState: true }).apply(src);
      const seq = layers.lstm({ units: 32, returnSequences: true }).apply([dec, h, c]);
      const m = functional({ inputs: [src, dec], outputs: layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'softmax' }) }).apply(seq) });
      m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: optimizers.adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
      await m.fit(train.inputs, train.target, { epochs: 25, batchSize: 64, verbose: 0, seed: 7 });
      const p = Float32Array.from(m.predict(check.inputs).data);
      const [, accuracy] = (await m.evaluate(check.inputs, check.target)) as number[];
      m.dispose();
      return { p, accuracy };
    };
    const one = await run(1), two = await run(2);
    expect(two.p).toEqual(one.p);
    expect(one.accuracy).toBeGreaterThan(0.9);
  });

  test('refusals: initial states of the wrong count or size, a layer of several outputs taken whole, returnState in a Sequential, a Bidirectional\'s layers disagreeing', () => {
    const x = input({ shape: [5, 3] }), h = input({ shape: [4] }), wrong = input({ shape: [3] });
    expect(() => layers.lstm({ units: 4 }).apply([x, h])).toThrow(/takes sequences, or \[sequences, h0, c0\] with each initial state \[4\] per sample; received \[5, 3\], \[4\]/);
    expect(() => layers.gru({ units: 4 }).apply([x, wrong])).toThrow(ShapeError);
    const outs = layers.gru({ units: 4, returnState: true }).apply(x);
    expect(() => layers.dense({ units: 2 }).apply(outs)).toThrow(/is the 2 outputs of layer gru.*take them apart first/);
    expect(() => new Sequential([layers.lstm({ units: 2, returnState: true, inputShape: [5, 3] })])).toThrow(/gives 3 outputs .* use a functional model/);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2, returnState: true }), backwardLayer: layers.lstm({ units: 2, goBackwards: true }) })).toThrow(/must both have returnState, or neither/);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2, stateful: true }) })).toThrow(/a stateful layer is not supported yet/);
    expect(() => layers.lstm({ units: 4, stateful: true }).apply([x, h, h])).toThrow(/a stateful layer starts from the states it carries/);
  });
});
