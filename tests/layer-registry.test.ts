// The layer registry: a user's own layer class, registered once, saves in the TF.js layers format
// and in wasmlearn's bytes and loads back through the registry with the same predictions; unknown
// classes are refused with the list of known ones.
import { describe, expect, it } from 'vitest';
import { FormatError, Sequential, ValueError, layers, loadModel, registerLayer } from '../dist/index.js';

/** A user's layer: a dense layer of its own class name that carries an option of its own. */
class TaggedDense extends layers.Dense {
  override readonly className = 'TaggedDense';
  readonly tag: string;

  constructor(args: ConstructorParameters<typeof layers.Dense>[0] & { tag?: string }) {
    const { tag = '', ...rest } = args;
    super(rest);
    this.tag = tag;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), tag: this.tag };
  }
}

function model(): Sequential {
  return new Sequential([
    new TaggedDense({ units: 4, inputShape: [3], activation: 'tanh', tag: 'encoder', kernelInitializer: { name: 'glorotUniform', seed: 3 } }),
    layers.dense({ units: 2, activation: 'softmax', kernelInitializer: { name: 'glorotUniform', seed: 4 } }),
  ]);
}

const x = [[0.1, -0.4, 0.7], [1.5, 0.2, -0.3], [-0.6, 0.9, 0.05]];

describe('layer registry', () => {
  it('an unregistered user layer is refused at load, naming it and the known classes', async () => {
    const m = model();
    await expect(loadModel(m.toTfjs() as never)).rejects.toThrow(FormatError);
    await expect(loadModel(m.toTfjs() as never)).rejects.toThrow(/layer class 'TaggedDense' is not supported \(known: Dense, Conv2D.*registerLayer adds others\)/);
    m.dispose();
  });

  it('a registered user layer saves in the TF.js format and in bytes, and loads back through the registry with its own option', async () => {
    registerLayer('TaggedDense', TaggedDense);
    const m = model();
    const expected = Array.from(m.predict(x).data);
    const topology = m.toTfjs().modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(topology.config.layers[0]).toMatchObject({ class_name: 'TaggedDense', config: { tag: 'encoder', units: 4 } });
    for (const source of [m.toTfjs(), m.toBytes()]) {
      const loaded = await loadModel(source as never);
      expect(loaded.layers[0]).toBeInstanceOf(TaggedDense);
      expect((loaded.layers[0] as TaggedDense).tag).toBe('encoder');
      expect(Array.from(loaded.predict(x).data)).toEqual(expected);
      loaded.dispose();
    }
    m.dispose();
  });

  it('registerLayer refuses what is not a layer class', () => {
    expect(() => registerLayer('', TaggedDense)).toThrow(ValueError);
    expect(() => registerLayer('Thing', {} as never)).toThrow(/Thing must be a layer class with a static fromConfig\(config\)/);
  });
});
