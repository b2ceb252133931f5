// Where fitDataset and evaluateDataset read their batches (TF.js' semantics, issue 21): a TF.js
// Dataset (an object whose iterator() starts a pass), an async iterable or generator, or an
// iterable (an array of batches, a generator): each element `{ xs, ys }`. Data larger than memory
// trains this way in bounded memory — files read from disk, a database cursor, a fetch stream.
import { ValueError, describe } from '../errors.js';

/** One batch: inputs and targets, in any form fit takes for x and y. */
export interface DatasetBatch {
  xs: unknown;
  ys: unknown;
}

/** What fitDataset takes: a TF.js Dataset, an async iterable or an iterable of batches. */
export type DatasetLike =
  | { iterator(): Promise<{ next(): Promise<IteratorResult<DatasetBatch>> }> }
  | AsyncIterable<DatasetBatch>
  | Iterable<DatasetBatch>;

type Reader = () => Promise<IteratorResult<unknown>>;

/**
 * A dataset's passes. `pass()` starts reading from the beginning where the source can (a TF.js
 * Dataset's iterator(), an array, any iterable whose iterator is fresh each time); a generator
 * object goes on where it stopped, as TF.js reads one iterator across epochs with batchesPerEpoch.
 */
export class DatasetSource {
  private readonly start: () => Promise<Reader>;

  constructor(source: unknown, private readonly where: string) {
    if (source === null || typeof source !== 'object') {
      throw new ValueError(`${where}: dataset must be a TF.js Dataset, an async iterable or an iterable of { xs, ys } batches; received ${describe(source)}`);
    }
    const s = source as Record<string | symbol, unknown>;
    if (typeof s.iterator === 'function') {
      this.start = async () => {
        const it = await (s.iterator as () => Promise<{ next(): Promise<IteratorResult<unknown>> }>).call(source);
        if (!it || typeof it.next !== 'function') throw new ValueError(`${where}: the dataset's iterator() gave ${describe(it)}, not an iterator`);
        return () => it.next();
      };
    } else if (typeof s[Symbol.asyncIterator] === 'function') {
      this.start = async () => {
        const it = (s[Symbol.asyncIterator] as () => AsyncIterator<unknown>).call(source);
        return () => it.next();
      };
    } else if (typeof s[Symbol.iterator] === 'function') {
      this.start = async () => {
        const it = (s[Symbol.iterator] as () => Iterator<unknown>).call(source);
        return async () => it.next();
      };
    } else {
      throw new ValueError(`${where}: dataset must be a TF.js Dataset (with iterator()), an async iterable or an iterable of { xs, ys } batches; received ${describe(source)}`);
    }
  }

  /** A reader of batches from (where the source allows) the beginning: undefined when the data ends. */
  async pass(): Promise<() => Promise<DatasetBatch | undefined>> {
    const read = await this.start();
    let index = 0;
    return async () => {
      const result = await read();
      if (!result || typeof result !== 'object') throw new ValueError(`${this.where}: the dataset's iterator gave ${describe(result)}, not { value, done }`);
      if (result.done) return undefined;
      const value = result.value as Partial<DatasetBatch> | null;
      index++;
      if (value === null || typeof value !== 'object' || !('xs' in value) || !('ys' in value)) {
        throw new ValueError(`${this.where}: batch ${index} of the dataset must be { xs, ys }; received ${describe(value)}`);
      }
      return value as DatasetBatch;
    };
  }
}
