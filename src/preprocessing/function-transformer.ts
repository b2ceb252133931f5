// scikit-learn's FunctionTransformer: X through a function of the user's (and back through its
// inverse), stateless. The function may be a JavaScript function — such a transformer cannot be
// saved — or the name of an elementwise function ('log1p', 'sqrt', …), which saves and loads.
import { atanh, cos, exp, expm1, log, log1p, sin, tanh } from '../elementary.js';
import { ValueError, describe } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable } from '../estimator.js';
import { readTable } from '../tabular/table.js';
import { warn } from '../warnings.js';
import { readFeatureCount, type FeatureCount } from './feature-count.js';

const ELEMENTWISE: Record<string, (v: number) => number> = {
  log: log, log1p: log1p, exp: exp, expm1: expm1, sqrt: Math.sqrt, square: (v) => v * v, abs: Math.abs,
  reciprocal: (v) => 1 / v, tanh: tanh, arctanh: atanh, sin: sin, cos: cos,
};
export type ElementwiseName = 'log' | 'log1p' | 'exp' | 'expm1' | 'sqrt' | 'square' | 'abs' | 'reciprocal' | 'tanh' | 'arctanh' | 'sin' | 'cos';
type Func = ((X: any, kwArgs?: Record<string, unknown>) => unknown) | ElementwiseName | null;

export interface FunctionTransformerOptions {
  /** X → X′ (default: X unchanged): a function of (X, kwArgs), or an elementwise function's name. */
  func?: Func;
  /** The inverse, for inverseTransform. */
  inverseFunc?: Func;
  /** Read X as a matrix of numbers before calling func (default false: X as given). Named functions always do. */
  validate?: boolean;
  /** At fit, check on a few rows that inverseFunc undoes func (default true; a warning if not). */
  checkInverse?: boolean;
  /** Extra arguments for func and inverseFunc. */
  kwArgs?: Record<string, unknown> | null;
  invKwArgs?: Record<string, unknown> | null;
  /** Output names: 'one-to-one' (the input names) or (inputNames) => names; default none. */
  featureNamesOut?: 'one-to-one' | ((names: string[]) => string[]) | null;
}

const isFunc = (v: unknown) => v === null || typeof v === 'function' || (typeof v === 'string' && v in ELEMENTWISE);

/** Applies a function to X. */
export class FunctionTransformer extends Estimator<FunctionTransformerOptions, FeatureCount> {
  constructor(options?: FunctionTransformerOptions) {
    const funcRule = rules.custom<Func>(null, `a function, null or one of ${Object.keys(ELEMENTWISE).map((k) => `'${k}'`).join(', ')}`, isFunc);
    const argsRule = rules.custom<Record<string, unknown> | null>(null, 'an object or null', (v) => v === null || (typeof v === 'object' && !Array.isArray(v)));
    super({
      func: funcRule, inverseFunc: funcRule, validate: rules.boolean(false), checkInverse: rules.boolean(true), kwArgs: argsRule, invKwArgs: argsRule,
      featureNamesOut: rules.custom<FunctionTransformerOptions['featureNamesOut']>(null, "'one-to-one', a function or null", (v) => v === null || v === 'one-to-one' || typeof v === 'function'),
    } satisfies ParamTable<FunctionTransformerOptions>, options, 'FunctionTransformer');
  }

  /** X as func receives it: a number matrix (rows) when validating or for a named function, else unchanged. */
  private input(X: unknown, f: Func, where: string, fitting = false): unknown {
    if (!this.params.validate && (typeof f !== 'string')) return X;
    const m = fitting ? this.fitMatrix(X, where) : this.queryMatrix(X, where);
    const features = fitting ? 0 : this.fitted(where).features;
    if (features > 0 && m.cols !== features) throw new ValueError(`${where} has ${m.cols} features, but the transformer was fitted with ${features}`);
    return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }

  private run(f: Func, X: unknown, kwArgs: Record<string, unknown> | null): unknown {
    if (f === null) return X;
    if (typeof f === 'string') return (X as number[][]).map((row) => row.map(ELEMENTWISE[f]));
    return f(X, kwArgs ?? undefined);
  }

  /** Learns nothing but X's column count (and names); checks the inverse on a few rows if asked. */
  async fit(X: unknown): Promise<this> {
    const where = 'FunctionTransformer.fit: X';
    const rows = this.input(X, this.params.func, where, true) as unknown;
    let features = 0;
    if (rows !== X) features = (rows as number[][])[0].length;
    else {
      // X goes to func as it came, in any form: its columns counted (and named) when it is a table.
      try {
        const table = readTable(X, where);
        features = table.columns.length;
        if (table.named) this.rememberNames(table.columns.map((c) => c.name));
      } catch {
        features = 0;
      }
    }
    const { func, inverseFunc } = this.params;
    if (this.params.checkInverse && func !== null && inverseFunc !== null && Array.isArray(rows) && rows.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number'))) {
      const step = Math.max(1, Math.floor(rows.length / 100));
      const sample = (rows as number[][]).filter((_, i) => i % step === 0);
      const back = this.run(inverseFunc, this.run(func, sample, this.params.kwArgs), this.params.invKwArgs) as number[][];
      const close = Array.isArray(back) && back.every((r, i) => Array.isArray(r) && r.every((v, j) => Math.abs(v - sample[i][j]) <= 1e-8 + 1e-5 * Math.abs(sample[i][j]) || (Number.isNaN(v) && Number.isNaN(sample[i][j]))));
      if (!close) warn('data', 'FunctionTransformer.fit: func and inverseFunc are not inverses of each other on a sample of X; set checkInverse: false to skip this check');
    }
    this.setFitted({ features });
    return this;
  }

  transform(X: unknown): unknown {
    this.fitted('FunctionTransformer.transform');
    return this.run(this.params.func, this.input(X, this.params.func, 'FunctionTransformer.transform: X'), this.params.kwArgs);
  }

  async fitTransform(X: unknown): Promise<unknown> {
    await this.fit(X);
    return this.transform(X);
  }

  inverseTransform(X: unknown): unknown {
    this.fitted('FunctionTransformer.inverseTransform');
    return this.run(this.params.inverseFunc, this.input(X, this.params.inverseFunc, 'FunctionTransformer.inverseTransform: X'), this.params.invKwArgs);
  }

  /** The output names when featureNamesOut says how to make them. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.fitted('FunctionTransformer.getFeatureNamesOut');
    const how = this.params.featureNamesOut;
    if (how === null) throw new ValueError('FunctionTransformer.getFeatureNamesOut: set featureNamesOut (\'one-to-one\' or a function) to name the outputs');
    const names = inputFeatures ? [...inputFeatures] : this.featureNamesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
    if (how === 'one-to-one') return names;
    const out = how(names);
    if (!Array.isArray(out) || !out.every((n) => typeof n === 'string')) throw new ValueError(`FunctionTransformer.getFeatureNamesOut: featureNamesOut must return names; it returned ${describe(out)}`);
    return out;
  }

  protected toSaved(f: FeatureCount): { meta: Record<string, unknown>; arrays: Record<string, Float64Array> } {
    for (const k of ['func', 'inverseFunc', 'featureNamesOut'] as const) {
      if (typeof this.params[k] === 'function') throw new ValueError(`FunctionTransformer.toBytes: ${k} is a JavaScript function, which cannot be saved; name an elementwise function instead (e.g. 'log1p')`);
    }
    return { meta: { features: f.features }, arrays: {} };
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): FunctionTransformer {
    return restoreEstimator((p) => new FunctionTransformer(p as FunctionTransformerOptions), 'FunctionTransformer', source,
      (meta, _a, where) => (meta.features === 0 ? { features: 0 } : readFeatureCount(meta, where, 'function transformer')));
  }
}
