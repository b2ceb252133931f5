// Checks of analytic weight gradients against an f64 reference, shared by the layer tests that
// cannot use the Sequential harness (several inputs, masks, attention): central finite
// differences of the reference's loss in each weight, every element.
import { expect } from 'vitest';

/** What the check needs of a layer: its weights' names, in the order getWeights gives their values. */
interface Weighted {
  readonly weights: readonly { readonly name: string }[];
}

/**
 * For every weight element of the `owned` layers: the analytic gradient (by weight name) against
 * (loss(w + ε) − loss(w − ε)) / 2ε, where loss reads the f64 values in `weights` (changed in
 * place and restored). Returns how many elements were checked.
 */
export function checkGradients(owned: readonly Weighted[], weights: Map<unknown, Float64Array[]>, analytic: Map<string, ArrayLike<number>>,
  loss: () => number, { epsilon = 1e-6, absolute = 2e-4, relative = 2e-3 } = {}): number {
  let checked = 0;
  for (const layer of owned) {
    layer.weights.forEach((w, i) => {
      const values = weights.get(layer)![i], grad = analytic.get(w.name)!;
      for (let e = 0; e < values.length; e++) {
        const keep = values[e];
        values[e] = keep + epsilon;
        const up = loss();
        values[e] = keep - epsilon;
        const down = loss();
        values[e] = keep;
        const numeric = (up - down) / (2 * epsilon);
        expect(Math.abs(grad[e] - numeric), `${w.name}[${e}]: ${grad[e]} vs ${numeric}`).toBeLessThan(absolute + relative * Math.abs(numeric));
        checked++;
      }
    });
  }
  return checked;
}

/** A model's gradients by weight name. */
export function gradientsByName(model: { trainableWeights: readonly { name: string }[] }, gradients: readonly { data: ArrayLike<number> }[]): Map<string, ArrayLike<number>> {
  return new Map(model.trainableWeights.map((w, i) => [w.name, gradients[i].data]));
}

/** What the seeded check needs of a model. */
interface Trainable {
  getWeights(): { data: Float32Array; shape: readonly number[] }[];
  setWeights(weights: { data: Float32Array; shape: readonly number[] }[]): void;
  gradients(x: unknown, y: unknown, args: { seed: number }): { loss: number; gradients: { data: ArrayLike<number> }[] };
}

/**
 * For a model whose training pass draws random masks (dropout): with a fixed seed its training
 * loss is a function of the weights, so every `stride`-th weight element's gradient is checked
 * against central differences of that loss (f32, hence the larger ε). Returns how many were.
 */
export function checkSeededGradients(model: Trainable, x: unknown, y: unknown, seed: number, what: string,
  { stride = 1, epsilon = 1e-2, absolute = 5e-4, relative = 1e-2 } = {}): number {
  const { gradients } = model.gradients(x, y, { seed });
  const weights = model.getWeights();
  let checked = 0;
  weights.forEach((w, k) => {
    for (let e = 0; e < w.data.length; e += stride) {
      const at = (v: number) => {
        model.setWeights(weights.map((u, j) => (j === k ? { data: Float32Array.from(u.data, (d, i) => (i === e ? v : d)), shape: u.shape } : u)));
        return model.gradients(x, y, { seed }).loss;
      };
      const numeric = (at(w.data[e] + epsilon) - at(w.data[e] - epsilon)) / (2 * epsilon);
      model.setWeights(weights);
      expect(Math.abs(gradients[k].data[e] - numeric), `${what}: weight ${k}[${e}]: ${gradients[k].data[e]} vs ${numeric}`).toBeLessThan(absolute + relative * Math.abs(numeric));
      checked++;
    }
  });
  return checked;
}
