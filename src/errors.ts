/** Base class of every error wasmlearn throws on purpose. */
export class WasmlearnError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An input has the wrong shape: rank, sizes, or shapes that do not agree with each other. */
export class ShapeError extends WasmlearnError {}

/** An input or option has a wrong value or type: NaN, empty data, an unknown name, a bad number. */
export class ValueError extends WasmlearnError {}

/** A fitted property or prediction was asked of a model before `fit`. */
export class NotFittedError extends WasmlearnError {}

/** Saved bytes or files are corrupt, truncated or of an unknown version. */
export class FormatError extends WasmlearnError {}

/** The WebAssembly memory could not grow to what a call needed; the library stays usable. */
export class OutOfMemoryError extends WasmlearnError {}

/**
 * A long call stopped because its `signal` was aborted or its `timeoutMs` passed; what it was
 * changing (an estimator's fitted state) is as it was before the call. `name` is 'AbortError',
 * as the platform's own (fetch), and `cause` the signal's reason.
 */
export class AbortError extends WasmlearnError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/** The runtime cannot do what was asked (not initialised, no threads, a missing capability). */
export class RuntimeUnavailableError extends WasmlearnError {}

/** Describes a value for error messages: `number[] of length 3`, `Float32Array(6)`, `string "a"`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as unknown as { length: number }).length})`;
  }
  switch (typeof value) {
    case 'number': return `${value}`;
    case 'string': return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'object': return `an object${value.constructor && value.constructor !== Object ? ` (${value.constructor.name})` : ''}`;
    default: return `a ${typeof value}`;
  }
}
