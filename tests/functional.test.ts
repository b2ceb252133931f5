// Functional models against TF.js: a graph with branches, a tensor feeding several layers, a layer
// applied twice (shared weights), merges (add, multiply, concatenate) and two inputs — forward,
// training (the same weights and losses after every epoch) and files both ways.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FormatError, Model, ValueError, input, layers, loadModel, model, optimizers } from '../dist/index.js';
import { testRandom } from './reference.js';

const n = 12;
const next = testRandom(23);
const values = (count: number, scale = 1) => Array.from({ length: count }, () => Math.fround((next() * 2 - 1) * scale));
const xa = values(n * 4), xb = values(n * 3);
const ya = Array.from({ length: n }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]).flat();

/** The same graph in both libraries: [inputs], h, g, a shared dense, multiply, add, concatenate, softmax. */
function build(lib: 'ours' | 'tf') {
  const L = lib === 'ours' ? layers : (tf.layers as unknown as typeof layers);
  const inp = lib === 'ours' ? input({ shape: [4], name: 'a' }) : (tf.input({ shape: [4], name: 'a' }) as never);
  const other = lib === 'ours' ? input({ shape: [3], name: 'b' }) : (tf.input({ shape: [3], name: 'b' }) as never);
  const h = L.dense({ units: 8, activation: 'relu', name: 'h' }).apply(inp);
  const g = L.dense({ units: 8, activation: 'tanh', name: 'g' }).apply(L.concatenate({ name: 'ab' }).apply([inp, other]));
  const shared = L.dense({ units: 8, activation: 'sigmoid', name: 'shared' });
  const m = L.multiply({ name: 'm' }).apply([shared.apply(h), shared.apply(g)]);
  const c = L.add({ name: 'c' }).apply([m, h]);
  const out = L.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(L.concatenate({ name: 'd' }).apply([c, g]));
  return lib === 'ours' ? model({ inputs: [inp, other], outputs: out, name: 'graph' }) : tf.model({ inputs: [inp, other] as never, outputs: out as never, name: 'graph' });
}

/** Both models with the same weights: TF.js' drawn, copied into ours by weight name. */
function pair(): { ours: Model; theirs: tf.LayersModel } {
  const theirs = build('tf') as tf.LayersModel;
  const ours = build('ours') as Model;
  const byName = new Map(theirs.weights.map((w, i) => [w.originalName.replace(/_\d+\//, '/'), theirs.getWeights()[i]]));
  ours.setWeights(ours.weights.map((w) => {
    const t = byName.get(w.name)!;
    return { data: t.dataSync() as Float32Array, shape: t.shape as number[] };
  }));
  return { ours, theirs };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tolerance);
};

describe('functional models', () => {
  it('predict as TF.js: branches, a tensor feeding three layers, a shared layer, merges, two inputs (arrays or keyed)', () => {
    const { ours, theirs } = pair();
    const expected = (theirs.predict([tf.tensor2d(xa, [n, 4]), tf.tensor2d(xb, [n, 3])]) as tf.Tensor).dataSync();
    close(ours.predict([{ data: xa, shape: [n, 4] }, { data: xb, shape: [n, 3] }] as never).data, expected, 1e-6);
    close(ours.predict({ a: { data: xa, shape: [n, 4] }, b: { data: xb, shape: [n, 3] } } as never).data, expected, 1e-6);
    expect(ours.layers.map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    expect(ours.getLayer('shared').inboundNodes).toHaveLength(2);
    // summary's 'Connected to' names the same tensors as TF.js' (name[node][tensor]).
    const tokens = (text: string) => [...text.matchAll(/\b\w+\[\d+\]\[\d+\]/g)].map((m) => m[0]).sort();
    const theirLines: string[] = [];
    theirs.summary(200, undefined, (line: string) => theirLines.push(line));
    const summary = ours.summary(null);
    expect(tokens(summary)).toEqual(tokens(theirLines.join('\n')));
    expect(summary).toMatch(/m \(Multiply\) .* shared\[0\]\[0\], shared\[1\]\[0\]/);
    ours.dispose();
    theirs.dispose();
  });

  it('train as TF.js: gradients summed over a tensor\'s consumers and over a shared layer\'s applications', async () => {
    const { ours, theirs } = pair();
    theirs.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.sgd(0.2) });
    ours.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.sgd(0.2) });
    const h1 = await theirs.fit([tf.tensor2d(xa, [n, 4]), tf.tensor2d(xb, [n, 3])], tf.tensor2d(ya, [n, 3]), { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    const h2 = await ours.fit([{ data: xa, shape: [n, 4] }, { data: xb, shape: [n, 3] }] as never, { data: ya, shape: [n, 3] }, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
    close(h2.history.loss, h1.history.loss as number[], 1e-5);
    const theirWeights = new Map(theirs.weights.map((w, i) => [w.originalName.replace(/_\d+\//, '/'), theirs.getWeights()[i].dataSync()]));
    for (const w of ours.weights) close(ours.getWeights()[ours.weights.indexOf(w)].data, theirWeights.get(w.name)!, 1e-5);
    ours.dispose();
    theirs.dispose();
  });

  it('files both ways: TF.js loads ours, we load TF.js\', wasmlearn bytes round trip', async () => {
    const { ours, theirs } = pair();
    const inputs = [tf.tensor2d(xa, [n, 4]), tf.tensor2d(xb, [n, 3])];
    const expected = (theirs.predict(inputs) as tf.Tensor).dataSync();
    const back = await tf.loadLayersModel(tf.io.fromMemory(ours.toTfjs() as never));
    close((back.predict(inputs) as tf.Tensor).dataSync(), expected, 1e-6);
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const fromTfjs = await loadModel(saved as never);
    expect(fromTfjs).toBeInstanceOf(Model);
    close(fromTfjs.predict([{ data: xa, shape: [n, 4] }, { data: xb, shape: [n, 3] }] as never).data, expected, 1e-6);
    const fromBytes = await loadModel(ours.toBytes());
    close(fromBytes.predict([{ data: xa, shape: [n, 4] }, { data: xb, shape: [n, 3] }] as never).data, expected, 1e-6);
    for (const m of [ours, fromTfjs, fromBytes]) m.dispose();
    back.dispose();
    theirs.dispose();
  });

  it('Keras 3 inbound nodes ({ args: [__keras_tensor__ …] }) load too', async () => {
    const { ours, theirs } = pair();
    const a = ours.toTfjs();
    const topology = JSON.parse(JSON.stringify(a.modelTopology)) as { class_name: string; config: { layers: { inbound_nodes: unknown[][] }[] } };
    topology.class_name = 'Functional';
    const tensor = (ref: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: ref.slice(0, 3) } });
    for (const layer of topology.config.layers) {
      layer.inbound_nodes = layer.inbound_nodes.map((node) => ({ args: node.length === 1 ? [tensor(node[0] as unknown[])] : [node.map((r) => tensor(r as unknown[]))], kwargs: {} })) as never;
    }
    const loaded = await loadModel({ ...a, modelTopology: topology } as never);
    const expected = (theirs.predict([tf.tensor2d(xa, [n, 4]), tf.tensor2d(xb, [n, 3])]) as tf.Tensor).dataSync();
    close(loaded.predict([{ data: xa, shape: [n, 4] }, { data: xb, shape: [n, 3] }] as never).data, expected, 1e-6);
    for (const m of [ours, loaded]) m.dispose();
    theirs.dispose();
  });

  it('clear errors: inputs not from input(), an output not computed from the inputs, several outputs, apply on data, bad merges', () => {
    const a = input({ shape: [4] }), b = input({ shape: [4] });
    const d = layers.dense({ units: 2 }).apply(a);
    expect(() => model({ inputs: d, outputs: d })).toThrow(/inputs must come from input\(\)/);
    expect(() => model({ inputs: a, outputs: layers.add().apply([a, b]) })).toThrow(/depends on input .*, which is not among the model's inputs/);
    expect(() => model({ inputs: a, outputs: [d, d] })).toThrow(/an output is listed twice/);
    expect(() => layers.dense({ units: 2 }).apply([[1, 2]] as never)).toThrow(ValueError);
    expect(() => layers.add().apply([a, layers.dense({ units: 3 }).apply(b)])).toThrow(/inputs must have one shape/);
    expect(() => layers.concatenate({ axis: 0 })).toThrow(/axis must be a non-zero integer/);
    expect(input({ shape: [null, 3] }).shape).toEqual([null, 3]);
    expect(() => layers.dot({ axes: 0 })).toThrow(/Dot: axes must be a non-zero integer/);
    expect(() => layers.dot({ axes: [1, 2, 3] as never })).toThrow(/received \[1,2,3\]|received an array/);
    expect(() => layers.dot({ axes: 1, normalize: 'yes' as never })).toThrow(/normalize must be true or false/);
    expect(() => layers.dot({ axes: 1 }).apply([a, layers.dense({ units: 3 }).apply(b)])).toThrow(/summed axes must have one size; received 4 .* and 3/);
    expect(() => layers.dot({ axes: 2 }).apply([a, b])).toThrow(/axis 2 does not exist for input 0 of rank 2/);
    expect(() => layers.dot({ axes: 1 }).apply([a, b, a])).toThrow(/takes exactly 2 inputs/);
    const m = model({ inputs: [a, b], outputs: layers.add().apply([a, b]) });
    expect(() => m.predict([[1, 2, 3, 4]] as never)).toThrow(/the model has 2 inputs/);
    expect(() => m.predict({ a: [[1, 2, 3, 4]] } as never)).toThrow(ValueError);
    m.dispose();
  });

  it('a corrupt functional topology is a FormatError', async () => {
    const { ours, theirs } = pair();
    const a = ours.toTfjs();
    const topology = JSON.parse(JSON.stringify(a.modelTopology));
    topology.config.layers[3].inbound_nodes = [[['nowhere', 0, 0, {}]]];
    await expect(loadModel({ ...a, modelTopology: topology } as never)).rejects.toThrow(FormatError);
    // A file with a size left null that a dense layer's weights depend on says so.
    const variable = JSON.parse(JSON.stringify(a.modelTopology));
    variable.config.layers[0].config.batch_input_shape = [null, null];
    await expect(loadModel({ ...a, modelTopology: variable } as never)).rejects.toThrow(/Dense h: its weights depend on the sizes of its input \[null\], and some are left to the data/);
    ours.dispose();
    theirs.dispose();
  });
});
