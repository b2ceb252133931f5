// A disposed model leaves nothing behind (found by the soak of issue 21): every layer the garbage
// collector was asked to watch is unwatched again by dispose() — a model's input layer, which
// holds no weights, used to stay registered for the life of the program, one record per model.
import { describe, expect, it } from 'vitest';

describe('dispose', () => {
  it('unregisters everything it registered with the garbage collector (models with and without an input layer, trained or not)', async () => {
    // Count the registrations the library makes (its registry is created on first use, after this).
    const Real = globalThis.FinalizationRegistry;
    const watched = new Set<unknown>();
    globalThis.FinalizationRegistry = class<T> extends Real<T> {
      register(target: WeakKey, held: T, token?: WeakKey): void {
        watched.add(token);
        super.register(target, held, token);
      }
      unregister(token: WeakKey): boolean {
        watched.delete(token);
        return super.unregister(token);
      }
    } as FinalizationRegistryConstructor;
    try {
      const wl = await import('../dist/index.js');
      const x = wl.randomUniform([32, 12], { seed: 1 });
      const y = Array.from({ length: 32 }, (_, i) => i % 2);
      for (let i = 0; i < 20; i++) {
        const sequential = new wl.Sequential([wl.layers.dense({ units: 8, inputShape: [12], activation: 'relu' }), wl.layers.dense({ units: 2, activation: 'softmax' })]);
        sequential.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
        await sequential.fit(x, y, { epochs: 1, verbose: 0 });
        const input = wl.input({ shape: [12] });
        const functional = wl.model({ inputs: input, outputs: wl.layers.dense({ units: 3 }).apply(input) });
        functional.predict(x);
        sequential.dispose();
        functional.dispose();
      }
      expect(watched.size).toBe(0);
    } finally {
      globalThis.FinalizationRegistry = Real;
    }
  });
});
