// The estimator contract (scikit-learn's, DESIGN.md §7): the constructor stores the options it
// is given and checks them against a table declared once per class; fit validates, learns and
// returns the estimator; fitted state throws NotFittedError before fit.
import { residentBytes } from './resident-bytes.js';
import { FormatError, NotFittedError, ValueError, WasmlearnError, describe } from './errors.js';
import { estimatorFromBytes, estimatorToBytes, type SavedArray } from './io/estimator-bytes.js';
import { readFileBytes, writeFileBytes } from './io/files.js';
import { toMatrix, toTargets, toVector, type Matrix, type MatrixLike, type MatrixOptions, type MatrixView } from './matrix.js';
import { checkNames } from './tabular/table.js';
import { r2Score } from './scoring/regression.js';

/** One option's constraint: a check returning an error message part, or undefined when fine. */
export interface ParamRule<V = unknown> {
  default: V;
  /** What the value must be, for messages ("a positive number"). */
  expected: string;
  valid: (value: unknown) => boolean;
}

export type ParamTable<P> = { [K in keyof P]-?: ParamRule<P[K]> };

export const rules = {
  positive: (d: number): ParamRule<number> => ({ default: d, expected: 'a positive number', valid: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 }),
  nonNegative: (d: number): ParamRule<number> => ({ default: d, expected: 'a number ≥ 0', valid: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 }),
  number: (d: number): ParamRule<number> => ({ default: d, expected: 'a finite number', valid: (v) => typeof v === 'number' && Number.isFinite(v) }),
  integer: (d: number, min: number): ParamRule<number> => ({ default: d, expected: `an integer ≥ ${min}`, valid: (v) => Number.isSafeInteger(v) && (v as number) >= min }),
  boolean: (d: boolean): ParamRule<boolean> => ({ default: d, expected: 'true or false', valid: (v) => typeof v === 'boolean' }),
  oneOf: <T extends string>(d: T, values: readonly T[]): ParamRule<T> => ({ default: d, expected: `one of ${values.map((v) => `'${v}'`).join(', ')}`, valid: (v) => (values as readonly unknown[]).includes(v) }),
  custom: <T>(d: T, expected: string, valid: (v: unknown) => boolean): ParamRule<T> => ({ default: d, expected, valid }),
  /** A seed option: an integer in [0, 2^53), or null (a fresh seed, or setRandomSeed's sequence). */
  seed: (): ParamRule<number | null> => ({ default: null, expected: 'an integer in [0, 2^53) or null', valid: (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0) }),
};

/** Checks options against a table: unknown names and invalid values are ValueErrors naming them. */
export function checkParams<P extends object>(table: ParamTable<P>, options: unknown, where: string): Required<P> {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ValueError(`${where}: options must be an object; received ${describe(options)}`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const known = Object.keys(table);
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) throw new ValueError(`${where}: unknown option '${key}'; known options are ${known.join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const rule = (table as Record<string, ParamRule>)[key];
    const value = given[key] === undefined ? rule.default : given[key];
    if (given[key] !== undefined && !rule.valid(value)) {
      throw new ValueError(`${where}: ${key} must be ${rule.expected}; received ${describe(value)}`);
    }
    out[key] = value;
  }
  return out as Required<P>;
}

/** The base of the estimators: typed options, getParams / setParams, fitted-state access, the names of fit's columns. */
export abstract class Estimator<P extends object, S> {
  protected params: Required<P>;
  private state: S | undefined;
  /** The column names of the data fit learnt from (tabular data), and those of the fit under way. */
  private namesIn: string[] | undefined;
  private namesPending: string[] | undefined;

  protected constructor(private readonly table: ParamTable<P>, options: P | undefined, private readonly where: string) {
    this.params = checkParams(table, options, where);
  }

  /** The class name, for messages. */
  protected get estimatorName(): string {
    return this.where;
  }

  /** The class name (as bundlers that rename classes leave it): what makePipeline names a step after. */
  get className(): string {
    return this.where;
  }

  /** The options, defaults filled in. */
  getParams(): Required<P> {
    return { ...this.params };
  }

  /** Changes options (checked as in the constructor); a later fit uses them. Returns this. */
  setParams(options: Partial<P>): this {
    this.params = checkParams(this.table, { ...this.params, ...options }, this.where);
    return this;
  }

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  /** Bytes the fitted estimator keeps (its arrays and numbers; 0 before fit): what serving it costs. */
  get memoryBytes(): number {
    return residentBytes(this.state);
  }

  protected fitted(what: string): S {
    if (!this.state) throw new NotFittedError(`${this.where}: ${what} is not available before fit; call fit(X, y) first`);
    return this.state;
  }

  protected setFitted(state: S): void {
    this.state = state;
    this.namesIn = this.namesPending;
    this.namesPending = undefined;
  }

  /** Column names of the data the fit under way learns from; featureNamesIn once it succeeds. */
  protected rememberNames(names: string[] | undefined): void {
    this.namesPending = names;
  }

  /** The names of fit's columns (undefined for a matrix). */
  protected fittedNames(): string[] | undefined {
    return this.namesIn;
  }

  /** X for fit as a matrix; the names of its columns (tabular data) become featureNamesIn once the fit succeeds. */
  protected fitMatrix(X: unknown, name: string, options?: MatrixOptions): Matrix {
    const m = toMatrix(X, name, options);
    this.rememberNames(m.names);
    return m;
  }

  /** X after fit as a matrix; tabular data must have the columns fit had, in the same order (scikit-learn's check). */
  protected queryMatrix(X: unknown, name: string, options: MatrixOptions & { view: true }): MatrixView;
  protected queryMatrix(X: unknown, name: string, options?: MatrixOptions): Matrix;
  protected queryMatrix(X: unknown, name: string, options?: MatrixOptions): Matrix | MatrixView {
    const m = toMatrix(X, name, options);
    if (this.namesIn && m.names) checkNames(m.names, this.namesIn, name);
    return m;
  }

  /** The names of the columns fit learnt from, when the data had names (scikit-learn's feature_names_in_); undefined for a matrix. */
  get featureNamesIn(): string[] | undefined {
    this.fitted('featureNamesIn');
    return this.namesIn?.slice();
  }

  /** The fitted state as JSON-able values and typed arrays (for toBytes). */
  protected abstract toSaved(state: S): { meta: Record<string, unknown>; arrays: Record<string, SavedArray> };

  /** The fitted estimator as bytes: its options and everything it learned (fromBytes restores it). */
  toBytes(): Uint8Array {
    const state = this.fitted('toBytes');
    const saved = this.toSaved(state);
    return estimatorToBytes({ className: this.where, params: this.params as Record<string, unknown>, arrays: saved.arrays, meta: { ...saved.meta, ...(this.namesIn ? { featureNamesIn: this.namesIn } : {}) } });
  }

  /** Saves to a file (Node, Deno) when given a path; resolves to the bytes in any case. */
  async save(path?: string): Promise<Uint8Array> {
    const bytes = this.toBytes();
    if (path !== undefined) writeFileBytes(path, bytes, `${this.where}.save`);
    return bytes;
  }

  /** @internal Installs a state read by fromBytes (with fit's column names, when it had them). */
  adopt(state: S, namesIn?: string[]): this {
    this.state = state;
    this.namesIn = namesIn;
    return this;
  }
}

/** A classifier as scoring sees it: predict gives one label per row. */
export interface Classifier {
  predict(X: MatrixLike): ArrayLike<number | string>;
}

/** A regressor as scoring sees it: predict gives one number per row. */
export interface Regressor {
  predict(X: MatrixLike): Float64Array;
}

/** scikit-learn's ClassifierMixin.score: the mean accuracy of `model.predict(X)` against y. */
export function classifierScore(model: Classifier, X: MatrixLike, y: ArrayLike<number | string> | MatrixLike, name: string): number {
  const predicted = model.predict(X);
  const truth = toVector(y, `${name}.score: y`, predicted.length);
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) right++;
  return right / predicted.length;
}

/** scikit-learn's RegressorMixin.score: R² of `model.predict(X)` against y. */
export function regressorScore(model: Regressor, X: MatrixLike, y: ArrayLike<number> | MatrixLike, name: string): number {
  const predicted = model.predict(X);
  return r2Score(toTargets(y, `${name}.score: y`, predicted.length), predicted) as number;
}

/**
 * Restores an estimator from bytes (or a file path): checks the bytes (FormatError), rebuilds
 * the estimator from its saved options and installs the saved state after `read` checked it.
 */
export function restoreEstimator<E extends Estimator<object, S>, S>(
  make: (params: Record<string, unknown>) => E, className: string, source: unknown,
  read: (meta: Record<string, unknown>, arrays: Record<string, SavedArray>, where: string) => S,
): E {
  const bytes = typeof source === 'string' ? readFileBytes(source, `${className}.load`) : source;
  const saved = estimatorFromBytes(bytes, className);
  const where = `${className}.fromBytes`;
  let estimator: E;
  try {
    estimator = make(saved.params);
  } catch (error) {
    if (error instanceof WasmlearnError) throw new FormatError(`${where}: the saved options are invalid (${error.message})`, { cause: error });
    throw error;
  }
  const names = saved.meta.featureNamesIn;
  if (names !== undefined && !(Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string'))) {
    throw new FormatError(`${where}: the saved column names are malformed`);
  }
  return estimator.adopt(read(saved.meta, saved.arrays, where), names as string[] | undefined);
}
