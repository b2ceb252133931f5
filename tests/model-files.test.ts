// Loading and saving as TF.js users do: file:// and folders, paths with '#', '?', '%' and spaces,
// IOHandlers both ways (tf.io.fromMemory, tf.io.withSaveHandler), http over fetch, and refusals
// that help (graph models, Keras .h5 files, missing files, every unsupported class and option).
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, Sequential, layers, loadModel, optimizers } from '../dist/index.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('wasmlearn files #?% ');
const x = { data: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), shape: [6, 4] };

function model(): Sequential {
  const m = new Sequential([
    layers.dense({ units: 5, inputShape: [4], activation: 'tanh', kernelInitializer: { name: 'glorotUniform', seed: 7 } }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 8 } }),
  ]);
  m.compile({ loss: 'categoricalCrossentropy', optimizer: optimizers.adam(0.01) });
  return m;
}

const same = async (loaded: Sequential, expected: Float32Array) => {
  expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(expected));
  loaded.dispose();
};

describe('model files as TF.js users write them', () => {
  const m = model();
  const expected = m.predict(x).data;
  afterAll(() => m.dispose());

  it("save('file://folder') and a folder path write the TF.js layers format; loadModel reads the folder, its model.json and file://", async () => {
    const a = join(dir, 'as file url');
    await m.save(`file://${a}`);
    expect(JSON.parse(readFileSync(join(a, 'model.json'), 'utf8')).format).toBe('layers-model');
    await same(await loadModel(a), expected);
    await same(await loadModel(join(a, 'model.json')), expected);
    await same(await loadModel(`file://${a}`), expected);
    const b = join(dir, 'folder #1?x=%20') + '/';
    await m.save(b);
    await same(await loadModel(b), expected);
    // The folder TF.js itself would load: its loader reads model.json and the shard beside it.
    const json = JSON.parse(readFileSync(join(b, 'model.json'), 'utf8'));
    const shards = json.weightsManifest[0].paths.map((p: string) => readFileSync(join(b, p)));
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(Buffer.concat(shards)).buffer }));
    const p = (theirs.predict(tf.tensor(Array.from(x.data), x.shape)) as tf.Tensor).dataSync();
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - expected[i])).toBeLessThan(1e-6);
    theirs.dispose();
    // A plain file path keeps wasmlearn's single file.
    const file = join(dir, 'one file %.wasmlearn');
    await m.save(file);
    expect(new TextDecoder().decode(readFileSync(file).subarray(0, 8))).toBe('WLRNMODL');
    await same(await loadModel(file), expected);
  });

  it('IOHandlers both ways: tf.io.withSaveHandler receives the artifacts, tf.io.fromMemory loads them', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }) as never);
    expect(saved?.format).toBe('layers-model');
    await same(await loadModel(tf.io.fromMemory(saved!) as never), expected);
    await expect(loadModel({ load: () => 42 } as never)).rejects.toThrow(/the handler's load\(\) gave 42, not model artifacts/);
  });

  it('loadModel over http (fetch): a model.json URL with its shards, and wasmlearn bytes', async () => {
    const folder = join(dir, 'served');
    await m.save(`file://${folder}`);
    const bytes = m.toBytes();
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      if (path === '/model.wasmlearn') return void response.end(Buffer.from(bytes));
      try {
        response.end(readFileSync(join(folder, path)));
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      await same(await loadModel(`${base}/model.json`), expected);
      await same(await loadModel(new URL(`${base}/model.wasmlearn`)), expected);
      await expect(loadModel(`${base}/absent.json`)).rejects.toThrow(/fetching http:\/\/127\.0\.0\.1:\d+\/absent\.json failed with HTTP 404/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refusals that help: a graph model, a Keras file, a missing file, and every unsupported class and option at once', async () => {
    writeFileSync(join(dir, 'graph.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [], library: {}, versions: {} }, weightsManifest: [] }));
    await expect(loadModel(join(dir, 'graph.json'))).rejects.toThrow(/is a TF\.js graph model; wasmlearn loads layers models.*tensorflowjs_converter/);
    await expect(loadModel(join(dir, 'model.h5'))).rejects.toThrow(/model\.h5 is a Keras file; convert it to the TF\.js layers format first/);
    await expect(loadModel(join(dir, 'absent', 'model.json'))).rejects.toThrow(FormatError);
    await expect(loadModel(join(dir, 'absent', 'model.json'))).rejects.toThrow(/cannot read .*absent\/model\.json \(no such file\)/);
    const artifacts = m.toTfjs();
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    topology.config.layers[0].config.groups = 2;
    topology.config.layers[0].config.dilation_rate = [2, 2];
    topology.config.layers.push({ class_name: 'ConvLSTM2D', config: {} }, { class_name: 'CategoryEncoding', config: {} });
    const error = await loadModel({ ...artifacts, modelTopology: topology } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    const message = (error as Error).message;
    expect(message).toMatch(/model topology: 3 problems: layer 0 \(Dense\): option groups = 2, option dilation_rate = \[2,2\] are not supported/);
    expect(message).toMatch(/layer 2: layer class 'ConvLSTM2D' is not supported/);
    expect(message).toMatch(/layer 3: layer class 'CategoryEncoding' is not supported/);
  });
});
