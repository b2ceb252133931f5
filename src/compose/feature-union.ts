// scikit-learn's FeatureUnion: several transformers fitted on the same X, their outputs side by
// side (each scaled by its weight if given); 'drop' leaves one out, 'passthrough' adds X as it
// came. Output names '<transformer>__<name>', nested parameters, save and load as composites do.
import { residentBytes } from '../resident-bytes.js';
import { FormatError, NotFittedError, ValueError, describe } from '../errors.js';
import { estimatorToBytes } from '../io/estimator-bytes.js';
import { checkOptions } from '../options.js';
import { readTable } from '../tabular/table.js';
import { className, has, namesFor, nestedParams, packParts, readComposite, saveComposite, setNestedParams, unpackParts, type StepEstimator } from './composite.js';

export type UnionPart = StepEstimator | 'drop' | 'passthrough';

export interface FeatureUnionOptions {
  /** [name, transformer] pairs; a transformer may be 'drop' or 'passthrough'. */
  transformerList: [string, UnionPart][];
  /** A factor per transformer name for its outputs (default 1). */
  transformerWeights?: Record<string, number> | null;
}

type Transforming = StepEstimator & { transform(X: unknown): unknown; fitTransform?(X: unknown, y?: unknown): Promise<unknown>; getFeatureNamesOut?(names?: string[]): string[] };

interface Fitted { parts: (StepEstimator | null)[]; namesIn?: string[]; features: number }

function checked(options: unknown, where: string): Required<FeatureUnionOptions> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(`${where}: options must be { transformerList, transformerWeights? }; received ${describe(options)}`);
  const o = options as Partial<FeatureUnionOptions>;
  checkOptions<FeatureUnionOptions>(o, ['transformerList', 'transformerWeights'], where);
  if (!Array.isArray(o.transformerList) || o.transformerList.length === 0) throw new ValueError(`${where}: transformerList must be a non-empty array of [name, transformer] pairs; received ${describe(o.transformerList)}`);
  const seen = new Set<string>();
  const list = o.transformerList.map((pair, i): [string, UnionPart] => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || pair[0] === '') throw new ValueError(`${where}: transformerList[${i}] must be a [name, transformer] pair; received ${describe(pair)}`);
    const [name, t] = pair;
    if (name.includes('__')) throw new ValueError(`${where}: transformer name '${name}' contains '__', which separates a name from its parameters`);
    if (seen.has(name)) throw new ValueError(`${where}: two transformers are named '${name}'`);
    seen.add(name);
    if (t !== 'drop' && t !== 'passthrough' && (!has(t, 'fit') || !has(t, 'transform'))) throw new ValueError(`${where}: '${name}' must be a transformer (with fit and transform), 'drop' or 'passthrough'; received ${describe(t)}`);
    return [name, t];
  });
  const weights = o.transformerWeights ?? null;
  if (weights !== null) {
    if (typeof weights !== 'object' || Array.isArray(weights)) throw new ValueError(`${where}: transformerWeights must be an object of numbers by transformer name; received ${describe(weights)}`);
    for (const [k, v] of Object.entries(weights)) {
      if (!seen.has(k)) throw new ValueError(`${where}: transformerWeights names '${k}', which is not a transformer (${[...seen].join(', ')})`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: transformerWeights['${k}'] must be a finite number; received ${describe(v)}`);
    }
  }
  return { transformerList: list, transformerWeights: weights };
}

/** Concatenates the outputs of several transformers of the same X. */
export class FeatureUnion {
  private options: Required<FeatureUnionOptions>;
  private state: Fitted | undefined;

  /** Bytes the fitted transformers keep; 0 before fit. */
  get memoryBytes(): number {
    return residentBytes(this.state);
  }

  constructor(options: FeatureUnionOptions) {
    this.options = checked(options, 'FeatureUnion');
  }

  get className(): string {
    return 'FeatureUnion';
  }

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  private fitted(what: string): Fitted {
    if (!this.state) throw new NotFittedError(`FeatureUnion.${what} is not available before fit; call fit(X) first`);
    return this.state;
  }

  async fit(X: unknown, y?: unknown): Promise<this> {
    await this.fitTransform(X, y);
    return this;
  }

  async fitTransform(X: unknown, y?: unknown): Promise<(number | string)[][]> {
    const table = readTable(X, 'FeatureUnion.fit: X');
    const parts: (StepEstimator | null)[] = [], outputs: (number | string)[][][] = [];
    for (const [, t] of this.options.transformerList) {
      if (t === 'drop' || t === 'passthrough') {
        parts.push(null);
        outputs.push(t === 'passthrough' ? this.passed(X) : []);
        continue;
      }
      const part = t as Transforming;
      outputs.push((has(part, 'fitTransform') ? await part.fitTransform!(X, y) : (await part.fit(X, y), part.transform(X))) as (number | string)[][]);
      parts.push(part);
    }
    this.state = { parts, namesIn: table.named ? table.columns.map((c) => c.name) : undefined, features: table.columns.length };
    return this.stack(outputs, table.rows);
  }

  transform(X: unknown): (number | string)[][] {
    const f = this.fitted('transform');
    const rows = readTable(X, 'FeatureUnion.transform: X').rows;
    const outputs = this.options.transformerList.map(([, t], k) => {
      const part = f.parts[k] as Transforming | null;
      if (part) return part.transform(X) as (number | string)[][];
      return t === 'passthrough' ? this.passed(X) : [];
    });
    return this.stack(outputs, rows);
  }

  private passed(X: unknown): (number | string)[][] {
    const table = readTable(X, 'FeatureUnion: X');
    return Array.from({ length: table.rows }, (_, i) => table.columns.map((c) => (c.kind === 'string' ? (c.values[i] as string | null) ?? Number.NaN : c.values[i] as number)));
  }

  private stack(outputs: (number | string)[][][], rows: number): (number | string)[][] {
    const weights = this.options.transformerWeights ?? {};
    return Array.from({ length: rows }, (_, i) => this.options.transformerList.flatMap(([name], k) => {
      const row = outputs[k][i] ?? [];
      const factor = weights[name];
      return factor === undefined ? row : row.map((v) => (typeof v === 'number' ? v * factor : v));
    }));
  }

  get featureNamesIn(): string[] | undefined {
    return this.fitted('featureNamesIn').namesIn?.slice();
  }

  /** '<transformer>__<name>' for each transformer's output names. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.fitted('getFeatureNamesOut');
    const input = inputFeatures ? [...inputFeatures] : f.namesIn ?? Array.from({ length: f.features }, (_, i) => `x${i}`);
    return this.options.transformerList.flatMap(([name, t], k) => {
      const part = f.parts[k] as Transforming | null;
      if (!part) return t === 'passthrough' ? input.map((n) => `${name}__${n}`) : [];
      if (!has(part, 'getFeatureNamesOut')) throw new ValueError(`FeatureUnion.getFeatureNamesOut: '${name}' (${className(part)}) does not name its outputs`);
      return part.getFeatureNamesOut!(input).map((n) => `${name}__${n}`);
    });
  }

  getParams(options: { deep?: boolean } = {}): Record<string, unknown> {
    const own = { transformerList: this.options.transformerList.map((p) => [...p]), transformerWeights: this.options.transformerWeights };
    return options.deep === false ? own : { ...own, ...nestedParams(this.options.transformerList) };
  }

  setParams(params: Record<string, unknown>): this {
    const own = ['transformerList', 'transformerWeights'];
    if (params !== null && typeof params === 'object' && own.some((k) => k in params)) {
      this.options = checked({ ...this.options, ...Object.fromEntries(own.filter((k) => k in params).map((k) => [k, params[k]])) }, 'FeatureUnion.setParams');
    }
    setNestedParams(params, this.options.transformerList.map(([n]) => n), (name) => this.options.transformerList.find(([n]) => n === name)![1],
      (name, value) => { this.options = checked({ ...this.options, transformerList: this.options.transformerList.map(([n, t]) => [n, n === name ? value : t]) }, 'FeatureUnion.setParams'); },
      'FeatureUnion.setParams', own);
    return this;
  }

  toBytes(): Uint8Array {
    const f = this.fitted('toBytes');
    const names = this.options.transformerList.map(([n]) => n);
    const { lengths, arrays } = packParts(f.parts, names, 'FeatureUnion.toBytes');
    const kinds = this.options.transformerList.map(([, t]) => (t === 'drop' || t === 'passthrough' ? t : 'fitted'));
    return estimatorToBytes({
      className: 'FeatureUnion', params: { transformerWeights: this.options.transformerWeights },
      meta: { names, kinds, lengths, namesIn: f.namesIn ?? null, features: f.features }, arrays,
    });
  }

  async save(path?: string): Promise<Uint8Array> {
    return saveComposite(this.toBytes(), path, 'FeatureUnion');
  }

  static fromBytes(source: Uint8Array | ArrayBuffer | string): FeatureUnion {
    const where = 'FeatureUnion.fromBytes';
    const saved = readComposite(source, 'FeatureUnion');
    const bad = (): never => { throw new FormatError(`${where}: the saved feature union is malformed`); };
    const { names, kinds, lengths, namesIn, features } = saved.meta as Record<string, unknown>;
    if (!Number.isInteger(features) || (features as number) < 1) bad();
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string') || !Array.isArray(kinds) || kinds.length !== names.length) bad();
    if (namesIn !== null && !(Array.isArray(namesIn) && namesIn.length === features && namesIn.every((n) => typeof n === 'string'))) bad();
    const parts = unpackParts(lengths, names as string[], saved.arrays, where);
    const list = (names as string[]).map((n, k): [string, UnionPart] => {
      const kind = (kinds as unknown[])[k];
      if (kind === 'drop' || kind === 'passthrough') return parts[k] === null ? [n, kind] : bad();
      return kind === 'fitted' && parts[k] ? [n, parts[k]!] : bad();
    });
    let union: FeatureUnion;
    try {
      union = new FeatureUnion({ transformerList: list, transformerWeights: saved.params.transformerWeights as Record<string, number> | null });
    } catch (error) {
      throw new FormatError(`${where}: the saved feature union is malformed: ${(error as Error).message}`, { cause: error });
    }
    union.state = { parts, namesIn: (namesIn as string[] | null) ?? undefined, features: features as number };
    return union;
  }
}

/** scikit-learn's make_union: transformers named after their classes. */
export function makeUnion(...transformers: UnionPart[]): FeatureUnion {
  const names = namesFor(transformers);
  return new FeatureUnion({ transformerList: transformers.map((t, i) => [names[i], t]) });
}
