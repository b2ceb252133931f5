// The one load(): any saved model or estimator from bytes or a path, its class read from the bytes;
// clear errors for anything else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, PCA, Sequential, StandardScaler, ValueError, layers, load, loadIris } from '../dist/index.js';
import { tempDir } from './temp-dir.js';

const iris = loadIris();
const dir = tempDir('wasmlearn-load-');

describe('load', () => {
  it('restores an estimator from a file path and a model from bytes, each as its own class', async () => {
    const pca = await new PCA({ nComponents: 2 }).fit(iris.data);
    await pca.save(join(dir, 'pca.wasmlearn'));
    const restored = await load(join(dir, 'pca.wasmlearn'));
    expect(restored).toBeInstanceOf(PCA);
    expect((restored as PCA).transform(iris.data)).toEqual(pca.transform(iris.data));
    const model = new Sequential([layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
    const back = await load(model.toBytes());
    expect(back).toBeInstanceOf(Sequential);
    expect(Array.from((back as Sequential).predict(iris.data).data)).toEqual(Array.from(model.predict(iris.data).data));
    model.dispose();
    (back as Sequential).dispose();
  });

  it('refuses what is not a saved model or estimator, and an estimator class it does not know', async () => {
    await expect(load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).rejects.toThrow(FormatError);
    await expect(load(new Uint8Array(30))).rejects.toThrow(/not a saved wasmlearn model or estimator \(they start with "WLRNMODL" or "WLRNESTM"/);
    await expect(load(42 as never)).rejects.toThrow(ValueError);
    // A scaler's bytes with its class renamed (the checksum re-made): a class this version lacks.
    const bytes = (await new StandardScaler().fit(iris.data)).toBytes();
    const length = new DataView(bytes.buffer).getUint32(12, true);
    const json = new TextDecoder().decode(bytes.subarray(20, 20 + length)).replace('"StandardScaler"', '"FancyScalerXYZ"');
    const renamed = new Uint8Array(bytes);
    renamed.set(new TextEncoder().encode(json), 20);
    const { checksum } = await import('../src/io/save.js');
    new DataView(renamed.buffer).setUint32(16, checksum(renamed.subarray(20)), true);
    await expect(load(renamed)).rejects.toThrow(/the bytes hold a FancyScalerXYZ, which this wasmlearn does not know \(known: SVC, NuSVC/);
    writeFileSync(join(dir, 'x.bin'), 'hello world, not a model');
    await expect(load(join(dir, 'x.bin'))).rejects.toThrow(FormatError);
  });
});
