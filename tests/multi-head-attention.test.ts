// Keras 3's MultiHeadAttention (issue 20). TF.js has no such layer, so the reference is an f64
// implementation written from Keras' formulas (keras/src/layers/attention/multi_head_attention.py:
// einsum projections with kernels [d, heads, dim], the query scaled by 1/√keyDim, a softmax whose
// masked positions get −1e9, the output projection [heads, valueDim, out]); gradients against
// finite differences of that reference; masks, dropout, saving, and the same bits on 1, 2 and 4 threads.
import { describe, expect, test } from 'vitest';
import { ShapeError, ValueError, input, layers, loadModel, model as functional, optimizers, setRandomSeed } from '../dist/index.js';
import { checkGradients, gradientsByName } from './gradient-check.js';
import { testRandom } from './reference.js';

interface Options {
  heads: number;
  keyDim: number;
  valueDim: number;
  out: number;
  useBias: boolean;
  causal: boolean;
}

/** Keras' MHA on one sample, in f64: weights in Keras' order and layout, mask [tq, tk] (1 keep) or undefined. */
function mhaReference(q: Float64Array, v: Float64Array, k: Float64Array, tq: number, tk: number, dq: number, dv: number, dk: number,
  o: Options, w: Float64Array[], mask: Float64Array | undefined, scoresOut?: Float64Array): Float64Array {
  const per = o.useBias ? 2 : 1;
  const [Wq, Wk, Wv, Wo] = [0, 1, 2, 3].map((i) => w[i * per]);
  const [bq, bk, bv, bo] = [0, 1, 2, 3].map((i) => (o.useBias ? w[i * per + 1] : undefined));
  const H = o.heads, kd = o.keyDim, vd = o.valueDim;
  // x [t, d] · W [d, H, dim] + b [H, dim] → [t, H, dim]
  const project = (x: Float64Array, t: number, d: number, W: Float64Array, b: Float64Array | undefined, dim: number) => {
    const y = new Float64Array(t * H * dim);
    for (let s = 0; s < t; s++) for (let j = 0; j < H * dim; j++) {
      let sum = b ? b[j] : 0;
      for (let c = 0; c < d; c++) sum += x[s * d + c] * W[c * H * dim + j];
      y[s * H * dim + j] = sum;
    }
    return y;
  };
  const Q = project(q, tq, dq, Wq, bq, kd), K = project(k, tk, dk, Wk, bk, kd), V = project(v, tk, dv, Wv, bv, vd);
  const O = new Float64Array(tq * H * vd);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < tq; i++) {
      const scores = Array.from({ length: tk }, (_, j) => {
        let sum = 0;
        for (let c = 0; c < kd; c++) sum += (Q[(i * H + h) * kd + c] / Math.sqrt(kd)) * K[(j * H + h) * kd + c];
        const kept = (!o.causal || j <= i) && (!mask || mask[i * tk + j] !== 0);
        return kept ? sum : sum - 1e9;
      });
      const top = Math.max(...scores), e = scores.map((z) => Math.exp(z - top)), total = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < tk; j++) for (let c = 0; c < vd; c++) O[(i * H + h) * vd + c] += (e[j] / total) * V[(j * H + h) * vd + c];
      if (scoresOut) for (let j = 0; j < tk; j++) scoresOut[(h * tq + i) * tk + j] = e[j] / total;
    }
  }
  // O [tq, H, vd] · Wo [H, vd, out] + bo
  const y = new Float64Array(tq * o.out);
  for (let i = 0; i < tq; i++) for (let j = 0; j < o.out; j++) {
    let sum = bo ? bo[j] : 0;
    for (let c = 0; c < H * vd; c++) sum += O[i * H * vd + c] * Wo[c * o.out + j];
    y[i * o.out + j] = sum;
  }
  return y;
}

describe('multiHeadAttention', () => {
  const cases: (Options & { what: string; key: boolean; masked: boolean; self: boolean })[] = [
    { what: 'self-attention, [x, x]', heads: 2, keyDim: 3, valueDim: 3, out: 4, useBias: true, causal: false, key: false, masked: false, self: true },
    { what: 'a separate key, valueDim ≠ keyDim, outputShape, no biases', heads: 3, keyDim: 2, valueDim: 4, out: 5, useBias: false, causal: false, key: true, masked: false, self: false },
    { what: 'a causal mask', heads: 2, keyDim: 2, valueDim: 2, out: 4, useBias: true, causal: true, key: false, masked: false, self: true },
    { what: 'an attention mask and a causal mask', heads: 1, keyDim: 4, valueDim: 3, out: 4, useBias: true, causal: true, key: true, masked: true, self: false },
  ];

  for (const c of cases) {
    test(`${c.what}: predicts as the f64 reference, every weight's gradient matches finite differences, saves and loads`, async () => {
      setRandomSeed(31);
      const n = 3, tq = 4, tk = c.self ? 4 : 5, f = 4;
      const qIn = input({ shape: [tq, f] }), vIn = input({ shape: [tk, f] }), kIn = input({ shape: [tk, 3] }), mIn = input({ shape: [tq, tk] });
      // A dense before the query checks the gradient that flows to the query too.
      const lq = layers.dense({ units: f, biasInitializer: { name: 'randomNormal', seed: 3 } });
      const mha = layers.multiHeadAttention({
        numHeads: c.heads, keyDim: c.keyDim, valueDim: c.valueDim, useBias: c.useBias, outputShape: c.out === f ? null : c.out,
        biasInitializer: { name: 'randomNormal', seed: 4 },
      });
      const lo = layers.dense({ units: 1 });
      const query = lq.apply(qIn);
      const mixed = mha.apply({
        query, value: c.self ? query : vIn, ...(c.key ? { key: kIn } : {}), ...(c.masked ? { attentionMask: mIn } : {}), useCausalMask: c.causal,
      });
      expect(mixed.shape).toEqual([tq, c.out]);
      const ins = c.self ? [qIn] : [qIn, vIn, ...(c.key ? [kIn] : []), ...(c.masked ? [mIn] : [])];
      const m = functional({ inputs: ins, outputs: lo.apply(layers.flatten().apply(mixed)) });
      m.compile({ loss: 'mse', optimizer: 'sgd' });
      expect(mha.weights.map((w) => w.shape)).toEqual([
        [f, c.heads, c.keyDim], ...(c.useBias ? [[c.heads, c.keyDim]] : []),
        [c.key ? 3 : f, c.heads, c.keyDim], ...(c.useBias ? [[c.heads, c.keyDim]] : []),
        [f, c.heads, c.valueDim], ...(c.useBias ? [[c.heads, c.valueDim]] : []),
        [c.heads, c.valueDim, c.out], ...(c.useBias ? [[c.out]] : []),
      ]);
      const next = testRandom(32);
      const data = (size: number) => Float32Array.from({ length: size }, () => next() * 2 - 1);
      const xq = data(n * tq * f), xv = data(n * tk * f), xk = data(n * tk * 3);
      // Each query step keeps at least one key step (a wholly masked row is a uniform softmax, also in Keras).
      const mask = Float32Array.from({ length: n * tq * tk }, (_, i) => (i % tk === 0 || next() > 0.4 ? 1 : 0));
      const target = data(n);
      const owned = [lq, mha, lo];
      const weights = new Map(owned.map((l) => [l, l.getWeights().map((w) => Float64Array.from(w.data))]));
      const forward = (): Float64Array => {
        const [Wq, bq] = weights.get(lq)!, [Wo, bo] = weights.get(lo)!;
        return Float64Array.from({ length: n }, (_, s) => {
          const x = Float64Array.from(xq.subarray(s * tq * f, (s + 1) * tq * f));
          const q = new Float64Array(tq * f);
          for (let t = 0; t < tq; t++) for (let j = 0; j < f; j++) {
            let sum = bq[j];
            for (let i = 0; i < f; i++) sum += x[t * f + i] * Wq[i * f + j];
            q[t * f + j] = sum;
          }
          const v = c.self ? q : Float64Array.from(xv.subarray(s * tk * f, (s + 1) * tk * f));
          const k = c.key ? Float64Array.from(xk.subarray(s * tk * 3, (s + 1) * tk * 3)) : v;
          const y = mhaReference(q, v, k, tq, tk, f, f, c.key ? 3 : f, c, weights.get(mha)!, c.masked ? Float64Array.from(mask.subarray(s * tq * tk, (s + 1) * tq * tk)) : undefined);
          let out = bo[0];
          for (let i = 0; i < tq * c.out; i++) out += y[i] * Wo[i];
          return out;
        });
      };
      const inputs = c.self ? [{ data: xq, shape: [n, tq, f] }] : [
        { data: xq, shape: [n, tq, f] }, { data: xv, shape: [n, tk, f] },
        ...(c.key ? [{ data: xk, shape: [n, tk, 3] }] : []), ...(c.masked ? [{ data: mask, shape: [n, tq, tk] }] : []),
      ];
      const predicted = m.predict(inputs).data, reference = forward();
      for (let i = 0; i < n; i++) expect(Math.abs(predicted[i] - reference[i]), `sample ${i}`).toBeLessThan(5e-6);
      const loss = () => forward().reduce((sum, o, i) => sum + (o - target[i]) ** 2, 0) / n;
      const { gradients } = m.gradients(inputs, { data: target, shape: [n, 1] });
      const byName = gradientsByName(m, gradients);
      const checked = checkGradients(owned, weights, byName, loss);
      expect(checked).toBeGreaterThan(60);
      // Saved and loaded (the causal mask travels as the call argument Keras writes): the same bits.
      const bytes = m.toBytes();
      const loaded = await loadModel(bytes);
      expect((loaded.layers.find((l) => l.className === 'MultiHeadAttention') as unknown as { useCausalMask: boolean }).useCausalMask).toBe(c.causal);
      expect(Array.from(loaded.predict(inputs).data)).toEqual(Array.from(predicted));
      loaded.dispose();
      m.dispose();
    });
  }

  test('returnAttentionScores: apply gives [output, scores [heads, Tq, Tk]], the scores are the reference\'s softmax weights, and gradients through both match finite differences', async () => {
    setRandomSeed(45);
    const n = 2, tq = 3, tk = 4, f = 4, o: Options = { heads: 2, keyDim: 2, valueDim: 3, out: f, useBias: true, causal: false };
    const q = input({ shape: [tq, f] }), v = input({ shape: [tk, f] });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, biasInitializer: { name: 'randomNormal', seed: 46 } });
    const both = mha.apply({ query: q, value: v, returnAttentionScores: true });
    expect(both.length).toBe(2);
    const [out, scores] = both;
    expect([out.shape, scores.shape]).toEqual([[tq, f], [2, tq, tk]]);
    const d1 = layers.dense({ units: 1 }), d2 = layers.dense({ units: 1 });
    const m = functional({ inputs: [q, v], outputs: layers.add().apply([d1.apply(layers.flatten().apply(out)), d2.apply(layers.flatten().apply(scores))]) });
    const just = functional({ inputs: [q, v], outputs: [out, scores] });
    const next = testRandom(47);
    const xq = Float32Array.from({ length: n * tq * f }, () => next() * 2 - 1), xv = Float32Array.from({ length: n * tk * f }, () => next() * 2 - 1);
    const inputs = [{ data: xq, shape: [n, tq, f] }, { data: xv, shape: [n, tk, f] }];
    const weights = new Map([mha, d1, d2].map((l) => [l, l.getWeights().map((w) => Float64Array.from(w.data))]));
    const reference = (s: number) => {
      const P = new Float64Array(2 * tq * tk);
      const y = mhaReference(Float64Array.from(xq.subarray(s * tq * f, (s + 1) * tq * f)), Float64Array.from(xv.subarray(s * tk * f, (s + 1) * tk * f)),
        Float64Array.from(xv.subarray(s * tk * f, (s + 1) * tk * f)), tq, tk, f, f, f, o, weights.get(mha)!, undefined, P);
      return { y, P };
    };
    const [gotOut, gotScores] = just.predict(inputs) as unknown as { data: Float32Array }[];
    for (let s = 0; s < n; s++) {
      const { y, P } = reference(s);
      for (let i = 0; i < y.length; i++) expect(Math.abs(gotOut.data[s * y.length + i] - y[i])).toBeLessThan(5e-6);
      for (let i = 0; i < P.length; i++) expect(Math.abs(gotScores.data[s * P.length + i] - P[i])).toBeLessThan(5e-7);
    }
    const forward = () => Float64Array.from({ length: n }, (_, s) => {
      const { y, P } = reference(s), [W1, b1] = weights.get(d1)!, [W2, b2] = weights.get(d2)!;
      return b1[0] + b2[0] + y.reduce((sum, v2, i) => sum + v2 * W1[i], 0) + P.reduce((sum, v2, i) => sum + v2 * W2[i], 0);
    });
    const target = Float32Array.from({ length: n }, () => next());
    const loss = () => forward().reduce((sum, v2, i) => sum + (v2 - target[i]) ** 2, 0) / n;
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const { gradients } = m.gradients(inputs, { data: target, shape: [n, 1] });
    const byName = gradientsByName(m, gradients);
    checkGradients([mha, d2], weights, byName, loss);
    // Saved and loaded: the call argument travels, the two outputs come back.
    const loaded = await loadModel(just.toBytes());
    const again = loaded.predict(inputs) as unknown as { data: Float32Array }[];
    expect(Array.from(again[1].data)).toEqual(Array.from(gotScores.data));
    loaded.dispose();
    m.dispose();
    just.dispose();
  });

  test('a causal mask makes an output step independent of later input steps', () => {
    setRandomSeed(33);
    const x = input({ shape: [6, 4] });
    const y = layers.multiHeadAttention({ numHeads: 2, keyDim: 4 }).apply({ query: x, value: x, useCausalMask: true });
    const m = functional({ inputs: x, outputs: y });
    const next = testRandom(34);
    const a = Float32Array.from({ length: 24 }, () => next());
    const b = Float32Array.from(a);
    for (let i = 16; i < 24; i++) b[i] = next() * 5; // steps 4 and 5 changed
    const ya = m.predict({ data: a, shape: [1, 6, 4] }).data, yb = m.predict({ data: b, shape: [1, 6, 4] }).data;
    expect(Array.from(yb.subarray(0, 16))).toEqual(Array.from(ya.subarray(0, 16)));
    expect(Array.from(yb.subarray(16))).not.toEqual(Array.from(ya.subarray(16)));
    m.dispose();
  });

  test('dropout drops attention weights in training only, from the fit seed: predict is the reference without it, fits are repeatable and learn', async () => {
    const make = (n: number, seed: number) => {
      // Which of the first two steps' first features is larger: attention must look at them.
      const next = testRandom(seed);
      const x = Float32Array.from({ length: n * 5 * 3 }, () => next() * 2 - 1);
      const y = Float32Array.from({ length: n }, (_, i) => (x[i * 15] > x[i * 15 + 3] ? 1 : 0));
      return { x: { data: x, shape: [n, 5, 3] }, y: { data: y, shape: [n, 1] } };
    };
    const train = make(256, 35), check = make(128, 36);
    const fit = async (dropout: number) => {
      setRandomSeed(37);
      const x = input({ shape: [5, 3] });
      const h = layers.dense({ units: 8 }).apply(x);
      const a = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout }).apply([h, h]);
      const out = layers.dense({ units: 1, activation: 'sigmoid' }).apply(layers.flatten().apply(a));
      const m = functional({ inputs: x, outputs: out });
      m.compile({ loss: 'binaryCrossentropy', optimizer: optimizers.adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
      const history = await m.fit(train.x, train.y, { epochs: 30, batchSize: 32, verbose: 0, seed: 38 });
      const p = Float32Array.from(m.predict(check.x).data);
      const [, accuracy] = (await m.evaluate(check.x, check.y)) as number[];
      m.dispose();
      return { loss: history.history.loss as number[], p, accuracy };
    };
    // Predict does not drop: a layer with dropout predicts as one without, with the same weights.
    setRandomSeed(44);
    const x = input({ shape: [5, 3] });
    const withDropout = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5 }), without = layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    const a = functional({ inputs: x, outputs: withDropout.apply([x, x]) }), b = functional({ inputs: x, outputs: without.apply([x, x]) });
    without.setWeights(withDropout.getWeights());
    expect(Array.from(a.predict(check.x).data)).toEqual(Array.from(b.predict(check.x).data));
    a.dispose();
    b.dispose();
    const dropped = await fit(0.3), again = await fit(0.3), none = await fit(0);
    expect(again.p).toEqual(dropped.p);
    expect(dropped.loss).not.toEqual(none.loss);
    expect(dropped.loss[dropped.loss.length - 1]).toBeLessThan(dropped.loss[0] * 0.7);
    expect(dropped.accuracy).toBeGreaterThan(0.8);
  });

  test('the same bits on 1, 2 and 4 threads (a training run)', async () => {
    const { init } = await import('../dist/index.js');
    const next = testRandom(39);
    const xs = Float32Array.from({ length: 64 * 7 * 6 }, () => next() * 2 - 1), ys = Float32Array.from({ length: 64 }, () => next());
    const run = async (threads: number) => {
      await init({ threads });
      setRandomSeed(40);
      const x = input({ shape: [7, 6] });
      const a = layers.multiHeadAttention({ numHeads: 3, keyDim: 5, dropout: 0.1 }).apply({ query: x, value: x, useCausalMask: true });
      const m = functional({ inputs: x, outputs: layers.dense({ units: 1 }).apply(layers.flatten().apply(a)) });
      m.compile({ loss: 'mse', optimizer: 'adam' });
      await m.fit({ data: xs, shape: [64, 7, 6] }, { data: ys, shape: [64, 1] }, { epochs: 3, batchSize: 16, verbose: 0, seed: 41 });
      const p = Float32Array.from(m.predict({ data: xs, shape: [64, 7, 6] }).data);
      m.dispose();
      return p;
    };
    const one = await run(1), two = await run(2), four = await run(4);
    await init({ threads: 2 });
    expect(two).toEqual(one);
    expect(four).toEqual(one);
  });

  test('variable sequence length: a model over [null, features] predicts each length as a model built for it', () => {
    setRandomSeed(42);
    const x = input({ shape: [null, 4] });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const m = functional({ inputs: x, outputs: layers.globalAveragePooling1d().apply(mha.apply({ query: x, value: x, useCausalMask: true })) });
    const next = testRandom(43);
    for (const steps of [3, 9]) {
      const data = Float32Array.from({ length: 2 * steps * 4 }, () => next());
      const fixed = input({ shape: [steps, 4] });
      const twin = layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
      const f = functional({ inputs: fixed, outputs: layers.globalAveragePooling1d().apply(twin.apply({ query: fixed, value: fixed, useCausalMask: true })) });
      twin.setWeights(mha.getWeights());
      expect(Array.from(m.predict({ data, shape: [2, steps, 4] }).data)).toEqual(Array.from(f.predict({ data, shape: [2, steps, 4] }).data));
      f.dispose();
    }
    m.dispose();
  });

  test('refusals name the argument, what was expected and what came', () => {
    expect(() => layers.multiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(/numHeads must be a positive integer; received 0/);
    expect(() => layers.multiHeadAttention({ numHeads: 2 } as never)).toThrow(/keyDim must be a positive integer; received undefined/);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 1 })).toThrow(/dropout must be a fraction in \[0, 1\)/);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] })).toThrow(ValueError);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [3, 4] })).toThrow(/outputShape must be a positive integer or \[size\]/);
    const q = input({ shape: [3, 4] }), v = input({ shape: [5, 2] });
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply(q)).toThrow(/received one tensor/);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([q, v, input({ shape: [6, 2] })])).toThrow(ShapeError);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply({ query: q, value: v, attentionMask: input({ shape: [3, 4] }) })).toThrow(/attentionMask must be \[query steps, key steps\] = \[3, 5\]/);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply({ query: q, value: v, causal: true } as never)).toThrow(/causal/);
    const shared = layers.multiHeadAttention({ numHeads: 2, keyDim: 2 });
    shared.apply({ query: q, value: v, useCausalMask: true });
    expect(() => shared.apply({ query: q, value: v })).toThrow(/every application of one layer must use the same/);
  });
});
