// An unfitted estimator as plain data — its class's name and its parameters, nested estimators
// likewise — so that another thread (a worker of a parallel search) can rebuild it. Parameters
// that are functions (a JavaScript FunctionTransformer, a column selector) cannot travel.
import { ValueError } from '../errors.js';
import { isDistribution, logUniform, randint, uniform } from '../model-selection/distributions.js';
import { isEstimator } from './clone.js';
import { className } from './composite.js';

/** What an estimator becomes: { estimator: its class name, params }, with every nested value encoded. */
export type Spec = { estimator: string; params: Record<string, unknown> } | Spec[] | string | number | boolean | null | { [key: string]: Spec } | Float64Array;

/** Thrown when a value cannot become plain data (the caller then runs where the estimator is). */
export class NotTransferable extends ValueError {}

type Rebuildable = { getParams(): Record<string, unknown>; split: unknown; getNSplits: unknown };
const isSplitter = (v: unknown): v is Rebuildable => !!v && typeof v === 'object' && ['split', 'getNSplits', 'getParams'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');

function encode(v: unknown, path: string): Spec {
  if (isDistribution(v)) return { distribution: v.kind, args: [...v.args] } as unknown as Spec;
  if (isSplitter(v) && !isEstimator(v)) return { splitter: className(v), params: encode(v.getParams(), `${path}.params`) } as unknown as Spec;
  if (isEstimator(v)) {
    const params = v.getParams({ deep: false });
    return { estimator: className(v), params: Object.fromEntries(Object.entries(params).map(([k, x]) => [k, encode(x, `${path}.${k}`)])) };
  }
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return (v ?? null) as Spec;
  if (Array.isArray(v)) return v.map((x, i) => encode(x, `${path}[${i}]`));
  if (v instanceof Float64Array) return v.slice();
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x, `${path}.${k}`)])) as Spec;
  }
  throw new NotTransferable(`${path} is ${typeof v === 'function' ? 'a function' : 'an object of a class'}, which another thread cannot rebuild`);
}

/** The estimator as plain data; NotTransferable names the first value that cannot be. */
export function toSpec(estimator: unknown): Spec {
  return encode(estimator, className(estimator));
}

const isSpecEstimator = (v: unknown): v is { estimator: string; params: Record<string, unknown> } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { estimator?: unknown }).estimator === 'string' && typeof (v as { params?: unknown }).params === 'object';

type Class = new (options: unknown) => unknown;
let classes: ((name: string) => Class) | undefined;

/** @internal load.ts installs the lookup of estimator classes by name. */
export function setClassLookup(fn: (name: string) => Class): void {
  classes = fn;
}

const DISTRIBUTIONS: Record<string, (...args: number[]) => unknown> = { uniform, logUniform, randint };

/** The value back: estimators by class name (the installed lookup, or `own` for classes such as splitters), distributions by kind. */
export function fromSpec(spec: unknown, own: Record<string, Class> = {}): unknown {
  const classOf = (name: string): Class => {
    if (Object.hasOwn(own, name)) return own[name];
    if (!classes) throw new ValueError(`rebuilding a ${name} needs wasmlearn's load (import anything from 'wasmlearn', the root, first)`);
    return classes(name);
  };
  if (isSpecEstimator(spec)) {
    const Class = classOf(spec.estimator);
    return new Class(Object.fromEntries(Object.entries(spec.params).map(([k, v]) => [k, fromSpec(v, own)])));
  }
  const s = spec as { splitter?: unknown; distribution?: unknown; params?: unknown; args?: unknown };
  if (s && typeof s === 'object' && typeof s.splitter === 'string') return new (classOf(s.splitter))(fromSpec(s.params, own));
  if (s && typeof s === 'object' && typeof s.distribution === 'string' && Array.isArray(s.args)) {
    const make = DISTRIBUTIONS[s.distribution];
    if (!make) throw new ValueError(`no distribution '${s.distribution}'`);
    return make(...(s.args as number[]));
  }
  if (Array.isArray(spec)) return spec.map((v) => fromSpec(v, own));
  if (spec && typeof spec === 'object' && !(spec instanceof Float64Array)) return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, fromSpec(v, own)]));
  return spec;
}
