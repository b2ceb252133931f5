// The conformance registry for the Node checks: entries.js's list (plain JavaScript, shared with
// the other runtimes' contract.js) for the built library, with its types.
import * as wl from '../../dist/index.js';
// @ts-expect-error: plain JavaScript module shared with the other runtimes
import { dataset as datasetOf, estimators, fitArgs as fitArgsOf, generator as generatorOf, outputs as outputsOf } from './entries.js';

export type Kind = 'classifier' | 'regressor' | 'unsupervised';

/** What every fitted estimator has in common, as the checks use it. */
export interface Fittable {
  fit(X: unknown, y?: unknown): Promise<unknown>;
  toBytes(): Uint8Array;
  isFitted: boolean;
}

export interface Entry {
  name: string;
  kind: Kind;
  make: (options?: Record<string, unknown>) => Fittable;
  load: (bytes: Uint8Array) => Fittable | Promise<Fittable>;
  /** A Keras-style model: it predicts before fit (with its initial weights) and holds memory until disposed. */
  model?: boolean;
  /** Methods that read the fitted model, called with X alone, or fitted properties (read). */
  methods: string[];
  /** Options it must refuse, each with the option's name (which the message must carry). */
  bad: Record<string, unknown>[];
  /** Whether a `seed` option exists (seeded results must repeat). */
  seeded: boolean;
  /** A transformer of tabular data: gaps (NaN) and strings are data to it, not errors. */
  tabular?: boolean;
  /** Gaps (NaN, null) are data to it (missing values handled natively); strings are not. */
  gaps?: boolean;
  /** Its saved bytes hold fit times (a search's cvResults): they differ from fit to fit. */
  timed?: boolean;
}

export const ESTIMATORS: Entry[] = estimators(wl);

/** A deterministic generator of values exact in f32 (so arrays, Float32Arrays and tensors hold the same numbers). */
export const generator: (seed: number) => () => number = generatorOf;

/** n samples, d features, 3 classes (shifted means) and a regression target. */
export const dataset: (n: number, d: number, seed?: number) => { X: number[][]; classes: number[]; target: number[] } = datasetOf;

/** Every method's output for X as one flat array of numbers (labels as their values). */
export const outputs: (model: Fittable, methods: string[], X: unknown) => number[] = outputsOf;

export const fitArgs: (entry: Entry, X: unknown, data: { classes: number[]; target: number[] }) => [unknown, unknown?] = fitArgsOf;
