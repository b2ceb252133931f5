// Models used as layers (Keras: a model is a layer), against real TF.js: files TF.js saves with a
// Sequential holding a functional network (Teachable Machine's shape: a Sequential of a
// Sequential of a residual 'Model', then a Sequential head) and a functional model holding a
// Sequential load and predict as TF.js does; what we save loads back in TF.js; a model applied in
// another trains its shared weights as TF.js trains them.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FormatError, Model, Sequential, ValueError, input, layers, loadModel, model, optimizers } from '../dist/index.js';
import { testRandom } from './reference.js';

const n = 6;
const next = testRandom(31);
const pixels = Array.from({ length: n * 6 * 6 * 2 }, () => Math.fround(next() * 2 - 1));
const labels = Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance);
};

async function saved(m: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return artifacts!;
}

/** Teachable Machine's shape in TF.js: sequential[ sequential[ residual functional 'Model' ], sequential[ dense head ] ]. */
function teachableMachine(): tf.LayersModel {
  const L = tf.layers;
  const x = tf.input({ shape: [6, 6, 2] });
  const c1 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'tm_conv1' }).apply(x) as tf.SymbolicTensor;
  const c2 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'tm_conv2' }).apply(c1) as tf.SymbolicTensor;
  const sum = L.add({ name: 'tm_add' }).apply([c1, c2]) as tf.SymbolicTensor;
  const pooled = L.flatten({ name: 'tm_flat' }).apply(L.maxPooling2d({ poolSize: 2, name: 'tm_pool' }).apply(sum)) as tf.SymbolicTensor;
  const backbone = tf.model({ inputs: x, outputs: pooled, name: 'tm_backbone' });
  const body = tf.sequential({ layers: [backbone], name: 'tm_body' });
  const head = tf.sequential({ layers: [L.dense({ units: 5, activation: 'relu', inputShape: [36], name: 'tm_dense1' }), L.dense({ units: 3, activation: 'softmax', name: 'tm_dense2' })], name: 'tm_head' });
  return tf.sequential({ layers: [body, head], name: 'tm_outer' });
}

describe('nested models', () => {
  it('a TF.js file of a Sequential of Sequentials holding a functional network loads and predicts as TF.js; ours loads back in TF.js', async () => {
    const theirs = teachableMachine();
    const x = tf.tensor(pixels, [n, 6, 6, 2]);
    const expected = (theirs.predict(x) as tf.Tensor).dataSync();
    const ours = await loadModel(await saved(theirs));
    expect(ours).toBeInstanceOf(Model);
    const data = { data: Float32Array.from(pixels), shape: [n, 6, 6, 2] };
    close(ours.predict(data).data, expected, 1e-5);
    expect(ours.countParams()).toBe(theirs.countParams());
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    close((back.predict(x) as tf.Tensor).dataSync(), expected, 1e-5);
    const again = await loadModel(ours.toBytes());
    close(again.predict(data).data, expected, 1e-5);
    // Keras' and TF.js' view: the nested models are layers of the outer one, usable on their own.
    expect(ours.layers.filter((l) => l.className !== 'InputLayer').map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    // A Sequential holding a model loads as a functional model (its graph holds the nested one).
    const body = (ours as Model).getLayer('tm_body') as Model;
    expect(body).toBeInstanceOf(Model);
    close(body.predict(data).data, ((theirs.getLayer('tm_body') as tf.LayersModel).predict(x) as tf.Tensor).dataSync(), 1e-5);
    expect(ours.summary(null)).toMatch(/tm_body \(Model\)\s+\(None, 36\)\s+\d+\s+input_layer\S*\[0\]\[0\]/);
    const theirWeights = theirs.getWeights();
    ours.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(theirWeights[i].dataSync())));
    // TF.js' transfer-learning idiom: the backbone cut at a layer's output, as a model of its own.
    const backbone = body.getLayer('tm_backbone') as Model;
    const cut = model({ inputs: backbone.inputs as never, outputs: (backbone.getLayer('tm_add') as unknown as { output: never }).output });
    const tfBackbone = (theirs.getLayer('tm_body') as tf.Sequential).getLayer('tm_backbone') as tf.LayersModel;
    const tfCut = tf.model({ inputs: tfBackbone.inputs, outputs: tfBackbone.getLayer('tm_add').output as tf.SymbolicTensor });
    close(cut.predict(data).data, (tfCut.predict(x) as tf.Tensor).dataSync(), 1e-5);
    expect(cut.outputShape).toEqual([6, 6, 4]);
    for (const m of [ours, again]) m.dispose();
    for (const m of [theirs, back]) m.dispose();
    x.dispose();
  });

  it('a functional model holding a Sequential (applied to two inputs: shared) loads from TF.js and predicts as TF.js', async () => {
    const L = tf.layers;
    const encoder = tf.sequential({ layers: [L.dense({ units: 4, activation: 'tanh', inputShape: [5], name: 'enc_a' }), L.dense({ units: 3, name: 'enc_b' })], name: 'encoder' });
    const a = tf.input({ shape: [5], name: 'left' });
    const b = tf.input({ shape: [5], name: 'right' });
    const joined = L.concatenate({ name: 'both' }).apply([encoder.apply(a) as tf.SymbolicTensor, encoder.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const theirs = tf.model({ inputs: [a, b], outputs: L.dense({ units: 2, activation: 'softmax', name: 'judge' }).apply(joined) as tf.SymbolicTensor, name: 'siamese' });
    const xa = Array.from({ length: n * 5 }, () => Math.fround(next() * 2 - 1));
    const xb = Array.from({ length: n * 5 }, () => Math.fround(next() * 2 - 1));
    const expected = (theirs.predict([tf.tensor2d(xa, [n, 5]), tf.tensor2d(xb, [n, 5])]) as tf.Tensor).dataSync();
    const ours = await loadModel(await saved(theirs));
    close(ours.predict([{ data: xa, shape: [n, 5] }, { data: xb, shape: [n, 5] }] as never).data, expected, 1e-5);
    expect(ours.countParams()).toBe(theirs.countParams());
    // The encoder is one layer of the siamese model (applied twice), as TF.js lists it.
    expect(ours.layers.map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    expect(ours.summary(null)).toMatch(/encoder \(Sequential\)\s+\(None, 3\)\s+39\s+left\[0\]\[0\], right\[0\]\[0\]\n[_]+\nboth \(Concatenate\)\s+\(None, 6\)\s+0\s+encoder\[0\]\[0\], encoder\[1\]\[0\]/);
    ours.dispose();
    theirs.dispose();
  });

  it('a model applied in another model shares its weights: training the outer trains it, as in TF.js', async () => {
    const build = (lib: 'ours' | 'tf') => {
      const L = lib === 'ours' ? layers : (tf.layers as unknown as typeof layers);
      const mk = lib === 'ours' ? input : (tf.input as unknown as typeof input);
      const inner = lib === 'ours'
        ? new Sequential([L.dense({ units: 4, activation: 'sigmoid', inputShape: [5], name: 'in1' }), L.dense({ units: 4, activation: 'tanh', name: 'in2' })])
        : tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'sigmoid', inputShape: [5], name: 'in1' }), tf.layers.dense({ units: 4, activation: 'tanh', name: 'in2' })] });
      const x = mk({ shape: [5] });
      const h = (inner as unknown as { apply(t: unknown): never }).apply(x);
      const out = L.dense({ units: 3, activation: 'softmax', name: 'top' }).apply(h);
      const outer = lib === 'ours' ? model({ inputs: x, outputs: out }) : tf.model({ inputs: x as never, outputs: out as never });
      return { inner, outer };
    };
    const theirs = build('tf') as unknown as { inner: tf.Sequential; outer: tf.LayersModel };
    const ours = build('ours') as unknown as { inner: Sequential; outer: Model };
    ours.outer.setWeights(theirs.outer.getWeights().map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape as number[] })));
    const xs = Array.from({ length: n * 5 }, () => Math.fround(next() * 2 - 1));
    theirs.outer.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.5) });
    ours.outer.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.5) });
    await theirs.outer.fit(tf.tensor2d(xs, [n, 5]), tf.tensor2d(labels, [n, 3]), { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
    await ours.outer.fit({ data: Float32Array.from(xs), shape: [n, 5] }, { data: Float32Array.from(labels), shape: [n, 3] }, { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
    // The inner model's own weights moved with the outer's training, as TF.js' did.
    const innerTheirs = theirs.inner.getWeights().map((t) => t.dataSync());
    ours.inner.getWeights().forEach((w, i) => close(w.data, innerTheirs[i], 1e-5));
    close(ours.inner.predict({ data: Float32Array.from(xs), shape: [n, 5] }).data, (theirs.inner.predict(tf.tensor2d(xs, [n, 5])) as tf.Tensor).dataSync(), 1e-5);
    ours.outer.dispose();
    theirs.outer.dispose();
  });

  it('transfer learning as in TF.js: a frozen base applied in a new model stays as it was while the head learns', async () => {
    const build = (lib: 'ours' | 'tf') => {
      const L = lib === 'ours' ? layers : (tf.layers as unknown as typeof layers);
      const base = lib === 'ours'
        ? new Sequential([layers.dense({ units: 6, activation: 'relu', inputShape: [5], name: 'base1' })])
        : tf.sequential({ layers: [tf.layers.dense({ units: 6, activation: 'relu', inputShape: [5], name: 'base1' })] });
      (base as { trainable: boolean }).trainable = false;
      const x = (lib === 'ours' ? input : (tf.input as unknown as typeof input))({ shape: [5] });
      const out = L.dense({ units: 3, activation: 'softmax', name: 'head' }).apply((base as unknown as { apply(t: unknown): never }).apply(x));
      return { base, outer: lib === 'ours' ? model({ inputs: x, outputs: out }) : tf.model({ inputs: x as never, outputs: out as never }) };
    };
    const theirs = build('tf') as unknown as { base: tf.Sequential; outer: tf.LayersModel };
    const ours = build('ours') as unknown as { base: Sequential; outer: Model };
    expect(ours.base.trainable).toBe(false);
    expect(ours.outer.trainableWeights.length).toBe(2);
    // By name: TF.js lists trainable weights first (its order changes with freezing), Keras and we by layer.
    const byName = (m: tf.LayersModel) => new Map(m.weights.map((w, i) => [w.originalName.replace(/_\d+\//, '/'), m.getWeights()[i]]));
    const initial = byName(theirs.outer);
    ours.outer.setWeights(ours.outer.weights.map((w) => ({ data: initial.get(w.name)!.dataSync() as Float32Array, shape: [...w.shape] })));
    const before = ours.base.getWeights().map((w) => Float32Array.from(w.data));
    const xs = Array.from({ length: n * 5 }, () => Math.fround(next() * 2 - 1));
    theirs.outer.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.5) });
    ours.outer.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.5) });
    const h1 = await theirs.outer.fit(tf.tensor2d(xs, [n, 5]), tf.tensor2d(labels, [n, 3]), { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    const h2 = await ours.outer.fit({ data: Float32Array.from(xs), shape: [n, 5] }, { data: Float32Array.from(labels), shape: [n, 3] }, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    ours.base.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i])));
    const trained = byName(theirs.outer);
    ours.outer.weights.forEach((w, i) => close(ours.outer.getWeights()[i].data, trained.get(w.name)!.dataSync(), 1e-5));
    expect(() => { (ours.base as { trainable: unknown }).trainable = 'no'; }).toThrow(/trainable must be true or false/);
    ours.outer.dispose();
    theirs.outer.dispose();
  });

  it('Keras\' idiom Sequential([base, pooling, head]) with a functional base: predicts, trains (the base frozen) and saves as TF.js\' tf.sequential of the same', async () => {
    // The same residual base in both libraries, then pooling and a dense head in a Sequential.
    const base = (lib: 'ours' | 'tf') => {
      const L = (lib === 'ours' ? layers : tf.layers) as typeof layers;
      const x = (lib === 'ours' ? input : (tf.input as unknown as typeof input))({ shape: [6, 6, 2] });
      const c1 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'b_conv1' }).apply(x);
      const c2 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'b_conv2' }).apply(c1);
      const out = L.add({ name: 'b_add' }).apply([c1, c2] as never);
      return lib === 'ours' ? model({ inputs: x, outputs: out, name: 'base' }) : tf.model({ inputs: x as never, outputs: out as never, name: 'base' });
    };
    const oursBase = base('ours') as Model, theirsBase = base('tf') as unknown as tf.LayersModel;
    oursBase.setWeights(theirsBase.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape })));
    const ours = new Sequential([oursBase, layers.globalAveragePooling2d({ name: 'gap' }), layers.dense({ units: 3, activation: 'softmax', name: 'head' })]);
    const theirs = tf.sequential({ layers: [theirsBase, tf.layers.globalAveragePooling2d({ name: 'gap' }), tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' })] });
    ours.getLayer('head').setWeights((theirs.getLayer('head').getWeights()).map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape })));
    expect(ours.layers.map((l) => l.name)).toEqual(['base', 'gap', 'head']);
    expect(ours.layers[0]).toBe(oursBase);
    expect(ours.inputShape).toEqual([6, 6, 2]);
    expect(ours.outputShape).toEqual([3]);
    expect(ours.countParams()).toBe(theirs.countParams());
    expect(ours.summary(null)).toMatch(/base \(Model\)/);
    const x = { data: Float32Array.from(pixels), shape: [n, 6, 6, 2] }, tx = tf.tensor4d(pixels, [n, 6, 6, 2]);
    close(ours.predict(x).data, (theirs.predict(tx) as tf.Tensor).dataSync(), 1e-5);
    // Transfer learning: the base frozen, the head trained, as TF.js does.
    oursBase.trainable = false;
    // TF.js still trains a nested model whose own trainable is false (its layers stay trainable): freeze those.
    theirsBase.layers.forEach((l) => { l.trainable = false; });
    const frozen = oursBase.getWeights().map((w) => Array.from(w.data));
    ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.3), metrics: ['accuracy'] });
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.3), metrics: ['accuracy'] });
    const h1 = await theirs.fit(tx, tf.tensor2d(labels, [n, 3]), { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
    const h2 = await ours.fit(x, { data: Float32Array.from(labels), shape: [n, 3] }, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    oursBase.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(frozen[i]));
    close(ours.predict(x).data, (theirs.predict(tx) as tf.Tensor).dataSync(), 1e-5);
    // Saved (as the functional graph the items make), loaded here and in TF.js: the same predictions.
    const back = await loadModel(ours.toBytes());
    expect(Array.from(back.predict(x).data as Float32Array)).toEqual(Array.from(ours.predict(x).data));
    const inTfjs = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    close((inTfjs.predict(tx) as tf.Tensor).dataSync(), ours.predict(x).data, 1e-5);
    // sequential({ layers }) and add take a model too; errors name what is wrong.
    const viaAdd = new Sequential();
    viaAdd.add(oursBase);
    viaAdd.add(layers.flatten());
    expect(viaAdd.outputShape).toEqual([144]);
    const two = input({ shape: [3] }), other = input({ shape: [3] });
    const twoInputs = model({ inputs: [two, other], outputs: layers.add().apply([two, other]) });
    expect(() => new Sequential([twoInputs])).toThrow(/a model in a Sequential must have one input and one output; model has 2 and 1/);
    const free = input({ shape: [null, 3] });
    expect(() => new Sequential([model({ inputs: free, outputs: layers.dense({ units: 2 }).apply(free) })])).toThrow(/leaves sizes to the data \(\[null, 3\]\); a Sequential needs them fixed/);
    expect(() => new Sequential([oursBase, oursBase])).toThrow(/model base is already in the model/);
    for (const m of [ours, back, twoInputs]) m.dispose();
    for (const m of [theirs, inTfjs]) m.dispose();
  });

  it('clear errors: the wrong number or shape of tensors given to a model; a broken nested model in a file says where', async () => {
    const x = input({ shape: [3] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(x) });
    expect(() => m.apply([input({ shape: [3] }), input({ shape: [3] })])).toThrow(ValueError);
    expect(() => m.apply([input({ shape: [3] }), input({ shape: [3] })])).toThrow(/expected 1 symbolic tensor/);
    expect(() => m.apply(input({ shape: [4] }))).toThrow(/has shape \[3\]; received \[4\]/);
    expect(() => m.apply({ data: [1, 2, 3] } as never)).toThrow(ValueError);
    m.dispose();
    const artifacts = await saved(teachableMachine());
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    delete topology.config.layers[0].config.layers[0].config.output_layers;
    const error = await loadModel({ ...artifacts, modelTopology: topology } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(String((error as Error).message)).toMatch(/layer 0 \(a nested Sequential model\): layer 0 \(a nested Model model\): output_layers/);
  });
});
