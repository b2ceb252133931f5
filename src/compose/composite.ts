// What estimators made of estimators (Pipeline, ColumnTransformer) share: their parts' names
// (make_pipeline's), nested parameters ('step__param'), and their bytes — each part's own saved
// bytes as an array of the composite's file, restored through the one load (load.ts installs it,
// so that a composite restores parts of any class without importing them all here).
import { FormatError, ValueError, WasmlearnError, describe } from '../errors.js';
import { estimatorFromBytes, type SavedArray, type SavedEstimator } from '../io/estimator-bytes.js';
import { readFileBytes, writeFileBytes } from '../io/files.js';

/** What a part must be: an estimator that fits, saves and (in a pipeline's middle) transforms. */
export interface StepEstimator {
  fit(X: unknown, y?: unknown): Promise<unknown>;
  getParams?(options?: { deep?: boolean }): Record<string, unknown>;
  setParams?(params: Record<string, unknown>): unknown;
  toBytes?(): Uint8Array;
  readonly isFitted?: boolean;
}

let restore: ((bytes: Uint8Array) => StepEstimator) | undefined;

/** @internal load.ts installs the function that restores any estimator from its bytes. */
export function setStepRestorer(fn: (bytes: Uint8Array) => StepEstimator): void {
  restore = fn;
}

/** Saves a composite's bytes to a file when given a path (Node, Deno); resolves to the bytes. */
export async function saveComposite(bytes: Uint8Array, path: string | undefined, className: string): Promise<Uint8Array> {
  if (path !== undefined) writeFileBytes(path, bytes, `${className}.save`);
  return bytes;
}

/** A composite's saved form from bytes or a file path, checked (FormatError) as any estimator's. */
export function readComposite(source: Uint8Array | ArrayBuffer | string, className: string): SavedEstimator {
  return estimatorFromBytes(typeof source === 'string' ? readFileBytes(source, `${className}.load`) : source, className);
}

/** An estimator's class name: its own className (estimators and models have one), else its constructor's. */
export const className = (e: unknown): string => (e as { className?: string })?.className ?? (e as { constructor?: { name?: string } })?.constructor?.name ?? typeof e;

/** The estimator that predicts for e: a pipeline's last step, a search's estimator (each in turn), or e itself. */
export function finalEstimator(e: unknown): unknown {
  const c = e as { steps?: [string, unknown][]; getParams?(o: { deep: boolean }): Record<string, unknown> };
  if (c && Array.isArray(c.steps) && c.steps.length) return finalEstimator(c.steps[c.steps.length - 1][1]);
  // A search names the estimator it searches over among its parameters, as scikit-learn's does.
  const inner = c && typeof c === 'object' && has(c, 'fit') && has(c, 'getParams') ? c.getParams!({ deep: false }).estimator : undefined;
  return inner && typeof inner === 'object' && has(inner, 'fit') ? finalEstimator(inner) : e;
}

/** Whether e has a method of that name. */
export const has = (e: unknown, method: string): boolean => typeof (e as Record<string, unknown>)?.[method] === 'function';

/** Each part's bytes as an array `part<i>` (i32 words, padded); their lengths for meta. null parts ('drop', 'passthrough') have none. */
export function packParts(parts: readonly (StepEstimator | null)[], names: readonly string[], where: string): { lengths: (number | null)[]; arrays: Record<string, SavedArray> } {
  const arrays: Record<string, SavedArray> = {};
  const lengths = parts.map((part, i) => {
    if (part === null) return null;
    if (!part.toBytes) throw new ValueError(`${where}: '${names[i]}' (${className(part)}) cannot be saved`);
    const bytes = part.toBytes();
    const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
    padded.set(bytes);
    arrays[`part${i}`] = new Int32Array(padded.buffer);
    return bytes.length;
  });
  return { lengths, arrays };
}

/** The parts back from their arrays (null where the length is null); a broken part is a FormatError naming it. */
export function unpackParts(lengths: unknown, names: readonly string[], arrays: Record<string, SavedArray>, where: string): (StepEstimator | null)[] {
  if (!Array.isArray(lengths) || lengths.length !== names.length) throw new FormatError(`${where}: the saved parts are malformed`);
  return lengths.map((length, i) => {
    if (length === null) return null;
    const array = arrays[`part${i}`];
    if (!(array instanceof Int32Array) || !Number.isInteger(length) || length < 0 || length > array.byteLength) throw new FormatError(`${where}: the bytes of '${names[i]}' are malformed`);
    if (!restore) throw new ValueError(`${where}: restoring its parts needs wasmlearn's load (import anything from 'wasmlearn', the root, first)`);
    try {
      return restore(new Uint8Array(array.buffer, array.byteOffset, length as number).slice());
    } catch (error) {
      if (error instanceof WasmlearnError) throw new FormatError(`${where}: '${names[i]}': ${error.message}`, { cause: error });
      throw error;
    }
  });
}

/** Routes { 'name__param': v } to each named part's setParams; { name: estimator } replaces through `replace`. */
export function setNestedParams(params: Record<string, unknown>, names: readonly string[], part: (name: string) => StepEstimator | null | string,
  replace: (name: string, value: unknown) => void, where: string, own: readonly string[]): void {
  if (params === null || typeof params !== 'object') throw new ValueError(`${where}: expected an object of parameters; received ${describe(params)}`);
  const nested = new Map<string, Record<string, unknown>>();
  for (const [key, value] of Object.entries(params)) {
    if (own.includes(key)) continue;
    const [name, ...rest] = key.split('__');
    if (!names.includes(name)) throw new ValueError(`${where}: no step '${name}' (in '${key}'); the steps are ${names.join(', ')}`);
    if (rest.length === 0) replace(name, value);
    else nested.set(name, { ...nested.get(name), [rest.join('__')]: value });
  }
  for (const [name, values] of nested) {
    const p = part(name);
    if (p === null || typeof p === 'string' || !p.setParams) throw new ValueError(`${where}: step '${name}' has no parameters to set`);
    p.setParams(values);
  }
}

/** { name: part, 'name__param': value, … } of the parts (deep), as scikit-learn's get_params lists them. */
export function nestedParams(entries: readonly [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, part] of entries) {
    out[name] = part;
    const p = part as StepEstimator | null;
    if (p && typeof p === 'object' && p.getParams) for (const [k, v] of Object.entries(p.getParams({ deep: true }))) out[`${name}__${k}`] = v;
  }
  return out;
}

/** scikit-learn's _name_estimators: class names in lower case, '-1', '-2' … after repeated ones. */
export function namesFor(parts: readonly unknown[]): string[] {
  const names = parts.map((e) => (typeof e === 'string' ? e : e === null ? 'passthrough' : className(e).toLowerCase()));
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const seen = new Map<string, number>();
  return names.map((n) => {
    if (counts.get(n)! === 1) return n;
    seen.set(n, (seen.get(n) ?? 0) + 1);
    return `${n}-${seen.get(n)}`;
  });
}
